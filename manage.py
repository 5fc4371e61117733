#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

It reads the development `.env` beside it, when there is one (newsroom/envfile.py: `make run`
writes it; DJANGO_ENV_FILE names another file, or none when set but empty). A missing or bad
setting stops it with one line saying which, not a traceback (#13).
"""

import importlib
import os
import sys
from pathlib import Path


def main():
    from django.core.exceptions import ImproperlyConfigured

    from newsroom import envfile

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    try:
        envfile.load(default=Path(__file__).resolve().parent / ".env")
        # Loaded here once (Django reuses the module), so that its refusals are one line.
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except (envfile.EnvFileError, ImproperlyConfigured) as error:
        sys.exit(f"manage.py: {error}")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""A development `.env` file: written by `make run`, read by `manage.py` (#13).

`make run` writes `.env` beside `manage.py` with debug on, a generated secret key and the site's
address on the port it serves, so that every `manage.py` command in the README works as written.
`manage.py` reads that file when it exists; a variable already in the environment wins over it.

Production never reads it. The web server (`newsroom/wsgi.py`, `newsroom/asgi.py`, Gunicorn)
reads no file at all: the process manager gives it its environment. `make serve` runs its
`manage.py` steps with `DJANGO_ENV_FILE` set but empty, which means no file, so they see the
same settings as the server. `DJANGO_ENV_FILE=path` makes `manage.py` read that file instead.

The format is the common subset: `NAME=value` lines, `export NAME=value`, blank lines and
`#` comments, values optionally in single or double quotes. Nothing is expanded.

This module imports nothing from Django: `make run` writes the file before settings can load.
"""

import argparse
import os
import re
import secrets
import sys
from pathlib import Path

VARIABLE = "DJANGO_ENV_FILE"
LINE = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
# An address `make run` wrote, which it may move to another port; any other is the user's.
LOCAL_SITE_URL = re.compile(r"^http://127\.0\.0\.1:\d+/?$")
# The newsroom's time zone in a new development file (settings.TIME_ZONE defaults to UTC).
DEVELOPMENT_TIME_ZONE = "Europe/London"


class EnvFileError(Exception):
    """A file that can't be read or has a line that is not NAME=value."""


def parse(text: str, origin: str = ".env") -> dict[str, str]:
    values = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        if not match:
            raise EnvFileError(f"{origin}, line {number}: expected NAME=value, not {raw!r}.")
        name, value = match.groups()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def chosen_file(default: Path | None) -> Path | None:
    """The file to read: the one DJANGO_ENV_FILE names (none when it is set but empty),
    otherwise `default` when it exists."""
    if VARIABLE in os.environ:
        named = os.environ[VARIABLE].strip()
        if not named:
            return None
        path = Path(named)
        if not path.is_file():
            raise EnvFileError(f"{VARIABLE} names {named}, which is not a file.")
        return path
    if default is not None and default.is_file():
        return default
    return None


def load(default: Path | None = None) -> Path | None:
    """Adds the chosen file's variables to the environment, without replacing any already
    there. Returns the file read, if any."""
    path = chosen_file(default)
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EnvFileError(f"{path} can't be read: {error}") from error
    for name, value in parse(text, origin=str(path)).items():
        os.environ.setdefault(name, value)
    return path


def write_development_file(path: Path, *, port: int) -> str:
    """Creates or updates a development `.env`: debug on and a secret key unless the file
    already sets them, and NEWSROOM_SITE_URL on `port` unless the file names another address
    than a local one. Every other line is kept. Returns what changed, for `make run` to say."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    present = parse("\n".join(lines), origin=str(path))
    site_url = f"http://127.0.0.1:{port}"
    changes = []
    if not lines:
        lines = [
            "# Development settings, written by `make run` and read by manage.py only (never by",
            "# the web server; see newsroom/envfile.py). Keep it out of git; never deploy it.",
        ]
    if "DJANGO_DEBUG" not in present:
        lines = _set(lines, "DJANGO_DEBUG", "true")
        changes.append("debug on")
    if not present.get("DJANGO_SECRET_KEY"):
        lines = _set(lines, "DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
        changes.append("a new secret key")
    current = present.get("NEWSROOM_SITE_URL")
    if current is None or (LOCAL_SITE_URL.match(current) and current.rstrip("/") != site_url):
        lines = _set(lines, "NEWSROOM_SITE_URL", site_url)
        changes.append(f"site at {site_url}")
    if not present:
        # The demo newsroom's clock (#16): readers see "14:30 BST", not UTC. Only in a new
        # file: a zone already chosen, or left out on purpose, stays as it is.
        lines = _set(lines, "TIME_ZONE", DEVELOPMENT_TIME_ZONE)
        changes.append(f"times in {DEVELOPMENT_TIME_ZONE}")
    if changes:
        # It holds a secret key: readable by its owner only, from the start.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with open(descriptor, "w", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")
    return ", ".join(changes)


def _set(lines: list[str], name: str, value: str) -> list[str]:
    """The lines with `name` set to `value`: its line replaced, or a new one at the end."""
    new = f"{name}={value}"
    if any(_name(line) == name for line in lines):
        return [new if _name(line) == name else line for line in lines]
    return [*lines, new]


def _name(line: str) -> str | None:
    match = LINE.match(line.strip())
    return match.group(1) if match else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m newsroom.envfile",
        description="Create or update the development .env that manage.py reads.",
    )
    parser.add_argument("--port", type=int, default=8000, help="the port `make run` serves on")
    parser.add_argument("--file", type=Path, default=Path(".env"), help="default: .env")
    args = parser.parse_args(argv)
    try:
        changes = write_development_file(args.file, port=args.port)
    except (OSError, EnvFileError) as error:
        sys.exit(f"{args.file}: {error}")
    if changes:
        sys.stdout.write(f"{args.file}: {changes} (for development only; see .env.example)\n")


if __name__ == "__main__":
    main()

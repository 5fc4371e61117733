"""Loaded by pytest (`-p tests.environment`) before pytest-django reads the settings.

Tests run with debug off, as production does, so settings.py needs a secret key.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "newsroom-tests-only-not-a-secret")
# Close connections after each request, so that no thread (the live server's) holds the test
# database open when pytest-django drops it.
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "0")

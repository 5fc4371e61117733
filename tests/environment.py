"""Loaded by pytest (`-p tests.environment`) before pytest-django reads the settings.

Tests run with debug off, as production does, so settings.py needs a secret key. The test
client and the live server speak plain HTTP, so the HTTPS redirect and secure-only cookies
are off (NEWSROOM_HTTPS); tests/test_security_https.py checks the production values.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "newsroom-tests-only-not-a-secret")
os.environ.setdefault("NEWSROOM_HTTPS", "false")
# Close connections after each request, so that no thread (the live server's) holds the test
# database open when pytest-django drops it.
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "0")

"""Loaded by pytest (`-p tests.environment`) before pytest-django reads the settings.

The suite sets its own environment and never takes the caller's (#13): with DJANGO_DEBUG=true
exported in a developer's shell, the route-walking tests once saw debug's /media/ route. Every
variable Newsroom reads is removed here, except the two that choose what the suite runs
against: DATABASE_URL (SQLite or PostgreSQL) and REDIS_URL (the Redis of tests/deploy). CI
(a missing browser fails) and HYPOTHESIS_PROFILE (tests/conftest.py) are the caller's too.

Tests run with debug off, as production does, so settings.py needs a secret key. The test
client and the live server speak plain HTTP, so the HTTPS redirect and secure-only cookies
are off (NEWSROOM_HTTPS); tests/test_security_https.py checks the production values.
"""

import os

KEPT = {"DATABASE_URL", "REDIS_URL"}
# Read by settings.py, Gunicorn's configuration or boto3 (.env.example lists them).
PREFIXES = ("DJANGO_", "NEWSROOM_", "AWS_")
OTHERS = {
    "TIME_ZONE",
    "BIND",
    "HOST",
    "PORT",
    "WEB_CONCURRENCY",
    "GUNICORN_CMD_ARGS",
    "FORWARDED_ALLOW_IPS",
    # Email (#15): the tests use Django's locmem backend and send nothing anywhere.
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    # Webhooks' allowed private targets (#18): the tests allow their own receiver.
    "WEBHOOK_ALLOWED_HOSTS",
}

TEST_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "newsroom-tests-only-not-a-secret",
    "NEWSROOM_HTTPS": "false",
    # Close connections after each request, so that no thread (the live server's) holds the
    # test database open when pytest-django drops it.
    "DJANGO_CONN_MAX_AGE": "0",
    # Jobs run inside the request that enqueued them; tests of the queue itself choose the
    # database backend and a worker process (#15).
    "NEWSROOM_TASKS_BACKEND": "immediate",
}


def is_cleared(name: str) -> bool:
    return name not in KEPT and (name.startswith(PREFIXES) or name in OTHERS)


for _name in [name for name in os.environ if is_cleared(name)]:
    del os.environ[_name]
os.environ.update(TEST_ENVIRONMENT)

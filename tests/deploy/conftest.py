"""Fixtures of the deployment tests (tests/deploy/servers.py starts the processes)."""

import os
import uuid

import pytest
from django.conf import global_settings
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.factories import EditorFactory

from . import servers


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The static files as `collectstatic` names them in production (hashed, listed in the
    manifest WhiteNoise's storage reads), without the gzip and Brotli copies, which take 20 s."""
    root = tmp_path_factory.mktemp("static")
    storages = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture(scope="module")
def app_setup(request, django_db_setup, tmp_path_factory):
    """What the app servers of a test module share (servers.Setup). Skips on SQLite; skips
    when Gunicorn or Redis is missing, and fails in CI."""
    servers.require_postgresql(connection)
    servers.require(servers.gunicorn_path(), "Gunicorn is not installed (make venv)")
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    redis = servers.redis_client(redis_url)
    servers.require(redis, f"no Redis answers at {redis_url} (set REDIS_URL)")
    setup = servers.Setup(
        database=servers.database_url(connection.settings_dict),  # The test database.
        redis_url=redis_url,
        redis=redis,
        key_prefix=f"newsroom-test-{uuid.uuid4().hex}",
        static_root=request.getfixturevalue("static_root"),
        media_root=tmp_path_factory.mktemp("media"),
        log_dir=tmp_path_factory.mktemp("logs"),
    )
    yield setup
    setup.forget_cache()
    redis.close()


@pytest.fixture
def editor_with_password(settings):
    """An editor who logs in with tests.factories' password, hashed with Django's default
    hasher as the app servers expect (the other tests use a fast one they don't know)."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    return EditorFactory()

"""settings.py reads the environment and refuses unsafe starts."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


SUMMARY = (
    "from django.conf import settings as s; "
    "print(s.DEBUG, s.TIME_ZONE, s.DATABASES['default']['ENGINE'])"
)


def load_settings(code=SUMMARY, timeout=None, **env):
    """Runs `code` in a fresh interpreter whose environment has only the given variables."""
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# A bucket at an S3-compatible provider, for the storage tests.
S3_ENV = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DATABASE_URL": "sqlite://",
    "NEWSROOM_S3_BUCKET": "newsroom-media",
    "NEWSROOM_S3_ENDPOINT_URL": "https://s3.example.net",
    "NEWSROOM_S3_REGION": "eu-west-1",
}


class SettingsTests:
    def test_refuses_to_start_without_a_secret_key_when_debug_is_off(self):
        result = load_settings(DATABASE_URL="sqlite:///:memory:")
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY is not set" in result.stderr

    def test_debug_runs_without_a_secret_key(self):
        result = load_settings(DJANGO_DEBUG="true", DATABASE_URL="sqlite:///:memory:")
        assert result.stdout.split() == ["True", "UTC", "django.db.backends.sqlite3"]

    def test_reads_the_environment(self):
        result = load_settings(
            DJANGO_SECRET_KEY="x" * 50,
            TIME_ZONE="Europe/London",
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
        )
        assert result.stdout.split() == ["False", "Europe/London", "django.db.backends.postgresql"]

    @pytest.mark.slow
    def test_redis_url_selects_the_redis_cache_and_it_works(self):
        code = (
            "import django; django.setup(); from django.core.cache import cache; "
            "cache.set('newsroom-test', 'ok', 5); print(cache.get('newsroom-test'))"
        )
        result = load_settings(
            code,
            DJANGO_SECRET_KEY="x" * 50,
            DATABASE_URL="sqlite://",
            REDIS_URL="redis://127.0.0.1:6379/15",
        )
        assert result.stdout.strip() == "ok", result.stderr

    @pytest.mark.slow
    def test_a_redis_that_stops_answering_times_out(self):
        """A Redis that accepts connections but never answers gives up after the socket
        timeout (the page is then served uncached), instead of holding the worker."""
        code = (
            "import django; django.setup(); from django.core.cache import cache\n"
            "try:\n    cache.get('newsroom-test')\n"
            "except Exception as error:\n    print(type(error).__name__)"
        )
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen()
            port = silent.getsockname()[1]
            result = load_settings(
                code,
                timeout=60,
                DJANGO_SECRET_KEY="x" * 50,
                DATABASE_URL="sqlite://",
                REDIS_URL=f"redis://127.0.0.1:{port}/0",
            )
        assert result.stdout.strip() == "TimeoutError", result.stderr

    def test_without_redis_url_the_cache_is_local_memory(self):
        code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
        result = load_settings(code, DJANGO_DEBUG="true", DATABASE_URL="sqlite://")
        assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"

    @pytest.mark.parametrize(
        ("env", "expected"),
        [
            ({}, [0, 300, 60, []]),
            ({"REDIS_URL": "redis://127.0.0.1:6379/15"}, [300, 300, 60, []]),
            (
                {
                    "REDIS_URL": "redis://127.0.0.1:6379/15",
                    "NEWSROOM_PAGE_CACHE_SECONDS": "0",
                    "NEWSROOM_EDGE_CACHE_SECONDS": "",
                    "NEWSROOM_BROWSER_CACHE_SECONDS": "30",
                    "NEWSROOM_PURGE_URLS": "http://10.0.0.5:6081,http://10.0.0.6:6081",
                },
                [0, 300, 30, ["http://10.0.0.5:6081", "http://10.0.0.6:6081"]],
            ),
        ],
    )
    def test_page_cache_settings(self, env, expected):
        """The page cache is on only with a cache every worker shares (Redis)."""
        code = (
            "import json; from django.conf import settings as s; c = s.PAGE_CACHE; "
            "print(json.dumps([c['SECONDS'], c['EDGE_SECONDS'], c['BROWSER_SECONDS'], "
            "c['PURGE_URLS']]))"
        )
        result = load_settings(code, DJANGO_DEBUG="true", DATABASE_URL="sqlite://", **env)
        assert json.loads(result.stdout) == expected, result.stderr

    @pytest.mark.parametrize(
        ("env", "message"),
        [
            ({"TIME_ZONE": "Mars/Olympus"}, "not a known time zone"),
            ({"DJANGO_DEBUG": "maybe"}, "must be true or false"),
        ],
    )
    def test_bad_values_are_explained(self, env, message):
        result = load_settings(DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="sqlite://", **env)
        assert result.returncode != 0 and message in result.stderr


STORAGES = "from django.conf import settings as s; import json; print(json.dumps(s.STORAGES))"


class StorageSettingsTests:
    @pytest.mark.slow
    def test_static_files_are_hashed_and_compressed_unless_debug_is_on(self):
        production = load_settings(STORAGES, DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="sqlite://")
        debug = load_settings(STORAGES, DJANGO_DEBUG="true", DATABASE_URL="sqlite://")
        assert json.loads(production.stdout)["staticfiles"]["BACKEND"] == (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
        assert json.loads(debug.stdout)["staticfiles"]["BACKEND"] == (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
        )

    def test_media_stays_on_the_local_disk_without_a_bucket(self):
        result = load_settings(STORAGES, DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="sqlite://")
        assert json.loads(result.stdout)["default"] == {
            "BACKEND": "django.core.files.storage.FileSystemStorage"
        }

    @pytest.mark.slow
    def test_a_bucket_puts_media_in_s3_compatible_storage(self):
        code = (
            "import django, json; django.setup(); from django.conf import settings as s; "
            "from django.core.files.storage import storages; d = storages['default']; "
            "print(json.dumps([s.STORAGES['default'], type(d).__name__, d.url('images/a.jpg')]))"
        )
        result = load_settings(
            code,
            **S3_ENV,
            NEWSROOM_S3_CUSTOM_DOMAIN="media.example.org",
        )
        assert result.returncode == 0, result.stderr
        storage, storage_class, url = json.loads(result.stdout)
        assert storage == {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "newsroom-media",
                "endpoint_url": "https://s3.example.net",
                "region_name": "eu-west-1",
                "custom_domain": "media.example.org",
                "querystring_auth": False,
                "default_acl": None,
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "max-age=31536000, public, immutable"},
            },
        }
        # The storage loads with these options and makes public URLs without contacting S3.
        assert storage_class == "S3Storage"
        assert url == "https://media.example.org/images/a.jpg"

    @pytest.mark.slow
    def test_without_a_custom_domain_urls_point_at_the_endpoint_unsigned(self):
        code = (
            "import django; django.setup(); "
            "from django.core.files.storage import default_storage as d; "
            "print(d.url('images/a.jpg'))"
        )
        result = load_settings(
            code,
            **S3_ENV,
        )
        assert result.stdout.strip() == "https://s3.example.net/newsroom-media/images/a.jpg", (
            result.stderr
        )

    def test_a_bucket_without_django_storages_is_explained(self):
        code = "import sys; sys.modules['storages'] = None; " + STORAGES  # as if not installed
        result = load_settings(
            code, DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="sqlite://", NEWSROOM_S3_BUCKET="b"
        )
        assert result.returncode != 0
        assert 'django-storages is not installed: pip install ".[s3]"' in result.stderr


EMAIL = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND.rsplit('.', 2)[-2], s.EMAIL_HOST or '-', s.EMAIL_PORT, "
    "s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL.replace(' ', '_'))"
)


class EmailSettingsTests:
    """Notification emails (#15): printed in development, SMTP from the environment."""

    def test_debug_prints_emails_on_the_console(self):
        result = load_settings(EMAIL, DJANGO_DEBUG="true", DATABASE_URL="sqlite://")
        assert result.stdout.split() == [
            "console",
            "-",
            "587",
            "True",
            "Newsroom_<newsroom@localhost>",
        ]

    def test_smtp_settings_come_from_the_environment(self):
        result = load_settings(
            EMAIL,
            DJANGO_SECRET_KEY="x" * 50,
            DATABASE_URL="sqlite://",
            EMAIL_HOST="smtp.example.org",
            EMAIL_PORT="465",
            EMAIL_USE_TLS="false",
            DEFAULT_FROM_EMAIL="desk@example.org",
        )
        assert result.stdout.split() == [
            "smtp",
            "smtp.example.org",
            "465",
            "False",
            "desk@example.org",
        ]

    def test_without_a_mail_server_nothing_is_sent(self):
        result = load_settings(EMAIL, DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="sqlite://")
        assert result.stdout.split()[0] == "dummy"


def test_the_project_app_is_its_own_configuration_with_its_checks():
    """ "newsroom" in INSTALLED_APPS is NewsroomConfig, whose ready() registers the deploy
    checks (#7) and the departures' guard (#13): a library's configuration imported into
    newsroom/apps.py once made Django take neither and skip them (#15)."""
    from django.apps import apps
    from django.core import checks

    from newsroom.apps import NewsroomConfig
    from newsroom.security import check_site_url

    assert type(apps.get_app_config("newsroom")) is NewsroomConfig
    assert check_site_url in checks.registry.registry.get_checks(include_deployment_checks=True)

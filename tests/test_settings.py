"""settings.py reads the environment and refuses unsafe starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


SUMMARY = (
    "from django.conf import settings as s; "
    "print(s.DEBUG, s.TIME_ZONE, s.DATABASES['default']['ENGINE'])"
)


def load_settings(code=SUMMARY, **env):
    """Runs `code` in a fresh interpreter whose environment has only the given variables."""
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


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

    def test_without_redis_url_the_cache_is_local_memory(self):
        code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
        result = load_settings(code, DJANGO_DEBUG="true", DATABASE_URL="sqlite://")
        assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"

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

"""The suite takes nothing from the caller's environment (#13; tests/environment.py)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# Imported while the tests are collected, as other test modules import it: pytest-django turns
# DEBUG off for each test, too late for the routes the URLconf makes when imported.
from newsroom import media
from newsroom import urls as site_urls
from tests import environment

ROOT = Path(__file__).resolve().parents[1]

# A developer's shell after some local work: debug on, another address and time zone, and a
# settings module of their own.
CALLERS_ENVIRONMENT = {
    "DJANGO_DEBUG": "true",
    "DJANGO_SETTINGS_MODULE": "mysite.settings",
    "DJANGO_ENV_FILE": "/nonexistent/.env",
    "NEWSROOM_SITE_URL": "http://127.0.0.1:8200",
    "NEWSROOM_HTTPS": "true",
    "TIME_ZONE": "Asia/Tokyo",
    "PORT": "8200",
}


class SuiteEnvironmentTests:
    def test_the_settings_are_the_suites_own(self):
        # Read from DJANGO_DEBUG by settings.py itself (pytest-django resets only DEBUG).
        assert settings.NEWSROOM_LOG_FORMAT == "json"
        # Uploads are served by the app's own view (#16), not by the debug-only static() route.
        media_routes = [route for route in site_urls.urlpatterns if "media/" in str(route.pattern)]
        assert [route.callback for route in media_routes] == [media.serve_media]
        assert settings.SITE_URL == "http://127.0.0.1:8000"
        assert settings.TIME_ZONE == "UTC"
        assert settings.SECURE_SSL_REDIRECT is False

    @pytest.mark.slow
    def test_what_the_caller_exported_changes_nothing(self):
        """The test above, run by a pytest started from that shell."""
        test = f"{Path(__file__).relative_to(ROOT)}::SuiteEnvironmentTests"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:randomly",
                f"{test}::test_the_settings_are_the_suites_own",
            ],
            cwd=ROOT,
            env={**os.environ, **CALLERS_ENVIRONMENT},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 passed" in result.stdout

    def test_every_variable_newsroom_reads_is_cleared_or_chosen_on_purpose(self):
        documented = re.findall(
            r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE
        )
        assert "DJANGO_DEBUG" in documented and "NEWSROOM_SITE_URL" in documented
        left = [
            name
            for name in documented
            if not environment.is_cleared(name) and name not in environment.KEPT
        ]
        assert left == []


class HypothesisProfileTests:
    @pytest.mark.parametrize(
        ("env", "expected"),
        [({}, [30, 10]), ({"CI": "true"}, [300, 60]), ({"HYPOTHESIS_PROFILE": "ci"}, [300, 60])],
    )
    def test_every_example_in_ci_a_tenth_elsewhere(self, env, expected):
        code = "from tests.properties import examples; print(examples(300), examples(60))"
        environment = {"PATH": os.environ["PATH"], **env}
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
        )
        assert [int(n) for n in result.stdout.split()] == expected, result.stderr

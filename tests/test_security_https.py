"""HTTPS in production (#7). The tests run over plain HTTP with NEWSROOM_HTTPS off
(tests/environment.py); here the settings are loaded as production loads them, in a fresh
interpreter with a production environment, and the site is then driven with exactly those
values."""

import json
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from tests.articles.workflow_http import LOGIN
from tests.factories import EditorFactory
from tests.test_settings import ROOT, load_settings

PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "NEWSROOM_SITE_URL": "https://news.example.org",
    "DATABASE_URL": "sqlite://",
}
PASSWORD = "correct horse battery staple"

SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "X_FRAME_OPTIONS",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "ALLOWED_HOSTS",
    "SITE_URL",
]


def security_settings(**env):
    """The security settings as settings.py computes them from this environment."""
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = load_settings(code, **env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"] is not None:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def check_deploy(**env):
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        # Not the development .env `make run` may have written beside manage.py.
        "DJANGO_ENV_FILE": "",
        **env,
    }
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)


class DeployCheckTests:
    @pytest.mark.slow
    def test_production_settings_pass_check_deploy_without_a_single_warning(self):
        result = check_deploy(**PRODUCTION)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout == "System check identified no issues (0 silenced).\n"
        assert "WARNING" not in result.stderr and "(security." not in result.stderr

    @pytest.mark.slow
    def test_behind_a_proxy_too(self):
        result = check_deploy(**PRODUCTION, NEWSROOM_PROXY_SSL_HEADER="X-Forwarded-Proto")
        assert result.returncode == 0, result.stdout + result.stderr

    @pytest.mark.slow
    def test_a_site_url_left_at_its_default_is_reported(self):
        env = {**PRODUCTION}
        del env["NEWSROOM_SITE_URL"]
        result = check_deploy(**env)
        assert result.returncode != 0
        assert "newsroom.W001" in result.stderr and "newsroom.W002" in result.stderr

    @pytest.mark.slow
    def test_https_off_is_reported(self):
        result = check_deploy(**PRODUCTION, NEWSROOM_HTTPS="false")
        assert result.returncode != 0
        # W012: the session cookie isn't Secure, with Django's session app and middleware
        # (which its check looks for by name, so newsroom/sessions.py keeps Django's).
        for warning in ["security.W004", "security.W008", "security.W012", "security.W016"]:
            assert warning in result.stderr


class HttpsSettingsTests:
    def test_production_defaults(self):
        values = security_settings(**PRODUCTION)
        assert values == {
            "SECURE_SSL_REDIRECT": True,
            "SESSION_COOKIE_SECURE": True,
            "CSRF_COOKIE_SECURE": True,
            "SECURE_HSTS_SECONDS": 31536000,
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
            "SECURE_HSTS_PRELOAD": True,
            "SECURE_PROXY_SSL_HEADER": None,
            "CSRF_TRUSTED_ORIGINS": ["https://news.example.org"],
            "SESSION_COOKIE_HTTPONLY": True,
            "CSRF_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "CSRF_COOKIE_SAMESITE": "Lax",
            "X_FRAME_OPTIONS": "DENY",
            "SECURE_REFERRER_POLICY": "strict-origin-when-cross-origin",
            "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
            "ALLOWED_HOSTS": ["news.example.org"],
            "SITE_URL": "https://news.example.org",
        }

    def test_debug_serves_plain_http(self):
        values = security_settings(DJANGO_DEBUG="true", DATABASE_URL="sqlite://")
        assert not values["SECURE_SSL_REDIRECT"] and not values["SESSION_COOKIE_SECURE"]
        assert values["SECURE_HSTS_SECONDS"] == 0 and not values["SECURE_HSTS_PRELOAD"]

    @pytest.mark.slow
    def test_the_environment_tunes_it(self):
        values = security_settings(
            **PRODUCTION,
            NEWSROOM_PROXY_SSL_HEADER="X-Forwarded-Proto",
            NEWSROOM_HSTS_SECONDS="300",
            DJANGO_CSRF_TRUSTED_ORIGINS="https://news.example.org,https://desk.example.org",
        )
        assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
        assert values["SECURE_HSTS_SECONDS"] == 300
        assert values["CSRF_TRUSTED_ORIGINS"] == [
            "https://news.example.org",
            "https://desk.example.org",
        ]
        off = security_settings(**PRODUCTION, NEWSROOM_HSTS_SECONDS="0")
        assert off["SECURE_HSTS_SECONDS"] == 0 and not off["SECURE_HSTS_PRELOAD"]

    @pytest.mark.parametrize(
        ("env", "message"),
        [
            ({"NEWSROOM_HTTPS": "sometimes"}, "NEWSROOM_HTTPS must be true or false"),
            ({"NEWSROOM_HSTS_SECONDS": "a year"}, "NEWSROOM_HSTS_SECONDS must be a whole number"),
            ({"NEWSROOM_PROXY_COUNT": "-1"}, "NEWSROOM_PROXY_COUNT must be a whole number"),
        ],
    )
    def test_bad_values_are_explained(self, env, message):
        result = load_settings(**PRODUCTION, **env)
        assert result.returncode != 0 and message in result.stderr


@pytest.mark.django_db
class ProductionRequestTests:
    """The site under the production values, as a browser and a proxy reach it."""

    @pytest.fixture
    def production(self, settings):
        values = security_settings(**PRODUCTION, NEWSROOM_PROXY_SSL_HEADER="X-Forwarded-Proto")
        for name, value in values.items():
            setattr(settings, name, value)
        return values

    def test_plain_http_is_redirected_to_https(self, client, production):
        response = client.get("/corrections/?page=2", HTTP_HOST="news.example.org")
        assert response.status_code == 301
        assert response["Location"] == "https://news.example.org/corrections/?page=2"

    def test_https_through_the_proxy_is_served_with_hsts(self, client, production):
        response = client.get("/", HTTP_HOST="news.example.org", HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )

    def test_a_client_cannot_claim_https_without_the_configured_proxy(self, client, settings):
        for name, value in security_settings(**PRODUCTION).items():
            setattr(settings, name, value)
        response = client.get("/", HTTP_HOST="news.example.org", HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 301

    def test_cookies_are_secure_http_only_and_same_site(self, client, production):
        editor = EditorFactory()
        https = {"secure": True, "HTTP_HOST": "news.example.org"}
        client.get(LOGIN, **https)
        response = client.post(LOGIN, {"username": editor.username, "password": PASSWORD}, **https)
        assert response.status_code == 302
        for name in ["sessionid", "csrftoken"]:
            cookie = client.cookies[name]
            assert cookie["secure"] is True, name
            assert cookie["httponly"] is True, name
            assert cookie["samesite"] == "Lax", name

    def test_the_admin_accepts_its_own_forms_behind_the_proxy(self, production):
        client = Client(enforce_csrf_checks=True)
        editor = EditorFactory()
        proxied = {"HTTP_HOST": "news.example.org", "HTTP_X_FORWARDED_PROTO": "https"}
        page = client.get(LOGIN, **proxied)
        token = page.context["csrf_token"]
        data = {"username": editor.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        forged = client.post(LOGIN, data, HTTP_ORIGIN="https://evil.example", **proxied)
        assert forged.status_code == 403
        ours = client.post(LOGIN, data, HTTP_ORIGIN="https://news.example.org", **proxied)
        assert ours.status_code == 302

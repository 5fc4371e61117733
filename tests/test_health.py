"""/healthz (#7): 200 while the database and the cache answer, 503 without saying why, for any
Host, over plain HTTP, never cached and never setting a cookie."""

from contextlib import contextmanager

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

pytestmark = pytest.mark.django_db


@contextmanager
def database_unreachable(tmp_path):
    """The default database alias pointing at a database that isn't there: a closed port for
    PostgreSQL, a file in a missing folder for SQLite. The test's own connection is kept
    aside and put back afterwards."""
    working = connections[DEFAULT_DB_ALIAS]
    unreachable = {**working.settings_dict}
    if working.vendor == "postgresql":
        unreachable.update(HOST="127.0.0.1", PORT="1")
    else:
        unreachable["NAME"] = str(tmp_path / "missing" / "newsroom.sqlite3")
    broken = type(working)(unreachable, alias=DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = broken
    try:
        yield
    finally:
        broken.close()
        connections[DEFAULT_DB_ALIAS] = working


@pytest.fixture
def database_down(tmp_path):
    with database_unreachable(tmp_path):
        yield


@pytest.fixture
def cache_down(settings):
    """The page cache's store is a Redis that doesn't answer (as in test_page_cache.py)."""
    settings.CACHES = {
        **settings.CACHES,
        "down": {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "CACHE": "down"}


def assert_not_cacheable(response):
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies and "Set-Cookie" not in response
    assert "X-Page-Cache" not in response and "Surrogate-Key" not in response


class HealthTests:
    def test_ok_when_the_database_and_cache_answer(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.content == b"ok"
        assert response["Content-Type"].startswith("text/plain")
        assert_not_cacheable(response)
        assert client.head("/healthz").status_code == 200

    def test_unavailable_when_the_database_is_unreachable(self, client, database_down, caplog):
        response = client.get("/healthz")
        assert response.status_code == 503
        # The reason is logged for the operator, not shown to whoever asks.
        assert response.content == b"unavailable"
        assert_not_cacheable(response)
        assert "Health check failed: database:" in caplog.text

    def test_unavailable_when_the_cache_is_unreachable(self, client, cache_down, caplog):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.content == b"unavailable"
        assert "Health check failed: cache:" in caplog.text
        assert "Error" not in response.content.decode()

    def test_a_failure_is_reported_at_once_even_with_the_page_cache_on(
        self, client, settings, tmp_path
    ):
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}
        assert client.get("/healthz").status_code == 200
        # The database going away before the next probe: no stored "ok" hides it.
        with database_unreachable(tmp_path):
            assert client.get("/healthz").status_code == 503

    def test_answers_whatever_host_the_load_balancer_sends(self, client):
        # Probes often carry the server's IP address, which ALLOWED_HOSTS doesn't list.
        assert client.get("/", headers={"host": "10.0.0.7"}).status_code == 400
        response = client.get("/healthz", headers={"host": "10.0.0.7"})
        assert response.status_code == 200 and response.content == b"ok"

    def test_answers_plain_http_when_https_is_enforced(self, client, settings):
        settings.SECURE_SSL_REDIRECT = True
        assert client.get("/").status_code == 301
        response = client.get("/healthz")
        assert response.status_code == 200 and response.content == b"ok"

    def test_refuses_writes_and_leaves_other_paths_alone(self, client):
        response = client.post("/healthz")
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
        assert client.get("/healthz/").status_code == 404

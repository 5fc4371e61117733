"""Readers' pages only read (#7): every public page answers GET and HEAD, and any other method
with 405, an `Allow: GET, HEAD` header and the site's own page; a POST is refused as a wrong
method, never as a CSRF failure. The admin still takes forms, CSRF-protected."""

import pytest
from django.test import Client

from tests.factories import EditorFactory
from tests.public_pages import address, public_site

pytestmark = pytest.mark.django_db

WRITES = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "BREW"]


@pytest.fixture
def pages():
    return [address(route, values) for route, values in public_site().items()]


@pytest.fixture
def client():
    """A browser's client: CSRF checks on, and a 500 returned rather than raised."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def body(response):
    """The body; a file's (an uploaded picture) is read to the end, which closes it."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_refused(response, request):
    assert response.status_code == 405, request
    assert response["Allow"] == "GET, HEAD", request
    path = request[1] if isinstance(request, tuple) else request
    if path.startswith("/api/"):
        # The Content API's clients read JSON (#18).
        assert response.json() == {"detail": "The API only reads: use GET or HEAD."}, request
        assert "Surrogate-Key" not in response, request
        return
    html = response.content.decode()
    assert "This page can only be read" in html and 'class="masthead"' in html, request
    assert "Surrogate-Key" not in response, request


@pytest.mark.slow
def test_head_answers_like_get_without_a_body(client, pages):
    for path in pages:
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head["Content-Type"] == get["Content-Type"], path
        assert body(head) == b"", path
        assert body(get), path


@pytest.mark.slow
def test_other_methods_get_the_sites_405_page(client, pages):
    for path in pages:
        for method in WRITES:
            response = client.generic(method, path, "a=1", "application/x-www-form-urlencoded")
            assert_refused(response, (method, path))


def test_a_logged_in_post_is_refused_the_same_way(client, pages):
    client.force_login(EditorFactory())
    for path in pages:
        assert_refused(client.post(path, {"q": "x"}), path)


def test_the_refusal_is_never_cached(client, pages, settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}
    path = pages[0]
    for _ in range(2):
        response = client.post(path)
        assert_refused(response, path)
        assert "X-Page-Cache" not in response
    assert client.get(path)["X-Page-Cache"] == "miss"


@pytest.mark.slow
def test_unknown_addresses_are_404_whatever_the_method(client):
    for method in WRITES:
        response = client.generic(method, "/no/such/page/")
        assert response.status_code == 404, method
        assert "We can’t find that page" in response.content.decode()


def test_the_admin_still_takes_forms_behind_csrf(client):
    EditorFactory(username="desk")
    response = client.post("/admin/login/", {"username": "desk", "password": "x"})
    assert response.status_code == 403
    client.get("/admin/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/admin/login/",
        {"username": "desk", "password": "correct horse battery staple"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 302

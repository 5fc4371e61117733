"""Readers get the site's own error pages, and read-only pages refuse writes cleanly."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.factories import AuthorFactory, PublishedArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    article = PublishedArticleFactory()
    author = AuthorFactory()
    return ["/", article.get_absolute_url(), author.get_absolute_url()]


def test_server_error_uses_the_sites_500_page(settings):
    settings.ROOT_URLCONF = "tests.urls_failing"
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html and "ZeroDivisionError" not in html


def test_head_answers_and_writes_are_refused(client, urls):
    for url in urls:
        assert client.head(url).status_code == 200, url
        for method in (client.post, client.put, client.delete):
            assert method(url).status_code == 405, (method, url)


@pytest.mark.parametrize(
    "path",
    [
        "/2026/01/01/" + "a" * 300 + "/",
        "/authors/" + "a" * 300 + "/",
        "/2026/01/01/caf%C3%A9/",
        "/2026/01/01/x%00y/",
        "/authors/%00/",
    ],
)
def test_odd_addresses_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_forbidden_uses_the_sites_403_page():
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/admin/articles/article/add/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You can’t open this page" in html and 'class="masthead"' in html


def test_the_500_page_needs_no_database():
    """With every query failing, as when the database is down, readers still get the page."""

    def database_down(execute, sql, params, many, context):
        raise OperationalError("the database is down")

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()

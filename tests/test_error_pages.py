"""Readers get the site's own error pages, and read-only pages refuse writes cleanly."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from tests.factories import (
    AuthorFactory,
    PublishedArticleFactory,
    ReporterFactory,
    SectionFactory,
    UserFactory,
)

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


def test_a_refusal_on_the_public_site_uses_the_sites_403_page(settings):
    settings.ROOT_URLCONF = "tests.urls_failing"
    response = Client().get("/refused/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You can’t open this page" in html and 'class="masthead"' in html


class AdminRefusalTests:
    """A reporter refused in the admin got the public site's page, which told a signed-in
    user to sign in (#13)."""

    def test_a_reporter_refused_in_the_admin_gets_the_admins_page(self):
        client = Client()
        client.force_login(ReporterFactory())
        response = client.get(reverse("admin:auth_user_changelist"))
        assert response.status_code == 403
        html = response.content.decode()
        assert "Newsroom admin" in html and 'class="masthead"' not in html
        assert "sign in" not in html.lower()
        assert "What you can open" in html
        stories = reverse("admin:articles_article_changelist")
        assert f'href="{stories}"' in html  # What a reporter may do instead.
        assert reverse("admin:auth_user_changelist") + '"' not in html
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

    def test_the_refusals_reason_is_shown_escaped(self, settings):
        settings.ROOT_URLCONF = "tests.urls_failing"
        client = Client()
        client.force_login(ReporterFactory())
        response = client.get("/admin/refused/")
        assert response.status_code == 403
        html = response.content.decode()
        assert "Only editors may &lt;publish&gt; this." in html
        assert "<publish>" not in html

    def test_a_staff_member_without_any_permission_is_told_so(self):
        client = Client()
        client.force_login(UserFactory(is_staff=True))
        response = client.get(reverse("admin:articles_article_add"))
        assert response.status_code == 403
        html = response.content.decode()
        assert "Your account may not open this page" in html
        assert "What you can open" not in html


class WithoutTheDatabaseTests:
    """While the database is unreachable, a missing page became a server error because the 404
    page reads the menu's sections from it (#13)."""

    @staticmethod
    def database_down(execute, sql, params, many, context):
        raise OperationalError("the database is down")

    @pytest.mark.parametrize("path", ["/no-such-page/", "/authors/x/y/z/"])
    def test_a_missing_page_is_still_a_404(self, path):
        SectionFactory(name="Climate", in_navigation=True)
        client = Client(raise_request_exception=False)
        with connection.execute_wrapper(self.database_down):
            response = client.get(path)
        assert response.status_code == 404
        html = response.content.decode()
        assert "We can’t find that page" in html
        assert "Climate" not in html  # The menu, without the sections it couldn't read…
        assert "no-store" in response["Cache-Control"]  # …and kept by no cache.
        assert "Climate" in client.get(path).content.decode()  # Back with the database.

    def test_a_bad_request_is_still_a_400(self):
        client = Client(raise_request_exception=False)
        with connection.execute_wrapper(self.database_down):
            response = client.get("/?q=%00")
        assert response.status_code == 400


def test_the_500_page_needs_no_database():
    """With every query failing, as when the database is down, readers still get the page."""

    def database_down(execute, sql, params, many, context):
        raise OperationalError("the database is down")

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()

"""Every redirect stays on the site (#7): the admin's `next=`, and each redirect the site's own
code makes, whatever the request carries."""

from urllib.parse import quote, urlsplit

import pytest
from django.utils.http import url_has_allowed_host_and_scheme

from articles import services
from articles.permissions import SYSTEM
from articles.previews import preview_url
from tests.articles.workflow_http import (
    ADMIN_INDEX,
    LOGIN,
    admin_preview_url,
    change_url,
    login,
    page_form,
    preview_links_url,
    submit,
)
from tests.factories import (
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
OFF_SITE = [
    "//evil.example",
    "//evil.example/admin/",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "https://evil.example/admin/",
    "http:evil.example",
    "javascript:alert(1)",
    "data:text/html,hello",
    " //evil.example",
    "https://testserver@evil.example/",
]


def assert_on_site(response, expected_path=None):
    assert response.status_code in (301, 302), response.status_code
    location = response["Location"]
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    if expected_path is not None:
        assert urlsplit(location).path == expected_path


class AdminNextTests:
    @pytest.mark.parametrize("target", OFF_SITE)
    def test_login_refuses_to_send_anyone_off_the_site(self, client, target):
        user = EditorFactory()
        credentials = {"username": user.username, "password": PASSWORD}
        response = client.post(f"{LOGIN}?next={quote(target)}", credentials)
        assert_on_site(response, ADMIN_INDEX)

    @pytest.mark.parametrize("target", OFF_SITE)
    def test_login_form_field_next_is_checked_too(self, client, target):
        user = EditorFactory()
        response = client.post(
            LOGIN, {"username": user.username, "password": PASSWORD, "next": target}
        )
        assert_on_site(response, ADMIN_INDEX)

    def test_a_next_on_the_site_is_followed(self, client):
        user = EditorFactory()
        credentials = {"username": user.username, "password": PASSWORD}
        response = client.post(f"{LOGIN}?next=/admin/articles/article/", credentials)
        assert_on_site(response, "/admin/articles/article/")

    @pytest.mark.parametrize("target", OFF_SITE)
    def test_logout_refuses_to_send_anyone_off_the_site(self, target):
        client = login(EditorFactory())
        response = client.post(f"/admin/logout/?next={quote(target)}")
        if response.status_code != 200:  # the "logged out" page itself
            assert_on_site(response)


class OwnRedirectTests:
    def test_a_storys_old_address_redirects_to_its_address(self, client):
        story = PublishedArticleFactory(slug="harbour-tram")
        old = story.get_absolute_url()
        services.article_save(article=story, by=SYSTEM, changes={"slug": "harbour-tram-opens"})
        story.refresh_from_db()
        response = client.get(old)
        assert response.status_code == 301
        assert_on_site(response, story.get_absolute_url())

    def test_a_wrong_date_redirects_to_the_story(self, client):
        story = PublishedArticleFactory(slug="harbour-tram")
        response = client.get("/2001/01/01/harbour-tram/")
        assert_on_site(response, story.get_absolute_url())

    @pytest.mark.parametrize("prefix", ["//evil.example", "/\\evil.example", "/%2F%2Fevil.example"])
    def test_a_path_starting_like_another_host_is_not_redirected_there(self, client, prefix):
        SectionFactory(slug="city")
        for path in [prefix, f"{prefix}/sections/city", f"{prefix}/admin"]:
            response = client.get("/", PATH_INFO=path)
            if response.status_code in (301, 302):
                assert_on_site(response)
            else:
                assert response.status_code == 404, (path, response.status_code)

    def test_a_missing_slash_is_added_on_the_site(self, client):
        SectionFactory(slug="city")
        assert_on_site(client.get("/sections/city"), "/sections/city/")
        assert_on_site(client.get("/sections/city?next=//evil.example"), "/sections/city/")

    def test_a_shared_preview_of_a_live_story_redirects_to_the_story(self, client):
        story = DraftArticleFactory()
        link = services.preview_link_create(article=story, by=EditorFactory())
        services.article_publish(article=story, by=EditorFactory())
        story.refresh_from_db()
        assert_on_site(client.get(preview_url(link)), story.get_absolute_url())

    def test_the_admin_preview_of_a_live_story_redirects_to_the_story(self):
        story = PublishedArticleFactory()
        client = login(EditorFactory())
        assert_on_site(client.get(admin_preview_url(story)), story.get_absolute_url())

    def test_creating_a_preview_link_comes_back_to_the_same_page(self):
        story = DraftArticleFactory()
        client = login(EditorFactory())
        url = preview_links_url(story)
        response = client.post(
            url, {"next": "//evil.example"}, HTTP_REFERER="https://evil.example/"
        )
        assert_on_site(response, url)

    def test_a_button_on_the_story_form_comes_back_to_the_form(self):
        story = DraftArticleFactory()
        client = login(EditorFactory())
        url = f"{change_url(story)}?next=//evil.example&_changelist_filters=q%3D%2F%2Fevil"
        data = page_form(client.get(url), _submit="Submit for review")
        response = submit(client, url, data, HTTP_REFERER="https://evil.example/")
        assert_on_site(response, change_url(story))

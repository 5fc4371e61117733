"""How fresh readers' pages say they are (#16): Last-Modified is when what the page shows last
changed for readers (a story's publication or "Updated" time), never when it was rendered;
404 and 410 may be kept a while by browsers and CDNs, never for logged-in users."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from articles import services
from tests.factories import (
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
    WithdrawnArticleFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def at_second(moment):
    return http_date(int(moment.timestamp()))


class LastModifiedTests:
    def test_a_story_page_is_modified_when_readers_were_told(
        self, client, django_capture_on_commit_callbacks
    ):
        published = timezone.now() - timedelta(days=3)
        story = PublishedArticleFactory(published_at=published)
        for _ in range(2):  # Rendered, then from the page cache.
            assert client.get(story.get_absolute_url())["Last-Modified"] == at_second(published)
        with django_capture_on_commit_callbacks(execute=True):  # Purged as after a commit.
            services.article_correct(
                article=story, by=EditorFactory(), kind="correction", text="A name was wrong."
            )
        story.refresh_from_db()
        response = client.get(story.get_absolute_url())
        assert response["Last-Modified"] == at_second(story.revised_at)

    def test_a_list_is_modified_with_its_newest_story(self, client):
        section = SectionFactory()
        newest = timezone.now() - timedelta(hours=5)
        PublishedArticleFactory(section=section, published_at=newest - timedelta(days=2))
        PublishedArticleFactory(section=section, published_at=newest)
        for path in ("/", section.get_absolute_url()):
            assert client.get(path)["Last-Modified"] == at_second(newest), path

    def test_not_the_render_time(self, client):
        story = PublishedArticleFactory(published_at=timezone.now() - timedelta(days=30))
        response = client.get(story.get_absolute_url())
        assert parse_http_date(response["Last-Modified"]) < timezone.now().timestamp() - 86400

    def test_an_empty_site_claims_no_time(self, client):
        response = client.get("/")
        assert response.status_code == 200 and "Last-Modified" not in response
        assert response["ETag"]  # Readers still revalidate, by the page's content.

    def test_if_modified_since_the_content_time_is_not_modified(self, client):
        story = PublishedArticleFactory(published_at=timezone.now() - timedelta(days=3))
        modified = client.get(story.get_absolute_url())["Last-Modified"]
        response = client.get(story.get_absolute_url(), headers={"if-modified-since": modified})
        assert response.status_code == 304


class ErrorPageCachingTests:
    def test_a_missing_page_may_be_kept_a_minute(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert {"public", "max-age=60"} <= directives(response)
        assert "Surrogate-Key" not in response  # Varnish keeps no error page: nothing to purge.

    def test_a_withdrawn_story_may_be_kept_an_hour(self, client):
        story = WithdrawnArticleFactory()
        response = client.get(story.get_absolute_url())
        assert response.status_code == 410
        assert {"public", "max-age=3600"} <= directives(response)

    def test_the_lifetimes_are_settings(self, client, settings):
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "NOT_FOUND_SECONDS": 0}
        assert "Cache-Control" not in client.get("/no-such-page/")

    def test_logged_in_users_get_nothing_to_keep(self, client):
        client.force_login(EditorFactory())
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "public" not in directives(response)

    def test_the_admin_stays_private(self, client):
        response = client.get("/admin/no-such-page/")
        assert "public" not in directives(response)

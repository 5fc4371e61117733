import datetime
from datetime import timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from newsroom.timezones import machine_time
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
)

pytestmark = pytest.mark.django_db


class FrontPageTests:
    def test_empty_site_renders(self, client):
        response = client.get("/")
        assert response.status_code == 200
        assert "No stories have been published yet." in response.content.decode()

    def test_lists_live_stories_newest_first_with_byline_and_time(self, client):
        author = AuthorFactory(name="Sophia Martinez", slug="sophia-martinez")
        old = PublishedArticleFactory(published_at=timezone.now() - timedelta(days=2))
        new = PublishedArticleFactory(authors=[author], standfirst="The dek.")
        html = client.get("/").content.decode()
        assert html.index(new.headline) < html.index(old.headline)
        assert f'<a href="{new.get_absolute_url()}">' in html
        assert "The dek." in html
        assert '<a href="/authors/sophia-martinez/" rel="author">Sophia Martinez</a>' in html
        assert f'<time datetime="{machine_time(new.published_at)}">' in html

    def test_drafts_and_scheduled_stories_stay_off(self, client):
        draft, scheduled = DraftArticleFactory(), ScheduledArticleFactory()
        html = client.get("/").content.decode()
        assert draft.headline not in html and scheduled.headline not in html

    @pytest.mark.parametrize("page", ["abc", "0", "-1", "3", "99999999999999999999", "%00"])
    def test_bad_or_past_the_end_page_is_404(self, client, page):
        PublishedArticleFactory.create_batch(3)
        assert client.get("/", {"page": page}).status_code == 404

    def test_pages_link_to_each_other(self, client):
        PublishedArticleFactory.create_batch(21)
        first = client.get("/").content.decode()
        assert 'href="?page=2"' in first
        second = client.get("/", {"page": 2})
        assert second.status_code == 200
        assert len(second.context["article_list"]) == 1
        assert 'rel="prev" href="/"' in second.content.decode()  # Page 1 has no number.

    def test_head_is_allowed(self, client):
        assert client.head("/").status_code == 200


class ArticlePageTests:
    def test_shows_the_story(self, client):
        first, second = AuthorFactory(name="Ann Ames"), AuthorFactory(name="Bo Berg")
        article = PublishedArticleFactory(
            authors=[first, second],
            headline="Harbour’s tram “on time”",
            standfirst="A dek.",
            body="<p>One.</p>\n<p>Two.</p>",
        )
        article.tags.add("transport", "city hall")
        response = client.get(article.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert '<h1 class="story__headline">Harbour’s tram “on time”</h1>' in html
        assert "<p>One.</p>\n<p>Two.</p>" in html
        assert f'href="{first.get_absolute_url()}"' in html
        assert html.index("Ann Ames") < html.index("Bo Berg")
        assert "city hall" in html and "transport" in html
        assert f"<title>{article.headline} | Newsroom</title>" in html
        assert '<meta name="description" content="A dek.">' in html
        assert "Updated" not in html

    def test_shows_updated_after_a_real_update(self, client):
        article = PublishedArticleFactory(published_at=timezone.now() - timedelta(days=1))
        article.save()
        assert "Updated" not in client.get(article.get_absolute_url()).content.decode()
        article.revised_at = timezone.now()
        article.save()
        assert "Updated" in client.get(article.get_absolute_url()).content.decode()

    def test_user_text_is_escaped(self, client):
        article = PublishedArticleFactory(
            headline='<script>alert("h")</script>', standfirst="<b>dek</b>"
        )
        article.authors.first().__class__.objects.update(name="<i>Eve</i>")
        html = client.get(article.get_absolute_url()).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;h&quot;)&lt;/script&gt;" in html
        assert "&lt;b&gt;dek&lt;/b&gt;" in html
        assert "&lt;i&gt;Eve&lt;/i&gt;" in html

    def test_draft_and_scheduled_are_404(self, client):
        for article in (DraftArticleFactory(), ScheduledArticleFactory()):
            article.publication_date = article.publication_date or timezone.localdate()
            url = reverse(
                "articles:detail",
                kwargs={
                    "year": article.publication_date.year,
                    "month": article.publication_date.month,
                    "day": article.publication_date.day,
                    "slug": article.slug,
                },
            )
            assert client.get(url).status_code == 404

    def test_wrong_date_redirects_permanently_to_the_story(self, client):
        article = PublishedArticleFactory()
        for path in (
            f"/2001/1/1/{article.slug}/",
            f"/2001/02/30/{article.slug}/",
            f"/2001/99/99/{article.slug}/",
        ):
            response = client.get(path)
            assert response.status_code == 301, path
            assert response["Location"] == article.get_absolute_url()

    def test_unpadded_date_redirects_to_the_canonical_address(self, client):
        article = PublishedArticleFactory(
            slug="x", published_at=datetime.datetime(2026, 3, 5, 12, tzinfo=datetime.UTC)
        )
        response = client.get("/2026/3/5/x/")
        assert response.status_code == 301 and response["Location"] == "/2026/03/05/x/"
        assert article.get_absolute_url() == "/2026/03/05/x/"

    @pytest.mark.parametrize(
        "path", ["/99999999999999999999/1/1/x/", "/26/01/01/x/", "/2026/001/01/x/"]
    )
    def test_malformed_dates_are_404(self, client, path):
        PublishedArticleFactory(slug="x")
        assert client.get(path).status_code == 404

    def test_unknown_slug_is_404_with_the_sites_page(self, client):
        response = client.get("/2026/01/01/no-such-story/")
        assert response.status_code == 404
        assert "We can’t find that page" in response.content.decode()

    def test_url_round_trips(self):
        article = PublishedArticleFactory()
        match = resolve(article.get_absolute_url())
        assert match.view_name == "articles:detail"
        assert match.kwargs["slug"] == article.slug

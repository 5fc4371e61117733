import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleRedirect, slug_for
from articles.permissions import SYSTEM
from tests.factories import ArticleFactory, PublishedArticleFactory, ScheduledArticleFactory

pytestmark = pytest.mark.django_db


def at(*args, tz=datetime.UTC):
    return datetime.datetime(*args, tzinfo=tz)


class ArticleConstraintTests:
    def test_a_published_story_needs_a_publication_time(self):
        article = ArticleFactory()
        article.status = Article.Status.PUBLISHED
        with pytest.raises(IntegrityError), transaction.atomic():
            article.save()

    def test_slug_is_unique_per_publication_date_in_the_database(self):
        PublishedArticleFactory(slug="budget", published_at=at(2026, 3, 1, 9))
        with pytest.raises(IntegrityError), transaction.atomic():
            PublishedArticleFactory(slug="budget", published_at=at(2026, 3, 1, 18))

    def test_same_slug_on_another_day_or_in_drafts_is_fine(self):
        PublishedArticleFactory(slug="budget", published_at=at(2026, 3, 1, 9))
        PublishedArticleFactory(slug="budget", published_at=at(2026, 3, 2, 9))
        ArticleFactory(slug="budget")
        ArticleFactory(slug="budget")
        assert Article.objects.filter(slug="budget").count() == 4

    def test_the_save_service_puts_the_clash_on_the_slug_field(self):
        PublishedArticleFactory(slug="budget", published_at=at(2026, 3, 1, 9))
        article = ArticleFactory(slug="budget")
        with pytest.raises(ValidationError) as error:
            services.article_publish(article=article, by=SYSTEM, at=at(2026, 3, 1, 10))
        assert list(error.value.message_dict) == ["slug"]
        assert "1 March 2026" in error.value.message_dict["slug"][0]
        assert "“budget-2” is free" in error.value.message_dict["slug"][0]


class ArticleDerivedFieldTests:
    def test_publication_date_is_in_the_newsrooms_time_zone(self, settings):
        settings.TIME_ZONE = "America/New_York"
        article = PublishedArticleFactory(slug="late", published_at=at(2026, 11, 27, 3, 30))
        assert article.publication_date == datetime.date(2026, 11, 26)
        assert article.get_absolute_url() == "/2026/11/26/late/"

    def test_draft_has_no_public_url(self):
        assert ArticleFactory().get_absolute_url() is None

    def test_blank_slug_is_filled_from_the_headline(self):
        article = ArticleFactory(headline="Harbour’s “new” tram: what it costs", slug="")
        assert article.slug == "harbours-new-tram-what-it-costs"

    def test_headline_without_latin_letters_still_gets_a_slug(self):
        assert ArticleFactory(headline="新闻", slug="").slug == "story"

    @pytest.mark.parametrize(
        "headline, slug",
        [
            ("🔥🚒", "fire-fire-engine"),
            ("🎉 🎉", "party-popper-party-popper"),
            ("€ !", "euro-sign"),
            ("?!… — “”", "story"),
        ],
    )
    def test_headline_of_only_emoji_or_punctuation_gets_a_usable_slug(self, headline, slug):
        assert slug_for(headline) == slug
        assert ArticleFactory(headline=headline, slug="").slug == slug

    def test_long_headline_gives_a_slug_within_the_limit(self):
        assert slug_for("word " * 100) == ("word-" * 40)[:199]
        article = ArticleFactory(headline="word " * 39 + "words", slug="")
        assert len(article.slug) == 200 and article.slug.endswith("-words")

    def test_save_sanitises_the_body_on_every_path(self):
        article = ArticleFactory(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
        article.refresh_from_db()
        assert article.body == "<p>Hi</p>"
        Article.objects.filter(pk=article.pk).update(body="<p>ok</p>")  # no save(): stays as is
        article.body = '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>'
        article.save(update_fields=["headline"])
        article.refresh_from_db()
        assert article.body == "<a>x</a>"

    def test_was_updated_only_after_publication(self):
        article = PublishedArticleFactory()
        assert not article.was_updated
        article.revised_at = article.published_at - datetime.timedelta(minutes=5)
        assert not article.was_updated
        article.revised_at = timezone.now()
        assert article.was_updated

    def test_every_save_bumps_the_version(self):
        article = ArticleFactory()
        first = article.version
        article.save()
        article.save(update_fields=["headline"])
        article.refresh_from_db()
        assert article.version == first + 2

    def test_summary_falls_back_to_the_body_text(self):
        article = ArticleFactory(standfirst="", body="<p>Fish &amp; chips “today”.</p>")
        assert article.summary == "Fish & chips “today”."


def rename(article, slug):
    """A change of address, as one save (the save service keeps the redirects, #12)."""
    services.article_save(article=article, by=SYSTEM, changes={"slug": slug})
    return Article.objects.get(pk=article.pk)


class ArticleRedirectTests:
    def test_changing_a_live_address_keeps_the_old_ones_in_one_hop(self, client):
        article = PublishedArticleFactory(slug="first")
        first = article.get_absolute_url()
        article = rename(article, "second")
        second = article.get_absolute_url()
        article = rename(article, "third")
        for old in (first, second):
            response = client.get(old)
            assert response.status_code == 301
            assert response["Location"] == article.get_absolute_url()

    def test_going_back_to_an_old_address_removes_its_redirect(self):
        article = rename(rename(PublishedArticleFactory(slug="first"), "second"), "first")
        assert [r.old_path for r in article.redirects.all()] == [
            article.get_absolute_url().replace("first", "second")
        ]

    def test_drafts_and_scheduled_stories_leave_no_redirects(self):
        for article in (ArticleFactory(slug="a"), ScheduledArticleFactory(slug="b")):
            article = rename(article, article.slug + "-changed")
            assert not article.redirects.exists()

    def test_a_plain_model_save_changes_only_the_row(self):
        """Side effects belong to the services: Article.save() keeps no redirect (#12)."""
        article = PublishedArticleFactory(slug="first")
        article.slug = "second"
        article.save()
        assert not ArticleRedirect.objects.exists()

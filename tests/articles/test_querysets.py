from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    return {
        "draft": DraftArticleFactory(),
        "draft_with_past_time": DraftArticleFactory(
            published_at=timezone.now() - timedelta(days=2)
        ),
        "published": PublishedArticleFactory(),
        "scheduled": ScheduledArticleFactory(),
        # Published with a time past, under an embargo to come (#15): scheduled, not live.
        "embargoed": PublishedArticleFactory(embargo_until=timezone.now() + timedelta(hours=2)),
        "embargo_passed": PublishedArticleFactory(
            embargo_until=timezone.now() - timedelta(minutes=1)
        ),
        "embargoed_draft": DraftArticleFactory(embargo_until=timezone.now() + timedelta(hours=2)),
    }


class ArticleQuerySetTests:
    def test_published_is_live_stories_only(self, stories):
        assert set(Article.objects.published()) == {stories["published"], stories["embargo_passed"]}

    def test_drafts(self, stories):
        assert set(Article.objects.drafts()) == {
            stories["draft"],
            stories["draft_with_past_time"],
            stories["embargoed_draft"],
        }

    def test_scheduled(self, stories):
        assert set(Article.objects.scheduled()) == {stories["scheduled"], stories["embargoed"]}

    def test_embargoed(self, stories):
        assert set(Article.objects.embargoed()) == {
            stories["embargoed"],
            stories["embargoed_draft"],
        }

    def test_instance_rule_matches_queryset_rule(self, stories):
        published, scheduled = set(Article.objects.published()), set(Article.objects.scheduled())
        for article in stories.values():
            assert article.is_published() == (article in published)
            assert article.is_scheduled() == (article in scheduled)

    def test_scheduled_story_goes_live_at_its_minute_without_any_job(self):
        at = timezone.now() + timedelta(hours=3)
        story = PublishedArticleFactory(published_at=at)
        with time_machine.travel(at - timedelta(seconds=1)):
            assert not Article.objects.published().filter(pk=story.pk).exists()
        with time_machine.travel(at):
            assert Article.objects.published().filter(pk=story.pk).exists()
            story.refresh_from_db()
            assert story.is_published()

    def test_by_author(self):
        author = AuthorFactory()
        mine = PublishedArticleFactory(authors=[AuthorFactory(), author])
        PublishedArticleFactory()
        assert list(Article.objects.by_author(author)) == [mine]

    def test_for_listing_is_newest_first_with_bylines_in_order(self, django_assert_num_queries):
        first, second = AuthorFactory(name="Zoe Last"), AuthorFactory(name="Adam First")
        old = PublishedArticleFactory(published_at=timezone.now() - timedelta(days=3))
        new = PublishedArticleFactory(authors=[first, second])
        with django_assert_num_queries(2):
            listing = list(Article.objects.published().for_listing())
            assert listing == [new, old]
            assert [a.name for a in listing[0].byline_authors] == ["Zoe Last", "Adam First"]

"""Tag links and bylines carry their story's publication time (#17): it follows every change to
the story and to its tags and byline, and the tag and author lists read through it give the
same stories, in the same order, as asking the stories themselves did."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import link_times, services
from articles.models import Article, ArticleAuthor, Tag, TaggedArticle
from authors.models import Author
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
    WithdrawnArticleFactory,
)

pytestmark = pytest.mark.django_db


def stale_links():
    """Links whose time is not their story's."""
    stale = []
    for link in TaggedArticle.objects.select_related("content_object"):
        if link.published_at != link.content_object.published_at:
            stale.append(link)
    for link in ArticleAuthor.objects.select_related("article"):
        if link.published_at != link.article.published_at:
            stale.append(link)
    return stale


def listed(stories):
    return list(stories.values_list("pk", flat=True))


def assert_lists_agree():
    """Every link carries its story's time, and each tag's and author's list (as the pages
    ask for it) is the one the stories alone give, newest first."""
    assert not stale_links()
    live = Article.objects.published().for_cards()
    for tag in Tag.objects.all():
        before = live.filter(tags=tag).order_by("-published_at", "-pk")
        assert listed(live.tagged(tag)) == listed(before), tag.name
    for author in Author.objects.all():
        before = live.filter(bylines__author=author).order_by("-published_at", "-pk")
        assert listed(live.by_author(author)) == listed(before), author.name


@pytest.fixture
def newsroom():
    """Three authors and four tags over stories live, and in every state readers can't see,
    some of them at the same minute (ties are ordered by id)."""
    authors = [AuthorFactory() for _ in range(3)]
    now = timezone.now().replace(microsecond=0)
    stories = []
    for n in range(12):
        story = PublishedArticleFactory(
            headline=f"Story {n}",
            published_at=now - timedelta(hours=1 + n // 2),
            authors=[authors[n % 3], *([authors[(n + 1) % 3]] if n % 4 == 0 else [])],
        )
        story.tags.add(*["trams", "budget", "rare", "floods"][: 1 + n % 4])
        stories.append(story)
    hidden = [
        DraftArticleFactory(authors=[authors[0]]),
        ScheduledArticleFactory(authors=[authors[0]]),
        WithdrawnArticleFactory(authors=[authors[1]]),
        PublishedArticleFactory(authors=[authors[2]], embargo_until=now + timedelta(hours=2)),
    ]
    for story in hidden:
        story.tags.add("trams", "hidden only")
    return stories, hidden, authors


class LinkTimeTests:
    def test_new_links_carry_their_story_time(self, newsroom):
        stories, hidden, _ = newsroom
        assert TaggedArticle.objects.filter(content_object=stories[0]).exists()
        assert_lists_agree()
        draft = TaggedArticle.objects.get(content_object=hidden[0], tag__name="trams")
        assert draft.published_at is None

    def test_publish_redate_and_unpublish(self, newsroom):
        stories, hidden, _ = newsroom
        editor = EditorFactory()
        draft = Article.objects.get(pk=hidden[0].pk)
        services.article_publish(article=draft, by=editor)
        assert_lists_agree()
        assert listed(Article.objects.published().tagged(Tag.objects.get(name="trams")))[0] == (
            draft.pk
        )
        # The newest story re-dated a month back goes to the end of its lists.
        stories[0].published_at -= timedelta(days=30)
        stories[0].save()
        assert_lists_agree()
        # A save of other fields only leaves the links alone.
        stories[1].headline = "A new headline"
        stories[1].save(update_fields=["headline"])
        services.article_withdraw(article=stories[2], by=editor, reason="Legal advice.")
        services.article_trash(article=Article.objects.get(pk=stories[3].pk), by=editor)
        stories[4].status = Article.Status.DRAFT
        stories[4].published_at = None
        stories[4].save()
        assert_lists_agree()

    def test_scheduled_stories_join_the_lists_at_their_minute(self, newsroom):
        _, hidden, _ = newsroom
        trams = Tag.objects.get(name="trams")
        assert hidden[1].pk not in listed(Article.objects.published().tagged(trams))
        with time_machine.travel(timezone.now() + timedelta(days=2)):
            assert_lists_agree()
            assert hidden[1].pk in listed(Article.objects.published().tagged(trams))

    def test_retagged(self, newsroom):
        stories, hidden, _ = newsroom
        stories[11].tags.set(["trams", "new topic"])
        stories[10].tags.remove("budget")
        stories[9].tags.clear()
        Tag.objects.get(name="rare").tagged_articles.create(content_object=stories[0])
        assert_lists_agree()

    def test_bylines_changed(self, newsroom):
        stories, _, authors = newsroom
        newcomer = AuthorFactory()
        ArticleAuthor.objects.create(article=stories[0], author=newcomer, position=5)
        ArticleAuthor.objects.filter(article__in=stories[:6], author=authors[0]).delete()
        assert_lists_agree()

    def test_stories_written_through_the_services(self, newsroom):
        stories, _, authors = newsroom
        editor, newcomer = EditorFactory(), AuthorFactory()
        result = services.article_create(
            headline="Trams return to the harbour",
            paragraphs=["The first tram ran at dawn."],
            authors=[newcomer],
            by=editor,
            tags=["trams", "harbour"],
            transition="publish",
        )
        assert result.saved and result.article.is_published()
        assert_lists_agree()
        # The byline and tags of a live story changed in one save (bylines in bulk).
        story = Article.objects.get(pk=stories[5].pk)
        services.article_save(
            article=story,
            by=editor,
            authors=[newcomer, authors[0]],
            tags=["harbour"],
            expected_version=story.version,
        )
        assert_lists_agree()
        assert stories[5].pk in listed(Article.objects.published().by_author(newcomer))

    def test_sync_mends_links_written_without_signals(self, newsroom):
        stories, _, _ = newsroom
        TaggedArticle.objects.filter(content_object__in=stories[:3]).update(published_at=None)
        ArticleAuthor.objects.filter(article=stories[4]).update(
            published_at=timezone.now() - timedelta(days=400)
        )
        Article.objects.filter(pk=stories[5].pk).update(published_at=None, status="draft")
        assert stale_links()
        assert link_times.sync() > 0
        assert_lists_agree()
        assert link_times.sync() == 0

"""LatestStory (#17): each section's, tag's and author's newest stories, kept as stories change,
give the same related stories and sitemap entries as asking the whole archive did."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from articles import latest, services
from articles.models import Article, ArticleAuthor, LatestStory, Tag, TaggedArticle
from articles.sitemaps import AuthorSitemap, SectionSitemap, TagSitemap
from authors.models import Author
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
    SectionFactory,
    WithdrawnArticleFactory,
)

pytestmark = pytest.mark.django_db


def related_by_scan(article, limit=4):
    """The related stories as they were found before #17, from the whole archive: the
    reference the kept rows must agree with."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    shares_a_tag = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
    related = Q(Exists(shares_a_tag)) if tag_ids else Q(pk__in=[])
    if article.section_id:
        related |= Q(section_id=article.section_id)
    stories = Article.objects.published().filter(related).exclude(pk=article.pk)
    return list(stories.order_by("-published_at", "-pk").values_list("pk", flat=True)[:limit])


def below_by_scan(article, more=3):
    """The stories under a story's page as the page found them before #17: related stories,
    then the newest of its section and of its first author not shown yet, from the archive."""
    related = related_by_scan(article)
    shown = [article.pk, *related]
    lists = []
    authors = article.byline_authors
    for owner, lookup in [
        (article.section, "section"),
        (authors and authors[0], "bylines__author"),
    ]:
        if not owner:
            lists.append([])
            continue
        stories = Article.objects.published().filter(**{lookup: owner}).exclude(pk__in=shown)
        lists.append(
            list(stories.order_by("-published_at", "-pk").values_list("pk", flat=True)[:more])
        )
        shown += lists[-1]
    return (related, *lists)


def below_kept(article):
    authors = article.byline_authors
    return latest.below(article, authors[0] if authors else None)


def related_kept(article):
    return [story.pk for story in Article.objects.related_to(article)]


def assert_same_related():
    """For every story, in every state, the kept rows give what the archive gives."""
    stories = list(Article.objects.all())
    assert stories
    for story in stories:
        assert related_kept(story) == related_by_scan(story), story.headline
        assert below_kept(story) == below_by_scan(story), story.headline


def owners_by_scan(model, lookup):
    """Sitemap entries as found before #17: (object, newest live story's time)."""
    rows = (
        model.objects.filter(**{f"{lookup}__in": Article.objects.published()})
        .annotate(latest=Max(f"{lookup}__published_at"))
        .values_list("pk", "latest")
    )
    return sorted(rows)


def assert_same_sitemaps():
    for sitemap, model, lookup in [
        (SectionSitemap, Article.section.field.related_model, "articles"),
        (TagSitemap, Tag, "tagged_articles__content_object"),
        (AuthorSitemap, Author, "bylines__article"),
    ]:
        kept = sorted((obj.pk, obj.latest_story) for obj in sitemap().items())
        assert kept == owners_by_scan(model, lookup), sitemap.__name__


@pytest.fixture
def newsroom():
    """Two sections, four tags, three authors, and more stories than are kept for each, in
    every state readers can't see as well as live."""
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    authors = [AuthorFactory() for _ in range(3)]
    now = timezone.now()
    stories = []
    for n in range(40):
        story = PublishedArticleFactory(
            headline=f"Story {n}",
            section=(city, sport, None)[n % 3],
            published_at=now - timedelta(hours=n + 1),
            authors=[authors[n % 3], *([authors[(n + 1) % 3]] if n % 4 == 0 else [])],
        )
        story.tags.add(*["trams", "budget", "rare", "floods"][: 1 + n % 4])
        stories.append(story)
    hidden = [
        DraftArticleFactory(section=city, authors=[authors[0]]),
        ScheduledArticleFactory(section=city, authors=[authors[0]]),
        WithdrawnArticleFactory(section=sport, authors=[authors[1]]),
        PublishedArticleFactory(
            section=city, authors=[authors[2]], embargo_until=now + timedelta(hours=2)
        ),
    ]
    for story in hidden:
        story.tags.add("trams", "hidden only")
    return stories, hidden, (city, sport), authors


class KeptRowsTests:
    def test_related_and_sitemaps_agree_with_the_archive(self, newsroom):
        assert_same_related()
        assert_same_sitemaps()
        # Bounded: per owner, the kept live stories and the two still to come.
        for tag in Tag.objects.all():
            assert LatestStory.objects.filter(tag=tag).count() <= latest.KEEP + 2

    def test_a_new_story_reaches_older_stories_related_lists(self, newsroom):
        stories, _, (city, _), _ = newsroom
        oldest_in_city = stories[39]
        new = PublishedArticleFactory(section=city)
        assert new.pk in related_kept(oldest_in_city)
        assert_same_related()

    def test_retagged_and_moved(self, newsroom):
        stories, _, (city, sport), _ = newsroom
        stories[23].tags.set(["trams", "new topic"])
        stories[22].tags.remove("budget")
        stories[21].tags.clear()
        stories[20].section = sport if stories[20].section == city else city
        stories[20].save()
        # The newest story re-dated a month back leaves every list it headed.
        stories[0].published_at -= timedelta(days=30)
        stories[0].save()
        assert_same_related()
        assert_same_sitemaps()

    def test_bylines_changed(self, newsroom):
        stories, _, _, authors = newsroom
        newcomer = AuthorFactory()
        ArticleAuthor.objects.create(article=stories[0], author=newcomer, position=5)
        ArticleAuthor.objects.filter(article__in=stories[:6], author=authors[0]).delete()
        assert_same_related()
        assert_same_sitemaps()

    def test_withdrawn_trashed_unpublished_and_deleted(self, newsroom):
        stories, _, _, _ = newsroom
        editor = EditorFactory()
        services.article_withdraw(article=stories[0], by=editor, reason="Legal advice.")
        services.article_trash(article=Article.objects.get(pk=stories[1].pk), by=editor)
        stories[2].status = Article.Status.DRAFT
        stories[2].save()
        stories[3].delete()
        assert_same_related()
        assert_same_sitemaps()
        gone = {stories[n].pk for n in range(3)}
        assert not LatestStory.objects.filter(article__in=gone).exists()

    def test_scheduled_and_embargoed_stories_show_from_their_minute(self, newsroom):
        assert_same_related()
        # Nothing is written when they go live: the clock alone shows them.
        with time_machine.travel(timezone.now() + timedelta(days=2)):
            assert_same_related()
            assert_same_sitemaps()
            live = set(Article.objects.published().values_list("pk", flat=True))
            _, hidden, _, _ = newsroom
            assert {hidden[1].pk, hidden[3].pk} <= live

    def test_rebuild_writes_the_same_rows(self, newsroom):
        def rows():
            fields = ("section_id", "tag_id", "author_id", "article_id", "published_at")
            return sorted(LatestStory.objects.values_list(*fields), key=str)

        kept = rows()
        latest.rebuild()
        assert rows() == kept

    def test_stories_written_through_the_services(self, newsroom):
        _, _, (city, _), _ = newsroom
        editor, newcomer = EditorFactory(), AuthorFactory()
        result = services.article_create(
            headline="Trams return to the harbour",
            paragraphs=["The first tram ran at dawn."],
            authors=[newcomer],
            by=editor,
            section=city,
            tags=["trams", "harbour"],
            transition="publish",
        )
        assert result.saved and result.article.is_published()
        assert_same_related()
        assert_same_sitemaps()
        assert LatestStory.objects.filter(author=newcomer, article=result.article).exists()

"""python manage.py seed_articles: a reproducible archive for benchmarks and scale tests."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.management.commands import seed_articles
from articles.models import (
    Article,
    ArticleAuthor,
    SearchDocument,
    SearchUpdate,
    Section,
    Tag,
    TaggedArticle,
    slug_for,
)
from articles.search import search_articles
from articles.text import sanitize_html
from authors.models import Author
from images.models import Image

pytestmark = pytest.mark.django_db

COUNT = 200


def seed(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_articles", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def archive():
    """Everything a run decides, in the order the stories were written (ids aside)."""
    stories = Article.objects.order_by("pk")
    bylines = Counter()
    for article_id, name, position in ArticleAuthor.objects.values_list(
        "article_id", "author__name", "position"
    ):
        bylines[(article_id, position, name)] += 1
    tags = {
        (article_id, name)
        for article_id, name in TaggedArticle.objects.values_list("content_object_id", "tag__name")
    }
    return [
        (
            story.headline,
            story.standfirst,
            story.body,
            story.slug,
            story.status,
            story.publication_date,
            story.section.name,
            sorted((position, name) for (pk, position, name) in bylines if pk == story.pk),
            sorted(name for (pk, name) in tags if pk == story.pk),
        )
        for story in stories.select_related("section")
    ]


def empty_the_database():
    Article.objects.all().delete()
    Author.objects.all().delete()
    Tag.objects.all().delete()
    Section.objects.all().delete()


class SeedDeterminismTests:
    @pytest.mark.slow
    def test_the_same_seed_gives_the_same_archive(self):
        seed(count=COUNT, seed=7)
        first = archive()
        empty_the_database()
        seed(count=COUNT, seed=7, batch_size=33)  # batches don't change what is written
        assert archive() == first
        assert len({headline for headline, *_ in first}) > COUNT * 0.9

    @pytest.mark.slow
    def test_another_seed_gives_another_archive(self):
        seed(count=COUNT, seed=7)
        first = {headline for headline, *_ in archive()}
        empty_the_database()
        seed(count=COUNT, seed=8)
        second = {headline for headline, *_ in archive()}
        assert len(first & second) < COUNT * 0.1


class SeedContentTests:
    @pytest.mark.slow
    def test_counts_and_states(self):
        out, _ = seed(count=COUNT)
        stories = Article.objects.all()
        assert stories.count() == COUNT
        published = Article.objects.published().count()
        assert f"Seeded {COUNT} stories ({published} published)" in out
        assert 0.85 * COUNT < published < COUNT
        assert set(stories.values_list("status", flat=True)) <= set(Article.Status.values)
        assert stories.drafts().exists()
        assert all(story.is_scheduled() for story in Article.objects.scheduled())
        assert Section.objects.count() == 8
        assert Author.objects.count() == 5  # N/500, at least 5
        assert Tag.objects.count() == 30  # N/50, at least 30

        now = timezone.now()
        dates = stories.exclude(published_at=None).values_list("published_at", flat=True)
        assert (now - min(dates)).days > 365  # an archive of years, up to today
        assert max(d for d in dates if d <= now) > now - timezone.timedelta(days=3)
        for story in stories.exclude(published_at=None):
            assert story.created_at < story.published_at or story.is_scheduled()
            assert story.updated_at <= now
            assert story.revised_at is None or story.revised_at > story.published_at

    @pytest.mark.slow
    def test_bylines_and_tags(self):
        seed(count=COUNT)
        for story in Article.objects.with_bylines().prefetch_related("tags"):
            positions = [byline.position for byline in story.bylines.all()]
            assert positions == list(range(len(positions))) and 1 <= len(positions) <= 3
            assert len(story.tags.all()) <= 4
            assert story.section_id is not None
        assert TaggedArticle.objects.exists()

    @pytest.mark.slow
    def test_derived_fields_are_those_save_would_fill(self):
        seed(count=COUNT)
        zone = timezone.get_default_timezone()
        for story in Article.objects.all():
            assert story.version == 1
            assert story.body.startswith("<p>") and sanitize_html(story.body) == story.body
            assert story.slug.startswith(slug_for(story.headline))
            expected_date = story.published_at and timezone.localdate(story.published_at, zone)
            assert story.publication_date == expected_date
        for story in Article.objects.order_by("pk")[:20]:
            slug, day, body = story.slug, story.publication_date, story.body
            story.save()
            assert (story.slug, story.publication_date, story.body) == (slug, day, body)

    @pytest.mark.slow
    def test_slugs_stay_unique_per_publication_date(self, monkeypatch):
        monkeypatch.setattr(seed_articles.Writer, "headline", lambda writer: "Harbour reopens")
        seed(count=COUNT)
        dated = Article.objects.exclude(publication_date=None)
        pairs = list(dated.values_list("publication_date", "slug"))
        assert len(pairs) == len(set(pairs))
        assert {"harbour-reopens", "harbour-reopens-2"} <= {slug for _, slug in pairs}

    @pytest.mark.slow
    def test_search_finds_a_seeded_story_at_once(self):
        seed(count=COUNT)
        assert not SearchUpdate.objects.exists()
        story = Article.objects.published().order_by("pk")[0]
        assert story in search_articles(story.headline)
        draft = Article.objects.drafts().order_by("pk")[0]
        assert draft not in search_articles(draft.headline)

    @pytest.mark.slow
    def test_images_are_few_and_reused(self, monkeypatch):
        monkeypatch.setattr(seed_articles, "IMAGE_SIZE", (320, 180))  # fewer, faster renditions
        seed(count=COUNT, images=True)
        pictures = Image.objects.all()
        assert pictures.count() == seed_articles.MAX_IMAGES
        assert all(not picture.needs_alt_text() for picture in pictures)
        assert all(picture.renditions.exists() for picture in pictures)
        shown = Article.objects.exclude(lead_image=None)
        assert 0.2 * COUNT < shown.count() < 0.5 * COUNT
        assert not shown.filter(published_at=None).exists()

        seed(count=20, append=True, images=True)
        assert Image.objects.count() == seed_articles.MAX_IMAGES


class SeedCommandTests:
    @pytest.mark.parametrize(
        "options, message",
        [
            ({"count": 0}, "--count must be at least 1"),
            ({"count": -5}, "--count must be at least 1"),
            ({"count": 5, "batch_size": 0}, "--batch-size must be at least 1"),
        ],
    )
    def test_bad_arguments(self, options, message):
        with pytest.raises(CommandError, match=message):
            seed(**options)
        assert not Article.objects.exists()

    def test_arguments_from_the_command_line(self):
        with pytest.raises(CommandError, match="--count must be at least 1"):
            seed("--count=-3")
        parser = seed_articles.Command().create_parser("manage.py", "seed_articles")
        assert "--append" in parser.format_help()

    def test_count_is_required(self):
        with pytest.raises(CommandError, match="--count"):
            seed()

    @pytest.mark.slow
    def test_a_database_with_stories_needs_append(self):
        seed(count=50)
        with pytest.raises(CommandError, match="already has 50 stories. Use --append"):
            seed(count=50)
        authors, tags = Author.objects.count(), Tag.objects.count()

        seed(count=50, append=True)  # the same seed: the same stories again, new slugs
        assert Article.objects.count() == 100
        assert (Author.objects.count(), Tag.objects.count()) == (authors, tags)
        pairs = list(
            Article.objects.exclude(publication_date=None).values_list("slug", "publication_date")
        )
        assert len(pairs) == len(set(pairs))

    @pytest.mark.slow
    def test_progress_on_stderr_and_a_summary(self):
        out, err = seed(count=120, batch_size=50)
        assert "\r  50/120 stories" in err and "\r  120/120 stories\n" in err
        assert out.startswith("Seeded 120 stories (") and out.rstrip().endswith(" s.")
        assert "5 authors, 8 sections, 30 tags in " in out

    @pytest.mark.slow
    def test_verbosity_0_is_quiet(self):
        assert seed(count=20, verbosity=0) == ("", "")


@pytest.mark.django_db(transaction=True)
class SeedCommittedTests:
    """Outside a test's transaction each batch commits; on PostgreSQL a second connection then
    indexes it while the next batch is written."""

    @pytest.mark.slow
    def test_every_story_is_indexed_when_the_command_ends(self):
        seed(count=COUNT, batch_size=60)
        assert not SearchUpdate.objects.exists()
        assert SearchDocument.objects.count() == COUNT
        story = Article.objects.published().order_by("-pk")[0]
        assert story in search_articles(story.headline)


class PageCacheTests:
    @pytest.mark.slow
    def test_seeding_empties_the_page_cache(self, client, settings):
        """Bulk inserts send no signals, so the command purges every cached page itself."""
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}
        assert client.get("/")["X-Page-Cache"] == "miss"
        assert client.get("/")["X-Page-Cache"] == "hit"
        seed("--count", "30")
        response = client.get("/")
        assert response["X-Page-Cache"] == "miss"
        assert Article.objects.published().first().headline in response.content.decode()

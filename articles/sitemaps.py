"""Sitemaps for search engines: an index over stories, sections, tags and authors, and a Google
News sitemap of the last two days' stories.

Only live stories count: every query starts from `Article.objects.published()`. Sections, tags
and authors appear only with at least one live story; their lastmod is that of their newest
live story's publication, and a story's is the "Updated" time readers see
(#16). Each sitemap runs a fixed number of queries whatever the number of stories.

They live with the stories, whose publication rule they follow; the URL configuration
(newsroom/urls.py) serves them (#13).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.response import TemplateResponse
from django.utils import timezone

from authors.models import Author
from newsroom.timezones import machine_time

from .feeds import xml_text
from .models import Article, Section, Tag

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per news sitemap.


def shown_updated(prefix=""):
    """A story's `shown_updated_at` in SQL (#16): its "Updated" time if later than its
    publication, else its publication. `prefix` leads from another model to the story."""
    published = f"{prefix}published_at"
    return Greatest(published, Coalesce(f"{prefix}revised_at", published))


def _newest(stories):
    return stories.aggregate(newest=Max("published_at"))["newest"]


class ArticleSitemap(Sitemap):
    """Every live story, newest first; lastmod is the time readers see: "Updated", else the
    publication (#16), not the last save, which a typo fix moves.

    5,000 URLs a file rather than the protocol's 50,000: a file of 50,000 takes seconds to
    render, and the index lists as many files as needed (#6)."""

    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "publication_date", "published_at", "revised_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return article.shown_updated_at

    def get_latest_lastmod(self):
        # One query, instead of loading every story as Sitemap's default does.
        return Article.objects.published().aggregate(latest=Max(shown_updated()))["latest"]


class _WithLiveStoriesSitemap(Sitemap):
    """Objects with at least one live story; `latest_story` is the newest one's time."""

    model = None
    # The lookup from a story to the object, e.g. "section" or "bylines__author".
    story_lookup = ""
    # The lookup from the object to its stories, e.g. "articles" or "bylines__article".
    stories_lookup = ""

    def items(self):
        # One grouped pass over the links of the live stories. A subquery for each object's
        # newest live story is answered by reading the archive newest first until a story of
        # the object turns up: for a rare tag or author, that is the whole archive (#6).
        return (
            self.model.objects.filter(**{f"{self.stories_lookup}__in": Article.objects.published()})
            .annotate(latest_story=Max(f"{self.stories_lookup}__published_at"))
            .order_by(*self.ordering)
        )

    def lastmod(self, obj):
        return obj.latest_story

    def get_latest_lastmod(self):
        return _newest(
            Article.objects.published().filter(**{f"{self.story_lookup}__isnull": False})
        )


class SectionSitemap(_WithLiveStoriesSitemap):
    model = Section
    story_lookup = "section"
    ordering = ("order", "name", "pk")

    def items(self):
        # A few sections, each with an index of its live stories newest first
        # (article_section_live_idx): each newest story is a single index probe. A section's
        # lastmod is its newest story's publication: an update to an older story changes the
        # story's page, not the section's list of stories.
        newest = (
            Article.objects.published()
            .filter(section=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return (
            Section.objects.annotate(latest_story=Subquery(newest))
            .filter(latest_story__isnull=False)
            .order_by(*self.ordering)
        )


class TagSitemap(_WithLiveStoriesSitemap):
    model = Tag
    story_lookup = "tags"
    stories_lookup = "tagged_articles__content_object"
    ordering = ("name", "pk")


class AuthorSitemap(_WithLiveStoriesSitemap):
    model = Author
    story_lookup = "bylines__author"
    stories_lookup = "bylines__article"
    ordering = ("name", "pk")


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def news_language() -> str:
    """The ISO 639 code Google News expects: "en" for "en-gb"; Chinese keeps its script."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code.startswith("zh") else code.split("-")[0]


@x_robots_tag  # Like Django's sitemaps: for crawlers, not for search results (#16).
def news_sitemap(request):
    """The Google News sitemap: live stories of the last two days, at most 1,000."""
    stories = (
        Article.objects.published()
        .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        .only("headline", "slug", "publication_date", "published_at")
        .order_by("-published_at", "-pk")[:NEWS_LIMIT]
    )
    entries = [
        {
            "location": request.build_absolute_uri(story.get_absolute_url()),
            "published": machine_time(story.published_at),
            "title": xml_text(story.headline),
        }
        for story in stories
    ]
    return TemplateResponse(
        request,
        "sitemaps/news.xml",
        {
            "entries": entries,
            "publication_name": xml_text(settings.SITE_NAME),
            "language": news_language(),
        },
        content_type="application/xml; charset=utf-8",
    )

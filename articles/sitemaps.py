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
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import Exists, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.response import TemplateResponse
from django.utils import timezone

from authors.models import Author
from newsroom.timezones import machine_time

from .caching import parse_moment
from .feeds import xml_text
from .models import Article, LatestStory, Section, Tag, first_values

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per news sitemap.


def shown_updated(prefix=""):
    """A story's `shown_updated_at` in SQL (#16): its "Updated" time if later than its
    publication, else its publication. `prefix` leads from another model to the story."""
    published = f"{prefix}published_at"
    return Greatest(published, Coalesce(f"{prefix}revised_at", published))


def select_values(*querysets):
    """The first value of each queryset, in one query, as times."""
    return [parse_moment(value) for value in first_values(*querysets)]


class StoryRangePaginator:
    """The story sitemap's pages, each the live stories of a range of `per_page` story ids
    (#17): the number of pages is two index probes (the lowest and highest id) and a page one
    range of the primary key, where Django's Paginator counted every live story and skipped
    to its page with OFFSET, both reading more of the archive the larger it grew. A page may
    hold fewer URLs than `per_page` (ids of drafts and deleted stories), never more; a story
    stays on its page as others are published, so crawlers find older pages unchanged."""

    def __init__(self, stories, per_page):
        self.stories, self.per_page = stories, per_page
        bounds = Article.objects.aggregate(low=Min("pk"), high=Max("pk"))
        self.low = bounds["low"] or 1
        high = bounds["high"] or self.low
        self.num_pages = (high - self.low) // per_page + 1

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results")
        start = self.low + (number - 1) * self.per_page
        stories = self.stories.filter(pk__gte=start, pk__lt=start + self.per_page)
        return Page(list(stories), number, self)


class ArticleSitemap(Sitemap):
    """Every live story, a range of ids a file, newest first in each; lastmod is the time
    readers see: "Updated", else the publication (#16), not the last save, which a typo fix
    moves.

    At most 5,000 URLs a file rather than the protocol's 50,000: a file of 50,000 takes seconds
    to render, and the index lists as many files as needed (#6)."""

    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "publication_date", "published_at", "revised_at")
            .order_by("-published_at", "-pk")
        )

    @property
    def paginator(self):
        return StoryRangePaginator(self.items(), self.limit)

    def lastmod(self, article):
        return article.shown_updated_at

    def get_latest_lastmod(self):
        # The newest publication and the newest "Updated" time, each the first entry of an
        # index read newest first (#17), where MAX() over every live story read them all.
        live = Article.objects.published().order_by()
        published, revised = select_values(
            live.order_by("-published_at").values("published_at")[:1],
            live.filter(revised_at__isnull=False).order_by("-revised_at").values("revised_at")[:1],
        )
        return max((t for t in (published, revised) if t is not None), default=None)


class _WithLiveStoriesSitemap(Sitemap):
    """Objects with at least one live story; `latest_story` is the newest one's time.

    Read from LatestStory (articles/latest.py, #17), which keeps each one's newest live
    stories: a grouped pass over every live story's tags or bylines took 0.7-1.4 s at a
    million stories."""

    model = None
    # The LatestStory field of the object: "section", "tag" or "author".
    kind = ""

    def live_rows(self):
        """The kept rows whose time has come, newest first, and of those only
        the ones whose story the publication rule still shows: a write no signal told of (a
        raw UPDATE) can leave a row behind, never a story on a public surface. Read newest
        first, each search stops at its first row (#17): MAX() over every live row checked
        each row's story, thousands of them with many tags and authors (35 ms at a million
        stories for the index's lastmod, 38 ms for each of the tag sitemap's two queries)."""
        now = timezone.now()
        live = Article.objects.published().filter(pk=OuterRef("article_id"))
        return LatestStory.objects.filter(
            Exists(live),
            published_at__lte=now,  # where the walk starts: past the stories still to come
            live_from__lte=now,
        ).order_by("-published_at")

    def items(self):
        # Each one's newest live row, from its own index newest first (latest_tag_newest_idx,
        # latest_author_newest_idx): a probe or two per tag or author.
        newest = self.live_rows().filter(**{self.kind: OuterRef("pk")})
        return (
            self.model.objects.annotate(latest_story=Subquery(newest.values("published_at")[:1]))
            .filter(latest_story__isnull=False)
            .order_by(*self.ordering)
        )

    def lastmod(self, obj):
        return obj.latest_story

    def get_latest_lastmod(self):
        # The newest live row of this kind, from latest_newest_idx: the rows hold each one's
        # newest live story, so the first found is the newest of them all.
        rows = self.live_rows().filter(**{f"{self.kind}__isnull": False})
        return rows.values_list("published_at", flat=True).first()


class SectionSitemap(_WithLiveStoriesSitemap):
    model = Section
    kind = "section"
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
    kind = "tag"
    ordering = ("name", "pk")


class AuthorSitemap(_WithLiveStoriesSitemap):
    model = Author
    kind = "author"
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

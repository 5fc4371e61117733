"""Every public page runs a fixed number of SQL queries whatever the number of stories, and no
reader's page counts the archive (#6).

Each page is rendered over a small archive and again over a large one (more stories, authors,
tags, sections, corrections and lead images) and must run the same number of queries both times.
Reader pages must also not count stories (Django's Paginator runs a `COUNT(*)` over every
matching row): a count bounded by a LIMIT, such as the search page's "more than 1,000", is
allowed. Sitemaps are for crawlers and Django's sitemap framework counts to paginate them, so
they are held to the flat count only.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Correction, FrontPageSlot
from articles.pagination import capped_count
from pages.models import Page as FooterPage
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
    SectionFactory,
    WithdrawnArticleFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db

FEW = 3
# Enough for a second page of every 20-a-page list (the front page pins one story).
FEW_FOR_PAGE_2 = 23
MANY = 50
STORIES_PER_IMAGE = 10
STORIES_PER_CO_AUTHOR = 5
TOPICS = 7


@dataclass
class Archive:
    """A newsroom's archive that grows: every live story is in the politics tag and carries
    the main author's byline; the rest rotates through co-authors, topics, sections, lead
    images and corrections, so a larger archive also has more of each of those."""

    author: object = None
    sections: list = field(default_factory=list)
    stories: list = field(default_factory=list)
    images: list = field(default_factory=list)
    co_authors: list = field(default_factory=list)

    def __post_init__(self):
        self.author = AuthorFactory(name="Main Author", slug="main-author")
        # Both with a block on the front page (#16).
        self.sections = [
            SectionFactory(name="City", front_page_position=0),
            SectionFactory(name="Sport", front_page_position=1),
        ]
        self.now = timezone.now()
        # The footer lists the newsroom's own pages on every page (#16).
        for order, slug in enumerate(("about", "contact", "privacy")):
            FooterPage.objects.create(title=slug.title(), slug=slug, footer_order=order)

    def grow(self, total):
        while len(self.stories) < total:
            self.stories.append(self._story(len(self.stories)))
        if not FrontPageSlot.objects.exists():
            FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=self.stories[0])
        return self

    def _story(self, i):
        if i % STORIES_PER_IMAGE == 0:
            self.images.append(make_image(jpeg((480, 320)), alt_text=f"Picture {i}"))
        if i % STORIES_PER_CO_AUTHOR == 0:
            # With a photo: the staff page shows every author's (#16).
            self.co_authors.append(AuthorFactory(photo=self.images[-1]))
        story = PublishedArticleFactory(
            headline=f"Harbour festival, day {i}",
            # The same text everywhere: search ranks tie, so results come newest first and
            # each page holds the same stories on every run.
            standfirst="Boats, music and food on the quay.",
            body="<p>The harbour festival opened with a parade of boats.</p>",
            authors=[self.author, self.co_authors[-1]],
            # City has all but every tenth story, so its page 2 exists in the small archive.
            section=self.sections[1 if i % 10 == 9 else 0],
            lead_image=self.images[-1] if i % 4 != 3 else None,
            published_at=self.now - timedelta(hours=1, minutes=i),
        )
        story.tags.add("politics", f"topic {i % TOPICS}")
        if i % 3 == 0:
            Correction.objects.create(article=story, text=f"Day {i}: a date was wrong.")
        if i % 15 == 14:
            # Stories readers must not see, by the same author, in the same section and tag.
            for factory in (DraftArticleFactory, ScheduledArticleFactory, WithdrawnArticleFactory):
                factory(authors=[self.author], section=self.sections[0]).tags.add("politics")
        return story


@dataclass(frozen=True)
class Page:
    name: str
    path: object  # Archive -> the page's path
    few: int = FEW
    may_count: bool = False  # A sitemap: Django's sitemap framework counts to paginate.


def day_path(archive, fmt):
    return f"/{archive.stories[0].publication_date:{fmt}}/"


def feed_paths(name, path):
    return [Page(f"{name}-rss", lambda a: path), Page(f"{name}-atom", lambda a: path + "atom/")]


PAGES = [
    Page("front", lambda a: "/"),
    Page("front-page-2", lambda a: "/?page=2", few=FEW_FOR_PAGE_2),
    # The story page's "more from" blocks (#16) are fetched only when they have stories: enough
    # stories that related stories, more from the section and more from the author all show.
    Page("article", lambda a: a.stories[0].get_absolute_url(), few=FEW_FOR_PAGE_2),
    Page("section", lambda a: "/sections/city/"),
    Page("section-page-2", lambda a: "/sections/city/?page=2", few=FEW_FOR_PAGE_2),
    Page("tag", lambda a: "/tags/politics/"),
    Page("author", lambda a: "/authors/main-author/"),
    Page("archive-year", lambda a: day_path(a, "%Y")),
    Page("archive-month", lambda a: day_path(a, "%Y/%m")),
    Page("archive-day", lambda a: day_path(a, "%Y/%m/%d")),
    Page("corrections", lambda a: "/corrections/"),
    Page("footer-page", lambda a: "/pages/about/"),
    Page("staff", lambda a: "/staff/"),
    Page("search", lambda a: "/search/?q=harbour+festival"),
    Page("search-page-2", lambda a: "/search/?q=harbour+festival&page=2", few=FEW_FOR_PAGE_2),
    *feed_paths("feed", "/feed/"),
    *feed_paths("section-feed", "/sections/city/feed/"),
    *feed_paths("tag-feed", "/tags/politics/feed/"),
    *feed_paths("author-feed", "/authors/main-author/feed/"),
    Page("sitemap-index", lambda a: "/sitemap.xml", may_count=True),
    *(
        Page(f"sitemap-{name}", lambda a, name=name: f"/sitemap-{name}.xml", may_count=True)
        for name in ("articles", "sections", "tags", "authors")
    ),
    Page("news-sitemap", lambda a: "/news-sitemap.xml"),
    Page("robots", lambda a: "/robots.txt"),
]


def queries_for(client, path):
    """The SQL of one request for the page, in its steady state.

    The page is requested once first, unmeasured: the first search processes the search
    index's queue of changed stories (see articles.search.refresh_search_index), and a first
    request may make image renditions; readers' requests after that are the steady state.
    The cache is cleared before both requests, so neither is answered from a page cache.
    """
    cache.clear()
    assert client.get(path).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return [query["sql"] for query in captured.captured_queries]


_COUNT = re.compile(r"\bCOUNT\s*\(", re.IGNORECASE)
# A count of at most N rows: SELECT COUNT(*) FROM (SELECT … LIMIT N) subquery
_BOUNDED_COUNT = re.compile(
    r"^SELECT COUNT\(\*\)(?: AS \"?\w+\"?)? FROM \(SELECT .*\bLIMIT \d+\) \"?subquery\"?$",
    re.IGNORECASE | re.DOTALL,
)


def counts_stories(sql):
    """Whether the SQL counts stories (or their bylines, tags, corrections) without a bound."""
    return bool(_COUNT.search(sql)) and "articles_" in sql and not _BOUNDED_COUNT.match(sql)


def test_bounded_count_detection():
    with CaptureQueriesContext(connection) as captured:
        Article.objects.published().count()
        capped_count(Article.objects.published(), 1000)
        Correction.objects.filter(article__in=Article.objects.published()).count()
    unbounded, bounded, corrections = (query["sql"] for query in captured.captured_queries)
    assert counts_stories(unbounded)
    assert not counts_stories(bounded)
    assert counts_stories(corrections)


@pytest.mark.slow
@pytest.mark.parametrize("public_page", PAGES, ids=[page.name for page in PAGES])
def test_query_count_does_not_grow_with_the_archive(client, public_page):
    page = public_page
    archive = Archive().grow(page.few)
    few = queries_for(client, page.path(archive))
    archive.grow(MANY)
    many = queries_for(client, page.path(archive))
    assert len(few) == len(many), (
        f"{page.path(archive)}: {len(few)} queries with {page.few} stories, {len(many)} with "
        f"{MANY}:\n" + "\n".join(many)
    )


READER_PAGES = [page for page in PAGES if not page.may_count]


@pytest.mark.slow
@pytest.mark.parametrize("public_page", READER_PAGES, ids=[page.name for page in READER_PAGES])
def test_no_page_counts_the_archive(client, public_page):
    page = public_page
    archive = Archive().grow(MANY)
    counting = [sql for sql in queries_for(client, page.path(archive)) if counts_stories(sql)]
    assert not counting, f"{page.path(archive)} counts stories:\n" + "\n".join(counting)

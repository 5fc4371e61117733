"""Every listing readers ask for is served by an index (#6): PostgreSQL only.

The querysets are the views' own (the view classes, feeds, sitemaps and queryset methods), not
copies of their SQL. With sequential scans and sorts priced out (`enable_seqscan`,
`enable_sort` and `enable_incremental_sort` off, for this test's transaction only), the planner
still chooses a sequential scan or a sort when no index can serve the query, so a plan with
one shows an index missing:

- no listing reads the story tables (stories, bylines, taggings) with a sequential scan;
- the front page, section, tag and author pages, their feeds, the article sitemap, related
  stories, the date archives, the corrections page and the admin's list of stories need no
  sort at all: an index hands the rows over newest first and the scan stops after one page.
  The sitemaps of sections, tags and authors may sort their (few) objects.

Then every public page is requested and each SELECT it ran on the story tables is explained
the same way: none of them reads a story table sequentially.

The measurements at 100,000 stories, with the planner's default settings, are recorded in
the docs (EXPLAIN ANALYZE); this test keeps the indexes from being lost or made useless.
"""

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.admin import site
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from articles.feeds import AuthorFeed, LatestStoriesFeed, SectionFeed, TagFeed
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleRedirect,
    Correction,
    FrontPageSlot,
    Tag,
    TaggedArticle,
)
from articles.sitemaps import ArticleSitemap, AuthorSitemap, SectionSitemap, TagSitemap
from articles.views import (
    ArchiveView,
    ArticleDetailView,
    ArticleListView,
    AuthorDetailView,
    CorrectionListView,
    SectionView,
    TagView,
)
from pages.models import Page as FooterPage
from tests.factories import AuthorFactory, EditorFactory, SectionFactory
from tests.test_flat_queries import PAGES, queries_for

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Query plans are PostgreSQL's; the site's database in production.",
    ),
]

STORY_TABLES = {"articles_article", "articles_articleauthor", "articles_taggedarticle"}
SORTS = {"Sort", "Incremental Sort"}
STORIES = 300


# The archive -------------------------------------------------------------------------------


def seed(count=STORIES):
    """A few years of stories in bulk (save() is skipped, so the derived fields are filled in
    the way save() fills them): most live, some drafts, in review, withdrawn or scheduled;
    five sections, ten authors, twenty-one tags, corrections, old addresses and pinned slots.
    Names match tests/test_flat_queries.py's pages (section "city", tag "politics", author
    "main-author")."""
    sections = [SectionFactory(name=name) for name in ("City", "Sport", "Culture", "Money")]
    sections.append(SectionFactory(name="Opinion"))
    for position, section in enumerate(sections[:3]):  # Blocks on the front page (#16).
        section.front_page_position = position
        section.save()
    authors = [AuthorFactory(name="Main Author", slug="main-author")]
    authors += AuthorFactory.create_batch(9)
    tags = Tag.objects.bulk_create(
        [Tag(name="politics", slug="politics")]
        + [Tag(name=f"topic {n}", slug=f"topic-{n}") for n in range(20)]
    )
    now = timezone.now()
    statuses = [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.WITHDRAWN]
    stories = []
    for i in range(count):
        status = statuses[i % 30] if i % 30 < 3 else Article.Status.PUBLISHED
        published_at = now - timedelta(hours=1 + 97 * i)  # back about three years
        if i < 3:
            published_at = now + timedelta(days=1 + i)  # scheduled
        story = Article(
            headline=f"Harbour festival, day {i}",
            standfirst="Boats, music and food on the quay.",
            body="<p>The harbour festival opened with a parade of boats.</p>",
            status=status,
            published_at=None if status in statuses[:2] else published_at,
            section=sections[i % len(sections)] if i % 17 else None,
        )
        story._sync_derived_fields()
        stories.append(story)
    stories = Article.objects.bulk_create(stories)
    # Links carry their story's time (articles/link_times.py): bulk_create sends no signal.
    ArticleAuthor.objects.bulk_create(
        [
            ArticleAuthor(article=s, author=authors[i % 3], position=0, published_at=s.published_at)
            for i, s in enumerate(stories)
        ]
        + [
            ArticleAuthor(
                article=s, author=authors[3 + i % 7], position=1, published_at=s.published_at
            )
            for i, s in enumerate(stories)
            if i % 4 == 0
        ]
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=s, tag=tag, published_at=s.published_at)
        for i, s in enumerate(stories)
        for tag in {tags[0] if i % 2 == 0 else tags[1 + i % 20], tags[1 + (i * 7) % 20]}
    )
    live = [s for s in stories if s.is_published()]
    Correction.objects.bulk_create(
        Correction(article=s, text="A date was wrong.", created_at=s.published_at)
        for s in live[::10]
    )
    ArticleRedirect.objects.bulk_create(
        ArticleRedirect(old_path=f"/old/{s.pk}/", article=s) for s in live[::20]
    )
    FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=live[5])
    # The footer's pages, one of them tests/test_flat_queries.py's "footer-page" (#16).
    for order, slug in enumerate(("about", "contact", "privacy")):
        FooterPage.objects.create(title=slug.title(), slug=slug, footer_order=order)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return SimpleNamespace(
        stories=live,
        story=live[0],
        old_path=f"/old/{live[0].pk}/",
        section=sections[0],
        tag=tags[0],
        author=authors[0],
        editor=EditorFactory(),
    )


@pytest.fixture
def archive():
    return seed()


def without_seqscans_and_sorts():
    """Prices sequential scans and sorts out of the planner's choices (this transaction only)."""
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_sort", "enable_incremental_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")


# The listings, as the views build them ------------------------------------------------------


def list_view_page(view_class, path="/", **kwargs):
    """The queryset a reader list view pages through, sliced as its paginator fetches page 1
    (one row more than a page; see articles/pagination.py)."""
    request = RequestFactory().get(path)
    view = view_class()
    view.setup(request, **kwargs)
    view.get(request, **kwargs)  # sets view.object_list, the view's queryset
    return view.object_list[: view.get_paginate_by(view.object_list) + 1]


def admin_stories_page(user):
    """The editors' list of every story, as the admin's changelist pages through it."""
    request = RequestFactory().get("/admin/articles/article/")
    request.user = user
    changelist = site._registry[Article].get_changelist_instance(request)
    return changelist.queryset[: changelist.list_per_page]


def listings(subjects):
    """name -> (the listing's queryset, whether it must come without a sort), for the
    subjects' section, tag, author and story (its day for the archives)."""
    section, tag, author = subjects.section, subjects.tag, subjects.author
    day = subjects.story.publication_date
    detail = ArticleDetailView()
    detail.setup(RequestFactory().get(subjects.story.get_absolute_url()))
    return {
        "front": (list_view_page(ArticleListView), True),
        "section": (list_view_page(SectionView, slug=section.slug), True),
        "tag": (list_view_page(TagView, slug=tag.slug), True),
        "author": (list_view_page(AuthorDetailView, slug=author.slug), True),
        "archive-year": (list_view_page(ArchiveView, year=day.year), True),
        "archive-month": (list_view_page(ArchiveView, year=day.year, month=day.month), True),
        "archive-day": (
            list_view_page(ArchiveView, year=day.year, month=day.month, day=day.day),
            True,
        ),
        "corrections": (list_view_page(CorrectionListView), True),
        "feed": (LatestStoriesFeed().latest(), True),
        "section-feed": (SectionFeed().latest(section), True),
        "tag-feed": (TagFeed().latest(tag), True),
        "author-feed": (AuthorFeed().latest(author), True),
        "related": (Article.objects.related_to(subjects.story), True),
        # ArticleDetailView.get_object's first lookup: the story at this date and slug.
        "detail": (
            detail.get_queryset().filter(publication_date=day, slug=subjects.story.slug)[:1],
            False,
        ),
        "redirect": (ArticleRedirect.objects.filter(old_path=subjects.old_path)[:1], False),
        "front-page-slots": (FrontPageSlot.objects.active().select_related("article"), False),
        "sitemap-articles": (ArticleSitemap().items()[: ArticleSitemap.limit], True),
        "sitemap-sections": (SectionSitemap().items(), False),
        "sitemap-tags": (TagSitemap().items(), False),
        "sitemap-authors": (AuthorSitemap().items(), False),
        # The index's lastmod of each kind: the newest live kept row, read newest first (#17).
        **{
            f"sitemap-lastmod-{sitemap.kind}": (
                sitemap().live_rows().filter(**{f"{sitemap.kind}__isnull": False})[:1],
                True,
            )
            for sitemap in (SectionSitemap, TagSitemap, AuthorSitemap)
        },
        "admin-stories": (admin_stories_page(subjects.editor), True),
    }


LISTINGS = [
    "front",
    "section",
    "tag",
    "author",
    "archive-year",
    "archive-month",
    "archive-day",
    "corrections",
    "feed",
    "section-feed",
    "tag-feed",
    "author-feed",
    "related",
    "detail",
    "redirect",
    "front-page-slots",
    "sitemap-articles",
    "sitemap-sections",
    "sitemap-tags",
    "sitemap-authors",
    "sitemap-lastmod-section",
    "sitemap-lastmod-tag",
    "sitemap-lastmod-author",
    "admin-stories",
]


# Reading plans ------------------------------------------------------------------------------


def plan_nodes(plan):
    """Every node of an EXPLAIN (FORMAT JSON) plan, subplans included."""
    yield plan
    for child in plan.get("Plans", ()):
        yield from plan_nodes(child)


def explain_json(queryset_or_sql):
    if isinstance(queryset_or_sql, str):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {queryset_or_sql}")
            document = cursor.fetchone()[0]
    else:
        document = queryset_or_sql.explain(format="json")
    document = json.loads(document) if isinstance(document, str) else document
    return document[0]["Plan"]


def seq_scans_of_stories(plan):
    return [
        node["Relation Name"]
        for node in plan_nodes(plan)
        if node["Node Type"] == "Seq Scan" and node["Relation Name"] in STORY_TABLES
    ]


def sorts(plan):
    return [node["Node Type"] for node in plan_nodes(plan) if node["Node Type"] in SORTS]


# Tests --------------------------------------------------------------------------------------


def test_listings_are_all_checked(archive):
    assert sorted(listings(archive)) == sorted(LISTINGS)


@pytest.mark.parametrize("listing", LISTINGS)
def test_listing_is_served_by_an_index(archive, listing):
    queryset, no_sort = listings(archive)[listing]
    without_seqscans_and_sorts()
    plan = explain_json(queryset)
    summary = queryset.explain()
    assert not seq_scans_of_stories(plan), f"{listing} reads the archive in full:\n{summary}"
    if no_sort:
        assert not sorts(plan), f"{listing} sorts instead of reading an index in order:\n{summary}"


@pytest.mark.parametrize("public_page", PAGES, ids=[page.name for page in PAGES])
def test_no_public_page_reads_a_story_table_in_full(client, archive, public_page):
    # queries_for() warms the page first (the search index's queue) and bypasses the cache.
    queries = queries_for(client, public_page.path(archive))
    without_seqscans_and_sorts()
    for sql in queries:
        if sql.lstrip().upper().startswith("SELECT") and any(t in sql for t in STORY_TABLES):
            plan = explain_json(sql)
            assert not seq_scans_of_stories(plan), f"Reads a story table in full:\n{sql}"

"""The story list's queries are served by indexes (#14): PostgreSQL only.

Each list the desk asks for (every story, each filter, search, a reporter's own list) is
requested through the admin; then every SELECT it ran on the story tables is explained with
sequential scans and sorts priced out (as tests/test_query_plans.py does for readers' pages),
so a plan that still reads a story table in full shows an index missing:

- no query reads the stories, bylines or taggings sequentially;
- no query counts every match: the list's count stops at the cap (LIMIT);
- the list, the status and section filters and the date filter put the page's stories in
  order from an index, with no sort. Author, tag, search and a reporter's list order their
  matches from article_order_idx (a sort of ids and dates, not of rows).

The timings at scale are measured by bench/story_list.py (docs/scale.md).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticleAuthor
from articles.pagination import LIST_COUNT_CAP, SEARCH_COUNT_CAP
from tests.factories import ReporterFactory
from tests.test_query_plans import (
    STORY_TABLES,
    explain_json,
    plan_nodes,
    seed,
    seq_scans_of_stories,
    sorts,
    without_seqscans_and_sorts,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Query plans are PostgreSQL's, the database of a newsroom at archive scale; "
        "SQLite's planner would prove nothing about it.",
    ),
]

LIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def desk():
    """The archive of tests/test_query_plans.py, with a reporter who carries the main
    author's byline and started a few other stories."""
    archive = seed()
    reporter = ReporterFactory()
    archive.author.user = reporter
    archive.author.save()
    started = Article.objects.exclude(bylines__author=archive.author)[:5]
    Article.objects.filter(pk__in=[s.pk for s in started]).update(created_by=reporter)
    archive.reporter = reporter
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return archive


def lists(desk):
    """name -> (user, parameters, whether the page comes in index order with no sort)."""
    editor, reporter = desk.editor, desk.reporter
    quiet = ArticleAuthor.objects.exclude(author=desk.author).values("author")[:1][0]["author"]
    return {
        "list": (editor, {}, True),
        "list-page-3": (editor, {"p": "3"}, True),
        "status": (editor, {"status__exact": "draft"}, True),
        "section": (editor, {"section__id__exact": desk.section.pk}, True),
        "section-and-status": (
            editor,
            {"section__id__exact": desk.section.pk, "status__exact": "published"},
            True,
        ),
        "published-this-year": (
            editor,
            {"published_at__year": str(desk.story.published_at.year)},
            False,
        ),
        "author": (editor, {"author": desk.author.pk}, False),
        "author-quiet": (editor, {"author": quiet}, False),
        "tag": (editor, {"tag": desk.tag.name}, False),
        "search": (editor, {"q": "harbour"}, False),
        "reporter": (reporter, {}, False),
        "reporter-status": (reporter, {"status__exact": "published"}, False),
        "reporter-tag": (reporter, {"tag": desk.tag.name}, False),
        "reporter-search": (reporter, {"q": "festival"}, False),
    }


LISTS = [
    "list",
    "list-page-3",
    "status",
    "section",
    "section-and-status",
    "published-this-year",
    "author",
    "author-quiet",
    "tag",
    "search",
    "reporter",
    "reporter-status",
    "reporter-tag",
    "reporter-search",
]


def story_selects(client, user, params):
    client.force_login(user)
    client.get(LIST, params)  # warms the search index's queue
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, params)
    assert response.status_code == 200
    assert response.context["cl"].result_list, "the list must show something to be checked"
    return [
        q["sql"]
        for q in captured
        if q["sql"].lstrip().upper().startswith("SELECT")
        and any(f'"{table}"' in q["sql"] for table in STORY_TABLES)
    ]


def is_ids_query(sql):
    """The paginator's first step: the page's ids, in the list's order."""
    return re.match(r'SELECT "articles_article"\."id"( AS "pk")? FROM', sql) is not None


def ordering_queries(selects):
    """The queries that put the list in order: the page's ids when there are several pages,
    else the one query of the list's stories."""
    whole = 'SELECT "articles_article"."id", "articles_article"."created_at"'
    return [sql for sql in selects if is_ids_query(sql) or sql.startswith(whole)]


def test_every_list_is_checked(desk):
    assert sorted(lists(desk)) == sorted(LISTS)


@pytest.mark.parametrize("name", LISTS)
def test_the_list_reads_no_story_table_in_full(client, desk, name):
    user, params, in_index_order = lists(desk)[name]
    selects = story_selects(client, user, params)
    without_seqscans_and_sorts()
    ordering = ordering_queries(selects)
    assert ordering, "\n".join(selects)
    for sql in selects:
        plan = explain_json(sql)
        assert not seq_scans_of_stories(plan), f"{name} reads a story table in full:\n{sql}"
    if in_index_order:
        for sql in ordering:
            assert not sorts(explain_json(sql)), f"{name} sorts instead of reading an index:\n{sql}"


@pytest.mark.parametrize("name", LISTS)
def test_the_list_counts_no_further_than_the_cap(client, desk, name):
    user, params, _ = lists(desk)[name]
    counts = [sql for sql in story_selects(client, user, params) if re.search(r"COUNT\(", sql)]
    cap = SEARCH_COUNT_CAP if "q" in params else LIST_COUNT_CAP
    assert counts, name
    for sql in counts:
        assert f"LIMIT {cap + 1}) subquery" in sql, f"{name} counts every match:\n{sql}"


def test_matches_are_ordered_from_the_index_not_the_rows(client, desk):
    """The author filter's ids come from article_order_idx alone: no story row is read to
    put the matches in order."""
    user, params, _ = lists(desk)["author"]
    ids_query = next(sql for sql in story_selects(client, user, params) if is_ids_query(sql))
    without_seqscans_and_sorts()
    scans = {
        node.get("Index Name")
        for node in plan_nodes(explain_json(ids_query))
        if node.get("Relation Name") == "articles_article"
    }
    assert scans & {"article_order_idx", "article_newest_idx"}, scans

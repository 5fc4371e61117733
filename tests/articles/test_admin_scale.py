"""The admin's lists stay fast on a large archive: a fixed number of queries whatever the number
of rows (no N+1), and the stories list counts its rows once, not the whole table again (#6)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Correction
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 30
STORIES = reverse("admin:articles_article_changelist")


def add_stories(count, *, by=None):
    """Stories in every state, each with its own two authors, section and tags, so that a
    list showing a related object per row would run one query per row."""
    for i in range(count):
        factory = PublishedArticleFactory if i % 3 else DraftArticleFactory
        story = factory(
            headline=f"Council story {i}",  # Every story is found by a search for "council".
            authors=[AuthorFactory(), AuthorFactory()],
            section=SectionFactory(),
            updated_by=EditorFactory(),
            created_by=by,
        )
        story.tags.add(f"topic {i}", "politics")
        Correction.objects.create(article=story, text="A date was wrong.")


def queries_for(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def counts_of_stories(queries):
    return [sql for sql in queries if re.search(r"\bCOUNT\(", sql) and "articles_article" in sql]


@pytest.mark.slow
@pytest.mark.parametrize(
    "params",
    [{}, {"status__exact": "published"}, {"q": "council"}, {"tag": "politics"}],
    ids=["all", "filtered", "searched", "by-tag"],
)
def test_stories_list_runs_the_same_queries_for_few_and_many(client, editor, params):
    add_stories(FEW)
    few = queries_for(client, STORIES, params)
    add_stories(MANY - FEW)
    many = queries_for(client, STORIES, params)
    assert len(few) == len(many), "\n".join(many)


@pytest.mark.slow
def test_reporters_list_of_their_own_stories_is_flat_too(client, reporter):
    add_stories(FEW, by=reporter)
    few = queries_for(client, STORIES)
    add_stories(MANY - FEW, by=reporter)
    add_stories(5)  # Someone else's: not listed.
    many = queries_for(client, STORIES)
    assert len(few) == len(many), "\n".join(many)


@pytest.mark.slow
def test_stories_list_counts_its_rows_once_not_the_whole_table_again(client, editor):
    """show_full_result_count is off: the paginator's count of the (filtered) list is the only
    count; Django's "N of M selected" second COUNT(*) over every story is not run."""
    add_stories(MANY)
    response = client.get(STORIES, {"status__exact": "published"})
    assert response.context["cl"].full_result_count is None
    counts = counts_of_stories(queries_for(client, STORIES, {"status__exact": "published"}))
    assert len(counts) == 1, "\n".join(counts)


@pytest.mark.slow
def test_stories_list_pages_are_a_sensible_size(client, editor):
    add_stories(MANY)
    cl = client.get(STORIES).context["cl"]
    assert 20 <= cl.list_per_page <= 100
    assert len(cl.result_list) == min(MANY, cl.list_per_page)


@pytest.mark.slow
@pytest.mark.parametrize("model", ["authors_author", "articles_section", "articles_tag"])
def test_lists_with_story_counts_are_flat(client, editor, model):
    """Authors, sections and tags show how many stories each has: one grouped query, not one
    count per row."""
    url = reverse(f"admin:{model}_changelist")
    add_stories(FEW)
    few = queries_for(client, url)
    add_stories(MANY - FEW)
    many = queries_for(client, url)
    assert len(few) == len(many), "\n".join(many)

"""The body editor's story search (#14): links to our stories and related boxes find published
stories by headline, and nothing else."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.story_picker import LIMIT
from tests.factories import (
    DraftArticleFactory,
    PublishedArticleFactory,
    ReviewArticleFactory,
    ScheduledArticleFactory,
    UserFactory,
    WithdrawnArticleFactory,
)

pytestmark = pytest.mark.django_db

STORIES = reverse("admin:articles_article_stories")


def headlines(client, q):
    response = client.get(STORIES, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [result["headline"] for result in response.json()["results"]]


def test_the_address_round_trips():
    assert STORIES == "/admin/articles/article/stories/"


def test_finds_published_stories_by_the_words_of_their_headline(client, reporter):
    story = PublishedArticleFactory(headline="Harbour bridge reopens after storm repairs")
    PublishedArticleFactory(headline="Council votes on the budget")
    assert headlines(client, "bridge") == [story.headline]
    assert headlines(client, "Storm HARBOUR") == [story.headline]  # Any order, any case.
    assert headlines(client, "harb") == [story.headline]  # The last word as it is typed.
    assert headlines(client, "bridge council") == []  # Every word must be there.


def test_a_result_holds_what_the_editor_stores_and_shows(client, reporter):
    story = PublishedArticleFactory(headline="Ferry timetable changes")
    [result] = client.get(STORIES, {"q": "ferry"}).json()["results"]
    assert result == {
        "id": story.pk,
        "headline": "Ferry timetable changes",
        "url": story.get_absolute_url(),
        "date": timezone.localdate(story.published_at).isoformat(),
        "date_label": result["date_label"],
    }
    assert str(timezone.localdate(story.published_at).year) in result["date_label"]


@pytest.mark.parametrize(
    "hidden",
    [
        DraftArticleFactory,
        ReviewArticleFactory,
        ScheduledArticleFactory,
        WithdrawnArticleFactory,
    ],
)
def test_unpublished_stories_are_never_found(client, editor, hidden):
    hidden(headline="Secret merger talks")
    live = PublishedArticleFactory(headline="Merger talks collapse")
    assert headlines(client, "merger") == [live.headline]
    assert headlines(client, "secret") == []
    assert headlines(client, "") == [live.headline]


def test_newest_first_and_at_most_a_page(client, reporter):
    now = timezone.now()
    for days in range(LIMIT + 3):
        PublishedArticleFactory(
            headline=f"Flood update {days}", published_at=now - timedelta(days=days + 1)
        )
    found = headlines(client, "flood")
    assert found == [f"Flood update {days}" for days in range(LIMIT)]


def test_one_query_whatever_the_number_of_results(client, reporter):
    for _ in range(LIMIT):
        PublishedArticleFactory(headline="Election night live")
    client.get(STORIES, {"q": "election"})  # The session and user, loaded once.
    with CaptureQueriesContext(connection) as queries:
        client.get(STORIES, {"q": "election"})
    story_queries = [q for q in queries if "articles_article" in q["sql"]]
    assert len(story_queries) == 1


def test_headlines_come_back_as_data_not_markup(client, reporter):
    PublishedArticleFactory(headline='<img src=x onerror="alert(1)"> Fire "drill"')
    response = client.get(STORIES, {"q": "drill"})
    assert "<img" not in response.content.decode()  # JSON escapes < and >, the JS sets text.
    assert response.json()["results"][0]["headline"].startswith("<img")


@pytest.mark.parametrize(
    "q",
    ["%", "_", "' OR 1=1 --", "a & b | !c", "foo:*", "(", "\\", "🙂", "<script>", "   "],
)
def test_odd_input_is_a_search_like_any_other(client, reporter, q):
    PublishedArticleFactory(headline="Weather warning")
    response = client.get(STORIES, {"q": q})
    assert response.status_code == 200
    assert "Weather warning" not in [r["headline"] for r in response.json()["results"]] or (
        not q.strip()
    )


def test_an_address_of_ours_finds_its_story(client, reporter, settings):
    settings.SITE_URL = "https://news.example"
    story = PublishedArticleFactory(headline="Tram line opens")
    draft = DraftArticleFactory(headline="Tram line delayed", slug="draft-slug")
    path = story.get_absolute_url()
    assert headlines(client, path) == [story.headline]
    assert headlines(client, f"https://news.example{path}?utm_source=x") == [story.headline]
    # Another site's address, a draft's, a page that is no story, an impossible date: none.
    assert headlines(client, f"https://elsewhere.example{path}") == []
    assert headlines(client, f"/2026/01/01/{draft.slug}/") == []
    assert headlines(client, "/corrections/") == []
    assert headlines(client, "/2026/02/31/tram/") == []


def test_a_query_too_long_is_a_bad_request(client, reporter):
    assert client.get(STORIES, {"q": "x" * 201}).status_code == 400


def test_a_nul_character_is_a_bad_request(client, reporter):
    assert client.get(STORIES + "?q=a%00b").status_code == 400


def test_readers_and_staff_without_a_role_are_turned_away(client):
    PublishedArticleFactory(headline="Weather warning")
    response = client.get(STORIES, {"q": "weather"})
    assert response.status_code == 401  # The script says: log in again.
    assert "Weather" not in response.content.decode()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(STORIES, {"q": "weather"}).status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="The index is PostgreSQL's.")
def test_the_search_matches_headlines_with_the_indexed_expression():
    """The query's expression is the index's own (migration 0017); a different one could never
    use it. With the other ways to read the table priced out, the plan reads the index."""
    from django.contrib.postgres.search import SearchQuery

    from articles.models import Article
    from articles.story_picker import HeadlineVector, matching

    assert 'to_tsvector(\'simple\'::regconfig, "articles_article"."headline")' in str(
        matching("harbour").query
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    found = Article.objects.alias(words=HeadlineVector("headline")).filter(
        words=SearchQuery("harbour:*", config="simple", search_type="raw")
    )
    assert "articles_article_headline_words" in found.explain()

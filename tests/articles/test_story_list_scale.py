"""The story list at archive scale (#14): a count that stops at a cap, typed author and tag
filters, and a reporter's list that holds only their stories through every filter."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import pagination
from articles.models import Article
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    PublishedArticleFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_article_changelist")
SUGGEST = reverse("admin:articles_article_filter_suggestions")


def headlines(response):
    assert response.status_code == 200
    return sorted(story.headline for story in response.context["cl"].result_list)


@pytest.fixture
def small_cap(monkeypatch):
    """A cap of 3 stories (2 for a search), a page of 2: the list runs past its count with a
    handful of rows."""
    monkeypatch.setattr(pagination.CappedPaginator, "cap", 3)
    monkeypatch.setattr("articles.admin.LIST_COUNT_CAP", 3)
    monkeypatch.setattr("articles.admin.SEARCH_COUNT_CAP", 2)
    monkeypatch.setattr("articles.admin.ArticleAdmin.list_per_page", 2)


class CappedCountTests:
    def test_below_the_cap_the_count_is_exact(self, client, editor, small_cap):
        PublishedArticleFactory.create_batch(3)
        response = client.get(LIST)
        html = response.content.decode()
        assert response.context["cl"].result_count == 3
        assert "3 stories" in html and "3+ stories" not in html
        assert "Select all 3 stories" in html

    def test_past_the_cap_it_says_so_and_offers_no_select_all(self, client, editor, small_cap):
        PublishedArticleFactory.create_batch(5)
        response = client.get(LIST)
        html = response.content.decode()
        cl = response.context["cl"]
        assert cl.paginator.is_capped and cl.result_count == 3
        assert "3+ stories" in html
        assert "Select all 3" not in html and 'class="question' not in html
        assert "filter or search to act on all of them" in html
        # Pages stop at the cap: the second page of two holds the third story; no third page.
        assert len(client.get(LIST, {"p": "2"}).context["cl"].result_list) == 1
        assert client.get(LIST, {"p": "3"}).status_code == 302  # Django's "?e=1" for a bad page

    def test_the_count_reads_no_further_than_the_cap(self, client, editor, small_cap):
        PublishedArticleFactory.create_batch(5)
        with CaptureQueriesContext(connection) as captured:
            client.get(LIST)
        counts = [q["sql"] for q in captured if re.search(r"\bCOUNT\(", q["sql"])]
        story_counts = [sql for sql in counts if "articles_article" in sql]
        assert story_counts and all("LIMIT 4" in sql for sql in story_counts), story_counts

    def test_the_results_count_is_for_a_search_or_a_filter(self, client, editor):
        PublishedArticleFactory(headline="Harbour festival opens")
        assert "1 result (" not in client.get(LIST).content.decode()
        assert "1 result (" in client.get(LIST, {"q": "harbour"}).content.decode()
        assert "1 result (" in client.get(LIST, {"status__exact": "published"}).content.decode()

    def test_a_search_counts_less_far(self, client, editor, small_cap):
        PublishedArticleFactory.create_batch(5, headline="Harbour festival opens")
        html = client.get(LIST, {"q": "harbour"}).content.decode()
        assert "2+ results" in html
        assert "Select all" not in html.split('id="result_list"')[0].split('class="actions"')[1]

    def test_select_all_past_the_cap_is_refused(self, client, editor, small_cap):
        stories = PublishedArticleFactory.create_batch(5)
        response = client.post(
            LIST,
            {
                "action": "trash_selected",
                "select_across": "1",
                "index": "0",
                "_selected_action": [stories[0].pk],
            },
            follow=True,
        )
        assert "More than 3 stories match" in response.content.decode()
        assert Article.objects.in_trash().count() == 0

    def test_select_all_within_the_cap_acts_on_all(self, client, editor, small_cap):
        stories = PublishedArticleFactory.create_batch(3)
        client.post(
            LIST,
            {
                "action": "trash_selected",
                "select_across": "1",
                "index": "0",
                "_selected_action": [stories[0].pk],
            },
        )
        assert Article.objects.in_trash().count() == 3


class AuthorFilterTests:
    def test_by_id(self, client, editor):
        author = AuthorFactory(name="Ines Navarro")
        PublishedArticleFactory(headline="Hers", authors=[author])
        PublishedArticleFactory(headline="Other", authors=[AuthorFactory(name="Bo Berg")])
        response = client.get(LIST, {"author": author.pk})
        assert headlines(response) == ["Hers"]
        html = response.content.decode()
        assert 'value="Ines Navarro (Staff reporter)"' in html
        assert "All authors" in html

    def test_a_typed_name_that_names_one_author_filters_by_them(self, client, editor):
        author = AuthorFactory(name="Ines Navarro")
        PublishedArticleFactory(headline="Hers", authors=[author])
        PublishedArticleFactory(headline="Other", authors=[AuthorFactory(name="Bo Berg")])
        assert headlines(client.get(LIST, {"author": "ines navarro"})) == ["Hers"]

    def test_part_of_a_name_offers_the_authors_it_matches(self, client, editor):
        first, second = AuthorFactory(name="Ines Navarro"), AuthorFactory(name="Ines Okafor")
        AuthorFactory(name="Bo Berg")
        PublishedArticleFactory(headline="Hers", authors=[first])
        response = client.get(LIST, {"author": "Ines", "status__exact": "published"})
        assert headlines(response) == []  # Which Ines? The list waits for the answer.
        html = response.content.decode()
        assert "Which one?" in html and "Bo Berg" not in html
        # Each offer keeps the other filters and names the author by id.
        for author in (first, second):
            assert f"?author={author.pk}&amp;status__exact=published" in html

    @pytest.mark.parametrize("value", ["999999", "Nobody at all", "9" * 40, "<script>x</script>"])
    def test_unknown_or_garbage_lists_nothing_and_says_so(self, client, editor, value):
        PublishedArticleFactory(headline="Someone's", authors=[AuthorFactory(name="Bo Berg")])
        response = client.get(LIST, {"author": value})
        assert headlines(response) == []
        html = response.content.decode()
        assert "<script>x</script>" not in html
        if not value.isdigit():
            assert "No author matches" in html

    def test_without_javascript_the_filter_is_a_labelled_get_form(self, client, editor):
        html = client.get(LIST, {"status__exact": "draft"}).content.decode()
        form = re.search(r'<form method="get" class="typed-filter".*?</form>', html, re.S).group()
        assert '<label for="typed-filter-author">Author</label>' in form
        assert 'id="typed-filter-author" name="author"' in form
        assert '<input type="hidden" name="status__exact" value="draft">' in form

    def test_the_sidebar_lists_no_author_and_no_tag(self, client, editor):
        AuthorFactory(name="Listed Nowhere")
        PublishedArticleFactory(authors=[AuthorFactory(name="Ines Navarro")]).tags.add("trams")
        html = client.get(LIST).content.decode()
        sidebar = html[html.index('id="changelist-filter"') :]
        assert "Listed Nowhere" not in sidebar and "trams" not in sidebar


class TagFilterTests:
    def test_by_name(self, client, editor):
        PublishedArticleFactory(headline="Trams").tags.add("trams")
        PublishedArticleFactory(headline="Budget").tags.add("budget")
        assert headlines(client.get(LIST, {"tag": "trams"})) == ["Trams"]
        assert headlines(client.get(LIST, {"tag": "TRAMS"})) == ["Trams"]

    def test_part_of_a_name_offers_the_tags(self, client, editor):
        PublishedArticleFactory(headline="Trams").tags.add("tram lines", "tram fares")
        response = client.get(LIST, {"tag": "tram"})
        html = response.content.decode()
        assert "?tag=tram+fares" in html and "?tag=tram+lines" in html

    def test_unknown_tag_lists_nothing(self, client, editor):
        PublishedArticleFactory(headline="Trams").tags.add("trams")
        response = client.get(LIST, {"tag": "ferries"})
        assert headlines(response) == []
        assert "No tag matches “ferries”." in response.content.decode()

    def test_a_reporter_cannot_find_a_tag_only_others_drafts_carry(self, client, reporter):
        DraftArticleFactory(headline="Embargoed").tags.add("merger-acme")
        mine = DraftArticleFactory(headline="Mine", created_by=reporter)
        mine.tags.add("trams")
        response = client.get(LIST, {"tag": "merger-acme"})
        assert "No tag matches" in response.content.decode()
        suggested = client.get(SUGGEST, {"field": "tag", "q": "merger"}).json()
        assert suggested == {"results": []}
        assert client.get(SUGGEST, {"field": "tag", "q": "tra"}).json() == {
            "results": [{"value": "trams", "label": "trams"}]
        }


class SuggestionTests:
    def test_authors_by_part_of_the_name(self, client, editor):
        ines = AuthorFactory(name="Ines Navarro", job_title="Courts reporter")
        AuthorFactory(name="Bo Berg")
        answer = client.get(SUGGEST, {"field": "author", "q": "nav"}).json()
        assert answer == {
            "results": [{"value": ines.pk, "label": "Ines Navarro (Courts reporter)"}]
        }

    def test_a_few_only(self, client, editor):
        AuthorFactory.create_batch(12, name="Sam Same")
        assert len(client.get(SUGGEST, {"field": "author", "q": "sam"}).json()["results"]) == 8

    @pytest.mark.parametrize(
        "params, status",
        [({"field": "author", "q": ""}, 200), ({"field": "nope", "q": "a"}, 400), ({}, 400)],
    )
    def test_bad_questions(self, client, editor, params, status):
        assert client.get(SUGGEST, params).status_code == status

    def test_only_for_the_staff_who_may_see_stories(self, client):
        assert client.get(SUGGEST, {"field": "author", "q": "a"}).status_code == 302  # login


class ReporterListTests:
    """A reporter's list holds the stories they started or carry the byline of, through
    every filter and search."""

    @pytest.fixture
    def newsroom(self, reporter):
        me = AuthorFactory(name="Reporter Me", user=reporter)
        other = AuthorFactory(name="Other Writer")
        city = SectionFactory(name="City")
        stories = {
            "bylined": DraftArticleFactory(headline="Council bylined", authors=[me], section=city),
            "started": DraftArticleFactory(
                headline="Council started", created_by=reporter, authors=[other], section=city
            ),
            "shared": PublishedArticleFactory(
                headline="Council shared", authors=[other, me], section=city
            ),
            "theirs": DraftArticleFactory(headline="Council theirs", authors=[other], section=city),
            "theirs live": PublishedArticleFactory(
                headline="Council theirs live", authors=[other], section=city
            ),
        }
        for story in stories.values():
            story.tags.add("council")
        return {"me": me, "other": other, "city": city, **stories}

    def test_every_filter_and_search(self, client, newsroom):
        mine = ["Council bylined", "Council shared", "Council started"]
        for params in [
            {},
            {"q": "council"},
            {"tag": "council"},
            {"section__id__exact": newsroom["city"].pk},
            {"author": newsroom["other"].pk},
            {"author": newsroom["me"].pk},
            {"status__exact": "draft"},
        ]:
            listed = headlines(client.get(LIST, params))
            assert set(listed) <= set(mine), params
            assert "Council theirs" not in listed and "Council theirs live" not in listed
        assert headlines(client.get(LIST, {"author": newsroom["other"].pk})) == [
            "Council shared",
            "Council started",
        ]
        assert headlines(client.get(LIST, {"q": "council"})) == mine

    def test_each_story_once(self, client, newsroom):
        # Started by the reporter and carrying their byline: one row, not two.
        story = DraftArticleFactory(
            headline="Both ways", created_by=newsroom["me"].user, authors=[newsroom["me"]]
        )
        listed = [s.pk for s in client.get(LIST).context["cl"].result_list]
        assert listed.count(story.pk) == 1

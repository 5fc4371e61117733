"""Reporters see the tags of live stories and of stories they may open, no others (#13).

Before, tag suggestions, the tag list and the story list's tag filter showed every staff member
every tag name, including those carried only by other reporters' unpublished stories: an
embargoed "merger-acme" was visible to all.
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Tag
from tests.factories import (
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ScheduledArticleFactory,
    WithdrawnArticleFactory,
)

pytestmark = pytest.mark.django_db

NAMES = reverse("admin:articles_tag_names")
TAGS = reverse("admin:articles_tag_changelist")
STORIES = reverse("admin:articles_article_changelist")


@pytest.fixture
def newsroom():
    reporter, colleague = ReporterFactory(), ReporterFactory()
    PublishedArticleFactory().tags.add("mergers")
    secret = DraftArticleFactory(created_by=colleague)
    secret.tags.add("merger-acme", "mergers")
    ScheduledArticleFactory(created_by=colleague).tags.add("merger-scheduled")
    WithdrawnArticleFactory(created_by=colleague).tags.add("merger-withdrawn")
    DraftArticleFactory(created_by=reporter).tags.add("merger-mine")
    return reporter, colleague


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def suggested(client, term="merger"):
    response = client.get(NAMES, {"term": term})
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


def test_a_reporter_is_offered_live_tags_and_their_own(newsroom):
    reporter, _ = newsroom
    assert suggested(client_of(reporter)) == ["merger-mine", "mergers"]


def test_the_colleague_sees_their_own(newsroom):
    _, colleague = newsroom
    assert suggested(client_of(colleague)) == [
        "merger-acme",
        "merger-scheduled",
        "merger-withdrawn",
        "mergers",
    ]


def test_an_editor_sees_every_tag(newsroom):
    assert len(suggested(client_of(EditorFactory()))) == 5


def test_the_tag_list_and_its_counts(newsroom):
    reporter, _ = newsroom
    page = client_of(reporter).get(TAGS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "merger-acme" not in html and "merger-scheduled" not in html
    assert "merger-mine" in html
    mergers = next(tag for tag in page.context["cl"].result_list if tag.name == "mergers")
    assert mergers.story_count == 1  # The live story, not the colleague's draft.


def test_the_story_lists_tag_filter(newsroom):
    # The filter is typed (#14): what it offers for "merger", and what its script suggests.
    reporter, _ = newsroom
    client = client_of(reporter)
    html = client.get(STORIES, {"tag": "merger"}).content.decode()
    assert "merger-mine" in html
    assert "merger-acme" not in html and "merger-withdrawn" not in html
    suggest = reverse("admin:articles_article_filter_suggestions")
    answer = client.get(suggest, {"field": "tag", "q": "merger"}).json()
    assert sorted(result["value"] for result in answer["results"]) == ["merger-mine", "mergers"]


def test_a_hidden_tags_page_is_not_found(newsroom):
    reporter, _ = newsroom
    secret = Tag.objects.get(name="merger-acme")
    response = client_of(reporter).get(reverse("admin:articles_tag_change", args=[secret.pk]))
    assert response.status_code in (302, 404)
    assert "merger-acme" not in response.content.decode()

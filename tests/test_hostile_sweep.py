"""Odd input to every public and admin page answers 2xx, 3xx or 4xx, never 500."""

import pytest
from django.test import Client

from articles.models import FrontPageSlot
from tests.factories import (
    AuthorFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

ODD = ["abc", "-1", "0", "99999999999999999999", "%00", "'; DROP TABLE x; --", "é" * 300]


@pytest.fixture
def story():
    article = PublishedArticleFactory(
        section=SectionFactory(name="City"), authors=[AuthorFactory()]
    )
    article.tags.add("port")
    FrontPageSlot.objects.create(slot=0, article=article)
    return article


def test_public_pages_with_odd_parameters(client, story):
    author = story.byline_authors[0]
    pages = [
        "/",
        story.get_absolute_url(),
        author.get_absolute_url(),
        "/sections/city/",
        "/tags/port/",
        "/corrections/",
        f"/{story.publication_date:%Y/%m}/",
        "/search/",
        "/feed/",
        "/sitemap.xml",
    ]
    for page in pages:
        for value in ODD:
            for name in ("page", "q", "section", "author", "from", "to", "a", "b"):
                response = client.get(page, {name: value})
                assert response.status_code < 500, (page, name, value)


@pytest.mark.parametrize(
    "path",
    [
        "/tags/%00/",
        "/tags/" + "x" * 500 + "/",
        "/sections/%C3%A9/",
        "/authors/" + "a" * 500 + "/feed/",
        "/tags/nope/feed/",
        "/preview/not-a-token/",
        "/2026/02/30/",
        "/0000/",
        "/9999/12/31/x/",
    ],
)
def test_odd_addresses(client, path):
    assert client.get(path).status_code in {301, 302, 404, 410}


def test_admin_story_pages_with_odd_parameters(story):
    client = Client(raise_request_exception=False)
    client.force_login(EditorFactory())
    base = f"/admin/articles/article/{story.pk}"
    for value in ODD:
        assert client.get(f"{base}/revisions/compare/", {"a": value, "b": value}).status_code < 500
        assert client.post(f"{base}/preview-links/", {"revoke": value}).status_code < 500
        assert client.post(f"{base}/revisions/{value}/restore/").status_code < 500
        assert client.get("/admin/articles/tag/names/", {"term": value}).status_code < 500
        assert client.get("/admin/articles/article/", {"q": value}).status_code < 500
    for path in ("abc", "99999999", "%00"):
        assert client.get(f"/admin/articles/article/{path}/change/").status_code < 500
        assert client.get(f"/admin/articles/article/{path}/preview/").status_code < 500

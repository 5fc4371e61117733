"""Readers and machines find the reference story everywhere it belongs, and only live (#5)."""

import json
import re
from io import StringIO
from xml.etree import ElementTree

import feedparser
import pytest
from django.core.management import call_command

from articles.models import Article
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_story(reference_story_file):
    SectionFactory(name="World")
    call_command(
        "import_article",
        str(reference_story_file),
        "--publish",
        "--section",
        "World",
        "--tags",
        "fentanyl, China",
        stdout=StringIO(),
    )
    return Article.objects.get()


@pytest.mark.slow
def test_the_reference_story_is_found_everywhere(client, reference_story):
    story = reference_story
    url = story.get_absolute_url()
    day = story.publication_date
    for page in (
        "/",
        "/sections/world/",
        "/tags/fentanyl/",
        "/tags/china/",
        story.byline_authors[0].get_absolute_url(),
        f"/{day:%Y}/",
        f"/{day:%Y/%m}/",
        f"/{day:%Y/%m/%d}/",
        "/search/?q=fentanyl",
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'href="{url}"' in response.content.decode(), page

    feed = feedparser.parse(client.get("/feed/").content)
    assert not feed.bozo
    (entry,) = feed.entries
    assert entry.title == story.headline
    assert [author.name for author in entry.authors] == ["Sophia Martinez"]

    sitemap = ElementTree.fromstring(client.get("/sitemap-articles.xml").content)
    assert any(loc.text.endswith(url) for loc in sitemap.iter() if loc.tag.endswith("loc"))
    news = client.get("/news-sitemap.xml").content.decode()
    assert story.headline in news

    html = client.get(url).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert [author["name"] for author in data["author"]] == ["Sophia Martinez"]
    assert "administration’s" in html

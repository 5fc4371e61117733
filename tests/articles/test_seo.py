"""Metadata on every page (#5): canonical links, Open Graph, Twitter and JSON-LD."""

import json
import re

import pytest

from articles import services
from newsroom.timezones import machine_time
from tests.factories import (
    AuthorFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def meta(html, prop):
    return re.findall(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)


@pytest.fixture
def story(settings):
    settings.SITE_URL = "https://news.example"
    settings.SITE_NAME = "Harbourside News"
    ann, bo = AuthorFactory(name="Ann Ames"), AuthorFactory(name="Bo Berg")
    image = make_image(jpeg((1600, 1000)), alt_text="The quay at dawn", credit="Jo Bloggs")
    article = PublishedArticleFactory(
        headline="Dockers walk out",
        standfirst="The port is shut.",
        authors=[ann, bo],
        section=SectionFactory(name="Business"),
        lead_image=image,
    )
    article.tags.add("port", "unions")
    return article


class ArticlePageMetadataTests:
    @pytest.mark.slow
    def test_news_article_json_ld_names_every_author(self, client, story):
        data = json_ld(client.get(story.get_absolute_url()).content.decode())
        url = "https://news.example" + story.get_absolute_url()
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == "Dockers walk out"
        assert data["description"] == "The port is shut."
        assert data["mainEntityOfPage"]["@id"] == url
        assert [a["name"] for a in data["author"]] == ["Ann Ames", "Bo Berg"]
        assert all(
            a["@type"] == "Person" and a["url"].startswith("https://") for a in data["author"]
        )
        assert data["publisher"]["name"] == "Harbourside News"
        assert data["publisher"]["logo"]["url"].startswith("https://news.example/")
        assert data["articleSection"] == "Business"
        assert sorted(data["keywords"]) == ["port", "unions"]
        assert data["wordCount"] == story.word_count
        assert len(data["image"]) == 3 and all(i.startswith("https://") for i in data["image"])
        assert data["datePublished"] == machine_time(story.published_at)

    @pytest.mark.slow
    def test_corrections_and_modified_time(self, client, story):
        services.article_correct(
            article=story, by=EditorFactory(), kind="correction", text="A name was wrong."
        )
        story.refresh_from_db()
        html = client.get(story.get_absolute_url()).content.decode()
        data = json_ld(html)
        assert data["dateModified"] == machine_time(story.revised_at)
        assert data["correction"][0]["text"] == "Correction: A name was wrong."
        assert meta(html, "article:modified_time") == [machine_time(story.revised_at)]

    @pytest.mark.slow
    def test_open_graph_and_twitter(self, client, story):
        html = client.get(story.get_absolute_url()).content.decode()
        url = "https://news.example" + story.get_absolute_url()
        social = story.lead_image.crop("social")
        assert f'<link rel="canonical" href="{url}">' in html
        assert meta(html, "og:type") == ["article"]
        assert meta(html, "og:url") == [url]
        assert meta(html, "og:image") == ["https://news.example" + social.url]
        assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
        assert meta(html, "og:image:alt") == ["The quay at dawn"]
        assert len(meta(html, "article:author")) == 2
        assert meta(html, "article:section") == ["Business"]
        assert sorted(meta(html, "article:tag")) == ["port", "unions"]
        assert meta(html, "twitter:card") == ["summary_large_image"]
        assert meta(html, "robots") == ["max-image-preview:large"]

    @pytest.mark.slow
    def test_hostile_text_cannot_break_out_of_the_json(self, client, story):
        story.headline = '</script><script>alert(1)</script><!-- "quoted" & more'
        story.save()
        html = client.get(story.get_absolute_url()).content.decode()
        assert "<script>alert(1)" not in html
        assert json_ld(html)["headline"] == story.headline
        block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
        assert "<" not in block and ">" not in block and "&" not in block.replace("\\u0026", "")

    @pytest.mark.slow
    def test_canonical_ignores_the_host_header(self, client, story, settings):
        settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
        html = client.get(story.get_absolute_url(), HTTP_HOST="evil.example").content.decode()
        assert "evil.example" not in html


class OtherPageMetadataTests:
    def test_author_page_is_a_profile_page(self, client, settings):
        settings.SITE_URL = "https://news.example"
        author = AuthorFactory(name="Ann Ames", job_title="Port reporter", email="ann@x.example")
        data = json_ld(client.get(author.get_absolute_url()).content.decode())
        assert data["@type"] == "ProfilePage"
        assert data["mainEntity"]["name"] == "Ann Ames"
        assert data["mainEntity"]["jobTitle"] == "Port reporter"
        assert "ann@x.example" not in json.dumps(data)

    def test_front_page_canonical_keeps_only_the_page_number(self, client, settings):
        settings.SITE_URL = "https://news.example"
        PublishedArticleFactory.create_batch(21)
        html = client.get("/", {"page": 2, "utm_source": "x"}).content.decode()
        assert '<link rel="canonical" href="https://news.example/?page=2">' in html
        assert json_ld(html)["@type"] == "WebSite"

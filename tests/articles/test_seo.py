"""Metadata on every page (#5): canonical links, Open Graph, Twitter and JSON-LD."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from articles import services
from articles.models import PreviewLink
from articles.previews import preview_url
from newsroom.context_processors import og_locale
from newsroom.settings import env_picture
from newsroom.timezones import machine_time
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
    WithdrawnArticleFactory,
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


class DefaultPictureTests:
    """The site's own logo and card (#16), for search engines and for stories without a
    picture ready."""

    def test_the_shipped_pictures_are_pngs_of_the_stated_size(self, settings):
        for path, width, height in (
            settings.NEWSROOM_SITE_LOGO,
            settings.NEWSROOM_DEFAULT_SOCIAL_IMAGE,
        ):
            with Image.open(finders.find(path)) as image:
                assert (image.format, image.size) == ("PNG", (width, height))
        assert min(settings.NEWSROOM_SITE_LOGO[1:]) >= 112

    def test_the_drawing_command_makes_them_again(self, tmp_path):
        call_command("draw_brand_images", name="Harbourside News", output=tmp_path, stdout=None)
        with Image.open(tmp_path / "logo.png") as logo, Image.open(tmp_path / "social.png") as card:
            assert logo.size == (512, 512) and card.size == (1200, 630)

    def test_a_story_without_a_picture_shares_the_default(self, client, settings):
        settings.SITE_URL = "https://news.example"
        story = PublishedArticleFactory()
        html = client.get(story.get_absolute_url()).content.decode()
        card = "https://news.example/static/brand/social.png"
        assert meta(html, "og:image") == [card]
        assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
        data = json_ld(html)
        assert data["image"] == [
            {"@type": "ImageObject", "url": card, "width": 1200, "height": 630}
        ]
        assert data["publisher"]["logo"] == {
            "@type": "ImageObject",
            "url": "https://news.example/static/brand/logo.png",
            "width": 512,
            "height": 512,
        }

    def test_other_pages_share_the_default_with_its_size(self, client, settings):
        settings.SITE_URL = "https://news.example"
        html = client.get("/").content.decode()
        assert meta(html, "og:image") == ["https://news.example/static/brand/social.png"]
        assert meta(html, "og:image:width") == ["1200"]
        assert json_ld(html)["publisher"]["logo"]["width"] == 512

    def test_a_logo_of_ones_own(self, client, settings):
        settings.NEWSROOM_SITE_LOGO = ("https://cdn.example/logo.png", 600, 600)
        html = client.get("/").content.decode()
        logo = json_ld(html)["publisher"]["logo"]
        assert (logo["url"], logo["width"]) == ("https://cdn.example/logo.png", 600)


class PictureSettingTests:
    def test_a_picture_needs_its_size(self, monkeypatch):
        monkeypatch.setenv("NEWSROOM_SITE_LOGO", "https://cdn.example/logo.png")
        with pytest.raises(ImproperlyConfigured, match="NEWSROOM_SITE_LOGO_SIZE"):
            env_picture("NEWSROOM_SITE_LOGO", ("brand/logo.png", 512, 512))
        monkeypatch.setenv("NEWSROOM_SITE_LOGO_SIZE", "600x600")
        assert env_picture("NEWSROOM_SITE_LOGO", ("x", 1, 1)) == (
            "https://cdn.example/logo.png",
            600,
            600,
        )


class LocaleTests:
    @pytest.mark.parametrize(
        ("language", "locale"),
        [("en", "en_GB"), ("en-us", "en_US"), ("en-gb", "en_GB"), ("fr", "fr_FR"), ("nl", "nl")],
    )
    def test_og_locale_from_the_language(self, language, locale):
        assert og_locale(language) == locale

    def test_on_every_page(self, client, settings):
        html = client.get("/").content.decode()
        assert meta(html, "og:locale") == ["en_GB"]
        settings.NEWSROOM_LOCALES = {"en": "en-au"}
        assert meta(client.get("/").content.decode(), "og:locale") == ["en_AU"]


class NoCanonicalTests:
    """A page without an address of its own names none (#16)."""

    def test_a_preview_names_no_canonical_address(self, client):
        draft = DraftArticleFactory()
        link = services.preview_link_create(article=draft, by=EditorFactory())
        response = client.get(preview_url(link))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'rel="canonical"' not in html and "None" not in html
        assert meta(html, "robots") == ["noindex, nofollow"]

    def test_error_pages_name_no_canonical_address(self, client, settings):
        settings.SITE_URL = "https://news.example"
        withdrawn = WithdrawnArticleFactory()
        link = services.preview_link_create(article=DraftArticleFactory(), by=EditorFactory())
        PreviewLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
        pages = {
            "/no-such-page/": 404,
            withdrawn.get_absolute_url(): 410,
            preview_url(link): 410,
            "/": 405,  # A POST, below.
        }
        for path, status in pages.items():
            response = client.post(path) if status == 405 else client.get(path)
            assert response.status_code == status, path
            html = response.content.decode()
            assert 'rel="canonical"' not in html, path
            assert 'property="og:url"' not in html, path
        refused = client.get("/", HTTP_HOST="unknown.example")  # A host not allowed: 400.
        assert refused.status_code == 400
        assert 'rel="canonical"' not in refused.content.decode()

"""Hostile text in every field staff can fill comes out as text, on every page (#7).

One live story carries script- and attribute-breaking payloads in its headline, standfirst,
SEO title and description, body, lead image (caption, credit, alt text), byline author (name,
job title, bio, photo), section (name, description), tag and correction; a draft carries them
too, for the preview pages. Each public page, feed, sitemap and admin page that shows those
fields is fetched and parsed: no element gets an event handler, no script runs but the site's
own, the JSON-LD parses, the XML parses, and every value reads back exactly as it was typed.
"""

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Breaking, Correction, FrontPageSlot, Section, Tag
from articles.previews import preview_url
from authors.models import Author
from images.models import Image
from notifications.models import Notification
from notifications.services import note_add, notify, story_words
from pages.models import Page as FooterPage
from tests.articles.workflow_http import form_fields, messages_of, page_form, submit
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db

# Ends an attribute or an element, opens a script, an event handler, a comment, a CDATA end and
# a line separator (which ends a line in old JavaScript). It has no comma, as tag names can't.
PAYLOAD = "\"><script>alert(1)</script>' onmouseover='x' \u2028</script><!-- ]]>"
# Raw markup no page may contain: the payload's "<" must always arrive escaped.
BREAKOUTS = ["<script>alert(1)", "</script><!--"]

VALUES = {
    "headline": "Headline " + PAYLOAD,
    "standfirst": "Standfirst " + PAYLOAD,
    "seo_title": "SEO " + PAYLOAD,
    "seo_description": "SEO description " + PAYLOAD,
    "alt": "Alt " + PAYLOAD,
    "caption": "Caption " + PAYLOAD,
    "credit": "Credit " + PAYLOAD,
    "author": "Author " + PAYLOAD,
    "job_title": "Job " + PAYLOAD,
    "bio": "Bio " + PAYLOAD,
    "section": "Section " + PAYLOAD,
    "description": "Description " + PAYLOAD,
    "tag": "Tag " + PAYLOAD,
    "correction": "Correction " + PAYLOAD,
    "note": "Note " + PAYLOAD,
    "page_title": "Page " + PAYLOAD,
    "page_summary": "Page summary " + PAYLOAD,
    "banner": "Banner " + PAYLOAD,
}
# Markup the body's sanitiser must remove (not escape), around text that must stay.
BODY = (
    f"<p>Body quokka {html.escape(PAYLOAD)}</p>"
    '<script>alert("body")</script>'
    '<p onclick="alert(2)">Clickable <img src="x" onerror="alert(3)"></p>'
    '<p><a href="javascript:alert(4)">Script link</a> '
    '<a href="https://example.org/">Fine link</a></p>'
    '<iframe src="https://evil.example/"></iframe><style>p { color: red }</style>'
    "<!-- a comment --><svg><script>alert(5)</script></svg>"
)
BODY_TEXT = "Body quokka " + PAYLOAD


@dataclass
class World:
    editor: object
    story: Article
    draft: Article
    other: Article
    author: Author
    section: Section
    tag: Tag
    image: Image
    correction: Correction
    page: FooterPage


@pytest.fixture
def world(settings):
    settings.SITE_URL = "https://news.example"
    editor = EditorFactory()
    image = make_image(
        jpeg((800, 600)),
        alt_text=VALUES["alt"],
        caption=VALUES["caption"],
        credit=VALUES["credit"],
    )
    author = AuthorFactory(
        name=VALUES["author"], job_title=VALUES["job_title"], bio=VALUES["bio"], photo=image
    )
    section = SectionFactory(
        name=VALUES["section"], slug="hostile", description=VALUES["description"]
    )
    story = PublishedArticleFactory(
        headline=VALUES["headline"],
        slug="hostile-story",
        standfirst=VALUES["standfirst"],
        seo_title=VALUES["seo_title"],
        seo_description=VALUES["seo_description"],
        body=BODY,
        section=section,
        lead_image=image,
        authors=[author],
        created_by=editor,
    )
    story.tags.add(VALUES["tag"])
    services.revision_record(article=story, by=editor, comment="Created")
    correction = services.article_correct(
        article=story, by=editor, kind=Correction.Kind.CORRECTION, text=VALUES["correction"]
    )
    FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=story)
    # The breaking-news banner (#18): under the masthead of every public page.
    Breaking.objects.create(
        text=VALUES["banner"],
        link=story.get_absolute_url(),
        expires_at=timezone.now() + timedelta(hours=2),
        created_by=editor,
    )
    # The newsroom's notes and notifications (#15): admin pages only.
    note_add(article=story, by=editor, text=VALUES["note"])
    notify(
        kind=Notification.Kind.PUBLISHED,
        recipients=[editor],
        article=story,
        actor=None,
        text=f"{story_words(story)} went live, as scheduled.",
    )
    # A calm story in the same section: the hostile one is among its related stories.
    other = PublishedArticleFactory(
        headline="Harbour calm",
        section=section,
        published_at=timezone.now() - timedelta(hours=2),
    )
    draft = DraftArticleFactory(
        headline="Draft " + PAYLOAD,
        standfirst=VALUES["standfirst"],
        body=BODY,
        section=section,
        lead_image=image,
        authors=[author],
        created_by=editor,
    )
    draft.tags.add(VALUES["tag"])
    # A footer page (#16): its title is in the footer of every page.
    page = FooterPage.objects.create(
        title=VALUES["page_title"], slug="hostile-page", summary=VALUES["page_summary"], body=BODY
    )
    return World(
        editor=editor,
        story=Article.objects.get(pk=story.pk),
        draft=draft,
        other=other,
        author=author,
        section=section,
        tag=Tag.objects.get(),
        image=image,
        correction=correction,
        page=page,
    )


# Reading pages ------------------------------------------------------------------------------


class Page(HTMLParser):
    """An HTML page as a browser tokenises it: its elements, text, scripts and comments."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.comments: list[str] = []
        self._text: list[str] = []
        self._script = None
        self.feed(text)
        self.close()
        self.text = "".join(self._text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "script":
            self._script = (attrs, [])

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            attrs, parts = self._script
            self.scripts.append((attrs, "".join(parts)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
        else:
            self._text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)

    def attribute_values(self, name):
        return [attrs[name] for _, attrs in self.elements if attrs.get(name) is not None]

    def meta(self, key):
        """The content of <meta property|name=key>."""
        return [
            attrs.get("content")
            for tag, attrs in self.elements
            if tag == "meta" and key in (attrs.get("property"), attrs.get("name"))
        ]

    def json_ld(self):
        return [body for attrs, body in self.scripts if attrs.get("type") == "application/ld+json"]


# Inline scripts a page may carry: data, never code.
DATA_SCRIPTS = {"application/ld+json", "application/json", "importmap"}
# Script files: the site's static files, and the admin's translations.
OWN_SCRIPTS = (settings.STATIC_URL, "/admin/jsi18n/")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data"}


def assert_safe_html(response) -> Page:
    """No payload broke out: no event handler, no script but the site's own files and data,
    no script: URL, no comment swallowing content. Returns the parsed page."""
    assert response.status_code == 200, response.status_code
    raw = response.content.decode()
    for breakout in BREAKOUTS:
        assert breakout not in raw, breakout
    page = Page(raw)
    for tag, attrs in page.elements:
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, (tag, attrs)
        for name in URL_ATTRIBUTES & attrs.keys():
            assert not (attrs[name] or "").strip().lower().startswith("javascript:"), (tag, attrs)
    for attrs, body in page.scripts:
        if attrs.get("src"):
            assert attrs["src"].startswith(OWN_SCRIPTS), attrs
            assert not body.strip(), attrs
        else:
            assert attrs.get("type") in DATA_SCRIPTS, (attrs, body[:200])
            assert_safe_json_text(body)
            json.loads(body)
    for comment in page.comments:
        assert "alert" not in comment and "Headline" not in comment, comment
    return page


def assert_safe_json_text(text):
    lowered = text.lower()
    assert "</script" not in lowered and "<!--" not in text, text
    assert "\u2028" not in text and "\u2029" not in text


def assert_shows(page: Page, *names):
    for name in names:
        assert VALUES[name] in page.text, (name, page.text[:2000])


# Public pages -------------------------------------------------------------------------------

PUBLIC_PAGES = {
    # name: (address, fields the page shows as text)
    "front": (
        lambda w: "/",
        ["headline", "standfirst", "author", "section", "credit", "page_title", "banner"],
    ),
    "story": (
        lambda w: w.story.get_absolute_url(),
        [
            *("headline", "standfirst", "seo_title", "author", "section", "tag", "caption"),
            *("credit", "correction", "banner"),
        ],
    ),
    # Thumbnails carry no credit (#16): the story page and large pictures do.
    "related": (lambda w: w.other.get_absolute_url(), ["headline", "standfirst"]),
    "section": (
        lambda w: w.section.get_absolute_url(),
        ["section", "description", "headline", "standfirst", "author", "banner"],
    ),
    "tag": (lambda w: w.tag.get_absolute_url(), ["tag", "headline", "standfirst", "author"]),
    "author": (
        lambda w: w.author.get_absolute_url(),
        ["author", "job_title", "bio", "credit", "headline", "standfirst"],
    ),
    "archive-year": (lambda w: f"/{w.story.publication_date:%Y}/", ["headline", "standfirst"]),
    "archive-month": (lambda w: f"/{w.story.publication_date:%Y/%m}/", ["headline"]),
    "archive-day": (lambda w: f"/{w.story.publication_date:%Y/%m/%d}/", ["headline"]),
    "corrections": (lambda w: "/corrections/", ["headline", "correction"]),
    "search": (lambda w: "/search/?q=quokka", ["headline", "standfirst", "author", "banner"]),
    "search-reflected": (lambda w: "/search/?" + _query(PAYLOAD), []),
    # The newsroom's own pages and the staff page (#16).
    "footer-page": (lambda w: w.page.get_absolute_url(), ["page_title", "banner"]),
    "staff": (lambda w: "/staff/", ["author", "job_title", "bio", "page_title"]),
    "shared-preview": (
        lambda w: preview_url(services.preview_link_create(article=w.draft, by=w.editor)),
        ["standfirst", "author", "section", "tag", "caption", "credit"],
    ),
}


def _query(text):
    from urllib.parse import urlencode

    return urlencode({"q": text})


@pytest.mark.slow
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_show_the_payloads_as_text(client, world, name):
    address, shown = PUBLIC_PAGES[name]
    page = assert_safe_html(client.get(address(world)))
    assert_shows(page, *shown)


@pytest.mark.slow
def test_story_page_attributes_read_back_exactly(client, world):
    page = assert_safe_html(client.get(world.story.get_absolute_url()))
    # Search results and social cards get the SEO title and description (#14).
    title, summary = VALUES["seo_title"], VALUES["seo_description"]
    assert page.meta("og:title") == [title] and page.meta("twitter:title") == [title]
    assert page.meta("description") == [summary] and page.meta("og:description") == [summary]
    assert page.meta("twitter:description") == [summary]
    assert page.meta("article:section") == [VALUES["section"]]
    assert page.meta("article:tag") == [VALUES["tag"]]
    assert page.meta("og:image:alt") == [VALUES["alt"]]
    assert VALUES["alt"] in page.attribute_values("alt")


@pytest.mark.slow
def test_author_and_section_attributes_read_back_exactly(client, world):
    page = assert_safe_html(client.get(world.author.get_absolute_url()))
    assert page.meta("og:title") == [VALUES["author"]]
    assert page.meta("description") == [VALUES["bio"]]
    assert VALUES["alt"] in page.attribute_values("alt")
    page = assert_safe_html(client.get(world.section.get_absolute_url()))
    assert page.meta("description") == [VALUES["description"]]


@pytest.mark.slow
def test_footer_page_attributes_read_back_exactly(client, world):
    page = assert_safe_html(client.get(world.page.get_absolute_url()))
    assert page.meta("og:title") == [VALUES["page_title"]]
    assert page.meta("description") == [VALUES["page_summary"]]
    assert page.meta("og:description") == [VALUES["page_summary"]]


@pytest.mark.slow
def test_footer_page_body_is_clean(client, world):
    stored = FooterPage.objects.get(pk=world.page.pk).body
    for removed in ("<script", "onclick", "onerror", "<img", "<iframe", "<style", "<svg"):
        assert removed not in stored, removed
    response = client.get(world.page.get_absolute_url())
    assert_safe_html(response)
    [body] = re.findall(
        r'<div class="info-page__body">(.*?)</div>', response.content.decode(), re.S
    )
    page = Page(body)
    assert {tag for tag, _ in page.elements} == {"p", "a"}
    assert page.text.strip().startswith(BODY_TEXT)


@pytest.mark.slow
def test_search_snippet_shows_body_text_escaped(client, world):
    """The snippet is the database's text with <mark> tags added: the text must stay text."""
    response = client.get("/search/", {"q": "quokka"})
    assert_safe_html(response)
    [snippet] = re.findall(r'<p class="card__snippet">(.*?)</p>', response.content.decode(), re.S)
    page = Page(snippet)
    assert [tag for tag, _ in page.elements] == ["mark"]
    # The index folds white space (the line separator included).
    assert " ".join(BODY_TEXT.split()) in page.text


class BodyTests:
    """The body is HTML, so it is sanitised on save, not escaped: its scripts are gone."""

    @pytest.mark.slow
    def test_stored_body_keeps_the_text_and_drops_the_markup(self, world):
        body = Article.objects.get(pk=world.story.pk).body
        for removed in ("<script", "onclick", "onerror", "<img", "<iframe", "<style", "<svg"):
            assert removed not in body, removed
        for handler in ('alert("body")', "alert(2)", "alert(3)", "alert(4)", "alert(5)"):
            assert handler not in body, handler
        assert "javascript:" not in body and "<!--" not in body
        assert "Script link" in body and 'href="https://example.org/"' in body
        assert Page(body).text.startswith(BODY_TEXT)

    @pytest.mark.slow
    def test_story_page_shows_the_body_clean(self, client, world):
        response = client.get(world.story.get_absolute_url())
        assert_safe_html(response)
        raw = response.content.decode()
        [body] = re.findall(r'<div class="story__body">(.*?)</div>', raw, re.S)
        page = Page(body)
        assert {tag for tag, _ in page.elements} == {"p", "a"}
        assert [attrs.get("href") for tag, attrs in page.elements if tag == "a"] == [
            None,
            "https://example.org/",
        ]
        assert page.text.strip().startswith(BODY_TEXT)
        assert "Clickable" in page.text and "Script link" in page.text
        assert "alert(" not in page.text.replace(BODY_TEXT, "")


# JSON-LD ------------------------------------------------------------------------------------


def _json_ld(client, address) -> list[dict]:
    page = assert_safe_html(client.get(address))
    blocks = page.json_ld()
    assert blocks
    for block in blocks:
        assert_safe_json_text(block)
        assert "<" not in block and ">" not in block
    return [json.loads(block) for block in blocks]


@pytest.mark.slow
def test_story_json_ld_parses_and_reads_back(client, world):
    [data] = _json_ld(client, world.story.get_absolute_url())
    assert data["headline"] == VALUES["headline"]
    assert data["alternativeHeadline"] == VALUES["seo_title"]
    assert data["description"] == VALUES["seo_description"]
    assert [a["name"] for a in data["author"]] == [VALUES["author"]]
    assert data["articleSection"] == VALUES["section"]
    assert data["keywords"] == [VALUES["tag"]]
    assert [c["text"] for c in data["correction"]] == ["Correction: " + VALUES["correction"]]


@pytest.mark.slow
def test_author_json_ld_parses_and_reads_back(client, world):
    [data] = _json_ld(client, world.author.get_absolute_url())
    person = data["mainEntity"]
    assert person["name"] == VALUES["author"]
    assert person["jobTitle"] == VALUES["job_title"]
    assert person["description"] == VALUES["bio"]


@pytest.mark.slow
def test_front_page_json_ld_parses(client, world):
    [data] = _json_ld(client, "/")
    assert data["@type"] == "WebSite"


# Feeds --------------------------------------------------------------------------------------

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "media": "http://search.yahoo.com/mrss/",
}
FEEDS = {
    # name: (address, the feed's own title or description must contain this field)
    "latest": (lambda w: "/feed/", None),
    "section": (lambda w: f"/sections/{w.section.slug}/feed/", "section"),
    "tag": (lambda w: f"/tags/{w.tag.slug}/feed/", "tag"),
    "author": (lambda w: f"/authors/{w.author.slug}/feed/", "author"),
}


def assert_html_text(fragment: str, text: str):
    """Feed readers take <description> and <summary type="html"> as HTML: the summary must be
    escaped text in it, no markup."""
    page = Page(fragment)
    assert not page.elements and not page.comments, fragment
    assert page.text == text


def _assert_item_html(fragment: str):
    """content:encoded / Atom content: HTML of the body and the notes, safe once unescaped."""
    page = Page(fragment)
    assert not page.scripts
    assert not [attrs for _, attrs in page.elements if any(n.startswith("on") for n in attrs)]
    assert BODY_TEXT in page.text and VALUES["correction"] in page.text
    assert "javascript:" not in fragment


@pytest.mark.slow
@pytest.mark.parametrize("name", FEEDS)
def test_rss_feeds_read_back_as_text(client, world, name):
    address, own = FEEDS[name]
    response = client.get(address(world))
    assert response.status_code == 200
    assert not feedparser.parse(response.content).bozo
    channel = ET.fromstring(response.content).find("channel")
    if own:
        described = channel.findtext("title") + channel.findtext("description")
        assert VALUES[own] in described
    [item] = [i for i in channel.findall("item") if i.findtext("title") == VALUES["headline"]]
    assert_html_text(item.findtext("description"), VALUES["standfirst"])
    assert [c.text for c in item.findall("category")] == [VALUES["tag"]]
    assert [c.text for c in item.findall("dc:creator", NS)] == [VALUES["author"]]
    media = item.find("media:content", NS)
    assert media.findtext("media:description", namespaces=NS) == VALUES["caption"]
    assert media.findtext("media:credit", namespaces=NS) == VALUES["credit"]
    _assert_item_html(item.findtext("content:encoded", namespaces=NS))


@pytest.mark.slow
@pytest.mark.parametrize("name", FEEDS)
def test_atom_feeds_read_back_as_text(client, world, name):
    address, own = FEEDS[name]
    response = client.get(address(world) + "atom/")
    assert response.status_code == 200
    assert not feedparser.parse(response.content).bozo
    feed = ET.fromstring(response.content)
    if own:
        described = feed.findtext("atom:title", namespaces=NS) + feed.findtext(
            "atom:subtitle", namespaces=NS
        )
        assert VALUES[own] in described
    [entry] = [
        e
        for e in feed.findall("atom:entry", NS)
        if e.findtext("atom:title", namespaces=NS) == VALUES["headline"]
    ]
    assert_html_text(entry.findtext("atom:summary", namespaces=NS), VALUES["standfirst"])
    assert [c.get("term") for c in entry.findall("atom:category", NS)] == [VALUES["tag"]]
    names = [a.findtext("atom:name", namespaces=NS) for a in entry.findall("atom:author", NS)]
    assert names == [VALUES["author"]]
    media = entry.find("media:content", NS)
    assert media.findtext("media:description", namespaces=NS) == VALUES["caption"]
    assert media.findtext("media:credit", namespaces=NS) == VALUES["credit"]
    _assert_item_html(entry.findtext("atom:content", namespaces=NS))


# Sitemaps and robots.txt --------------------------------------------------------------------

SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.mark.slow
@pytest.mark.parametrize(
    "address",
    [
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-sections.xml",
        "/sitemap-tags.xml",
        "/sitemap-authors.xml",
        "/sitemap-pages.xml",
        "/sitemap-staff.xml",
    ],
)
def test_sitemaps_parse_and_hold_only_addresses(client, world, address):
    response = client.get(address)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [loc.text for loc in root.iter(f"{{{SITEMAP_NS['sm']}}}loc")]
    assert locations
    for location in locations:
        assert location.startswith("http") and not set(location) & set("<>\"' \u2028")


@pytest.mark.slow
def test_news_sitemap_reads_back_the_headline(client, world):
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    titles = [t.text for t in root.iter(f"{{{SITEMAP_NS['news']}}}title")]
    assert VALUES["headline"] in titles


@pytest.mark.slow
def test_robots_txt_names_no_story(client, world):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "alert" not in response.content.decode()


# The admin ----------------------------------------------------------------------------------


def _admin(name, *args, query=""):
    return lambda w: reverse(f"admin:{name}", args=[a(w) for a in args]) + query


def _pk(attribute):
    return lambda w: getattr(w, attribute).pk


def _compare(w):
    older, newer = sorted(w.story.revisions.all(), key=lambda r: (r.created_at, r.pk))[-2:]
    base = reverse("admin:articles_article_compare", args=[w.story.pk])
    return f"{base}?a={older.pk}&b={newer.pk}"


def _slot(w):
    return FrontPageSlot.objects.get().pk


ADMIN_PAGES = {
    # name: (address, fields the page shows as text)
    "index": (lambda w: reverse("admin:index"), ["headline"]),
    "stories": (_admin("articles_article_changelist"), ["headline", "author", "section"]),
    # The typed author and tag filters (#14) name what they filter by.
    "stories-by-author": (
        lambda w: reverse("admin:articles_article_changelist") + f"?author={w.author.pk}",
        ["headline", "author"],
    ),
    "stories-by-tag": (
        lambda w: (
            reverse("admin:articles_article_changelist") + "?" + urlencode({"tag": w.tag.name})
        ),
        ["headline", "tag"],
    ),
    "stories-search": (_admin("articles_article_changelist", query="?" + _query(PAYLOAD)), []),
    # The SEO fieldset's preview of the search result and the social card (#14).
    "story": (
        _admin("articles_article_change", _pk("story")),
        ["correction", "seo_title", "seo_description", "note"],
    ),
    "draft": (_admin("articles_article_change", _pk("draft")), []),
    "story-history": (_admin("articles_article_history", _pk("story")), ["headline"]),
    "revisions": (_admin("articles_article_revisions", _pk("story")), ["headline"]),
    "compare": (_compare, ["headline"]),
    "preview": (_admin("articles_article_preview", _pk("draft")), ["standfirst", "caption"]),
    "preview-links": (_admin("articles_article_preview_links", _pk("draft")), []),
    "story-delete": (_admin("articles_article_delete", _pk("story")), ["headline"]),
    "sections": (_admin("articles_section_changelist"), ["section"]),
    "section": (_admin("articles_section_change", _pk("section")), []),
    "section-delete": (_admin("articles_section_delete", _pk("section")), ["section"]),
    "tags": (_admin("articles_tag_changelist"), ["tag"]),
    "tag": (_admin("articles_tag_change", _pk("tag")), []),
    "tag-delete": (_admin("articles_tag_delete", _pk("tag")), ["tag"]),
    "slots": (_admin("articles_frontpageslot_changelist"), []),
    "slot": (lambda w: reverse("admin:articles_frontpageslot_change", args=[_slot(w)]), []),
    "banners": (_admin("articles_breaking_changelist"), ["banner"]),
    "authors": (_admin("authors_author_changelist"), ["author", "job_title"]),
    "author": (_admin("authors_author_change", _pk("author")), []),
    "author-delete": (_admin("authors_author_delete", _pk("author")), ["author"]),
    "images": (_admin("images_image_changelist"), ["credit"]),
    "image": (_admin("images_image_change", _pk("image")), []),
    "image-delete": (_admin("images_image_delete", _pk("image")), []),
    "author-history": (_admin("authors_author_history", _pk("author")), ["author"]),
    "image-history": (_admin("images_image_history", _pk("image")), ["alt"]),
    "section-history": (_admin("articles_section_history", _pk("section")), ["section"]),
    "tag-history": (_admin("articles_tag_history", _pk("tag")), ["tag"]),
    "notifications": (_admin("notifications_notification_changelist"), ["headline"]),
    "footer-pages": (_admin("pages_page_changelist"), ["page_title"]),
    "footer-page": (_admin("pages_page_change", _pk("page")), []),
    "footer-page-delete": (_admin("pages_page_delete", _pk("page")), ["page_title"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_show_the_payloads_as_text(client, world, name):
    older = world.story.headline
    story = world.story
    story.headline = older + " (updated)"
    story.save()
    services.revision_record(article=story, by=world.editor, comment="Edited headline")
    story.headline = older
    story.save()
    client.force_login(world.editor)
    address, shown = ADMIN_PAGES[name]
    page = assert_safe_html(client.get(address(world)))
    assert_shows(page, *shown)


@pytest.mark.slow
def test_admin_forms_hold_the_payloads_as_values(client, world):
    """What a form shows is exactly what was typed, so saving it unchanged changes nothing."""
    client.force_login(world.editor)
    fields = form_fields(
        client.get(
            reverse("admin:articles_article_change", args=[world.story.pk])
        ).content.decode(),
        "article_form",
    )
    assert fields["headline"] == VALUES["headline"]
    assert fields["standfirst"] == VALUES["standfirst"]
    assert fields["seo_title"] == VALUES["seo_title"]
    assert fields["seo_description"] == VALUES["seo_description"]
    fields = form_fields(
        client.get(reverse("admin:authors_author_change", args=[world.author.pk])).content.decode(),
        "author_form",
    )
    assert (fields["name"], fields["job_title"], fields["bio"]) == (
        VALUES["author"],
        VALUES["job_title"],
        VALUES["bio"],
    )
    fields = form_fields(
        client.get(reverse("admin:images_image_change", args=[world.image.pk])).content.decode(),
        "image_form",
    )
    assert (fields["alt_text"], fields["caption"], fields["credit"]) == (
        VALUES["alt"],
        VALUES["caption"],
        VALUES["credit"],
    )


@pytest.mark.slow
def test_trash_pages_and_messages(client, world):
    """The trash lists stories by headline and byline, and names them when restoring."""
    client.force_login(world.editor)
    changelist = reverse("admin:articles_article_changelist")
    data = {"action": "trash_selected", "index": "0", "_selected_action": [world.draft.pk]}
    page, shown = _follow_messages(submit(client, changelist, data, follow=True))
    assert any(m.startswith("Moved “") for m in shown) and world.draft.headline in page.text
    trash = reverse("admin:articles_trashedarticle_changelist")
    page = assert_safe_html(client.get(trash))
    assert world.draft.headline in page.text and VALUES["author"] in page.text
    page = assert_safe_html(
        client.get(reverse("admin:articles_trashedarticle_change", args=[world.draft.pk]))
    )
    assert VALUES["standfirst"] in page.text
    data = {"action": "restore_selected", "index": "0", "_selected_action": [world.draft.pk]}
    page, shown = _follow_messages(submit(client, trash, data, follow=True))
    assert any("Restored" in m for m in shown) and world.draft.headline in page.text


def _follow_messages(response) -> tuple[Page, list[str]]:
    page = assert_safe_html(response)
    return page, messages_of(response)


class AdminMessageTests:
    """The messages after a save or an action name the object: as text, never as markup."""

    @pytest.mark.slow
    def test_saving_a_story(self, client, world):
        client.force_login(world.editor)
        url = reverse("admin:articles_article_change", args=[world.story.pk])
        response = submit(client, url, page_form(client.get(url)), follow=True)
        page, shown = _follow_messages(response)
        # Nothing was typed: nothing is saved, and the message says so, naming the story.
        assert any(m.startswith("Nothing to save") for m in shown), shown
        assert f"Nothing to save: “{VALUES['headline']}” is as it was." in page.text
        data = page_form(client.get(url), standfirst="A new standfirst.")
        page, shown = _follow_messages(submit(client, url, data, follow=True))
        assert f"Saved the changes to “{VALUES['headline']}” as a draft" in page.text

    @pytest.mark.slow
    @pytest.mark.parametrize(
        ("action", "which", "message"),
        [
            ("publish_selected", "story", "is already live"),
            ("publish_selected", "draft", "Published “"),
            ("submit_selected", "story", "was not submitted"),
            ("withdraw_selected", "draft", "was not withdrawn: it is a draft"),
            ("withdraw_selected", "story", "Withdrew “"),
        ],
    )
    def test_list_actions(self, client, world, action, which, message):
        client.force_login(world.editor)
        article = getattr(world, which)
        data = {"action": action, "index": "0", "_selected_action": [article.pk]}
        # Withdrawing asks for the reason first, on a page of its own.
        data.update({"_confirmed": "yes", "reason": "<b>Legal</b> advice."})
        response = submit(client, reverse("admin:articles_article_changelist"), data, follow=True)
        page, shown = _follow_messages(response)
        assert any(message in m for m in shown), shown
        assert any(article.headline in html.unescape(m) for m in shown), shown
        assert article.headline in page.text

    @pytest.mark.slow
    def test_stale_list_warning(self, client, world):
        client.force_login(world.editor)
        data = {
            "action": "publish_selected",
            "index": "0",
            "_selected_action": [world.story.pk],
            "_loaded_at": (timezone.now() - timedelta(days=1)).isoformat(),
        }
        response = submit(client, reverse("admin:articles_article_changelist"), data, follow=True)
        page, shown = _follow_messages(response)
        assert any("was left alone" in m for m in shown), shown
        assert VALUES["headline"] in page.text

    @pytest.mark.slow
    @pytest.mark.parametrize(
        ("model", "attribute", "form_id", "field"),
        [
            ("authors_author", "author", "author_form", "author"),
            ("images_image", "image", "image_form", "alt"),
            ("articles_section", "section", "section_form", "section"),
            ("articles_tag", "tag", "tag_form", "tag"),
            ("pages_page", "page", "page_form", "page_title"),
        ],
    )
    def test_saving_other_records(self, client, world, model, attribute, form_id, field):
        client.force_login(world.editor)
        url = reverse(f"admin:{model}_change", args=[getattr(world, attribute).pk])
        data = form_fields(client.get(url).content.decode(), form_id)
        data["_save"] = "Save"
        response = submit(client, url, data, follow=True)
        page, shown = _follow_messages(response)
        assert any("was changed successfully" in m for m in shown), shown
        assert VALUES[field] in page.text

    @pytest.mark.slow
    def test_preview_link_and_restore_messages(self, client, world):
        client.force_login(world.editor)
        url = reverse("admin:articles_article_preview_links", args=[world.draft.pk])
        page, shown = _follow_messages(submit(client, url, {}, follow=True))
        assert any("New preview link" in m for m in shown), shown
        revision = services.revision_record(article=world.draft, by=world.editor, comment="x")
        services.article_save(
            article=world.draft, by=world.editor, changes={"standfirst": "Changed since."}
        )
        restore = reverse("admin:articles_article_restore", args=[world.draft.pk, revision.pk])
        page, shown = _follow_messages(client.post(restore, follow=True))
        assert any("Restored the text" in m for m in shown), shown

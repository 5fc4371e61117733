"""Feed discovery (#16): every reader's page names the site's feeds in its <head>, a section's,
tag's or author's page its own feeds first, a story its section's; section, tag and author
pages also show a visible link to their feed."""

import re
from html.parser import HTMLParser

import pytest

from pages.models import Page
from tests.factories import AuthorFactory, PublishedArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITE = [
    ("application/rss+xml", "/feed/"),
    ("application/atom+xml", "/feed/atom/"),
]


class Head(HTMLParser):
    """The alternate links of a page's <head>: (type, href, title)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.alternates, self._in_head = [], False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self._in_head = True
        elif tag == "link" and self._in_head and attrs.get("rel") == "alternate":
            self.alternates.append((attrs["type"], attrs["href"], attrs["title"]))

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False


def alternates(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return Head(response.content.decode()).alternates


def feeds(found):
    return [(kind, href) for kind, href, _ in found]


@pytest.fixture
def story(settings):
    settings.SITE_NAME = "Harbourside Herald"
    section = SectionFactory(name="Business", slug="business")
    author = AuthorFactory(name="Tomasz Nowak", slug="tomasz-nowak")
    story = PublishedArticleFactory(section=section, authors=[author])
    story.tags.add("Port & harbour")
    return story


class FeedDiscoveryTests:
    def test_front_page_names_the_sites_feeds(self, client, story):
        found = alternates(client, "/")
        assert feeds(found) == SITE
        assert [title for *_, title in found] == [
            "Harbourside Herald",
            "Harbourside Herald (Atom)",
        ]

    def test_section_page_names_its_own_feeds_first(self, client, story):
        found = alternates(client, "/sections/business/")
        assert feeds(found) == [
            ("application/rss+xml", "/sections/business/feed/"),
            ("application/atom+xml", "/sections/business/feed/atom/"),
            *SITE,
        ]
        assert found[0][2] == "Business – Harbourside Herald"

    def test_tag_page_names_its_own_feeds_first(self, client, story):
        tag = story.tags.get()
        found = alternates(client, tag.get_absolute_url())
        assert feeds(found) == [
            ("application/rss+xml", f"/tags/{tag.slug}/feed/"),
            ("application/atom+xml", f"/tags/{tag.slug}/feed/atom/"),
            *SITE,
        ]
        assert found[0][2] == "Port & harbour – Harbourside Herald"

    def test_author_page_names_its_own_feeds_first(self, client, story):
        found = alternates(client, "/authors/tomasz-nowak/")
        assert feeds(found) == [
            ("application/rss+xml", "/authors/tomasz-nowak/feed/"),
            ("application/atom+xml", "/authors/tomasz-nowak/feed/atom/"),
            *SITE,
        ]

    def test_story_page_names_its_sections_feeds(self, client, story):
        assert feeds(alternates(client, story.get_absolute_url())) == [
            ("application/rss+xml", "/sections/business/feed/"),
            ("application/atom+xml", "/sections/business/feed/atom/"),
            *SITE,
        ]

    def test_story_without_a_section_names_the_sites_feeds(self, client):
        story = PublishedArticleFactory(section=None)
        assert feeds(alternates(client, story.get_absolute_url())) == SITE

    def test_other_reader_pages_name_the_sites_feeds(self, client, story):
        Page.objects.create(title="About us", slug="about")
        day = story.publication_date
        for path in ("/corrections/", "/staff/", "/pages/about/", f"/{day:%Y}/", "/search/"):
            assert feeds(alternates(client, path)) == SITE, path

    def test_every_named_feed_is_a_feed(self, client, story):
        for path in (
            "/",
            "/sections/business/",
            story.get_absolute_url(),
            "/authors/tomasz-nowak/",
        ):
            for kind, href, _ in alternates(client, path):
                response = client.get(href)
                assert response.status_code == 200, href
                assert response["Content-Type"].startswith(kind), (href, response["Content-Type"])

    def test_titles_are_escaped(self, client, settings):
        settings.SITE_NAME = 'The "Quay" <Post>'
        section = SectionFactory(name='Docks "&" <b>ships</b>', slug="docks")
        PublishedArticleFactory(section=section)
        text = client.get("/sections/docks/").content.decode()
        assert (
            'title="Docks &quot;&amp;&quot; &lt;b&gt;ships&lt;/b&gt; – The &quot;Quay&quot; '
            '&lt;Post&gt;"' in text
        )
        assert "<b>ships</b>" not in text


class VisibleFeedLinkTests:
    @pytest.mark.parametrize(
        ("path", "href", "name"),
        [
            ("/sections/business/", "/sections/business/feed/", "Business"),
            ("/authors/tomasz-nowak/", "/authors/tomasz-nowak/feed/", "Tomasz Nowak"),
        ],
    )
    def test_listing_pages_link_to_their_feed(self, client, story, path, href, name):
        text = client.get(path).content.decode()
        link = re.search(rf'<p class="feed-link"><a href="{href}">(.*?)</a></p>', text, re.S)
        assert link, path
        accessible = re.sub(r"<svg.*?</svg>|<[^>]+>", "", link.group(1), flags=re.S)
        assert accessible == f"RSS feed for {name}"
        assert 'aria-hidden="true"' in link.group(1)

    def test_tag_page_links_to_its_feed(self, client, story):
        tag = story.tags.get()
        text = client.get(tag.get_absolute_url()).content.decode()
        assert f'<p class="feed-link"><a href="/tags/{tag.slug}/feed/">' in text
        assert '<span class="visually-hidden"> for Port &amp; harbour</span>' in text

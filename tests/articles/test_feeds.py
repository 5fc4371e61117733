"""RSS and Atom feeds: what each item carries, what never appears, and that nothing a writer
types can break the XML."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.models import Correction
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    PublishedArticleFactory,
    ReviewArticleFactory,
    ScheduledArticleFactory,
    SectionFactory,
    WithdrawnArticleFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
}
HOSTILE = 'Tom & Jerry <script>alert("x")</script> ]]> > the rest'


def fetch(client, path, content_type=RSS_TYPE):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == content_type
    ET.fromstring(response.content)  # well-formed XML, whatever else happens
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def absolute(path):
    return f"http://testserver{path}"


@pytest.fixture
def story():
    """A live story with two authors, two tags, a lead image and a correction."""
    first, second = AuthorFactory(name="Ada Byline"), AuthorFactory(name="Ben Byline")
    image = make_image(
        jpeg((480, 320)), alt_text="A tram at night", caption="The last tram", credit="Cy Lens"
    )
    article = PublishedArticleFactory(
        headline="Trams return to the city",
        authors=[first, second],
        section=SectionFactory(name="City"),
        lead_image=image,
        body="<p>The trams are back after ten years.</p>",
    )
    article.tags.add("Transport", "Städte")
    Correction.objects.create(article=article, text="An earlier version gave the wrong year.")
    article.revised_at = article.published_at + timedelta(minutes=30)
    article.save()
    return article


@pytest.fixture
def hidden():
    """Stories readers can't see, each in the City section and tagged "transport"."""
    section = SectionFactory(name="City")
    stories = [
        DraftArticleFactory(headline="Hidden draft", section=section),
        ScheduledArticleFactory(headline="Hidden scheduled", section=section),
        ReviewArticleFactory(headline="Hidden review", section=section),
        WithdrawnArticleFactory(headline="Hidden withdrawn", section=section),
    ]
    for article in stories:
        article.tags.add("Transport")
    return stories


class RssFeedTests:
    def test_site_feed_items(self, client, story):
        response, parsed = fetch(client, "/feed/")
        assert parsed.version == "rss20"
        assert parsed.feed.title == "Newsroom"
        assert parsed.feed.link == absolute("/")
        assert parsed.feed.language == "en"
        [entry] = parsed.entries
        url = absolute(story.get_absolute_url())
        assert entry.title == "Trams return to the city"
        assert entry.link == url
        assert entry.id == url
        assert [author.name for author in entry.authors] == ["Ada Byline", "Ben Byline"]
        assert sorted(tag.term for tag in entry.tags) == ["Städte", "Transport"]
        assert entry.published_parsed is not None
        assert entry.updated_parsed is not None  # from revised_at (dcterms:modified)

    def test_item_has_one_creator_per_author_and_full_content(self, client, story):
        response, parsed = fetch(client, "/feed/")
        item = ET.fromstring(response.content).find("channel/item")
        assert [c.text for c in item.findall("dc:creator", NS)] == ["Ada Byline", "Ben Byline"]
        assert item.find("guid").get("isPermaLink") == "true"
        content = item.find("content:encoded", NS).text
        assert "<p>The trams are back after ten years.</p>" in content
        # Corrections come at the end of the content.
        assert content.index("ten years") < content.index("gave the wrong year")
        assert parsed.entries[0].content[0].value.count("wrong year") == 1

    def test_lead_image_as_media_content(self, client, story):
        response, parsed = fetch(client, "/feed/")
        crop = story.lead_image.crop("social")
        [media] = parsed.entries[0].media_content
        assert media["url"] == absolute(crop.url)
        assert media["width"] == str(crop.width)
        assert media["height"] == str(crop.height)
        assert media["type"] == "image/jpeg"
        element = ET.fromstring(response.content).find("channel/item/media:content", NS)
        assert element.find("media:description", NS).text == "The last tram"
        assert element.find("media:credit", NS).text == "Cy Lens"

    def test_summary_only_setting(self, client, story, settings):
        settings.NEWSROOM_FEED_FULL_CONTENT = False
        response, parsed = fetch(client, "/feed/")
        item = ET.fromstring(response.content).find("channel/item")
        assert item.find("content:encoded", NS) is None
        assert item.find("description").text == story.summary
        # (feedparser files media:description under "content" too.)
        assert all("ten years" not in c.value for c in parsed.entries[0].get("content", []))
        assert b"ten years" not in response.content

    def test_newest_first_and_at_most_thirty(self, client):
        now = timezone.now()
        for hours in range(1, 33):
            PublishedArticleFactory(
                headline=f"Story {hours}", published_at=now - timedelta(hours=hours)
            )
        response, parsed = fetch(client, "/feed/")
        assert [entry.title for entry in parsed.entries] == [f"Story {h}" for h in range(1, 31)]


class AtomFeedTests:
    def test_site_feed_items(self, client, story):
        response, parsed = fetch(client, "/feed/atom/", ATOM_TYPE)
        assert parsed.version == "atom10"
        assert (
            ET.fromstring(response.content).get("{http://www.w3.org/XML/1998/namespace}lang")
            == "en"
        )
        [entry] = parsed.entries
        url = absolute(story.get_absolute_url())
        assert entry.title == "Trams return to the city"
        assert entry.link == url
        assert entry.id == url
        assert [author.name for author in entry.authors] == ["Ada Byline", "Ben Byline"]
        assert entry.authors[0].href == absolute(story.byline_authors[0].get_absolute_url())
        assert sorted(tag.term for tag in entry.tags) == ["Städte", "Transport"]
        assert "ten years" in entry.content[0].value
        assert "wrong year" in entry.content[0].value
        assert entry.updated_parsed[:5] == story.revised_at.utctimetuple()[:5]
        assert entry.media_content[0]["url"] == absolute(story.lead_image.crop("social").url)

    def test_every_entry_has_updated(self, client):
        PublishedArticleFactory()
        response, _ = fetch(client, "/feed/atom/", ATOM_TYPE)
        entry = ET.fromstring(response.content).find("atom:entry", NS)
        assert entry.find("atom:updated", NS) is not None

    def test_summary_only_setting(self, client, story, settings):
        settings.NEWSROOM_FEED_FULL_CONTENT = False
        response, parsed = fetch(client, "/feed/atom/", ATOM_TYPE)
        entry = ET.fromstring(response.content).find("atom:entry", NS)
        assert entry.find("atom:content", NS) is None
        assert entry.find("atom:summary", NS).text == story.summary


class FilteredFeedTests:
    @pytest.mark.parametrize("suffix", ["", "atom/"])
    def test_section_tag_and_author_feeds(self, client, story, suffix):
        other = PublishedArticleFactory(headline="Elsewhere", section=SectionFactory(name="Sport"))
        other.tags.add("Football")
        content_type = ATOM_TYPE if suffix else RSS_TYPE
        author = story.byline_authors[1]
        tag = story.tags.get(name="Städte")
        for path in [
            f"/sections/city/feed/{suffix}",
            f"{tag.get_absolute_url()}feed/{suffix}",
            f"/authors/{author.slug}/feed/{suffix}",
        ]:
            _, parsed = fetch(client, path, content_type)
            assert [entry.title for entry in parsed.entries] == [story.headline], path
        _, parsed = fetch(client, f"/sections/city/feed/{suffix}", content_type)
        assert parsed.feed.title == "City – Newsroom"

    def test_unicode_tag_slug(self, client, story):
        tag = story.tags.get(name="Städte")
        assert tag.slug == "städte"
        _, parsed = fetch(client, "/tags/städte/feed/")
        assert parsed.feed.title == "Städte – Newsroom"
        assert parsed.feed.link == absolute(tag.get_absolute_url())

    @pytest.mark.parametrize(
        "path", ["/sections/nowhere/feed/", "/tags/nowhere/feed/", "/authors/nobody/feed/"]
    )
    def test_unknown_objects_are_404(self, client, path):
        assert client.get(path).status_code == 404


class HiddenStoriesTests:
    @pytest.mark.parametrize(
        "path",
        [
            "/feed/",
            "/feed/atom/",
            "/sections/city/feed/",
            "/sections/city/feed/atom/",
            "/tags/transport/feed/",
            "/tags/transport/feed/atom/",
        ],
    )
    def test_only_live_stories(self, client, story, hidden, path):
        response = client.get(path)
        parsed = feedparser.parse(response.content)
        assert [entry.title for entry in parsed.entries] == [story.headline]
        assert b"Hidden" not in response.content

    def test_author_of_hidden_stories_only(self, client, hidden):
        for article in hidden:
            author = article.byline_authors[0]
            _, parsed = fetch(client, f"/authors/{author.slug}/feed/")
            assert parsed.entries == []


class EscapingTests:
    @pytest.mark.parametrize(
        ("path", "content_type"), [("/feed/", RSS_TYPE), ("/feed/atom/", ATOM_TYPE)]
    )
    def test_hostile_text_does_not_break_the_xml(self, client, path, content_type):
        author = AuthorFactory(name="<Ann> & ]]> Co")
        image = make_image(jpeg((480, 320)), alt_text="x", caption="<i>]]></i> & co", credit="A&B")
        article = PublishedArticleFactory(
            headline=HOSTILE + "\x0b",
            standfirst="a < b & c ]]> d",
            authors=[author],
            lead_image=image,
            section=SectionFactory(name="R&D <Lab>", slug="r-d-lab"),
        )
        article.tags.add("<b>bold</b> & ]]>")
        Correction.objects.create(article=article, text="<script>x</script> ]]> & oops")
        response, parsed = fetch(client, path, content_type)
        [entry] = parsed.entries
        assert entry.title == HOSTILE
        assert entry.authors[0].name == "<Ann> & ]]> Co"
        assert [tag.term for tag in entry.tags] == ["<b>bold</b> & ]]>"]
        assert b"<script>" not in response.content
        # The section feed's title comes from the section's name.
        _, parsed = fetch(client, f"/sections/{article.section.slug}/{path[1:]}", content_type)
        assert parsed.feed.title == "R&D <Lab> – Newsroom"


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "/feed/",
        "/feed/atom/",
        "/sections/city/feed/",
        "/tags/politics/feed/",
        "/tags/politics/feed/atom/",
        "author",
    ],
)
def test_feed_query_count_does_not_grow_with_stories(client, path):
    from tests.articles.test_queries import make_stories, queries_for

    author = AuthorFactory()
    path = f"/authors/{author.slug}/feed/" if path == "author" else path
    make_stories(2, author)
    with_few = queries_for(client, path)
    make_stories(28, author)
    with_many = queries_for(client, path)
    assert with_few == with_many
    assert with_many <= 9

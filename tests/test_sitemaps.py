"""The sitemap index and its sitemaps, the Google News sitemap and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import services
from newsroom.timezones import machine_time
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReviewArticleFactory,
    ScheduledArticleFactory,
    SectionFactory,
    WithdrawnArticleFactory,
)

pytestmark = pytest.mark.django_db

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SITEMAP_NS, "news": NEWS_NS}
HOSTILE = 'Tom & Jerry <script>alert("x")</script> ]]> > it\'s'


def absolute(path):
    return f"http://testserver{path}"


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response, ET.fromstring(response.content)


def locations(root):
    return {loc.text for loc in root.iterfind("sm:url/sm:loc", NS)}


@pytest.fixture
def live():
    """A live story (section City, tag Trams, two authors) and an older one in Sport."""
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    story = PublishedArticleFactory(
        headline="Trams return", section=city, authors=[AuthorFactory(), AuthorFactory()]
    )
    story.tags.add("Trams", "Städte")
    older = PublishedArticleFactory(
        headline="Cup final", section=sport, published_at=timezone.now() - timedelta(days=5)
    )
    return story, older


@pytest.fixture
def hidden():
    """Stories readers can't see, each in its own section and tag."""
    stories = []
    for name, factory in [
        ("draft", DraftArticleFactory),
        ("scheduled", ScheduledArticleFactory),
        ("review", ReviewArticleFactory),
        ("withdrawn", WithdrawnArticleFactory),
    ]:
        article = factory(headline=f"Hidden {name}", section=SectionFactory(name=f"Only {name}"))
        article.tags.add(f"only-{name}")
        stories.append(article)
    return stories


class SitemapIndexTests:
    def test_index_lists_the_stories_and_the_newsroom_pages_sitemaps(self, client, live):
        response, root = fetch(client, "/sitemap.xml")
        assert response["Content-Type"] == "application/xml"
        assert root.tag == f"{{{SITEMAP_NS}}}sitemapindex"
        listed = [loc.text for loc in root.iterfind("sm:sitemap/sm:loc", NS)]
        assert listed == [
            absolute(f"/sitemap-{name}.xml")
            for name in ("articles", "sections", "tags", "authors", "pages", "staff")
        ]
        for lastmod in root.iterfind("sm:sitemap/sm:lastmod", NS):
            assert parse_datetime(lastmod.text) is not None

    def test_empty_site(self, client):
        _, root = fetch(client, "/sitemap.xml")
        for name in ("articles", "sections", "tags", "authors"):
            _, root = fetch(client, f"/sitemap-{name}.xml")
            assert locations(root) == set()


class SitemapTests:
    def test_articles(self, client, live, hidden):
        story, older = live
        response, root = fetch(client, "/sitemap-articles.xml")
        assert root.tag == f"{{{SITEMAP_NS}}}urlset"
        assert locations(root) == {
            absolute(story.get_absolute_url()),
            absolute(older.get_absolute_url()),
        }
        lastmods = [lm.text for lm in root.iterfind("sm:url/sm:lastmod", NS)]
        assert len(lastmods) == 2
        story.refresh_from_db()
        assert lastmods[0] == machine_time(story.published_at)

    def test_sections_only_with_live_stories(self, client, live, hidden):
        story, older = live
        SectionFactory(name="Empty")
        _, root = fetch(client, "/sitemap-sections.xml")
        assert locations(root) == {absolute("/sections/city/"), absolute("/sections/sport/")}

    def test_sections_lastmod_is_their_newest_live_story(self, client, live):
        story, older = live
        _, root = fetch(client, "/sitemap-sections.xml")
        by_location = {
            url.find("sm:loc", NS).text: url.find("sm:lastmod", NS).text
            for url in root.iterfind("sm:url", NS)
        }
        assert by_location[absolute("/sections/city/")].startswith(
            story.published_at.date().isoformat()
        )
        assert by_location[absolute("/sections/sport/")].startswith(
            older.published_at.date().isoformat()
        )

    def test_tags_only_with_live_stories(self, client, live, hidden):
        story, _ = live
        _, root = fetch(client, "/sitemap-tags.xml")
        assert locations(root) == {absolute(tag.get_absolute_url()) for tag in story.tags.all()}
        assert absolute("/tags/st%C3%A4dte/") in locations(root)

    def test_authors_only_with_live_stories(self, client, live, hidden):
        story, older = live
        AuthorFactory()  # no stories at all
        _, root = fetch(client, "/sitemap-authors.xml")
        expected = {*story.byline_authors, *older.byline_authors}
        assert locations(root) == {absolute(author.get_absolute_url()) for author in expected}


class SplitSitemapTests:
    def test_the_index_lists_as_many_story_files_as_needed(self, client, monkeypatch):
        from articles.sitemaps import ArticleSitemap

        assert ArticleSitemap.limit == 5000
        monkeypatch.setattr(ArticleSitemap, "limit", 2)
        stories = PublishedArticleFactory.create_batch(5)
        _, index = fetch(client, "/sitemap.xml")
        listed_files = index.iterfind("sm:sitemap/sm:loc", NS)
        files = sorted(loc.text for loc in listed_files if "sitemap-articles" in loc.text)
        assert files == [
            absolute("/sitemap-articles.xml"),
            absolute("/sitemap-articles.xml?p=2"),
            absolute("/sitemap-articles.xml?p=3"),
        ]
        listed = set()
        for page in (1, 2, 3):
            _, root = fetch(client, f"/sitemap-articles.xml?p={page}")
            listed |= locations(root)
        assert listed == {absolute(story.get_absolute_url()) for story in stories}

    def test_story_files_are_ranges_of_ids_with_only_live_stories(self, client, monkeypatch):
        """Each file holds the live stories of a range of ids (#17): hidden stories between
        them leave gaps, never take a place, and no file holds more than the limit."""
        from articles.sitemaps import ArticleSitemap

        monkeypatch.setattr(ArticleSitemap, "limit", 3)
        made = [
            factory()
            for factory in [PublishedArticleFactory, DraftArticleFactory, ScheduledArticleFactory]
            * 3
            + [WithdrawnArticleFactory, PublishedArticleFactory]
        ]
        live = [story for story in made if story.is_published()]
        _, index = fetch(client, "/sitemap.xml")
        files = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS)]
        pages = [f for f in files if "sitemap-articles" in f]
        assert len(pages) == 4  # 11 ids, 3 a file
        listed = []
        for page in range(1, len(pages) + 1):
            _, root = fetch(client, f"/sitemap-articles.xml?p={page}")
            assert len(locations(root)) <= 3
            listed += [loc.text for loc in root.iterfind("sm:url/sm:loc", NS)]
        assert sorted(listed) == sorted(absolute(story.get_absolute_url()) for story in live)

    @pytest.mark.parametrize("page", ["0", "5", "abc", "-1", "1.5"])
    def test_a_page_that_is_not_there_is_404(self, client, page):
        PublishedArticleFactory.create_batch(2)
        assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404


class NewsSitemapTests:
    def test_recent_live_stories(self, client, live, hidden):
        story, older = live
        response, root = fetch(client, "/news-sitemap.xml")
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        assert root.tag == f"{{{SITEMAP_NS}}}urlset"
        [url] = root.findall("sm:url", NS)  # the older story is 5 days old
        assert url.find("sm:loc", NS).text == absolute(story.get_absolute_url())
        news = url.find("news:news", NS)
        assert news.find("news:publication/news:name", NS).text == "Newsroom"
        assert news.find("news:publication/news:language", NS).text == "en"
        assert news.find("news:title", NS).text == "Trams return"
        published = parse_datetime(news.find("news:publication_date", NS).text)
        assert published == story.published_at.replace(microsecond=0)

    def test_language_code_for_google(self, client, live, settings):
        settings.LANGUAGE_CODE = "en-gb"
        _, root = fetch(client, "/news-sitemap.xml")
        assert root.find("sm:url/news:news/news:publication/news:language", NS).text == "en"

    def test_hostile_headline(self, client):
        PublishedArticleFactory(headline=HOSTILE + "\x0b")
        response, root = fetch(client, "/news-sitemap.xml")
        assert root.find("sm:url/news:news/news:title", NS).text == HOSTILE
        assert b"<script>" not in response.content

    def test_at_most_two_days(self, client):
        now = timezone.now()
        recent = PublishedArticleFactory(published_at=now - timedelta(days=1, hours=23))
        PublishedArticleFactory(published_at=now - timedelta(days=2, hours=1))
        _, root = fetch(client, "/news-sitemap.xml")
        assert locations(root) == {absolute(recent.get_absolute_url())}

    def test_limit(self, client, monkeypatch):
        monkeypatch.setattr("articles.sitemaps.NEWS_LIMIT", 2)
        now = timezone.now()
        stories = [
            PublishedArticleFactory(published_at=now - timedelta(minutes=m)) for m in (1, 2, 3)
        ]
        _, root = fetch(client, "/news-sitemap.xml")
        assert locations(root) == {absolute(s.get_absolute_url()) for s in stories[:2]}


class RobotsTests:
    def test_robots_txt(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert "User-agent: *" in lines
        assert "Disallow: /admin/" in lines
        assert "Disallow: /preview/" in lines
        assert "Sitemap: http://testserver/sitemap.xml" in lines
        assert "Sitemap: http://testserver/news-sitemap.xml" in lines

    def test_robots_txt_over_https(self, client):
        response = client.get("/robots.txt", secure=True)
        assert "Sitemap: https://testserver/sitemap.xml" in response.content.decode()


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-sections.xml",
        "/sitemap-tags.xml",
        "/sitemap-authors.xml",
        "/news-sitemap.xml",
    ],
)
def test_sitemap_query_count_does_not_grow_with_stories(client, path):
    from tests.articles.test_queries import make_stories, queries_for

    author = AuthorFactory()
    make_stories(2, author)
    with_few = queries_for(client, path)
    make_stories(28, author)
    with_many = queries_for(client, path)
    assert with_few == with_many
    # 10, and the lookups' versions (newsroom/lookups.py), read in place of the connection's
    # health check (a SELECT 1 no capture counts).
    assert with_many <= 11


class LastmodTests:
    """lastmod is the time readers see on the story, "Updated" or published (#16)."""

    def test_a_save_readers_are_not_told_of_leaves_lastmod_alone(self, client, live):
        story, _ = live
        story.standfirst = "A typo fixed."
        story.save()
        _, root = fetch(client, "/sitemap-articles.xml")
        lastmod = root.find("sm:url/sm:lastmod", NS).text
        assert lastmod == machine_time(story.published_at)
        assert parse_datetime(lastmod).microsecond == 0  # To the second, with its offset.

    def test_an_update_moves_lastmod_to_the_updated_time(self, client, live):
        story, _ = live
        services.article_correct(
            article=story, by=EditorFactory(), kind="correction", text="A name was wrong."
        )
        story.refresh_from_db()
        assert story.was_updated
        _, root = fetch(client, "/sitemap-articles.xml")
        assert root.find("sm:url/sm:lastmod", NS).text == machine_time(story.revised_at)
        _, index = fetch(client, "/sitemap.xml")
        assert index.find("sm:sitemap/sm:lastmod", NS).text == machine_time(story.revised_at)


class NoIndexTests:
    @pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml"])
    def test_every_sitemap_is_kept_out_of_search_results(self, client, live, path):
        response, _ = fetch(client, path)
        assert "noindex" in response["X-Robots-Tag"]

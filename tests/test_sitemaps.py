"""The sitemap index and its sitemaps, the Google News sitemap and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import time_machine
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import services
from articles.models import Article
from articles.sitemaps import shown_updated
from newsroom.timezones import machine_time
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    EmbargoedArticleFactory,
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


class IndexLastmodTests:
    """Each entry of the index has the lastmod of its newest live story, whatever newer
    stories readers can't see (#17): the index reads it from the kept rows of
    articles/latest.py newest first, and must agree with the archive asked the slow way."""

    @staticmethod
    def truth():
        """The archive's answer, by kind: the newest publication among live stories."""
        live = Article.objects.published()
        newest = {
            "sections": live.filter(section__isnull=False),
            "tags": live.filter(tags__isnull=False),
            "authors": live.filter(bylines__isnull=False),
        }
        found = {
            name: stories.aggregate(at=Max("published_at"))["at"]
            for name, stories in newest.items()
        }
        found["articles"] = live.aggregate(at=Max(shown_updated()))["at"]
        return {name: machine_time(at) for name, at in found.items()}

    @staticmethod
    def index(client):
        _, root = fetch(client, "/sitemap.xml")
        lastmods = {}
        for entry in root.iterfind("sm:sitemap", NS):
            name = entry.find("sm:loc", NS).text.removeprefix(absolute("/sitemap-"))
            lastmod = entry.find("sm:lastmod", NS)
            lastmods[name.removesuffix(".xml")] = "" if lastmod is None else lastmod.text
        return lastmods

    def test_hidden_stories_newer_than_the_live_ones_leave_lastmod_alone(self, client):
        now = timezone.now().replace(microsecond=0)
        old_section, new_section = SectionFactory(name="Old"), SectionFactory(name="New")
        # The newest live story with a tag is older than the newest with a section or a
        # byline: each kind has its own answer.
        tagged = PublishedArticleFactory(
            section=old_section, published_at=now - timedelta(days=3, minutes=7)
        )
        tagged.tags.add("kept")
        PublishedArticleFactory(section=new_section, published_at=now - timedelta(days=2))
        # Hidden, each newer than every live story, in a section, a tag and a byline.
        hidden, editor = AuthorFactory(), EditorFactory()

        def hidden_story(factory, minutes, **fields):
            story = factory(
                section=new_section,
                authors=[hidden],
                published_at=now - timedelta(minutes=minutes),
                **fields,
            )
            story.tags.add("hidden")
            return story

        hidden_story(DraftArticleFactory, 50)
        scheduled = hidden_story(ScheduledArticleFactory, -150)
        embargoed = hidden_story(
            EmbargoedArticleFactory,
            40,
            status=Article.Status.PUBLISHED,
            embargo_until=now + timedelta(minutes=90),
        )
        hidden_story(WithdrawnArticleFactory, 35)
        services.article_trash(article=hidden_story(PublishedArticleFactory, 30), by=editor)
        # Taken off by writes no signal tells of: their kept rows stay behind.
        raw_withdrawn = hidden_story(PublishedArticleFactory, 20)
        raw_trashed = hidden_story(PublishedArticleFactory, 10)
        Article.objects.filter(pk=raw_withdrawn.pk).update(status=Article.Status.WITHDRAWN)
        Article.objects.filter(pk=raw_trashed.pk).update(trashed_at=now)

        truth = self.truth()
        assert truth["sections"] == machine_time(now - timedelta(days=2))
        assert truth["tags"] == machine_time(now - timedelta(days=3, minutes=7))
        lastmods = self.index(client)
        assert {name: lastmods[name] for name in truth} == truth

        # The embargo lifts, then the scheduled story's time comes: each becomes the newest.
        for hours, story in ((2, embargoed), (3, scheduled)):
            with time_machine.travel(now + timedelta(hours=hours)):
                truth = self.truth()
                assert truth["tags"] == truth["authors"] == machine_time(story.published_at)
                lastmods = self.index(client)
                assert {name: lastmods[name] for name in truth} == truth

    def test_an_empty_kind_has_no_lastmod(self, client):
        PublishedArticleFactory(authors=[])  # live, but with no section, tag or byline
        lastmods = self.index(client)
        assert lastmods["articles"]
        assert lastmods["sections"] == lastmods["tags"] == lastmods["authors"] == ""


class NoIndexTests:
    @pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml"])
    def test_every_sitemap_is_kept_out_of_search_results(self, client, live, path):
        response, _ = fetch(client, path)
        assert "noindex" in response["X-Robots-Tag"]

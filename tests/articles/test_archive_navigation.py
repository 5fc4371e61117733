"""Finding one's way in the date archives (#16): the nearest earlier and later periods with
stories, the months of a year and the days of a month that have stories, and no page linking
to itself."""

import datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    DraftArticleFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
    WithdrawnArticleFactory,
)

pytestmark = pytest.mark.django_db


def on(*args):
    return datetime.datetime(*args, 12, tzinfo=datetime.UTC)


class Page(HTMLParser):
    """The links of a page, and the text of its archive navigation."""

    def __init__(self, html):
        super().__init__()
        self.hrefs, self.current = [], []
        self._in_current = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        self._in_current = attrs.get("aria-current") == "page"

    def handle_data(self, data):
        if self._in_current:
            self.current.append(data)
            self._in_current = False


@pytest.fixture
def archive():
    """Live stories in March and May 2025, October 2023 and January 2026; hidden ones around them,
    which must not count as "a period with stories"."""
    for moment in [on(2025, 3, 5), on(2025, 3, 20), on(2025, 5, 1), on(2023, 10, 9)]:
        PublishedArticleFactory(published_at=moment)
    PublishedArticleFactory(published_at=on(2026, 1, 2))
    WithdrawnArticleFactory(published_at=on(2025, 4, 10))
    WithdrawnArticleFactory(published_at=on(2024, 6, 1))
    DraftArticleFactory(published_at=on(2025, 2, 1))
    # Scheduled: published, but not yet (the factory's time is in the future).
    ScheduledArticleFactory()


def nav(client, path):
    response = client.get(path)
    assert response.status_code == 200
    context = response.context
    earlier, later = context["earlier"], context["later"]
    return (
        earlier and earlier[1],
        later and later[1],
        [url for _, url in context["parts"]],
        response.content.decode(),
    )


class NeighbourTests:
    @pytest.mark.parametrize(
        ("path", "earlier", "later"),
        [
            ("/2025/", "/2023/", "/2026/"),
            ("/2024/", "/2023/", "/2025/"),  # an empty year still leads on
            ("/2023/", None, "/2025/"),  # the first story's year: nothing earlier
            ("/2026/", "/2025/", None),  # the last story's year: nothing later
            ("/2025/03/", "/2023/10/", "/2025/05/"),  # April has only a withdrawn story
            ("/2025/04/", "/2025/03/", "/2025/05/"),
            ("/2025/03/05/", "/2023/10/09/", "/2025/03/20/"),
            ("/2025/03/20/", "/2025/03/05/", "/2025/05/01/"),
            ("/2023/10/09/", None, "/2025/03/05/"),
            ("/2026/01/02/", "/2025/05/01/", None),
            ("/1999/", None, "/2023/"),
            ("/9999/12/31/", "/2026/01/02/", None),
        ],
    )
    def test_nearest_period_with_live_stories(self, client, archive, path, earlier, later):
        found_earlier, found_later, _, html = nav(client, path)
        assert (found_earlier, found_later) == (earlier, later)
        for url in (earlier, later):
            if url:
                assert f'href="{url}"' in html

    def test_an_empty_site_has_no_neighbours(self, client):
        DraftArticleFactory(published_at=on(2025, 3, 5))
        earlier, later, parts, html = nav(client, "/2025/03/")
        assert (earlier, later, parts) == (None, None, [])
        assert 'class="archive-nav"' not in html and 'class="archive-parts"' not in html

    def test_periods_follow_the_newsrooms_time_zone(self, client, settings):
        settings.TIME_ZONE = "America/New_York"
        # 23:30 in New York on 31 December 2024: a story of 2024 there, of 2025 in UTC.
        PublishedArticleFactory(
            published_at=datetime.datetime(2025, 1, 1, 4, 30, tzinfo=datetime.UTC)
        )
        assert nav(client, "/2025/")[:2] == ("/2024/", None)
        assert nav(client, "/2025/01/01/")[:2] == ("/2024/12/31/", None)
        assert nav(client, "/2024/")[2] == ["/2024/12/"]
        assert nav(client, "/2024/12/")[2] == ["/2024/12/31/"]


class PartTests:
    def test_a_year_lists_its_months_with_live_stories(self, client, archive):
        _, _, parts, html = nav(client, "/2025/")
        assert parts == ["/2025/03/", "/2025/05/"]
        assert ">March</a>" in html and ">May</a>" in html and ">April<" not in html

    def test_a_month_lists_its_days_with_live_stories(self, client, archive):
        _, _, parts, html = nav(client, "/2025/03/")
        assert parts == ["/2025/03/05/", "/2025/03/20/"]
        assert 'href="/2025/03/05/">5<span class="visually-hidden"> March</span></a>' in html

    def test_a_day_lists_nothing_more(self, client, archive):
        assert nav(client, "/2025/03/05/")[2] == []


ARCHIVE_PAGES = ["/2025/", "/2025/03/", "/2025/03/05/", "/2023/", "/2026/01/02/", "/1999/"]


class SelfLinkTests:
    @pytest.mark.parametrize("path", ARCHIVE_PAGES)
    def test_no_link_leads_to_the_page_itself(self, client, archive, path):
        html = client.get(path).content.decode()
        page = Page(html)
        for href in page.hrefs:
            if href.startswith("#"):
                continue  # the skip link: a place on the page, not the page again
            target = urlsplit(urljoin(f"http://testserver{path}", href))
            assert not (target.netloc == "testserver" and target.path == path), href
        # Where the page sits is said as text.
        assert page.current, "the breadcrumb names the current period"

    def test_the_breadcrumb_links_upwards_only(self, client, archive):
        html = client.get("/2025/03/05/").content.decode()
        assert '<a href="/2025/">2025</a>' in html
        assert '<a href="/2025/03/">March</a>' in html
        assert '<span aria-current="page">5</span>' in html
        year = client.get("/2025/").content.decode()
        assert '<span aria-current="page">2025</span>' in year
        assert 'href="/2025/"' not in year


class QueryCountTests:
    @pytest.mark.parametrize("path", ["/2025/", "/2025/03/", "/2025/03/05/"])
    def test_the_same_number_of_queries_however_many_stories(self, client, path):
        def count():
            client.get(path)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            return len(captured)

        for moment in [on(2024, 1, 1), on(2025, 3, 5), on(2026, 1, 1)]:
            PublishedArticleFactory(published_at=moment)
        few = count()
        for month in range(1, 13):
            for day in (1, 5, 28):
                PublishedArticleFactory(published_at=on(2025, month, day))
        for year in range(2010, 2030):
            PublishedArticleFactory(published_at=on(year, 6, 15))
        assert count() == few

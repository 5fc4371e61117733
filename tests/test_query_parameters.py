"""A page's links and its cache key keep only the query parameters the page reads (#13).

Before, pagination links copied any parameter (`/?status=draft` linked to
`?status=draft&page=2`), and every address was a page cache entry of its own: endless
crawlable addresses and cache entries for one page.
"""

import re

import pytest

from articles.views import ArticleListView
from newsroom import pagecache
from tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db

HREFS = re.compile(r'<a rel="(?:next|prev)" href="([^"]*)"')


@pytest.fixture
def two_pages():
    return PublishedArticleFactory.create_batch(ArticleListView.paginate_by + 1, headline="Harbour")


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}


def links(response):
    assert response.status_code == 200
    return [href.replace("&amp;", "&") for href in HREFS.findall(response.content.decode())]


class LinkTests:
    def test_list_links_carry_only_the_page(self, client, two_pages):
        assert links(client.get("/?status=draft&utm_source=x")) == ["?page=2"]
        assert links(client.get("/?page=2&status=draft")) == ["/"]

    def test_search_links_keep_the_search_and_nothing_else(self, client, settings):
        PublishedArticleFactory.create_batch(21, headline="Harbour")
        page = client.get("/search/?q=harbour&utm_source=x&status=draft")
        assert links(page) == ["?q=harbour&page=2"]


@pytest.mark.usefixtures("page_cache")
class CacheKeyTests:
    def test_parameters_no_page_reads_share_the_pages_entry(self, client, two_pages):
        assert client.get("/?utm_source=a")["X-Page-Cache"] == "miss"
        assert client.get("/?utm_source=b&status=draft")["X-Page-Cache"] == "hit"
        assert client.get("/")["X-Page-Cache"] == "hit"

    def test_a_parameter_the_page_reads_is_its_own_entry(self, client, two_pages):
        assert client.get("/")["X-Page-Cache"] == "miss"
        assert client.get("/?page=2")["X-Page-Cache"] == "miss"
        assert client.get("/?page=2&utm_source=x")["X-Page-Cache"] == "hit"

    def test_a_parameter_of_another_page_is_not_stored(self, client, two_pages):
        """`q` is search's: on the front page it would copy the page under a key of its own."""
        for _ in range(2):
            response = client.get("/?q=one")
            assert "X-Page-Cache" not in response and pagecache.HEADER not in response

    def test_the_last_of_repeated_values_counts_as_the_view_sees_it(self, client, two_pages):
        assert client.get("/?page=1&page=2")["X-Page-Cache"] == "miss"
        assert client.get("/?page=2")["X-Page-Cache"] == "hit"


@pytest.mark.usefixtures("page_cache")
def test_a_parameter_search_doesnt_read_leaves_the_search_page_as_it_is(client):
    """`/search/?utm_source=x` bound the form ("Type a word or two", noindex) and was stored
    under the key of /search/ for every reader."""
    odd = client.get("/search/?utm_source=x")
    assert "Type a word or two" not in odd.content.decode()
    plain = client.get("/search/")
    assert plain["X-Page-Cache"] == "hit"
    assert "Type a word or two" not in plain.content.decode()
    assert 'content="noindex' not in plain.content.decode()

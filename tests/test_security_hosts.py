"""The Host header (#7): a host the site doesn't serve gets 400, and no header a client sends
ends up in the absolute URLs of pages, feeds and sitemaps."""

import re

import pytest

from tests.test_security_headers import public_paths

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s\"'<>]+")


class BadHostTests:
    def test_every_public_page_refuses_a_host_the_site_does_not_serve(self, client):
        for page, path in public_paths().items():
            response = client.get(path, HTTP_HOST="evil.example")
            assert response.status_code == 400, page
            assert b"evil.example" not in response.content, page

    def test_the_page_cache_neither_stores_nor_serves_for_a_bad_host(self, client, settings):
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400
        response = client.get("/")
        assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400

    def test_a_forwarded_host_is_ignored(self, client):
        for page, path in public_paths().items():
            response = client.get(path, HTTP_X_FORWARDED_HOST="evil.example")
            assert response.status_code == 200, page
            assert b"evil.example" not in response.content, page


class AbsoluteUrlTests:
    """Canonical links and structured data name NEWSROOM_SITE_URL; feeds, sitemaps and
    robots.txt name the address the request came to, a host of ALLOWED_HOSTS. Reached at its
    public address, as readers and crawlers reach it, the site names that one address."""

    @pytest.fixture
    def public_address(self, settings):
        settings.SITE_URL = "https://news.example.org"
        settings.ALLOWED_HOSTS = ["news.example.org"]

    def test_pages_feeds_and_sitemaps_agree_on_the_sites_address(self, client, public_address):
        paths = public_paths()
        found = set()
        for page in ["story", "author", "front", "feed", "atom", "sitemap", "news sitemap"]:
            response = client.get(paths[page], secure=True, HTTP_HOST="news.example.org")
            assert response.status_code == 200, page
            urls = URL.findall(response.content.decode())
            # A share link (#16) carries the story's address URL-encoded in its query string:
            # the address to check is the one the link itself points at.
            ours = [url for url in urls if "news.example.org" in url.split("?")[0]]
            assert ours, f"{page} names no URL of the site"
            assert all(url.startswith("https://news.example.org/") for url in ours), page
            found.update(ours)
        index = client.get(paths["sitemap index"], secure=True, HTTP_HOST="news.example.org")
        assert "<loc>https://news.example.org/sitemap-articles.xml</loc>" in index.content.decode()
        robots = client.get(paths["robots"], secure=True, HTTP_HOST="news.example.org")
        assert "Sitemap: https://news.example.org/sitemap.xml" in robots.content.decode()
        story = "https://news.example.org" + paths["story"]
        assert story in found

    def test_the_canonical_link_names_the_configured_address_whatever_the_host(
        self, client, public_address, settings
    ):
        settings.ALLOWED_HOSTS = ["news.example.org", "www.news.example.org"]
        path = public_paths()["story"]
        html = client.get(path, secure=True, HTTP_HOST="www.news.example.org").content.decode()
        assert f'<link rel="canonical" href="https://news.example.org{path}">' in html
        assert f'"url":"https://news.example.org{path}"' in html

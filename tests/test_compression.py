"""Brotli and gzip for readers (#16): pages, feeds and sitemaps in the encoding the reader's
Accept-Encoding asks for, compressed once when the page cache stores them; never a response
that may carry a secret (BREACH: the admin, CSRF tokens, logged-in readers)."""

import gzip

import brotli
import pytest

from newsroom import compression
from newsroom.compression import negotiate
from tests.factories import EditorFactory, PublishedArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}
PUBLIC_PATHS = ["/", "/feed/", "/feed/atom/", "/sitemap.xml", "story", "section"]


@pytest.fixture
def stories():
    section = SectionFactory(slug="city", name="City")
    stories = PublishedArticleFactory.create_batch(6, section=section)
    return {"story": stories[0].get_absolute_url(), "section": section.get_absolute_url()}


@pytest.fixture(params=["on", "off"])
def page_cache(request, settings):
    """The page cache on (pages compressed once, when stored) and off (on every request)."""
    seconds = 300 if request.param == "on" else 0
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": seconds}
    return request.param


def fetch(client, path, encoding=None, method="get", **headers):
    if encoding:
        headers["accept-encoding"] = encoding
    return getattr(client, method)(path, headers=headers)


class NegotiationTests:
    @pytest.mark.parametrize(
        ("header", "chosen"),
        [
            ("", None),
            ("identity", None),
            ("gzip", "gzip"),
            ("br", "br"),
            ("gzip, deflate, br, zstd", "br"),  # Chrome's
            ("gzip, deflate, br", "br"),
            ("deflate", None),
            ("br;q=0.5, gzip", "gzip"),
            ("br;q=1.0, gzip;q=0.8", "br"),
            ("br;q=0, gzip;q=0", None),
            ("br;q=0", None),
            ("*", "br"),
            ("*;q=0.1, gzip", "gzip"),
            ("*, br;q=0", "gzip"),
            ("x-gzip", "gzip"),
            ("GZIP ; Q=0.3", "gzip"),
            ("br;q=abc, gzip", "gzip"),
            (" , ;q=1", None),
        ],
    )
    def test_the_highest_q_value_wins_brotli_on_a_tie(self, header, chosen):
        assert negotiate(header) == chosen


class CompressedPagesTests:
    @pytest.mark.parametrize("path", PUBLIC_PATHS)
    @pytest.mark.parametrize("encoding", ["br", "gzip"])
    def test_each_public_surface_comes_compressed_and_decodes_to_the_page(
        self, client, stories, page_cache, path, encoding
    ):
        path = stories.get(path, path)
        plain = fetch(client, path)
        assert plain.status_code == 200
        assert "Content-Encoding" not in plain
        assert "Accept-Encoding" in plain["Vary"]
        for _ in range(2):  # Rendered, then (with the page cache on) stored.
            packed = fetch(client, path, encoding)
            assert packed.status_code == 200
            assert packed["Content-Encoding"] == encoding
            assert "Accept-Encoding" in packed["Vary"]
            assert int(packed["Content-Length"]) == len(packed.content)
            assert len(packed.content) < len(plain.content) / 2
            assert DECODE[encoding](packed.content) == plain.content
            if plain.has_header("ETag"):
                assert packed["ETag"] == plain["ETag"][:-1] + f'-{encoding}"'

    def test_a_cached_page_is_compressed_once_when_stored_not_on_each_hit(
        self, client, stories, settings, monkeypatch
    ):
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}
        calls = []
        real = compression.compress
        monkeypatch.setattr(
            compression,
            "compress",
            lambda content, encoding: calls.append(encoding) or real(content, encoding),
        )
        first = fetch(client, "/feed/", "br")
        assert first["X-Page-Cache"] == "miss"
        assert sorted(calls) == ["br", "gzip"]  # Both copies, made as the feed was stored.
        for encoding in ("br", "gzip", "br", None):
            response = fetch(client, "/feed/", encoding)
            assert response["X-Page-Cache"] == "hit"
            assert response.get("Content-Encoding") == encoding
        assert len(calls) == 2

    def test_if_none_match_matches_the_encoding_the_reader_holds(self, client, stories, page_cache):
        etags = {
            encoding: fetch(client, "/", encoding)["ETag"] for encoding in ("br", "gzip", None)
        }
        assert len(set(etags.values())) == 3
        for _ in range(2):
            for encoding, etag in etags.items():
                response = fetch(client, "/", encoding, if_none_match=etag)
                assert response.status_code == 304, encoding
                assert response["ETag"] == etag
                assert "Accept-Encoding" in response["Vary"]
                assert not response.content
            # A copy in another encoding is not the reader's: the page comes whole.
            other = fetch(client, "/", "gzip", if_none_match=etags["br"])
            assert other.status_code == 200 and other["Content-Encoding"] == "gzip"

    def test_head_gives_the_compressed_length_and_no_body(self, client, stories, page_cache):
        full = fetch(client, "/", "br")
        for _ in range(2):
            head = fetch(client, "/", "br", method="head")
            assert head.status_code == 200
            assert head["Content-Encoding"] == "br"
            assert head["Content-Length"] == full["Content-Length"]
            assert head.content == b""

    def test_uncached_public_pages_are_compressed_on_the_fly(self, client, stories):
        for path in ("/no-such-page/", "/search/?q=harbour"):
            plain = fetch(client, path)
            packed = fetch(client, path, "gzip")
            assert packed["Content-Encoding"] == "gzip", path
            assert "Accept-Encoding" in packed["Vary"]
            assert gzip.decompress(packed.content) == plain.content

    def test_small_bodies_stay_as_they_are(self, client, stories):
        response = fetch(client, "/robots.txt", "br")
        assert len(response.content) < compression.MIN_BYTES
        assert "Content-Encoding" not in response
        assert b"Sitemap:" in response.content


class SecretsAreNeverCompressedTests:
    """BREACH needs a secret in a compressed response that also reflects the attacker's text:
    whatever carries a secret goes uncompressed."""

    def test_the_admin_login_page_with_its_csrf_token(self, client):
        response = fetch(client, "/admin/login/", "gzip, br")
        assert response.status_code == 200
        assert b"csrfmiddlewaretoken" in response.content
        assert "Content-Encoding" not in response

    def test_admin_pages_of_a_logged_in_editor(self, client):
        client.force_login(EditorFactory())
        for path in ("/admin/", "/admin/articles/article/"):
            response = fetch(client, path, "gzip, br")
            assert response.status_code == 200, path
            assert "Content-Encoding" not in response, path

    def test_a_public_page_seen_by_a_logged_in_reader(self, client, stories, page_cache):
        client.force_login(EditorFactory())
        for path in ("/", stories["story"], "/feed/", "/no-such-page/"):
            response = fetch(client, path, "gzip, br")
            assert "Content-Encoding" not in response, path

    def test_a_page_that_holds_a_csrf_token_or_sets_a_cookie(self, rf):
        from django.http import HttpResponse
        from django.middleware.csrf import get_token

        def middleware(view):
            return compression.CompressionMiddleware(view)

        body = "<p>" + "a public page " * 100 + "</p>"

        def with_token(request):
            return HttpResponse(body + get_token(request))

        def with_cookie(request):
            response = HttpResponse(body)
            response.set_cookie("theme", "dark")
            return response

        def private(request):
            response = HttpResponse(body)
            response["Cache-Control"] = "private"
            return response

        def public(request):
            return HttpResponse(body)

        request = rf.get("/", headers={"accept-encoding": "br"})
        for view in (with_token, with_cookie, private):
            request = rf.get("/", headers={"accept-encoding": "br"})
            assert "Content-Encoding" not in middleware(view)(request), view.__name__
        assert middleware(public)(request)["Content-Encoding"] == "br"  # The control.

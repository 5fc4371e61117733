"""Brotli and gzip for readers' pages, feeds, sitemaps and robots.txt (#16).

Which encoding: `negotiate()` reads the request's Accept-Encoding with its q-values and picks
Brotli, gzip or none (identity). Every compressible response says `Vary: Accept-Encoding`, and
a compressed one an ETag of its own (the identity ETag with `-br` or `-gzip` inside the quotes),
so that `If-None-Match` matches only the bytes the reader holds.

Where: the page cache (newsroom/pagecache.py) compresses a page once, when it stores it, and
serves the stored bytes on every hit. `CompressionMiddleware` compresses, on the fly, what the
page cache didn't handle: a page rendered with the page cache off, an error page, search.

What never is: anything that may carry a secret. BREACH recovers a secret from a compressed
response by sending many requests that reflect guessed text beside it and watching the
compressed length. So a response is compressed only when it is the same for every reader:
- not under the admin, and not for a request with a session cookie or Authorization;
- not one that used a CSRF token (Django records that in request.META) or sets a cookie;
- not one marked `private` or `no-store`.
Readers' pages carry no token, no form with one and nothing per reader, and the page cache
serves only anonymous requests; tests/test_compression.py checks the admin's login page and a
logged-in reader's page stay uncompressed. Static files are WhiteNoise's (compressed at
`collectstatic`), and pictures are compressed already: neither passes through here.
"""

import functools
import gzip
import re

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers

# Bodies shorter than this gain too little to be worth it.
MIN_BYTES = 500
# Quick for both (a 100 kB feed: ~4 ms each), and within a few per cent of their best.
BROTLI_QUALITY = 6
GZIP_LEVEL = 6
# In the order preferred when a client accepts several equally.
ENCODINGS = ("br", "gzip")
COMPRESSIBLE = re.compile(
    r"^(text/|application/(rss\+xml|atom\+xml|xml|json|ld\+json|javascript|xhtml\+xml)"
    r"|image/svg\+xml)",
    re.IGNORECASE,
)


# Browsers send a handful of distinct Accept-Encoding values: each is read once (#17).
@functools.lru_cache(maxsize=256)
def negotiate(accept_encoding: str) -> str | None:
    """The encoding to send a client that sent this Accept-Encoding: "br", "gzip", or None
    (identity). The highest q-value wins; Brotli on a tie; `q=0` refuses; `*` stands for
    any encoding the header doesn't name."""
    weights = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[name] = q
    if "x-gzip" in weights and "gzip" not in weights:
        weights["gzip"] = weights["x-gzip"]
    star = weights.get("*", 0.0)
    best, best_q = None, 0.0
    for encoding in ENCODINGS:
        q = weights.get(encoding, star)
        if q > best_q:
            best, best_q = encoding, q
    return best


def compress(content: bytes, encoding: str) -> bytes:
    """`content` in `encoding` ("br" or "gzip"); the same bytes for the same content."""
    if encoding == "br":
        return brotli.compress(content, quality=BROTLI_QUALITY)
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


def encoded_etag(etag: str, encoding: str | None) -> str:
    """The ETag of the `encoding` form of the response whose identity ETag is `etag`."""
    if not encoding or not etag.endswith('"'):
        return etag
    return f'{etag[:-1]}-{encoding}"'


def compressible(response) -> bool:
    """Whether the response's type and size make it worth compressing (not whether it may be:
    see `public()`)."""
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and len(response.content) >= MIN_BYTES
        and bool(COMPRESSIBLE.match(response.get("Content-Type", "")))
    )


def public(request, response) -> bool:
    """Whether the response is the same for every reader, so that compressing it can leak no
    secret (BREACH; the module's docstring)."""
    cache_control = response.get("Cache-Control", "").lower()
    return not (
        request.path.startswith("/admin/")
        or "admin" in getattr(getattr(request, "resolver_match", None), "namespaces", ())
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
        # Set by django.middleware.csrf.get_token(): the page holds a CSRF token.
        or "CSRF_COOKIE_NEEDS_UPDATE" in request.META
        or response.cookies
        or response.has_header("Set-Cookie")
        or "private" in cache_control
        or "no-store" in cache_control
    )


def encode(response, encoding: str, content: bytes | None = None):
    """Puts the `encoding` form of the response's body on it (`content`, when already made)."""
    response.content = compress(response.content, encoding) if content is None else content
    response.headers["Content-Length"] = str(len(response.content))
    response.headers["Content-Encoding"] = encoding
    if response.has_header("ETag"):
        response.headers["ETag"] = encoded_etag(response["ETag"], encoding)
    return response


class CompressionMiddleware:
    """Compresses, on the fly, the public responses the page cache left uncompressed (the
    module's docstring). Put it just before PageCacheMiddleware in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 304 or not compressible(response):
            return response
        if not public(request, response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if encoding is None:
            return response
        compressed = compress(response.content, encoding)
        if len(compressed) >= len(response.content):
            return response
        return encode(response, encoding, compressed)

"""Whole-page caching for readers, invalidated by surrogate keys (#6).

A public view opts in by tagging its response with the keys of everything it shows
(`tag_response(response, [story_key(12), author_key(3), FRONT])`; every key is spelled in
newsroom/surrogate_keys.py). For anonymous GET and HEAD requests, `PageCacheMiddleware` then

- keeps the rendered page in Django's cache (Redis when `REDIS_URL` is set, so every app
  server shares it) until one of its keys is purged, the page's lifetime ends, or the next
  scheduled story goes live;
- answers `If-None-Match` / `If-Modified-Since` with 304;
- keeps a Brotli and a gzip copy beside the page, made once when it is stored, and serves
  each reader the one their Accept-Encoding asks for (newsroom/compression.py, #16);
- sends `Cache-Control` with `s-maxage` and `stale-while-revalidate` for a CDN or a caching
  proxy, and the keys in a `Surrogate-Key` header so the proxy can purge precisely.

Responses that are not tagged (admin, previews, errors, redirects) and every request that
carries a session cookie pass straight through and are never stored.

The page cache knows nothing of stories (#13). The apps tag their pages and call `purge()`;
what the cache must learn from them, when pages change with nobody saving anything (a
scheduled story going live), it asks the function that `PAGE_CACHE["NEXT_CHANGE_AT"]` names.

Invalidation. `purge(keys)` is called after a transaction commits (articles/caching.py does).
It takes the next number of a shared clock and records it against each key. A stored page
remembers the clock as it was *before* its view read the database, and is served only while
none of its keys was purged since. A page rendered from data that a concurrent commit then
changed is therefore never served: the purge's clock is newer than the page's. The clock and
the purge marks have no expiry; with Redis, use an eviction policy that evicts only keys with
an expiry (`volatile-lru`) so that marks are never lost (docs/deploy.md).

Edge purges. With `NEWSROOM_PURGE_URLS` set, `purge()` also has `PURGE` requests carrying a
`Surrogate-Key` header sent to each caching proxy (the Varnish configuration in deploy/ bans the
objects with any of those keys). A background job sends them (newsroom/tasks.py, #15), retried
while a proxy doesn't answer, so that a slow proxy never holds the editor's save. The same keys
purged again before the job for them started are coalesced into it, when the cache is shared
with the workers (Redis): a pending mark per proxy and set of keys says a job will send them.
"""

import functools
import hashlib
import logging
import time
import urllib.request

import redis
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import http_date, parse_http_date_safe, urlencode
from django.utils.module_loading import import_string

from . import compression
from .jobs import enqueue
from .surrogate_keys import EVERYTHING

logger = logging.getLogger(__name__)

HEADER = "Surrogate-Key"
CLOCK = "pagecache:clock"
PURGED = "pagecache:purged:"
# A stored page's form changes with its version here: pages stored in an older form are not read.
PAGE = "pagecache:page:2:"
NEXT_CHANGE = "pagecache:next-change"
# A cache that can't be reached (Redis down, or a network error on the way).
CACHE_ERRORS = (redis.RedisError, OSError)
# Headers a stored page must not replay to another reader.
NOT_STORED = {"set-cookie", "date", "age", "cache-control", "x-page-cache"}
# Request headers that may make the answer a 304 (or a 412).
CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _cache():
    return caches[settings.PAGE_CACHE["CACHE"]]


def tag_response(response, keys, query=()):
    """Marks a public response as cacheable, depending on these keys (no duplicates, in
    order). `query` names the query string parameters the page reads (`page`, say); they
    must be among PAGE_CACHE["QUERY_PARAMETERS"]. Any other parameter doesn't shape the page:
    it is left out of the page's cache key, and links must not copy it."""
    existing = response.headers.get(HEADER, "").split()
    response.headers[HEADER] = " ".join(dict.fromkeys([*existing, *keys]))
    response.page_query = frozenset(query)
    return response


def last_modified(response, at):
    """Sends `at`, an aware datetime or None, as the page's Last-Modified: the newest time
    readers were told something it shows was published or updated (#16)."""
    if at is not None:
        response.headers["Last-Modified"] = http_date(at.timestamp())
    return response


def cache_error_page(request, response, seconds):
    """A 404 or 410 for readers that browsers and shared caches may keep for `seconds` (#16):
    crawlers and readers asking again for a missing page are answered without the app. Short,
    since the page may exist soon (a story published at a mistyped address, a link shared
    before publication). The page cache and the shipped Varnish configuration keep no error
    page (it carries no surrogate keys), so no purge is needed; a CDN keeps it for as long as
    this says. Nothing is added for logged-in users or when the response already says how it
    may be cached."""
    if (
        seconds > 0
        and "Cache-Control" not in response
        and PageCacheMiddleware._anonymous_read(request)
    ):
        patch_cache_control(response, public=True, max_age=seconds)
    return response


def cached_page(*keys, query=()):
    """Decorates a function view whose successful responses may be cached under these keys."""

    def decorator(view):
        @functools.wraps(view)
        def tagged(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            return tag_response(response, keys, query)

        return tagged

    return decorator


def purge(keys):
    """Every page depending on one of these keys is stale from now on, on every app server;
    caching proxies are told to drop them too."""
    keys = sorted(set(keys))
    if not keys:
        return
    try:
        _mark_purged(_cache(), keys)
    except CACHE_ERRORS as error:
        # The change is saved; pages kept from before expire with their lifetime.
        logger.error("Purging %s from the page cache failed: %s", " ".join(keys), error)
    _purge_edges(keys)


def _mark_purged(cache, keys):
    cache.add(CLOCK, _clock_origin(), timeout=None)
    try:
        now = cache.incr(CLOCK)
    except ValueError:  # The clock was evicted between add() and incr().
        cache.set(CLOCK, now := _clock_origin(), timeout=None)
    cache.set_many({PURGED + key: now for key in keys}, timeout=None)
    # The clock moves again once the marks are written: a worker that checked a page between
    # the first move and the marks (and saw none) remembers the clock as it was then, and must
    # check again (_stored_page).
    try:
        cache.incr(CLOCK)
    except ValueError:
        cache.set(CLOCK, _clock_origin(), timeout=None)


def _clock(cache):
    """The clock now; started if the cache has none, so that the next check of the page
    stored now can be remembered (_checked)."""
    clock = cache.get(CLOCK)
    if clock is None:
        cache.add(CLOCK, _clock_origin(), timeout=None)
        clock = cache.get(CLOCK, 0)
    return clock


def _clock_origin():
    """Where the clock starts, when the cache has none (a new, flushed or restarted cache): the
    time in microseconds, beyond any value it held before, so that no worker's memory of a
    clock (_checked) matches a new one."""
    return time.time_ns() // 1000


# How long a queued edge purge holds back the same purge (newsroom/tasks.py): longer than a
# job waits for a worker that keeps up; a mark whose job was lost stops coalescing after that.
EDGE_PENDING = "pagecache:edge-pending:"
EDGE_PENDING_SECONDS = 300
EDGE_TIMEOUT_SECONDS = 2


def _purge_edges(keys):
    """Enqueues a job per caching proxy, unless one for the same keys is waiting already."""
    from . import tasks  # The jobs call this module back.

    for url in settings.PAGE_CACHE["PURGE_URLS"]:
        if not _claim_edge_purge(url, keys):
            continue  # A job that has not started yet will send these keys.
        if enqueue(tasks.purge_edge, url, keys) is None:
            edge_purge_started(url, keys)  # Refused: the next purge must try again.


def _edge_mark(url, keys):
    return EDGE_PENDING + hashlib.sha256(f"{url} {' '.join(keys)}".encode()).hexdigest()


def _coalesces():
    """Whether the workers share this process's cache, and so can clear its pending marks:
    not with a cache in each process's memory."""
    return settings.PAGE_CACHE["COALESCE_PURGES"]


def _claim_edge_purge(url, keys):
    """True when a job must be enqueued to purge `keys` at `url`; False when one is pending."""
    if not _coalesces():
        return True
    try:
        return _cache().add(_edge_mark(url, keys), 1, timeout=EDGE_PENDING_SECONDS)
    except CACHE_ERRORS:
        return True  # Purging twice is harmless; not purging is not.


def edge_purge_started(url, keys):
    """Called by the job before it sends: a purge of the same keys from now on needs a job of
    its own, since the proxy may cache a page rendered before that change after this PURGE."""
    if not _coalesces():
        return
    try:
        _cache().delete(_edge_mark(url, keys))
    except CACHE_ERRORS:
        pass  # The mark expires; until then the same purge is coalesced into nothing newer.


def send_edge_purge(url, keys):
    """Sends one PURGE to the caching proxy at `url`; raises OSError when it doesn't answer
    within EDGE_TIMEOUT_SECONDS or refuses (the job tries again later)."""
    request = urllib.request.Request(
        url.rstrip("/") + "/", method="PURGE", headers={HEADER: " ".join(keys)}
    )
    try:
        with urllib.request.urlopen(request, timeout=EDGE_TIMEOUT_SECONDS):
            pass
    except OSError as error:
        # The page cache is already purged; the proxy's copies expire with s-maxage.
        logger.warning("Purging %s at %s failed: %s", " ".join(keys), url, error)
        raise


def _query(request):
    """The parameters of the request that some page reads (PAGE_CACHE["QUERY_PARAMETERS"]),
    each with the value a view's `request.GET.get()` sees (the last), sorted by name."""
    known = settings.PAGE_CACHE["QUERY_PARAMETERS"]
    return sorted((name, values[-1]) for name, values in request.GET.lists() if name in known)


def _page_key(request):
    """One page, whatever parameters it doesn't read the address carries (`?utm_source=…`,
    `?status=draft`): those are left out, so they make no new entries (#13)."""
    query = urlencode(_query(request)) if request.META.get("QUERY_STRING") else ""
    url = f"{request.get_host()}{request.path}?{query}"
    return PAGE + hashlib.sha256(url.encode()).hexdigest()


def _reads_its_query(request, response):
    """Whether the page read every parameter its cache key holds: `?q=x` on a page that reads
    no `q` would be a copy of the page without it under a key of its own, and isn't stored."""
    return {name for name, _ in _query(request)} <= getattr(response, "page_query", frozenset())


def _next_change(cache, clock):
    """When the pages may change without anyone saving anything, as a timestamp, or None: what
    the function named by `PAGE_CACHE["NEXT_CHANGE_AT"]` answers (an aware datetime or None).

    Kept in the cache while the clock stands still: whatever moves that moment (scheduling a
    story, say) must purge, and so moves the clock on."""
    known = cache.get(NEXT_CHANGE)
    if known and known[0] == clock and (known[1] is None or known[1] > time.time()):
        return known[1]
    change = import_string(settings.PAGE_CACHE["NEXT_CHANGE_AT"])()
    at = change.timestamp() if change else None
    cache.set(NEXT_CHANGE, (clock, at), timeout=None)
    return at


# The keys of the pages this process last saw, so that a hit reads the page and its purge
# marks in one round trip to the cache. A guess: when the page's keys changed, a second
# round trip reads the right marks.
_known_keys = {}
KNOWN_PAGES = 10_000

# The pages this process last found fresh, with the clock as it was when it checked: while the
# shared clock hasn't moved, no page was purged on any server, and a hit asks the cache for the
# clock alone, not for the page and its purge marks (#17). When the clock moved, the marks of
# the page's keys are read again. The oldest is forgotten first beyond CHECKED_PAGES.
_checked = {}
CHECKED_PAGES = 500


def _marks(keys):
    return [PURGED + key for key in keys]


def _fresh(entry, marks):
    """Whether none of the page's keys was purged since it was rendered (`marks`: the purge
    marks of its keys, as read from the cache), and its lifetime hasn't ended."""
    if entry["expires"] <= time.time():
        return False
    return all(marks.get(PURGED + key, 0) <= entry["clock"] for key in entry["keys"])


def forget_pages():
    """Forgets what this process knows of stored pages (for tests that empty the cache)."""
    _known_keys.clear()
    _checked.clear()


def _stored_page(cache, key):
    """The page stored under `key` if it is still fresh, else None."""
    checked = _checked.pop(key, None)
    if checked is not None:
        entry, clock = checked
        if entry["expires"] > time.time():
            now = cache.get(CLOCK)
            if now is not None and now != clock:
                # The clock is read before the marks (in one request), so that a purge whose
                # marks this misses moves it past what is remembered.
                marks = cache.get_many([CLOCK, *_marks(entry["keys"])])
                now = marks.get(CLOCK)
                if now is not None and _fresh(entry, marks):
                    return _remember(key, entry, now)
            elif now is not None:
                return _remember(key, entry, now)
            # No clock: the cache lost its marks too (flushed, restarted); the page is read
            # from the cache, where it is gone as well.
    known = _known_keys.get(key)
    if known is None:
        entry = cache.get(key)
        marks = {} if entry is None else cache.get_many([CLOCK, *_marks(entry["keys"])])
    else:
        found = cache.get_many([key, CLOCK, *_marks(known)])
        entry = found.pop(key, None)
        marks = found
        if entry is not None and entry["keys"] != known:
            marks = cache.get_many([CLOCK, *_marks(entry["keys"])])
    if entry is None:
        _known_keys.pop(key, None)
        return None
    if len(_known_keys) >= KNOWN_PAGES:
        _known_keys.clear()
    _known_keys[key] = entry["keys"]
    if not _fresh(entry, marks):
        return None
    return _remember(key, entry, marks.get(CLOCK))


def _remember(key, entry, clock):
    """`entry`, found fresh while the clock said `clock` (None: the cache has no clock)."""
    if clock is not None:
        if len(_checked) >= CHECKED_PAGES:
            del _checked[next(iter(_checked))]
        _checked[key] = (entry, clock)
    return entry


def _stored_headers(response, compressible, modified):
    """The response's headers a stored page replays to every reader, made once when it is
    stored: with `Vary: Accept-Encoding` when readers may get it compressed, and its
    Last-Modified as an HTTP date."""
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in NOT_STORED and name.lower() != "last-modified"
    }
    if compressible:
        vary = headers.get("Vary", "")
        if "accept-encoding" not in {part.strip().lower() for part in vary.split(",")}:
            headers["Vary"] = f"{vary}, Accept-Encoding" if vary.strip() else "Accept-Encoding"
    if modified is not None:
        headers["Last-Modified"] = http_date(modified)
    return headers


def _uncacheable(response):
    """A page no cache may keep: its purges could not be tracked."""
    response.headers.pop(HEADER, None)
    add_never_cache_headers(response)
    return response


class PageCacheMiddleware:
    """See the module's docstring. Put it near the top of MIDDLEWARE (after the security and
    static-file middleware), so that a cached page skips sessions, authentication and CSRF."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._anonymous_read(request):
            return self._private(self.get_response(request))
        cache, key = _cache(), _page_key(request)
        try:
            entry = _stored_page(cache, key) if settings.PAGE_CACHE["SECONDS"] else None
            clock = None if entry else _clock(cache)
        except CACHE_ERRORS as error:
            # Without its cache the site still answers, rendering every page.
            logger.error("The page cache is unavailable: %s", error)
            return _uncacheable(self.get_response(request))
        if entry is not None:
            return self._respond(request, entry, HttpResponse(entry["content"]), "hit")
        response = self.get_response(request)
        if not (self._storable(response) and _reads_its_query(request, response)):
            response.headers.pop(HEADER, None)
            return response
        try:
            return self._store(request, key, response, cache, clock)
        except CACHE_ERRORS as error:
            logger.error("The page cache is unavailable: %s", error)
            return _uncacheable(response)

    def _store(self, request, key, response, cache, clock):
        entry = self._entry(request, response, clock, _next_change(cache, clock))
        if not _fresh(entry, cache.get_many(_marks(entry["keys"]))):
            # A purge landed while this page was rendered: it may show the data from before,
            # so neither this cache nor a proxy (whose ban has already passed) may keep it.
            return _uncacheable(response)
        lifetime = min(settings.PAGE_CACHE["SECONDS"], round(entry["expires"] - time.time()))
        if request.method == "GET" and lifetime > 0:
            if entry["compressible"]:
                # Compressed once here, not on every hit.
                entry["encoded"] = {
                    encoding: compression.compress(entry["content"], encoding)
                    for encoding in compression.ENCODINGS
                }
            cache.set(key, entry, timeout=lifetime)
        return self._respond(request, entry, response, "miss")

    @staticmethod
    def _anonymous_read(request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    @staticmethod
    def _private(response):
        """A public page seen by someone logged in: neither this cache nor a proxy keeps it."""
        if response.headers.pop(HEADER, None) is not None:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def _storable(response):
        return (
            HEADER in response.headers
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _entry(request, response, clock, change):
        config, now = settings.PAGE_CACHE, time.time()
        compressible = compression.compressible(response) and compression.public(request, response)
        modified = parse_http_date_safe(response.get("Last-Modified", ""))
        expires = now + max(config["SECONDS"], config["EDGE_SECONDS"], config["BROWSER_SECONDS"])
        if change is not None:
            expires = min(expires, change)
        return {
            "content": response.content,
            "status": response.status_code,
            "headers": _stored_headers(response, compressible, modified),
            # The identity ETag; a compressed copy's adds its encoding (compression.py).
            "etag": f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"',
            # Whether readers may get it compressed (never what may hold a secret).
            "compressible": compressible,
            # Encoding -> the compressed content, filled when the page is stored.
            "encoded": {},
            # When what the page shows last changed for readers, as its view said (#16);
            # never the time it was rendered, which says nothing of its content.
            "modified": modified,
            "expires": expires,
            "clock": clock,
            # Every page depends on EVERYTHING: purging it empties the whole page cache.
            "keys": [*response.headers[HEADER].split(), EVERYTHING],
        }

    @staticmethod
    def _respond(request, entry, response, outcome):
        """The stored page's headers on `response`, fresh caching headers, and 304 when the
        reader's copy is current."""
        # The stored headers carry Vary and Last-Modified already (_stored_headers).
        for name, value in entry["headers"].items():
            response.headers[name] = value
        response.headers["ETag"] = entry["etag"]
        if entry["compressible"]:
            encoding = compression.negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""))
            if encoding:
                # The copy made when the page was stored; made now if it wasn't stored.
                compression.encode(response, encoding, entry["encoded"].get(encoding))
        response.headers["X-Page-Cache"] = outcome
        config = settings.PAGE_CACHE
        remaining = max(0, round(entry["expires"] - time.time()))
        cache_control = {
            "public": True,
            "max_age": min(config["BROWSER_SECONDS"], remaining),
            "s_maxage": min(config["EDGE_SECONDS"], remaining),
            "stale_while_revalidate": config["STALE_SECONDS"],
            "stale_if_error": config["STALE_IF_ERROR_SECONDS"],
        }
        if outcome == "hit":
            # A new response, without a Cache-Control of its own to merge with: what
            # patch_cache_control() would write, written at once.
            response.headers["Cache-Control"] = ", ".join(
                "public" if value is True else f"{name.replace('_', '-')}={value}"
                for name, value in cache_control.items()
            )
        else:
            patch_cache_control(response, **cache_control)
        if not any(name in request.META for name in CONDITIONAL):
            return response
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=entry["modified"], response=response
        )

"""`/healthz`: whether this app server can serve, for load balancers (#7).

200 "ok" when the database answers `SELECT 1` and the page cache's store takes a write and
gives it back; 503 otherwise, with the reason in the log and never in the body.

`HealthCheckMiddleware` answers it first in MIDDLEWARE, before anything else runs, because a
load balancer's probe

- often carries the server's IP address as its Host, which ALLOWED_HOSTS refuses;
- comes over plain HTTP, which SECURE_SSL_REDIRECT would send to HTTPS;
- must not get a session cookie, a cached answer or an entry in the page cache.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import Error as DatabaseError
from django.http import HttpResponse

from .pagecache import CACHE_ERRORS

logger = logging.getLogger(__name__)

PATH = "/healthz"
CACHE_KEY = "healthz"


def problem() -> str | None:
    """Why this server can't serve readers now, or None when it can."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"database: {error}"
    try:
        # Every worker writes the same value, so concurrent checks can't disagree.
        cache = caches[settings.PAGE_CACHE["CACHE"]]
        cache.set(CACHE_KEY, "ok", timeout=60)
        if cache.get(CACHE_KEY) != "ok":
            return "cache: a value just written could not be read back"
    except CACHE_ERRORS as error:
        return f"cache: {error}"
    return None


class HealthCheckMiddleware:
    """Answers GET and HEAD /healthz (see the module's docstring); first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        elif reason := problem():
            logger.error("Health check failed: %s", reason)
            response = HttpResponse("unavailable", status=503, content_type="text/plain")
        else:
            response = HttpResponse("ok", content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response

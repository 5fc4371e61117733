"""Requests the site refuses before any view runs, with its own error pages (#7).

- A NUL character in the query string is a bad request, 400. No link of the site has one,
  and PostgreSQL refuses NUL in a query with an error, so a view or an admin list filter that
  passed one on would answer 500. (Paths need no such rule: the URL converters that reach the
  database take no NUL, so such an address is simply not found.)
- Readers' pages only read: outside the admin, the site answers GET and HEAD, and every other
  method with 405 and its own page. One middleware rather than a decorator on each view:
  Django's class-based views answer OPTIONS themselves, and feeds and sitemaps take any method,
  so a per-view rule is easy to forget on the next public page; here a new page is read-only
  from the start. It runs before CSRF protection, so a POST to a story is refused as a method
  the page doesn't take (405), not as a forged form (403). Only the admin's namespace, where
  editors write, is let through.
"""

from urllib.parse import unquote

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.shortcuts import render

READ_METHODS = ("GET", "HEAD")
WRITABLE_NAMESPACES = {"admin"}


class NulCharacter(SuspiciousOperation):
    """Logged by Django as django.security.NulCharacter; the reader gets the 400 page."""


class NulCharacterMiddleware:
    """See the module's docstring. Put it before the page cache in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            raise NulCharacter("A NUL character in the query string.")
        return self.get_response(request)


def method_not_allowed(request):
    response = json_error(request, 405) or render(request, "405.html", status=405)
    response["Allow"] = ", ".join(READ_METHODS)
    return response


class ReadOnlySiteMiddleware:
    """See the module's docstring. Put it before CsrfViewMiddleware in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in READ_METHODS:
            return None
        if WRITABLE_NAMESPACES.intersection(request.resolver_match.namespaces):
            return None
        return method_not_allowed(request)


class LargeFormMiddleware:
    """Django's request size limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) everywhere, except for
    the few forms named in NEWSROOM_LARGE_FORMS, which may post up to NEWSROOM_LARGE_FORM_BYTES
    (#13): a story of several megabytes must save, and the anonymous login form must not parse
    a body that size.

    The size is checked before CSRF protection reads the form: those forms' bodies are read here,
    up to their own limit, and Django then parses what was read. Only URL-encoded forms are
    taken this way (the story form and its script send that); anything else keeps the limit.
    """

    URLENCODED = "application/x-www-form-urlencoded"

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.names = set(getattr(settings, "NEWSROOM_LARGE_FORMS", ()))
        self.limit = getattr(settings, "NEWSROOM_LARGE_FORM_BYTES", 20 * 1024 * 1024)

    def __call__(self, request):
        if request.method == "POST" and self._large(request):
            self._read(request)
        return self.get_response(request)

    def _large(self, request):
        from django.urls import Resolver404, resolve

        if request.content_type != self.URLENCODED:
            return False
        try:
            return resolve(request.path_info).url_name in self.names
        except Resolver404:
            return False

    def _read(self, request):
        from io import BytesIO

        from django.core.exceptions import RequestDataTooBig

        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > self.limit:
            raise RequestDataTooBig("The form is larger than NEWSROOM_LARGE_FORM_BYTES.")
        body = request.read(self.limit + 1)
        if len(body) > self.limit:
            raise RequestDataTooBig("The form is larger than NEWSROOM_LARGE_FORM_BYTES.")
        request._body, request._stream = body, BytesIO(body)


class PrivateAdminMiddleware:
    """Every answer under the admin's address is private and never stored (#13), whatever the
    view: Django leaves some of its own admin pages cacheable (the password change pages, the
    translation catalogue), and a JSON view of a model admin may say nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import reverse

        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            private(response)
        return response


def private(response):
    """Marks a response as for this user only and never to be stored, by any cache."""
    from django.utils.cache import add_never_cache_headers, patch_cache_control

    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


# Where answers are JSON (the Content API, #18), and what its errors say.
JSON_UNDER = "/api/"
JSON_DETAILS = {
    400: "Bad request: the address or its query can't be read (a NUL character?).",
    403: "Not allowed.",
    404: "Not found: the API has no such address; /api/v1/ lists what it has.",
    405: "The API only reads: use GET or HEAD.",
    500: "A temporary error on our side; try again in a moment.",
}


def json_error(request, status):
    """The JSON error for a request under JSON_UNDER, or None for any other."""
    if not request.path.startswith(JSON_UNDER):
        return None
    return private(JsonResponse({"detail": JSON_DETAILS[status]}, status=status))

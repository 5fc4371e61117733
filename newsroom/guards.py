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
    response = render(request, "405.html", status=405)
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

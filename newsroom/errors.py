"""The site's error pages (newsroom/urls.py names them as Django's handler400/403/404) (#13).

- They render while the database is unreachable: a missing page stays a 404, with the menu
  minus what it reads from the database, instead of becoming a server error. Such a page is
  never stored by a cache, so the full menu is back as soon as the database is.
- Under /api/, the Content API's clients get JSON, `{"detail": …}`, as the API's own errors
  (#18): a NUL in the query string, an address the API doesn't have, a method it doesn't take.
- A refusal inside the admin is the admin's own page, for a signed-in member of staff: it says
  why, if the refusal said, and lists what they may open instead, rather than the public site's
  page that asks them to sign in.
"""

import logging

from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse
from django.views import defaults

from .guards import json_error, private
from .pagecache import cache_error_page

logger = logging.getLogger(__name__)

# What the site's pages read from the database through context processors, and what they show
# without it: the main menu's sections, the footer's pages and the breaking-news banner (#18).
WITHOUT_DATABASE = {"navigation_sections": (), "footer_pages": (), "breaking": None}


def render_error(request, template_name, status, context=None):
    """The error page, rendered with the database if it answers and without it if not."""
    answer = json_error(request, status)
    if answer is not None:
        return answer
    context = context or {}
    try:
        return HttpResponse(loader.render_to_string(template_name, context, request), status=status)
    except DatabaseError:
        logger.warning("The %s page was rendered without the database, which failed.", status)
    try:
        content = loader.render_to_string(template_name, {**context, **WITHOUT_DATABASE}, request)
    except DatabaseError:
        content = f"Error {status}."
        return private(HttpResponse(content, status=status, content_type="text/plain"))
    return private(HttpResponse(content, status=status))


def bad_request(request, exception):
    return render_error(request, "400.html", 400)


def page_not_found(request, exception):
    response = render_error(request, "404.html", 404)
    return cache_error_page(request, response, settings.PAGE_CACHE["NOT_FOUND_SECONDS"])


def _in_admin(request):
    user = getattr(request, "user", None)
    staff = bool(user and user.is_active and user.is_staff)
    return staff and request.path.startswith(reverse("admin:index"))


def permission_denied(request, exception):
    if not _in_admin(request):
        return render_error(request, "403.html", 403)
    reason = str(exception) if exception is not None and exception.args else ""
    context = {
        **admin.site.each_context(request),
        "title": "You can’t do this",
        "reason": reason,
    }
    # Private like every admin answer (guards.PrivateAdminMiddleware).
    return render_error(request, "admin/403.html", 403, context)


def server_error(request):
    """The 500 page (templates/500.html) reads nothing and runs no template tag that could
    fail; the API's is JSON."""
    return json_error(request, 500) or defaults.server_error(request)

"""Finding our own stories from the body editor (#14): the link dialog and the related box.

`GET /admin/articles/article/stories/?q=words` answers JSON: the newest published stories whose
headline holds every word typed (the last one as a prefix, so results follow the typing), at
most `LIMIT` of them, with the id the body stores and the address and date the editor shows.
An empty query gives the newest stories; the address of one of our stories gives that story.
Only published stories are ever found: a link or a box pointing at a draft would show readers
nothing (articles/body.py), and a reporter must not learn another desk's unpublished
headlines here.

One query whatever the archive's size. On PostgreSQL the headline is matched through its own
`to_tsvector('simple', headline)` GIN index (migration 0017; "simple" so that names and
numbers are not stemmed away); elsewhere each word is a case-insensitive substring match.
"""

import json
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Func, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format

from .models import Article
from .search import terms

LIMIT = 10
MAX_QUERY_LENGTH = 200
# Headlines are the newsroom's words: the JSON holds no markup characters, should anything
# ever read it as HTML (as json_script does).
_SAFE_JSON = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


class HeadlineVector(Func):
    """The expression the headline index is built on (migration 0017): the query must use
    exactly it for PostgreSQL to use the index."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def matching(query: str):
    """Published stories whose headline holds every word of `query`, newest first."""
    stories = Article.objects.published()
    words = terms(query)
    if query.strip() and not words:
        return stories.none()  # Only punctuation: nothing a headline could hold.
    if words and connection.vendor == "postgresql":
        # Words are letters and digits only (search.terms), so no tsquery syntax gets in.
        raw = " & ".join(f"{word.lower()}:*" for word in words)
        stories = stories.alias(words=HeadlineVector("headline")).filter(
            words=SearchQuery(raw, config="simple", search_type="raw")
        )
    elif words:
        condition = Q()
        for word in words:
            condition &= Q(headline__icontains=word)
        stories = stories.filter(condition)
    return stories.order_by("-published_at", "-pk")


def by_address(query: str):
    """The published story at a typed or pasted address of ours (a path, or a full address on
    the site's own host), so that it is linked by id too; None when `query` is no such
    address."""
    text = query.strip()
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        own_host = urlsplit(settings.SITE_URL).hostname
        if parts.scheme not in {"http", "https"} or parts.hostname != own_host:
            return None
    elif not text.startswith("/"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name != "articles:detail":
        return None
    try:
        day = date(int(match.kwargs["year"]), int(match.kwargs["month"]), int(match.kwargs["day"]))
    except ValueError:
        return Article.objects.none()
    return Article.objects.published().filter(publication_date=day, slug=match.kwargs["slug"])


def story_choice(story: Article) -> dict:
    return {
        "id": story.pk,
        "headline": story.headline,
        "url": story.get_absolute_url(),
        "date": timezone.localdate(story.published_at).isoformat(),
        "date_label": date_format(timezone.localtime(story.published_at), "j M Y"),
    }


def stories(request, model_admin):
    """The JSON view behind ArticleAdmin's `stories/` address. Like the story form's other
    script endpoints, it answers a session that ended with 401, not the login page."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return HttpResponse('{"error": "session"}', status=401, content_type="application/json")
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY_LENGTH:
        return HttpResponseBadRequest("The search is too long.")
    found = by_address(query)
    if found is None:
        found = matching(query)
    found = found.only("pk", "headline", "slug", "publication_date", "published_at")
    results = [story_choice(story) for story in found[:LIMIT]]
    body = json.dumps({"results": results}).translate(_SAFE_JSON)
    response = HttpResponse(body, content_type="application/json")
    add_never_cache_headers(response)
    return response

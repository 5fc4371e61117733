"""The Content API, version 1 (#18): read-only JSON under /api/v1/, for apps, newsletters,
partners and the social desk.

Built with django-ninja: its schemas are pydantic models, which give the OpenAPI 3.1 document
(/api/v1/openapi.json) and the browsable docs (/api/v1/docs) from the same code that checks
every response, with no serializer layer of our own to keep in step.

Who sees what. Anonymously, exactly what readers see on the site: every query starts from
`Article.objects.published()`, tags are those of live stories, authors listed are those with a
live story. A member of staff sending `Authorization: Bearer <token>` (a token made in the
admin, api/models.py) reads a story by id as the admin shows it to them: an editor any story,
a reporter their own drafts too, each with its `status`. A bad or revoked token is a 401, never
a quiet fall back to the public answer.

Caching. Anonymous answers are tagged with the surrogate keys of what they show, like the
site's pages (newsroom/pagecache.py), so the page cache and Varnish keep them, answer
`If-None-Match` with 304, and drop them on the same changes. Answers to a token are private and
never stored. Misses are rate-limited per client address (`NEWSROOM_API_ANON_RATE`); hits are
served by the cache before any limit.
"""

import base64
import binascii
import datetime
import functools
import re
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle

from articles import live as live_blogs
from articles import search as search_engine
from articles import workflow
from articles.body import FEED, body_keys, render_body
from articles.caching import object_key, stories_of_key, story_keys
from articles.lookups import active_banner
from articles.models import (
    Article,
    ArticleRedirect,
    Correction,
    Section,
    TaggedArticle,
    attach_bylines,
    attach_renditions,
)
from articles.ninjs import to_ninjs
from articles.permissions import stories_seen_by
from articles.search import find_articles, snippet_html
from articles.seo import absolute
from articles.views import corrections_shown, live_tags, newest_shown
from authors.models import Author
from newsroom.pagecache import last_modified, tag_response
from newsroom.security import client_ip
from newsroom.surrogate_keys import (
    ARCHIVE,
    BREAKING,
    CORRECTIONS,
    NAVIGATION,
    SEARCH,
    STAFF,
    image_key,
    story_key,
)
from pages.views import staff

from . import schemas
from .models import ApiToken

API_ROOT = "/api/v1"
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
MAX_ID = 2**63 - 1  # The largest id a database column holds.
SEARCH_PAGE_SIZE = 20
# The query parameters the API's answers read: the page cache keys them (PAGE_CACHE).
QUERY = ("cursor", "limit", "section", "tag", "author", "since", "until", "q", "page", "path")


class Token(HttpBearer):
    def authenticate(self, request, token):
        return ApiToken.user_for(token)


def anonymous(request):
    """Anyone without an Authorization header: a header that names no valid token is a 401."""
    return "anonymous" if "HTTP_AUTHORIZATION" not in request.META else None


class AnonymousRate(AnonRateThrottle):
    """Requests without a token, counted per client address as django-axes counts logins
    (the address the outermost proxy saw, newsroom/security.py)."""

    def __init__(self):
        super().__init__(settings.NEWSROOM_API_ANON_RATE)

    def get_cache_key(self, request):
        if request.auth != "anonymous":
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def allow_request(self, request):
        # The rate as the settings say now, not as they said when the module was imported.
        self.num_requests, self.duration = self.parse_rate(settings.NEWSROOM_API_ANON_RATE)
        return super().allow_request(request)


def _error(description, schema="Error"):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


# Answers any operation may give, which django-ninja doesn't list by itself.
EVERY_OPERATION = {
    400: _error("The query can't be read (a NUL character) or a value is refused."),
    401: _error("The token is not valid: unknown, revoked, or its user no longer has access."),
    422: _error("A parameter is not what the schema says; `detail` names it.", "Invalid"),
    429: _error("Too many requests without a token from this address: wait and try again."),
}


# Query parameters that are times: strings checked as RFC 3339 (`moment()`), not pydantic's
# datetimes, which also take numbers and dates.
TIMES = {"since", "until"}


DESCRIPTION = """The newsroom's stories, authors, sections, tags and corrections, read-only.

**Who sees what.** Without a token, exactly what readers see on the site: a story not live
answers as one that never existed (404), a withdrawn one 410 Gone. Staff send a token made in
the admin, `Authorization: Bearer <token>`, to read the stories the admin shows them, with
their `status`; a token that isn't valid is a 401.

**Pages.** Lists give `next`, the address of the next page, or null on the last.

**Caching.** Answers without a token carry an ETag (send `If-None-Match` for a 304) and are
cached until what they show changes. Requests the cache doesn't answer are limited per
address (429, with `Retry-After`).

**Errors** are JSON with a `detail` saying what was wrong."""


class ContentAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The document django-ninja makes, saying what it can't: a token is optional (an
        empty security requirement), and the errors every operation may answer."""
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in document["paths"].values():
            for operation in operations.values():
                operation["security"] = [{"Token": []}, {}]
                for parameter in operation.get("parameters", []):
                    if parameter["name"] in TIMES:
                        parameter["schema"]["format"] = "date-time"
                responses = operation["responses"]
                for status, answer in EVERY_OPERATION.items():
                    if status not in responses and str(status) not in responses:
                        responses[status] = answer
        components = document["components"]
        components["schemas"].setdefault("Error", schemas.Error.model_json_schema())
        components["schemas"]["Invalid"] = schemas.Invalid.model_json_schema()
        components["securitySchemes"]["Token"]["description"] = (
            "Optional. A member of staff's token, made in the admin (API tokens), reads "
            "stories not yet live that the admin shows them."
        )
        return document


api = ContentAPI(
    title=f"{settings.SITE_NAME} Content API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[Token(), anonymous],
    throttle=[AnonymousRate()],
)


def staff_user(request):
    return None if request.auth == "anonymous" else request.auth


def public(request, response: HttpResponse, keys, stories=()):
    """Tags an anonymous answer with the keys of what it shows (see the module's docstring),
    and says when the newest of its `stories` last changed for readers (Last-Modified); a
    token's answer is never stored."""
    last_modified(response, newest_shown(stories))
    if staff_user(request) is None:
        tag_response(response, keys, QUERY)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@api.get("/", response=schemas.Index, tags=["about"], summary="What the API offers")
def index(request, response: HttpResponse):
    """Where to start: the OpenAPI document, its docs and the lists."""
    base = absolute(request.path.rstrip("/"))
    public(request, response, [])
    return {
        "name": api.title,
        "version": api.version,
        "openapi": f"{base}/openapi.json",
        "docs": f"{base}/docs",
        "stories": f"{base}/stories",
        "search": f"{base}/search",
        "authors": f"{base}/authors",
        "sections": f"{base}/sections",
        "tags": f"{base}/tags",
        "corrections": f"{base}/corrections",
        "breaking": f"{base}/breaking",
    }


# Building the answers ------------------------------------------------------------------------


def picture(image):
    if image is None:
        return None
    crops = {}
    if image.is_ready:
        for name, version in image.crops.items():
            if version is not None:
                crops[name] = {
                    "url": absolute(version.url),
                    "width": version.width,
                    "height": version.height,
                    "type": version.mime_type,
                }
    return {"alt": image.alt, "caption": image.caption, "credit": image.credit, "crops": crops}


def ref(owner):
    """An author, a section or a tag as the lists name them."""
    if owner is None:
        return None
    return {
        "id": owner.pk,
        "name": owner.name,
        "slug": owner.slug,
        "url": absolute(owner.get_absolute_url()),
    }


def story_url(story) -> str:
    """A story's absolute address; "" while it has none (a draft only a token reads)."""
    url = story.get_absolute_url() if story.publication_date else ""
    return absolute(url) if url else ""


def story_out(story):
    return {
        "id": story.pk,
        "headline": story.headline,
        "standfirst": story.standfirst,
        "url": story_url(story),
        "published_at": story.published_at,
        "updated_at": story.shown_updated_at,
        "section": ref(story.section),
        "authors": [ref(author) for author in story.byline_authors],
        "tags": [ref(tag) for tag in story.tags.all()],
        "picture": picture(story.lead_image),
        "word_count": story.word_count,
        "live": live_out(story),
    }


def live_out(story):
    """A live blog's state and where its updates are (#18), from the story's own columns: a
    list of stories costs no query more."""
    if not story.is_live_blog:
        return None
    return {
        "state": story.live,
        "ended_at": story.live_ended_at,
        "updates_url": absolute(f"{API_ROOT}/stories/{story.pk}/updates"),
    }


def status_of(story) -> str:
    if story.is_embargoed() and story.status == Article.Status.PUBLISHED:
        return "embargoed"
    return str(workflow.state_of(story))


def story_detail(story):
    notes = story._prefetched_objects_cache.get("corrections", [])
    return {
        **story_out(story),
        "body_html": str(render_body(story, FEED)),
        "notes": [
            {"kind": note.kind, "text": note.text, "created_at": note.created_at}
            for note in notes
            if note.kind != Correction.Kind.WITHDRAWAL
        ],
        "version": story.version,
        "status": status_of(story),
    }


def load_story(story):
    """The story's tags, bylines, notes and picture, a plain query each, as the story page
    reads them (articles/views.py)."""
    cache = story.__dict__.setdefault("_prefetched_objects_cache", {})
    cache["tags"] = list(story.tags.all())
    attach_bylines([story])
    cache["corrections"] = list(Correction.objects.filter(article=story.pk).order_by("created_at"))
    attach_renditions(pictures=[story.lead_image])
    return story


def attach_tags(stories):
    """Each story's tags in one query, as `tags.all()` then reads them: prefetch_related()
    re-filters a queryset per story, which cost more than everything else on a page of 20."""
    by_story = {story.pk: [] for story in stories}
    links = TaggedArticle.objects.filter(content_object_id__in=by_story).select_related("tag")
    for link in links.order_by("pk"):
        by_story[link.content_object_id].append(link.tag)
    for story in stories:
        story.__dict__.setdefault("_prefetched_objects_cache", {})["tags"] = by_story[story.pk]
    return stories


def detail_keys(story):
    return [
        *story_keys([story]),
        *(object_key(tag) for tag in story.tags.all()),
        *body_keys(story),
    ]


def page_keys(stories):
    tags = {object_key(tag) for story in stories for tag in story.tags.all()}
    return [*story_keys(stories), *sorted(tags)]


# Cursors ------------------------------------------------------------------------------------


def encode_cursor(story, at=None) -> str:
    """Where a page ended: the last item's time (a story's publication, or `at`) and id."""
    raw = f"{(at or story.published_at).isoformat()}|{story.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|")
        at = datetime.datetime.fromisoformat(moment)
        if at.tzinfo is None:
            raise ValueError
        return at, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise HttpError(
            400, "This cursor is not one the API gave: start again without it."
        ) from None


def next_url(request, **changes):
    query = request.GET.copy()
    for name, value in changes.items():
        query[name] = value
    return absolute(f"{request.path}?{query.urlencode()}")


_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
)


def moment(value: str, name: str) -> datetime.datetime:
    """An RFC 3339 time (with its offset, as OpenAPI's date-time), or a 400 naming the
    parameter."""
    refused = HttpError(400, f"`{name}` must be a time such as 2026-03-10T08:00:00Z.")
    if not _RFC3339.match(value):
        raise refused
    try:
        parsed = datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        # In UTC: out of range is refused (year 1 east of Greenwich), and PostgreSQL, which
        # takes offsets up to 15:59 only, never sees one such as -16:45 (#18).
        return parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise refused from None


# Stories ------------------------------------------------------------------------------------


def _owner(queryset, slug, what):
    """The author, section or tag of this slug, or a 404. A slug in the address may hold a
    NUL (%00), which PostgreSQL refuses in a query: no slug has one."""
    found = None if "\x00" in slug else queryset.filter(slug=slug).first()
    if found is None:
        raise HttpError(404, f"No such {what}.")
    return found


@api.get(
    "/stories",
    response={200: schemas.StoryPage, 400: schemas.Error, 404: schemas.Error},
    tags=["stories"],
    summary="Live stories, newest first",
)
def stories(
    request,
    response: HttpResponse,
    section: str | None = Query(None, description="A section's slug."),
    tag: str | None = Query(None, description="A tag's slug."),
    author: str | None = Query(None, description="An author's slug."),
    since: str | None = Query(
        None,
        description="Published at or after this time (RFC 3339, e.g. 2026-03-10T08:00:00Z).",
    ),
    until: str | None = Query(
        None,
        description="Published before this time (RFC 3339).",
    ),
    cursor: str | None = Query(None, description="From the `next` address of the page before."),
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Stories readers can see, newest first, `limit` at a time: follow `next` for more. The
    filters combine. An author's or a tag's stories are read through their own index of
    publication times, so a page costs the same for a small author as for a prolific one."""
    now = timezone.now()
    keys = [ARCHIVE]
    found = Article.objects.published()
    # The column the page is ordered and cut by: the stories', or the copy kept on an
    # author's bylines or a tag's links (articles/link_times.py).
    when, pk, narrow = "published_at", "pk", Q()
    if author:
        owner = _owner(Author.objects.all(), author, "author")
        keys += [object_key(owner), stories_of_key(owner)]
        when, pk = "bylines__published_at", "bylines__article_id"
        narrow = Q(bylines__author=owner, bylines__published_at__lte=now)
    if tag:
        owner = _owner(live_tags(), tag, "tag")
        keys += [object_key(owner), stories_of_key(owner)]
        if author:
            links = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=owner)
            narrow &= Q(Exists(links))
        else:
            when, pk = "taggedarticle__published_at", "taggedarticle__content_object_id"
            narrow = Q(taggedarticle__tag=owner, taggedarticle__published_at__lte=now)
    if section:
        owner = _owner(Section.objects.all(), section, "section")
        keys += [object_key(owner), stories_of_key(owner)]
        narrow &= Q(section=owner)
    if since is not None:
        narrow &= Q(published_at__gte=moment(since, "since"))
    if until is not None:
        narrow &= Q(published_at__lt=moment(until, "until"))
    if cursor:
        at, last = decode_cursor(cursor)
        narrow &= Q(**{f"{when}__lt": at}) | Q(**{when: at, f"{pk}__lt": last})
    page = list(found.filter(narrow).for_cards().order_by(f"-{when}", f"-{pk}")[: limit + 1])
    more, page = len(page) > limit, attach_tags(page[:limit])
    body = {
        "items": [story_out(story) for story in page],
        "next": next_url(request, cursor=encode_cursor(page[-1])) if more else None,
    }
    public(request, response, [*keys, *page_keys(page)], page)
    return body


def _visible(request):
    """The stories this request may read by id: the live ones, or with a token those the
    admin shows its user."""
    user = staff_user(request)
    if user is None:
        return Article.objects.published()
    return stories_seen_by(user).filter(trashed_at__isnull=True)


def _story(request, response: HttpResponse, story):
    if story is None:
        raise HttpError(404, "No such story.")
    load_story(story)
    public(request, response, detail_keys(story), [story])
    return story_detail(story)


_STORY_PATH = re.compile(r"^/(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/(?P<slug>[-\w]+)/?$")


@api.get(
    "/stories/by-path",
    response={200: schemas.StoryDetail, 404: schemas.Error, 410: schemas.Error},
    tags=["stories"],
    summary="A story by its address",
)
def story_by_path(
    request,
    response: HttpResponse,
    path: str = Query(..., description="The story's address, e.g. /2026/03/10/ferry-returns/."),
):
    """The story at this address on the site, or at an address it had before (its `url`
    says where it is now)."""
    path = "/" + path.split("://", 1)[-1].split("/", 1)[-1] if "://" in path else path
    match = _STORY_PATH.match(path)
    stories = _visible(request).select_related("section", "lead_image")
    found = None
    if match:
        try:
            day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            day = None
        if day is not None:
            found = stories.filter(publication_date=day, slug=match["slug"]).first()
            gone = Article.objects.withdrawn().filter(publication_date=day, slug=match["slug"])
            if found is None and gone.exists():
                raise HttpError(410, "This story was withdrawn: see /api/v1/corrections for why.")
    if found is None:
        moved = ArticleRedirect.objects.filter(old_path=path).first()
        if moved is not None:
            found = stories.filter(pk=moved.article_id).first()
            if found is None and Article.objects.withdrawn().filter(pk=moved.article_id).exists():
                raise HttpError(410, "This story was withdrawn: see /api/v1/corrections for why.")
    return _story(request, response, found)


def _by_id(request, story_id):
    """The story with this id that the request may read, loaded; 410 for a withdrawn one."""
    found = _visible(request).select_related("section", "lead_image").filter(pk=story_id).first()
    if found is None and Article.objects.withdrawn().filter(pk=story_id).exists():
        raise HttpError(410, "This story was withdrawn: see /api/v1/corrections for why.")
    if found is None:
        raise HttpError(404, "No such story.")
    return load_story(found)


STORY_ID = Path(..., ge=1, le=MAX_ID, description="The story's id.")


@api.get(
    "/stories/{story_id}",
    response={200: schemas.StoryDetail, 404: schemas.Error, 410: schemas.Error},
    tags=["stories"],
    summary="A story",
)
def story(request, response: HttpResponse, story_id: int = STORY_ID):
    """A story with its text and notes. A withdrawn story answers 410 Gone, as its page does."""
    found = _by_id(request, story_id)
    public(request, response, detail_keys(found), [found])
    return story_detail(found)


@api.get(
    "/stories/{story_id}/ninjs",
    response={200: dict[str, Any], 404: schemas.Error, 410: schemas.Error},
    tags=["stories"],
    summary="A story as IPTC ninjs 2.0",
)
def story_ninjs(request, response: HttpResponse, story_id: int = STORY_ID):
    """The story in the news industry's JSON interchange format, IPTC ninjs 2.0
    (docs/ninjs.md), for other newsrooms' systems. `manage.py import_ninjs` reads it back."""
    found = _by_id(request, story_id)
    public(request, response, detail_keys(found), [found])
    return to_ninjs(found)


# Live blogs (#18) ---------------------------------------------------------------------------


def update_out(update, story_url):
    """An update; its address is its anchor on the story's page (none while the story, a
    draft only a token reads, has no address)."""
    return {
        "id": update.pk,
        "url": f"{story_url}#{update.anchor}" if story_url else "",
        "posted_at": update.posted_at,
        "edited_at": update.edited_at,
        "key_event": update.key_event,
        "title": update.title,
        "body_html": str(update.html),
        "authors": [ref(author) for author in update.byline],
    }


@api.get(
    "/stories/{story_id}/updates",
    response={200: schemas.LiveUpdatePage, 400: schemas.Error, 404: schemas.Error},
    tags=["stories"],
    summary="A live blog's updates, newest first",
)
def story_updates(
    request,
    response: HttpResponse,
    story_id: int = STORY_ID,
    since: str | None = Query(
        None,
        description="Posted at or after this time (RFC 3339, e.g. 2026-03-10T08:00:00Z): "
        "what is new since the last look.",
    ),
    cursor: str | None = Query(None, description="From the `next` address of the page before."),
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """The updates of a live blog, newest first, `limit` at a time: follow `next` for older
    ones. Readers' rule is the story's: a story that isn't a live blog, or that the request
    may not read (a token reads what the admin shows its user), is a 404. Bodies are the
    sanitised HTML the story page shows, links absolute. Queries are as many for 100 updates
    as for one."""
    blog = _visible(request).exclude(live="").filter(pk=story_id).first()
    if blog is None:
        raise HttpError(404, "No such live blog.")
    narrow = Q()
    if since is not None:
        narrow &= Q(posted_at__gte=moment(since, "since"))
    if cursor:
        at, last = decode_cursor(cursor)
        narrow &= Q(posted_at__lt=at) | Q(posted_at=at, pk__lt=last)
    page = live_blogs.newest_updates(blog, limit + 1, narrow)
    more, page = len(page) > limit, page[:limit]
    page, url = live_blogs.prepare(page, FEED), story_url(blog)
    body = {
        "story": {"id": blog.pk, "headline": blog.headline, "url": url},
        "live": live_out(blog),
        "items": [update_out(update, url) for update in page],
        "next": next_url(request, cursor=encode_cursor(page[-1], page[-1].posted_at))
        if more
        else None,
    }
    public(request, response, [story_key(blog.pk), *live_blogs.update_keys(blog, page)], [blog])
    # The newest of the blog's own time and its updates' (an update is newer, mostly).
    times = (newest_shown([blog]), live_blogs.newest_time(page))
    last_modified(response, max((at for at in times if at), default=None))
    return body


# Search -------------------------------------------------------------------------------------


@api.get(
    "/search",
    response={200: schemas.SearchPage, 400: schemas.Error},
    tags=["stories"],
    summary="Search live stories",
)
def search(
    request,
    response: HttpResponse,
    q: str = Query(..., max_length=search_engine.MAX_QUERY_LENGTH, description="Words to find."),
    section: str | None = Query(None, description="A section's slug."),
    author: str | None = Query(None, description="An author's slug."),
    page: int = Query(1, ge=1, le=search_engine.MAX_RESULTS // SEARCH_PAGE_SIZE),
):
    """The site's search: best match first, 20 a page, at most `found_cap` stories in all."""
    # Words only: a query of punctuation finds nothing, as on the site.
    results, found = find_articles(q, section=section, author=author)
    start = (page - 1) * SEARCH_PAGE_SIZE
    shown = list(results[start : start + SEARCH_PAGE_SIZE + 1])
    more, shown = len(shown) > SEARCH_PAGE_SIZE, attach_tags(shown[:SEARCH_PAGE_SIZE])
    body = {
        "items": [
            {**story_out(story), "snippet_html": str(snippet_html(story.search_snippet))}
            for story in shown
        ],
        "found": found,
        "found_cap": search_engine.MAX_RESULTS,
        "next": next_url(request, page=page + 1) if more else None,
    }
    public(request, response, [SEARCH, *page_keys(shown)], shown)
    return body


# Authors, sections, tags ----------------------------------------------------------------------


def author_out(author):
    return {
        **ref(author),
        "job_title": author.job_title,
        "bio": author.bio,
        "photo": picture(author.photo),
    }


def _authors():
    return Author.objects.select_related("photo").prefetch_related("photo__renditions")


@api.get("/authors", response=list[schemas.Author], tags=["people and places"])
def authors(request, response: HttpResponse):
    """The authors readers know: those with at least one live story, A to Z (the staff page)."""
    found = list(staff())
    photos = [image_key(a.photo_id) for a in found if a.photo_id]
    keys = [STAFF, *(object_key(a) for a in found), *photos]
    public(request, response, keys)
    return [author_out(author) for author in found]


@api.get(
    "/authors/{slug}",
    response={200: schemas.Author, 404: schemas.Error},
    tags=["people and places"],
)
def author(request, response: HttpResponse, slug: str):
    """An author, as their page shows them; their stories are `/stories?author=<slug>`."""
    found = _owner(_authors(), slug, "author")
    keys = [object_key(found), *([image_key(found.photo_id)] if found.photo_id else [])]
    public(request, response, keys)
    return author_out(found)


def section_out(section):
    return {
        **ref(section),
        "description": section.description,
        "in_navigation": section.in_navigation,
    }


@api.get("/sections", response=list[schemas.Section], tags=["people and places"])
def sections(request, response: HttpResponse):
    """Every section, in the newsroom's order."""
    found = list(Section.objects.order_by("order", "name"))
    public(request, response, [NAVIGATION, *(object_key(s) for s in found)])
    return [section_out(section) for section in found]


@api.get(
    "/sections/{slug}",
    response={200: schemas.Section, 404: schemas.Error},
    tags=["people and places"],
)
def section(request, response: HttpResponse, slug: str):
    found = _owner(Section.objects.all(), slug, "section")
    public(request, response, [object_key(found)])
    return section_out(found)


@api.get("/tags", response=list[schemas.Tag], tags=["people and places"])
def tags(request, response: HttpResponse):
    """The tags of live stories, A to Z. A tag only unpublished stories carry is not listed: its
    name alone could give a story away."""
    found = list(live_tags().order_by("name", "pk"))
    public(request, response, [ARCHIVE, *(object_key(t) for t in found)])
    return [ref(tag) for tag in found]


@api.get(
    "/tags/{slug}",
    response={200: schemas.Tag, 404: schemas.Error},
    tags=["people and places"],
)
def tag(request, response: HttpResponse, slug: str):
    found = _owner(live_tags(), slug, "tag")
    public(request, response, [ARCHIVE, object_key(found)])
    return ref(found)


# Breaking news ----------------------------------------------------------------------------------


@api.get("/breaking", response=schemas.Breaking | None, tags=["stories"])
def breaking(request, response: HttpResponse):
    """The breaking-news banner every page shows now, or null: for apps to show it too. A
    cached answer ends when the banner does, or when the next one starts."""
    banner = active_banner()
    public(request, response, [BREAKING])
    if banner is None:
        return None
    return {
        "text": banner.text,
        "url": absolute(banner.link) if banner.link else None,
        "starts_at": banner.starts_at,
        "expires_at": banner.expires_at,
    }


# Corrections --------------------------------------------------------------------------------


@api.get("/corrections", response=schemas.CorrectionPage, tags=["stories"])
def corrections(
    request,
    response: HttpResponse,
    page: int = Query(1, ge=1, le=10_000),
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Corrections, clarifications and updates of live stories, and the withdrawal of each
    withdrawn story (when it was published, when and why it was taken down, nothing else),
    newest first, as the corrections page lists them."""
    start = (page - 1) * limit
    notes = list(corrections_shown().select_related("article")[start : start + limit + 1])
    more, notes = len(notes) > limit, notes[:limit]
    items = []
    for note in notes:
        story = note.article
        withdrawn = note.kind == Correction.Kind.WITHDRAWAL
        items.append(
            {
                "kind": note.kind,
                "text": note.text,
                "created_at": note.created_at,
                "story": None
                if withdrawn
                else {
                    "id": story.pk,
                    "headline": story.headline,
                    "url": absolute(story.get_absolute_url()),
                },
                "published_on": story.publication_date,
            }
        )
    stories = sorted({note.article_id for note in notes})
    public(request, response, [CORRECTIONS, *(f"story-{pk}" for pk in stories)])
    return {"items": items, "next": next_url(request, page=page + 1) if more else None}


def answers_head(view):
    """HEAD answered as GET (the server sends no body), as every page of the site answers it;
    django-ninja routes GET only. Other methods never get here (newsroom/guards.py)."""

    @functools.wraps(view)
    def read(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"

    return read


def urls():
    """The API's URL patterns, for newsroom/urls.py."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = answers_head(pattern.callback)
    return patterns, app_name, namespace

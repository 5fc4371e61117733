"""The public side of the site as the URL resolver sees it, with a good address for each
pattern: the hostile-input sweep and the method checks run over all of them (#7)."""

import re
from datetime import timedelta
from urllib.parse import urlencode

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from articles import services
from articles.models import Article, FrontPageSlot, LiveUpdate
from articles.previews import preview_url
from pages.models import Page
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)
from tests.images.samples import jpeg

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def public_routes():
    """Every URL pattern outside the admin, as written in the URLconf ("tags/<tag:slug>/")."""

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if getattr(entry, "name", None) == "api-root":
                # django-ninja's pattern for reverse() only: the API's index answers first.
                continue
            if not isinstance(entry, URLResolver):
                yield route
            elif entry.namespace != "admin":
                yield from walk(entry.url_patterns, route)

    return list(walk(get_resolver().url_patterns, ""))


def converters(route):
    """The route's parameters: {name: converter kind}, "str" when none is named."""
    return {m["name"]: m["converter"] or "str" for m in PARAMETER.finditer(route)}


def address(route, values):
    """The route's address with these values; under "?", a query string the page needs to
    answer (the API's search, its story by address)."""
    path = "/" + PARAMETER.sub(lambda m: str(values[m["name"]]), route)
    return f"{path}?{urlencode(values['?'])}" if "?" in values else path


def public_site():
    """A story in a section, with a tag and an author, pinned to the front page; a live blog
    with updates (#18); a draft with a shared preview link; a footer page. Returns the good
    parameters of every public route."""
    section = SectionFactory(name="City")
    author = AuthorFactory(name="Ada Lovelace")
    story = PublishedArticleFactory(
        headline="Harbour bridge reopens",
        section=section,
        authors=[author],
        published_at=timezone.now() - timedelta(days=1),
    )
    story.tags.add("port")
    FrontPageSlot.objects.create(slot=0, article=story)
    blog = PublishedArticleFactory(
        headline="Harbour storm: live",
        section=section,
        authors=[author],
        live=Article.Live.LIVE,
        published_at=timezone.now() - timedelta(hours=2),
    )
    for minutes in (30, 10):
        update = LiveUpdate.objects.create(
            article=blog,
            title="Ferries stop" if minutes == 30 else "",
            key_event=minutes == 30,
            body=f"<p>Winds of {minutes} knots, <a href='/'>more</a>.</p>",
            posted_at=timezone.now() - timedelta(minutes=minutes),
        )
        update.authors.add(author)
    draft = DraftArticleFactory()
    link = services.preview_link_create(article=draft, by=EditorFactory())
    token = preview_url(link).split("/")[-2]
    day = story.publication_date
    date = {"year": f"{day:%Y}", "month": f"{day:%m}", "day": f"{day:%d}"}
    tag = story.tags.get()
    picture = default_storage.save("images/sample.jpg", ContentFile(jpeg((32, 24))))
    page = Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p>")
    return {
        "feed/": {},
        "feed/atom/": {},
        "sections/<slug:slug>/feed/": {"slug": section.slug},
        "sections/<slug:slug>/feed/atom/": {"slug": section.slug},
        "tags/<tag:slug>/feed/": {"slug": tag.slug},
        "tags/<tag:slug>/feed/atom/": {"slug": tag.slug},
        "authors/<slug:slug>/feed/": {"slug": author.slug},
        "authors/<slug:slug>/feed/atom/": {"slug": author.slug},
        "sitemap.xml": {},
        "sitemap-<section>.xml": {"section": "articles"},
        "news-sitemap.xml": {},
        "robots.txt": {},
        "authors/<slug:slug>/": {"slug": author.slug},
        "search/": {},
        "pages/<slug:slug>/": {"slug": page.slug},
        "staff/": {},
        "": {},
        "corrections/": {},
        "sections/<slug:slug>/": {"slug": section.slug},
        "tags/<tag:slug>/": {"slug": tag.slug},
        "preview/<str:token>/": {"token": token},
        "<yyyy:year>/": date,
        "<yyyy:year>/<dd:month>/": date,
        "<yyyy:year>/<dd:month>/<dd:day>/": date,
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/": {**date, "slug": story.slug},
        "media/<path:name>": {"name": picture},
        # A live blog's poll and feed (#18).
        "live/<int:pk>/updates.json": {"pk": blog.pk},
        "live/<int:pk>/feed/": {"pk": blog.pk},
        # The Content API (#18).
        "api/v1/": {},
        "api/v1/openapi.json": {},
        "api/v1/docs": {},
        "api/v1/stories": {},
        "api/v1/stories/<story_id>": {"story_id": story.pk},
        "api/v1/stories/<story_id>/ninjs": {"story_id": story.pk},
        "api/v1/stories/<story_id>/updates": {"story_id": blog.pk},
        "api/v1/stories/by-path": {"?": {"path": story.get_absolute_url()}},
        "api/v1/search": {"?": {"q": "harbour"}},
        "api/v1/authors": {},
        "api/v1/authors/<slug>": {"slug": author.slug},
        "api/v1/sections": {},
        "api/v1/sections/<slug>": {"slug": section.slug},
        "api/v1/tags": {},
        "api/v1/tags/<slug>": {"slug": tag.slug},
        "api/v1/corrections": {},
        "api/v1/breaking": {},
    }

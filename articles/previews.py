"""Previews of unpublished stories and of unpublished changes to live ones (#3, #12).

Staff who may edit a story preview it in the admin. Anyone else needs a shared link: a signed
token naming a PreviewLink row, valid until the link expires or is revoked. Previews are never
cached or indexed. A link to a live story shows its unpublished changes while there are any,
and otherwise leads to the story itself.
"""

from django.core import signing
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from . import services
from .body import render_body
from .models import Article, ArticleAuthor, PreviewLink, StagedChange, Tag
from .services import PREVIEW_LINK_LIFETIME

SALT = "articles.preview-link"


def preview_url(link: PreviewLink) -> str:
    token = signing.dumps(link.pk, salt=SALT)
    return reverse("articles:preview", kwargs={"token": token})


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview_response(request, article: Article, *, banner: str, shown: Article | None = None):
    """The story page as readers would see it. `shown` is the live story with its unpublished
    changes applied (services.staged_story): its byline and tags are the changes' own."""
    if shown is None:
        story = (
            Article.objects.with_bylines(photos=True)
            .prefetch_related("tags", "corrections")
            .get(pk=article.pk)
        )
    else:
        story = _with_changes(shown, StagedChange.objects.get(article=article).snapshot)
    response = TemplateResponse(
        request,
        "articles/article_detail.html",
        {"article": story, "object": story, "preview": banner, "body": render_body(story)},
    )
    return _private(response)


def _with_changes(story: Article, snap: dict) -> Article:
    """The story page reads the byline and tags of the unpublished changes, not the live
    ones: they are handed to it as if prefetched."""
    _, authors, names = services.snapshot_parts(snap)
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    tags = [existing.get(name) or Tag(name=name, slug=Tag().slugify(name)) for name in names]
    story._prefetched_objects_cache = {
        "bylines": [
            ArticleAuthor(article=story, author=author, position=position)
            for position, author in enumerate(authors)
        ],
        "tags": tags,
        "corrections": list(story.corrections.all()),
    }
    return story


@require_safe
def shared_preview(request, token):
    """The read-only page behind a shared preview link."""
    try:
        link_pk = signing.loads(
            token, salt=SALT, max_age=PREVIEW_LINK_LIFETIME.total_seconds() + 60
        )
    except signing.BadSignature:
        link_pk = None
    link = PreviewLink.objects.select_related("article").filter(pk=link_pk).first()
    # A withdrawn story's links end with it; a story in the trash has none either.
    ended = link is not None and (
        link.article.status == Article.Status.WITHDRAWN or link.article.trashed_at is not None
    )
    if link is None or not link.is_active() or ended:
        response = TemplateResponse(request, "articles/preview_gone.html", status=410)
        return _private(response)
    if link.article.is_published():
        changes = services.staged_story(link.article)
        if changes is None:
            return _private(redirect(link.article))
        return preview_response(request, link.article, banner="shared-changes", shown=changes)
    return preview_response(request, link.article, banner="shared")

"""Previews of unpublished stories (#3).

Staff who may edit a story preview it in the admin. Anyone else needs a shared link: a signed
token naming a PreviewLink row, valid until the link expires or is revoked. Previews are never
cached or indexed, and a link to a story that has since gone live redirects to it.
"""

from django.core import signing
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from .models import Article, PreviewLink
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


def preview_response(request, article: Article, *, banner: str, status: int = 200):
    article = (
        Article.objects.with_bylines().prefetch_related("tags", "corrections").get(pk=article.pk)
    )
    response = TemplateResponse(
        request,
        "articles/article_detail.html",
        {"article": article, "object": article, "preview": banner},
        status=status,
    )
    return _private(response)


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
        return _private(redirect(link.article))
    return preview_response(request, link.article, banner="shared")

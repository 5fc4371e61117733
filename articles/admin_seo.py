"""The story form's "SEO and social" fieldset (#14): an optional SEO title and description, with
a live preview beside them of the search result and of the social card.

The preview is rendered here from the story as saved, and static/js/story-seo.js redraws it
from the form as the editor types: the title, address and description cut as search results
cut them (articles/seo.py `search_cut`, mirrored in the script), and the lead picture's social
crop (1200×630 around its focal point, made when the picture was saved: images/specs.py),
asked for from `social_image` when another picture is picked.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone

from images.models import Image

from . import seo, workflow
from .models import Article, StagedChange
from .text import DESCRIPTION_SHOWN, HEADLINE_SHOWN

SEO_FIELDS = ["seo_title", "seo_description"]
NAME = "SEO and social"


def fieldset(article: Article | None) -> tuple[str, dict]:
    """The fieldset, collapsed unless the story (or its unpublished changes) fills it in."""
    live = article is not None and article.is_published()
    description = (
        "How the story shows in search results and when it is shared. Empty fields use the "
        "headline and the standfirst; the preview follows your typing."
    )
    if live:
        description += (
            " On this live story, search engines and social sites see a change once you press "
            f"“{workflow.first('publish_changes').label}”."
        )
    classes = ["seo-social"] if is_filled(article) else ["collapse", "seo-social"]
    return NAME, {
        "classes": classes,
        "description": description,
        "fields": [*SEO_FIELDS, "seo_preview"],
    }


def is_filled(article: Article | None) -> bool:
    if article is None or article.pk is None:
        return False
    if article.seo_title or article.seo_description:
        return True
    try:
        # The admin's story comes with its unpublished changes (ArticleAdmin.get_queryset).
        staged = article.staged_change
    except StagedChange.DoesNotExist:
        return False
    return any(staged.snapshot.get(name) for name in SEO_FIELDS)


def social_version(image: Image | None):
    """The social card's picture: the lead picture's 1200×630 crop (None while processed)."""
    return image.crop("social") if image is not None and image.file else None


def preview_html(article: Article) -> str:
    """The preview as the story stands; the script redraws it from the form."""
    suffix = f" | {settings.SITE_NAME}"
    # The address as search results show it, its parts after the host; a story without a
    # publication time has today's date, as if published now.
    day = article.publication_date or timezone.localdate()
    image = article.lead_image if article.lead_image_id else None
    social = social_version(image)
    title, description = article.meta_title, article.meta_description
    return render_to_string(
        "admin/articles/article/search_preview.html",
        {
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            "site_host": settings.SITE_URL.split("://", 1)[-1],
            "title_suffix": suffix,
            "path_parts": [f"{day:%Y}", f"{day:%m}", f"{day:%d}"],
            "slug": article.slug,
            "date": day,
            "search_title": seo.search_cut(title + suffix, HEADLINE_SHOWN),
            "search_description": seo.search_cut(description, DESCRIPTION_SHOWN),
            "social_title": title,
            "social_description": description,
            "social": social,
            "image": image,
            "default_social_image": settings.NEWSROOM_DEFAULT_SOCIAL_IMAGE,
            "headline_shown": HEADLINE_SHOWN,
            "description_shown": DESCRIPTION_SHOWN,
        },
    )


def social_image(request):
    """JSON for the preview: the social crop of a picture (`?image=<id>`), as a picked lead
    picture will be shared. 404 for no such picture, 403 without the right to see pictures; a
    picture still being processed (#15) has no crop yet: `{"url": "", "processing": true}`."""
    if not request.user.has_perm("images.view_image"):
        raise PermissionDenied
    pk = request.GET.get("image", "")
    if not re.fullmatch(r"[0-9]{1,12}", pk):
        raise Http404("No such picture.")
    image = Image.objects.with_renditions().filter(pk=int(pk)).first()
    if image is None or not image.file:
        raise Http404("No such picture.")
    social = social_version(image)
    if social is None:
        return JsonResponse({"url": "", "processing": True, "alt": image.alt})
    return JsonResponse(
        {"url": social.url, "width": social.width, "height": social.height, "alt": image.alt}
    )

"""Tells the picture library where its pictures are used (#14): stories using one as their
lead picture or in their body, and authors' portraits. Registered in ArticlesConfig.ready();
images/usage.py explains why the library doesn't look for itself."""

from django.urls import reverse

from authors.models import Author
from images.usage import Use, body_marker

from .permissions import can_view, stories_seen_by


def _story_use(story, how, user) -> Use:
    what = story.headline or f"Story {story.pk}"
    if story.trashed_at is not None:
        return Use(f"{what} (in the trash)", how)
    url = reverse("admin:articles_article_change", args=[story.pk])
    state = story.get_status_display().lower()
    return Use(f"{what} ({state})", how, url if can_view(user, story) else "")


def story_uses(image, user):
    """Stories the user may know of, the last changed first (at most 100): one query for the
    lead picture and the body together. Unpublished changes to a live story (StagedChange)
    are not searched: they use the picture only once published."""
    seen = stories_seen_by(user)
    marker = body_marker(image.pk)
    found = seen.filter(lead_image=image) | seen.filter(body__contains=marker)
    fields = ["pk", "headline", "status", "trashed_at", "lead_image_id", "body", "created_by_id"]
    for story in found.only(*fields).order_by("-updated_at")[:100]:
        if story.lead_image_id == image.pk:
            yield _story_use(story, "Lead picture", user)
        if marker in story.body:
            yield _story_use(story, "In the body", user)


def author_uses(image, user):
    can_open = user.has_perm("authors.change_author") or user.has_perm("authors.view_author")
    for author in Author.objects.filter(photo=image).only("pk", "name"):
        url = reverse("admin:authors_author_change", args=[author.pk]) if can_open else ""
        yield Use(author.name, "Author's portrait", url)

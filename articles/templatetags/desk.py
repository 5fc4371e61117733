"""The editor's desk on the admin index (#3, #12): what needs doing, at a glance.

Each list is one query, whatever the number of stories.
"""

from django import template
from django.urls import reverse

from ..editing import name_of, people_in, unsaved_work
from ..models import Article, StagedChange
from ..permissions import can_add, is_editor, sees_every_story

register = template.Library()

LIMIT = 8


def _story_link(story):
    return reverse("admin:articles_article_change", args=[story.pk])


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def newsroom_desk(context):
    user = context["request"].user
    editor = is_editor(user)
    stories = Article.objects.current().only(
        "pk",
        "headline",
        "status",
        "published_at",
        "updated_at",
        "created_by_id",
        "embargo_until",
        "held_at",
        "trashed_at",  # is_scheduled() reads it (the lists are of current stories anyway).
    )
    mine = stories.owned_by(user)
    lists = []
    if editor:
        lists.append(("Awaiting review", stories.in_review().order_by("updated_at")[:LIMIT]))
    elif can_add(user):
        lists.append(("My stories in review", mine.in_review().order_by("-updated_at")[:LIMIT]))
    # Someone who writes no stories (Legal, #15) has no drafts: their desk starts with what
    # waits for an embargo or a hold, not with empty boxes.
    if editor or can_add(user):
        lists.append(("My drafts", mine.drafts().order_by("-updated_at")[:LIMIT]))
    if editor:
        lists.append(("Scheduled next", stories.scheduled().order_by("published_at")[:LIMIT]))
        lists.append(("Recently published", stories.published().order_by("-published_at")[:LIMIT]))
    lists = [(title, list(items)) for title, items in lists]
    if sees_every_story(user):
        # What waits for an embargo or for Legal (#15), when anything does.
        waiting = [
            ("Embargoed", list(stories.embargoed().order_by("embargo_until")[:LIMIT])),
            ("On legal hold", list(stories.held().order_by("-held_at")[:LIMIT])),
        ]
        lists += [(title, items) for title, items in waiting if items]

    changes = []
    if editor:
        waiting = (
            StagedChange.objects.filter(article__trashed_at__isnull=True)
            .select_related("article", "updated_by")
            .order_by("publish_at", "-updated_at")[:LIMIT]
        )
        changes = list(waiting)
    unsaved = list(unsaved_work(user)[:LIMIT])
    open_now = _open_now(user, editor)
    return {
        "lists": lists,
        "changes": changes,
        "unsaved": unsaved,
        "open_now": open_now,
        "add_url": reverse("admin:articles_article_add"),
        "csrf_token": context.get("csrf_token"),
        # For the apps whose lists join the desk (notifications, #15).
        "request": context["request"],
    }


def _open_now(user, editor):
    """Stories someone has open right now, with who (reporters see their own stories)."""
    from ..editing import alive

    ids = alive().filter(article__trashed_at__isnull=True)
    if not editor:
        ids = ids.filter(article__in=Article.objects.owned_by(user))
    ids = list(ids.values_list("article_id", flat=True).distinct()[: LIMIT * 2])
    people = people_in(ids)
    stories = Article.objects.only("pk", "headline").in_bulk(ids)
    rows = []
    for pk, present in people.items():
        if pk in stories:
            rows.append(
                {
                    "story": stories[pk],
                    "url": _story_link(stories[pk]),
                    "people": ", ".join(name_of(p.user) for p in present),
                }
            )
    return rows[:LIMIT]

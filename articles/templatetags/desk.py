"""The editor's desk on the admin index (#3): what needs doing, at a glance."""

from django import template

from ..models import Article
from ..permissions import is_editor

register = template.Library()

LIMIT = 8


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def newsroom_desk(context):
    user = context["request"].user
    stories = Article.objects.only(
        "pk", "headline", "status", "published_at", "updated_at", "created_by_id"
    )
    mine = stories.owned_by(user)
    lists = []
    if is_editor(user):
        lists.append(("Awaiting review", stories.in_review().order_by("updated_at")[:LIMIT]))
    else:
        lists.append(("My stories in review", mine.in_review().order_by("-updated_at")[:LIMIT]))
    lists.append(("My drafts", mine.drafts().order_by("-updated_at")[:LIMIT]))
    if is_editor(user):
        lists.append(("Scheduled next", stories.scheduled().order_by("published_at")[:LIMIT]))
        lists.append(("Recently published", stories.published().order_by("-published_at")[:LIMIT]))
    return {"lists": [(title, list(items)) for title, items in lists]}

"""Notes and notifications in the admin's templates (#15): the header's count, the desk's list
and the story form's thread. Articles' templates load these; articles' code never imports
this app."""

from django import template

from articles.permissions import can_view

from .. import services
from ..admin import NoteForm, mention_choices
from ..models import Notification

register = template.Library()

DESK_LIMIT = 8


@register.inclusion_tag("admin/notifications/header_link.html", takes_context=True)
def notifications_link(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": services.unread_in(request)}


@register.inclusion_tag("admin/notifications/desk.html", takes_context=True)
def desk_notifications(context):
    request = context["request"]
    latest = list(
        Notification.objects.filter(recipient=request.user)
        .select_related("article")
        .only("pk", "text", "created_at", "read_at", "kind", "article__id", "article__headline")[
            :DESK_LIMIT
        ]
    )
    return {"notifications": latest, "unread": services.unread_in(request), "request": request}


@register.inclusion_tag("admin/notifications/thread.html", takes_context=True)
def story_notes(context, article):
    request = context["request"]
    if article is None or article.pk is None or not can_view(request.user, article):
        return {"show": False}
    return {
        "show": True,
        "article": article,
        "notes": list(services.notes_of(article)),
        "form": NoteForm(auto_id="id_note_%s"),
        # Who a mention here reaches, for the writer to pick from.
        "mentionable": mention_choices(article),
        "csrf_token": context.get("csrf_token"),
    }

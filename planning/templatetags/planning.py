"""Planning on the desk (#15): "My assignments", a story's plan on its form, and deadlines in
words ("due in 3 hours", "overdue by 2 hours") with the time on the newsroom's clock.

Each list is a fixed number of queries, whatever the number of plans.
"""

from datetime import datetime, time, timedelta

from django import template
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil

from articles.models import Article
from articles.permissions import can_add
from newsroom.timezones import local_time

from ..models import Plan
from ..services import can_plan

register = template.Library()

LIMIT = 12
OPEN = {Article.Status.DRAFT}


def due_words(plan: Plan, now) -> str:
    """ "due in 3 hours", "overdue by 2 hours" (a draft past its deadline), or "was due"."""
    if plan.deadline > now:
        return f"due in {timeuntil(plan.deadline, now, depth=1)}"
    if plan.article.status in OPEN:
        return f"overdue by {timesince(plan.deadline, now, depth=1)}"
    return "was due"


@register.simple_tag
def plan_due(plan, now=None):
    """A plan's deadline in words, then on the newsroom's clock with the zone's name."""
    if plan.deadline is None:
        return "No deadline"
    now = now or timezone.now()
    words = due_words(plan, now)
    overdue = words.startswith("overdue")
    return format_html(
        '<span class="plan-due{}">{}</span> (<time datetime="{}">{}</time>)',
        " plan-due--overdue" if overdue else "",
        words,
        timezone.localtime(plan.deadline).isoformat(timespec="seconds"),
        local_time(plan.deadline),
    )


@register.inclusion_tag("admin/planning/my_assignments.html", takes_context=True)
def my_assignments(context):
    """The stories assigned to the user still to be written or in review: the overdue and
    soonest due first (urgent before others at the same time), those with no deadline last."""
    user = context["request"].user
    plans = list(
        Plan.objects.open()
        .assigned_to(user)
        .for_desk()
        .defer("article__body")
        .order_by(
            "article__status",  # Drafts ("draft") before those in review ("review").
            F("deadline").asc(nulls_last=True),
            "-priority",
            "article_id",
        )[:LIMIT]
    )
    planner = can_plan(user)
    now = timezone.now()
    return {
        "plans": plans,
        "due_today": _due_today(now) if planner else [],
        "now": now,
        "planner": planner,
        # An empty "My assignments" only for those who could be given a story (not Legal).
        "writer": can_add(user),
        "day_plan_url": reverse("admin:planning_plan_changelist"),
        "add_url": reverse("admin:planning_plan_add"),
    }


def _due_today(now):
    """For editors: the drafts due by the end of the newsroom's day, overdue ones first."""
    zone = timezone.get_default_timezone()
    tomorrow = timezone.localdate(now, zone) + timedelta(days=1)
    end = timezone.make_aware(datetime.combine(tomorrow, time.min), zone)
    return list(
        Plan.objects.open()
        .filter(deadline__lt=end, article__status=Article.Status.DRAFT)
        .for_desk()
        .defer("article__body")
        .order_by("deadline", "-priority", "article_id")[:LIMIT]
    )


@register.inclusion_tag("admin/planning/story_plan.html", takes_context=True)
def story_plan(context, article):
    """The plan on the story's form: read-only, with a link to change it for editors."""
    if article is None or article.pk is None:
        return {"plan": None}
    plan = Plan.objects.filter(pk=article.pk).select_related("article").first()
    if plan is None:
        return {"plan": None}
    user = context["request"].user
    return {
        "plan": plan,
        "assignees": list(plan.assignees.all()),
        "now": timezone.now(),
        "may_change": can_plan(user),
        "change_url": reverse("admin:planning_plan_change", args=[plan.pk]),
    }

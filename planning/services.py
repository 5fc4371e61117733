"""Planning's writes (#15): planning a story, changing its plan, reassigning it.

A planned story is a draft made through articles' own service (`article_save`): one revision
and one log entry, like any story; the plan is saved in the same transaction. A planned
story's byline starts with its assignees' author profiles while it has none of its own
(`_byline_from_assignees`). After the
commit the apps above articles are told (articles/signals.py): `assignment_changed` when the
assignees change, and the deadline job (planning/tasks.py) is queued for the deadline minute.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles import editing, workflow
from articles import services as story_services
from articles.models import Article, Section, slug_for
from articles.permissions import actor_user, is_editor
from articles.signals import assignment_changed
from authors.models import Author
from newsroom.jobs import enqueue_on_commit

from . import tasks
from .models import Plan

logger = logging.getLogger(__name__)
User = get_user_model()

PLAN_FIELDS = ("deadline", "priority", "planned_words", "brief")


def can_plan(user) -> bool:
    """Editors plan stories and assign them; reporters see what they are given (#15)."""
    return user is not None and user.is_active and is_editor(user)


def _require_planner(by) -> None:
    if not can_plan(by):
        raise PermissionDenied("Only editors can plan stories and assign them.")


@transaction.atomic
def plan_create(
    *,
    by,
    headline: str,
    section: Section | None,
    assignees: Iterable = (),
    deadline: datetime | None = None,
    priority: int = Plan.Priority.NORMAL,
    planned_words: int | None = None,
    brief: str = "",
) -> Plan:
    """Plans a story before any text: a draft with the working headline and section, no body,
    and its plan. Its byline is the assignees' author profiles (those who have one), so the
    writer needn't add their own before submitting; assignees with no profile add one."""
    _require_planner(by)
    assignees = list(assignees)
    day = timezone.localdate(timezone.now(), timezone.get_default_timezone())
    result = story_services.article_save(
        article=None,
        by=by,
        changes={
            "headline": headline,
            "slug": story_services.free_slug(slug_for(headline), day),
            "section": section,
            "body": "",
        },
        authors=byline_of(assignees),
        comment="Planned",
    )
    plan = Plan(
        article=result.article,
        deadline=deadline,
        priority=priority,
        planned_words=planned_words,
        brief=brief,
        created_by=actor_user(by),
    )
    plan.full_clean()
    plan.save()
    _assign(plan, assignees, by=by)
    _schedule_deadline(plan)
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, by, assignees: Iterable | None = None, **changes) -> Plan:
    """Changes a plan: any of PLAN_FIELDS, and the assignees when given. A moved deadline
    queues a new deadline job; the old one finds the deadline changed and does nothing."""
    _require_planner(by)
    if unknown := set(changes) - set(PLAN_FIELDS):
        raise TypeError(f"Not part of a plan: {', '.join(sorted(unknown))}")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    old_deadline = plan.deadline
    for name, value in changes.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    if assignees is not None:
        assignees = list(assignees)
        if _assign(plan, assignees, by=by):
            _byline_from_assignees(plan, assignees, by=by)
    if plan.deadline != old_deadline:
        _schedule_deadline(plan)
    return plan


def plan_reassign(*, plan: Plan, by, assignees: Iterable) -> Plan:
    """Gives the story to other people (the day's plan's "Reassign")."""
    return plan_update(plan=plan, by=by, assignees=assignees)


def _assign(plan: Plan, wanted: list, *, by) -> bool:
    """Sets the assignees and, after the commit, says who was added and who removed.
    Returns whether they changed."""
    current = {user.pk: user for user in plan.assignees.all()}
    wanted_by_pk = {user.pk: user for user in wanted}
    added = [user for pk, user in wanted_by_pk.items() if pk not in current]
    removed = [user for pk, user in current.items() if pk not in wanted_by_pk]
    if not added and not removed:
        return False
    plan.assignees.set(list(wanted_by_pk.values()))
    article = plan.article
    transaction.on_commit(
        lambda: assignment_changed.send(
            sender=Article, article=article, added=added, removed=removed, by=actor_user(by)
        )
    )
    return True


def byline_of(users: Iterable) -> list[Author]:
    """The author profiles of these users (authors.Author with user=…), in the users' order;
    a user with no profile has no place in a byline."""
    users = list(users)
    profiles = {a.user_id: a for a in Author.objects.filter(user__in=[u.pk for u in users])}
    return [profiles[user.pk] for user in users if user.pk in profiles]


def _byline_from_assignees(plan: Plan, assignees: list, *, by) -> None:
    """A reassigned draft whose byline is still empty gets the new assignees' profiles (#15).

    Why prefill the byline, which readers see: a planned story is a draft, and its byline
    is public only once an editor publishes it, after reading it on the form. Left empty, the
    writer was refused "no byline" on submitting their first story. Only an empty byline is
    filled: one a writer or editor chose is theirs, and a reassignment never rewrites it. Nor
    is a story someone has open on the form: the save would make their form stale; the writer
    adds the byline there instead. Through the story's service, like any change of byline:
    one revision and one log entry.
    """
    story = plan.article
    if story.trashed_at is not None or workflow.state_of(story) != workflow.State.DRAFT:
        return
    if story.bylines.exists() or editing.held_by_other(story, by):
        return
    if authors := byline_of(assignees):
        story_services.article_save(
            article=story, by=by, authors=authors, comment="Byline from the assignees"
        )


def _schedule_deadline(plan: Plan) -> None:
    """Queues the deadline job for the deadline minute, after the commit (#15).

    A backend that can't run a job later (the test suite's "immediate" one) gets none: the
    job only means something at its time."""
    if plan.deadline is None:
        return
    backend = tasks.deadline_check.get_backend()
    if not backend.supports_defer:
        logger.debug("The %s jobs backend can't run jobs later: no deadline job", backend.alias)
        return
    job = tasks.deadline_check.using(run_after=plan.deadline)
    enqueue_on_commit(job, plan.pk, plan.deadline.isoformat())

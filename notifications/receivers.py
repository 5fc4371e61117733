"""What the notifications app hears of stories (#15): the signals of articles/signals.py.

Each is sent after the commit of the change it tells of, so nothing here runs for a save that
was rolled back. Who is told is decided here, and nowhere in articles.
"""

import logging

from django.utils import timezone

from articles import signals
from articles.models import Article
from newsroom.jobs import enqueue_on_commit
from newsroom.timezones import local_time

from . import services
from .services import Kind, editors, notify, person, reporters_of, story_words

logger = logging.getLogger(__name__)


def connect():
    signals.story_moved.connect(story_moved, sender=Article, dispatch_uid="notifications.moved")
    signals.assignment_changed.connect(
        assignment_changed, sender=Article, dispatch_uid="notifications.assignment"
    )
    signals.deadline_passed.connect(
        deadline_passed, sender=Article, dispatch_uid="notifications.deadline"
    )


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def story_moved(sender, *, article, transition, by=None, reason="", **kwargs):
    who, story = person(by), story_words(article)
    if transition == "submit":
        notify(
            kind=Kind.SUBMITTED,
            recipients=editors(),
            article=article,
            actor=by,
            text=f"{who} submitted {story} for review.",
        )
    elif transition == "send_back":
        # The reason is the first note of the thread: the reporter reads it there.
        services.note_add(article=article, by=by, text=reason, check=False)
        notify(
            kind=Kind.SENT_BACK,
            recipients=reporters_of(article),
            article=article,
            actor=by,
            text=f"{who} sent {story} back to you: {_short(reason)}",
        )
    elif transition == "publish":
        notify(
            kind=Kind.PUBLISHED,
            recipients=reporters_of(article),
            article=article,
            actor=by,
            text=f"{who} published {story}.",
        )
    elif transition == "schedule":
        schedule_announcement(article, by)


def schedule_announcement(article: Article, by) -> None:
    """A job at the minute the story goes live, to tell its reporters and the scheduler."""
    from .tasks import announce_live

    at = article.published_at
    if at is None or at <= timezone.now():
        return
    if not announce_live.get_backend().supports_defer:
        # A backend that runs jobs at once (the tests') can't wait for the minute; asking it
        # for a job that waits (`using(run_after=…)`) raises InvalidTaskError.
        logger.info("Jobs can't wait here: no notification when “%s” goes live.", article)
        return
    job = announce_live.using(run_after=at)
    enqueue_on_commit(job, article.pk, at.isoformat(), getattr(by, "pk", None))


def assignment_changed(sender, *, article, added=(), removed=(), by=None, **kwargs):
    who, story = person(by), story_words(article)
    notify(
        kind=Kind.ASSIGNED,
        recipients=added,
        article=article,
        actor=by,
        text=f"{who} assigned you to {story}.",
    )
    notify(
        kind=Kind.ASSIGNED,
        recipients=removed,
        article=article,
        actor=by,
        text=f"{who} took you off {story}.",
    )


def deadline_passed(sender, *, article, deadline, recipients=None, **kwargs):
    """Tells the story's reporters (or the `recipients` planning names: its assignees)."""
    when = local_time(deadline)
    notify(
        kind=Kind.DEADLINE,
        recipients=reporters_of(article) if recipients is None else recipients,
        article=article,
        actor=None,
        text=f"The deadline for {story_words(article)} passed at {when}.",
        key=deadline.isoformat(),
    )

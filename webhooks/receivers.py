"""What webhooks hear of stories (#18): the signals of articles/signals.py, each sent after
the commit of the change it tells of. Each turns into services.emit(), which only writes rows
and queues jobs: nothing here waits for a receiver.

story.published is sent when a story goes live: at once for "publish", and for a scheduled
(or embargoed) story by a job at its minute (tasks.story_went_live), since such a story goes
live by the clock alone, with no save at that minute. A queue that can't wait (the immediate
backend) can't send it then: that is logged.

live.update_posted is sent when an update is posted to a live blog readers can see.
"""

import logging

from django.utils import timezone

from articles import signals
from articles.models import Article, LiveUpdate
from newsroom.jobs import enqueue_on_commit

from . import payloads
from .models import Event
from .services import emit

logger = logging.getLogger(__name__)


def connect():
    signals.story_moved.connect(story_moved, sender=Article, dispatch_uid="webhooks.moved")
    signals.story_revised.connect(story_revised, sender=Article, dispatch_uid="webhooks.revised")
    signals.story_trashed.connect(story_trashed, sender=Article, dispatch_uid="webhooks.trashed")
    signals.live_update_posted.connect(
        live_update_posted, sender=LiveUpdate, dispatch_uid="webhooks.live_update"
    )


def story_moved(sender, *, article, transition, **kwargs):
    if transition in ("publish", "schedule"):
        if article.is_published():
            emit(Event.PUBLISHED, lambda: payloads.story(article))
        elif article.is_scheduled():
            went_live_later(article)
    elif transition == "withdraw":
        emit(Event.WITHDRAWN, lambda: payloads.withdrawn(article))


def went_live_later(article: Article) -> None:
    """Queues story_went_live for the minute the story goes live."""
    from .tasks import story_went_live

    at = article.goes_live_at
    if at is None or at <= timezone.now():
        return
    if not story_went_live.get_backend().supports_defer:
        # A backend that runs jobs at once (NEWSROOM_TASKS_BACKEND=immediate) can't wait.
        logger.info("Jobs can't wait here: no story.published when “%s” goes live.", article)
        return
    enqueue_on_commit(story_went_live.using(run_after=at), article.pk, at.isoformat())


def story_revised(sender, *, article, note=None, significant=False, **kwargs):
    if note is not None:
        emit(Event.CORRECTED, lambda: payloads.corrected(article, note))
    if significant:
        emit(Event.UPDATED, lambda: payloads.story(article))


def story_trashed(sender, *, article, was_seen=False, **kwargs):
    if was_seen:
        emit(Event.TRASHED, lambda: payloads.trashed(article))


def live_update_posted(sender, *, update, **kwargs):
    """A new update of a live blog readers can see (#18); articles/live.py sends it only for
    those, after the commit, never for an edit."""
    emit(Event.LIVE_UPDATE_POSTED, lambda: payloads.live_update(update))

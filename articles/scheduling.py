"""Scheduled changes to live stories go live by themselves at their minute (#12).

A scheduled story needs no job: `published()` compares its time with the clock. Changes to a
live story are a second version that has to replace the first, so something must write them:
the first request after the minute does (`DueChangesMiddleware`), with the same service as
"Publish changes", in the name of the editor who scheduled them. Readers' cached pages end at
that minute too (caching.next_change_at), so the request that publishes the changes is the one
that renders the new version. `manage.py publish_due_changes` does the same from a timer, for
sites that want it published with no visitor at all.

When the next changes are due is kept in each process's memory and checked again once a
minute (in the shared cache, or with one small query when the cache has forgotten), so that a
reader's request costs no query and no round trip to the cache. A schedule set in this process
is seen at once; one set through another app server, within the minute.
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from newsroom.pagecache import CACHE_ERRORS

from . import services
from .effects import DUE_KEY
from .models import Article, StagedChange
from .permissions import SYSTEM

logger = logging.getLogger(__name__)
# How long a process trusts what it knows: a schedule set through another app server is seen
# within this time.
RECHECK_SECONDS = 60
# How long the shared cache keeps the answer (the services forget it when a schedule changes).
CACHE_SECONDS = 600

# This process's knowledge: the next due time (a timestamp, 0 for none) and when it was checked
# (on the monotonic clock, which moving the wall clock in tests leaves alone).
_known = {"due": 0.0, "checked": None}


def next_due() -> float | None:
    """When the next scheduled changes are due (a timestamp), or None."""
    checked = _known["checked"]
    if checked is not None and time.monotonic() - checked < RECHECK_SECONDS:
        return _known["due"] or None
    due = cache.get(DUE_KEY)
    if due is None:
        found = (
            StagedChange.objects.exclude(publish_at=None)
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )
        due = found.timestamp() if found else 0
        cache.set(DUE_KEY, due, timeout=CACHE_SECONDS)
    _known.update(due=due, checked=time.monotonic())
    return due or None


def forget_due() -> None:
    """A schedule changed: this process asks again on the next request (the services call
    this after the commit, with the shared cache's copy deleted)."""
    _known["checked"] = None


def assume_nothing_due() -> None:
    """For a new test: nothing is scheduled, and this process knows it."""
    _known.update(due=0.0, checked=time.monotonic())


def publish_due_changes() -> int:
    """Publishes every scheduled change whose minute has come; returns how many."""
    due = StagedChange.objects.filter(publish_at__lte=timezone.now()).values_list("pk", flat=True)
    published = sum(_publish(pk) for pk in list(due))
    try:
        cache.delete(DUE_KEY)  # The next ones, if any, are looked up again.
    except CACHE_ERRORS:
        pass
    forget_due()
    return published


class _NotPublished(Exception):
    pass


def _publish(pk) -> bool:
    """Publishes one story's scheduled changes, once: the story's row is locked first, and the
    changes are read again under the lock, so that two servers (or a server and the timer)
    reaching the minute together publish them once, and changes saved or rescheduled
    meanwhile are not replaced by what was due before."""
    try:
        with transaction.atomic():
            Article.objects.select_for_update().filter(pk=pk).first()
            staged = (
                StagedChange.objects.filter(pk=pk, publish_at__lte=timezone.now())
                .select_related("article", "updated_by")
                .first()
            )
            if staged is None:
                return False  # Published, discarded or rescheduled meanwhile.
            changes, authors, tags = services.snapshot_parts(staged.snapshot)
            note = (
                services.Note(kind=staged.note_kind, text=staged.note_text)
                if staged.note_text
                else None
            )
            editor = staged.updated_by
            result = services.article_save(
                article=staged.article,
                by=editor if editor is not None and editor.is_active else SYSTEM,
                changes=changes,
                authors=authors,
                tags=tags,
                note=note,
                significant=staged.significant,
                transition="publish_changes",
                comment="Published the scheduled changes",
                respect_lock=False,
            )
            if result.refused:
                raise _NotPublished(result.refused)
    except Exception as error:  # noqa: BLE001 - one story's problem must not stop the others
        logger.error("The scheduled changes to story %s were not published: %s", pk, error)
        # Kept as unpublished changes, no longer scheduled: the desk lists them waiting.
        StagedChange.objects.filter(pk=pk).update(publish_at=None)
        return False
    return True


class DueChangesMiddleware:
    """Publishes scheduled changes that are due before the request is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            due = next_due()
        except CACHE_ERRORS as error:
            # Without the cache the page is still served; the changes wait for the next
            # request that can ask, or for `manage.py publish_due_changes`.
            logger.error("Can't tell whether scheduled changes are due: %s", error)
            due = None
        if due is not None and due <= time.time():
            publish_due_changes()
        return self.get_response(request)

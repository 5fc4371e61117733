"""Background jobs (#15): how the apps hand slow work to the queue.

The jobs themselves are django-tasks tasks (`@task` from django_tasks, django.tasks in Django
6), defined in each app's `tasks.py`. They are enqueued after the commit of the change that
asked for them, so that a worker never reads rows a rolled-back save did not write, and a
queue that can't take a job is logged, never raised: the editor's save has succeeded, and
sending an email or purging a proxy must not undo it.
"""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs):
    """Enqueues the task now; returns its result, or None when the queue refused it."""
    try:
        return task.enqueue(*args, **kwargs)
    except Exception:  # The caller's work is done; the lost job is logged.
        logger.exception("Could not enqueue %s", getattr(task, "name", task))
        return None


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueues the task once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, task, *args, **kwargs))

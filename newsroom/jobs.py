"""Background jobs (#15): how the apps hand slow work to the queue.

The jobs themselves are django-tasks tasks (`@task` from django_tasks, django.tasks in Django
6), defined in each app's `tasks.py`. They are enqueued after the commit of the change that
asked for them, so that a worker never reads rows a rolled-back save did not write, and a
queue that can't take a job is logged, never raised: the editor's save has succeeded, and
sending an email or purging a proxy must not undo it.

Retries. django-tasks runs a job once. A job made with `@retried(attempts=…)` instead of
`@task` is tried again when it raises: the same task, with the same arguments, enqueued to
run after a backoff that doubles with each attempt (`backoff_seconds`, 2×, 4×…, at most
`max_backoff_seconds`, less a random part so that jobs that failed together don't all come
back together). The attempt number travels with the job as the keyword `job_attempt`, so the
count is bounded whichever worker runs it.

Each attempt is one row in the queue (one result). An attempt that will be tried again ends
FAILED with `JobRetried`, whose traceback carries the original error; the last attempt ends
FAILED with the error itself, and stays visible in the admin ("Jobs", filter "gave up").

A retried job must be idempotent: it may run again after doing part of its work (a worker
killed mid-job, a proxy purged before the next one failed), and must leave things as one run
would. A backend that can't run a job later (the immediate backend of the tests) runs each job
once: retrying at once, inside the request, would only repeat the wait.
"""

import datetime
import functools
import logging
import random
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

ATTEMPT = "job_attempt"


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


class JobRetried(Exception):
    """An attempt failed and the job was enqueued again; the cause is the attempt's error."""


def backoff(attempt: int, *, backoff_seconds: float, max_backoff_seconds: float) -> float:
    """Seconds to wait before attempt `attempt + 1`: doubling, capped, between half and all
    of that (jitter)."""
    ceiling = min(max_backoff_seconds, backoff_seconds * 2 ** (attempt - 1))
    return ceiling * random.uniform(0.5, 1.0)  # Spreads retries; not a secret.


def retried(
    *,
    attempts: int = 5,
    backoff_seconds: float = 10.0,
    max_backoff_seconds: float = 600.0,
    **task_options,
):
    """Makes a django-tasks task of the decorated function that is retried when it raises
    (see the module's docstring), at most `attempts` times in all. `task_options` go to
    `@task` (priority, queue_name…). Enqueue it as any task: `enqueue(purge_edge, url, keys)`.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")

    def decorate(func):
        def run(context, *args, **kwargs):
            attempt = kwargs.pop(ATTEMPT, 1)
            try:
                return func(*args, **kwargs)
            except Exception as error:
                job = context.task_result.task
                if attempt >= attempts or not job.get_backend().supports_defer:
                    logger.error("%s gave up after %d attempt(s): %r", job.name, attempt, error)
                    raise
                delay = backoff(
                    attempt,
                    backoff_seconds=backoff_seconds,
                    max_backoff_seconds=max_backoff_seconds,
                )
                again = job.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
                if enqueue(again, *args, **{**kwargs, ATTEMPT: attempt + 1}) is None:
                    raise  # Not enqueued again: this failure is the last.
                raise JobRetried(
                    f"Attempt {attempt} of {attempts} failed ({error!r}); "
                    f"tried again in {delay:.3g} s."
                ) from error

        # The task is found by its module and name, so `run` takes those of `func`; but its
        # signature is its own (django-tasks checks that it takes `context` first).
        functools.update_wrapper(run, func, updated=())
        del run.__wrapped__
        return task(takes_context=True, **task_options)(run)

    return decorate

"""`/healthz`: whether this app server can serve, for load balancers (#7).

200 "ok" when the database answers `SELECT 1`, the page cache's store takes a write and gives
it back, and the job queue is being worked (#15); 503 otherwise, with the reason in the log and
never in the body.

A queue is stalled when a job has been ready to run for more than NEWSROOM_QUEUE_STALL_SECONDS
(300 by default; 0 turns the check off): no worker is taking jobs, so purges, embeds and the
like wait. With the database backend that is one query over the ready jobs (the queue's own
partial index of READY rows); with RQ, the oldest job in the queue (one Redis round trip and
one read of that job). The immediate backend has no queue.

`HealthCheckMiddleware` answers it first in MIDDLEWARE, before anything else runs, because a
load balancer's probe

- often carries the server's IP address as its Host, which ALLOWED_HOSTS refuses;
- comes over plain HTTP, which SECURE_SSL_REDIRECT would send to HTTPS;
- must not get a session cookie, a cached answer or an entry in the page cache.
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db import Error as DatabaseError
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from .pagecache import CACHE_ERRORS

logger = logging.getLogger(__name__)

PATH = "/healthz"
CACHE_KEY = "healthz"


def problem() -> str | None:
    """Why this server can't serve readers now, or None when it can."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"database: {error}"
    try:
        # Every worker writes the same value, so concurrent checks can't disagree.
        cache = caches[settings.PAGE_CACHE["CACHE"]]
        cache.set(CACHE_KEY, "ok", timeout=60)
        if cache.get(CACHE_KEY) != "ok":
            return "cache: a value just written could not be read back"
    except CACHE_ERRORS as error:
        return f"cache: {error}"
    try:
        return stalled_queue()
    except DatabaseError as error:
        return f"job queue: {error}"


def stalled_queue() -> str | None:
    """Why the default queue is not being worked (a job ready for too long), or None."""
    seconds = settings.NEWSROOM_QUEUE_STALL_SECONDS
    backend = task_backends["default"]
    if not seconds:
        return None
    since = timezone.now() - datetime.timedelta(seconds=seconds)
    if isinstance(backend, DatabaseBackend):
        # A job with no run_after is stored with the far future as one; it is ready from
        # when it was enqueued.
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
            Q(run_after__lte=since) | Q(run_after=get_date_max(), enqueued_at__lte=since)
        )
        if waiting.exists():
            return f"job queue: a job has been ready for over {seconds} s; is a worker running?"
    elif type(backend).__module__.startswith("django_tasks_rq"):
        oldest = _oldest_in_rq()
        if oldest is not None and oldest <= since:
            return f"job queue: a job has waited in RQ for over {seconds} s; is rqworker running?"
    return None


def _oldest_in_rq():
    """When the job at the head of RQ's default queue was enqueued (jobs due later wait in
    RQ's scheduled registry, not in the queue), or None when the queue is empty."""
    import django_rq  # The rq extra, installed with NEWSROOM_TASKS_BACKEND=rq.
    from redis import RedisError

    try:
        queue = django_rq.get_queue("default")
        head = queue.get_job_ids(0, 1)
        job = queue.fetch_job(head[0]) if head else None
    except RedisError as error:
        raise DatabaseError(str(error)) from error
    if job is None or job.enqueued_at is None:
        return None
    at = job.enqueued_at
    return at if timezone.is_aware(at) else timezone.make_aware(at, datetime.UTC)


class HealthCheckMiddleware:
    """Answers GET and HEAD /healthz (see the module's docstring); first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        elif reason := problem():
            logger.error("Health check failed: %s", reason)
            response = HttpResponse("unavailable", status=503, content_type="text/plain")
        else:
            response = HttpResponse("ok", content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response

"""Webhooks' jobs (#18), run by the queue (newsroom/jobs.py), never in an editor's request.

`deliver` makes one attempt at one delivery and is retried with backoff when the receiver
fails (an error, a timeout, or an answer other than 2xx): ATTEMPTS attempts in all, waiting
about 30 s, 1, 2, 4, 8, 16 and 32 minutes between them (less a random part), so a receiver
has about an hour to come back. Each attempt signs the payload again with its own
`webhook-timestamp`; the message id stays the same, so a receiver can ignore a message it
already had. A delivery that succeeded is not sent again by a stray job; a re-send
(services.delivery_resend) asks for it.

`story_went_live` runs at the minute a scheduled (or embargoed) story goes live, to send
`story.published` then.
"""

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from articles.models import Article
from newsroom.jobs import retried

from . import sending, signing, targets
from .models import RESPONSE_EXCERPT, Delivery, Event

ATTEMPTS = 8
# How long both secrets sign deliveries after a rotation.
ROTATION_OVERLAP = timedelta(days=1)


class DeliveryFailed(Exception):
    """The receiver didn't take the delivery; the job is tried again."""


def signing_secrets(endpoint) -> list[str]:
    secrets_ = [endpoint.secret]
    rotated = endpoint.secret_rotated_at
    if endpoint.previous_secret and rotated and timezone.now() - rotated < ROTATION_OVERLAP:
        secrets_.append(endpoint.previous_secret)
    return secrets_


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def _record(delivery: Delivery, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


@retried(attempts=ATTEMPTS, backoff_seconds=30, max_backoff_seconds=1920)
def deliver(delivery_id: int) -> str:
    """One attempt at delivering; returns the delivery's status, or raises to be retried."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update().select_related("endpoint").filter(pk=delivery_id)
        ).first()
        if delivery is None or delivery.status == Delivery.Status.SUCCEEDED:
            return "skipped"
        delivery.attempts += 1
        delivery.round_attempts += 1
        now = timezone.now()
        _record(
            delivery,
            attempts=delivery.attempts,
            round_attempts=delivery.round_attempts,
            last_attempt_at=now,
        )
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _record(delivery, status=Delivery.Status.FAILED, error="The endpoint is not active.")
        return Delivery.Status.FAILED
    try:
        target = targets.check(endpoint.url)  # Again: what the name resolves to may change.
    except targets.UnsafeTarget as refusal:
        # Not retried: the address is refused, and the admin says why.
        _record(delivery, status=Delivery.Status.FAILED, error=str(refusal))
        return Delivery.Status.FAILED
    body = body_of(delivery)
    headers = signing.headers(
        signing_secrets(endpoint), delivery.message_id, int(now.timestamp()), body
    )
    try:
        status, text = sending.post(
            target, body, headers, timeout=settings.NEWSROOM_WEBHOOK_TIMEOUT_SECONDS
        )
    except Exception as error:  # Any failure to deliver is recorded and retried.
        _failed(delivery, error=f"{type(error).__name__}: {error}", response_status=None)
        raise DeliveryFailed(str(error)) from error
    excerpt = text[:RESPONSE_EXCERPT]
    if 200 <= status < 300:
        _record(
            delivery,
            status=Delivery.Status.SUCCEEDED,
            response_status=status,
            response_excerpt=excerpt,
            error="",
            succeeded_at=timezone.now(),
        )
        return Delivery.Status.SUCCEEDED
    _failed(
        delivery,
        error=f"The receiver answered {status}.",
        response_status=status,
        response_excerpt=excerpt,
    )
    raise DeliveryFailed(f"{endpoint.url} answered {status}")


def _failed(delivery: Delivery, **fields) -> None:
    """Records a failed attempt: the delivery stays pending while attempts remain."""
    last = delivery.round_attempts >= ATTEMPTS or not deliver.get_backend().supports_defer
    status = Delivery.Status.FAILED if last else Delivery.Status.PENDING
    fields.setdefault("response_excerpt", "")
    _record(delivery, status=status, **fields)


@task()
def story_went_live(article_id: int, at: str) -> int:
    """At the minute a scheduled story was to go live: sends `story.published` if it is live
    now and still due at that time (it may have been unscheduled, moved or trashed
    meanwhile). Returns how many deliveries were made."""
    from . import payloads, services

    when = datetime.fromisoformat(at)
    article = Article.objects.current().filter(pk=article_id).first()
    if article is None or not article.is_published() or article.goes_live_at != when:
        return 0
    return len(services.emit(Event.PUBLISHED, lambda: payloads.story(article)))

"""Webhooks' write side (#18): emitting an event, re-sending, rotating a secret.

`emit(event, payload)` is what the rest of the site calls (receivers.py for stories; the live
blog for `live.update_posted`): it makes one Delivery per active endpoint that wants the event
and queues one job per delivery (tasks.deliver) after the commit. Nothing here touches the
network, so an editor's save never waits for a receiver, and a receiver that is down or slow
can't fail it.

Payloads follow the Standard Webhooks shape: {"type", "timestamp", "data"}, with only what
readers can see of a story (payloads.py).
"""

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from newsroom.jobs import enqueue_on_commit

from . import signing
from .models import Delivery, Endpoint, Event

logger = logging.getLogger(__name__)


def envelope(event: str, data: dict) -> dict:
    return {
        "type": str(event),
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "data": data,
    }


def emit(event: str, payload: dict | Callable[[], dict], *, endpoints=None) -> list[Delivery]:
    """Sends `event` to every active endpoint that wants it (or to `endpoints`).

    `payload` is the event's `data` (a dict that can be serialised as JSON), or a function
    returning it, called only when some endpoint wants the event. Returns the deliveries
    made; their jobs are queued once the current transaction commits."""
    if event not in Event.values:
        raise ValueError(f"Unknown webhook event: {event!r}")
    candidates = Endpoint.objects.active() if endpoints is None else endpoints
    wanted = [endpoint for endpoint in candidates if endpoint.wants(event)]
    if not wanted:
        return []
    data = payload() if callable(payload) else payload
    body = envelope(event, data)
    deliveries = []
    with transaction.atomic():
        for endpoint in wanted:
            delivery = Delivery.objects.create(
                endpoint=endpoint,
                event=event,
                message_id=signing.new_message_id(),
                payload=body,
            )
            _queue(delivery)
            deliveries.append(delivery)
    return deliveries


def _queue(delivery: Delivery) -> None:
    from .tasks import deliver  # The job imports these services' models, not the reverse.

    enqueue_on_commit(deliver, delivery.pk)


@transaction.atomic
def delivery_resend(*, delivery: Delivery) -> Delivery:
    """Sends the delivery again: the same message id and payload (a receiver that had it
    already ignores it), with a fresh round of attempts."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status, delivery.round_attempts, delivery.error = Delivery.Status.PENDING, 0, ""
    delivery.save(update_fields=["status", "round_attempts", "error"])
    _queue(delivery)
    return delivery


def endpoint_send_test(*, endpoint: Endpoint, by) -> Delivery:
    """A `webhook.test` event to this endpoint alone, to try it."""
    data = {"message": "A test event from the newsroom.", "sent_by": getattr(by, "username", "")}
    (delivery,) = emit(Event.TEST, data, endpoints=[endpoint])
    return delivery


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint) -> Endpoint:
    """Gives the endpoint a new secret; for a day deliveries are signed with the old one too
    (tasks.signing_secrets), so that the receiver can switch without refusing any."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.previous_secret, endpoint.secret = endpoint.secret, signing.new_secret()
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["previous_secret", "secret", "secret_rotated_at"])
    return endpoint

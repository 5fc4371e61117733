"""Webhooks end to end (#18): a story published through the real service, the job run by the
queue's own worker code, and a receiver on 127.0.0.1 that checks the signature with the
reference library."""

import datetime
import threading
import time

import pytest
import time_machine
from django.utils import timezone
from django_tasks import TaskResultStatus

from articles import services as story_services
from tests.queue import run_ready_jobs
from webhooks import services, tasks
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db


def endpoint_for(receiver, events=(Event.PUBLISHED,), **fields):
    endpoint = Endpoint.objects.create(url=receiver.url, events=list(events), **fields)
    receiver.secret = endpoint.secret
    return endpoint


def later(seconds):
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds), tick=False)


def test_publishing_delivers_a_signed_story_published(
    receiver, database_queue, committed, editor, story
):
    endpoint = endpoint_for(receiver)
    with committed():
        story_services.article_publish(article=story, by=editor)
    assert receiver.received == []  # The save only queued the delivery.
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 0

    assert run_ready_jobs() == 1
    (got,) = receiver.received
    assert got.verified  # by the reference library, with the endpoint's secret
    assert got.path == "/hooks"
    assert got.headers["webhook-id"] == delivery.message_id
    assert got.headers["Content-Type"] == "application/json"
    assert abs(int(got.headers["webhook-timestamp"]) - time.time()) < 60
    story.refresh_from_db()
    assert got.payload["type"] == "story.published"
    data = got.payload["data"]
    assert data["id"] == story.pk
    assert data["headline"] == "Harbour tunnel opens"
    assert data["url"] == "http://127.0.0.1:8000" + story.get_absolute_url()
    assert data["published_at"] == story.published_at.isoformat(timespec="seconds")
    assert data["section"] == {"name": "City", "url": "http://127.0.0.1:8000/sections/city/"}
    assert data["authors"] == ["Rita Okafor"]
    assert "<p>" in data["body_html"]

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.attempts == 1
    assert delivery.response_status == 200
    assert '"verified": true' in delivery.response_excerpt
    assert delivery.succeeded_at is not None
    assert endpoint.deliveries.get() == delivery


def test_a_receiver_that_fails_then_recovers_gets_it_on_the_retry(
    receiver, database_queue, committed, editor, story
):
    endpoint_for(receiver)
    receiver.answers = [500]
    with committed():
        story_services.article_publish(article=story, by=editor)
    run_ready_jobs()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING  # to be tried again
    assert delivery.attempts == 1 and delivery.response_status == 500
    assert delivery.error == "The receiver answered 500."
    assert run_ready_jobs() == 0  # not before its backoff (15 to 30 s)
    with later(31):
        assert run_ready_jobs() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED
    assert delivery.attempts == 2 and delivery.response_status == 200 and delivery.error == ""
    first, second = receiver.received
    assert first.verified and second.verified
    # The same message, signed again at its own time.
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    assert int(second.headers["webhook-timestamp"]) > int(first.headers["webhook-timestamp"])
    failed, succeeded = database_queue.order_by("enqueued_at")
    assert failed.status == TaskResultStatus.FAILED
    assert succeeded.status == TaskResultStatus.SUCCESSFUL


def test_a_receiver_that_keeps_failing_is_given_up_on(receiver, database_queue, committed):
    endpoint = endpoint_for(receiver, events=[Event.LIVE_UPDATE_POSTED])
    receiver.answers = [503] * tasks.ATTEMPTS
    with committed():
        services.emit(Event.LIVE_UPDATE_POSTED, {"id": 1})
    run_ready_jobs()
    for attempt in range(1, tasks.ATTEMPTS):
        with later(2000 * attempt):  # each backoff is at most 32 minutes
            run_ready_jobs()
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.attempts == tasks.ATTEMPTS
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.response_status == 503
    assert len(receiver.received) == tasks.ATTEMPTS


def test_a_hanging_receiver_does_not_slow_the_save(
    receiver, database_queue, committed, editor, story, settings
):
    settings.NEWSROOM_WEBHOOK_TIMEOUT_SECONDS = 0.5
    endpoint_for(receiver)
    receiver.hang = threading.Event()
    started = time.monotonic()
    with committed():
        story_services.article_publish(article=story, by=editor)
    assert time.monotonic() - started < 0.5  # No network in the save.
    story.refresh_from_db()
    assert story.is_published()
    started = time.monotonic()
    run_ready_jobs()
    assert time.monotonic() - started < 5  # The attempt gives up at its timeout.
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert "timed out" in delivery.error


def test_a_receiver_that_is_down_fails_the_attempt_not_the_save(
    closed_port, database_queue, committed, editor, story, settings
):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    Endpoint.objects.create(url=f"http://127.0.0.1:{closed_port}/", events=[Event.PUBLISHED])
    with committed():
        story_services.article_publish(article=story, by=editor)
    run_ready_jobs()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert "ConnectionRefusedError" in delivery.error
    assert delivery.response_status is None


def test_even_a_queue_that_runs_jobs_at_once_never_fails_the_save(
    closed_port, committed, editor, story, settings
):
    """The tests' immediate backend runs the job inside the commit: its failure is recorded,
    and the story is published all the same."""
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    Endpoint.objects.create(url=f"http://127.0.0.1:{closed_port}/", events=[Event.PUBLISHED])
    with committed():
        story_services.article_publish(article=story, by=editor)
    story.refresh_from_db()
    assert story.is_published()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED  # no retries without a queue that waits
    assert delivery.attempts == 1


def test_an_address_refused_at_send_time_is_not_posted_to(
    receiver, database_queue, committed, editor, story, settings
):
    endpoint_for(receiver)
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = []  # what the name resolves to changed
    with committed():
        story_services.article_publish(article=story, by=editor)
    run_ready_jobs()
    assert receiver.received == []
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "public addresses only" in delivery.error


def test_a_resend_sends_the_same_message_again(receiver, database_queue, committed):
    endpoint = endpoint_for(receiver, events=[Event.LIVE_UPDATE_POSTED])
    with committed():
        (delivery,) = services.emit(Event.LIVE_UPDATE_POSTED, {"id": 7})
    run_ready_jobs()
    with committed():
        services.delivery_resend(delivery=delivery)
    run_ready_jobs()
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.message_id
    assert first.payload == second.payload
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED and delivery.attempts == 2
    assert endpoint.deliveries.count() == 1


def test_after_a_rotation_both_secrets_sign_for_a_day(receiver, database_queue, committed):
    endpoint = endpoint_for(receiver, events=[Event.LIVE_UPDATE_POSTED])
    old = endpoint.secret
    endpoint = services.endpoint_rotate_secret(endpoint=endpoint)
    assert endpoint.secret != old and endpoint.previous_secret == old
    for secret in (old, endpoint.secret):
        receiver.secret = secret
        with committed():
            services.emit(Event.LIVE_UPDATE_POSTED, {"id": 1})
        run_ready_jobs()
        assert receiver.received[-1].verified
    receiver.secret = old
    with later(86400 + 60):
        with committed():
            services.emit(Event.LIVE_UPDATE_POSTED, {"id": 1})
        run_ready_jobs()
    assert not receiver.received[-1].verified  # the old secret no longer signs


def test_a_stray_second_run_does_not_send_a_delivery_again(receiver, committed):
    endpoint_for(receiver, events=[Event.LIVE_UPDATE_POSTED])
    with committed():
        (delivery,) = services.emit(Event.LIVE_UPDATE_POSTED, {"id": 1})
    assert len(receiver.received) == 1  # run at once by the tests' immediate backend
    assert tasks.deliver.enqueue(delivery.pk).return_value == "skipped"
    assert len(receiver.received) == 1


def test_emit_refuses_an_unknown_event():
    with pytest.raises(ValueError, match="Unknown webhook event"):
        services.emit("story.eaten", {})


def test_the_connection_goes_to_the_checked_address_not_a_new_lookup(receiver):
    """DNS rebinding: the name is never resolved again; it is only the Host header."""
    from webhooks import sending, signing, targets

    receiver.secret = signing.new_secret()
    target = targets.Target(
        scheme="http", host="rebind.invalid", port=receiver.port, path="/x", address="127.0.0.1"
    )
    status, _ = sending.post(target, b"{}", {}, timeout=2)
    (got,) = receiver.received
    assert got.headers["Host"] == f"rebind.invalid:{receiver.port}"
    assert got.path == "/x"
    assert status == 401  # unsigned: the receiver refuses it


def test_redirects_are_not_followed(settings):
    """A 3xx is an answer, not a success, and nothing is fetched from where it points."""
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from webhooks import sending, targets

    class Redirects(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(307)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirects)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    target = targets.Target("http", "127.0.0.1", server.server_address[1], "/", "127.0.0.1")
    try:
        assert sending.post(target, b"{}", {}, timeout=2)[0] == 307
    finally:
        thread.join(5)
        server.server_close()

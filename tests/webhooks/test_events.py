"""Which of a story's changes send which event (#18), through the story's real services."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from articles import services as story_services
from articles.models import Article
from tests.factories import DraftArticleFactory
from tests.queue import run_ready_jobs
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(receiver):
    """Wants every story event; the tests' immediate backend delivers at the commit."""
    endpoint = Endpoint.objects.create(
        url=receiver.url, events=[value for value in Event.values if value.startswith("story.")]
    )
    receiver.secret = endpoint.secret
    return endpoint


def events(receiver):
    assert all(got.verified for got in receiver.received)
    return [got.payload["type"] for got in receiver.received]


@pytest.fixture
def live(story, editor, committed, receiver):
    with committed():
        story_services.article_publish(article=story, by=editor)
    receiver.received.clear()
    story.refresh_from_db()
    return story


def test_publishing(endpoint, receiver, story, editor, committed):
    with committed():
        story_services.article_publish(article=story, by=editor)
    assert events(receiver) == ["story.published"]


def test_nothing_is_sent_for_a_save_that_rolled_back(endpoint, receiver, story, editor):
    story_services.article_publish(article=story, by=editor)  # never committed
    assert receiver.received == [] and not Delivery.objects.exists()


def test_a_significant_update(endpoint, receiver, live, editor, committed):
    with committed():
        story_services.article_save(
            article=live, by=editor, changes={"headline": "Harbour tunnel opens early"}
        )
    assert events(receiver) == []  # an edit alone is not an event
    with committed():
        story_services.article_save(
            article=live, by=editor, changes={"headline": "Tunnel opens"}, significant=True
        )
    assert events(receiver) == ["story.updated"]
    data = receiver.received[0].payload["data"]
    assert data["headline"] == "Tunnel opens"
    assert data["updated_at"] is not None


def test_a_first_publication_marked_significant_is_only_published(
    endpoint, receiver, story, editor, committed
):
    with committed():
        story_services.article_save(
            article=story, by=editor, transition="publish", significant=True
        )
    assert events(receiver) == ["story.published"]


def test_a_correction(endpoint, receiver, live, editor, committed):
    with committed():
        story_services.article_correct(
            article=live, by=editor, kind="correction", text="An earlier version misspelled it."
        )
    assert events(receiver) == ["story.corrected"]
    note = receiver.received[0].payload["data"]["note"]
    assert note["kind"] == "correction"
    assert note["text"] == "An earlier version misspelled it."


def test_a_withdrawal_carries_the_reason_and_no_body(endpoint, receiver, live, editor, committed):
    with committed():
        story_services.article_withdraw(article=live, by=editor, reason="Legal advice.")
    assert events(receiver) == ["story.withdrawn"]
    data = receiver.received[0].payload["data"]
    assert data["id"] == live.pk and data["reason"] == "Legal advice."
    assert "body_html" not in data and "standfirst" not in data


def test_trashing_a_story_readers_saw(endpoint, receiver, live, editor, committed):
    with committed():
        story_services.article_trash(article=live, by=editor)
    assert events(receiver) == ["story.trashed"]
    data = receiver.received[0].payload["data"]
    assert data["id"] == live.pk and data["trashed_at"]
    assert "body_html" not in data


def test_trashing_a_draft_sends_nothing(endpoint, receiver, editor, committed):
    draft = DraftArticleFactory()
    with committed():
        story_services.article_trash(article=draft, by=editor)
    assert receiver.received == []


def test_only_active_endpoints_that_want_the_event_are_sent_to(
    receiver, story, editor, committed, endpoint
):
    endpoint.events = [Event.WITHDRAWN]
    endpoint.save()
    Endpoint.objects.create(url=receiver.url, events=[Event.PUBLISHED], is_active=False)
    with committed():
        story_services.article_publish(article=story, by=editor)
    assert receiver.received == [] and not Delivery.objects.exists()


def test_a_payload_has_only_what_readers_see(endpoint, receiver, story, editor, committed):
    Article.objects.filter(pk=story.pk).update(hold_reason="", seo_title="Internal SEO")
    with committed():
        story_services.article_publish(article=story, by=editor)
    data = receiver.received[0].payload["data"]
    assert set(data) == {
        "id",
        "headline",
        "url",
        "published_at",
        "section",
        "standfirst",
        "authors",
        "tags",
        "updated_at",
        "body_html",
    }
    body = receiver.received[0].body.decode()
    assert editor.email not in body and "Internal SEO" not in body


# A scheduled story goes live by the clock ----------------------------------------------------


def test_a_scheduled_story_is_published_at_its_minute(
    endpoint, receiver, story, editor, committed, database_queue
):
    at = (timezone.now() + datetime.timedelta(hours=2)).replace(microsecond=0)
    with committed():
        story_services.article_schedule(article=story, by=editor, at=at)
    job = database_queue.get(task_path="webhooks.tasks.story_went_live")
    assert job.run_after == at
    assert run_ready_jobs() == 0 and not Delivery.objects.exists()
    with time_machine.travel(at + datetime.timedelta(seconds=5), tick=False):
        with committed():
            run_ready_jobs()  # story_went_live, which queues the delivery
        assert Delivery.objects.get().event == Event.PUBLISHED
        run_ready_jobs()  # the delivery
    assert events(receiver) == ["story.published"]


def test_a_story_unscheduled_meanwhile_is_not_announced(
    endpoint, receiver, story, editor, committed, database_queue
):
    at = (timezone.now() + datetime.timedelta(hours=2)).replace(microsecond=0)
    with committed():
        story_services.article_schedule(article=story, by=editor, at=at)
        story_services.article_return_to_draft(article=story, by=editor)
    with time_machine.travel(at + datetime.timedelta(seconds=5), tick=False):
        run_ready_jobs()
    assert receiver.received == [] and not Delivery.objects.exists()


def test_without_a_queue_that_waits_a_scheduled_story_is_not_announced(
    endpoint, receiver, story, editor, committed, caplog
):
    at = timezone.now() + datetime.timedelta(hours=2)
    with committed():
        story_services.article_schedule(article=story, by=editor, at=at)
    assert receiver.received == []
    assert "no story.published when" in caplog.text


def test_a_failing_webhook_receiver_never_fails_the_save(story, editor, committed, caplog):
    from unittest import mock

    with mock.patch("webhooks.receivers.emit", side_effect=RuntimeError("webhooks broke")):
        with committed():
            story_services.article_publish(article=story, by=editor)
    story.refresh_from_db()
    assert story.is_published()
    assert "A receiver of story_moved failed" in caplog.text

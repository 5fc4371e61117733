"""live.update_posted (#18): a live blog's new update reaches the endpoints that want it,
signed, once; an update readers can't see, or an edit, sends nothing."""

import pytest
from django.db import transaction

from articles import live as live_blogs
from articles import services as story_services
from articles.models import Article, LiveUpdate
from tests.factories import AuthorFactory
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(receiver):
    endpoint = Endpoint.objects.create(url=receiver.url, events=[Event.LIVE_UPDATE_POSTED])
    receiver.secret = endpoint.secret
    return endpoint


@pytest.fixture
def blog(story, editor, committed, receiver):
    Article.objects.filter(pk=story.pk).update(live=Article.Live.LIVE)
    story.refresh_from_db()
    with committed():
        story_services.article_publish(article=story, by=editor)
    receiver.received.clear()
    story.refresh_from_db()
    return story


def post_update(blog, editor, committed, **fields):
    """As the admin posts one: saved, then update_saved in the same transaction."""
    with committed(), transaction.atomic():
        update = LiveUpdate.objects.create(article=blog, created_by=editor, **fields)
        update.authors.add(AuthorFactory(name="Rita Okafor"))
        live_blogs.update_saved(update, by=editor, created=True)
    return update


def test_posting_an_update_sends_one_signed_event(endpoint, receiver, blog, editor, committed):
    update = post_update(
        blog, editor, committed, title="Tunnel shut", key_event=True, body="<p>Water in.</p>"
    )
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.verified
    assert got.payload["type"] == "live.update_posted"
    data = got.payload["data"]
    assert data["story"]["id"] == blog.pk
    assert data["story"]["headline"] == "Harbour tunnel opens"
    assert data["story"]["url"].startswith("http")
    assert data["story"]["url"].endswith(blog.get_absolute_url())
    assert data["update"]["id"] == update.pk
    assert data["update"]["url"].endswith(f"{blog.get_absolute_url()}#update-{update.pk}")
    assert data["update"]["title"] == "Tunnel shut"
    assert data["update"]["key_event"] is True
    assert "Water in." in data["update"]["body_html"]
    assert data["update"]["authors"] == ["Rita Okafor"]
    assert data["update"]["posted_at"]


def test_an_update_to_an_unpublished_blog_sends_nothing(
    endpoint, receiver, story, editor, committed
):
    Article.objects.filter(pk=story.pk).update(live=Article.Live.LIVE)
    story.refresh_from_db()
    post_update(story, editor, committed, body="<p>Not yet.</p>")
    assert receiver.received == [] and not Delivery.objects.exists()


def test_an_edit_sends_nothing(endpoint, receiver, blog, editor, committed):
    update = post_update(blog, editor, committed, body="<p>First.</p>")
    receiver.received.clear()
    with committed(), transaction.atomic():
        update.body = "<p>First, corrected.</p>"
        update.save()
        live_blogs.update_saved(update, by=editor, created=False)
    assert receiver.received == []
    assert Delivery.objects.count() == 1


def test_an_endpoint_that_doesnt_want_it_gets_nothing(receiver, blog, editor, committed):
    endpoint = Endpoint.objects.create(url=receiver.url, events=[Event.PUBLISHED])
    receiver.secret = endpoint.secret
    post_update(blog, editor, committed, body="<p>Hello.</p>")
    assert receiver.received == []

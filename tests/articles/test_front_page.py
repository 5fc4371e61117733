"""Front page curation (#5): pinned lead and top stories with expiry, never a story twice."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import FrontPageSlot
from tests.factories import DraftArticleFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db


def front(client, **params):
    response = client.get("/", params)
    assert response.status_code == 200
    context = response.context
    return context.get("lead_story"), context.get("top_stories", []), list(context["article_list"])


def latest(count):
    now = timezone.now()
    return [
        PublishedArticleFactory(published_at=now - timedelta(hours=n + 1)) for n in range(count)
    ]


class FrontPageTests:
    def test_without_pins_the_latest_lead(self, client):
        stories = latest(8)
        lead, top, rest = front(client)
        assert lead == stories[0]
        assert top == stories[1:5]
        assert rest == stories[5:]

    def test_pinned_lead_and_top_story_show_once(self, client):
        stories = latest(8)
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=stories[6])
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.TOP_2, article=stories[7])
        lead, top, rest = front(client)
        assert lead == stories[6]
        assert top == [stories[0], stories[7], stories[1], stories[2]]
        assert rest == stories[3:6]
        shown = [lead, *top, *rest]
        assert len(shown) == len(set(shown)) == 8

    def test_expired_pin_falls_back_to_the_latest(self, client):
        stories = latest(3)
        until = timezone.now() + timedelta(hours=2)
        FrontPageSlot.objects.create(
            slot=FrontPageSlot.Slot.LEAD, article=stories[2], expires_at=until
        )
        assert front(client)[0] == stories[2]
        with time_machine.travel(until + timedelta(seconds=1)):
            lead, top, rest = front(client)
        assert lead == stories[0] and stories[2] in top

    def test_a_pinned_story_that_is_not_live_is_not_shown(self, client):
        stories = latest(2)
        draft = DraftArticleFactory()
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=draft)
        lead, top, rest = front(client)
        assert lead == stories[0] and draft not in [*top, *rest]

    def test_pinned_stories_stay_off_later_pages(self, client):
        stories = latest(26)
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=stories[-1])
        page_two = front(client, page=2)[2]
        assert stories[-1] not in page_two
        assert len(page_two) == 5

    def test_empty_site(self, client):
        lead, top, rest = front(client)
        assert lead is None and top == [] and rest == []
        assert "No stories have been published yet." in client.get("/").content.decode()

"""The newsroom's clock in the admin (#15): the zone named on every date and time input
(newsroom/timezones.py), and how long ago in words (newsroom/templatetags/clock.py)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from newsroom.templatetags.clock import ago
from newsroom.timezones import zone_help
from tests.factories import DraftArticleFactory, EditorFactory


def test_a_zone_with_seasons_gives_its_key_and_todays_name():
    with override_settings(TIME_ZONE="Europe/London"):
        with time_machine.travel("2026-12-03T12:00Z", tick=False):
            assert zone_help() == "Times are in Europe/London (GMT)."
        with time_machine.travel("2026-07-03T12:00Z", tick=False):
            assert zone_help() == "Times are in Europe/London (BST)."


def test_utc_is_named_once():
    with override_settings(TIME_ZONE="UTC"):
        assert zone_help() == "Times are in UTC."


def test_how_long_ago_says_just_now_for_the_last_minute():
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert ago(now - timedelta(seconds=20), now) == "just now"
    assert ago(now - timedelta(minutes=5), now) == "5\xa0minutes ago"
    assert ago(None, now) == ""


@pytest.mark.django_db
def test_the_desk_says_just_now_not_0_minutes_ago(client):
    editor = EditorFactory()
    DraftArticleFactory(headline="Fresh draft", created_by=editor)
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Fresh draft</a>" in html
    assert "edited just now" in html
    assert "0\xa0minutes ago" not in html

"""Admin sessions end after a working day without activity, not Django's 14 days (#13)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.articles.workflow_http import LOGIN, change_url, page_form, submit
from tests.factories import DraftArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")


def logged_in(client):
    response = client.get(ADMIN)
    return response.status_code == 200


def test_a_working_day_of_activity_keeps_the_session_and_a_night_away_ends_it(settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(EditorFactory())
    for hours in (3, 6, 9, 12):  # Every three hours, something happens.
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            assert logged_in(client), hours
    with time_machine.travel(start + timedelta(hours=23), tick=False):
        response = client.get(ADMIN)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_story_forms_heartbeat_is_no_sign_of_life():
    start = timezone.now()
    story = DraftArticleFactory()
    presence = reverse("admin:articles_article_presence", args=[story.pk])
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(EditorFactory())
        assert logged_in(client)
    with time_machine.travel(start + timedelta(hours=9), tick=False):
        assert submit(client, presence, {}).status_code == 200
    with time_machine.travel(start + timedelta(hours=11), tick=False):
        assert submit(client, presence, {}).status_code == 401
        assert not logged_in(client)


def test_public_pages_still_set_no_cookie():
    response = Client().get("/")
    assert not response.cookies


def test_a_story_left_open_overnight_keeps_its_text_when_saved_in_the_morning():
    """The session ended while the form was open (heartbeats don't keep it): the morning's
    Save goes to the login page with the text kept, and logging in brings it back."""
    start = timezone.now()
    story = DraftArticleFactory()
    editor = EditorFactory()
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(editor)
        form = page_form(client.get(change_url(story)), body="Typed before going home.")
    with time_machine.travel(start + timedelta(hours=14), tick=False):
        response = submit(client, change_url(story), form)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        next_url = parse_qs(urlsplit(response["Location"]).query)["next"][0]
        client.force_login(editor)
        assert page_form(client.get(next_url))["body"] == "Typed before going home."
        story.refresh_from_db()
        assert "Typed before going home." not in story.body  # Kept, not saved unasked.


def test_an_unchanged_session_is_written_at_most_every_few_minutes():
    """Moving the end on is a write: not on every admin request, but often enough."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(EditorFactory())
        assert logged_in(client)

    def session_writes(at):
        with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as queries:
            assert logged_in(client)
        return [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]

    assert session_writes(start + timedelta(minutes=1)) == []
    assert len(session_writes(start + timedelta(minutes=6))) == 1

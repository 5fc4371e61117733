"""The story editor's lookup (#14): writers only, private, and never a 500."""

import pytest
from django.urls import reverse

from tests.factories import EditorFactory, ReporterFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:embeds_oembedanswer_lookup")
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_a_writer_learns_what_readers_will_get(client, oembed):
    oembed.answers["https://www.youtube.com/oembed"] = {"title": "Tram <run>"}
    client.force_login(ReporterFactory())
    response = client.get(URL, {"url": VIDEO})
    assert response.status_code == 200
    assert response.json() == {
        "url": VIDEO,
        "provider": "YouTube",
        "noun": "video",
        "title": "Tram <run>",
        "playable": True,
        "message": "Readers get the video from YouTube when they ask for it.",
    }
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_an_address_nobody_plays_is_explained(client):
    client.force_login(EditorFactory())
    answer = client.get(URL, {"url": "https://youtube.com.evil.example/watch?v=x"}).json()
    assert answer["playable"] is False and answer["provider"] == ""
    assert "plain link" in answer["message"] and "YouTube" in answer["message"]


@pytest.mark.parametrize("url", ["", " ", "x" * 2001, "javascript:alert(1)", "\x00"])
def test_bad_addresses_never_fail(client, url):
    client.force_login(EditorFactory())
    response = client.get(URL, {"url": url})
    assert response.status_code in {200, 400}


def test_who_may_ask(client):
    assert client.get(URL, {"url": VIDEO}).status_code == 401
    client.force_login(UserFactory(is_staff=True))
    assert client.get(URL, {"url": VIDEO}).status_code == 403
    client.force_login(UserFactory(is_staff=False))
    assert client.get(URL, {"url": VIDEO}).status_code == 403


def test_only_get_and_head(client):
    client.force_login(EditorFactory())
    assert client.post(URL, {"url": VIDEO}).status_code in {403, 405}

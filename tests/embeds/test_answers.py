"""What providers answer, and how it is kept (#14): bounded requests, nothing of their html
used but one checked player address, failures kept as failures (and asked again later)."""

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from embeds import oembed
from embeds.models import OEmbedAnswer
from embeds.services import embed_lookup, embeds_refresh
from tests.embeds import fakes
from tests.embeds.fakes import FakeResponse

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
POST = "https://bsky.app/profile/jay.bsky.team/post/3l6oveex3ii2l"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
BLUESKY_ANSWER = {
    "type": "rich",
    "title": "Jay's post",
    "html": f'<blockquote class="bluesky-embed" data-bluesky-uri="at://{DID}/app.bsky.feed.post/'
    '3l6oveex3ii2l"><p>Hello</p></blockquote><script async src="https://embed.bsky.app/'
    'static/embed.js"></script>',
}


def test_parse_keeps_plain_text_and_sane_sizes():
    answer = oembed.parse(
        json.dumps(
            {"title": "  A\x00 <b>title</b>\n", "author_name": 5, "width": "640", "height": -1}
        ).encode()
    )
    assert answer.title == "A <b>title</b>"  # Plain text: escaped wherever it is shown.
    assert answer.author_name == ""
    assert (answer.width, answer.height) == (640, None)


@pytest.mark.parametrize("body", [b"<html>", b"[1, 2]", b"\xff\xfe", b""])
def test_an_answer_that_is_not_a_json_object_is_refused(body):
    with pytest.raises(oembed.OEmbedError):
        oembed.parse(body)


@pytest.mark.parametrize(
    "error",
    [
        TimeoutError("timed out"),
        ConnectionRefusedError(),
        urllib.error.URLError("no route"),
        urllib.error.HTTPError("https://x", 404, "Not Found", {}, None),
    ],
)
def test_network_failures_are_oembed_errors(error):
    with pytest.raises(oembed.OEmbedError):
        oembed.fetch("https://www.youtube.com/oembed?url=x", opener=fakes.FakeOpener({"": error}))


def test_an_answer_too_long_is_refused():
    opener = fakes.FakeOpener({"": b"{" + b" " * oembed.MAX_BYTES + b"}"})
    with pytest.raises(oembed.OEmbedError, match="over"):
        oembed.fetch("https://www.youtube.com/oembed?url=x", opener=opener)


def test_an_answer_that_trickles_in_past_the_deadline_is_refused(monkeypatch):
    """A server sending a byte at a time stays under each read's timeout; the whole answer
    still has a deadline (the clock is moved by hand: no test waits)."""
    clock = iter(range(0, 1000, 2))
    monkeypatch.setattr(oembed.time, "monotonic", lambda: next(clock))

    class Trickle(FakeResponse):
        def read(self, size=-1):
            return super().read(1)

    class Opener:
        def open(self, request, timeout=None):
            return Trickle(b'{"title": "slow"}')

    with pytest.raises(oembed.OEmbedError, match="within"):
        oembed.fetch("https://www.youtube.com/oembed?url=x", opener=Opener(), timeout=3)


def test_only_https_endpoints_are_asked():
    with pytest.raises(oembed.OEmbedError):
        oembed.fetch("http://www.youtube.com/oembed?url=x", opener=fakes.FakeOpener())


def test_redirects_are_not_followed():
    handler = oembed._NoRedirects()
    request = urllib.request.Request("https://www.youtube.com/oembed")
    with pytest.raises(urllib.error.HTTPError):
        handler.redirect_request(request, None, 302, "Found", {}, "https://evil.example/")


def test_a_lookup_asks_once_and_keeps_the_answer(oembed):
    oembed.answers["https://www.youtube.com/oembed"] = {"title": "Tram run"}
    first = embed_lookup(url=VIDEO)
    again = embed_lookup(url=VIDEO)
    assert first.playable and first.title == again.title == "Tram run"
    assert len(oembed.asked) == 1
    assert oembed.asked[0].startswith("https://www.youtube.com/oembed?url=https%3A%2F%2F")


def test_a_failed_answer_is_kept_and_asked_again_after_an_hour(oembed):
    lookup = embed_lookup(url=VIDEO)
    # The address alone names YouTube's player: readers get it, without a title.
    assert lookup.playable and lookup.title == ""
    assert OEmbedAnswer.objects.get(url=VIDEO).is_ok is False
    embed_lookup(url=VIDEO)
    assert len(oembed.asked) == 1
    oembed.answers["https://www.youtube.com/oembed"] = {"title": "Back"}
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert embed_lookup(url=VIDEO).title == "Back"
    assert len(oembed.asked) == 2


def test_a_bluesky_handle_is_played_by_the_did_its_answer_names(oembed):
    oembed.answers["https://embed.bsky.app/oembed"] = BLUESKY_ANSWER
    lookup = embed_lookup(url=POST)
    assert lookup.frame_src == (
        f"https://embed.bsky.app/embed/{DID}/app.bsky.feed.post/3l6oveex3ii2l"
    )
    assert "script" not in OEmbedAnswer.objects.get(url=POST).frame_src


def test_a_bluesky_answer_about_another_post_gives_no_player(oembed):
    oembed.answers["https://embed.bsky.app/oembed"] = {
        **BLUESKY_ANSWER,
        "html": BLUESKY_ANSWER["html"].replace("3l6oveex3ii2l", "3aaaaaaaaaaaa"),
    }
    lookup = embed_lookup(url=POST)
    assert not lookup.playable
    assert OEmbedAnswer.objects.get(url=POST).is_ok is False


def test_without_an_answer_a_bluesky_handle_is_a_plain_link(oembed):
    assert not embed_lookup(url=POST).playable


def test_a_kept_player_address_is_checked_again_before_use(oembed):
    oembed.answers["https://embed.bsky.app/oembed"] = BLUESKY_ANSWER
    embed_lookup(url=POST)
    OEmbedAnswer.objects.filter(url=POST).update(frame_src="https://evil.example/x")
    assert not embed_lookup(url=POST).playable


def test_an_address_nobody_plays_is_never_asked_about(oembed):
    lookup = embed_lookup(url="https://evil.example/watch?v=dQw4w9WgXcQ")
    assert lookup.found is None and not lookup.playable
    assert oembed.asked == [] and not OEmbedAnswer.objects.exists()


def test_refresh_asks_only_about_what_it_doesn_t_know(oembed, monkeypatch):
    oembed.answers["https://www.youtube.com/oembed"] = {"title": "Tram run"}
    embed_lookup(url=VIDEO)
    other = "https://youtu.be/aaaaaaaaaaa"
    asked = embeds_refresh(urls=[VIDEO, other, other, "https://x.example/"])
    assert asked == 1
    assert OEmbedAnswer.objects.get(url=other).title == "Tram run"
    monkeypatch.setattr("embeds.services.time.monotonic", iter([0, 99, 99, 99]).__next__)
    assert embeds_refresh(urls=["https://youtu.be/bbbbbbbbbbb"], budget_seconds=10) == 0

"""The embeds' settings, read from the environment (#14): what readers' pages may frame
follows them, and a bad provider list stops the start with the reason."""

import json

import pytest

from tests.test_settings import load_settings

FRAMES = (
    "from django.conf import settings as s; import json; "
    "print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['frame-src']))"
)
FLOURISH = {
    "name": "Flourish",
    "urls": ["https://public.flourish.studio/visualisation/*"],
    "endpoint": "https://app.flourish.studio/api/v1/oembed",
    "frames": ["flo.uri.sh"],
}


def frames(**env):
    result = load_settings(FRAMES, DJANGO_DEBUG="true", DATABASE_URL="sqlite://", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_readers_pages_frame_the_players_of_the_site_s_providers():
    default = frames()
    assert "https://www.youtube-nocookie.com" in default
    assert "https://mastodon.social" in default
    chosen = frames(
        NEWSROOM_EMBED_MASTODON_INSTANCES="social.example.org",
        NEWSROOM_OEMBED_PROVIDERS=json.dumps([FLOURISH]),
    )
    assert "https://social.example.org" in chosen and "https://mastodon.social" not in chosen
    assert "https://flo.uri.sh" in chosen


@pytest.mark.slow
@pytest.mark.parametrize(
    "value, message",
    [
        ("{not json", "NEWSROOM_OEMBED_PROVIDERS"),
        (json.dumps([{**FLOURISH, "frames": ["*"]}]), "host names"),
    ],
)
def test_a_bad_provider_list_is_explained(value, message):
    result = load_settings(
        DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="sqlite://", NEWSROOM_OEMBED_PROVIDERS=value
    )
    assert result.returncode != 0 and message in result.stderr


@pytest.mark.slow
def test_a_mastodon_instance_must_be_a_host_name():
    result = load_settings(
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="sqlite://",
        NEWSROOM_EMBED_MASTODON_INSTANCES="mastodon.social,https://evil.example/",
    )
    assert result.returncode != 0
    assert "NEWSROOM_EMBED_MASTODON_INSTANCES: 'https://evil.example/' is not a host name" in (
        result.stderr
    )

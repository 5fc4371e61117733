"""Which addresses a provider plays, and the one player address each gets (#14)."""

import pytest

from embeds.providers import check_site_providers, frame_sources, match, registry

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url, provider, player",
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube", f"{YOUTUBE}?autoplay=1"),
        (
            "http://youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s",
            "YouTube",
            f"{YOUTUBE}?autoplay=1&start=90",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", "YouTube", f"{YOUTUBE}?autoplay=1"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "YouTube", f"{YOUTUBE}?autoplay=1"),
        (
            "https://vimeo.com/76979871",
            "Vimeo",
            "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1",
        ),
        (
            "https://vimeo.com/76979871/abc123def0",
            "Vimeo",
            "https://player.vimeo.com/video/76979871?h=abc123def0&autoplay=1&dnt=1",
        ),
        (
            "https://x.com/jack/status/20",
            "X",
            "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true",
        ),
        (
            "https://twitter.com/jack/status/20/photo/1",
            "X",
            "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true",
        ),
        (
            "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3l6oveex3ii2l",
            "Bluesky",
            "https://embed.bsky.app/embed/did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l",
        ),
        # A handle: only the provider's answer names the account's DID.
        ("https://bsky.app/profile/jay.bsky.team/post/3l6oveex3ii2l", "Bluesky", ""),
        (
            "https://mastodon.social/@Gargron/109343375541565785",
            "Mastodon",
            "https://mastodon.social/@Gargron/109343375541565785/embed",
        ),
        (
            "https://www.instagram.com/p/C9xYz12AbCd/",
            "Instagram",
            "https://www.instagram.com/p/C9xYz12AbCd/embed/captioned/",
        ),
        (
            "https://www.instagram.com/reel/C9xYz12AbCd/",
            "Instagram",
            "https://www.instagram.com/p/C9xYz12AbCd/embed/captioned/",
        ),
        (
            "https://www.tiktok.com/@scout2015/video/6718335390845095173",
            "TikTok",
            "https://www.tiktok.com/embed/v2/6718335390845095173",
        ),
        (
            "https://soundcloud.com/forss/flickermood",
            "SoundCloud",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood&auto_play=true&visual=false",
        ),
        (
            "https://datawrapper.dwcdn.net/Ab1Cd/3/",
            "Datawrapper",
            "https://datawrapper.dwcdn.net/Ab1Cd/3/",
        ),
        (
            "https://www.datawrapper.de/_/Ab1Cd/",
            "Datawrapper",
            "https://datawrapper.dwcdn.net/Ab1Cd/",
        ),
        (
            "https://www.documentcloud.org/documents/20059068-the-mueller-report",
            "DocumentCloud",
            "https://embed.documentcloud.org/documents/20059068-the-mueller-report/?embed=1&responsive=1",
        ),
    ],
)
def test_each_provider_plays_its_addresses(url, provider, player):
    found = match(url)
    assert found is not None
    assert (found.provider.name, found.frame_src) == (provider, player)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
        "https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "https://www.yоutube.com/watch?v=dQw4w9WgXcQ",  # a Cyrillic "о"
        "https://www.xn--ytube-3ve.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\u202e",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=aaaaaaaaaaa",
        'https://www.youtube.com/watch?v=dQw4w9WgXc"onload="x',
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ<script>",
        " https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com\\@evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/embed/../../evil",
        "https://www.youtube.com/channel/UC123",
        "//www.youtube.com/watch?v=dQw4w9WgXcQ",
        "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://player.vimeo.com/video/1/../../x",
        "https://x.com/jack",
        "https://bsky.app/profile/jay.bsky.team/post/3l6oveex3ii2l/../x",
        "https://mastodon.evil.example/@Gargron/109343375541565785",
        "https://www.tiktok.com/@scout2015/video/12",
        "https://www.instagram.com/accounts/login/",
        "https://soundcloud.com/discover/sets/x",
        "https://datawrapper.dwcdn.net/Ab1Cd/../../evil",
        "https://www.youtube.com/watch?v=" + "a" * 2000,
        "",
    ],
)
def test_anything_else_is_nobody_s(url):
    assert match(url) is None


def test_players_come_only_from_hosts_readers_browsers_may_frame(settings):
    allowed = set(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"])
    hosts = {f"https://{host}" for p in registry() for host in p.frame_hosts}
    assert allowed == hosts
    assert "https://www.youtube-nocookie.com" in allowed
    assert "https://www.youtube.com" not in allowed  # The privacy-enhanced player only.


SITE_PROVIDER = {
    "name": "Flourish",
    "urls": ["https://public.flourish.studio/visualisation/*", "https://*.flourish.studio/story/*"],
    "endpoint": "https://app.flourish.studio/api/v1/oembed",
    "frames": ["flo.uri.sh"],
    "noun": "chart",
    "layout": "chart",
}


def test_a_provider_the_site_allows_is_matched_by_its_url_schemes(settings):
    settings.NEWSROOM_OEMBED_PROVIDERS = [SITE_PROVIDER]
    found = match("https://public.flourish.studio/visualisation/123/")
    assert found.provider.name == "Flourish" and found.needs_answer
    assert match("https://x.flourish.studio/story/9/").provider.name == "Flourish"
    assert match("https://a.b.flourish.studio/story/9/") is None  # A star is one label.
    assert match("https://public.flourish.studio/other/1/") is None
    assert match("https://public.flourish.studio.evil.example/visualisation/1/") is None
    assert "https://flo.uri.sh" in frame_sources([], [SITE_PROVIDER])


def test_the_player_of_a_site_provider_is_the_answer_s_iframe_on_its_own_hosts(settings):
    settings.NEWSROOM_OEMBED_PROVIDERS = [SITE_PROVIDER]
    found = match("https://public.flourish.studio/visualisation/123/")
    good = '<iframe src="https://flo.uri.sh/visualisation/123/embed" title="x"></iframe>'
    assert found.frame_from_answer(good) == "https://flo.uri.sh/visualisation/123/embed"
    for html in [
        '<script src="https://flo.uri.sh/x.js"></script>',
        '<iframe src="https://evil.example/x"></iframe>',
        '<iframe src="http://flo.uri.sh/x"></iframe>',
        '<iframe src="javascript:alert(1)"></iframe>',
        '<iframe src="https://flo.uri.sh.evil.example/x"></iframe>',
        "",
    ]:
        assert found.frame_from_answer(html) == ""


def test_mastodon_instances_are_the_site_s_choice(settings):
    settings.NEWSROOM_EMBED_MASTODON_INSTANCES = ["social.example.org"]
    assert match("https://social.example.org/@ana/1234").provider.name == "Mastodon"
    assert match("https://mastodon.social/@Gargron/109343375541565785") is None
    settings.NEWSROOM_EMBED_MASTODON_INSTANCES = []
    assert match("https://social.example.org/@ana/1234") is None


@pytest.mark.parametrize(
    "configs, message",
    [
        ({}, "a JSON list"),
        ([{"name": "A"}], "needs"),
        ([{**SITE_PROVIDER, "urls": ["ftp://x/*"]}], "address patterns"),
        ([{**SITE_PROVIDER, "endpoint": "http://plain.example/oembed"}], "https://"),
        ([{**SITE_PROVIDER, "frames": ["https://flo.uri.sh"]}], "host names"),
        ([{**SITE_PROVIDER, "layout": "huge"}], "layout"),
    ],
)
def test_bad_site_providers_are_explained(configs, message):
    with pytest.raises(ValueError, match=message):
        check_site_providers(configs)

"""Who plays an embedded address (#14): the registry of providers.

An embed is stored as the address a writer pasted (articles/body.py). Here an address either
belongs to a provider the site knows, and then the provider's player has one address of its
own (the iframe's src, always https, on a host this module lists), or it is nothing, and
readers get a plain link. Matching is strict on purpose: printable ASCII only (no Unicode
look-alikes), http or https, no user name or port, a host from the provider's exact list (so
`youtube.com.evil.example` is nobody), and a path matched whole by a pattern whose every part
is a plain id. The player's address is built from those ids, never copied from the input.

Most players need nothing but the address. Two kinds need the provider's oEmbed answer first
(embeds/answers.py fetches and keeps it): a Bluesky post named by its author's handle (the
player wants the account's DID), and the oEmbed providers a site allows in
NEWSROOM_OEMBED_PROVIDERS, whose player comes only from the src of an iframe in the answer, on
a host the site named for it.

Pure Python, no models: settings.py builds the Content-Security-Policy's frame-src from
`frame_sources()`, so readers' browsers refuse to frame any other host.
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlencode, urlsplit

# Longest address kept as an embed; anything longer is a plain link.
MAX_URL_LENGTH = 2000
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")

# Players whose ways of working readers' browsers need: a video plays, goes full screen.
VIDEO_ALLOW = "autoplay; encrypted-media; fullscreen; picture-in-picture"


@dataclass(frozen=True)
class Provider:
    """A provider of players. `resolve(host, path, query)` answers None (not one of its
    addresses), "" (one of its addresses, whose player only its oEmbed answer can name) or the
    player's address. `layout` sizes the placeholder and the player (static/css/site.css)."""

    key: str
    name: str
    noun: str  # "the video from YouTube"
    layout: str  # wide, tall, post, audio, chart, document
    hosts: frozenset[str]
    resolve: Callable[[str, str, dict], str | None]
    frame_hosts: tuple[str, ...]
    oembed: str = ""  # the endpoint; "{host}" is the address's host (Mastodon)
    from_answer: Callable[["Match", str], str | None] | None = None
    allow: str = ""
    # Hosts given as patterns ("*.example.com", the site's own providers).
    host_pattern: re.Pattern | None = None

    def serves(self, host: str) -> bool:
        if self.host_pattern is not None:
            return bool(self.host_pattern.fullmatch(host))
        return host in self.hosts

    def oembed_endpoint(self, host: str) -> str:
        return self.oembed.replace("{host}", host)


@dataclass(frozen=True)
class Match:
    """An address a provider plays. `frame_src` is empty when only the provider's oEmbed
    answer can name the player."""

    provider: Provider
    url: str
    host: str
    path: str
    frame_src: str

    @property
    def needs_answer(self) -> bool:
        return not self.frame_src

    def frame_from_answer(self, html: str) -> str:
        """The player's address read from an oEmbed answer's html, checked, or ""."""
        if self.frame_src:
            return self.frame_src
        reader = self.provider.from_answer or _iframe_src
        return self.checked_frame(reader(self, html or "") or "")

    def checked_frame(self, src: str) -> str:
        """`src` if it is an https address on one of the provider's player hosts, else ""."""
        if self.frame_src:
            return self.frame_src
        parts = _checked(src)
        if not parts or parts.scheme != "https" or parts.hostname not in self.provider.frame_hosts:
            return ""
        return src


# Building blocks ---------------------------------------------------------------------------


def _one(query: dict, name: str) -> str:
    values = query.get(name) or [""]
    return values[0] if len(values) == 1 else ""


_DURATION = re.compile(r"(?:(\d{1,2})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?")


def _seconds(value: str) -> int:
    """YouTube's start times: "90", "90s", "1m30s", "1h2m3s"."""
    match = _DURATION.fullmatch(value or "")
    if not value or not match:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _full(pattern: str, path: str, flags=0) -> dict | None:
    match = re.fullmatch(pattern, path, flags | re.ASCII)
    return match.groupdict() if match else None


# The providers -----------------------------------------------------------------------------

_YOUTUBE_ID = r"(?P<id>[A-Za-z0-9_-]{11})"


def _youtube(host: str, path: str, query: dict) -> str | None:
    if host == "youtu.be":
        found = _full(rf"/{_YOUTUBE_ID}/?", path)
    elif path in {"/watch", "/watch/"}:
        found = _full(_YOUTUBE_ID, _one(query, "v"))
    else:
        found = _full(rf"/(?:shorts|embed|live|v)/{_YOUTUBE_ID}/?", path)
    if not found:
        return None
    params = {"autoplay": "1"}
    if start := _seconds(_one(query, "t") or _one(query, "start")):
        params["start"] = str(start)
    return f"https://www.youtube-nocookie.com/embed/{found['id']}?{urlencode(params)}"


def _vimeo(host: str, path: str, query: dict) -> str | None:
    if host == "player.vimeo.com":
        found = _full(r"/video/(?P<id>[0-9]{1,12})/?", path)
        secret = _one(query, "h")
    else:
        found = _full(
            r"/(?:channels/[A-Za-z0-9_-]{1,100}/|groups/[A-Za-z0-9_-]{1,100}/videos/|"
            r"showcase/[0-9]{1,12}/video/)?(?P<id>[0-9]{1,12})(?:/(?P<secret>[0-9a-f]{6,32}))?/?",
            path,
        )
        secret = (found or {}).get("secret") or ""
    if not found:
        return None
    params = {"autoplay": "1", "dnt": "1"}
    if re.fullmatch(r"[0-9a-f]{6,32}", secret):
        params = {"h": secret, **params}
    return f"https://player.vimeo.com/video/{found['id']}?{urlencode(params)}"


def _soundcloud(host: str, path: str, query: dict) -> str | None:
    found = _full(
        r"/(?P<user>[a-z0-9_-]{1,64})/(?P<sets>sets/)?(?P<slug>[a-z0-9_-]{1,255})/?",
        path.lower(),
    )
    if not found or found["user"] in {"discover", "search", "stream", "you", "upload", "charts"}:
        return None
    track = f"https://soundcloud.com/{found['user']}/{found['sets'] or ''}{found['slug']}"
    params = urlencode({"url": track, "auto_play": "true", "visual": "false"}, quote_via=quote)
    return f"https://w.soundcloud.com/player/?{params}"


def _datawrapper(host: str, path: str, query: dict) -> str | None:
    if host == "datawrapper.dwcdn.net":
        found = _full(r"/(?P<id>[A-Za-z0-9]{5})(?:/(?P<version>[0-9]{1,4}))?/?", path)
    else:
        found = _full(r"/_/(?P<id>[A-Za-z0-9]{5})/?", path)
    if not found:
        return None
    version = f"{found['version']}/" if found.get("version") else ""
    return f"https://datawrapper.dwcdn.net/{found['id']}/{version}"


def _documentcloud(host: str, path: str, query: dict) -> str | None:
    found = _full(r"/documents/(?P<doc>[0-9]{1,12}-[a-z0-9-]{1,200})(?:\.html)?/?", path.lower())
    if not found:
        return None
    return f"https://embed.documentcloud.org/documents/{found['doc']}/?embed=1&responsive=1"


def _tiktok(host: str, path: str, query: dict) -> str | None:
    found = _full(r"/@[A-Za-z0-9_.]{1,32}/video/(?P<id>[0-9]{15,22})/?", path) or _full(
        r"/v/(?P<id>[0-9]{15,22})(?:\.html)?/?", path
    )
    return f"https://www.tiktok.com/embed/v2/{found['id']}" if found else None


def _instagram(host: str, path: str, query: dict) -> str | None:
    found = _full(r"/(?:[A-Za-z0-9_.]{1,30}/)?(?:p|reel|tv)/(?P<code>[A-Za-z0-9_-]{5,40})/?", path)
    return f"https://www.instagram.com/p/{found['code']}/embed/captioned/" if found else None


def _x(host: str, path: str, query: dict) -> str | None:
    found = _full(
        r"/(?:[A-Za-z0-9_]{1,15}/status(?:es)?|i/web/status)/(?P<id>[0-9]{1,20})"
        r"(?:/(?:photo|video)/[1-4])?/?",
        path,
    )
    if not found:
        return None
    params = urlencode({"id": found["id"], "dnt": "true"})
    return f"https://platform.twitter.com/embed/Tweet.html?{params}"


_DID = r"did:plc:[a-z2-7]{24}|did:web:[a-z0-9.-]{1,253}"
_BLUESKY_PATH = rf"/profile/(?P<actor>{_DID}|[a-z0-9.-]{{1,253}})/post/(?P<rkey>[a-z2-7]{{13}})/?"


def _bluesky_player(did: str, rkey: str) -> str:
    return f"https://embed.bsky.app/embed/{did}/app.bsky.feed.post/{rkey}"


def _bluesky(host: str, path: str, query: dict) -> str | None:
    found = _full(_BLUESKY_PATH, path.lower())
    if not found:
        return None
    if re.fullmatch(_DID, found["actor"]):
        return _bluesky_player(found["actor"], found["rkey"])
    return ""  # A handle: the oEmbed answer names the account's DID.


def _bluesky_from_answer(match: Match, html: str) -> str | None:
    """Bluesky's answer quotes the post's at:// address; the player wants its DID and key."""
    found = re.search(
        rf'data-bluesky-uri="at://(?P<did>{_DID})/app\.bsky\.feed\.post/(?P<rkey>[a-z2-7]{{13}})"',
        html,
        re.ASCII,
    )
    rkey = _full(_BLUESKY_PATH, match.path.lower())["rkey"]
    if not found or found["rkey"] != rkey:
        return None
    return _bluesky_player(found["did"], rkey)


def _mastodon(host: str, path: str, query: dict) -> str | None:
    found = _full(r"/@(?P<user>[A-Za-z0-9_]{1,30})/(?P<id>[0-9]{1,20})/?", path) or _full(
        r"/users/(?P<user>[A-Za-z0-9_]{1,30})/statuses/(?P<id>[0-9]{1,20})/?", path
    )
    return f"https://{host}/@{found['user']}/{found['id']}/embed" if found else None


class _FirstIframe(HTMLParser):
    def __init__(self):
        super().__init__()
        self.src = None

    def handle_starttag(self, tag, attrs):
        if tag == "iframe" and self.src is None:
            self.src = dict(attrs).get("src") or ""


def _iframe_src(match: Match, html: str) -> str | None:
    """The src of the answer's first iframe, if it is an https address on a host the site
    allows for this provider; the rest of the answer's html (its scripts above all) is never
    used."""
    parser = _FirstIframe()
    parser.feed(html)
    parser.close()
    return parser.src or None


def _builtin() -> list[Provider]:
    return [
        Provider(
            "youtube",
            "YouTube",
            "video",
            "wide",
            frozenset({"www.youtube.com", "youtube.com", "m.youtube.com", "youtu.be"}),
            _youtube,
            ("www.youtube-nocookie.com",),
            oembed="https://www.youtube.com/oembed",
            allow=VIDEO_ALLOW,
        ),
        Provider(
            "vimeo",
            "Vimeo",
            "video",
            "wide",
            frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"}),
            _vimeo,
            ("player.vimeo.com",),
            oembed="https://vimeo.com/api/oembed.json",
            allow=VIDEO_ALLOW,
        ),
        Provider(
            "x",
            "X",
            "post",
            "post",
            frozenset(
                {
                    *("twitter.com", "www.twitter.com", "mobile.twitter.com"),
                    *("x.com", "www.x.com", "mobile.x.com"),
                }
            ),
            _x,
            ("platform.twitter.com",),
            oembed="https://publish.twitter.com/oembed",
        ),
        Provider(
            "bluesky",
            "Bluesky",
            "post",
            "post",
            frozenset({"bsky.app"}),
            _bluesky,
            ("embed.bsky.app",),
            oembed="https://embed.bsky.app/oembed",
            from_answer=_bluesky_from_answer,
        ),
        Provider(
            "instagram",
            "Instagram",
            "post",
            "post",
            frozenset({"www.instagram.com", "instagram.com"}),
            _instagram,
            ("www.instagram.com",),
        ),
        Provider(
            "tiktok",
            "TikTok",
            "video",
            "tall",
            frozenset({"www.tiktok.com", "tiktok.com", "m.tiktok.com"}),
            _tiktok,
            ("www.tiktok.com",),
            oembed="https://www.tiktok.com/oembed",
            allow="autoplay; encrypted-media; fullscreen",
        ),
        Provider(
            "soundcloud",
            "SoundCloud",
            "audio",
            "audio",
            frozenset({"soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"}),
            _soundcloud,
            ("w.soundcloud.com",),
            oembed="https://soundcloud.com/oembed",
            allow="autoplay",
        ),
        Provider(
            "datawrapper",
            "Datawrapper",
            "chart",
            "chart",
            frozenset({"datawrapper.dwcdn.net", "www.datawrapper.de", "datawrapper.de"}),
            _datawrapper,
            ("datawrapper.dwcdn.net",),
            oembed="https://api.datawrapper.de/v3/oembed",
        ),
        Provider(
            "documentcloud",
            "DocumentCloud",
            "document",
            "document",
            frozenset({"www.documentcloud.org", "documentcloud.org", "embed.documentcloud.org"}),
            _documentcloud,
            ("embed.documentcloud.org",),
            oembed="https://api.www.documentcloud.org/api/oembed/",
        ),
    ]


def _mastodon_provider(instances: Iterable[str]) -> Provider | None:
    hosts = frozenset(instances)
    if not hosts:
        return None
    return Provider(
        "mastodon",
        "Mastodon",
        "post",
        "post",
        hosts,
        _mastodon,
        tuple(sorted(hosts)),
        oembed="https://{host}/api/oembed",
    )


def _host_glob(host: str) -> str:
    return r"\.".join(
        "[a-z0-9-]{1,63}" if label == "*" else re.escape(label.lower()) for label in host.split(".")
    )


def _split_scheme(pattern: str) -> tuple[str, str]:
    """An oEmbed URL scheme ("https://*.example.com/charts/*") as its host and path."""
    host, slash, path = pattern.partition("://")[2].partition("/")
    return host, slash + path


def _site_provider(number: int, config: dict) -> Provider:
    # A star in a host is one label; in a path, any run of characters but "?" and "#".
    schemes = [_split_scheme(scheme) for scheme in config["urls"]]
    hosts = re.compile("|".join(f"(?:{_host_glob(host)})" for host, _ in schemes), re.ASCII)
    paths = [
        (
            re.compile(_host_glob(host), re.ASCII),
            re.compile("[^?#]*".join(re.escape(part) for part in path.split("*")), re.ASCII),
        )
        for host, path in schemes
    ]

    def resolve(host: str, path: str, query: dict, paths=paths) -> str | None:
        found = any(h.fullmatch(host) and p.fullmatch(path) for h, p in paths)
        return "" if found else None

    return Provider(
        f"site-{number}",
        config["name"],
        config.get("noun", "content"),
        config.get("layout", "wide"),
        frozenset(),
        resolve,
        tuple(config["frames"]),
        oembed=config["endpoint"],
        host_pattern=hosts,
    )


def check_instances(names) -> list[str]:
    """NEWSROOM_EMBED_MASTODON_INSTANCES as settings.py reads it: host names, lowercased."""
    hosts = [name.strip().lower() for name in names]
    if bad := [host for host in hosts if not _HOST.fullmatch(host)]:
        raise ValueError(f"{bad[0]!r} is not a host name, like mastodon.social")
    return hosts


def check_site_providers(configs) -> list[dict]:
    """NEWSROOM_OEMBED_PROVIDERS as settings.py reads it: a list of {"name", "urls",
    "endpoint", "frames"} (and optionally "noun" and "layout"); ValueError says what's wrong."""
    if not isinstance(configs, list):
        raise ValueError("it must be a JSON list of providers")
    for config in configs:
        if not isinstance(config, dict) or not {"name", "urls", "endpoint", "frames"} <= set(
            config
        ):
            raise ValueError('each provider needs "name", "urls", "endpoint" and "frames"')
        if not config["urls"] or not all(
            isinstance(url, str) and url.startswith(("https://", "http://"))
            for url in config["urls"]
        ):
            raise ValueError(f'{config["name"]}: "urls" must be http(s) address patterns')
        if not str(config["endpoint"]).startswith("https://"):
            raise ValueError(f'{config["name"]}: "endpoint" must be an https:// address')
        if not config["frames"] or not all(
            isinstance(host, str) and _HOST.fullmatch(host) for host in config["frames"]
        ):
            raise ValueError(f'{config["name"]}: "frames" must be host names, like flo.uri.sh')
        if config.get("layout", "wide") not in LAYOUTS:
            raise ValueError(f'{config["name"]}: "layout" must be one of {", ".join(LAYOUTS)}')
    return configs


LAYOUTS = ("wide", "tall", "post", "audio", "chart", "document")


@lru_cache(maxsize=8)
def _registry(instances: tuple[str, ...], site_providers: str) -> tuple[Provider, ...]:
    providers = _builtin()
    if mastodon := _mastodon_provider(instances):
        providers.append(mastodon)
    for number, config in enumerate(json.loads(site_providers)):
        providers.append(_site_provider(number, config))
    return tuple(providers)


def registry(instances=None, site_providers=None) -> tuple[Provider, ...]:
    """Every provider: the built-in ones, Mastodon on the site's instances, and the site's own
    oEmbed providers (by default from settings)."""
    if instances is None or site_providers is None:
        from django.conf import settings

        instances = settings.NEWSROOM_EMBED_MASTODON_INSTANCES
        site_providers = settings.NEWSROOM_OEMBED_PROVIDERS
    return _registry(tuple(instances), json.dumps(site_providers))


def frame_sources(instances, site_providers) -> list[str]:
    """The hosts players may come from, as Content-Security-Policy frame-src sources."""
    hosts = {host for p in registry(instances, site_providers) for host in p.frame_hosts}
    return [f"https://{host}" for host in sorted(hosts)]


def _checked(url: str):
    """The address's parts if it is a plain http(s) address, else None."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        return None
    if not _PRINTABLE_ASCII.fullmatch(url) or "\\" in url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or port is not None or "@" in parts.netloc:
        return None
    if not parts.hostname or not _HOST.fullmatch(parts.hostname):
        return None
    return parts


def match(url: str, providers: Iterable[Provider] | None = None) -> Match | None:
    """The provider that plays this address, with its player's address; None for anything
    else (which readers get as a plain link)."""
    return _match(url, registry() if providers is None else tuple(providers))


# A story page names the same few addresses on every view: each is matched once.
@lru_cache(maxsize=4096)
def _match(url: str, providers: tuple[Provider, ...]) -> Match | None:
    parts = _checked(url)
    if parts is None:
        return None
    query = parse_qs(parts.query, keep_blank_values=True)
    for provider in providers:
        if not provider.serves(parts.hostname):
            continue
        frame_src = provider.resolve(parts.hostname, parts.path, query)
        if frame_src is not None:
            return Match(provider, url, parts.hostname, parts.path, frame_src)
    return None


def oembed_request(found: Match) -> str:
    """The address of the provider's oEmbed answer about this address ("" if it has none)."""
    if not found.provider.oembed:
        return ""
    endpoint = found.provider.oembed_endpoint(found.host)
    return f"{endpoint}?{urlencode({'url': found.url, 'format': 'json'})}"

"""Asking a provider about an address (#14): one oEmbed request, bounded every way.

Only endpoints from the registry (embeds/providers.py) are asked, over https, without
following redirects; the answer must arrive within TIMEOUT seconds in all, be JSON and at
most MAX_BYTES long. Whatever goes wrong is an OEmbedError, which callers keep as a failed
answer: readers then get the player if the address alone names it, else a plain link.
"""

import http.client
import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

TIMEOUT = 3.0
MAX_BYTES = 256 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class OEmbedError(Exception):
    pass


@dataclass(frozen=True)
class Answer:
    """What Newsroom keeps of an answer: plain text, numbers, and the html only for the
    provider's own rule to read one player address from (never shown to anyone)."""

    title: str = ""
    author_name: str = ""
    html: str = ""
    width: int | None = None
    height: int | None = None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, "redirects are not followed", headers, fp)


def _opener():
    return urllib.request.build_opener(_NoRedirects())


def _text(value, length: int) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(_CONTROL.sub(" ", value).split())[:length]


def _size(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= 10000 else None


def parse(body: bytes) -> Answer:
    """The fields Newsroom uses from an oEmbed JSON answer."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise OEmbedError(f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise OEmbedError("not a JSON object")
    return Answer(
        title=_text(data.get("title"), 300),
        author_name=_text(data.get("author_name"), 200),
        html=data.get("html") if isinstance(data.get("html"), str) else "",
        width=_size(data.get("width")),
        height=_size(data.get("height")),
    )


def fetch(request_url: str, *, timeout: float = TIMEOUT, opener=None) -> Answer:
    """The provider's answer at `request_url` (an https endpoint from the registry)."""
    if not request_url.startswith("https://"):
        raise OEmbedError("oEmbed endpoints are asked over https only")
    request = urllib.request.Request(
        request_url,
        headers={
            "Accept": "application/json",
            "User-Agent": f"Newsroom oEmbed (+{settings.SITE_URL})",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with (opener or _opener()).open(request, timeout=timeout) as response:
            chunks, size = [], 0
            while chunk := response.read(16384):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise OEmbedError(f"the answer is over {MAX_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise OEmbedError(f"no whole answer within {timeout} s")
                chunks.append(chunk)
    except OEmbedError:
        raise
    except (OSError, ValueError, http.client.HTTPException) as error:
        # URLError, HTTPError, timeouts and refused connections are all OSErrors.
        raise OEmbedError(str(error) or type(error).__name__) from None
    return parse(b"".join(chunks))

"""Looking embedded addresses up (#14): which provider plays one, and what it says about it.

`embed_lookup` is what the story editor asks when a writer embeds an address, and what a
saved story's embeds are refreshed with; nothing here runs while a reader's page is made.
"""

import logging
import time
from dataclasses import dataclass

from django.utils import timezone

from . import oembed
from .models import OEmbedAnswer
from .providers import Match, match, oembed_request

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lookup:
    """An address as the editor shows it: `playable` when readers will get a player."""

    url: str
    found: Match | None
    answer: OEmbedAnswer | None

    @property
    def answered(self) -> bool:
        """Whether the answer kept is a good one about this provider's address."""
        return (
            self.found is not None
            and self.answer is not None
            and self.answer.is_ok
            and self.answer.provider == self.found.provider.key
        )

    @property
    def frame_src(self) -> str:
        if self.found is None:
            return ""
        if self.found.frame_src:
            return self.found.frame_src
        if self.answered:
            # Checked again: the rule may have tightened since the answer was kept.
            return self.found.checked_frame(self.answer.frame_src)
        return ""

    @property
    def playable(self) -> bool:
        return bool(self.frame_src)

    @property
    def title(self) -> str:
        return self.answer.title if self.answered else ""


def _ask(found: Match) -> OEmbedAnswer:
    now = timezone.now()
    fields = {"provider": found.provider.key, "fetched_at": now}
    try:
        answer = oembed.fetch(oembed_request(found))
    except oembed.OEmbedError as error:
        logger.info(
            "oEmbed: %s answered nothing usable for %s: %s", found.provider.name, found.url, error
        )
        fields.update(is_ok=False, error=str(error)[:300])
    else:
        fields.update(
            is_ok=True,
            error="",
            title=answer.title,
            author_name=answer.author_name,
            frame_src=found.frame_from_answer(answer.html)[:2000],
        )
        if found.needs_answer and not fields["frame_src"]:
            fields.update(is_ok=False, error="the answer names no player this site allows")
    kept, _ = OEmbedAnswer.objects.update_or_create(url=found.url, defaults=fields)
    return kept


def embed_lookup(*, url: str, refresh: bool = False) -> Lookup:
    """Who plays `url` and, for a provider with an oEmbed endpoint, its answer: the one kept
    unless it is stale (or `refresh`), else asked now (a few seconds at most)."""
    found = match(url)
    if found is None:
        return Lookup(url, None, None)
    answer = OEmbedAnswer.objects.filter(url=url).first()
    if found.provider.oembed and (refresh or answer is None or answer.is_stale()):
        answer = _ask(found)
    return Lookup(url, found, answer)


def embeds_refresh(*, urls, budget_seconds: float = 10.0) -> int:
    """Asks about every address of `urls` that has no fresh answer, until `budget_seconds`
    have gone; returns how many were asked. Those left are asked next time."""
    deadline = time.monotonic() + budget_seconds
    kept = OEmbedAnswer.objects.for_urls(set(urls))
    asked = 0
    for url in dict.fromkeys(urls):
        if time.monotonic() > deadline:
            break
        found = match(url)
        if found is None or not found.provider.oembed:
            continue
        if url in kept and not kept[url].is_stale():
            continue
        _ask(found)
        asked += 1
    return asked

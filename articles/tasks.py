"""The stories' background jobs (#15).

Asking oEmbed providers about a saved story's embeds took up to 6 s of the editor's save,
after the commit but inside the request; a worker asks now, and the story's pages are purged
once the answers are in (readers' placeholders become players). The job is retried with
backoff when it fails (newsroom/jobs.py), and idempotent: an address already answered is not
asked again (embeds_refresh), and purging twice costs a page render.
"""

from embeds.services import embeds_refresh
from newsroom.jobs import retried

from . import caching, effects
from .models import Article

# Seconds one run may spend asking providers; what is left is asked at the story's next save.
# The editor asked about each embed when it was put in, so this is for imports and the like.
EMBED_BUDGET_SECONDS = 30.0


@retried(attempts=4, backoff_seconds=30, max_backoff_seconds=600)
def refresh_embeds(story_pk: int, urls: list[str]) -> int:
    """Asks providers about the story's embeds they haven't answered for; purges the story's
    pages when something was asked. Returns how many addresses were asked about."""
    asked = embeds_refresh(urls=urls, budget_seconds=EMBED_BUDGET_SECONDS)
    if asked:
        story = Article.objects.filter(pk=story_pk).first()
        if story is not None:  # Deleted since: its pages are gone with it.
            now = effects.seen(story)
            caching.queue(caching.story_change_keys(story_pk, now, now))
    return asked

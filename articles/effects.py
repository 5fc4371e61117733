"""What follows a story's change once it is committed (#12): one hook, called by the services.

The page cache drops every page that showed the story or lists it (articles/caching.py), and
the search index takes in what the database triggers recorded as changed (articles/search.py),
so that the next reader's search doesn't have to. Both run after the commit: a rolled-back
save changes nothing readers see.

A whole site loaded by import_site is different: `site_imported` builds the search index in
the import's transaction, and the page cache is emptied as a whole after it.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from newsroom.jobs import enqueue_on_commit
from newsroom.lookups import bump_all
from newsroom.pagecache import CACHE_ERRORS
from newsroom.surrogate_keys import story_key

from . import caching, latest, link_times, search, tasks
from .body import embed_addresses
from .models import Article


@dataclass(frozen=True)
class Seen:
    """What readers' pages showed (or would show) of a story."""

    visible: bool
    section_id: int | None
    author_ids: tuple[int, ...]
    tag_ids: tuple[int, ...]


def seen(article: Article, author_ids=None, tag_ids=None) -> Seen:
    """A published (even scheduled) or withdrawn story is seen: its page, or its 410."""
    if author_ids is None:
        author_ids = article.bylines.values_list("author_id", flat=True)
    if tag_ids is None:
        tag_ids = article.tags.values_list("pk", flat=True)
    return Seen(
        visible=article.status in (Article.Status.PUBLISHED, Article.Status.WITHDRAWN),
        section_id=article.section_id,
        author_ids=tuple(author_ids),
        tag_ids=tuple(tag_ids),
    )


def story_changed(pk: int, before: Seen | None, after: Seen | None, body: str = "") -> None:
    """Purges what the change touched and refreshes the search index, after the commit; a job
    asks providers about embeds they haven't answered for yet (#14, #15: articles/tasks.py)."""
    if embeds := embed_addresses(body):
        enqueue_on_commit(tasks.refresh_embeds, pk, list(embeds))
    caching.queue(caching.story_change_keys(pk, before, after))
    search.index_after_commit()


# When the next scheduled changes are due, as the cache knows it (articles/scheduling.py).
DUE_KEY = "articles:staged-changes-due"


def schedule_changed(pk: int) -> None:
    """Changes to a live story were scheduled (or no longer are): the page cache works out
    again how long its pages may live, and the next request asks when changes are due."""
    caching.queue({story_key(pk)})
    transaction.on_commit(_forget_due)


def _forget_due():
    from .scheduling import forget_due  # The scheduler publishes through the services.

    forget_due()
    try:
        cache.delete(DUE_KEY)
    except CACHE_ERRORS:
        pass  # Other app servers ask again within minutes anyway.


def site_imported(using: str) -> None:
    """Rebuilds what is derived from the rows newsroom.siteexport.import_site just loaded,
    inside its transaction."""
    # The page cache is emptied as a whole after the commit; the per-row purges queued by the
    # rows' signals have nothing to add.
    caching.discard_pending()
    # Loaded raw, the rows sent no signals: LatestStory comes with the export, or, from an
    # export made before it, is built here.
    if not latest.LatestStory.objects.using(using).exists():
        latest.rebuild(using)
    # Links from an export made before they carried their story's time get it here (#17).
    link_times.sync(using)
    # Rows loaded without signals: every process reads its lookups again (#17).
    bump_all(using=using)
    search.rebuild(using)

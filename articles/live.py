"""Live blogs (#18): a story whose `live` is set takes timestamped updates (LiveUpdate), shown
newest first under its body, with its key events listed at the top.

Posting an update is one action (the admin's “Post update”, `update_saved`): it is in front of
readers at once, and purges only the live blog's own key (`live-<id>`): its page, its poll and
its feed, never the listings that show the story's card. Readers' open pages ask the poll
(`poll`) every half minute with the ETag they hold; the page cache (and Varnish) answer 304
until an update is posted. static/js/live.js shows “3 new updates” and inserts them; without
JavaScript the page is complete, every update has its `#update-<id>` anchor.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from newsroom.pagecache import last_modified, tag_response
from newsroom.surrogate_keys import author_key, live_key, story_key

from . import caching, effects, signals
from .body import PAGE, body_keys, render_bodies
from .models import Article, LiveUpdate, attach_update_bylines
from .permissions import actor_user
from .services import revision_record

# The newest updates a poll answers with: a page open longer than that many updates is told
# to reload.
POLL_UPDATES = 20


# Writing --------------------------------------------------------------------------------------


def update_saved(update: LiveUpdate, *, by, created: bool) -> None:
    """After an update was saved (posted, or edited): purges the live blog's key once the
    transaction commits, and tells the apps above articles of a new one (webhooks)."""
    article = update.article
    if not article.is_published():
        return  # Nobody sees it yet; publishing the story purges what it must.
    caching.queue({live_key(article.pk)})
    if created:

        def send():
            signals.live_update_posted.send_robust(LiveUpdate, update=update, by=actor_user(by))

        transaction.on_commit(send)


def update_removed(update: LiveUpdate) -> None:
    if update.article.is_published():
        caching.queue({live_key(update.article_id)})


STATE_WORDS = {
    Article.Live.LIVE: "Made a live blog",
    Article.Live.ENDED: "Ended the live coverage",
    Article.Live.NO: "Made a plain story again",
}


def live_state_problem(article: Article, state: str) -> str:
    """Why the story can't be put in this live state now, or ""."""
    if state not in Article.Live.values:
        return "Unknown live blog state."
    if state == article.live:
        return {
            Article.Live.LIVE: "It is already a live blog taking updates.",
            Article.Live.ENDED: "Its coverage has already ended.",
            Article.Live.NO: "It is not a live blog.",
        }[state]
    if state == Article.Live.NO and article.live_updates.exists():
        return "It has live updates: end the coverage instead, or delete its updates first."
    if article.is_held():
        return "Legal holds this story: its live blog can't change until the hold is lifted."
    return ""


def live_state_set(*, article: Article, state: str, by) -> Article:
    """Makes a story a live blog, ends or reopens its coverage, or makes it a plain story
    again (#18). Only the live state changes, at once even on a published story (no staged
    change, and the story's version is kept: an open form of it stays valid). Purges the
    story's page and the listings that show its card ("Live"). Raises ValidationError."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if problem := live_state_problem(article, state):
            raise ValidationError(problem)
        article.live = state
        article._sync_derived_fields()
        Article.objects.filter(pk=article.pk).update(
            live=article.live, live_ended_at=article.live_ended_at
        )
        revision_record(article=article, by=by, comment=STATE_WORDS[state])
        shown = effects.seen(article)
        if shown.visible:
            caching.queue(
                caching.story_change_keys(article.pk, shown, shown) | {live_key(article.pk)}
            )
    return article


# Reading ---------------------------------------------------------------------------------------


def prepare(updates, surface=PAGE) -> list[LiveUpdate]:
    """Updates as pages show them: their bylines (`update.byline`) and their bodies rendered
    (`update.html`), in a fixed number of queries however many there are."""
    updates = list(updates)
    attach_update_bylines(updates)
    rendered = render_bodies(updates, surface)
    for update in updates:
        update.html = rendered[update.pk]
    return updates


def newest_updates(
    article: Article, limit: int | None = None, where: Q | None = None
) -> list[LiveUpdate]:
    """A live blog's updates (those `where` picks), newest first, the newest `limit`; not yet
    ready to show (see `prepare`)."""
    updates = LiveUpdate.objects.filter(where or Q(), article=article.pk)
    updates = updates.order_by("-posted_at", "-pk")
    updates = list(updates[:limit] if limit else updates)
    for update in updates:
        update.article = article  # Their addresses are the story's: no query each.
    return updates


def updates_of(article: Article, limit: int | None = None, surface=PAGE) -> list[LiveUpdate]:
    """A live blog's updates, newest first (the newest `limit`), ready to show."""
    return prepare(newest_updates(article, limit), surface)


def update_keys(article: Article, updates) -> list[str]:
    """The keys of what a live blog's updates show: the blog, their authors, the pictures and
    stories their bodies name."""
    keys = {live_key(article.pk)}
    for update in updates:
        keys.update(author_key(author.pk) for author in update.byline)
        keys.update(body_keys(update))
    return sorted(keys)


def newest_time(updates):
    times = [update.edited_at or update.posted_at for update in updates]
    return max(times, default=None)


def changed_at(article: Article, updates):
    """When what a live blog's page and poll show last changed: its newest update, or the
    end of its coverage when that came later. Their Last-Modified: a reader revalidating with
    If-Modified-Since alone must not be told "not modified" once the coverage ended (#18)."""
    return max((at for at in (newest_time(updates), article.live_ended_at) if at), default=None)


def live_blog_or_404(pk: int) -> Article:
    return get_object_or_404(Article.objects.published().exclude(live=""), pk=pk)


def entry(update: LiveUpdate) -> dict:
    """One update in the poll's answer: what the script needs to place it."""
    return {
        "id": update.pk,
        "version": update.version,
        "posted_at": update.posted_at.isoformat(timespec="seconds"),
        "key_event": update.key_event,
        "title": update.title,
        "html": render_to_string("articles/includes/live_update.html", {"update": update}),
    }


@require_safe
def poll(request, pk: int):
    """The newest updates of a live blog readers can see, as JSON, for its open pages. Cached
    like a page (and by Varnish), purged when an update is posted, edited or removed, so that
    pages polling with their ETag are answered 304 without the app."""
    article = live_blog_or_404(pk)
    updates = updates_of(article, POLL_UPDATES)
    data = {
        "state": article.live,
        "ended_at": article.live_ended_at.isoformat(timespec="seconds")
        if article.live_ended_at
        else None,
        "updates": [entry(update) for update in updates],
        "key_events": render_to_string(
            "articles/includes/live_key_events.html",
            {"key_events": key_events(article)},
        ),
    }
    response = JsonResponse(data)
    last_modified(response, changed_at(article, updates))
    return tag_response(response, [story_key(article.pk), *update_keys(article, updates)])


def key_events(article: Article) -> list[LiveUpdate]:
    events = LiveUpdate.objects.filter(article=article.pk, key_event=True)
    return list(events.only("pk", "title", "posted_at", "article_id").order_by("-posted_at", "-pk"))

"""Who is working on which story, and what they typed that isn't saved yet (#12).

Working copies. While a story form is open, its script sends the form every few seconds when
it changed (and when the tab is hidden or closed) to `autosave`: the copy is the user's own,
one per story (or per new-story form), never public and never a revision. A save that arrives
after the session ended is kept the same way (ArticleAdmin), and the login leads back to the
form with it. Opening the story again offers the copy; saving the story deletes it.

Presence. The form's script beats every HEARTBEAT_SECONDS; someone is "in" a story until
PRESENCE_SECONDS after their last beat, or at once when the tab closes. The form, the desk and
the list of stories say who is where.

Edit locks, with NEWSROOM_EDIT_LOCKS on: the first to open a story holds it while they are in
it; others read it, and an editor can take it over (the holder is told; their typing is kept
as their working copy, and their next save is refused with the reason).
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsroom.pagecache import CACHE_ERRORS

from .models import Article, EditLock, Presence, WorkingCopy
from .permissions import SYSTEM

HEARTBEAT_SECONDS = 15
# Long enough for a tab in the background, whose timers the browser slows to one a minute; a
# closed tab says so and is gone within seconds (leave()).
PRESENCE_SECONDS = 75
AUTOSAVE_SECONDS = 5
# The story form carries who opened it, signed with this salt (and the form's key): a save or
# a background request from it is never taken in anyone else's name.
EDITOR_SALT = "articles.story-form-editor"
EDITOR_TOKEN_AGE = timedelta(days=7)
# Forms already saved: an autosave still on its way when the save landed is dropped.
SAVED_FORM = "articles:saved-form:"


def heartbeat_seconds() -> int:
    return getattr(settings, "NEWSROOM_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)


def autosave_seconds() -> int:
    return getattr(settings, "NEWSROOM_AUTOSAVE_SECONDS", AUTOSAVE_SECONDS)


# Form fields that are the form's controls, not what the user typed.
NOT_TYPED = {"csrfmiddlewaretoken", "_editor", "_save", "_continue"}


def locks_on() -> bool:
    return getattr(settings, "NEWSROOM_EDIT_LOCKS", False)


# --- Working copies -------------------------------------------------------------------------


def typed(post) -> dict[str, list[str]]:
    """A posted form as {name: [values]}, without its controls and buttons."""
    return {
        name: post.getlist(name)
        for name in post
        if name not in NOT_TYPED and not (name.startswith("_") and name[1:].isidentifier())
    }


def working_copy_keep(
    *, user, article: Article | None, key, data: dict, reason=WorkingCopy.Reason.AUTOSAVE
) -> WorkingCopy:
    """Keeps what the user typed in the form `key` (of `article`, or of a new story)."""
    headline = (data.get("headline") or [""])[0][:200]
    base = (data.get("expected_version") or [""])[0]
    lookup = {"user": user, "article": article} if article else {"user": user, "key": key}
    kept = WorkingCopy.objects.filter(**lookup).values_list("data", "key").first()
    # What the form doesn't hold but the copy does (the user's own version of a part both
    # editors changed: conflicts.merged) stays until the story is saved; only for the same
    # form: a form opened afresh since holds nothing to merge (#16).
    if kept is not None and str(kept[1]) == str(key):
        data = {**{k: v for k, v in kept[0].items() if k.startswith("_")}, **data}
    values = {
        "data": data,
        "headline": headline,
        "base_version": int(base) if re.fullmatch(r"[0-9]{1,9}", base) else None,
        "reason": reason,
        "saved_at": timezone.now(),
        "key": key,
    }
    for _ in range(2):  # Two beats of the same form at once: the second updates.
        try:
            with transaction.atomic():
                copy, _ = WorkingCopy.objects.update_or_create(**lookup, defaults=values)
            return copy
        except IntegrityError:
            continue
    raise IntegrityError("The working copy could not be kept.")


def working_copy_of(user, *, article: Article | None = None, key=None) -> WorkingCopy | None:
    copies = WorkingCopy.objects.filter(user=user)
    if key is not None:
        return copies.filter(key=key).first()
    return copies.filter(article=article).first() if article else None


def form_saved(key) -> None:
    """The form `key` was saved: its copy is done with, and so is an autosave still coming."""
    if not key:
        return
    try:
        cache.set(f"{SAVED_FORM}{key}", 1, timeout=3600)
    except CACHE_ERRORS:
        pass  # At worst an autosave that was on its way keeps a copy the desk then offers.


def was_saved(key) -> bool:
    try:
        return bool(cache.get(f"{SAVED_FORM}{key}"))
    except CACHE_ERRORS:
        return False


def working_copy_forget(user, *, article: Article | None = None, key=None) -> None:
    """The story was saved (or the copy discarded): nothing of it is waiting any more."""
    if user is None or user is SYSTEM:
        return
    copies = WorkingCopy.objects.filter(user=user)
    if article is not None and article.pk:
        copies.filter(article=article).delete()
    if key:
        copies.filter(key=key).delete()


def unsaved_work(user):
    """The user's working copies, newest first, with their stories."""
    return WorkingCopy.objects.filter(user=user).select_related("article")


# --- Presence -------------------------------------------------------------------------------


def _alive_since():
    return timezone.now() - timedelta(seconds=PRESENCE_SECONDS)


def alive():
    return Presence.objects.filter(seen_at__gte=_alive_since())


def beat(*, user, article: Article) -> Presence:
    """The user has the story open now."""
    now = timezone.now()
    for _ in range(2):
        try:
            with transaction.atomic():
                presence, created = Presence.objects.get_or_create(
                    user=user, article=article, defaults={"since": now, "seen_at": now}
                )
                if not created:
                    if presence.seen_at < now - timedelta(seconds=PRESENCE_SECONDS):
                        presence.since = now  # Back after a while: a new visit.
                    presence.seen_at = now
                    presence.save(update_fields=["since", "seen_at"])
            return presence
        except IntegrityError:
            continue
    raise IntegrityError("The presence could not be recorded.")


def leave(*, user, article: Article) -> None:
    """The tab with the story closed, or went to another page: gone in a few seconds, unless
    the next page beats first (a save reloads the same story; the "left" of the page before
    may arrive after it)."""
    grace = timedelta(seconds=heartbeat_seconds() + 5)
    gone_at = timezone.now() - timedelta(seconds=PRESENCE_SECONDS) + grace
    Presence.objects.filter(user=user, article=article, seen_at__gt=gone_at).update(seen_at=gone_at)


def others_in(article: Article, user) -> list[Presence]:
    """Everyone else with the story open now, who came first first."""
    return list(
        alive().filter(article=article).exclude(user=user).select_related("user").order_by("since")
    )


def people_in(article_ids) -> dict[int, list[Presence]]:
    """Who has each of these stories open now: one query for any number of stories."""
    found: dict[int, list[Presence]] = {}
    rows = alive().filter(article_id__in=list(article_ids)).select_related("user")
    for presence in rows.order_by("since"):
        found.setdefault(presence.article_id, []).append(presence)
    return found


def name_of(user) -> str:
    return user.get_full_name() or user.get_username()


# --- Edit locks -----------------------------------------------------------------------------


def holder(article: Article) -> EditLock | None:
    """The lock on the story while its holder is still in it; None when free or locks are off."""
    if not locks_on() or article.pk is None:
        return None
    lock = EditLock.objects.select_related("user", "taken_from").filter(article=article).first()
    if lock is None:
        return None
    if not alive().filter(article=article, user=lock.user).exists():
        return None  # They left: the story is free.
    return lock


def hold(*, user, article: Article) -> EditLock | None:
    """Gives the story to the user if nobody present holds it; returns the lock as it is."""
    if not locks_on():
        return None
    current = holder(article)
    if current is not None:
        return current
    lock, _ = EditLock.objects.update_or_create(
        article=article, defaults={"user": user, "since": timezone.now(), "taken_from": None}
    )
    return lock


def take_over(*, user, article: Article) -> EditLock:
    """An editor takes the story from whoever holds it; they are told on their next beat."""
    current = holder(article)
    lock, _ = EditLock.objects.update_or_create(
        article=article,
        defaults={
            "user": user,
            "since": timezone.now(),
            "taken_from": current.user if current and current.user != user else None,
        },
    )
    return lock


def held_by_other(article: Article, user) -> EditLock | None:
    """The lock, if someone other than the user holds the story now."""
    if user is SYSTEM:
        return None
    lock = holder(article)
    return lock if lock is not None and lock.user_id != user.pk else None

"""Notes and notifications are written here (#15): one function per action, as in articles.

`notify()` is the one way to tell people something: it never tells the person who acted, tells
each person once, and hands the emails to the job queue after the commit, so that a slow or
failing mail server never holds up or breaks the request that caused them.
"""

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, other_owners
from articles.permissions import PUBLISH_PERMISSION, can_view
from newsroom.jobs import enqueue_on_commit
from newsroom.messages import one_full_stop

from .models import EmailPreferences, Note, Notification

User = get_user_model()
Kind = Notification.Kind
NOTE_MAX_LENGTH = Note._meta.get_field("text").max_length
# Permissions are read from the groups and the users' own (Django's ModelBackend): the axes
# backend in front of it answers none.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
# "@rita", "@r.okafor", "@ana-lucia": a username as Django allows it, after a space or the
# start; an e-mail address (someone@example.com) is no mention.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]*[\w+-])")


def person(user) -> str:
    if user is None:
        return "The newsroom"
    return user.get_full_name() or user.get_username()


# --- Who is told -----------------------------------------------------------------------------


def colleagues():
    """Active staff who may edit stories: the people a note can mention."""
    return User.objects.with_perm("articles.change_article", backend=PERMISSION_BACKEND).filter(
        is_staff=True
    )


def editors():
    """Everyone with the publish permission: a story submitted for review is theirs to read."""
    return User.objects.with_perm(PUBLISH_PERMISSION, backend=PERMISSION_BACKEND).filter(
        is_staff=True
    )


def reporters_of(article: Article):
    """Whoever started the story, the people in its byline who have an account, and those
    another app makes it theirs (a planned story's assignees, #15)."""
    owners = Q(pk=article.created_by_id) | Q(author_profile__bylines__article=article)
    for users in other_owners(article):
        owners |= Q(pk__in=users)
    return User.objects.filter(owners, is_active=True).distinct()


def mentionable(article: Article):
    """The colleagues a note on this story can tell: those who may edit stories and may open
    this one (every editor, and its own reporters). Nobody else learns of it through a note."""
    return colleagues().filter(
        Q(pk__in=editors().values("pk")) | Q(pk__in=reporters_of(article).values("pk"))
    )


def mentioned_in(text: str, article: Article):
    """The colleagues a note on the story names with @username; an unknown name (or someone
    who may not open the story) is only text."""
    names = {match.group(1) for match in MENTION.finditer(text)}
    if not names:
        return User.objects.none()
    return mentionable(article).filter(username__in=names)


# --- Telling ------------------------------------------------------------------------------------


def notify(
    *,
    kind: str,
    recipients: Iterable,
    article: Article | None,
    actor,
    text: str,
    key: str = "",
) -> list[Notification]:
    """Tells each recipient once, in the admin and (if they chose this kind) by email. The
    actor is never told of their own action; inactive accounts are told nothing. With a
    `key`, a recipient already told of it is not told again (a job run twice)."""
    text = one_full_stop(text)
    actor_pk = getattr(actor, "pk", None)
    seen, people = set(), []
    for user in recipients:
        if user.pk in seen or user.pk == actor_pk or not user.is_active:
            continue
        seen.add(user.pk)
        people.append(user)
    if key and people:
        told = Notification.objects.filter(
            kind=kind, article=article, key=key, recipient__in=people
        ).values_list("recipient_id", flat=True)
        told = set(told)
        people = [user for user in people if user.pk not in told]
    if not people:
        return []
    made = []
    with transaction.atomic():
        for user in people:
            notification = Notification(
                recipient=user,
                kind=kind,
                article=article,
                actor=actor if actor_pk else None,
                text=text[:500],
                key=key,
            )
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:
                continue  # Told meanwhile by the same job running elsewhere.
            made.append(notification)
    _email(made)
    return made


def email_kinds(users) -> dict[int, set[str]]:
    """Each user's kinds that arrive by email (one query)."""
    chosen = dict(EmailPreferences.objects.filter(user__in=users).values_list("user_id", "kinds"))
    default = set(EmailPreferences.default_kinds())
    return {user.pk: set(chosen[user.pk]) if user.pk in chosen else default for user in users}


def _email(notifications: list[Notification]) -> None:
    from .tasks import send_notification_email

    users = [n.recipient for n in notifications if n.recipient.email]
    if not users:
        return
    kinds = email_kinds(users)
    for notification in notifications:
        if notification.recipient.email and notification.kind in kinds[notification.recipient_id]:
            enqueue_on_commit(send_notification_email, notification.pk)


def story_words(article: Article) -> str:
    return f"“{article.headline or 'Untitled story'}”"


# --- Notes -------------------------------------------------------------------------------------


@transaction.atomic
def note_add(*, article: Article, by, text: str, check: bool = True) -> Note:
    """Adds a note to the story's thread and tells the colleagues it mentions. `check=False`
    is for the newsroom's own notes (a reason given on the way, already checked)."""
    if check and not can_view(by, article):
        raise PermissionDenied("You can't see this story.")
    text = text.strip()
    if not text:
        raise ValidationError("Write the note first.")
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            f"A note holds at most {NOTE_MAX_LENGTH} characters; this one has {len(text)}."
        )
    author = by if getattr(by, "pk", None) else None
    note = Note.objects.create(article=article, author=author, text=text)
    mentioned = list(mentioned_in(text, article))
    if mentioned:
        note.mentions.set(mentioned)
        notify(
            kind=Kind.MENTIONED,
            recipients=mentioned,
            article=article,
            actor=author,
            text=f"{person(author)} mentioned you in a note on {story_words(article)}.",
        )
    return note


def notes_of(article: Article):
    return article.notes.select_related("author").prefetch_related("mentions")


# --- Reading ----------------------------------------------------------------------------------


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_in(request) -> int:
    """The user's unread count, asked once a request (one indexed COUNT): the header on every
    admin page, the desk and the list all show it."""
    if not hasattr(request, "newsroom_unread"):
        request.newsroom_unread = unread_count(request.user)
    return request.newsroom_unread


def mark_read(*, user, pk: int | None = None) -> int:
    """Marks one of the user's notifications (or all, with no pk) as read; returns how many."""
    mine = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        mine = mine.filter(pk=pk)
    return mine.update(read_at=timezone.now())

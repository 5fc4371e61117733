"""Everything that changes a story's state goes through these functions (#2, #3).

The admin (form buttons and list actions), the import command and the demo loader all call
them, so the rules live in one place. Each one checks the permission, validates, saves in one
transaction, and records who did it: a revision of the whole story and an entry in the admin's
action log. `by=None` means the system itself acting from the command line.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from authors.models import Author

from .models import (
    Article,
    ArticleAuthor,
    ArticleRevision,
    Correction,
    FrontPageSlot,
    PreviewLink,
    Section,
    slug_for,
)
from .permissions import can_delete, can_edit, is_editor
from .text import paragraphs_to_html

User = AbstractBaseUser | None
PREVIEW_LINK_LIFETIME = timedelta(hours=48)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_editor(by: User) -> None:
    _require(is_editor(by), "Only editors can publish, schedule, withdraw or correct stories.")


def publish_problems(article: Article) -> list[str]:
    """What stops the story from going to review or being published, in an editor's words."""
    problems = []
    if not article.headline.strip():
        problems.append("Write a headline.")
    if not article.body.strip():
        problems.append("Write the story: the body is empty.")
    if not article.pk or not article.bylines.exists():
        problems.append("Add at least one author to the byline.")
    if article.lead_image and article.lead_image.needs_alt_text():
        problems.append(
            "Describe the lead image in its alt text, or mark it decorative if it adds nothing."
        )
    return problems


def snapshot(article: Article) -> dict:
    """The whole story as plain data: text, byline order, tags and publishing state."""
    bylines = article.bylines.select_related("author").order_by("position", "pk")
    return {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "authors": [{"id": b.author_id, "name": b.author.name} for b in bylines],
        "tags": sorted(article.tags.names(), key=str.casefold),
    }


def revision_record(*, article: Article, by: User, comment: str) -> ArticleRevision:
    """Adds a revision with the story as it is now in the database."""
    return ArticleRevision.objects.create(
        article=article, created_by=by, comment=comment[:255], snapshot=snapshot(article)
    )


def _record(article: Article, by: User, message: str) -> None:
    revision_record(article=article, by=by, comment=message)
    if by is not None:
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[article],
            action_flag=CHANGE,
            change_message=message,
            single_object=True,
        )


def _save(article: Article, by: User, message: str) -> Article:
    article.full_clean()
    if by is not None:
        article.updated_by = by
    article.save()
    _record(article, by, message)
    return article


def _change_state(article: Article, by: User, message: str, **fields) -> Article:
    """Sets the fields, validates and saves; on a validation error the instance is unchanged."""
    before = {name: getattr(article, name) for name in [*fields, "publication_date"]}
    for name, value in fields.items():
        setattr(article, name, value)
    try:
        return _save(article, by, message)
    except ValidationError:
        for name, value in before.items():
            setattr(article, name, value)
        raise


def _require_publishable(article: Article) -> None:
    problems = publish_problems(article)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def article_submit(*, article: Article, by: User) -> Article:
    """A reporter hands a draft to the editors."""
    _require(can_edit(by, article), "You can only submit your own stories.")
    if article.status != Article.Status.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    _require_publishable(article)
    return _change_state(article, by, "Submitted for review", status=Article.Status.REVIEW)


@transaction.atomic
def article_publish(*, article: Article, by: User, at: datetime | None = None) -> Article:
    """Makes the story public now (or at `at`). A story that was live before keeps its time,
    so its address stays the same."""
    _require_editor(by)
    _require_publishable(article)
    now = timezone.now()
    if at is None:
        at = article.published_at if article.published_at and article.published_at <= now else now
    message = "Published" if at <= now else f"Scheduled for {local_time(at)}"
    return _change_state(article, by, message, status=Article.Status.PUBLISHED, published_at=at)


@transaction.atomic
def article_schedule(*, article: Article, by: User, at: datetime) -> Article:
    """Publishes the story at a future minute; it goes live by itself, with no job to run."""
    _require_editor(by)
    if article.is_published():
        raise ValidationError("The story is already live: withdraw it first to schedule it.")
    if at <= timezone.now():
        raise ValidationError("Choose a time in the future, or publish the story now.")
    return article_publish(article=article, by=by, at=at)


@transaction.atomic
def article_withdraw(*, article: Article, by: User) -> Article:
    """Takes a published story down: its address answers 410 Gone and it leaves every list."""
    _require_editor(by)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError("Only a published story can be withdrawn.")
    return _change_state(article, by, "Withdrawn", status=Article.Status.WITHDRAWN)


@transaction.atomic
def article_return_to_draft(*, article: Article, by: User) -> Article:
    """Back to draft from review, a schedule or a withdrawal (a live story is withdrawn)."""
    if article.status == Article.Status.REVIEW:
        _require(can_edit(by, article), "You can only change your own stories.")
    else:
        _require_editor(by)
    if article.is_published():
        raise ValidationError("A live story can't go back to draft: withdraw it instead.")
    if article.status == Article.Status.DRAFT:
        raise ValidationError("The story is already a draft.")
    return _change_state(article, by, "Returned to draft", status=Article.Status.DRAFT)


@transaction.atomic
def article_correct(*, article: Article, by: User, kind: str, text: str) -> Correction:
    """Appends a correction, clarification or update note; readers see a new "Updated" time."""
    _require_editor(by)
    if not article.is_published():
        raise ValidationError("Corrections are added to live stories.")
    text = text.strip()
    if not text:
        raise ValidationError("Write the text of the correction.")
    correction = Correction(article=article, kind=kind, text=text, created_by=by)
    correction.full_clean()
    correction.save()
    article.revised_at = correction.created_at
    kind = correction.get_kind_display().lower()
    _save(article, by, f"Added {'an' if kind[0] in 'aeiou' else 'a'} {kind}")
    return correction


@transaction.atomic
def article_restore(*, article: Article, revision: ArticleRevision, by: User) -> Article:
    """Brings back the text, byline and tags of an earlier revision, as a new revision.

    The publishing state (status and time) stays as it is now.
    """
    _require(can_edit(by, article), "You can't change this story.")
    if revision.article_id != article.pk:
        raise ValidationError("That revision belongs to another story.")
    data = revision.snapshot
    for name in ("headline", "slug", "standfirst", "body"):
        setattr(article, name, data[name])
    article.full_clean()
    if by is not None:
        article.updated_by = by
    article.save()
    authors = Author.objects.in_bulk([entry["id"] for entry in data["authors"]])
    article.bylines.all().delete()
    for position, entry in enumerate(e for e in data["authors"] if e["id"] in authors):
        ArticleAuthor.objects.create(
            article=article, author=authors[entry["id"]], position=position
        )
    article.tags.set(data["tags"])
    _record(article, by, f"Restored the revision of {local_time(revision.created_at)}")
    return article


@transaction.atomic
def article_trash(*, article: Article, by: User) -> Article:
    """Moves the story to the trash: it leaves every public page and the list of stories,
    and keeps everything (text, revisions, corrections) until the trash is emptied.

    Its front page slots are freed, so the front page falls back to the latest stories.
    """
    _require(can_delete(by, article), "You can't delete this story.")
    if article.trashed_at is not None:
        raise ValidationError("The story is already in the trash.")
    FrontPageSlot.objects.filter(article=article).delete()
    article.trashed_at, article.trashed_by = timezone.now(), by
    article.save(update_fields=["trashed_at", "trashed_by", "updated_at"])
    _record(article, by, "Moved to the trash")
    return article


@transaction.atomic
def article_untrash(*, article: Article, by: User) -> Article:
    """Takes the story out of the trash in the state it was in: a live story is live again."""
    _require(can_delete(by, article), "You can't restore this story.")
    if article.trashed_at is None:
        raise ValidationError("The story is not in the trash.")
    article.trashed_at, article.trashed_by = None, None
    article.save(update_fields=["trashed_at", "trashed_by", "updated_at"])
    _record(article, by, "Restored from the trash")
    return article


@transaction.atomic
def preview_link_create(*, article: Article, by: User) -> PreviewLink:
    _require(can_edit(by, article), "You can't share this story.")
    now = timezone.now()
    link = PreviewLink.objects.create(
        article=article, created_by=by, created_at=now, expires_at=now + PREVIEW_LINK_LIFETIME
    )
    _record(article, by, "Shared a preview link")
    return link


@transaction.atomic
def preview_link_revoke(*, link: PreviewLink, by: User) -> PreviewLink:
    _require(can_edit(by, link.article), "You can't change this story.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        _record(link.article, by, "Revoked a preview link")
    return link


def local_time(value: datetime) -> str:
    """A time as editors read it, in the newsroom's zone: "27 Nov 2026, 14:00 (Europe/London)"."""
    zone = timezone.get_default_timezone()
    return f"{date_format(timezone.localtime(value, zone), 'j M Y, H:i')} ({zone.key})"


def _free_slug(headline: str, at: datetime) -> str:
    """A slug from the headline that no story published on that date uses yet."""
    day = timezone.localdate(at, timezone.get_default_timezone())
    base = slug_for(headline)
    slug, n = base, 2
    while Article.objects.filter(publication_date=day, slug=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: 200 - len(suffix)].rstrip("-") + suffix, n + 1
    return slug


@transaction.atomic
def article_create(
    *,
    headline: str,
    paragraphs: Sequence[str],
    authors: Sequence[Author],
    by: User,
    standfirst: str = "",
    section: Section | None = None,
    tags: Sequence[str] = (),
    publish: bool = False,
    published_at: datetime | None = None,
) -> Article:
    """Creates a story from plain paragraphs, with its byline in the given order."""
    if publish:
        _require_editor(by)
    at = published_at or timezone.now()
    article = Article(
        headline=headline,
        slug=_free_slug(headline, at),
        standfirst=standfirst,
        section=section,
        body=paragraphs_to_html(paragraphs),
        created_by=by,
        updated_by=by,
    )
    article.full_clean()
    article.save()
    for position, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.set(list(tags))
    _record(article, by, "Created")
    if publish:
        article_publish(article=article, by=by, at=at)
    return article

"""Everything that changes a story goes through these functions (#2, #3, #12).

One call per user action. `article_save()` is the whole of it: it checks who acts and whether
the form was opened on the latest version, validates once, saves once, writes one revision and
one entry in the admin's action log with an honest change message, and leaves one hook to run
after the commit (articles/effects.py: the page cache and the search index). Which state
changes exist, and who may make them, is read from workflow.py.

The admin's form, its list actions, the importer, the demo loader and scheduled changes all
come here. Who acts is always said: a user, or `SYSTEM` for the newsroom itself.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from authors.models import Author
from images.models import Image
from newsroom import timezones

from . import editing, effects, latest, signals, snapshots, workflow
from .body import body_picture_ids
from .models import (
    Article,
    ArticleAuthor,
    ArticleRedirect,
    ArticleRevision,
    Correction,
    FrontPageSlot,
    PreviewLink,
    Section,
    StagedChange,
    Tag,
    slug_for,
)
from .permissions import (
    SYSTEM,
    actor_user,
    can_add,
    can_delete,
    can_edit,
    is_editor,
    is_legal,
)
from .text import html_to_plain, paragraphs_to_html, sanitize_html
from .workflow import State

logger = logging.getLogger(__name__)

PREVIEW_LINK_LIFETIME = timedelta(hours=48)
# The parts of a story an editor types or picks; the byline and tags are passed on their own.
# The embargo (#15) is set in the same form, on a story not live yet.
EDITABLE = (*snapshots.TEXT_PARTS, "lead_image", "section", "embargo_until")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _not_yours(by, transition) -> str:
    """Why the user may not make this transition, in their words."""
    if transition.roles == workflow.EDITORS:
        return "Only editors can publish, schedule, withdraw or correct stories."
    if workflow.role_of(by) == workflow.EDITOR:
        # A story in review goes back to its reporter with a note (#15).
        return "Send the story back to its reporter instead, saying why."
    return "You can only change your own stories."


def _require_actor(by) -> None:
    if by is None:
        raise TypeError("Say who acts: a user, or SYSTEM for the newsroom itself.")


def local_time(value: datetime) -> str:
    """A time as editors read it, in the newsroom's zone with its name: "27 Nov 2026, 14:00
    GMT" (#15: newsroom/timezones.py)."""
    return timezones.local_time(value)


def short_time(value: datetime | None):
    """A time in a list, in the newsroom's zone: "2 Dec, 13:28 GMT" this year, "2 Dec 2025"
    before; the whole time in its tooltip. "—" for none."""
    if value is None:
        return "—"
    zone = timezone.get_default_timezone()
    local = timezone.localtime(value, zone)
    this_year = local.year == timezone.localtime().year
    # Non-breaking spaces keep "3 Dec" and "14:00 GMT" whole in a narrow column.
    shown = date_format(local, "j\xa0M, H:i\xa0T" if this_year else "j\xa0M\xa0Y")
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(timespec="seconds"),
        local_time(value),
        shown,
    )


def person(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


# --- Why a story can't move on yet ----------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    reason: str  # "the body is empty": after "not published because"
    fix: str  # "Write the story."
    field: str = ""  # The story form's field the fix is made in, if one ("publish_at").


def story_problems(
    article: Article, authors: Sequence[Author], *, going_live: bool = True
) -> list[Problem]:
    """What stops the story from going to review or being published (`going_live`: published,
    scheduled, or its changes published, which review doesn't need)."""
    problems = []
    if not article.headline.strip():
        problems.append(Problem("the headline is empty", "Write a headline."))
    if not html_to_plain(article.body or "").strip():
        problems.append(Problem("the body is empty", "Write the story."))
    if not authors:
        problems.append(
            Problem("the byline has no author", "Add at least one author to the byline.")
        )
    if article.lead_image and article.lead_image.needs_alt_text():
        problems.append(
            Problem(
                "the lead image has no alt text",
                "Describe the lead image in its alt text, or mark it decorative if it adds "
                "nothing.",
            )
        )
    if going_live:
        problems.extend(_picture_problems(article))
    return problems


def _picture_problems(article: Article) -> list[Problem]:
    """Pictures (the lead and the body's) whose renditions don't exist yet (#15): readers
    would get no picture, so the story waits for them. One query."""
    ids = {*body_picture_ids(article.body), article.lead_image_id} - {None}
    if not ids:
        return []
    problems = []
    for image in Image.objects.not_ready().filter(pk__in=ids).order_by("pk"):
        if image.has_failed:
            problems.append(
                Problem(
                    f"the picture “{image}” could not be processed",
                    f"Open the picture “{image}” in the library and save it again to retry, or "
                    "choose another.",
                )
            )
        else:
            problems.append(
                Problem(
                    f"the picture “{image}” is still being processed",
                    f"Publish once the picture “{image}” is ready: its sizes and crops are "
                    "being made, which takes a few seconds.",
                )
            )
    return problems


def publish_problems(article: Article) -> list[str]:
    """What stops a saved story from going to review or being published, as things to do."""
    authors = [b.author for b in article.bylines.select_related("author")] if article.pk else []
    return [problem.fix for problem in story_problems(article, authors)]


def _joined(reasons: Sequence[str]) -> str:
    return reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " and " + reasons[-1]


# The states in which readers see the story, or will by themselves at a minute.
PUBLIC_STATES = frozenset({State.LIVE, State.SCHEDULED})


def release_problems(article: Article, transition, at) -> list[Problem]:
    """What stops the story from going public by this transition (#15): a legal hold, or an
    embargo later than the time it would go live (now, or the time asked for)."""
    if transition.target not in PUBLIC_STATES:
        return []
    problems = []
    if article.is_held():
        problems.append(
            Problem(
                f"Legal holds it ({hold_words(article)})",
                "Only Legal can lift the hold; ask them.",
            )
        )
    embargo = article.embargo_until
    # Changes to a live story aren't embargoed: an embargo is refused on a live story.
    if embargo is not None and transition.name in ("publish", "schedule"):
        when = at if transition.needs_time and at is not None else timezone.now()
        if when < embargo:
            problems.append(
                Problem(
                    f"it is embargoed until {local_time(embargo)}",
                    f"Schedule it for {local_time(embargo)} or later.",
                    field="publish_at",
                )
            )
    return problems


def hold_words(article: Article) -> str:
    """ "“Names a minor”, placed by Ana Legal at 3 Dec 2026, 09:12 GMT" """
    return (
        f"“{article.hold_reason}”, placed by {person(article.held_by)} at "
        f"{local_time(article.held_at)}"
    )


def trash_refusal(article: Article) -> str:
    """Why a held story stays where it is (#15): a hold preserves the story as it is."""
    return (
        f"Legal holds it ({hold_words(article)}): it can't be moved to the trash or deleted "
        "until Legal lifts the hold."
    )


def _check_embargo(story: Article, state: State, embargo, asked) -> None:
    """An embargo is for a story readers haven't seen (#15). On a live story it would take
    back what readers have read, silently: a newsroom withdraws a story that broke an
    embargo (readers are told), then embargoes it and publishes it again at the minute. On a
    scheduled story it may not fall after the time it is scheduled for, unless the same save
    schedules it again (checked by release_problems) or takes it back to draft."""
    if embargo == story.embargo_until:
        return
    if state == State.LIVE:
        raise ValidationError(
            {
                "embargo_until": [
                    "Readers can see this story already: an embargo can't take it back. If it "
                    "broke an embargo, withdraw it, then set the embargo and schedule it again."
                ]
            }
        )
    reschedules = asked is not None and asked.name in ("schedule", "publish", "to_draft")
    if state == State.SCHEDULED and embargo and embargo > story.published_at and not reschedules:
        raise ValidationError(
            {
                "embargo_until": [
                    f"It is scheduled for {local_time(story.published_at)}, before this "
                    f"embargo: set “Schedule for” to {local_time(embargo)} or later and press "
                    "“Save and schedule”, or return it to draft."
                ]
            }
        )


def _time_problem(transition, at) -> str:
    if not transition.needs_time:
        return ""
    if at is None:
        return "no date and time were given"
    if at <= timezone.now():
        return "that time has passed"
    return ""


# --- Addresses --------------------------------------------------------------------------------


def free_slug(base: str, day) -> str:
    """`base`, or `base-2`, `base-3`…: the first that no story published on `day` uses and no
    old address of another story holds."""
    slug, n = base, 2
    while _address_taken(day, slug):
        suffix = f"-{n}"
        slug, n = base[: 200 - len(suffix)].rstrip("-") + suffix, n + 1
    return slug


def _address_taken(day, slug, *, exclude=None) -> bool:
    stories = Article.objects.filter(publication_date=day, slug=slug)
    path = Article(publication_date=day, slug=slug).get_absolute_url()
    redirects = ArticleRedirect.objects.filter(old_path=path)
    if exclude is not None:
        stories, redirects = stories.exclude(pk=exclude), redirects.exclude(article_id=exclude)
    return stories.exists() or redirects.exists()


class AddressTaken(ValidationError):
    """The story's address is another story's, or an old address that leads to another story.
    `free` is a slug that is free on that day."""

    def __init__(self, message, free):
        super().__init__({"slug": [message]})
        self.free = free


def _check_address(article: Article) -> None:
    day, slug = article.publication_date, article.slug
    if day is None:
        return
    when = date_format(day, "j F Y")
    if Article.objects.filter(publication_date=day, slug=slug).exclude(pk=article.pk).exists():
        reason = f"Another story published on {when} already uses the address “{slug}”."
    else:
        path = article.get_absolute_url()
        held = ArticleRedirect.objects.filter(old_path=path).exclude(article_id=article.pk)
        redirect = held.select_related("article").first()
        if redirect is None:
            return
        reason = (
            f"The address {path} still leads readers to “{redirect.article}”, which had it before."
        )
    free = free_slug(slug, day)
    raise AddressTaken(f"{reason} “{free}” is free: it is filled in below.", free)


def _keep_old_address(article: Article, old_address: str | None) -> None:
    """A live story keeps its old address working when its slug or date changes (#3)."""
    new = article.get_absolute_url()
    if old_address and new and old_address != new:
        ArticleRedirect.objects.update_or_create(
            old_path=old_address, defaults={"article": article}
        )
    if new:  # Moving back to an address it had before.
        ArticleRedirect.objects.filter(old_path=new, article=article).delete()


# --- Refusals that stop a save ----------------------------------------------------------------


class Refused(ValidationError):
    """The save is refused as a whole; the form keeps everything typed and says why."""


def last_save(article: Article) -> tuple[str, datetime]:
    """Who saved the story last, of the story or of its unpublished changes (its revision
    says who), and when."""
    last = article.revisions.select_related("created_by").first()
    who, when = (
        (last.created_by, last.created_at) if last else (article.updated_by, article.updated_at)
    )
    return (person(who) if who is not None or last is None else "Newsroom"), when


class StaleSave(Refused):
    """Someone saved the story after this form was opened (at `expected_version`)."""

    def __init__(self, article: Article, expected_version):
        self.article, self.expected_version = article, expected_version
        self.who, when = last_save(article)
        super().__init__(
            f"{self.who} saved this story at {local_time(when)}, after you opened it, so your "
            "changes were not saved.",
            code="conflict",
        )


class HeldByOther(Refused):
    """NEWSROOM_EDIT_LOCKS is on and someone else holds the story."""

    def __init__(self, lock):
        self.lock = lock
        who = person(lock.user)
        super().__init__(
            f"{who} is editing this story (since {local_time(lock.since)}), so your changes "
            f"were not saved: only one person edits it at a time. Your text is kept as your "
            "unsaved work.",
            code="locked",
        )


class TrashedMeanwhile(Refused):
    def __init__(self, article: Article):
        self.article = article
        super().__init__(
            f"{person(article.trashed_by)} moved this story to the trash at "
            f"{local_time(article.trashed_at)}, after you opened it, so your changes were not "
            "saved.",
            code="trashed",
        )


# --- One save per user action -------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A correction, clarification or update note for readers, added to a live story."""

    kind: str
    text: str


@dataclass
class SaveResult:
    """What one save did, for the message the user reads."""

    article: Article
    created: bool = False
    # The parts that changed (snapshots.PARTS keys); for staged changes, against the live story.
    changed: list[str] = field(default_factory=list)
    asked: workflow.Transition | None = None
    made: workflow.Transition | None = None
    # Why the asked transition was not made ("the body is empty"), and what to do about it.
    refused: str = ""
    fixes: list[str] = field(default_factory=list)
    fix_fields: list[str] = field(default_factory=list)  # each fix's form field, or ""
    staged: bool = False  # saved as unpublished changes of a live story
    discarded: bool = False  # the unpublished changes were given up
    saved: bool = False  # anything written at all
    note: Correction | None = None
    revision: ArticleRevision | None = None
    summary: str = ""


def _locked(pk) -> Article:
    """The story's row, locked until the transaction ends, so two saves can't both pass the
    version check."""
    return Article.objects.select_for_update().get(pk=pk)


def _tag_key(name) -> str:
    return " ".join(str(name).split()).casefold()


def _canonical_tags(names: Sequence[str], current: Sequence[str] = ()) -> list[str]:
    """Names as they will be stored: the story's own tags and existing tags keep their
    spelling ("Trams" is the tag "trams"), each once, in the order given."""
    known = {_tag_key(name): name for name in current}
    result, seen = [], set()
    for name in names:
        key, name = _tag_key(name), " ".join(str(name).split())
        if not name or key in seen:
            continue
        seen.add(key)
        if key in known:
            result.append(known[key])
            continue
        existing = Tag.objects.filter(name__iexact=name).order_by("pk").values_list("name")
        result.append(next(iter(existing), (name,))[0])
    return result


def _set_byline(article: Article, authors: Sequence[Author]) -> None:
    current = list(article.bylines.order_by("position", "pk").values_list("author_id", flat=True))
    if current == [a.pk for a in authors]:
        return
    article.bylines.all().delete()
    ArticleAuthor.objects.bulk_create(
        # bulk_create sends no pre_save: the story's time is copied here (#17).
        ArticleAuthor(
            article=article, author=author, position=position, published_at=article.published_at
        )
        for position, author in enumerate(authors)
    )
    # bulk_create sends no post_save: the authors' newest stories are told here (#17).
    latest.bylines_added(article.pk, [author.pk for author in authors])


def _set_tags(article: Article, tags: Sequence[str]) -> None:
    if list(article.tags.names()) != list(tags):
        # Cleared and added again, so that the order typed is the order kept.
        article.tags.set(list(tags), clear=True)


def _saved_phrase(state: State, staged: bool) -> str:
    if staged:
        return "Saved as unpublished changes"
    return {
        State.DRAFT: "Saved as a draft",
        State.REVIEW: "Saved; it is still in review",
        State.SCHEDULED: "Saved; it is still scheduled",
        State.WITHDRAWN: "Saved; it is still withdrawn",
        State.LIVE: "Saved",
    }[state]


def refusal_message(result: SaveResult) -> str:
    """ "Saved as a draft; not submitted because the body is empty." """
    verb = result.asked.verb
    if not result.saved:
        return f"Not {verb} because {result.refused}."
    state = workflow.state_of(result.article)
    return f"{_saved_phrase(state, result.staged)}; not {verb} because {result.refused}."


def _log(article: Article, by, message: str, *, added: bool = False) -> None:
    if by is SYSTEM:
        return  # The revision says "Newsroom"; the admin log is for people's actions.
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[article],
        action_flag=ADDITION if added else CHANGE,
        change_message=message[:2000],
        single_object=True,
    )


def _revision(article, by, comment, snap, kind=ArticleRevision.Kind.SAVED) -> ArticleRevision:
    return ArticleRevision.objects.create(
        article=article,
        created_by=actor_user(by),
        comment=comment[:255],
        snapshot=snap,
        kind=kind,
        version=article.version,
    )


def revision_record(*, article: Article, by, comment: str) -> ArticleRevision:
    """Adds a revision with the story as it is now in the database (imports, tests)."""
    _require_actor(by)
    return _revision(article, by, comment, snapshots.snapshot(article))


def _summary(*parts: str) -> str:
    text = "; ".join(part for part in parts if part)
    return text[:1].upper() + text[1:]


@transaction.atomic
def article_save(
    *,
    article: Article | None,
    by,
    changes: dict | None = None,
    authors: Sequence[Author] | None = None,
    tags: Sequence[str] | None = None,
    transition: str = "",
    at: datetime | None = None,
    reason: str = "",
    note: Note | None = None,
    significant: bool = False,
    expected_version: int | None = None,
    stage: bool = False,
    comment: str = "",
    respect_lock: bool = True,
) -> SaveResult:
    """Saves what one user action asked for, in one transaction.

    `article` is the story (None, or an unsaved instance, for a new one); `changes` maps
    EDITABLE fields to their new values; `authors` (in byline order) and `tags` (in order)
    replace the byline and tags when given. `transition` names a row of workflow.TRANSITIONS,
    made with `at` (a time) and `reason` where it needs them. On a live story, `stage` keeps
    the changes unpublished (StagedChange) and readers keep the published version. Scheduled
    publishing passes `respect_lock=False`: an edit lock holds people's typing, not a time.

    A transition the story isn't ready for is not made, but the text is still saved, and the
    result says why (`refusal_message`). A save that changes nothing writes nothing.
    Raises PermissionDenied, StaleSave or TrashedMeanwhile (nothing saved), AddressTaken or
    another ValidationError (nothing saved).
    """
    _require_actor(by)
    changes = dict(changes or {})
    if unknown := set(changes) - set(EDITABLE):
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    creating = article is None or article.pk is None
    if creating:
        _require(can_add(by), "You can't add stories.")
        story = article if article is not None else Article()
        story.created_by = actor_user(by)
        before = before_seen = old_address = staged = None
    else:
        story = _locked(article.pk)
        if story.trashed_at is not None:
            raise TrashedMeanwhile(story)
        if expected_version is not None and expected_version != story.version:
            raise StaleSave(story, expected_version)
        _require(can_edit(by, story), "You can't change this story.")
        if respect_lock and (lock := editing.held_by_other(story, by)):
            raise HeldByOther(lock)
        before = snapshots.snapshot(story)
        before_seen = effects.seen(
            story, [a["id"] for a in before["authors"]], story.tags.values_list("pk", flat=True)
        )
        old_address = story.live_address()
        staged = StagedChange.objects.filter(article=story).first()
    state = workflow.state_of(story)

    asked = None
    if transition:
        asked = workflow.find(transition, state)
        if asked is None:
            name = workflow.first(transition).verb
            raise ValidationError(f"A story that is {state} can't be {name}.")
        _require(workflow.may(by, asked, story), _not_yours(by, asked))
        if asked.needs_reason and not reason.strip():
            raise ValidationError(asked.reason_missing)
    if "embargo_until" in changes:
        _check_embargo(story, state, changes["embargo_until"], asked)

    for name, value in changes.items():
        setattr(story, name, value)
    story.body = sanitize_html(story.body or "")
    story._sync_derived_fields()
    authors = list(authors) if authors is not None else None
    if authors is None:
        authors = [b.author for b in story.bylines.select_related("author")] if story.pk else []
    current_tags = list(story.tags.names()) if story.pk else []
    tags = current_tags if tags is None else _canonical_tags(tags, current_tags)
    result = SaveResult(article=story, created=creating, asked=asked)

    if asked is not None:
        going_live = asked.target in (State.LIVE, State.SCHEDULED)
        problems = (
            story_problems(story, authors, going_live=going_live) if asked.checks_story else []
        )
        if when := _time_problem(asked, at):
            problems.append(
                Problem(
                    when,
                    "Choose a time in the future, or publish the story now.",
                    field="publish_at",
                )
            )
        problems += release_problems(story, asked, at)
        result.refused = _joined([p.reason for p in problems]) if problems else ""
        result.fixes = [p.fix for p in problems]
        result.fix_fields = [p.field for p in problems]

    staging = state == State.LIVE and (
        stage
        or (asked is not None and asked.name == "schedule_changes")
        or (asked is not None and asked.name == "publish_changes" and result.refused)
    )
    save = _Save(
        story=story,
        by=by,
        before=before,
        before_seen=before_seen,
        old_address=old_address,
        staged=staged,
        authors=authors,
        tags=tags,
        at=at,
        reason=reason,
        note=note if note and note.text.strip() else None,
        significant=significant,
        comment=comment,
        result=result,
    )
    if staging:
        _stage(save)
        story.refresh_from_db()  # What readers see: the changes are not the story's yet.
        return result
    _write(save)
    return result


@dataclass
class _Save:
    """One save as article_save() worked it out: the story (with the changes set on it, not
    written yet), what it was, and what was asked."""

    story: Article
    by: object
    before: dict | None  # the story as it was (None for a new one)
    before_seen: effects.Seen | None
    old_address: str | None
    staged: StagedChange | None
    authors: list
    tags: list
    at: datetime | None
    reason: str
    note: Note | None
    significant: bool
    comment: str
    result: SaveResult


def _apply(transition, story: Article, at) -> None:
    """Sets the state the transition leads to."""
    now = timezone.now()
    if transition.target == State.REVIEW:
        story.status = Article.Status.REVIEW
    elif transition.target == State.DRAFT:
        story.status = Article.Status.DRAFT
    elif transition.target == State.WITHDRAWN:
        story.status = Article.Status.WITHDRAWN
    elif transition.target == State.SCHEDULED:
        story.status, story.published_at = Article.Status.PUBLISHED, at
    elif transition.name == "publish":
        # A story that was live before keeps its time, so its address stays the same.
        if at is None:
            was = story.published_at
            at = was if was and was <= now else now
        story.status, story.published_at = Article.Status.PUBLISHED, at
    story._sync_derived_fields()


def _write(save: _Save) -> None:
    """Writes the story itself: readers see the result (if it is live)."""
    story, by, result, staged = save.story, save.by, save.result, save.staged
    asked = result.asked
    made = asked if asked is not None and not result.refused else None
    if made is not None:
        _apply(made, story, save.at)
    live_after = story.is_published()
    significant = save.significant and live_after
    note = save.note if live_after else None
    proposed = snapshots.snapshot(story, authors=save.authors, tags=save.tags)
    before = save.before
    changed = snapshots.changed_parts(before, proposed)
    moved = before is not None and any(before[k] != proposed[k] for k in snapshots.STATE_KEYS)
    clears_staged = staged is not None and made is not None and made.name == "publish_changes"
    # Publishing changes that aren't there changes nothing; every other transition does.
    moves_on = made is not None and made.name != "publish_changes"
    if not (result.created or changed or moved or note or significant or moves_on or clears_staged):
        return  # Nothing to write.

    _check_address(story)
    now = timezone.now()
    if significant or note:
        story.revised_at = now
    story.updated_by = actor_user(by)
    story.full_clean()
    try:
        with transaction.atomic():
            story.save()
    except IntegrityError:
        # Another save took the address between the check and the write (two editors
        # publishing stories with the same slug at once).
        _check_address(story)
        raise
    _set_byline(story, save.authors)
    _set_tags(story, save.tags)
    if note:
        result.note = Correction.objects.create(
            article=story,
            kind=note.kind,
            text=note.text.strip(),
            created_by=actor_user(by),
            created_at=now,  # The "Updated" time readers see is the note's.
        )
    if made is not None and made.name == "withdraw":
        Correction.objects.create(
            article=story,
            kind=Correction.Kind.WITHDRAWAL,
            text=save.reason.strip(),
            created_by=actor_user(by),
            created_at=now,
        )
    _keep_old_address(story, save.old_address)
    if staged is not None and (clears_staged or (made is not None and not live_after)):
        if staged.publish_at:
            effects.schedule_changed(story.pk)
        staged.delete()
        result.discarded = made is not None and made.name != "publish_changes"

    result.changed, result.made, result.saved = changed, made, True
    result.summary = save.comment or _write_summary(save, changed, made, note, significant)
    result.revision = _revision(story, by, result.summary, proposed)
    _log(story, by, result.summary, added=result.created)
    effects.story_changed(story.pk, save.before_seen, effects.seen(story), body=story.body)
    if made is not None:
        _tell_moved(story, made.name, by, save.reason if made.needs_reason else "")
    if (note or significant) and (made is None or made.name == "publish_changes"):
        _tell(signals.story_revised, story, by, note=result.note, significant=significant)


def _tell(signal, story: Article, by, **kwargs) -> None:
    """Sends one of articles/signals.py's signals once the change is committed (#18); a
    receiver that fails is logged, as for story_moved."""

    def send():
        replies = signal.send_robust(Article, article=story, by=actor_user(by), **kwargs)
        for receiver, reply in replies:
            if isinstance(reply, Exception):
                logger.error("A receiver of %r failed: %r", signal, receiver, exc_info=reply)

    transaction.on_commit(send)


def _tell_moved(story: Article, name: str, by, reason: str = "") -> None:
    """Tells the apps above articles that the story moved (articles/signals.py, #15), once the
    move is committed. A receiver that fails is logged: the move is done, and telling people
    about it must not undo it or fail the editor's request."""

    def send():
        replies = signals.story_moved.send_robust(
            Article,
            article=story,
            transition=name,
            by=actor_user(by),
            reason=reason.strip(),
        )
        for receiver, reply in replies:
            if isinstance(reply, Exception):
                logger.error("A receiver of story_moved failed: %r", receiver, exc_info=reply)

    transaction.on_commit(send)


def _write_summary(save, changed, made, note, significant) -> str:
    """ "Edited the headline; published", "Created and submitted for review", "Published the
    changes to the body", "Added a correction"."""
    result = save.result
    made_words = _made_words(made, save.story, save.reason)
    edited = _edited(changed)
    if made is not None and made.name == "publish_changes":
        edited = ""
        made_words = f"{made_words} to the {snapshots.describe(changed)}" if changed else ""
        if not changed and not (note or significant):
            made_words = made.log.lower()
    if result.created:
        # One action, one entry.
        edited, made_words = "", f"created and {made_words}" if made_words else "created"
    refused = f"not {result.asked.verb} because {result.refused}" if result.refused else ""
    embargo = _embargo_words(save.before, save.story)
    return _summary(edited, embargo, made_words, _note_words(note, significant), refused) or "Saved"


def _embargo_words(before, story) -> str:
    """ "embargoed until 3 Dec 2026, 14:00 GMT", "removed the embargo" (#15)."""
    was = before.get("embargo_until") if before else None
    now = story.embargo_until.isoformat() if story.embargo_until else None
    if was == now:
        return ""
    return f"embargoed until {local_time(story.embargo_until)}" if now else "removed the embargo"


def _edited(changed) -> str:
    return f"edited the {snapshots.describe(changed)}" if changed else ""


def _made_words(made, story, reason) -> str:
    if made is None:
        return ""
    if made.needs_time:
        return f"{made.log.lower()} for {local_time(story.published_at)}"
    if made.needs_reason:
        return f"{made.log.lower()}: {reason.strip()}"
    return made.log.lower()


def _note_words(note, significant, *, waiting=False) -> str:
    """ "added a correction and marked as a significant update"; for unpublished changes,
    "with a correction and a significant update" (they wait with the changes)."""
    words = []
    if note:
        kind = dict(Correction.Kind.choices)[note.kind].lower()
        article = "an" if kind[0] in "aeiou" else "a"
        words.append(f"{article} {kind}" if waiting else f"added {article} {kind}")
    if significant:
        words.append("a significant update" if waiting else "marked as a significant update")
    if not words:
        return ""
    return ("with " if waiting else "") + " and ".join(words)


def _stage(save: _Save) -> None:
    """Keeps the changes to a live story unpublished: readers keep the published version."""
    story, by, result, staged, live = save.story, save.by, save.result, save.staged, save.before
    asked, note, significant = result.asked, save.note, save.significant
    schedule = asked is not None and asked.name == "schedule_changes" and not result.refused
    proposed = snapshots.snapshot(story, authors=save.authors, tags=save.tags)
    # The state is the live story's: only its text waits.
    proposed.update({key: live[key] for key in snapshots.STATE_KEYS})
    # "Save draft of changes" keeps the time the form shows (still to come), or none: clearing
    # the field unschedules them; "Schedule changes" sets it.
    future = save.at is not None and save.at > timezone.now()
    publish_at = save.at if schedule or future else None
    wanted = {
        "snapshot": proposed,
        "note_kind": note.kind if note else "",
        "note_text": note.text.strip() if note else "",
        "significant": significant,
        "publish_at": publish_at,
    }
    changed = snapshots.changed_parts(live, proposed)
    _check_address(story)  # Publishing the changes must not find the address taken.
    if not changed and not note and not significant and not schedule:
        if staged is None:
            return  # The form holds the live story: nothing to keep.
        # The changes were undone in the form: nothing is waiting any more.
        if staged.publish_at:
            effects.schedule_changed(story.pk)
        staged.delete()
        _bump_version(story)
        result.saved = result.discarded = True
        result.summary = save.comment or "Discarded the unpublished changes"
        result.revision = _revision(
            story, by, result.summary, snapshots.snapshot(story), ArticleRevision.Kind.STAGED
        )
        _log(story, by, result.summary)
        return
    if staged is not None and all(getattr(staged, k) == v for k, v in wanted.items()):
        return  # The same changes are already waiting.
    if publish_at != (staged.publish_at if staged else None):
        # Cached pages of the story must end when the changes are due (caching.next_change_at).
        effects.schedule_changed(story.pk)
    if staged is None:
        staged = StagedChange(article=story)
    for name, value in wanted.items():
        setattr(staged, name, value)
    staged.updated_at, staged.updated_by = timezone.now(), actor_user(by)
    staged.full_clean()
    staged.save()
    _bump_version(story)
    result.changed, result.staged, result.saved = changed, True, True
    to_the = f" to the {snapshots.describe(changed)}" if changed else ""
    if schedule:
        result.made = asked
        words = f"scheduled the changes{to_the} for {local_time(save.at)}"
    else:
        words = f"saved unpublished changes{to_the}"
    notes = _note_words(note, significant, waiting=True)
    refused = f"not {asked.verb} because {result.refused}" if result.refused else ""
    result.summary = save.comment or _summary(f"{words} {notes}".strip(), refused)
    result.revision = _revision(story, by, result.summary, proposed, ArticleRevision.Kind.STAGED)
    _log(story, by, result.summary)
    if schedule:
        _tell_moved(story, asked, by, save.reason)


def _bump_version(story: Article) -> None:
    """A form opened before unpublished changes were saved is stale too; readers' pages (and
    the story's `updated_at`, which sitemaps read) are untouched."""
    Article.objects.filter(pk=story.pk).update(version=F("version") + 1)
    story.version += 1


def staged_story(article: Article) -> Article | None:
    """The live story with its unpublished changes applied, not saved (for previews), or None."""
    staged = StagedChange.objects.filter(article=article).first()
    if staged is None:
        return None
    return apply_snapshot(Article.objects.get(pk=article.pk), staged.snapshot)


def apply_snapshot(article: Article, snap: dict) -> Article:
    """Sets the text, section and picture of a snapshot on the story (in memory)."""
    from images.models import Image

    for name in snapshots.TEXT_PARTS:
        if name in snap:  # Snapshots from before #14 lack the SEO texts: they stay.
            setattr(article, name, snap[name])
    if "section" in snap:
        section = snap["section"]
        article.section = Section.objects.filter(pk=section["id"]).first() if section else None
    if "lead_image" in snap:
        image = snap["lead_image"]
        article.lead_image = Image.objects.filter(pk=image["id"]).first() if image else None
    article._sync_derived_fields()
    return article


def snapshot_parts(snap: dict) -> tuple[dict, list[Author], list[str]]:
    """The changes, byline and tags of a snapshot, as article_save() takes them."""
    from images.models import Image

    changes = {name: snap[name] for name in snapshots.TEXT_PARTS if name in snap}
    if "section" in snap:
        section = snap["section"]
        changes["section"] = Section.objects.filter(pk=section["id"]).first() if section else None
    if "lead_image" in snap:
        image = snap["lead_image"]
        changes["lead_image"] = Image.objects.filter(pk=image["id"]).first() if image else None
    found = Author.objects.in_bulk([entry["id"] for entry in snap["authors"]])
    authors = [found[entry["id"]] for entry in snap["authors"] if entry["id"] in found]
    return changes, authors, list(snap["tags"])


# --- State changes on their own (list actions, commands, tests) -------------------------------


def copy_back(article: Article, saved: Article) -> None:
    """The caller's instance shows what was saved."""
    for f in Article._meta.concrete_fields:
        setattr(article, f.attname, getattr(saved, f.attname))
    article._state.adding = False


def article_transition(
    *, article: Article, by, name: str, at: datetime | None = None, reason: str = ""
) -> SaveResult:
    """Makes one transition and nothing else; a story not ready for it is left as it was,
    with the reason (ValidationError)."""
    result = article_save(article=article, by=by, transition=name, at=at, reason=reason)
    if result.refused:
        raise ValidationError(" ".join([refusal_message(result), *result.fixes]))
    copy_back(article, result.article)
    return result


def article_submit(*, article: Article, by) -> Article:
    """A reporter hands a draft to the editors."""
    return article_transition(article=article, by=by, name="submit").article


def article_publish(*, article: Article, by, at: datetime | None = None) -> Article:
    """Makes the story public now (or at `at`). A story that was live before keeps its time,
    so its address stays the same."""
    if at is not None and at > timezone.now():
        return article_schedule(article=article, by=by, at=at)
    _require(is_editor(by), "Only editors can publish, schedule, withdraw or correct stories.")
    story = Article.objects.get(pk=article.pk)
    if story.is_published():
        name = "publish_changes"
    else:
        name = "publish"
    return article_transition(article=article, by=by, name=name, at=at).article


def article_schedule(*, article: Article, by, at: datetime) -> Article:
    """Publishes the story at a future minute; it goes live by itself, with no job to run."""
    _require(is_editor(by), "Only editors can publish, schedule, withdraw or correct stories.")
    if Article.objects.get(pk=article.pk).is_published():
        raise ValidationError("The story is already live: withdraw it first to schedule it.")
    if at <= timezone.now():
        raise ValidationError("Choose a time in the future, or publish the story now.")
    return article_transition(article=article, by=by, name="schedule", at=at).article


def article_withdraw(*, article: Article, by, reason: str) -> Article:
    """Takes a published story down: its address answers 410 Gone, it leaves every list, and
    the corrections page says when and why."""
    _require(is_editor(by), "Only editors can publish, schedule, withdraw or correct stories.")
    if not Article.objects.get(pk=article.pk).is_published():
        raise ValidationError("Only a live story can be withdrawn.")
    return article_transition(article=article, by=by, name="withdraw", reason=reason).article


# --- Legal hold (#15) ----------------------------------------------------------------------


@transaction.atomic
def article_hold(*, article: Article, by, reason: str, withdraw_reason: str = "") -> Article:
    """Legal holds the story: until the hold is lifted it can't be published, scheduled or
    have changes published (release_problems). Nothing of it changes but its state:

    - a scheduled story goes back to draft, so it doesn't go live at its minute (its old time
      is in the log); scheduled changes of a live story stay as unpublished changes, no longer
      scheduled. Lifting the hold schedules nothing again: an editor decides when.
    - a live story stays live, unless `withdraw_reason` is given: then it is withdrawn in the
      same step, and readers see that reason on the corrections page (the hold's reason is
      for the newsroom only, and never public).

    One revision and one log entry, as for any save.
    """
    _require_actor(by)
    _require(is_legal(by), "Only Legal can place or lift a legal hold.")
    reason, withdraw_reason = reason.strip(), withdraw_reason.strip()
    if not reason:
        raise ValidationError("Say why the story is held: editors see the reason.")
    story = _locked(article.pk)
    if story.trashed_at is not None:
        raise TrashedMeanwhile(story)
    if story.is_held():
        raise ValidationError(f"The story is already held: {hold_words(story)}.")
    state = workflow.state_of(story)
    if withdraw_reason and state != State.LIVE:
        raise ValidationError("Only a live story can be withdrawn.")
    before = effects.seen(story)
    now = timezone.now()
    story.held_at, story.held_by, story.hold_reason = now, actor_user(by), reason
    words = [f"Placed a legal hold: {reason}"]
    moved = ""
    if state == State.SCHEDULED:
        story.status, moved = Article.Status.DRAFT, "to_draft"
        words.append(f"returned to draft (it was scheduled for {local_time(story.goes_live_at)})")
    elif withdraw_reason:
        story.status, moved = Article.Status.WITHDRAWN, "withdraw"
        Correction.objects.create(
            article=story,
            kind=Correction.Kind.WITHDRAWAL,
            text=withdraw_reason,
            created_by=actor_user(by),
            created_at=now,
        )
        words.append(f"withdrawn: {withdraw_reason}")
    staged = StagedChange.objects.filter(article=story, publish_at__isnull=False).first()
    if staged is not None:
        words.append(f"the changes scheduled for {local_time(staged.publish_at)} wait, unscheduled")
        staged.publish_at = None
        staged.save(update_fields=["publish_at"])
        effects.schedule_changed(story.pk)
    story.updated_by = actor_user(by)
    story.save()
    summary = _summary(*words)
    _revision(story, by, summary, snapshots.snapshot(story))
    _log(story, by, summary)
    effects.story_changed(story.pk, before, effects.seen(story))
    if moved:
        _tell_moved(story, moved, by, withdraw_reason)
    copy_back(article, story)
    return article


@transaction.atomic
def article_release(*, article: Article, by, reason: str) -> Article:
    """Legal lifts the hold, saying why ("cleared by counsel"). The story stays in the state
    it is in: a story returned to draft by the hold is scheduled again by an editor."""
    _require_actor(by)
    _require(is_legal(by), "Only Legal can place or lift a legal hold.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why the hold is lifted: it is kept in the story's history.")
    story = _locked(article.pk)
    if story.trashed_at is not None:
        raise TrashedMeanwhile(story)
    if not story.is_held():
        raise ValidationError("The story is not held.")
    story.held_at, story.held_by, story.hold_reason = None, None, ""
    story.updated_by = actor_user(by)
    story.save()
    summary = _summary(f"lifted the legal hold: {reason}")
    _revision(story, by, summary, snapshots.snapshot(story))
    _log(story, by, summary)
    copy_back(article, story)
    return article


def article_return_to_draft(*, article: Article, by) -> Article:
    """Back to draft from review (its reporters; editors send it back with a note), a
    schedule or a withdrawal (a live story is withdrawn)."""
    story = Article.objects.get(pk=article.pk)
    if story.is_published():
        raise ValidationError("A live story can't go back to draft: withdraw it instead.")
    if story.status == Article.Status.DRAFT:
        raise ValidationError("The story is already a draft.")
    if workflow.state_of(story) != State.REVIEW:
        _require(is_editor(by), "Only editors can publish, schedule, withdraw or correct stories.")
    return article_transition(article=article, by=by, name="to_draft").article


def article_correct(*, article: Article, by, kind: str, text: str) -> Correction:
    """Appends a correction, clarification or update note; readers see a new "Updated" time."""
    _require(is_editor(by), "Only editors can publish, schedule, withdraw or correct stories.")
    if not Article.objects.get(pk=article.pk).is_published():
        raise ValidationError("Corrections are added to live stories.")
    if not text.strip():
        raise ValidationError("Write the text of the correction.")
    if kind not in dict(Correction.NOTE_KINDS):
        raise ValidationError("Choose a correction, a clarification or an update.")
    result = article_save(article=article, by=by, note=Note(kind=kind, text=text))
    copy_back(article, result.article)
    return result.note


@transaction.atomic
def article_discard_changes(*, article: Article, by) -> bool:
    """Gives up the unpublished changes of a live story; readers never saw them."""
    story = _locked(article.pk)
    if story.trashed_at is not None:
        raise TrashedMeanwhile(story)
    _require(can_edit(by, story), "You can't change this story.")
    if lock := editing.held_by_other(story, by):
        raise HeldByOther(lock)
    staged = StagedChange.objects.filter(article=story).first()
    if staged is None:
        return False
    if staged.publish_at:
        effects.schedule_changed(story.pk)
    staged.delete()
    _bump_version(story)
    _revision(
        story,
        by,
        "Discarded the unpublished changes",
        snapshots.snapshot(story),
        ArticleRevision.Kind.STAGED,
    )
    _log(story, by, "Discarded the unpublished changes")
    return True


def article_restore(
    *, article: Article, revision: ArticleRevision, by, publish: bool = False
) -> SaveResult:
    """Brings back the text, byline, tags, section and picture of an earlier revision, as a
    new revision; the publishing state stays as it is now. On a live story the restored
    version waits as unpublished changes unless `publish`."""
    if revision.article_id != article.pk:
        raise ValidationError("That revision belongs to another story.")
    live = Article.objects.get(pk=article.pk).is_published()
    changes, authors, tags = snapshot_parts(revision.snapshot)
    result = article_save(
        article=article,
        by=by,
        changes=changes,
        authors=authors,
        tags=tags,
        transition="publish_changes" if live and publish else "",
        stage=live and not publish,
        comment=f"Restored the revision of {local_time(revision.created_at)}",
    )
    if result.refused:
        raise ValidationError(refusal_message(result))
    copy_back(article, result.article)
    return result


@transaction.atomic
def article_trash(*, article: Article, by) -> Article:
    """Moves the story to the trash: it leaves every public page and the list of stories,
    and keeps everything (text, revisions, corrections) until the trash is emptied.

    Its front page slots are freed, so the front page falls back to the latest stories.
    A story under a legal hold stays where it is until the hold is lifted (#15): the hold
    keeps the story as the court or counsel saw it, and the trash is emptied for good.
    """
    _require_actor(by)
    story = _locked(article.pk)
    _require(can_delete(by, story), "You can't delete this story.")
    if story.trashed_at is not None:
        raise ValidationError("The story is already in the trash.")
    if story.is_held():
        raise ValidationError(trash_refusal(story))
    seen = effects.seen(story)
    was_seen = story.is_published() or story.status == Article.Status.WITHDRAWN
    FrontPageSlot.objects.filter(article=story).delete()
    story.trashed_at, story.trashed_by = timezone.now(), actor_user(by)
    story.save(update_fields=["trashed_at", "trashed_by", "updated_at"])
    _revision(story, by, "Moved to the trash", snapshots.snapshot(story))
    _log(story, by, "Moved to the trash")
    effects.story_changed(story.pk, seen, seen)
    _tell(signals.story_trashed, story, by, was_seen=was_seen)
    copy_back(article, story)
    return article


@transaction.atomic
def article_untrash(*, article: Article, by) -> Article:
    """Takes the story out of the trash in the state it was in: a live story is live again."""
    _require_actor(by)
    story = _locked(article.pk)
    _require(can_delete(by, story), "You can't restore this story.")
    if story.trashed_at is None:
        raise ValidationError("The story is not in the trash.")
    story.trashed_at, story.trashed_by = None, None
    story.save(update_fields=["trashed_at", "trashed_by", "updated_at"])
    _revision(story, by, "Restored from the trash", snapshots.snapshot(story))
    _log(story, by, "Restored from the trash")
    seen = effects.seen(story)
    effects.story_changed(story.pk, seen, seen)
    copy_back(article, story)
    return article


@transaction.atomic
def preview_link_create(*, article: Article, by) -> PreviewLink:
    _require(can_edit(by, article), "You can't share this story.")
    now = timezone.now()
    link = PreviewLink.objects.create(
        article=article,
        created_by=actor_user(by),
        created_at=now,
        expires_at=now + PREVIEW_LINK_LIFETIME,
    )
    _log(article, by, "Shared a preview link")
    return link


@transaction.atomic
def preview_link_revoke(*, link: PreviewLink, by) -> PreviewLink:
    _require(can_edit(by, link.article), "You can't change this story.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        _log(link.article, by, "Revoked a preview link")
    return link


@transaction.atomic
def article_create(
    *,
    headline: str,
    paragraphs: Sequence[str],
    authors: Sequence[Author],
    by,
    standfirst: str = "",
    section: Section | None = None,
    tags: Sequence[str] = (),
    transition: str = "",
    published_at: datetime | None = None,
    body_html: str | None = None,
) -> SaveResult:
    """Creates a story from plain paragraphs, with its byline in the given order, and makes
    the transition if asked (one revision, one log entry). The slug is free on the day.

    `body_html`, when given, is the body instead of the paragraphs: a story imported with its
    markup (ninjs, #18) keeps its headings, lists and links; saving sanitises it, as it does
    every body."""
    _require_actor(by)
    at = published_at or timezone.now()
    day = timezone.localdate(at, timezone.get_default_timezone())
    result = article_save(
        article=None,
        by=by,
        changes={
            "headline": headline,
            "slug": free_slug(slug_for(headline), day),
            "standfirst": standfirst,
            "section": section,
            "body": paragraphs_to_html(paragraphs) if body_html is None else body_html,
        },
        authors=authors,
        tags=tags,
        transition=transition,
        at=published_at,
    )
    return result

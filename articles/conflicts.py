"""A save refused because someone else saved the story first (#12).

The refusal shows what the other person changed since the form was opened (the revision of the
version the form was opened at, against the latest), and which of the editor's own changes
clash with theirs. "Apply my changes to the latest version" takes the latest version and puts
the editor's changes back on it, part by part (headline, slug, standfirst, body, byline, tags,
section, picture), for every part only the editor changed; a part both changed keeps the other
person's version, and the editor's is shown beside the form to copy from. Nothing is saved
until the editor saves again.
"""

from dataclasses import dataclass, field

from . import snapshots
from .models import Article, ArticleRevision, StagedChange, slug_for
from .text import html_to_text

# The form's fields for each part of a snapshot.
FORM_FIELDS = {
    "headline": "headline",
    "slug": "slug",
    "standfirst": "standfirst",
    "body": "body",
    "authors": "byline",
    "tags": "tags",
    "section": "section",
    "lead_image": "lead_image",
}


def latest(article: Article) -> dict:
    """What a form opened now shows: the unpublished changes of a live story, or the story."""
    staged = StagedChange.objects.filter(article=article).first()
    return staged.snapshot if staged else snapshots.snapshot(article)


def opened(article: Article, version) -> dict | None:
    """The story as a form opened at `version` showed it, if a revision recorded it."""
    if version is None:
        return None
    revision = article.revisions.filter(version=version).order_by("-pk").first()
    return revision.snapshot if revision else None


def from_form(cleaned: dict, instance: Article) -> dict:
    """The story as the form holds it, as a snapshot."""
    story = Article(
        headline=cleaned.get("headline", instance.headline),
        slug=cleaned.get("slug") or slug_for(cleaned.get("headline", instance.headline)),
        standfirst=cleaned.get("standfirst", instance.standfirst),
        body=cleaned.get("body", instance.body),
        section=cleaned.get("section"),
        lead_image=cleaned.get("lead_image"),
        status=instance.status,
        published_at=instance.published_at,
    )
    return snapshots.snapshot(
        story, authors=list(cleaned.get("byline") or []), tags=list(cleaned.get("tags") or [])
    )


@dataclass
class Conflict:
    theirs: dict | None  # snapshots.comparison of what they changed, if known
    mine: list[str] = field(default_factory=list)  # parts the editor changed
    clashes: list[str] = field(default_factory=list)  # parts both changed, differently
    applicable: list[str] = field(default_factory=list)  # parts only the editor changed

    @property
    def names(self):
        return {
            "mine": snapshots.describe(self.mine),
            "clashes": snapshots.describe(self.clashes),
            "applicable": snapshots.describe(self.applicable),
        }


def conflict(article: Article, expected_version, mine: dict) -> Conflict:
    base, now = opened(article, expected_version), latest(article)
    if base is None:
        # The version the form was opened at is not known: every change of the editor's
        # that differs from the latest is theirs to check.
        changed = snapshots.changed_parts(now, mine)
        return Conflict(theirs=None, mine=changed, clashes=changed)
    theirs_changed = set(snapshots.changed_parts(base, now))
    mine_changed = snapshots.changed_parts(base, mine)
    clashes = [
        part
        for part in mine_changed
        if part in theirs_changed and part in snapshots.changed_parts(now, mine)
    ]
    applicable = [part for part in mine_changed if part not in theirs_changed]
    return Conflict(
        theirs=snapshots.comparison(base, now),
        mine=mine_changed,
        clashes=clashes,
        applicable=applicable,
    )


def raw(snap: dict, part: str) -> list[str]:
    """A snapshot's part as the form posts it."""
    value = snap.get(part)
    if part == "authors":
        return [str(entry["id"]) for entry in value or []]
    if part == "tags":
        return list(value or [])
    if part in ("section", "lead_image"):
        return [str(value["id"])] if value else [""]
    return [value or ""]


def merged(article: Article, posted: dict, found: Conflict) -> dict:
    """The form's data on the latest version: the editor's changes for the parts only they
    changed, the latest for every other part, and the editor's own version of each clashing
    part kept under "_mine" (shown beside the form, never lost)."""
    now = latest(article)
    data = {name: list(values) for name, values in posted.items()}
    for part, name in FORM_FIELDS.items():
        if part not in found.applicable:
            data[name] = raw(now, part)
    data["expected_version"] = [str(article.version)]
    data["_mine"] = {
        part: _readable(part, posted.get(FORM_FIELDS[part], [])) for part in found.clashes
    }
    return data


def _readable(part: str, values: list[str]) -> str:
    if part == "body":
        return html_to_text(values[0] if values else "")
    return ", ".join(values)


def clash_labels(data: dict) -> list[dict]:
    """The editor's versions of clashing parts kept in a working copy, to show them."""
    return [
        {"label": snapshots.LABELS[part], "text": text}
        for part, text in (data.get("_mine") or {}).items()
    ]


def typed_text(data: dict) -> list[dict]:
    """The words of a kept form (headline, standfirst, body), to show them read-only."""
    parts = [("headline", "Headline"), ("standfirst", "Standfirst"), ("body", "Body")]
    return [
        {"label": label, "text": _readable(part, data.get(part, []))}
        for part, label in parts
        if "".join(data.get(part, [])).strip()
    ]


def revision_at(article: Article, version) -> ArticleRevision | None:
    return article.revisions.filter(version=version).order_by("-pk").first()

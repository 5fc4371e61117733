"""A save refused because someone else saved the story first (#12).

The refusal shows what the other person changed since the form was opened (the revision of the
version the form was opened at, against the latest), and which of the editor's own changes
clash with theirs. "Apply my changes to the latest version" takes the latest version and puts
the editor's changes back on it, part by part (headline, slug, standfirst, body, byline, tags,
section, picture, SEO title and description), for every part only the editor changed; a part
both changed keeps the other person's version, and the editor's is shown beside the form to
copy from. Nothing is saved until the editor saves again.
"""

import difflib
from dataclasses import dataclass, field
from html.parser import HTMLParser

from . import snapshots
from .models import Article, ArticleRevision, StagedChange, slug_for
from .text import html_to_text

# The form's field for each part of a snapshot (snapshots.PARTS): the same name, but the byline.
FORM_FIELDS = {part: {"authors": "byline"}.get(part, part) for part in snapshots.PARTS}


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
        seo_title=cleaned.get("seo_title", instance.seo_title),
        seo_description=cleaned.get("seo_description", instance.seo_description),
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
    applicable: list[str] = field(default_factory=list)  # parts that can take the editor's
    # Parts both changed in different places, merged: the value to put in the form.
    merged: dict = field(default_factory=dict)

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
    merged = {}
    if "body" in clashes:
        # Both changed the text: in different paragraphs, both changes are kept.
        paragraphs = merge3(blocks(base["body"]), blocks(now["body"]), blocks(mine["body"]))
        if paragraphs is not None:
            clashes.remove("body")
            applicable.append("body")
            merged["body"] = "\n".join(paragraphs)
    return Conflict(
        theirs=snapshots.comparison(base, now),
        mine=mine_changed,
        clashes=clashes,
        applicable=applicable,
        merged=merged,
    )


# --- Merging two sets of changes to one text ------------------------------------------------


class _Blocks(HTMLParser):
    """The top-level elements of a story's body: its paragraphs, headings, lists, quotes."""

    VOID = {"br", "hr", "img"}

    def __init__(self, html):
        super().__init__(convert_charrefs=False)
        self.html, self.depth, self.start, self.found = html, 0, None, []
        lines = html.split("\n")
        self.offsets = [0]
        for line in lines[:-1]:
            self.offsets.append(self.offsets[-1] + len(line) + 1)

    def _at(self):
        line, column = self.getpos()
        return self.offsets[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.start = self._at()
        if tag in self.VOID:
            if self.depth == 0:
                self.found.append(
                    self.html[self.start : self._at() + len(self.get_starttag_text())]
                )
            return
        self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            at = self._at()
            self.found.append(self.html[at : at + len(self.get_starttag_text())])

    def handle_endtag(self, tag):
        if tag in self.VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.html.index(">", self._at()) + 1
            self.found.append(self.html[self.start : end])

    def handle_data(self, data):
        if self.depth == 0 and data.strip():
            self.found.append(data.strip())


def blocks(html: str) -> list[str]:
    parser = _Blocks(html or "")
    parser.feed(html or "")
    parser.close()
    return parser.found


def _edits(base, other):
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [
        (i1, i2, tuple(other[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _clash(a, b) -> bool:
    if a == b:
        return False  # The same change on both sides.
    (a1, a2, _), (b1, b2, _) = a, b
    if a1 < b2 and b1 < a2:
        return True  # The same paragraphs changed differently.
    # Something added where the other side changed or added something.
    return (a1 == a2 and b1 <= a1 <= b2) or (b1 == b2 and a1 <= b1 <= a2)


def merge3(base: list, theirs: list, mine: list) -> list | None:
    """`base` with both sides' changes, when they touch different paragraphs; else None."""
    if theirs == mine or mine == base:
        return list(theirs)
    if theirs == base:
        return list(mine)
    their_edits, my_edits = _edits(base, theirs), _edits(base, mine)
    if any(_clash(a, b) for a in their_edits for b in my_edits):
        return None
    edits = sorted(set(their_edits) | set(my_edits), key=lambda edit: (edit[0], edit[1]))
    merged, position = [], 0
    for start, end, replacement in edits:
        merged += base[position:start]
        merged += replacement
        position = end
    return merged + base[position:]


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
        if part in found.merged:
            data[name] = [found.merged[part]]
        elif part not in found.applicable:
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

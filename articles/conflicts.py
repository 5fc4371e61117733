"""A save refused because someone else saved the story first (#12).

The refusal shows what the other person changed since the form was opened (the revision of the
version the form was opened at, against the latest), and which of the editor's own changes
clash with theirs. "Apply my changes to the latest version" takes the latest version and puts
the editor's changes back on it, part by part (headline, slug, standfirst, body, byline, tags,
section, picture, SEO title and description), for every part only the editor changed. The
body is merged paragraph by paragraph (#16): changes to different paragraphs are both kept. A
part or paragraph both changed keeps the other person's version in the form, the editor's is
shown beside it, and a save waits until the editor says they merged it. Nothing is saved until
the editor saves again.
"""

import difflib
from dataclasses import dataclass, field
from html.parser import HTMLParser

import merge3

from . import snapshots
from .models import Article, ArticleRevision, StagedChange, slug_for
from .text import html_to_text, sanitize_html

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
    # Parts both changed, merged: the value to put in the form (the body, paragraph by
    # paragraph: with their version of any paragraph both changed).
    merged: dict = field(default_factory=dict)
    body: "BodyMerge | None" = None  # How the body merged, when both changed it.

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
    merged, body = {}, None
    if "body" in clashes:
        # Both changed the text: changes to different paragraphs are both kept (#16); a
        # paragraph both changed keeps theirs in the form, and the editor's is shown beside.
        body = merge_body(base["body"], now["body"], mine["body"])
        merged["body"] = body.html
        if not body.clashes:
            clashes.remove("body")
            applicable.append("body")
    return Conflict(
        theirs=snapshots.comparison(base, now),
        mine=mine_changed,
        clashes=clashes,
        applicable=applicable,
        merged=merged,
        body=body,
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
    """The body's top-level blocks (<p>…</p>, <h2>…</h2>, <ul>…</ul>, …), as written."""
    parser = _Blocks(html or "")
    parser.feed(html or "")
    parser.close()
    return parser.found


def _same_form(block: str) -> str:
    """A block as the sanitiser writes it, spaces squashed: the editor, an import and the
    sanitiser may write one paragraph differently (entities, attribute order, line breaks)
    without anyone changing a word of it."""
    return " ".join(sanitize_html(block).split())


@dataclass
class Chunk:
    """A run of the merged body: `kind` is "same" (nobody changed it, or both alike),
    "theirs", "mine", or "clash" (both changed it differently: `lines` is their version, the
    one the form shows, and `mine` the editor's)."""

    kind: str
    lines: list[str]
    mine: list[str] = field(default_factory=list)


def _edits(base: list, other: list) -> list[tuple[int, int, tuple]]:
    """`other`'s changes to `base`, paragraph by paragraph: (start, end, new paragraphs). A run
    of changed paragraphs is one change per paragraph, so that two editors' changes to
    neighbouring paragraphs of it are told apart."""
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    found = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        found += [(i1 + k, i1 + k + 1, (other[j1 + k],)) for k in range(paired)]
        if i2 - i1 > paired or j2 - j1 > paired:
            found.append((i1 + paired, i2, tuple(other[j1 + paired : j2])))
    return found


def _touch(a, b) -> bool:
    """Whether two edits of the same paragraphs can't both be made: they change the same
    paragraph, both add paragraphs at the same place, or one adds inside what the other
    replaces. Adding before or after a paragraph the other changed is fine."""
    (a1, a2, _), (b1, b2, _) = a, b
    if a1 < b2 and b1 < a2:
        return True
    if a1 == a2 and b1 == b2:
        return a1 == b1
    if a1 == a2:
        return b1 < a1 < b2
    if b1 == b2:
        return a1 < b1 < a2
    return False


def _apply(base: list, edits, start: int, end: int) -> list:
    out, position = [], start
    for i1, i2, lines in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        out += base[position:i1]
        out += lines
        position = i2
    return out + base[position:end]


def _split_clash(base: list, theirs: list, mine: list) -> list[Chunk]:
    """A region diff3 finds changed on both sides, paragraph by paragraph: diff3 counts
    changes to neighbouring lines as one clash, but two editors' changes to neighbouring
    paragraphs are two different changes, and both are kept."""
    their_edits, my_edits = _edits(base, theirs), _edits(base, mine)
    shared = set(their_edits) & set(my_edits)  # The same change on both sides.
    their_edits = [edit for edit in their_edits if edit not in shared]
    my_edits = [edit for edit in my_edits if edit not in shared]
    # Groups of edits that touch, directly or through another: each group is one clash.
    groups = [[("theirs", edit)] for edit in their_edits]
    groups += [[("mine", edit)] for edit in my_edits]
    groups += [[("same", edit)] for edit in shared]
    merged = True
    while merged:
        merged = False
        for i, group in enumerate(groups):
            for j in range(i + 1, len(groups)):
                if any(_touch(a, b) for _, a in group for _, b in groups[j]):
                    groups[i] = group + groups.pop(j)
                    merged = True
                    break
            if merged:
                break
    spans = []
    for group in groups:
        start = min(edit[0] for _, edit in group)
        end = max(edit[1] for _, edit in group)
        sides = {side for side, _ in group}
        if len(group) == 1 or sides <= {"same"} or sides == {"theirs"} or sides == {"mine"}:
            kind = "theirs" if sides == {"theirs"} else "mine" if sides == {"mine"} else "same"
            lines = _apply(base, [edit for _, edit in group], start, end)
            spans.append((start, end, Chunk(kind, lines)))
        else:
            pick = {"theirs": ("theirs", "same"), "mine": ("mine", "same")}
            theirs_lines = _apply(
                base, [e for side, e in group if side in pick["theirs"]], start, end
            )
            mine_lines = _apply(base, [e for side, e in group if side in pick["mine"]], start, end)
            spans.append((start, end, Chunk("clash", theirs_lines, mine_lines)))
    chunks, position = [], 0
    for start, end, chunk in sorted(spans, key=lambda span: (span[0], span[1])):
        if base[position:start]:
            chunks.append(Chunk("same", base[position:start]))
        chunks.append(chunk)
        position = end
    if base[position:]:
        chunks.append(Chunk("same", base[position:]))
    return chunks


def merge_blocks(base: list[str], theirs: list[str], mine: list[str]) -> list[Chunk]:
    """Three versions of a list of paragraphs merged (diff3, by the merge3 library): the
    changes only one side made are kept, and what both changed differently is a clash."""
    chunks = []
    for group in merge3.Merge3(base, theirs, mine).merge_groups():
        kind = group[0]
        if kind in ("unchanged", "same"):
            chunks.append(Chunk("same", list(group[1])))
        elif kind == "a":
            chunks.append(Chunk("theirs", list(group[1])))
        elif kind == "b":
            chunks.append(Chunk("mine", list(group[1])))
        else:
            chunks += _split_clash(*(list(lines) for lines in group[1:]))
    return chunks


@dataclass
class BodyMerge:
    html: str  # What the form shows: both sides' changes, their version where both changed.
    mine: list[str]  # "paragraph 3", "a paragraph you deleted": where the editor's went in.
    clashes: list[dict]  # {"number", "theirs", "mine"}: paragraphs both changed (readable).


def _numbers(first: int, count: int) -> str:
    if count == 1:
        return f"paragraph {first}"
    return f"paragraphs {first}–{first + count - 1}"


def merge_body(base: str, theirs: str, mine: str) -> BodyMerge:
    """The editor's changes to the body (`mine`, from `base`) on the latest body (`theirs`),
    paragraph by paragraph; paragraphs both changed keep theirs, with the editor's beside."""
    written, sides = {}, {}
    # One key is one paragraph, word for word, whichever side wrote it: as the latest has it
    # first, then as the editor has it.
    for name, html in (("theirs", theirs), ("mine", mine), ("base", base)):
        sides[name] = []
        for block in blocks(html):
            key = _same_form(block)
            written.setdefault(key, sanitize_html(block))
            sides[name].append(key)
    out, placed, clashes = [], [], []
    for chunk in merge_blocks(sides["base"], sides["theirs"], sides["mine"]):
        number = len(out) + 1
        if chunk.kind == "mine":
            placed.append(
                _numbers(number, len(chunk.lines)) if chunk.lines else "a paragraph you deleted"
            )
        if chunk.kind == "clash":
            clashes.append(
                {
                    "number": number,
                    "count": len(chunk.lines),
                    "theirs": "\n\n".join(html_to_text(written[k]) for k in chunk.lines),
                    "mine": "\n\n".join(html_to_text(written[k]) for k in chunk.mine),
                }
            )
        out += chunk.lines
    return BodyMerge(html="\n".join(written[key] for key in out), mine=placed, clashes=clashes)


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


def merged(article: Article, posted: dict, found: Conflict, who: str) -> dict:
    """The form's data on the latest version: the editor's changes for the parts only they
    changed, both sides' changes to different paragraphs of the body, the latest for every
    other part, and the editor's own version of each clashing part kept under "_mine" (shown
    beside the form, never lost; a save needs the editor to say they merged it)."""
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
    data["_paragraphs"] = found.body.clashes if found.body and "body" in found.clashes else []
    data["_who"] = who
    return data


def combined_message(found: Conflict, who: str) -> str:
    """The one thing said after "Apply my changes": what was combined, and what is left to do."""
    done = []
    for part in [*found.applicable, *found.clashes]:
        if part == "body" and found.body is not None:
            if found.body.mine:
                done.append(f"the body ({', '.join(found.body.mine)})")
        elif part in found.applicable:
            done.append(f"the {snapshots.PARTS[part]}")
    mine_in = f" Your changes now in the form: {_joined(done)}." if done else ""
    if not found.clashes:
        return f"{who}’s changes and yours were combined; check before saving.{mine_in}"
    return (
        f"{who}’s changes and yours were combined, except {_what(found.clashes, found.body)}, "
        f"which you both changed: the form has {who}’s version and yours is shown above the "
        f"form. Merge them, tick “I have merged my changes”, then save.{mine_in}"
    )


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _what(parts: list[str], body: BodyMerge | None) -> str:
    named = []
    for part in parts:
        if part == "body" and body is not None and body.clashes:
            numbers = [_numbers(c["number"], max(c["count"], 1)) for c in body.clashes]
            named.append(f"{_joined(numbers)} of the body")
        else:
            named.append(f"the {snapshots.PARTS[part]}")
    return _joined(named)


def unresolved(data: dict | None) -> bool:
    """Whether a kept form holds parts both editors changed that its editor hasn't merged."""
    return bool(data and data.get("_mine"))


def resolve_error(data: dict) -> str:
    who = data.get("_who") or "someone else"
    what = "paragraphs" if set(data.get("_mine") or {}) == {"body"} else "parts of the story"
    return (
        f"Resolve the {what} you and {who} both changed: their version is in the form and "
        "yours is shown above it. Copy in what you need, tick “I have merged my changes”, "
        "then save."
    )


def _readable(part: str, values: list[str]) -> str:
    if part == "body":
        return html_to_text(values[0] if values else "")
    return ", ".join(values)


def clash_labels(data: dict) -> list[dict]:
    """The editor's versions of clashing parts kept in a working copy, to show them: for the
    body, each paragraph both changed, theirs (in the form) and the editor's."""
    paragraphs = data.get("_paragraphs") or []
    return [
        {
            "label": snapshots.LABELS[part],
            "text": text,
            "paragraphs": paragraphs if part == "body" else [],
        }
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

"""A story as plain data, and what changed between two of them (#12).

A snapshot holds everything an editor can change (text, address, section, picture, byline in
order, tags in order) and the publishing state. Revisions keep one after each save, unpublished
changes keep one, and the save service compares two to write an honest change message and to
skip saves that change nothing. The compare page and a refused stale save show the difference
word by word inside paragraphs, and the rest side by side.

Snapshots written before #12 lack the section and the picture, and those before #14 the SEO title
and description: a missing key is "not recorded", never a change.
"""

import difflib
import re

from .text import html_to_text

# Editable parts of a story, in the order editors read them, with their names in messages.
PARTS = {
    "headline": "headline",
    "slug": "slug",
    "standfirst": "standfirst",
    "body": "body",
    "authors": "byline",
    "tags": "tags",
    "section": "section",
    "lead_image": "lead image",
    "seo_title": "SEO title",
    "seo_description": "SEO description",
}
# The parts held as they are typed (plain text, or the body's HTML): copied to and from a
# snapshot as they are.
TEXT_PARTS = ("headline", "slug", "standfirst", "body", "seo_title", "seo_description")
# Compared word by word, above the body.
WORDED_PARTS = ("headline", "standfirst", "seo_title", "seo_description")
# The publishing state, with the embargo and the legal hold (#15): a change of any is a save.
STATE_KEYS = ("status", "published_at", "embargo_until", "legal_hold")
NOT_RECORDED = object()


def snapshot(article, *, authors=None, tags=None) -> dict:
    """The story as plain data. `authors` (Author objects, in byline order) and `tags` (names,
    in order) describe a byline and tags not saved yet; by default they are read."""
    if authors is None:
        bylines = article.bylines.select_related("author").order_by("position", "pk")
        authors = [b.author for b in bylines] if article.pk else []
    if tags is None:
        tags = list(article.tags.names()) if article.pk else []
    image = article.lead_image
    section = article.section
    return {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "embargo_until": article.embargo_until.isoformat() if article.embargo_until else None,
        "legal_hold": article.hold_reason if article.held_at else None,
        "section": {"id": section.pk, "name": section.name} if section else None,
        "lead_image": {"id": image.pk, "name": str(image)} if image else None,
        "authors": [{"id": a.pk, "name": a.name} for a in authors],
        "tags": list(tags),
    }


def _comparable(snap: dict, key: str):
    value = snap.get(key, NOT_RECORDED)
    if value is NOT_RECORDED or value is None:
        return value
    if key == "authors":
        return [entry["id"] for entry in value]
    if key in ("section", "lead_image"):
        return value["id"]
    return value


def changed_parts(old: dict | None, new: dict) -> list[str]:
    """The editable parts that differ, in PARTS order (every part when there was no `old`)."""
    if old is None:
        return list(PARTS)
    found = []
    for key in PARTS:
        before, after = _comparable(old, key), _comparable(new, key)
        if NOT_RECORDED in (before, after):
            continue
        if before != after:
            found.append(key)
    return found


def same_story(old: dict | None, new: dict) -> bool:
    return old is not None and not changed_parts(old, new)


def describe(parts) -> str:
    """ "headline, body and tags" """
    names = [PARTS[part] for part in parts]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- Showing differences -----------------------------------------------------------------

# A word, a punctuation mark or a run of spaces. Spaces never anchor a match (`_space`), which
# keeps matching quick on long paragraphs.
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\s+|[^\w\s]")


def _space(token: str) -> bool:
    return token.isspace()


# Beyond this many words, a paragraph is compared whole (word matching is quadratic).
MAX_WORDS = 2000
# Beyond this many changed paragraphs, the rest are shown whole: a comparison stays quick
# (a few seconds at most) even when every paragraph of a 3,000-paragraph story changed.
MAX_WORD_DIFFS = 300
# Paragraphs less alike than this are shown as one removed and one added, not word by word.
ALIKE = 0.4


def words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """(kind, text) pieces: "same", "removed" or "added". A two-word fix is two words."""
    a, b = words(before), words(after)
    if len(a) > MAX_WORDS or len(b) > MAX_WORDS:
        return [("removed", before), ("added", after)]
    return _pieces(difflib.SequenceMatcher(_space, a, b, autojunk=False))


def _pieces(matcher) -> list[tuple[str, str]]:
    a, b = matcher.a, matcher.b
    pieces = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        pieces += [("removed", "".join(a[i1:i2])), ("added", "".join(b[j1:j2]))]
    return _readable(pieces)


def _readable(pieces):
    """Whole changes, as a reader would mark them: one removal and one addition for each run
    of changes, with a space or a lone punctuation mark between two changes taken into them
    ("<del>ab cd</del><ins>xy zw</ins>", not four pieces), and spaces both sides end with left
    outside."""
    pieces = [(kind, text) for kind, text in pieces if text]
    result, removed, added = [], "", ""

    def close():
        nonlocal removed, added
        same = ""
        if removed and added:
            tail = min(len(removed) - len(removed.rstrip()), len(added) - len(added.rstrip()))
            if tail and removed[-tail:] == added[-tail:]:
                same, removed, added = removed[-tail:], removed[:-tail], added[:-tail]
        result.extend(
            (kind, text)
            for kind, text in (("removed", removed), ("added", added), ("same", same))
            if text
        )
        removed = added = ""

    for index, (kind, text) in enumerate(pieces):
        if kind == "same":
            between = (
                (removed or added)
                and len(text.strip()) <= 1
                and len(text) <= 2
                and index + 1 < len(pieces)
            )
            if between:
                removed, added = removed + text, added + text
                continue
            close()
            if result and result[-1][0] == "same":
                result[-1] = ("same", result[-1][1] + text)
            else:
                result.append(("same", text))
        elif kind == "removed":
            removed += text
        else:
            added += text
    close()
    return result


def _alike(a: str, b: str):
    """The word-by-word pieces of two paragraphs alike enough to show them so, else None."""
    wa, wb = words(a), words(b)
    if len(wa) > MAX_WORDS or len(wb) > MAX_WORDS:
        return None
    matcher = difflib.SequenceMatcher(_space, wa, wb, autojunk=False)
    if matcher.real_quick_ratio() < ALIKE or matcher.quick_ratio() < ALIKE:
        return None
    return _pieces(matcher) if matcher.ratio() >= ALIKE else None


def paragraphs(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def paragraph_diff(before: str, after: str, context: int = 1) -> list[dict]:
    """Rows of a text's comparison: unchanged paragraphs near a change ("same"), removed and
    added paragraphs, changed ones word by word ("changed", with `pieces`), and "gap" for
    unchanged stretches left out."""
    a, b = paragraphs(before), paragraphs(after)
    rows, budget = [], MAX_WORD_DIFFS
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append({"kind": "gap"})
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [{"kind": "same", "text": p} for p in a[i1:i2]]
                continue
            old, new = a[i1:i2], b[j1:j2]
            while budget and old and new and (pieces := _alike(old[0], new[0])) is not None:
                old.pop(0), new.pop(0)
                budget -= 1
                rows.append({"kind": "changed", "pieces": pieces})
            rows += [{"kind": "removed", "text": p} for p in old]
            rows += [{"kind": "added", "text": p} for p in new]
    return rows


def _text(snap: dict, key: str) -> str:
    value = snap.get(key, NOT_RECORDED)
    if value is NOT_RECORDED:
        return "(not recorded)"
    if value is None:
        return "—"
    if key == "body":
        return html_to_text(value)
    if key == "authors":
        return ", ".join(entry["name"] for entry in value) or "—"
    if key == "tags":
        return ", ".join(value) or "—"
    if key in ("section", "lead_image"):
        return value["name"]
    return str(value) or "—"


# Shown side by side in a comparison, below the text.
DETAILS = ["authors", "tags", "section", "lead_image", "slug"]
LABELS = {
    "headline": "Headline",
    "standfirst": "Standfirst",
    "body": "Body",
    "authors": "Byline (in order)",
    "tags": "Tags (in order)",
    "section": "Section",
    "lead_image": "Lead image",
    "slug": "Slug",
    "seo_title": "SEO title",
    "seo_description": "SEO description",
    "status": "Status",
    "published_at": "Publication time",
    "embargo_until": "Embargoed until",
    "legal_hold": "Legal hold",
}


def comparison(old: dict, new: dict) -> dict:
    """What the compare page shows: the headline, standfirst and SEO texts word by word, the
    body paragraph by paragraph and word by word, and the details side by side."""
    text = []
    for key in WORDED_PARTS:
        if NOT_RECORDED in (old.get(key, NOT_RECORDED), new.get(key, NOT_RECORDED)):
            continue
        before, after = _text(old, key), _text(new, key)
        if before != after:
            text.append({"label": LABELS[key], "pieces": word_diff(before, after)})
    body = paragraph_diff(_text(old, "body"), _text(new, "body"))
    details = [
        {
            "label": LABELS[key],
            "before": _text(old, key),
            "after": _text(new, key),
            "changed": key in changed_parts(old, new),
        }
        for key in DETAILS
    ]
    state = [
        {"label": LABELS[key], "before": _text(old, key), "after": _text(new, key)}
        for key in STATE_KEYS
        if old.get(key) != new.get(key)
    ]
    return {
        "text": text,
        "body": body,
        "details": details,
        "details_changed": any(row["changed"] for row in details),
        "state": state,
        "unchanged": not text
        and not body
        and not state
        and not any(row["changed"] for row in details),
    }

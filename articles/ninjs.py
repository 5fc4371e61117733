"""Stories as IPTC ninjs 2.0, the news industry's JSON interchange format, both ways (#18).

`to_ninjs()` describes a story for other newsrooms' systems; `import_ninjs()` makes a draft
from such a document with the plain-text importer's rules (importing.py): the same headline
and body imported again is found, not copied; a byline names each person once; authors are
matched by name; the text is kept exactly, typographic quotes and all.

Choices the standard leaves open, made once here (docs/ninjs.md says the same for readers):

- `uri` is a URN that never changes: `urn:newsroom:<site host>:story:<id>`. The story's
  address, which can change, is in `altids` (role "canonical"), and only while readers can
  see it: ninjs 2.0 has no `links`, and the top level allows no other properties.
- `pubstatus`: "usable" for a live story, "canceled" for a withdrawn one (IPTC: no longer
  to be used), "withheld" for everything else (a draft, in review, scheduled or embargoed:
  not to be used yet). `embargoed` is the embargo's time when there is one.
- ninjs has no publication time: `contentcreated` holds it (the story's creation before it
  is published); `firstcreated` and `versioncreated` are when the story was started and
  last saved.
- The body is the one feeds carry (`render_body(…, FEED)`): pictures, links to our stories
  and related boxes made whole, with absolute addresses.
- The lead picture is the association named "featureimage", with only the renditions made
  for readers: never the original file, which may be a 24-megapixel upload.
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.encoding import iri_to_uri

from .body import FEED, render_body
from .importing import (
    _BY_PREFIX,
    _NAME_SEPARATORS,
    ImportResult,
    ParsedStory,
    StoryFormatError,
    _byline_names,
    decode_story,
    import_story,
)
from .models import Article, Section
from .text import html_to_plain, html_to_text, sanitize_html, split_paragraphs, squash_spaces
from .workflow import State, state_of

SCHEMA = "https://www.iptc.org/std/ninjs/ninjs-schema_2.0.json"
# What a story's state means to whoever receives it (see the module's docstring).
PUBSTATUS = {State.LIVE: "usable", State.WITHDRAWN: "canceled"}
FEATURE_IMAGE = "featureimage"
# Lengths the story's fields hold (articles/models.py, authors/models.py, django-taggit).
HEADLINE_MAX, STANDFIRST_MAX, AUTHOR_NAME_MAX, TAG_MAX = 200, 500, 120, 100


def _absolute(url: str) -> str:
    """The address on the site, as a URI (non-ASCII tag slugs percent-encoded)."""
    return iri_to_uri(urljoin(settings.SITE_URL + "/", url))


def _urn(kind: str, pk: int) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"urn:newsroom:{host}:{kind}:{pk}"


def _time(moment) -> str:
    return moment.isoformat(timespec="seconds")


def byline_text(names: list[str]) -> str:
    """The byline as readers see it under the headline, without the "By": "A, B and C"."""
    return " and ".join(filter(None, [", ".join(names[:-1]), *names[-1:]]))


def to_ninjs(article: Article) -> dict[str, Any]:
    """The story as a ninjs 2.0 document (a dict ready for json.dumps).

    Load the story as its page does (`ArticleDetailView.with_notes()`, with `section` and
    `lead_image` selected and the picture's renditions attached): this reads the tags,
    byline, notes and renditions from there, and asks only for what the body names.
    """
    authors = article.byline_authors
    state = state_of(article)
    document: dict[str, Any] = {
        "uri": _urn("story", article.pk),
        "standard": {"name": "ninjs", "version": "2.0", "schema": SCHEMA},
        "type": "text",
        "representationtype": "full",
        "version": str(article.version),
        "firstcreated": _time(article.created_at),
        "versioncreated": _time(article.updated_at),
        "contentcreated": _time(article.published_at or article.created_at),
        "pubstatus": PUBSTATUS.get(state, "withheld"),
        "language": settings.LANGUAGE_CODE,
        "copyrightholder": settings.SITE_NAME,
        "slugline": article.slug,
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": article.headline}],
    }
    if article.embargo_until:
        document["embargoed"] = _time(article.embargo_until)
    descriptions = []
    if article.standfirst:
        descriptions.append(
            {"role": "summary", "contenttype": "text/plain", "value": article.standfirst}
        )
    # Corrections, clarifications and updates, as readers see them under the story.
    descriptions.extend(
        {"role": note.kind, "contenttype": "text/plain", "value": note.text}
        for note in article.reader_notes
    )
    if descriptions:
        document["descriptions"] = descriptions
    body = str(render_body(article, FEED))
    document["bodies"] = [
        {
            "role": "main",
            "contenttype": "text/html",
            "value": body,
            "wordcount": article.word_count,
            "charcount": len(html_to_plain(article.body)),
        }
    ]
    if authors:
        document["by"] = byline_text([author.name for author in authors])
        document["people"] = [
            {"name": author.name, "rel": "author", "uri": _absolute(author.get_absolute_url())}
            for author in authors
        ]
    subjects = [
        {"name": tag.name, "rel": "about", "uri": _absolute(tag.get_absolute_url())}
        for tag in article.tags.all()
    ]
    if article.section_id:
        section = article.section
        subjects.append(
            {"name": section.name, "rel": "section", "uri": _absolute(section.get_absolute_url())}
        )
    if subjects:
        document["subjects"] = subjects
    if picture := _feature_image(article):
        document["associations"] = [picture]
    if address := article.live_address():
        document["altids"] = [{"role": "canonical", "value": _absolute(address)}]
    return document


def _feature_image(article: Article) -> dict | None:
    """The lead picture with the renditions made for readers, or None without any."""
    image = article.lead_image
    if image is None:
        return None
    renditions = image.all_renditions()
    if not renditions:  # Still being processed, or failed: nothing to offer.
        return None
    picture: dict[str, Any] = {
        "name": FEATURE_IMAGE,
        "uri": _urn("picture", image.pk),
        "type": "picture",
    }
    descriptions = []
    if image.caption.strip():
        descriptions.append({"role": "caption", "value": image.caption.strip()})
    if image.alt:
        descriptions.append({"role": "alt", "value": image.alt})
    if descriptions:
        picture["descriptions"] = descriptions
    if image.credit:
        picture["by"] = image.credit
    picture["renditions"] = [
        {
            "name": f"{rendition.spec}-{rendition.width}w-{rendition.format}",
            "href": _absolute(rendition.file.url),
            "width": rendition.width,
            "height": rendition.height,
            "contenttype": rendition.mime_type,
        }
        for rendition in renditions
    ]
    return picture


# Import ---------------------------------------------------------------------------------------


@dataclass
class NinjsStory:
    """What a ninjs document holds for a draft: the story as the plain-text importer has it
    (headline, paragraphs or HTML body, byline), and what a plain-text file can't carry."""

    story: ParsedStory
    standfirst: str = ""
    tags: list[str] = field(default_factory=list)
    section_name: str = ""


def _say(field_name: str) -> str:
    return f"“{field_name}”"


def _text(value, where: str) -> str:
    """A string the database can keep: no NUL or other control characters, no lone
    surrogates (which JSON's \\u escapes allow and PostgreSQL refuses)."""
    if not isinstance(value, str):
        raise StoryFormatError(f"{_say(where)} should be text, not {_json_type(value)}.")
    for ch in value:
        category = unicodedata.category(ch)
        if (category == "Cc" and ch not in "\n\r\t") or category == "Cs":
            raise StoryFormatError(
                f"{_say(where)} holds a control character (U+{ord(ch):04X}) that can't be kept "
                "in a story."
            )
    return value


def _json_type(value) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _objects(document: dict, key: str) -> list[dict]:
    """The list of objects under `key` (empty when absent)."""
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise StoryFormatError(
            f"{_say(key)} should be a list of objects, not {_json_type(value)}."
            if not isinstance(value, list)
            else f"{_say(key)} should hold only objects."
        )
    return value


def _pick(items: list[dict], roles: tuple[str, ...]) -> dict | None:
    """The item with the first of `roles`, else the first without a role, else None."""
    for role in roles:
        for item in items:
            if isinstance(item.get("role"), str) and item["role"].lower() == role:
                return item
    return next((item for item in items if item.get("role") is None), None)


def _plain(item: dict, where: str) -> str:
    """An item's value as plain text (HTML headlines and summaries lose their tags)."""
    if "value" not in item:
        raise StoryFormatError(f"Each of {_say(where)} needs a “value”.")
    value = _text(item["value"], f"{where}.value")
    if _content_type(item, where) in HTML_TYPES:
        value = html_to_plain(sanitize_html(value))
    return squash_spaces(value)


HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Markup in a body that says who sent it did not say it was HTML.
_LOOKS_HTML = re.compile(r"<(p|div|h[1-6]|ul|ol|blockquote|br|table|figure)\b", re.IGNORECASE)


def _content_type(item: dict, where: str) -> str:
    kind = item.get("contenttype")
    if kind is None:
        return ""
    return _text(kind, f"{where}.contenttype").split(";")[0].strip().lower()


def _split_byline(by: str) -> list[str]:
    """Names in a "by" line as the plain-text importer reads a byline: "By A, B and C"."""
    names = []
    for line in by.split("\n"):
        line = _BY_PREFIX.sub("", line.strip())
        names.extend(squash_spaces(part) for part in _NAME_SEPARATORS.split(line) if part.strip())
    return names


def _once(names: list[str]) -> list[str]:
    """Each name once, case aside, in the order given (a byline repeated counts once)."""
    seen: set[str] = set()
    return [name for name in names if not (name.casefold() in seen or seen.add(name.casefold()))]


def load_document(data: bytes | str | dict) -> dict:
    """The JSON object in `data`, or StoryFormatError saying why it isn't one."""
    if isinstance(data, bytes):
        data = decode_story(data)
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise StoryFormatError(
                f"This is not JSON: {error.msg} (line {error.lineno}, column {error.colno})."
            ) from None
        except RecursionError:
            raise StoryFormatError("This JSON is nested too deeply to be a story.") from None
        except ValueError as error:  # e.g. an integer of more digits than Python reads
            raise StoryFormatError(f"This JSON can't be read: {error}.") from None
    if not isinstance(data, dict):
        raise StoryFormatError(
            f"A ninjs document is a JSON object, not {_json_type(data)}: there is no story in it."
        )
    return data


def parse_ninjs(data: bytes | str | dict) -> NinjsStory:
    """Reads a ninjs document (2.0, with 1.x's `headline`/`body_html`/`body_text` accepted
    too) into a story, keeping its text exactly; bad input raises StoryFormatError."""
    document = load_document(data)

    headlines = _objects(document, "headlines")
    if headlines:
        chosen = _pick(headlines, ("main",)) or headlines[0]
        headline = _plain(chosen, "headlines")
    elif "headline" in document:
        headline = squash_spaces(_text(document["headline"], "headline"))
    else:
        headline = ""
    if not headline:
        raise StoryFormatError("The document has no headline (“headlines” with a “value”).")
    if len(headline) > HEADLINE_MAX:
        raise StoryFormatError(
            f"The headline is {len(headline)} characters long; the limit is {HEADLINE_MAX}."
        )

    body_html, paragraphs, body_byline = _body(document)
    has_text = html_to_plain(body_html).strip() if body_html else paragraphs
    if not has_text:
        raise StoryFormatError(f"“{headline}” has a headline but no body (“bodies”).")

    # A byline repeated in the body's last lines (as in wire copy) counts once.
    byline = _once(_byline(document) + body_byline)
    for name in byline:
        if len(name) > AUTHOR_NAME_MAX:
            raise StoryFormatError(
                f"“{name[:40]}…” is too long for an author's name (the limit is "
                f"{AUTHOR_NAME_MAX} characters): is “by” really a byline?"
            )

    descriptions = _objects(document, "descriptions")
    summary = next(
        (
            item
            for item in descriptions
            if isinstance(item.get("role"), str)
            and item["role"].lower() in ("summary", "standfirst", "description")
        ),
        None,
    )
    standfirst = _plain(summary, "descriptions") if summary else ""
    if not standfirst and "description_text" in document:
        standfirst = squash_spaces(_text(document["description_text"], "description_text"))
    if len(standfirst) > STANDFIRST_MAX:
        raise StoryFormatError(
            f"The summary is {len(standfirst)} characters long; a standfirst holds at most "
            f"{STANDFIRST_MAX}."
        )

    tags, section_name = [], ""
    for number, subject in enumerate(_objects(document, "subjects")):
        if subject.get("name") is None:  # Only a code ("literal", "uri"): no words to keep.
            continue
        name = squash_spaces(_text(subject["name"], f"subjects[{number}].name"))
        rel = subject.get("rel")
        if rel is not None:
            rel = _text(rel, f"subjects[{number}].rel").lower()
        if not name:
            continue
        if rel == "section":
            section_name = section_name or name
            continue
        if len(name) > TAG_MAX:
            raise StoryFormatError(
                f"The subject “{name[:40]}…” is too long for a tag (the limit is {TAG_MAX} "
                "characters)."
            )
        tags.append(name)

    story = ParsedStory(
        headline=headline, paragraphs=paragraphs, byline=byline, body_html=body_html
    )
    return NinjsStory(
        story=story, standfirst=standfirst, tags=_once(tags), section_name=section_name
    )


def _body(document: dict) -> tuple[str, list[str], list[str]]:
    """(body HTML, paragraphs, byline found at the end of a plain-text body).

    HTML goes through the sanitiser every editor's body goes through; plain text becomes
    paragraphs, with trailing name-only lines read as a byline, as in a plain-text file."""
    bodies = _objects(document, "bodies")
    if bodies:
        item = _pick(bodies, ("main",)) or bodies[0]
        if "value" not in item:
            raise StoryFormatError("Each of “bodies” needs a “value”.")
        value, kind = _text(item["value"], "bodies.value"), _content_type(item, "bodies")
    elif "body_html" in document:
        value, kind = _text(document["body_html"], "body_html"), "text/html"
    elif "body_text" in document:
        value, kind = _text(document["body_text"], "body_text"), "text/plain"
    else:
        return "", [], []
    if not kind:
        kind = "text/html" if _LOOKS_HTML.search(value) else "text/plain"
    if kind in HTML_TYPES:
        html = sanitize_html(value)
        return html, split_paragraphs(html_to_text(html)), []
    if kind != "text/plain":
        raise StoryFormatError(
            f"The body is “{kind[:60]}”, which can't be imported: send text/html or text/plain."
        )
    blocks = split_paragraphs(value)
    byline: list[str] = []
    while len(blocks) > 1 and (names := _byline_names(blocks[-1])) is not None:
        blocks.pop()
        byline = names + byline
    return "", [squash_spaces(block) for block in blocks], byline


def _byline(document: dict) -> list[str]:
    """The names of the people with rel "author", else those in `by`."""
    names = []
    for number, person in enumerate(_objects(document, "people")):
        rel = person.get("rel")
        if rel is None or _text(rel, f"people[{number}].rel").lower() != "author":
            continue
        if person.get("name") is None:
            continue
        name = squash_spaces(_text(person["name"], f"people[{number}].name"))
        if name:
            names.append(name)
    if not names and document.get("by") is not None:
        names = _split_byline(_text(document["by"], "by"))
    return names


def import_ninjs(data: bytes | str | dict, *, by) -> ImportResult:
    """Makes a draft of a ninjs document, or finds the story it made before (same headline
    and body). `by` is who imports (or SYSTEM). The section is set when one of that name
    exists; sections are made in the admin, not by imports."""
    parsed = parse_ninjs(data)
    section = (
        Section.objects.filter(name__iexact=parsed.section_name).first()
        if parsed.section_name
        else None
    )
    return import_story(
        parsed.story,
        by=by,
        standfirst=parsed.standfirst,
        tags=parsed.tags,
        section=section,
    )

"""Reads stories in Newsroom's plain-text format.

The format, as reporters file it: the first non-blank line is the headline; blank-line separated
blocks are paragraphs; trailing lines that are only a person's name (optionally "By …", several
joined by "and" or commas) are the byline. A byline repeated at the end counts once.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from authors.models import Author

from . import workflow
from .models import Article, Section
from .services import article_create, article_save
from .text import (
    normalize_newlines,
    paragraphs_to_html,
    sanitize_html,
    split_paragraphs,
    squash_spaces,
)


class StoryFormatError(ValueError):
    """The file can't be read as a story; the message says why, for the person importing it."""


@dataclass
class ParsedStory:
    headline: str
    paragraphs: list[str]
    byline: list[str] = field(default_factory=list)
    # The body as HTML, when the story came with its markup (ninjs, #18): it is the body
    # instead of the paragraphs, which then only say how long it is.
    body_html: str = ""


# A name: two to five words, each starting with a capital letter (any script that has case),
# allowing particles (de, van, bin …), initials, hyphens and apostrophes.
_NAME_WORD = re.compile(r"^[^\W\d_][\w’'\-]*\.?$")
_PARTICLES = {"de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den", "bin"}
_BY_PREFIX = re.compile(r"^by\s+", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r"\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s*&\s*")


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 80:
        return False
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not _NAME_WORD.match(word) or not word[0].isupper():
            return False
    # A sentence ends with punctuation; a name only with an initial or a suffix ("Jr.").
    last = words[-1]
    return not last.endswith((".", "!", "?", ":", ";")) or len(last) <= 3 and last[-1] == "."


def _byline_names(block: str) -> list[str] | None:
    """The names in a block if every line of it is a byline, else None."""
    names = []
    for line in block.split("\n"):
        line = _BY_PREFIX.sub("", line.strip())
        parts = [part.strip() for part in _NAME_SEPARATORS.split(line) if part.strip()]
        if not parts or not all(_looks_like_name(part) for part in parts):
            return None
        names.extend(squash_spaces(part) for part in parts)
    return names


def decode_story(data: bytes) -> str:
    if not data.strip():
        raise StoryFormatError("The file is empty: there is no story to import.")
    if b"\x00" in data:
        raise StoryFormatError("This is a binary file, not a story: save it as plain text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StoryFormatError(
            f"The file is not UTF-8 text (byte 0x{data[error.start]:02x} at position "
            f"{error.start} can't be read). Save it as UTF-8 and import it again."
        ) from None
    controls = {ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"}
    if controls:
        raise StoryFormatError("This is a binary file, not a story: save it as plain text.")
    return normalize_newlines(text)


def parse_story(data: bytes) -> ParsedStory:
    """Splits a story file into headline, paragraphs and byline, keeping the text exactly."""
    blocks = split_paragraphs(decode_story(data))
    if not blocks:
        raise StoryFormatError("The file is empty: there is no story to import.")
    headline, _, rest = blocks[0].partition("\n")
    headline = squash_spaces(headline)
    blocks = ([rest.strip()] if rest.strip() else []) + blocks[1:]

    byline: list[str] = []
    while blocks:
        names = _byline_names(blocks[-1])
        if names is None:
            break
        blocks.pop()
        byline = names + byline
    # A byline repeated at the end (as in wire copy) names each person once.
    seen: set[str] = set()
    byline = [name for name in byline if not (name.casefold() in seen or seen.add(name.casefold()))]

    paragraphs = [squash_spaces(block) for block in blocks]
    if not paragraphs:
        raise StoryFormatError(
            f"“{headline}” has a headline but no paragraphs: put a blank line between the "
            "headline and the story, and between paragraphs."
        )
    if len(headline) > 200:
        raise StoryFormatError(
            f"The headline is {len(headline)} characters long; the limit is 200. Is the first "
            "line really the headline?"
        )
    return ParsedStory(headline=headline, paragraphs=paragraphs, byline=byline)


@dataclass
class ImportResult:
    article: Article
    created: bool
    # What this import did to the story's state: "published", "submitted for review" or "".
    change: str = ""


@transaction.atomic
def import_story(
    story: ParsedStory,
    *,
    by,
    author_names: Sequence[str] = (),
    publish: bool = False,
    submit: bool = False,
    standfirst: str = "",
    section: Section | None = None,
    tags: Sequence[str] = (),
    published_at: datetime | None = None,
) -> ImportResult:
    """Saves a parsed story once: the same headline and text imported again is found, not copied.

    Authors are matched by name and created if missing. `by` is the person importing, or
    SYSTEM; publishing or submitting is the workflow's transition, with the same permission
    checks as in the admin, made in the same save as the story (one revision). All or
    nothing: a story that can't be published is not saved.
    """
    # Saving sanitises a body, and sanitising twice changes nothing: the same markup imported
    # again matches the body stored the first time.
    body = (
        sanitize_html(story.body_html) if story.body_html else paragraphs_to_html(story.paragraphs)
    )
    article = Article.objects.filter(headline=story.headline, body=body).first()
    transition = "publish" if publish else "submit" if submit else ""
    if article is None:
        names = list(author_names) or story.byline
        if transition and not names:
            raise ValidationError(
                "The story has no byline, and it needs an author to be published or reviewed."
            )
        result = article_create(
            headline=story.headline,
            paragraphs=story.paragraphs,
            authors=[Author.objects.get_or_create_by_name(name)[0] for name in names],
            standfirst=standfirst,
            section=section,
            tags=tags,
            by=by,
            transition=transition,
            published_at=published_at,
            body_html=body if story.body_html else None,
        )
        _refuse_if_not_made(result)
        return ImportResult(result.article, created=True, change=_change_words(result.made))
    found = ImportResult(article, created=False)
    state = workflow.state_of(article)
    wanted = (
        "publish"
        if publish and state not in (workflow.State.LIVE, workflow.State.SCHEDULED)
        else "submit"
        if submit and state == workflow.State.DRAFT
        else ""
    )
    if wanted:
        result = article_save(article=article, by=by, transition=wanted, at=published_at)
        _refuse_if_not_made(result)
        found.article, found.change = result.article, _change_words(result.made)
    return found


def _refuse_if_not_made(result) -> None:
    if result.refused:
        # Raising rolls the whole import back: nothing is half-imported.
        raise ValidationError(f"It can't be {result.asked.verb}: {result.refused}.")


def _change_words(made) -> str:
    if made is None:
        return ""
    return {"publish": "published", "submit": "submitted for review"}.get(made.name, made.verb)

"""Story bodies: plain paragraphs in, sanitised HTML out, and back again for editing.

The body is stored as HTML that Newsroom produced itself. Whatever reaches `Article.save()` is
passed through `sanitize_html`, so no path (admin, import, shell) can store markup outside the
allowlist.
"""

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.utils.html import escape

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# What the admin's editor offers (#4); sanitize_html() allows exactly what these produce.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    # The library turns the browser's spell-check off by default; writers want it (#14).
    "NoSpellCheck": False,
}
# Characters of a headline that search results show before cutting it (about 600 pixels).
HEADLINE_SHOWN = 60

_BLANK_LINES = re.compile(r"\n[ \t\f\v]*\n")
_ASCII_SPACES = re.compile(r"[ \t\n\f\v]+")
# nh3 serialises every kept link the same way, so its output can be matched reliably.
_LINK = re.compile(r'<a href="([^"]*)"')
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
WORDS_PER_MINUTE = 230


def _is_external(href: str) -> bool:
    parts = urlsplit(unescape(href))
    own_host = urlsplit(settings.SITE_URL).hostname
    return (
        parts.scheme in {"http", "https"} and bool(parts.hostname) and (parts.hostname != own_host)
    )


def _mark_external(match: re.Match) -> str:
    if _is_external(match.group(1)):
        return f'{match.group(0)} rel="noopener noreferrer"'
    return match.group(0)


def _clean_once(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    ).strip()
    return _LINK.sub(_mark_external, cleaned)


def sanitize_html(html: str) -> str:
    """Keeps only the allowlisted tags, attributes and link schemes (no script, style, event
    handler, javascript: or data: URL survives); links to other sites get
    rel="noopener noreferrer".

    Idempotent: some malformed nestings (a link inside a link) serialise into markup that
    parses differently again, so clean until the output is stable.
    """
    html = html or ""
    for _ in range(5):
        cleaned = _clean_once(html)
        if cleaned == html:
            break
        html = cleaned
    return cleaned


def word_count(html: str) -> int:
    return len(_WORD.findall(html_to_plain(html)))


def squash_spaces(text: str) -> str:
    """Folds runs of ASCII white space (line breaks too) into one space; keeps no-break spaces."""
    return _ASCII_SPACES.sub(" ", text).strip()


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, each with its lines kept, outer whitespace trimmed."""
    blocks = _BLANK_LINES.split(normalize_newlines(text))
    return [block.strip() for block in blocks if block.strip()]


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """One escaped <p> per paragraph; a line break inside a paragraph becomes <br>."""
    rendered = []
    for paragraph in paragraphs:
        lines = [squash_spaces(line) for line in paragraph.split("\n")]
        rendered.append("<p>" + "<br>".join(escape(line) for line in lines if line) + "</p>")
    return "\n".join(rendered)


def text_to_html(text: str) -> str:
    return paragraphs_to_html(split_paragraphs(text))


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "li", "blockquote", "h2", "h3", "ul", "ol", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []

    def _flush(self):
        text = "".join(self.current).strip()
        if text:
            self.blocks.append("\n".join(line.strip() for line in text.split("\n")))
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._flush()
        elif tag == "br":
            self.current.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        self.current.append(data.replace("\n", " "))

    def close(self):
        super().close()
        self._flush()


def html_to_text(html: str) -> str:
    """The body as plain paragraphs separated by blank lines, for the plain-text editor."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    return "\n\n".join(parser.blocks)


def html_to_plain(html: str) -> str:
    """All the text of an HTML fragment on one line, e.g. for a meta description."""
    return " ".join(html_to_text(html).split())

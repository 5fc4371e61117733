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
from django.urls import reverse_lazy
from django.utils.html import escape, format_html

from embeds.providers import match as embed_match

ALLOWED_TAGS = {
    *("p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "hr"),
    # The body's structured nodes (#14; their stored forms are described in articles/body.py).
    *("figure", "figcaption", "img", "aside"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "data-story"},
    "ol": {"start"},
    "figure": {"data-image", "data-embed"},
    "img": {"src", "alt"},
    "aside": {"data-related"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Classes are kept only where named: a pull quote is `<aside class="pull-quote">`.
ALLOWED_CLASSES = {"aside": {"pull-quote"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# What the admin's editor offers (#4); sanitize_html() allows exactly what these produce.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    # Links to our stories by id, or to an address (static/js/editor/stories.js, #14).
    "StoryLink": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    # Pictures from the library (static/js/editor/picture.js, settings).
    "Picture": True,
    # Tables with a header row, pull quotes and "read more" boxes (stories.js, #14).
    "StoryTable": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "PullQuote": True,
    "RelatedStory": True,
    # Videos, posts, charts and documents by address (static/js/editor/embed.js, settings); the
    # editor asks the lookup what readers will get.
    "Embed": {"lookupUrl": reverse_lazy("admin:embeds_oembedanswer_lookup")},
    # The library turns the browser's spell-check off by default; writers want it (#14).
    "NoSpellCheck": False,
}
# Characters of a headline that search results show before cutting it (about 600 pixels).
HEADLINE_SHOWN = 60
# Characters of a description that search results show before cutting it (about 920 pixels).
DESCRIPTION_SHOWN = 160

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


_ID = re.compile(r"[1-9][0-9]{0,9}")
_SPAN = re.compile(r"[1-9][0-9]?")


def recognised_embed(url: str) -> bool:
    """Whether a provider the site knows plays this address (embeds/providers.py)."""
    return embed_match(url) is not None


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    """Values the allowlist can't express: ids are numbers, spans small, embeds recognised."""
    if name in {"data-story", "data-image", "data-related"}:
        return value if _ID.fullmatch(value) else None
    if name in {"colspan", "rowspan"}:
        return value if _SPAN.fullmatch(value) else None
    if name == "data-embed":
        return value if recognised_embed(value) else None
    return value


# Inside a caption, a pull quote's paragraphs or a related box: words, emphasis and links.
_INLINE_TAGS = {"em", "strong", "a", "br"}
_BLOCK_START = re.compile(r"<(?:p|ul|ol|h2|h3|blockquote|table|figure|aside|hr)[ >]")


def _inline(html: str) -> str:
    return nh3.clean(
        html,
        tags=_INLINE_TAGS,
        attributes={"a": {"href", "title"}},
        attribute_filter=_attribute_filter,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
    ).strip()


_EMPTY_CELL = re.compile(r"<(t[dh])(?: colspan=\"\d+\")?>(?:\s|&nbsp;|<br>)*</\1>")


def _cell(node: "Node", tag: str) -> str:
    inner = _canonical_tables(node.inner.strip())
    # The editor holds a cell's words in a paragraph; one paragraph alone is stored bare.
    only = split_nodes(inner, lambda name, attrs: name == "p")
    if len(only) == 1 and isinstance(only[0], Node) and "<p" not in only[0].inner:
        inner = only[0].inner
    spans = "".join(
        f' {name}="{node.attrs[name]}"'
        for name in ("colspan", "rowspan")
        if node.attrs.get(name, "1") != "1"
    )
    return f"<{tag}{spans}>{inner}</{tag}>"


def _table(node: "Node") -> str:
    """A table with its header row (#14): the rows of its `<thead>`, else its first row, whose
    cells become header cells; the other rows in `<tbody>`. No rows, no table."""
    rows = split_nodes(node.inner, lambda tag, attrs: tag == "tr")
    rows = [row for row in rows if isinstance(row, Node)]
    if not rows:
        return ""
    thead = next(node.find("thead"), None)
    head_rows = (sum(1 for _ in thead.find("tr")) if thead else 0) or 1

    def cells(row):
        parts = split_nodes(row.inner, lambda tag, attrs: tag in {"th", "td"})
        return [part for part in parts if isinstance(part, Node)]

    head = "".join(
        "<tr>" + "".join(_cell(cell, "th") for cell in cells(row)) + "</tr>"
        for row in rows[:head_rows]
    )
    body = [[_cell(cell, cell.tag) for cell in cells(row)] for row in rows[head_rows:]]
    # Rows left empty at the end (the editor's new table has three) are not shown to readers,
    # unless a cell above reaches into them.
    if "rowspan" not in node.inner:
        while body and all(_EMPTY_CELL.fullmatch(cell) for cell in body[-1]):
            body.pop()
    rows_html = "".join("<tr>" + "".join(row) + "</tr>" for row in body)
    return f"<table><thead>{head}</thead><tbody>{rows_html}</tbody></table>"


def _canonical_tables(html: str) -> str:
    if "<table" not in html:
        return html
    return "".join(
        part if isinstance(part, str) else _table(part)
        for part in split_nodes(html, lambda tag, attrs: tag == "table")
    )


def _canonical_node(node: "Node") -> str:
    """Each structured node in the one form the editor and the renderers know; anything
    else that looks like one becomes ordinary text, so no stray picture or box survives."""
    if node.tag == "table":
        return _table(node)
    if node.tag == "img":
        return ""  # Outside a library picture's figure: a hotlinked or pasted picture.
    if node.tag == "figure" and "data-image" in node.attrs:
        img = next(node.find("img"), None)
        caption = next(node.find("figcaption"), None)
        src = img.attrs.get("src", "") if img else ""
        alt = img.attrs.get("alt", "") if img else ""
        html = format_html(
            '<figure data-image="{}"><img src="{}" alt="{}">', node.attrs["data-image"], src, alt
        )
        if caption is not None and (text := _inline(caption.inner)):
            html += f"<figcaption>{text}</figcaption>"
        return html + "</figure>"
    if node.tag == "figure" and "data-embed" in node.attrs:
        url = node.attrs["data-embed"]
        return format_html('<figure data-embed="{}"><a href="{}">{}</a></figure>', url, url, url)
    if node.tag == "aside" and "data-related" in node.attrs:
        link = next(node.find("a"), None)
        href = link.attrs.get("href", "") if link else ""
        words = html_to_plain(link.inner if link else node.inner)
        return format_html(
            '<aside data-related="{}"><a href="{}">{}</a></aside>',
            node.attrs["data-related"],
            href,
            words,
        )
    if node.tag == "aside" and node.attrs.get("class") == "pull-quote":
        paragraphs = [p for block in split_paragraphs(html_to_text(node.inner)) for p in [block]]
        inner = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        return f'<aside class="pull-quote">{inner}</aside>' if inner else ""
    # A figure or aside that is none of these gives up its content: its blocks as they are,
    # else its words and links as a paragraph (an embed no provider plays: a plain link).
    if _BLOCK_START.search(node.inner):
        return node.inner
    inner = _inline(node.inner)
    return f"<p>{inner}</p>" if inner else ""


def _is_node(tag: str, attrs: dict) -> bool:
    return tag in {"figure", "aside", "img", "table"}


def _clean_once(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    ).strip()
    if any(tag in cleaned for tag in ("<figure", "<aside", "<img", "<table")):
        cleaned = "".join(
            part if isinstance(part, str) else _canonical_node(part)
            for part in split_nodes(cleaned, _is_node)
        )
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


# An embed's address is not words a reader reads (the editor's live count skips it too).
_EMBED_FIGURE = re.compile(r"<figure data-embed=[^>]*>.*?</figure>", re.DOTALL)


def word_count(html: str) -> int:
    return len(_WORD.findall(html_to_plain(_EMBED_FIGURE.sub("", html or ""))))


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
    BLOCKS |= {"figure", "figcaption", "aside", "table", "tr", "th", "td"}

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


# Structured nodes ---------------------------------------------------------------------------

_VOID = {"br", "hr", "img", "wbr", "input", "source"}


class Node:
    """One element of a sanitised body, whole: its tag, attributes and inner HTML."""

    def __init__(self, tag: str, attrs: dict[str, str], inner: str):
        self.tag, self.attrs, self.inner = tag, attrs, inner

    def find(self, tag: str):
        """The elements with this tag inside, outermost first."""
        return (
            part
            for part in split_nodes(self.inner, lambda name, attrs: name == tag)
            if not isinstance(part, str)
        )

    def __repr__(self):
        return f"<Node {self.tag} {self.attrs}>"


class _Splitter(HTMLParser):
    def __init__(self, pick):
        super().__init__(convert_charrefs=False)
        self.pick = pick
        self.parts: list[str | Node] = []
        self.text: list[str] = []
        self.node = None  # (tag, attrs, inner parts, depth) while inside a picked element

    def _emit(self, raw: str):
        (self.node[2] if self.node else self.text).append(raw)

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text()
        if self.node is None and self.pick(tag, dict(attrs)):
            self.parts.append("".join(self.text))
            self.text = []
            attributes = {name: value or "" for name, value in attrs}
            if tag in _VOID:
                self.parts.append(Node(tag, attributes, ""))
            else:
                self.node = [tag, attributes, [], 1]
            return
        if self.node is not None and tag not in _VOID:
            self.node[3] += 1
        self._emit(raw)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.node is not None and tag not in _VOID:
            self.node[3] -= 1
            if self.node[3] == 0:
                name, attributes, inner, _ = self.node
                self.parts.append(Node(name, attributes, "".join(inner)))
                self.node = None
                return
        self._emit(f"</{tag}>")

    def handle_data(self, data):
        self._emit(data)

    def handle_entityref(self, name):
        self._emit(f"&{name};")

    def handle_charref(self, name):
        self._emit(f"&#{name};")


def split_nodes(html: str, pick) -> list:
    """Sanitised HTML as a list of strings (passed through byte for byte) and `Node`s: the
    outermost elements for which `pick(tag, attrs)` is true, whole."""
    splitter = _Splitter(pick)
    splitter.feed(html)
    splitter.close()
    if splitter.node is not None:  # Unclosed (not from the sanitiser): keep what was read.
        name, attributes, inner, _ = splitter.node
        splitter.parts.append(Node(name, attributes, "".join(inner)))
    splitter.parts.append("".join(splitter.text))
    return [part for part in splitter.parts if part != ""]

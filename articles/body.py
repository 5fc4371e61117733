"""Story bodies as readers get them (#14).

A body is stored as sanitised HTML (articles/text.py, the single rule). Besides text it holds
structured nodes in compact forms the editor makes and reads back:

- a link to one of our stories: `<a href="/2026/12/01/slug/" data-story="123">words</a>`;
- a picture from the library: `<figure data-image="42"><img src="…" alt="…"><figcaption>Caption
  for this use</figcaption></figure>` (the img is only the editor's preview);
- a related-story box: `<aside data-related="123"><a href="…">Headline</a></aside>`;
- an embed: `<figure data-embed="https://…"><a href="https://…">https://…</a></figure>`;
- a table (`<table>` with a `<thead>` header row), which readers get in a scrolling region;
- a pull quote `<aside class="pull-quote"><p>…</p></aside>`, which needs no rewriting.

Readers get those nodes made whole from the current state of what they name: a story's current
address and headline while it is live (nothing that leaks a draft's or a withdrawn story's
address), a picture's renditions, alt text, caption and credit. `render_bodies()` does it for
any number of stories with one query per kind of node present, whatever their number.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin

from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from embeds.models import OEmbedAnswer
from embeds.render import embed_html
from images.models import Image
from images.templatetags.images import render_picture
from newsroom.surrogate_keys import image_key, story_key

from .models import Article
from .text import Node, split_nodes

PAGE, FEED = "page", "feed"
# Pictures in a story's column: as wide as the text on large screens.
BODY_SIZES = "(min-width: 42rem) 38rem, 100vw"


@dataclass(frozen=True)
class NodeKind:
    """A `tag` carrying `attribute` is a node; when `loads` names a loader, the attribute's
    value (read by `key`) is the id of what it loads; readers get `render(node, loaded,
    surface)` ("" removes it)."""

    tag: str
    attribute: str
    loads: str | None
    render: Callable[[Node, dict, str], str]
    key: Callable[[str], object] = int

    def picks(self, tag: str, attrs: dict) -> bool:
        return tag == self.tag and (not self.attribute or self.attribute in attrs)

    @property
    def marker(self) -> str:
        """What a body holding such a node must contain."""
        return f"{self.attribute}=" if self.attribute else f"<{self.tag}"


def _live_stories(ids) -> dict:
    stories = Article.objects.published().filter(pk__in=ids)
    return {
        story.pk: story
        for story in stories.only("pk", "headline", "slug", "publication_date", "published_at")
    }


def _pictures(ids) -> dict:
    return {image.pk: image for image in Image.objects.filter(pk__in=ids).with_renditions()}


# What each reference names, loaded with one query (and a prefetch) for every body at once:
# embeds' answers by address (what their providers said when they were embedded).
LOADERS: dict[str, Callable[[set], dict]] = {
    "story": _live_stories,
    "image": _pictures,
    "embed": OEmbedAnswer.objects.for_urls,
}


def _absolute(url: str, surface: str) -> str:
    return urljoin(settings.SITE_URL + "/", url) if surface == FEED else url


def _story_link(node: Node, stories: dict, surface: str) -> str:
    story = stories.get(int(node.attrs["data-story"]))
    if story is None:
        return node.inner  # The words stay; the address of a story readers can't see goes.
    return format_html(
        '<a href="{}">{}</a>', _absolute(story.get_absolute_url(), surface), mark_safe(node.inner)
    )


def _related(node: Node, stories: dict, surface: str) -> str:
    story = stories.get(int(node.attrs["data-related"]))
    if story is None:
        return ""
    return format_html(
        '<aside class="related-box" aria-label="Read more"><p class="related-box__label">'
        'Read more</p><a class="related-box__link" href="{}">{}</a></aside>',
        _absolute(story.get_absolute_url(), surface),
        story.headline,
    )


def _picture(node: Node, images: dict, surface: str) -> str:
    image = images.get(int(node.attrs["data-image"]))
    if image is None or not image.file or not image.is_ready:
        return ""  # Not made yet (#15): no picture, rather than the original.
    caption = next(node.find("figcaption"), None)
    caption_html = mark_safe(caption.inner) if caption and caption.inner else escape(image.caption)
    if surface == FEED:
        version = image.version("full", "jpeg", near=1200)
        picture = format_html(
            '<img src="{}" width="{}" height="{}" alt="{}">',
            _absolute(version.url, surface),
            version.width,
            version.height,
            image.alt,
        )
    else:
        picture = render_picture(image, sizes=BODY_SIZES, loading="lazy")
    parts = []
    if caption_html:
        parts.append(format_html('<span class="figure-caption">{}</span>', caption_html))
    if image.credit:
        parts.append(format_html('<span class="figure-credit">{}</span>', image.credit_line))
    figcaption = (
        format_html("<figcaption>{}</figcaption>", mark_safe(" ".join(parts))) if parts else ""
    )
    return format_html('<figure class="story-figure">{}{}</figure>', picture, figcaption)


def _embed(node: Node, answers: dict, surface: str) -> str:
    """A click-to-load placeholder on pages, a plain link in feeds (embeds/render.py)."""
    url = node.attrs["data-embed"]
    return embed_html(url, answers.get(url), feed=surface == FEED)


def _table(node: Node, loaded: dict, surface: str) -> str:
    table = format_html("<table>{}</table>", mark_safe(node.inner))
    if surface == FEED:
        return table
    # Wide tables scroll sideways inside the column; the region takes the keyboard's focus so
    # it can be scrolled without a mouse.
    return format_html(
        '<div class="table-scroll" role="region" aria-label="Table" tabindex="0">{}</div>', table
    )


KINDS: list[NodeKind] = [
    NodeKind("a", "data-story", "story", _story_link),
    NodeKind("aside", "data-related", "story", _related),
    NodeKind("figure", "data-image", "image", _picture),
    NodeKind("figure", "data-embed", "embed", _embed, key=str),
    NodeKind("table", "", None, _table),
]


def _kind(tag: str, attrs: dict) -> NodeKind | None:
    return next((kind for kind in KINDS if kind.picks(tag, attrs)), None)


def render_bodies(articles: Iterable[Article], surface: str = PAGE) -> dict[int, SafeString]:
    """Each story's body as readers get it, by story id."""
    markers = {kind.marker for kind in KINDS}
    split = {}
    wanted: dict[str, set[int]] = defaultdict(set)
    for article in articles:
        body = article.body or ""
        if not any(marker in body for marker in markers):
            split[article.pk] = [body]  # Nothing to rewrite: served as stored.
            continue
        split[article.pk] = parts = split_nodes(body, lambda tag, attrs: bool(_kind(tag, attrs)))
        for node in parts:
            if isinstance(node, Node) and (kind := _kind(node.tag, node.attrs)).loads:
                wanted[kind.loads].add(kind.key(node.attrs[kind.attribute]))
    loaded = {name: LOADERS[name](ids) for name, ids in wanted.items()}
    rendered = {}
    for pk, parts in split.items():
        html = []
        for part in parts:
            if isinstance(part, str):
                html.append(part)
            else:
                kind = _kind(part.tag, part.attrs)
                html.append(kind.render(part, loaded.get(kind.loads, {}), surface))
        rendered[pk] = mark_safe("".join(html))
    return rendered


def render_body(article: Article, surface: str = PAGE) -> SafeString:
    return render_bodies([article], surface)[article.pk]


_EMBED = re.compile(r'data-embed="([^"]*)"')


def embed_addresses(body: str) -> list[str]:
    """The addresses a stored body embeds, in order, each once."""
    if "data-embed=" not in (body or ""):
        return []
    return list(dict.fromkeys(unescape(url) for url in _EMBED.findall(body)))


_REFERENCE = re.compile(r'data-(story|related|image)="([0-9]+)"')


def body_picture_ids(body: str) -> list[int]:
    """The library pictures a stored body shows, in order, each once."""
    return list(
        dict.fromkeys(int(pk) for name, pk in _REFERENCE.findall(body or "") if name == "image")
    )


def body_keys(article: Article) -> list[str]:
    """The cache keys of the stories and pictures a body shows: a change to one of them (a
    story withdrawn, a picture's credit corrected) changes the page."""
    return sorted(
        {
            image_key(pk) if name == "image" else story_key(pk)
            for name, pk in _REFERENCE.findall(article.body or "")
        }
    )

"""Embeds as readers get them (#14).

On a story's page an embed is a placeholder that loads nothing from the provider: it names the
provider and, when known, what is embedded, with a link to it there. A button (shown by
static/js/embeds.js, which exists only as a file: readers' pages run no inline code) swaps in
the provider's player, in a sandboxed iframe, when the reader asks. Feeds and anything else that
isn't a page get a plain link, as does an address no provider plays.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString

from .models import OEmbedAnswer
from .providers import match
from .services import Lookup

# What the fallback link says, by what is embedded.
_OPEN = {
    "video": "Watch it on {}",
    "audio": "Listen on {}",
    "post": "See the post on {}",
    "chart": "See the chart on {}",
    "document": "Read the document on {}",
}


def plain_link(url: str) -> SafeString:
    return format_html('<p><a href="{}" rel="noopener noreferrer">{}</a></p>', url, url)


def embed_html(url: str, answer: OEmbedAnswer | None = None, *, feed: bool = False) -> SafeString:
    """The embed of `url` for a reader's page (or, with `feed`, for a feed), given what its
    provider answered about it."""
    lookup = Lookup(url, match(url), answer)
    if not lookup.playable:
        return plain_link(url)
    provider = lookup.found.provider
    noun = provider.noun
    if feed:
        return format_html(
            '<p>{} on {}: <a href="{}" rel="noopener noreferrer">{}</a></p>',
            noun.capitalize(),
            provider.name,
            url,
            lookup.title or url,
        )
    title = format_html('<p class="embed__title">{}</p>', lookup.title) if lookup.title else ""
    frame_title = (
        f"{lookup.title} ({noun} from {provider.name})"
        if lookup.title
        else (f"{noun.capitalize()} from {provider.name}")
    )
    return format_html(
        '<figure class="embed embed--{layout}" data-embed-src="{src}" data-embed-title="{frame}"'
        ' data-embed-allow="{allow}">'
        '<div class="embed__placeholder">'
        '<p class="embed__provider">{name}</p>{title}'
        '<div class="embed__action" hidden>'
        '<button type="button" class="embed__load">Load the {noun} from {name}</button>'
        '<p class="embed__notice">Loading it lets {name} set cookies and see that you are '
        "reading this page.</p></div></div>"
        '<figcaption class="embed__caption"><a href="{url}" rel="noopener noreferrer">{open}</a>'
        "</figcaption></figure>",
        layout=provider.layout,
        src=lookup.frame_src,
        frame=frame_title,
        allow=provider.allow,
        name=provider.name,
        title=title,
        noun=noun,
        url=url,
        open=_OPEN.get(noun, "Open it on {}").format(provider.name),
    )

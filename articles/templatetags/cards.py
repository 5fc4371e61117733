"""`{% card story variant="compact" level=3 %}`: a story's card in a list (#17).

A front page shows twenty-odd cards, and rendering each through the template language (its
picture's srcsets, its byline's links, its dates) was most of the page's CPU. A card shows only
what its key holds (`card_key`): the story's headline, standfirst, address and time, its
section, its authors' names and addresses, its picture's state, and the card's options. So
each card is rendered once per version of those and its HTML reused from a small cache in the
process. Nothing needs purging, on this server or another: the key is read from the rows each
request loads anyway, so an edit anywhere gives a new key and the old entry ages out.
"""

import threading
from collections import OrderedDict

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

CARD_TEMPLATE = "articles/includes/card.html"


class CardCache:
    """The HTML of the cards rendered last, least recently used out first. A few thousand
    cards of ~2 kB each: a few MB per process at most."""

    def __init__(self, size: int = 2000):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
            return html

    def put(self, key, html) -> None:
        with self._lock:
            self._entries[key] = html
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


cards = CardCache()


def card_key(story, variant="", level=2, hide_section=False, priority=False) -> tuple:
    """Everything the card of `story` shows, and the options that shape it: equal keys, equal
    HTML. The story's rows are read as a list loads them (`for_listing()`)."""
    section = story.section if story.section_id else None
    image = story.lead_image if story.lead_image_id else None
    return (
        story.pk,
        story.headline,
        story.standfirst,
        story.published_at,
        story.publication_date,
        story.slug,
        story.live,  # "Live" beside a live blog's headline (#18).
        section and (section.pk, section.name, section.slug),
        tuple((author.pk, author.name, author.slug) for author in story.byline_authors),
        image and image.picture_state(),
        variant or "",
        level,
        bool(hide_section),
        bool(priority),
        # The card's date is written on the reader's clock, in the reader's language, and its
        # links start with the site's prefix.
        timezone.get_current_timezone_name(),
        translation.get_language(),
        get_script_prefix(),
    )


# Where a search result's snippet goes in its card's kept HTML: a comment that no story's
# text can write, as all of it is escaped.
SNIPPET_SLOT = "<!--snippet-->"


def render_card(story, variant="", level=None, hide_section=False, priority=False, snippet=""):
    """The card's HTML: from the cache, or rendered and kept. A search result's card is kept
    with an empty slot where its snippet goes, and gets this search's snippet (escaped unless
    already safe, as the template would) each time (#17): rendering twenty cards through the
    template language was most of a search's CPU."""
    level = level or 2
    key = (*card_key(story, variant, level, hide_section, priority), bool(snippet))
    html = cards.get(key)
    if html is None:
        context = {
            "article": story,
            "variant": variant,
            "level": level,
            "hide_section": hide_section,
            "priority": priority,
            "snippet": mark_safe(SNIPPET_SLOT) if snippet else "",
        }
        html = get_template(CARD_TEMPLATE).render(context)
        cards.put(key, html)
    if snippet:
        html = html.replace(SNIPPET_SLOT, conditional_escape(snippet), 1)
    return html


@register.simple_tag
def card(story, variant="", level=None, hide_section=False, priority=False, snippet=""):
    """`{% card article variant="lead" %}`: the parameters of articles/includes/card.html."""
    return mark_safe(render_card(story, variant, level, hide_section, priority, snippet))

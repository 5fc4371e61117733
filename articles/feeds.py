"""RSS 2.0 and Atom feeds of live stories: the whole site, a section, a tag, an author.

Items start from `Article.objects.published()`, so drafts, stories in review, scheduled and
withdrawn stories never appear. Each item carries every author of the byline (dc:creator in
RSS, one <author> per person in Atom), the story's tags as categories, the lead image as Media
RSS <media:content>, and the full HTML (content:encoded / Atom <content>) with the story's
corrections at the end, unless settings.NEWSROOM_FEED_FULL_CONTENT is False.

Absolute URLs come from the request (Django's syndication framework, Host checked against
ALLOWED_HOSTS). All text goes through SimplerXMLGenerator, which escapes it; characters XML 1.0
can't carry (control characters) are removed first, so no field can break the document.
"""

import re
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import Truncator

from authors.models import Author
from newsroom.pagecache import last_modified, tag_response
from newsroom.surrogate_keys import FRONT, story_key

from . import live
from .body import FEED, body_keys, render_bodies
from .caching import object_key, stories_of_key, story_keys
from .models import Article, Section
from .text import html_to_plain
from .views import live_tags

FEED_LENGTH = 30

DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
MEDIA_NS = "http://search.yahoo.com/mrss/"

# Characters XML 1.0 can't contain, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value) -> str:
    """Text safe to hand to the XML writer (which does the escaping)."""
    return _NOT_XML.sub("", str(value or ""))


def full_content() -> bool:
    return getattr(settings, "NEWSROOM_FEED_FULL_CONTENT", True)


def live_stories():
    """The feed's starting point: live stories with everything an item shows, prefetched."""
    return Article.objects.published().for_listing().prefetch_related("tags", "corrections")


def corrections_html(article) -> str:
    notes = article.reader_notes
    if not notes:
        return ""
    items = format_html_join(
        "",
        "<li><strong>{}, {}:</strong> {}</li>",
        (
            (
                note.get_kind_display(),
                date_format(timezone.localtime(note.created_at), "j F Y"),
                note.text,
            )
            for note in notes
        ),
    )
    return format_html(
        '<aside class="corrections"><h2>Corrections and updates</h2><ul>{}</ul></aside>', items
    )


# Feed generators ---------------------------------------------------------------------------


def _absolute(item, url: str) -> str:
    """A URL made absolute against the item's (absolute) link: same scheme and host."""
    return urljoin(item["link"], url) if url else url


def _add_media(handler, item):
    media = item.get("media")
    if not media:
        return
    handler.startElement(
        "media:content",
        {
            "url": _absolute(item, media["url"]),
            "medium": "image",
            "type": media["type"],
            "width": str(media["width"]),
            "height": str(media["height"]),
        },
    )
    if media["description"]:
        handler.addQuickElement("media:description", media["description"], {"type": "plain"})
    if media["credit"]:
        handler.addQuickElement("media:credit", media["credit"])
    handler.endElement("media:content")


class NewsroomRssFeed(Rss201rev2Feed):
    """RSS 2.0 with one dc:creator per author, content:encoded, Media RSS and dcterms:modified."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:dc": DC_NS,
            "xmlns:dcterms": DCTERMS_NS,
            "xmlns:content": CONTENT_NS,
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name)
        if item["updateddate"] is not None:
            handler.addQuickElement("dcterms:modified", rfc3339_date(item["updateddate"]))
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        _add_media(handler, item)


class NewsroomAtomFeed(Atom1Feed):
    """Atom with one <author> per person, <content type="html"> and Media RSS."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["updateddate"] is None and item["pubdate"] is not None:
            # Atom requires <updated> in every entry: a story never updated was last
            # changed when it went live.
            handler.addQuickElement("updated", rfc3339_date(item["pubdate"]))
        for name, url in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if url:
                handler.addQuickElement("uri", _absolute(item, url))
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        _add_media(handler, item)


# Feeds ---------------------------------------------------------------------------------------


class LatestStoriesFeed(Feed):
    """The newest live stories of the whole site (RSS 2.0)."""

    feed_type = NewsroomRssFeed

    # The feed itself ------------------------------------------------------------------------

    def title(self, obj=None):
        return xml_text(settings.SITE_NAME)

    def link(self, obj=None):
        return "/"

    def description(self, obj=None):
        return xml_text(f"The latest stories from {settings.SITE_NAME}.")

    def author_name(self, obj=None):
        # Atom entries need an author: the site stands in for a story without a byline.
        return xml_text(settings.SITE_NAME)

    def stories(self, obj):
        return live_stories()

    # Caching: a feed names what it shows, as its HTML page does (articles/caching.py) -------

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        return tag_response(response, request.feed_cache_keys)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        keys = [FRONT] if obj is None else [stories_of_key(obj), object_key(obj)]
        for item in feed.items:
            keys.extend(item["cache_keys"])
        request.feed_cache_keys = keys
        return feed

    def latest(self, obj=None):
        """The feed's stories, newest first, as a queryset (tests read its plan)."""
        return self.stories(obj)[:FEED_LENGTH]

    def items(self, obj=None):
        items = list(self.latest(obj))
        # Pictures, links to our stories and embeds as feed readers take them (#14), for
        # every item at once.
        self.bodies = render_bodies(items, FEED) if full_content() else {}
        return items

    # Items ----------------------------------------------------------------------------------

    def item_title(self, item):
        return xml_text(item.headline)

    def item_description(self, item):
        # Plain text, escaped once more: readers treat <description> / <summary type="html">
        # as HTML, so "a < b" must arrive as text, not as the start of a tag.
        return escape(xml_text(item.summary))

    def item_link(self, item):
        return item.get_absolute_url()

    # The GUID is the absolute link (the default) and a permalink.
    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.revised_at if item.was_updated else None

    def item_categories(self, item):
        return [xml_text(tag.name) for tag in item.tags.all()]

    def item_extra_kwargs(self, item):
        extra = {
            "authors": [
                (xml_text(author.name), author.get_absolute_url()) for author in item.byline_authors
            ],
            "media": self.item_media(item),
            "content": None,
            "cache_keys": [*story_keys([item]), *body_keys(item)],
        }
        if full_content():
            extra["content"] = xml_text(self.bodies[item.pk] + corrections_html(item))
        return extra

    def item_media(self, item):
        image = item.lead_image
        if image is None:
            return None
        version = image.crop("social")
        if version is None:
            return None  # Still being processed (#15): no enclosure, never the original.
        return {
            "url": version.url,
            "width": version.width,
            "height": version.height,
            "type": version.mime_type,
            "description": xml_text(image.caption or image.alt),
            "credit": xml_text(image.credit),
        }


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = NewsroomAtomFeed

    def subtitle(self, obj=None):
        return self.description(obj)


class SectionFeed(LatestStoriesFeed):
    """A section's newest live stories."""

    def get_object(self, request, slug):
        return Section.objects.get(slug=slug)

    def title(self, obj):
        return xml_text(f"{obj.name} – {settings.SITE_NAME}")

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return xml_text(obj.description or f"The latest {obj.name} stories.")

    def stories(self, obj):
        return live_stories().in_section(obj)


class SectionAtomFeed(SectionFeed):
    feed_type = NewsroomAtomFeed

    def subtitle(self, obj):
        return self.description(obj)


class TagFeed(LatestStoriesFeed):
    """A tag's newest live stories. Tag slugs may be in any script; a tag no live story
    carries has no feed (see `live_tags`)."""

    def get_object(self, request, slug):
        return live_tags().get(slug=slug)

    def title(self, obj):
        return xml_text(f"{obj.name} – {settings.SITE_NAME}")

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return xml_text(f"The latest stories about {obj.name}.")

    def stories(self, obj):
        return live_stories().tagged(obj)


class TagAtomFeed(TagFeed):
    feed_type = NewsroomAtomFeed

    def subtitle(self, obj):
        return self.description(obj)


class AuthorFeed(LatestStoriesFeed):
    """The newest live stories carrying an author's byline."""

    def get_object(self, request, slug):
        return Author.objects.get(slug=slug)

    def title(self, obj):
        return xml_text(f"{obj.name} – {settings.SITE_NAME}")

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return xml_text(f"The latest stories by {obj.name}.")

    def stories(self, obj):
        return live_stories().by_author(obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = NewsroomAtomFeed

    def subtitle(self, obj):
        return self.description(obj)


# A live blog's feed (#18) -----------------------------------------------------------------


# The newest updates a live blog's feed lists.
FEED_UPDATES = 50


class LiveBlogFeed(Feed):
    """A live blog's updates as an Atom feed, newest first (the instance serves every request:
    what a request found is kept on its article)."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        article = request.live_blog
        last_modified(response, live.newest_time(article.shown_updates))
        return tag_response(
            response, [story_key(article.pk), *live.update_keys(article, article.shown_updates)]
        )

    def get_object(self, request, pk):
        article = request.live_blog = live.live_blog_or_404(pk)
        article.shown_updates = live.updates_of(article, FEED_UPDATES, surface=FEED)
        return article

    def title(self, article):
        return xml_text(f"{article.headline} – live updates – {settings.SITE_NAME}")

    def link(self, article):
        return article.get_absolute_url()

    def subtitle(self, article):
        return xml_text(article.standfirst or "Live updates, newest first.")

    def author_name(self, article):
        return xml_text(settings.SITE_NAME)

    def items(self, article):
        return article.shown_updates

    def item_title(self, update):
        return xml_text(update.title or Truncator(html_to_plain(update.body)).words(12))

    def item_description(self, update):
        return xml_text(update.html)

    def item_link(self, update):
        return update.get_absolute_url()

    # No item_guid: Django makes only the link absolute, and an entry's Atom <id> must be an
    # absolute IRI; the default, the absolute link to the update's anchor, is one (#18).

    def item_pubdate(self, update):
        return update.posted_at

    def item_updateddate(self, update):
        return update.edited_at or update.posted_at

    def item_author_name(self, update):
        return xml_text(", ".join(author.name for author in update.byline)) or None

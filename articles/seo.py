"""What search engines and social sites read about a page (#5): canonical URLs, Open Graph and
Twitter cards, and JSON-LD structured data.

Absolute URLs are built from settings.SITE_URL, never from the request's Host header, so a forged
header can't end up in canonical links. JSON-LD is built from a dict and serialised with <, >
and & escaped, so no field can close the <script> element or open a comment; the line and
paragraph separators (U+2028, U+2029) are escaped too, as older JavaScript parsers end a line
there.
"""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

from newsroom import brand
from newsroom.timezones import machine_time

from .text import html_to_plain

_JSON_SCRIPT_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def absolute(url: str) -> str:
    """An absolute URL on the site for a path (or the URL itself if already absolute)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


def json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> element, safe to put in HTML as is."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Safe: <, > and & are escaped above, so the text cannot end the element.
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))


def search_cut(text: str, limit: int) -> str:
    """Text as search results show it (#14): white space folded, and past `limit` characters
    cut at the last word that fits, with " …". static/js/story-seo.js cuts the same way."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    space = head.rfind(" ")
    head = head[:space] if space > limit // 2 else text[:limit]
    return head.rstrip(" ,;:.-–—") + " …"


def site_logo() -> dict:
    """The publisher's logo (#16), with its size: search engines want one of 112 pixels or
    more (newsroom/brand.py)."""
    return brand.site_logo().as_dict()


def default_social_image() -> dict:
    """The picture shared for a page without one of its own (#16), with its size."""
    return brand.default_social_image().as_dict()


def publisher() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": {"@type": "ImageObject", **site_logo()},
    }


def _iso(value) -> str | None:
    return machine_time(value) or None


def article_data(article) -> dict:
    """schema.org NewsArticle for a story: every author, images in three shapes, corrections."""
    url = absolute(article.get_absolute_url())
    modified = article.revised_at if article.was_updated else article.published_at
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        # The headline readers see on the page (structured data describes the visible page);
        # an SEO title is the shorter one search results show (#14).
        "headline": article.headline,
        "description": article.meta_description,
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(modified),
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute(author.get_absolute_url())}
            for author in article.byline_authors
        ],
        "publisher": publisher(),
        "inLanguage": settings.LANGUAGE_CODE,
        "wordCount": article.word_count,
    }
    if article.seo_title.strip() and article.seo_title.strip() != article.headline:
        data["alternativeHeadline"] = article.seo_title.strip()
    image = article.lead_image
    crops = [image.crop(shape) for shape in ("16:9", "4:3", "1:1")] if image else []
    # A crop is None while the picture is processed: no image then, never the original (#15).
    if crops := [absolute(crop.url) for crop in crops if crop is not None]:
        data["image"] = crops
    else:
        # Without a picture ready, the site's default card: search engines show no story
        # without an image in their larger results (#16).
        data["image"] = [{"@type": "ImageObject", **default_social_image()}]
    if article.section:
        data["articleSection"] = article.section.name
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        data["keywords"] = tags
    if article.is_live_blog:
        data.update(live_blog_data(article, url))
    notes = article.reader_notes
    if notes:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": f"{note.get_kind_display()}: {note.text}",
                "datePublished": _iso(note.created_at),
            }
            for note in notes
        ]
    return data


# The newest updates a live blog's structured data lists.
LIVE_BLOG_UPDATES = 50


def live_blog_data(article, url: str) -> dict:
    """A live blog is a LiveBlogPosting (#18): its coverage times, and its newest updates
    (`article.shown_updates`, set by the story page) as BlogPostings at their anchors."""
    updates = getattr(article, "shown_updates", [])[:LIVE_BLOG_UPDATES]
    data = {
        "@type": "LiveBlogPosting",
        "coverageStartTime": _iso(article.published_at),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "@id": f"{url}#{update.anchor}",
                "url": f"{url}#{update.anchor}",
                "headline": update.title or search_cut(html_to_plain(update.body), 110),
                "articleBody": html_to_plain(update.body),
                "datePublished": _iso(update.posted_at),
                **({"dateModified": _iso(update.edited_at)} if update.edited_at else {}),
                **(
                    {
                        "author": [
                            {
                                "@type": "Person",
                                "name": author.name,
                                "url": absolute(author.get_absolute_url()),
                            }
                            for author in update.byline
                        ]
                    }
                    if update.byline
                    else {}
                ),
            }
            for update in updates
        ],
    }
    if article.live_ended_at:
        data["coverageEndTime"] = _iso(article.live_ended_at)
    if updates:
        # The blog changed when its newest update was posted or edited.
        newest = max(update.edited_at or update.posted_at for update in updates)
        modified = article.revised_at if article.was_updated else article.published_at
        if modified is None or newest > modified:
            data["dateModified"] = _iso(newest)
    return data


def author_data(author) -> dict:
    """schema.org ProfilePage about the author as a Person (never their e-mail)."""
    person = {
        "@type": "Person",
        "name": author.name,
        "url": absolute(author.get_absolute_url()),
    }
    if author.job_title:
        person["jobTitle"] = author.job_title
    if author.bio:
        person["description"] = author.bio
    if author.photo and (square := author.photo.crop("1:1")):
        person["image"] = absolute(square.url)
    return {"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": person}


def website_data() -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "publisher": publisher(),
    }

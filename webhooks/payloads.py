"""What a webhook says of a story (#18): what readers can see of it, nothing more.

No internal notes, no people's accounts, no legal hold, no unpublished changes. A live story's
data carries its body (the sanitised HTML readers get); a withdrawn or trashed story's carries
none, only what identifies it and, for a withdrawal, the reason readers read on the
corrections page. Addresses are absolute, from settings.SITE_URL, as in feeds and sitemaps.
"""

from articles import live
from articles.body import FEED
from articles.models import Article, Correction, LiveUpdate
from articles.seo import absolute


def _time(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def identity(article: Article) -> dict:
    """What names the story, whatever its state."""
    path = article.get_absolute_url()
    return {
        "id": article.pk,
        "headline": article.headline,
        "url": absolute(path) if path else None,
        "published_at": _time(article.published_at),
        "section": (
            {"name": article.section.name, "url": absolute(article.section.get_absolute_url())}
            if article.section_id
            else None
        ),
    }


def story(article: Article) -> dict:
    """A live story, for story.published and story.updated."""
    authors = [b.author.name for b in article.bylines.select_related("author")]
    return {
        **identity(article),
        "standfirst": article.standfirst,
        "authors": authors,
        "tags": list(article.tags.names()),
        "updated_at": _time(article.revised_at),
        "body_html": article.body,
    }


def note(correction: Correction) -> dict:
    return {
        "kind": correction.kind,
        "text": correction.text,
        "created_at": _time(correction.created_at),
    }


def corrected(article: Article, correction: Correction) -> dict:
    return {**story(article), "note": note(correction)}


def withdrawn(article: Article) -> dict:
    reason = (
        article.corrections.filter(kind=Correction.Kind.WITHDRAWAL).order_by("-created_at").first()
    )
    return {**identity(article), "reason": reason.text if reason else ""}


def trashed(article: Article) -> dict:
    return {**identity(article), "trashed_at": _time(article.trashed_at)}


def live_update(update: LiveUpdate) -> dict:
    """A live blog's new update (#18): the blog as it names itself, and the update as readers
    see it on the page (its body rendered, links absolute, as feeds have it)."""
    (shown,) = live.prepare([update], FEED)
    return {
        "story": identity(update.article),
        "update": {
            "id": shown.pk,
            "url": absolute(shown.get_absolute_url()),
            "posted_at": _time(shown.posted_at),
            "title": shown.title,
            "key_event": shown.key_event,
            "body_html": str(shown.html),
            "authors": [author.name for author in shown.byline],
        },
    }

"""The page cache's knowledge of the newsroom (#6): which surrogate keys a page carries, which
keys a change purges, and when pages change on their own (a scheduled story going live). The
keys themselves are spelled in newsroom/surrogate_keys.py; the page cache asks
`next_change_at` through its `PAGE_CACHE["NEXT_CHANGE_AT"]` setting (#13).

A story's change is reported by the save service, once, with what readers' pages showed of it
before and after (`story_change_keys`, called by articles/effects.py after the commit); nothing
hangs off `Article.save()` (#12). Authors, sections, tags, pictures, front-page slots and the
breaking-news banners (#18), which have no services, are caught by model signals. Only
stories that are or were visible to readers purge listings: a reporter saving a draft costs
the cache nothing.
"""

import datetime
import threading

from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from authors.models import Author
from images.models import Image
from newsroom.pagecache import purge
from newsroom.surrogate_keys import (
    ARCHIVE,
    BREAKING,
    CORRECTIONS,
    FRONT,
    NAVIGATION,
    SEARCH,
    SITEMAP,
    STAFF,
    author_key,
    image_key,
    section_key,
    stories_key,
    story_key,
    tag_key,
)

from .models import Article, Breaking, FrontPageSlot, Section, StagedChange, Tag

# The listings every live story appears in, whatever its section, authors and tags. The staff
# page lists the authors with a live story: any story coming or going may change it (#16).
SITE_LISTINGS = (FRONT, ARCHIVE, CORRECTIONS, SEARCH, SITEMAP, STAFF)
_KEY_OF = {Author: author_key, Section: section_key, Tag: tag_key, Image: image_key}


def object_key(obj):
    """The key of an author, a section, a tag or a picture."""
    return _KEY_OF[obj._meta.concrete_model](obj.pk)


def stories_of_key(obj):
    """The key of the listing of an author's, a section's or a tag's stories."""
    return stories_key(object_key(obj))


def story_keys(stories):
    """Keys of everything a story card or story page shows of these stories (bylines must be
    prefetched, as `for_listing()` does)."""
    keys = []
    for story in stories:
        keys.append(story_key(story.pk))
        if story.section_id:
            keys.append(section_key(story.section_id))
        if story.lead_image_id:
            keys.append(image_key(story.lead_image_id))
        keys.extend(author_key(author.pk) for author in story.byline_authors)
    return keys


def next_change_at():
    """The next moment pages change with nobody saving: a scheduled story going live, an
    embargo lifting (#15), a front-page slot expiring, scheduled changes to a live story
    being published, or a breaking-news banner going up or coming down (#18). Cached pages
    live no longer than that."""
    now = timezone.now()
    published = Article.objects.current().filter(status=Article.Status.PUBLISHED)
    earliest = [
        published.filter(published_at__gt=now).order_by("published_at").values("published_at")[:1],
        # A story scheduled before its embargo goes live when the embargo lifts.
        published.filter(embargo_until__gt=now)
        .order_by("embargo_until")
        .values("embargo_until")[:1],
        FrontPageSlot.objects.filter(expires_at__gt=now)
        .order_by("expires_at")
        .values("expires_at")[:1],
        StagedChange.objects.exclude(publish_at=None)
        .order_by("publish_at")
        .values("publish_at")[:1],
        Breaking.objects.filter(starts_at__gt=now).order_by("starts_at").values("starts_at")[:1],
        Breaking.objects.filter(expires_at__gt=now).order_by("expires_at").values("expires_at")[:1],
    ]
    # One query for them all (each reads its index): pages are stored far more often than
    # stories are saved.
    sql, params = [], []
    for queryset in earliest:
        text, values = queryset.query.sql_with_params()
        sql.append(f"({text})")
        params.extend(values)
    with connections[Article.objects.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(sql)}", params)
        moments = [parse_moment(value) for value in cursor.fetchone()]
    return min((at for at in moments if at), default=None)


def parse_moment(value):
    """A time as the database returned it raw: SQLite gives text in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def story_change_keys(pk, before, after):
    """The keys to purge when a story changed from `before` to `after` (`effects.Seen`, or
    None for a story that didn't exist), or nothing if readers never saw it either way."""
    shown = [seen for seen in (before, after) if seen is not None]
    if not any(seen.visible for seen in shown):
        return set()
    keys = {story_key(pk), *SITE_LISTINGS}
    for seen in shown:
        if seen.section_id:
            keys.add(stories_key(section_key(seen.section_id)))
        keys |= {stories_key(author_key(author)) for author in seen.author_ids}
        keys |= {stories_key(tag_key(tag)) for tag in seen.tag_ids}
    return keys


# Collecting changes until the transaction commits --------------------------------------------

_pending = threading.local()


def _changes():
    if not hasattr(_pending, "keys"):
        discard_pending()
    return _pending.keys


def discard_pending():
    """Forgets the keys queued so far (an import that purges everything anyway)."""
    _pending.keys = set()


def queue(keys):
    """Purges these keys once the transaction commits, together with every other key queued
    in it (at once outside a transaction). After a rollback they wait for the next commit:
    purging too much is harmless, too little is not."""
    _changes().update(keys)
    transaction.on_commit(flush)


def flush():
    keys = set(_changes())
    discard_pending()
    purge(keys)


# Signal receivers for what has no service ---------------------------------------------------


def _owner_changed(sender, instance, **kwargs):
    """An author, section or tag: its own page and every page naming it."""
    keys = {object_key(instance), stories_of_key(instance)}
    if sender is Section:
        keys.add(NAVIGATION)
    queue(keys)


def _slot_changed(sender, instance, **kwargs):
    queue({FRONT})


def _banner_changed(sender, instance, **kwargs):
    """Every HTML page shows the banner (#18)."""
    queue({BREAKING})


def _image_changed(sender, instance, **kwargs):
    queue({object_key(instance)})


def connect():
    """Called from ArticlesConfig.ready()."""
    receivers = [
        (Author, _owner_changed),
        (Section, _owner_changed),
        (Tag, _owner_changed),
        (FrontPageSlot, _slot_changed),
        (Breaking, _banner_changed),
        (Image, _image_changed),
    ]
    for model, receiver in receivers:
        uid = f"pagecache.{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)

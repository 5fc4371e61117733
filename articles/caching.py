"""The page cache's knowledge of the newsroom (#6): which surrogate keys a page carries, which
keys a change purges, and when pages change on their own (a scheduled story going live).

Keys name what a page shows:

- an object it renders: `story-12`, `author-3`, `section-2`, `tag-7`, `image-5`;
- a listing it shows, whose members change when stories come and go: `front`, `archive`,
  `corrections`, `search`, `sitemap`, `stories-section-2`, `stories-author-3`,
  `stories-tag-7`;
- `sections`: the navigation, on every HTML page.

Changes are collected from model signals — every write path (services, the admin, management
commands, the shell) saves models, and none of them must forget the cache — and purged once,
after the transaction commits (`newsroom.pagecache.purge`). Only stories that are or were
visible to readers purge listings: a reporter saving a draft costs the cache nothing.
"""

import threading

from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from authors.models import Author
from images.models import Image
from newsroom.pagecache import purge

from .models import (
    Article,
    ArticleAuthor,
    Correction,
    FrontPageSlot,
    Section,
    Tag,
    TaggedArticle,
)

FRONT, ARCHIVE, CORRECTIONS, SEARCH, SITEMAP, NAVIGATION = (
    "front",
    "archive",
    "corrections",
    "search",
    "sitemap",
    "sections",
)
# The listings every live story appears in, whatever its section, authors and tags.
SITE_LISTINGS = (FRONT, ARCHIVE, CORRECTIONS, SEARCH, SITEMAP)
_VISIBLE = {Article.Status.PUBLISHED, Article.Status.WITHDRAWN}


def object_key(obj):
    """`story-12`, `author-3`, `section-2`, `tag-7`, `image-5`."""
    name = "story" if isinstance(obj, Article) else obj._meta.model_name
    return f"{name}-{obj.pk}"


def stories_of_key(obj):
    """The key of the listing of an author's, a section's or a tag's stories."""
    return f"stories-{object_key(obj)}"


def story_keys(stories):
    """Keys of everything a story card or story page shows of these stories (bylines must be
    prefetched, as `for_listing()` does)."""
    keys = []
    for story in stories:
        keys.append(f"story-{story.pk}")
        if story.section_id:
            keys.append(f"section-{story.section_id}")
        if story.lead_image_id:
            keys.append(f"image-{story.lead_image_id}")
        keys.extend(f"author-{byline.author_id}" for byline in story.bylines.all())
    return keys


def next_change_at():
    """The next moment pages change with nobody saving: a scheduled story going live or a
    front-page slot expiring. Cached pages live no longer than that."""
    now = timezone.now()
    story = Article.objects.scheduled().aggregate(at=Min("published_at"))["at"]
    slot = FrontPageSlot.objects.filter(expires_at__gt=now).aggregate(at=Min("expires_at"))["at"]
    return min((at for at in (story, slot) if at), default=None)


# Collecting changes until the transaction commits --------------------------------------------

_pending = threading.local()


def _changes():
    if not hasattr(_pending, "keys"):
        discard_pending()
    return _pending


def discard_pending():
    """Forgets the changes queued so far (a test whose setup never committed)."""
    # keys: purged whatever happens; stories: story pk -> keys purged only if that story is
    # or was visible to readers; were_visible: stories that were, as loaded.
    _pending.keys, _pending.stories, _pending.were_visible = set(), {}, set()


def _queue(*, keys=(), story=None, story_keys=(), was_visible=False):
    changes = _changes()
    changes.keys.update(keys)
    if story is not None:
        changes.stories.setdefault(story, set()).update(story_keys)
        if was_visible:
            changes.were_visible.add(story)
    # Runs at once outside a transaction; after a rollback it is dropped and the keys queued
    # so far wait for the next flush (purging too much is harmless, too little is not).
    transaction.on_commit(flush)


def flush():
    """Purges what the committed changes touched."""
    changes = _changes()
    keys, stories, were_visible = changes.keys, changes.stories, changes.were_visible
    discard_pending()
    if stories:
        keys |= _listing_keys(stories, were_visible)
    purge(keys)


def _listing_keys(stories, were_visible):
    """Keys of the stories that are or were visible to readers, and of their listings."""
    found = dict(Article.objects.filter(pk__in=stories).values_list("pk", "status"))
    # Deleted stories may have been live; so may those whose status just changed.
    visible = {pk for pk in stories if found.get(pk, Article.Status.PUBLISHED) in _VISIBLE}
    visible |= were_visible & stories.keys()
    if not visible:
        return set()
    keys = {f"story-{pk}" for pk in visible} | set(SITE_LISTINGS)
    for pk in visible:
        keys |= stories[pk]
    sections = Article.objects.filter(pk__in=visible, section__isnull=False)
    keys |= {f"stories-section-{pk}" for pk in sections.values_list("section_id", flat=True)}
    bylines = ArticleAuthor.objects.filter(article__in=visible)
    keys |= {f"stories-author-{pk}" for pk in bylines.values_list("author_id", flat=True)}
    tagged = TaggedArticle.objects.filter(content_object__in=visible)
    keys |= {f"stories-tag-{pk}" for pk in tagged.values_list("tag_id", flat=True)}
    return keys


# Signal receivers ---------------------------------------------------------------------------


def _story_saved(sender, instance, **kwargs):
    loaded = getattr(instance, "_loaded_state", {})
    was_visible = loaded.get("status") in _VISIBLE
    keys = set()
    if was_visible and loaded.get("section_id") not in (None, instance.section_id):
        keys.add(f"stories-section-{loaded['section_id']}")  # It left that section.
    _queue(story=instance.pk, story_keys=keys, was_visible=was_visible)
    instance._loaded_state = {"status": instance.status, "section_id": instance.section_id}


def _story_deleted(sender, instance, **kwargs):
    keys = {f"story-{instance.pk}", *SITE_LISTINGS}
    if instance.section_id:
        keys.add(f"stories-section-{instance.section_id}")
    _queue(keys=keys)


def _byline_changed(sender, instance, **kwargs):
    # The author's listing gains or loses the story: purged if the story is visible.
    _queue(story=instance.article_id, story_keys={f"stories-author-{instance.author_id}"})


def _tagging_changed(sender, instance, **kwargs):
    _queue(story=instance.content_object_id, story_keys={f"stories-tag-{instance.tag_id}"})


def _correction_changed(sender, instance, **kwargs):
    _queue(story=instance.article_id)


def _owner_changed(sender, instance, **kwargs):
    """An author, section or tag: its own page and every page naming it."""
    keys = {object_key(instance), stories_of_key(instance)}
    if sender is Section:
        keys.add(NAVIGATION)
    _queue(keys=keys)


def _slot_changed(sender, instance, **kwargs):
    _queue(keys={FRONT})


def _image_changed(sender, instance, **kwargs):
    _queue(keys={object_key(instance)})


def connect():
    """Called from ArticlesConfig.ready()."""
    receivers = [
        (Article, _story_saved, _story_deleted),
        (ArticleAuthor, _byline_changed, _byline_changed),
        (TaggedArticle, _tagging_changed, _tagging_changed),
        (Correction, _correction_changed, _correction_changed),
        (Author, _owner_changed, _owner_changed),
        (Section, _owner_changed, _owner_changed),
        (Tag, _owner_changed, _owner_changed),
        (FrontPageSlot, _slot_changed, _slot_changed),
        (Image, _image_changed, _image_changed),
    ]
    for model, saved, deleted in receivers:
        uid = f"pagecache.{model._meta.label_lower}"
        post_save.connect(saved, sender=model, dispatch_uid=uid)
        post_delete.connect(deleted, sender=model, dispatch_uid=uid)

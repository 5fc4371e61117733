"""Each story's publication time, copied onto its tag links and bylines (#17).

A tag's or an author's page lists their live stories newest first. Asked of the stories'
index of publication times, PostgreSQL walked the whole archive newest first to find the
few stories of a small tag (1.1 s at a million stories); asked of the links alone, it read
and sorted every story of a large one. With the time on the link, each owner has its own
index in the lists' order (`tagged()`, `by_author()`), and a page reads about as many rows
as it shows, however many stories the owner or the archive has.

Kept by signals, in the transaction of the change: a link written one at a time (the tags
manager, the admin's bylines) copies its story's time as it is saved, and a story saved with
a new time passes it to its links. Bulk writes that send no signals (bylines written with
bulk_create, seed_articles, the site import) set the time themselves or call `sync()` after.
"""

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import post_save, pre_save

from .models import Article, ArticleAuthor, TaggedArticle, TrashedArticle

# Each link model and its field naming the story.
LINKS = {TaggedArticle: "content_object", ArticleAuthor: "article"}


def story_dated(article_id: int, published_at, using: str = "default") -> None:
    """Gives the story's links its publication time (None for a story without one)."""
    for model, story in LINKS.items():
        links = model.objects.using(using).filter(**{story: article_id})
        # Only the links that differ are written: a save that kept the time writes nothing.
        if published_at is None:
            links = links.filter(published_at__isnull=False)
        else:
            links = links.filter(~Q(published_at=published_at) | Q(published_at__isnull=True))
        links.update(published_at=published_at)


def sync(using: str = "default", **lookups) -> int:
    """Copies their stories' times onto the links that lack them or differ (every link, or
    those of `lookups`, e.g. tag=…): after writes that sent no signals. Returns how many."""
    changed = 0
    for model, story in LINKS.items():
        times = Article.objects.using(using).filter(pk=OuterRef(story)).values("published_at")
        links = model.objects.using(using).filter(**lookups) if lookups else model.objects
        links = links.using(using).annotate(story_at=Subquery(times[:1]))
        stale = links.filter(
            Q(published_at__isnull=True, story_at__isnull=False)
            | Q(published_at__isnull=False, story_at__isnull=True)
            | Q(published_at__lt=F("story_at"))
            | Q(published_at__gt=F("story_at"))
        )
        changed += (
            model.objects.using(using)
            .filter(pk__in=stale.values("pk"))
            .update(published_at=Subquery(times[:1]))
        )
    return changed


def _story_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or created:  # A new story has no links yet; loaddata: the site import syncs after.
        return
    if update_fields is not None and "published_at" not in update_fields:
        return
    story_dated(instance.pk, instance.published_at, kwargs.get("using") or "default")


def _link_saving(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # The story is usually in memory already: the tags manager and the bylines are reached
    # from it.
    instance.published_at = getattr(instance, LINKS[sender]).published_at


def connect() -> None:
    uid = "articles.link_times"
    for story in (Article, TrashedArticle):
        post_save.connect(_story_saved, sender=story, dispatch_uid=f"{uid}.{story.__name__}")
    for link in LINKS:
        pre_save.connect(_link_saving, sender=link, dispatch_uid=f"{uid}.{link.__name__}")

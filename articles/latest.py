"""The newest stories of each section, tag and author, kept in a small table (#17).

Related stories ("live stories sharing the story's section or one of its tags, newest first")
and the tag and author sitemaps ("those with a live story, and when their newest went live")
read LatestStory instead of the archive. Asked of the archive, at a million stories, the
first took 52 ms on each story page and the sitemaps 0.7-1.4 s each, growing with it.

Why per section, tag and author, not per story: the related rule takes the newest stories of
the section, so each story published changes the related list of every story in its section
(a hundred thousand at a million stories). Lists kept per story would need that fan-out on
each publish, or go stale for older stories; kept per owner, a change touches only the story's
own section, tags and authors, and a story's related stories are found among its section's and
tags' rows: the same ones the archive gave, whenever they are asked for.

What is kept, for each owner: its KEEP newest live stories, and every one of its stories that
is scheduled or under embargo, since those go live by the clock with no write to tell of it.
Readers' queries apply `published()` to what they find here, so a story shows from its minute
and nothing that is not live ever shows.

Kept by signals, in the transaction of the change: the services, the admin, the importer and
the tests' factories all go through `save()`, the tags manager and the bylines, so nothing
changes a story's visibility or owners without its rows following, and a rolled-back change
takes them back with it. The owners' rows are locked (FOR NO KEY UPDATE, which stories being
written in them don't wait for) while their lists are rewritten, so that two stories
published in one section at once can't each write a list without the other. Bulk writes that
send no signals (seed_articles, the site import) call `rebuild()` after.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone

from authors.models import Author

from .models import (
    Article,
    ArticleAuthor,
    LatestStory,
    Section,
    Tag,
    TaggedArticle,
    TrashedArticle,
)

# A story's page shows 4 related stories, then 3 more from its section and 3 from its
# author, none twice (`below()`): the author's 3 are found among their newest 11, the story's
# own included, however the lists overlap. One spare for any row whose story left the live
# stories in a way no signal told of (a raw UPDATE): the read filter hides it.
KEEP = 12

# Each owner: its model, and the lookup from a story to it.
OWNERS = {
    "section": (Section, "section"),
    "tag": (Tag, "tags"),
    "author": (Author, "bylines__author"),
}


# An owner with at most this many stories is read from its own links (its ids, then those
# stories); a larger one from the stories' index newest first, where its stories are dense
# enough to turn up soon. Either way, asking for a tag of 2,000 stories among a million no
# longer reads a hundred thousand stories to find its newest (#17).
SMALL = 5000

LINKS = {
    "tag": (TaggedArticle, "tag_id", "content_object_id"),
    "author": (ArticleAuthor, "author_id", "article_id"),
}


def newest(kind: str, pk: int, using: str = "default") -> list[tuple[int, object, object]]:
    """(story id, publication time, time readers see it from) of what is kept for one owner."""
    stories = Article.objects.using(using).filter(**{OWNERS[kind][1]: pk})
    if kind in LINKS:
        model, owner, story = LINKS[kind]
        ids = model.objects.using(using).filter(**{owner: pk}).values_list(story, flat=True)
        ids = list(ids[: SMALL + 1])
        if len(ids) <= SMALL:
            stories = Article.objects.using(using).filter(pk__in=ids)
    stories = stories.order_by("-published_at", "-pk")
    fields = ("pk", "published_at", "embargo_until")
    live = stories.published().values_list(*fields)[:KEEP]
    found = [*live, *stories.scheduled().values_list(*fields)]
    return [(story, at, max(at, embargo or at)) for story, at, embargo in found]


def refresh(*, section=(), tag=(), author=(), using: str = "default") -> None:
    """Rewrites the rows of these owners (ids) from the stories."""
    owners = {"section": section, "tag": tag, "author": author}
    with transaction.atomic(using=using):
        for kind, ids in owners.items():
            ids = sorted({pk for pk in ids if pk is not None})
            if not ids:
                continue
            model = OWNERS[kind][0]
            # In id order, so that two writers lock the same owners in the same order.
            locked = model.objects.using(using).select_for_update(no_key=True).filter(pk__in=ids)
            ids = list(locked.order_by("pk").values_list("pk", flat=True))
            wanted = {
                (pk, story): (at, live_from)
                for pk in ids
                for story, at, live_from in newest(kind, pk, using)
            }
            # Only what changed is written: an owner keeps its rows of stories still to come
            # (hundreds, for a section of a large newsroom) from one publish to the next.
            rows = LatestStory.objects.using(using).filter(**{f"{kind}__in": ids})
            have = {
                (owner, story): (pk, at, live_from)
                for pk, owner, story, at, live_from in rows.values_list(
                    "pk", f"{kind}_id", "article_id", "published_at", "live_from"
                )
            }
            stale = [row[0] for key, row in have.items() if wanted.get(key) != row[1:]]
            LatestStory.objects.using(using).filter(pk__in=stale).delete()
            LatestStory.objects.using(using).bulk_create(
                LatestStory(
                    **{f"{kind}_id": owner}, article_id=story, published_at=at, live_from=live_from
                )
                for (owner, story), (at, live_from) in wanted.items()
                if have.get((owner, story), (None,))[1:] != (at, live_from)
            )


def rebuild(using: str = "default") -> None:
    """Rewrites every owner's rows: after writes that sent no signals."""
    with transaction.atomic(using=using):
        LatestStory.objects.using(using).all().delete()
        refresh(
            section=Section.objects.using(using).values_list("pk", flat=True),
            tag=Tag.objects.using(using).values_list("pk", flat=True),
            author=Author.objects.using(using).values_list("pk", flat=True),
            using=using,
        )


def update(kind: str, owner_ids, article_id: int, using: str = "default") -> None:
    """Brings these owners' rows up to date after a change to one story.

    A story joining an owner, or published in it, only adds a candidate: its row goes in and
    the owner's live rows beyond KEEP come out, with no question to the archive. Only a story
    leaving an owner's rows (withdrawn, trashed, untagged, moved, re-dated) makes the owner's
    rows be read again from the stories (`refresh`), which for a tag of a large archive reads
    its stories' index.
    """
    ids = sorted({pk for pk in owner_ids if pk is not None})
    if not ids:
        return
    model, lookup = OWNERS[kind]
    with transaction.atomic(using=using):
        locked = model.objects.using(using).select_for_update(no_key=True).filter(pk__in=ids)
        ids = list(locked.order_by("pk").values_list("pk", flat=True))
        fields = ("status", "trashed_at", "published_at", "embargo_until")
        story = Article.objects.using(using).filter(pk=article_id).values(*fields).first()
        row = None
        belongs = set()
        if story and story["status"] == Article.Status.PUBLISHED and not story["trashed_at"]:
            at, embargo = story["published_at"], story["embargo_until"]
            row = (at, max(at, embargo or at))
            owned = Article.objects.using(using).filter(pk=article_id, **{f"{lookup}__in": ids})
            belongs = set(owned.values_list(lookup, flat=True))
        rows = LatestStory.objects.using(using).filter(**{f"{kind}__in": ids})
        have = {pk: {} for pk in ids}
        for owner, story_id, at, live_from in rows.values_list(
            f"{kind}_id", "article_id", "published_at", "live_from"
        ):
            have[owner][story_id] = (at, live_from)
        again, added, now = [], [], timezone.now()
        for pk in ids:
            held = have[pk].get(article_id)
            if pk in belongs and held is None:
                added.append(
                    LatestStory(
                        **{f"{kind}_id": pk},
                        article_id=article_id,
                        published_at=row[0],
                        live_from=row[1],
                    )
                )
                have[pk][article_id] = row
            elif (pk in belongs and held != row) or (pk not in belongs and held is not None):
                again.append(pk)
        LatestStory.objects.using(using).bulk_create(added)
        # The live rows past KEEP of the owners a story joined.
        for pk in [getattr(new, f"{kind}_id") for new in added]:
            live = sorted(
                (
                    (at, story_id)
                    for story_id, (at, live_from) in have[pk].items()
                    if live_from <= now
                ),
                reverse=True,
            )
            beyond = [story_id for _, story_id in live[KEEP:]]
            if beyond:
                LatestStory.objects.using(using).filter(
                    **{f"{kind}_id": pk}, article_id__in=beyond
                ).delete()
        if again:
            refresh(**{kind: again}, using=using)


def _held(article_id) -> dict:
    """The owners whose rows hold the story, by kind."""
    held = {kind: set() for kind in OWNERS}
    rows = LatestStory.objects.filter(article_id=article_id)
    for section, tag, author in rows.values_list("section_id", "tag_id", "author_id"):
        for kind, pk in (("section", section), ("tag", tag), ("author", author)):
            if pk is not None:
                held[kind].add(pk)
    return held


def _may_be_kept(article) -> bool:
    """Whether the story is, or will be by the clock alone, live: published, not trashed."""
    return article.status == Article.Status.PUBLISHED and article.trashed_at is None


def _story_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the site import rebuilds after.
        return
    owners = _held(instance.pk)
    if _may_be_kept(instance):
        owners["section"].add(instance.section_id)
        owners["tag"].update(
            TaggedArticle.objects.filter(content_object=instance.pk).values_list(
                "tag_id", flat=True
            )
        )
        owners["author"].update(instance.bylines.values_list("author_id", flat=True))
    for kind, ids in owners.items():
        update(kind, ids, instance.pk)


def _story_deleting(sender, instance, **kwargs):
    instance._latest_held = _held(instance.pk)


def _story_deleted(sender, instance, **kwargs):
    owners = getattr(instance, "_latest_held", None)
    if owners and any(owners.values()):
        refresh(**owners)


def _owner_link_changed(kind, article_id, owner_ids, origin=None):
    """A byline or a tag was added to a story or taken off it."""
    if isinstance(origin, Article):
        return  # The story is being deleted: _story_deleted refreshes.
    story = Article.objects.filter(pk=article_id).only("status", "trashed_at").first()
    if story is None:
        return
    owners = set(owner_ids) if _may_be_kept(story) else set()
    owners |= _held(article_id)[kind] & set(owner_ids)
    update(kind, owners, article_id)


def bylines_added(article_id: int, author_ids) -> None:
    """Bylines written with bulk_create, which sends no signal."""
    _owner_link_changed("author", article_id, author_ids)


def _tags_added(sender, instance, action, reverse, pk_set, **kwargs):
    # Taken off: each tagging's post_delete (the tags manager deletes them one by one).
    if action != "post_add":
        return
    if reverse:  # tag.tagged_articles.add(…): stories added to one tag.
        refresh(tag=[instance.pk])
    else:
        _owner_link_changed("tag", instance.pk, pk_set)


def _tagging_deleted(sender, instance, origin=None, **kwargs):
    _owner_link_changed("tag", instance.content_object_id, [instance.tag_id], origin)


def _byline_changed(sender, instance, raw=False, origin=None, **kwargs):
    if not raw:
        _owner_link_changed("author", instance.article_id, [instance.author_id], origin)


def connect() -> None:
    uid = "articles.latest"
    for story in (Article, TrashedArticle):
        name = f"{uid}.{story.__name__}"
        post_save.connect(_story_saved, sender=story, dispatch_uid=f"{name}.saved")
        pre_delete.connect(_story_deleting, sender=story, dispatch_uid=f"{name}.deleting")
        post_delete.connect(_story_deleted, sender=story, dispatch_uid=f"{name}.deleted")
    m2m_changed.connect(_tags_added, sender=TaggedArticle, dispatch_uid=f"{uid}.tagged")
    post_delete.connect(_tagging_deleted, sender=TaggedArticle, dispatch_uid=f"{uid}.untagged")
    post_save.connect(_byline_changed, sender=ArticleAuthor, dispatch_uid=f"{uid}.byline")
    post_delete.connect(_byline_changed, sender=ArticleAuthor, dispatch_uid=f"{uid}.unbyline")


def below(story, author=None, related: int = 4, more: int = 3) -> tuple[list, list, list]:
    """The ids of the stories under a story on its page (#16): its related stories, then the
    newest `more` of its section and of `author` (its first byline's), none shown twice.

    One query of the kept rows of its section, tags and author serves all three (#17), where
    three questions to the archive were asked before. Each owner's rows hold at least its KEEP
    newest live stories, so a pick made within those is the archive's own answer; only when a
    list must reach past them (an author whose newest stories are all shown above already) is
    the archive asked, for that list alone.
    """
    tag_ids = {tag.pk for tag in story.tags.all()}
    owners = Q(tag__in=tag_ids)
    for kind, pk in (("section", story.section_id), ("author", author and author.pk)):
        if pk is not None:
            owners |= Q(**{kind: pk})
    if not tag_ids and story.section_id is None and author is None:
        return [], [], []
    live = Article.objects.published().filter(pk=OuterRef("article_id"))
    rows = LatestStory.objects.filter(owners, Exists(live), live_from__lte=timezone.now())
    found = rows.values_list(
        "section_id", "tag_id", "author_id", "article_id", "article__published_at"
    )
    # Newest first, as the archive orders them: by publication, then by id.
    found = sorted(found, key=lambda row: (row[4], row[3]), reverse=True)

    def pick(owned, shown, count):
        """The first `count` of an owner's stories (ids, newest first) not shown yet, and
        whether that is the archive's answer: found among the KEEP newest, which the rows
        always hold, or the owner has no more stories than its rows."""
        picked = [article_id for article_id in owned[:KEEP] if article_id not in shown][:count]
        return picked, len(picked) == count or len(owned) < KEEP

    def of(kind, pk):
        column = ("section", "tag", "author").index(kind)
        return list(dict.fromkeys(row[3] for row in found if row[column] == pk))

    shown = {story.pk}
    nearby = list(
        dict.fromkeys(
            row[3]
            for row in found
            if (story.section_id is not None and row[0] == story.section_id) or row[1] in tag_ids
        )
    )
    # The related stories' owners each hold their KEEP newest: `related` + 1 is always reached.
    related_ids, _ = pick(nearby, shown, related)
    shown.update(related_ids)
    lists = []
    for kind, owner in (("section", story.section_id), ("author", author and author.pk)):
        if owner is None:
            lists.append([])
            continue
        picked, exact = pick(of(kind, owner), shown, more)
        if not exact:
            stories = Article.objects.published().filter(**{OWNERS[kind][1]: owner})
            stories = stories.exclude(pk__in=shown).order_by("-published_at", "-pk")
            picked = list(stories.values_list("pk", flat=True)[:more])
        shown.update(picked)
        lists.append(picked)
    return related_ids, *lists

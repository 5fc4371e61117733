"""The reader's side: the front page, story pages, the stories of a section, a tag or an
author, and corrections. Views only choose querysets and render; `Article.objects.published()`
decides what readers may see."""

import calendar
import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView

from authors.models import Author
from newsroom.pagecache import cache_error_page, last_modified, tag_response
from newsroom.surrogate_keys import (
    ARCHIVE,
    BREAKING,
    CORRECTIONS,
    FRONT,
    NAVIGATION,
    image_key,
    story_key,
)

from . import latest, live, lookups
from .body import body_keys, render_body
from .caching import object_key, parse_moment, stories_of_key, story_keys
from .lookups import active_pins
from .models import (
    CARD_DEFERRED,
    Article,
    ArticleRedirect,
    Correction,
    FrontPageSlot,
    LatestStory,
    Section,
    Tag,
    attach_bylines,
    attach_renditions,
    first_values,
)
from .pagination import ArchivePaginator


class PublishedArticleMixin:
    """Every public view starts from `Article.objects.published()`."""

    def get_queryset(self):
        return Article.objects.published().for_cards()


class CachedPageMixin:
    """Readers' pages may be cached: the response names what it shows (surrogate keys), so
    that the page cache and caching proxies drop it when any of that changes."""

    def cache_keys(self, context):
        # Every HTML page shows the menu, the footer and the breaking-news banner.
        return [NAVIGATION, BREAKING]

    # The query string parameters the page reads (newsroom/pagecache.py).
    page_query = ()

    def content_modified(self, context):
        """When what the page shows last changed for readers (its Last-Modified), or None."""
        return None

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        last_modified(response, self.content_modified(context))
        return tag_response(response, self.cache_keys(context), self.page_query)


def newest_shown(stories):
    """The newest time readers were told of among these stories (#16), or None."""
    times = [story.shown_updated_at for story in stories if story.shown_updated_at]
    return max(times, default=None)


class ReaderListView(CachedPageMixin, ListView):
    """A list page for readers: "newer" and "older" links without counting the archive, and
    an empty first page rather than a 404 on an empty site. `listing_key` names the listing
    in the page cache."""

    paginator_class = ArchivePaginator
    allow_empty = True
    page_query = ("page",)

    def listing_key(self):
        raise NotImplementedError

    def shown(self, context):
        return context["object_list"]

    def cache_keys(self, context):
        return [*super().cache_keys(context), self.listing_key(), *story_keys(self.shown(context))]

    def content_modified(self, context):
        return newest_shown(self.shown(context))


class ArticleListView(PublishedArticleMixin, ReaderListView):
    """The front page: the lead and top stories editors pinned (falling back to the latest
    when a slot is empty or expired), a block of the latest stories of each section editors
    put on the front page (`Section.front_page_position`), then the latest stories; none
    twice (#5, #16). An empty site still renders.

    The queries don't grow with the stories or the sections: the slots, one page of the
    latest, the chosen sections with the ids of their latest stories (one query), and the
    pinned and section stories together (one query and its prefetches)."""

    paginate_by = 20
    TOP_STORIES = 4
    STORIES_PER_SECTION = 4

    def get(self, request, *args, **kwargs):
        self.pinned = active_pins()  # From memory unless a pin changed (#17).
        return super().get(request, *args, **kwargs)

    def listing_key(self):
        return FRONT

    def shown(self, context):
        lead, top = context.get("lead_story"), context.get("top_stories", [])
        in_sections = [story for block in context.get("section_blocks", []) for story in block[1]]
        return [*([lead] if lead else []), *top, *in_sections, *context["article_list"]]

    def get_queryset(self):
        # Pinned stories appear once, in their slot, on the first page only.
        return super().get_queryset().exclude(pk__in=self.pinned.values())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number != 1:
            return context
        latest = list(context["article_list"])

        # The slots first, by id: a pinned story (once, if pinned twice), or else the next
        # of the latest.
        used = set()

        def fill(slot):
            pinned = self.pinned.get(slot)
            pk = pinned if pinned and pinned not in used else latest.pop(0).pk if latest else None
            used.add(pk)
            return pk

        lead_id = fill(FrontPageSlot.Slot.LEAD)
        top_ids = [fill(slot) for slot in range(1, self.TOP_STORIES + 1)]
        slotted = [pk for pk in [lead_id, *top_ids] if pk]
        sections = list(front_page_sections(self.STORIES_PER_SECTION, excluding=slotted))
        block_ids = [pk for _, ids in sections for pk in ids]
        on_page = {story.pk: story for story in context["article_list"]}
        wanted = [pk for pk in [*slotted, *block_ids] if pk not in on_page]
        # published() again: the pins come from memory (#17), and a story taken off the site
        # must never show, even if a pin were stale.
        stories = {**Article.objects.published().for_cards().in_bulk(wanted), **on_page}
        in_blocks = set(block_ids)
        context.update(
            lead_story=stories.get(lead_id),
            top_stories=[stories[pk] for pk in top_ids if pk in stories],
            section_blocks=[
                (section, [stories[pk] for pk in ids if pk in stories]) for section, ids in sections
            ],
            article_list=[story for story in latest if story.pk not in in_blocks],
        )
        return context


def front_page_sections(per_section, excluding=()):
    """The sections editors put on the front page, in their order (kept in memory, #17), each
    with the ids of its latest `per_section` live stories other than `excluding` (newest
    first), in one query of the sections' kept newest stories (articles/latest.py): each
    section's rows hold at least its KEEP newest live stories, enough for `per_section` after
    `excluding` (#16, #17). Sections with no live story are left out; with no section on the
    front page, no query."""
    if per_section + len(excluding) > latest.KEEP:
        raise ValueError("The front page asks for more than each section's kept stories.")
    sections = lookups.front_page_sections.get()
    if not sections:
        return
    live = Article.objects.published().filter(pk=OuterRef("article_id"))
    owners = [section.pk for section in sections]
    rows = LatestStory.objects.filter(Exists(live), section__in=owners)
    rows = rows.filter(live_from__lte=timezone.now()).exclude(article__in=excluding)
    found = {section.pk: [] for section in sections}
    for section_id, story, _ in sorted(
        rows.values_list("section_id", "article_id", "article__published_at"),
        key=lambda row: (row[2], row[1]),
        reverse=True,
    ):
        found[section_id].append(story)
    for section in sections:
        ids = list(dict.fromkeys(found[section.pk]))[:per_section]
        if ids:
            yield section, ids


class StoriesOfView(PublishedArticleMixin, ReaderListView):
    """The live stories of one section, tag or author, found by its slug, newest first."""

    paginate_by = 20
    owner_name = ""  # The owner's name in the template context.

    def get_owner_queryset(self):
        raise NotImplementedError

    def narrow(self, stories, owner):
        raise NotImplementedError

    def get_queryset(self):
        self.owner = get_object_or_404(self.get_owner_queryset(), slug=self.kwargs["slug"])
        return self.narrow(super().get_queryset(), self.owner)

    def listing_key(self):
        return stories_of_key(self.owner)

    def cache_keys(self, context):
        keys = [*super().cache_keys(context), object_key(self.owner)]
        photo_id = getattr(self.owner, "photo_id", None)
        return [*keys, image_key(photo_id)] if photo_id else keys

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.owner_name: self.owner}, **kwargs)


class SectionView(StoriesOfView):
    template_name = "articles/section_detail.html"
    owner_name = "section"

    def get_owner_queryset(self):
        return Section.objects.all()

    def narrow(self, stories, section):
        return stories.in_section(section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(current_section=self.owner, **kwargs)


def live_tags():
    """Tags that at least one live story carries. A tag only unpublished stories carry has no
    page and no feed: its name alone could give a story away before it is out (#7). Asked
    through `tagged()`, the tag's index of its stories' times finds its newest at once (#17)."""
    return Tag.objects.filter(Exists(Article.objects.published().tagged(OuterRef("pk"))))


class TagView(StoriesOfView):
    """Tag slugs may be in any script, so the URL takes any text (see the tag converter)."""

    template_name = "articles/tag_detail.html"
    owner_name = "tag"

    def get_owner_queryset(self):
        return live_tags()

    def narrow(self, stories, tag):
        return stories.tagged(tag)


class AuthorDetailView(StoriesOfView):
    """An author's page: who they are, then their published stories, newest first. The URL
    configuration serves it at the authors app's address (`authors:detail`); the authors app
    itself knows nothing of stories (#13)."""

    template_name = "authors/author_detail.html"
    owner_name = "author"

    def get_owner_queryset(self):
        return Author.objects.select_related("photo").prefetch_related("photo__renditions")

    def narrow(self, stories, author):
        return stories.by_author(author)


def _local_midnight(day):
    """The start of the day in the site's time zone. None without a day, or where that moment
    is out of range in UTC (1 January of the year 1 east of Greenwich): no story is that old."""
    if day is None:
        return None
    moment = datetime.datetime.combine(day, datetime.time(), timezone.get_default_timezone())
    try:
        moment.astimezone(datetime.UTC)
    except OverflowError:
        return None
    return moment


class ArchiveView(PublishedArticleMixin, ReaderListView):
    """/YYYY/, /YYYY/MM/ and /YYYY/MM/DD/: live stories of that year, month or day, newest
    first. A real date with no stories is an empty page; an impossible one is a 404."""

    template_name = "articles/archive.html"
    paginate_by = 30

    def get_queryset(self):
        year, month, day = (self.kwargs.get(part) for part in ("year", "month", "day"))
        try:
            self.first_day = datetime.date(
                year, 1 if month is None else month, 1 if day is None else day
            )
        except ValueError:
            raise Http404("No such date.") from None
        self.period = "year" if month is None else "month" if day is None else "day"
        # The period as a range of publication times, from local midnight to local midnight:
        # the live-stories index then reads it newest first (EXTRACT(month ...) can't).
        stories = super().get_queryset()
        start, end = _local_midnight(self.first_day), _local_midnight(self._next_period())
        if start is not None:
            stories = stories.filter(published_at__gte=start)
        if end is not None:
            stories = stories.filter(published_at__lt=end)
        return stories

    def _next_period(self):
        """The first day after the period, or None after the year 9999."""
        first = self.first_day
        try:
            if self.period == "day":
                return first + datetime.timedelta(days=1)
            if self.period == "month":
                return (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            return first.replace(year=first.year + 1)
        except (ValueError, OverflowError):
            return None

    def listing_key(self):
        return ARCHIVE

    def get_context_data(self, **kwargs):
        earlier, later, parts = self._neighbours_and_parts()
        part = {"year": "month", "month": "day"}.get(self.period)
        return super().get_context_data(
            first_day=self.first_day,
            period=self.period,
            earlier=earlier and (earlier, self._url(earlier, self.period)),
            later=later and (later, self._url(later, self.period)),
            parts=[(day, self._url(day, part)) for day in parts],
            **kwargs,
        )

    @staticmethod
    def _url(day, period):
        """The archive page of the period of this length starting on this day."""
        args = (day.year, day.month, day.day)[: ("year", "month", "day").index(period) + 1]
        return reverse(f"articles:archive_{period}", args=args)

    def _parts(self):
        """The months of a year, or the days of a month, each as (first day, last day + 1)."""
        first = self.first_day
        if self.period == "year":
            starts = [first.replace(month=month) for month in range(1, 13)]
        elif self.period == "month":
            days = calendar.monthrange(first.year, first.month)[1]
            starts = [first.replace(day=day) for day in range(1, days + 1)]
        else:
            return []
        ends = [*starts[1:], self._next_period()]
        return list(zip(starts, ends, strict=True))

    def _neighbours_and_parts(self):
        """The nearest earlier and later periods with live stories (the first day of each, or
        None: there is nothing before the first story or after the last), and the months of a
        year or the days of a month that have live stories, all in one query: each part is an
        index probe that stops at its first story, so the cost stays the same however many
        stories a year holds (#16)."""
        live = Article.objects.published().order_by()
        start, end = _local_midnight(self.first_day), _local_midnight(self._next_period())
        before = live.filter(published_at__lt=start) if start else live.none()
        after = live.filter(published_at__gte=end) if end else live.none()
        probes = [
            before.order_by("-published_at").values("published_at")[:1],
            after.order_by("published_at").values("published_at")[:1],
        ]
        parts = self._parts()
        for first, last in parts:
            part, lo, hi = live, _local_midnight(first), _local_midnight(last)
            if lo is not None:
                part = part.filter(published_at__gte=lo)
            if hi is not None:
                part = part.filter(published_at__lt=hi)
            probes.append(part.values("pk")[:1])
        earlier, later, *found = first_values(*probes)
        shown = [first for (first, _), pk in zip(parts, found, strict=True) if pk is not None]
        return self._period_of(earlier), self._period_of(later), shown

    def _period_of(self, moment):
        """The first day of the period (of this page's length) holding this publication time."""
        moment = parse_moment(moment)
        if moment is None:
            return None
        day = timezone.localdate(moment, timezone.get_default_timezone())
        if self.period == "year":
            return day.replace(month=1, day=1)
        if self.period == "month":
            return day.replace(day=1)
        return day


class StoryGone(Exception):
    """The story at this address was withdrawn: readers get 410 Gone, with the reason."""

    def __init__(self, article_id):
        super().__init__(article_id)
        self.article_id = article_id


class ArticleDetailView(PublishedArticleMixin, CachedPageMixin, DetailView):
    """A story, with its authors' photos in the byline, then related stories and more from its
    section and its first author (#16)."""

    MORE_STORIES = 3

    def get_queryset(self):
        # Bylines, tags, notes and pictures are read after (`with_notes()`, `get()`), in
        # plain queries shared with the cards below the story (#17).
        return (
            Article.objects.published()
            .select_related("section", "lead_image")
            .order_by("-published_at", "-pk")
        )

    @staticmethod
    def with_notes(story):
        """The story's tags, bylines (with the authors' photos) and notes (corrections...),
        read as if prefetched: a plain query each, without prefetch_related()'s bookkeeping
        for a single story (#17); the same rows in the same order as the prefetch gave. The
        pictures' renditions are read with the cards' (`stories_below()`)."""
        cache = story.__dict__.setdefault("_prefetched_objects_cache", {})
        cache["tags"] = list(story.tags.all())
        attach_bylines([story], photos=True)
        # Asked for only when there are some: most stories are never corrected (#17).
        if story.reader_note_count:
            cache["corrections"] = list(Correction.objects.filter(article=story.pk))
        return story

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        slug, kwargs = self.kwargs["slug"], self.kwargs
        try:
            day = datetime.date(kwargs["year"], kwargs["month"], kwargs["day"])
        except (ValueError, OverflowError):
            day = None
        # The story at this date; then an address it had before its slug or date changed;
        # then the latest live story with this slug (an old link with a wrong date). get()
        # redirects the last two to the story's address, in one hop.
        article = queryset.filter(publication_date=day, slug=slug).first() if day else None
        if article is None:
            moved = ArticleRedirect.objects.filter(old_path=self.request.path).first()
            article = queryset.filter(pk=moved.article_id).first() if moved else None
            if (
                moved
                and article is None
                and Article.objects.withdrawn().filter(pk=moved.article_id).exists()
            ):
                raise StoryGone(moved.article_id)
        if article is None and day:
            gone = Article.objects.withdrawn().filter(publication_date=day, slug=slug).first()
            if gone is not None:
                raise StoryGone(gone.pk)
        if article is None:
            article = queryset.filter(slug=slug).first()
        if article is None:
            raise Http404("No story at this address.")
        return self.with_notes(article)

    @staticmethod
    def shown(context):
        """Every story the page shows: this one, then those below it."""
        below = ("related_articles", "more_from_section", "more_from_author")
        return [context["object"], *(story for name in below for story in context[name])]

    def content_modified(self, context):
        shown = newest_shown(self.shown(context))
        updated = live.changed_at(context["object"], context.get("live_updates", ()))
        return max((at for at in (shown, updated) if at), default=None)

    def cache_keys(self, context):
        story = context["object"]
        return [
            *super().cache_keys(context),
            *(live.update_keys(story, context["live_updates"]) if story.is_live_blog else ()),
            *story_keys(self.shown(context)),
            # The byline's photos: a new crop or focal point purges the page.
            *(image_key(author.photo_id) for author in story.byline_authors if author.photo_id),
            *(object_key(tag) for tag in story.tags.all()),
            # A story coming or going in these listings changes the "more from" blocks.
            *(stories_of_key(owner) for owner in context["more_owners"]),
            *body_keys(story),
        ]

    def stories_below(self):
        """The stories under this one: related stories, then a few recent ones from its
        section and from its first author, none shown twice. Their ids from the kept newest
        stories of each (`latest.below()`, one query), then one query (with its prefetches)
        for all of them, however many there are.
        Returns (related, section's, author's, owners of the last two listings)."""
        story = self.object
        authors = story.byline_authors
        author = authors[0] if authors else None
        picked = latest.below(story, author, more=self.MORE_STORIES)
        owners = [owner for owner in (story.section, author) if owner is not None]
        cards = Article.objects.select_related("section", "lead_image").defer(*CARD_DEFERRED)
        found = cards.in_bulk([pk for ids in picked for pk in ids])
        attach_bylines(found.values())
        attach_renditions(
            pictures=[story.lead_image, *(author.photo for author in authors)],
            card_pictures=[card.lead_image for card in found.values()],
        )
        return (*([found[pk] for pk in ids if pk in found] for ids in picked), owners)

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except StoryGone as gone:
            notes = Correction.objects.filter(
                article_id=gone.article_id, kind=Correction.Kind.WITHDRAWAL
            )
            note = notes.order_by("-created_at", "-pk").first()
            response = TemplateResponse(
                request, "articles/article_gone.html", {"note": note}, status=410
            )
            return cache_error_page(request, response, settings.PAGE_CACHE["GONE_SECONDS"])
        if request.path != self.object.get_absolute_url():
            return redirect(self.object, permanent=True)
        related, from_section, from_author, owners = self.stories_below()
        if self.object.is_live_blog:
            # Its updates, and its key events, under the body (#18).
            self.object.shown_updates = live.updates_of(self.object)
            live_context = {
                "live_updates": self.object.shown_updates,
                "key_events": [u for u in self.object.shown_updates if u.key_event],
                "live_poll_seconds": settings.NEWSROOM_LIVE_POLL_SECONDS,
            }
        else:
            live_context = {}
        return self.render_to_response(
            self.get_context_data(
                object=self.object,
                related_articles=related,
                more_from_section=from_section,
                more_from_author=from_author,
                more_owners=owners,
                body=render_body(self.object),
                **live_context,
            )
        )


def corrections_shown():
    """The notes readers are told of, newest first: corrections, clarifications and updates of
    live stories, and the withdrawal of each withdrawn story. The corrections page and the
    Content API (#18) list these."""
    withdrawal = Q(kind=Correction.Kind.WITHDRAWAL)
    shown = (~withdrawal & Q(article__in=Article.objects.published())) | (
        withdrawal & Q(article__in=Article.objects.withdrawn())
    )
    return Correction.objects.filter(shown).order_by("-created_at", "-pk")


class CorrectionListView(ReaderListView):
    """Every correction, clarification and update on live stories, and the withdrawal of every
    withdrawn story (when and why, without its text), newest first (#12)."""

    template_name = "articles/correction_list.html"
    paginate_by = 30

    def listing_key(self):
        return CORRECTIONS

    def content_modified(self, context):
        return max((note.created_at for note in context["object_list"]), default=None)

    def cache_keys(self, context):
        stories = {story_key(correction.article_id) for correction in context["object_list"]}
        return [NAVIGATION, BREAKING, self.listing_key(), *sorted(stories)]

    def get_queryset(self):
        return (
            corrections_shown()
            .select_related("article")
            .only(
                "kind",
                "text",
                "created_at",
                "article__headline",
                "article__slug",
                "article__publication_date",
            )
            .order_by("-created_at", "-pk")
        )

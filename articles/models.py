"""Stories, their bylines, sections and tags."""

import hashlib
import unicodedata
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.validators import URLValidator
from django.db import connections, models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, slugify
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from authors.models import Author
from images.models import RENDITIONS_ATTR, Rendition, rendition_rows
from images.specs import spec_named
from newsroom.models import TimeStampedModel, person_field
from newsroom.paths import FastPath
from newsroom.timezones import local_time

from .text import EDITOR_EXTENSIONS, WORDS_PER_MINUTE, html_to_plain, sanitize_html
from .text import word_count as count_words

SLUG_MAX_LENGTH = 200
# The public addresses, as reverse() gives them, without a reverse() per link (#17).
STORY_PATH = FastPath("articles:detail", dated=True)
DAY_PATH = FastPath("articles:archive_day", dated=True, slug=False)
SECTION_PATH = FastPath("articles:section")
SECTION_FEED_PATH = FastPath("section-feed")
SECTION_ATOM_PATH = FastPath("section-feed-atom")
TAG_PATH = FastPath("articles:tag")
# The SEO title and description are for search results and social cards (#14): short by
# nature, with room to spare beyond what those show (articles/text.py, *_SHOWN).
SEO_TITLE_MAX_LENGTH = 100
SEO_DESCRIPTION_MAX_LENGTH = 300


def slug_for(headline: str) -> str:
    """The URL slug for a headline: ASCII, lower case, at most SLUG_MAX_LENGTH characters.

    A headline of emoji or symbols alone is spelt out by their names ("🔥🚒" → "fire-fire-
    engine"); one with nothing nameable (punctuation, or a script slugify can't spell in
    ASCII) becomes "story", which the services number ("story-2") when the day has one (#12).
    """
    slug = slugify(headline)[:SLUG_MAX_LENGTH].strip("-")
    if not slug:
        names = [
            unicodedata.name(character, "")
            for character in headline
            if unicodedata.category(character) in ("So", "Sm", "Sc")
        ]
        slug = slugify(" ".join(names))[:SLUG_MAX_LENGTH].strip("-")
    return slug or "story"


# Other ways a person comes to own a story, added by the apps above articles (#15): planning
# makes a story its assignees' own, so they may open and write it. Each source is a function of
# the user that returns a query of story ids (`.values("article_id")`), with its converse, a
# function of a story that returns a query of its owners' ids (`.values("user_id")`), for
# whoever tells a story's people about it (notifications). Articles never imports those apps.
OWNER_SOURCES = []
OWNERS_OF = []


def add_owner_source(source, owners_of) -> None:
    """Makes the stories `source(user)` names the user's own, as their byline does, and the
    users `owners_of(article)` names the story's own."""
    if source not in OWNER_SOURCES:
        OWNER_SOURCES.append(source)
        OWNERS_OF.append(owners_of)


def other_owners(article) -> list:
    """Queries of the ids of the users other apps make the story's own (`user_id`)."""
    return [owners_of(article) for owners_of in OWNERS_OF]


class Section(models.Model):
    """A part of the site (News, Sport …): each story has one primary section (#4)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The section's address, /sections/section-name/. Changing it breaks links to it.",
    )
    description = models.TextField(
        max_length=500, blank=True, help_text="One or two sentences, shown on the section page."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order (smallest first)."
    )
    in_navigation = models.BooleanField(
        "shown in the navigation", default=True, help_text="List it in the site's main menu."
    )
    front_page_position = models.PositiveSmallIntegerField(
        "place on the front page",
        null=True,
        blank=True,
        help_text=(
            "Gives the section a block of its latest stories on the front page, in this order "
            "(smallest first). Leave it empty to keep the section off the front page."
        ),
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return SECTION_PATH(slug=self.slug)

    @property
    def feed_url(self) -> str:
        return SECTION_FEED_PATH(slug=self.slug)

    @property
    def atom_feed_url(self) -> str:
        return SECTION_ATOM_PATH(slug=self.slug)


class Tag(TagBase):
    """A topic. Its slug keeps accents and non-Latin scripts (#4); a name with no letters or
    digits at all (an emoji) still gets a usable slug."""

    class Meta:
        verbose_name = "tag"
        verbose_name_plural = "tags"
        ordering = ["name"]

    def slugify(self, tag, i=None):
        slug = slugify(tag, allow_unicode=True)[:90].strip("-")
        if not slug:
            slug = "tag-" + hashlib.sha1(tag.encode()).hexdigest()[:8]
        return f"{slug}_{i}" if i is not None else slug

    def get_absolute_url(self):
        return TAG_PATH(slug=self.slug)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    # The story's publication time, kept here by articles/link_times.py so that a tag's page
    # reads its newest stories from the tag's own index (#17).
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_once")
        ]
        indexes = [
            # A tag's stories from the index alone (the unique constraint serves the other
            # direction: a story's tags).
            models.Index(fields=["tag", "content_object"], name="tagged_tag_article_idx"),
            # A tag's stories newest first, in the order of the story lists (#17).
            models.Index(
                fields=["tag", "-published_at", "-content_object"], name="tagged_tag_newest_idx"
            ),
        ]


class ArticleQuerySet(models.QuerySet):
    # Set by `for_cards()`: the stories fetched get their bylines and their pictures' card
    # renditions attached, a query each (`attach_bylines()`, `attach_renditions()`).
    _cards = False

    def _clone(self):
        clone = super()._clone()
        clone._cards = self._cards
        return clone

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._cards and self._iterable_class is ModelIterable:
            attach_bylines(self._result_cache)
            attach_renditions(card_pictures=[story.lead_image for story in self._result_cache])

    def current(self):
        """Stories not in the trash. Every state below (draft, live...) is of these only."""
        return self.filter(trashed_at__isnull=True)

    def in_trash(self):
        return self.filter(trashed_at__isnull=False)

    def published(self):
        """Stories readers may see: published, with a publication time that has passed, no
        embargo still to come (#15), and not in the trash.

        This is the only rule for public visibility; every public page starts from it. An
        embargo lifts by itself at its minute, as a schedule does: the clock decides, no job.
        """
        now = timezone.now()
        return self.current().filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            status=self.model.Status.PUBLISHED,
            published_at__lte=now,
        )

    def drafts(self):
        return self.current().filter(status=self.model.Status.DRAFT)

    def in_review(self):
        return self.current().filter(status=self.model.Status.REVIEW)

    def withdrawn(self):
        return self.current().filter(status=self.model.Status.WITHDRAWN)

    def scheduled(self):
        """Published stories whose publication time, or embargo (#15), is still to come."""
        now = timezone.now()
        return self.current().filter(
            Q(published_at__gt=now) | Q(embargo_until__gt=now),
            status=self.model.Status.PUBLISHED,
        )

    def embargoed(self):
        """Stories under an embargo still to come, in any state (#15)."""
        return self.current().filter(embargo_until__gt=timezone.now())

    def held(self):
        """Stories under a legal hold (#15)."""
        return self.current().filter(held_at__isnull=False)

    def count_reader_notes(self) -> int:
        """Counts these stories' notes readers see (`reader_note_count`) again, in one UPDATE."""
        notes = (
            Correction.objects.filter(article=OuterRef("pk"))
            .exclude(kind=Correction.Kind.WITHDRAWAL)
            .values("article")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.update(reader_note_count=Coalesce(Subquery(notes), 0))

    def by_author(self, author):
        """The author's stories, newest first (as `for_listing()`), read through their bylines.

        The order is the bylines' copy of the story's publication time (articles/link_times.py),
        so that PostgreSQL walks the author's own index and stops after a page, whether they
        have ten stories or a hundred thousand; through the stories' index it read the whole
        archive to find the few of a small author (#17). The rows whose copy says "not out
        yet" are passed over in the index; `published()` still decides what is shown."""
        now = timezone.now()
        return self.filter(bylines__author=author, bylines__published_at__lte=now).order_by(
            "-bylines__published_at", "-bylines__article_id"
        )

    def owned_by(self, user):
        """Stories the user started or carries the byline of (through their author profile),
        or that another app makes theirs (OWNER_SOURCES: a planned story's assignees, #15).

        One `IN (… UNION …)` of two indexed lookups (#14): the `OR` across a join, with the
        DISTINCT it needed, read every story of the archive for each reporter's list. The
        user's author profile is looked up first, so that the planner knows which author it
        is and how many stories carry their byline (a few, or a hundred thousand): reached
        through a join, it guessed an average author and chose plans a thousand times slower.
        """
        started = Article.objects.filter(created_by=user).order_by().values("pk")
        profiles = list(Author.objects.filter(user=user).values_list("pk", flat=True)[:10])
        bylines = ArticleAuthor.objects.filter(author__in=profiles)
        bylined = bylines.order_by().values("article_id")
        others = [source(user).order_by() for source in OWNER_SOURCES]
        return self.filter(pk__in=started.union(bylined, *others))

    def in_section(self, section):
        return self.filter(section=section)

    def tagged(self, tag):
        """The tag's stories, newest first (as `for_listing()`), read through the tag's own
        index of its stories' publication times: see `by_author()` (#17)."""
        now = timezone.now()
        return self.filter(taggedarticle__tag=tag, taggedarticle__published_at__lte=now).order_by(
            "-taggedarticle__published_at", "-taggedarticle__content_object_id"
        )

    def related_to(self, article, limit=4):
        """Live stories sharing the article's section or one of its tags, newest first.

        The candidates are the newest stories of that section and those tags, kept in
        LatestStory (articles/latest.py, #17): a few dozen rows, however large the archive,
        where the same question asked of the archive read more of it the more it held. The
        rule is still applied to them, so only what it allows is shown.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        shares_a_tag = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
        related = Q(Exists(shares_a_tag)) if tag_ids else Q(pk__in=[])
        if article.section_id:
            related |= Q(section_id=article.section_id)
        owners = Q(tag__in=tag_ids)
        if article.section_id:
            owners |= Q(section=article.section_id)
        # Rows of stories not live yet (scheduled, embargoed) are left out by their time.
        live_rows = LatestStory.objects.filter(owners, live_from__lte=timezone.now())
        candidates = live_rows.values("article_id")
        return (
            self.published()
            .filter(related, pk__in=candidates)
            .exclude(pk=article.pk)
            .for_listing()[:limit]
        )

    def with_bylines(self, photos=False):
        """Prefetches each story's authors in byline order: one query for any number of rows.
        With `photos`, their photos too and the photos' renditions (one more query), for the
        byline of the story page (#16).

        The bylines land in a plain list (`to_attr`): a prefetch into the related manager
        builds and filters one queryset per story to hold its rows, ~0.1 ms each (#17)."""
        related = ("author", "author__photo") if photos else ("author",)
        bylines = Prefetch(
            "bylines",
            queryset=ArticleAuthor.objects.select_related(*related).order_by("position", "pk"),
            to_attr=BYLINES_ATTR,
        )
        if photos:
            return self.prefetch_related(
                bylines, rendition_rows(f"{BYLINES_ATTR}__author__photo__renditions")
            )
        return self.prefetch_related(bylines)

    def for_listing(self, byline_photos=False, picture_specs=None):
        return (
            self.select_related("section", "lead_image")
            .prefetch_related(rendition_rows("lead_image__renditions", specs=picture_specs))
            .with_bylines(photos=byline_photos)
            .order_by("-published_at", "-pk")
        )

    def for_cards(self):
        """The stories as lists of cards show them: with their section, picture and bylines,
        without what no card shows: the body, the longest column (~4 kB a story), and the
        renditions of crops no card uses (half of a picture's ~30 rows), read only by the
        story page, feeds and search (#17). The bylines and renditions are read after the
        stories, a query each, into the plain lists prefetching gave, without
        prefetch_related()'s bookkeeping (#17)."""
        clone = (
            self.select_related("section", "lead_image")
            .defer(*CARD_DEFERRED)
            .order_by("-published_at", "-pk")
        )
        clone._cards = True
        return clone


def attach_bylines(stories, photos=False) -> None:
    """What `with_bylines()` prefetches, for stories already loaded: their bylines in byline
    order, in one query, into the same plain lists. The story page loads its story and the
    cards under it in steps, and lays out their rows itself: prefetch_related()'s bookkeeping
    for a page of a few stories cost more than the queries (#17)."""
    stories = [story for story in stories if story is not None]
    if not stories:
        return
    related = ("author", "author__photo") if photos else ("author",)
    rows = ArticleAuthor.objects.filter(article__in=[story.pk for story in stories])
    by_story = {story.pk: [] for story in stories}
    for row in rows.select_related(*related).order_by("position", "pk"):
        by_story[row.article_id].append(row)
    for story in stories:
        for row in by_story[story.pk]:
            ArticleAuthor.article.field.set_cached_value(row, story)
        story.__dict__[BYLINES_ATTR] = by_story[story.pk]


def attach_renditions(pictures=(), card_pictures=()) -> None:
    """What `rendition_rows()` prefetches, for images already loaded, in one query: every
    rendition of `pictures` (a story's own picture, its byline's photos) and those of the
    crops cards show of `card_pictures` (#17)."""
    ready = [image for image in (*pictures, *card_pictures) if image is not None and image.is_ready]
    if not ready:
        return
    every = {image.pk for image in pictures if image is not None and image.is_ready}
    cards = {image.pk for image in ready} - every
    names = [spec_named(spec).name for spec in CARD_PICTURE_SPECS]
    found = {image.pk: [] for image in ready}
    for rendition in Rendition.objects.filter(
        Q(image__in=every) | Q(image__in=cards, spec__in=names)
    ):
        found[rendition.image_id].append(rendition)
    # The same picture may be loaded more than once (two cards, a story and its card).
    for image in ready:
        image.__dict__[RENDITIONS_ATTR] = found[image.pk]
        image.__dict__.pop("_rendition_list", None)


# Where `with_bylines()` puts a story's bylines (see `Article.byline_authors`).
BYLINES_ATTR = "prefetched_bylines"
# Columns of a story that lists of cards never read (`for_cards()`).
CARD_DEFERRED = ("body",)
# The crops story cards show (templates/articles/includes/card.html).
CARD_PICTURE_SPECS = ("16:9", "4:3")


def first_values(*querysets):
    """The first value of each queryset, in one query: `SELECT (…), (…)`; None for an empty
    one. The archive's neighbours and the sitemaps' times each need several (#16, #17)."""
    sql, params = [], []
    for queryset in querysets:
        try:
            text, values = queryset.query.sql_with_params()
        except EmptyResultSet:
            text, values = "SELECT NULL", ()
        sql.append(f"({text})")
        params.extend(values)
    with connections[Article.objects.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(sql)}", params)
        return list(cursor.fetchone())


class Article(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "Ready for review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Live(models.TextChoices):
        NO = "", "No: a story"
        LIVE = "live", "Live: taking updates"
        ENDED = "ended", "Ended: coverage over"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=SLUG_MAX_LENGTH,
        help_text="The last part of the story's address, /YYYY/MM/DD/slug/. Filled in from the "
        "headline; once the story is live, changing it changes its address.",
    )
    standfirst = models.TextField(
        max_length=500,
        blank=True,
        help_text="One or two plain sentences under the headline. Shown on the front page and in "
        "search results.",
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=SEO_TITLE_MAX_LENGTH,
        blank=True,
        help_text="The title in search results and on social cards, if it should differ from "
        "the headline: shorter, or with the words people search for. Empty: the headline.",
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=SEO_DESCRIPTION_MAX_LENGTH,
        blank=True,
        help_text="One or two plain sentences under the title in search results and on social "
        "cards. Empty: the standfirst (or, without one, the story's first words).",
    )
    body = ProseEditorField(
        config={"extensions": EDITOR_EXTENSIONS},
        sanitize=sanitize_html,
        blank=True,
        help_text="Paragraphs, headings, lists, quotes and links (to our stories too, found by "
        "headline); from the toolbar, pictures, tables, pull quotes, read-more boxes and videos, "
        "posts or charts. Drop a picture file in to upload it; paste a video's or post's address "
        "on a line of its own to embed it. Pasting from Word or Google Docs keeps the structure "
        "and loses the rest.",
    )
    authors = models.ManyToManyField(
        "authors.Author",
        through="ArticleAuthor",
        related_name="articles",
        blank=True,
        verbose_name="author",
    )
    lead_image = models.ForeignKey(
        "images.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Shown above the story and when it is shared. It needs alt text before the "
        "story is published, unless it is marked decorative.",
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The story's home on the site. Deleting a section keeps its stories.",
    )
    tags = TaggableManager(
        through=TaggedArticle,
        blank=True,
        help_text="Comma-separated topics, e.g. “fentanyl, China, public health”.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Live coverage (#18): a live blog's updates (LiveUpdate) are shown under its body, newest
    # first, and readers' open pages fetch new ones by themselves; "ended" keeps them and says
    # the coverage is over.
    live = models.CharField(
        "live blog",
        max_length=10,
        choices=Live.choices,
        default=Live.NO,
        blank=True,
        help_text="A live blog takes timestamped updates, posted one by one from “Post a live "
        "update”; readers' open pages show new ones without a reload. End it when the coverage "
        "is over: its updates stay.",
    )
    live_ended_at = models.DateTimeField(
        "live coverage ended", null=True, blank=True, editable=False
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="Set when the story is published. Its date is part of the story's address.",
    )
    revised_at = models.DateTimeField(
        "updated",
        null=True,
        blank=True,
        editable=False,
        help_text="The “Updated” time readers see: set by a correction or update note, or a save "
        "marked as a significant update. Typo fixes leave it alone.",
    )
    # The corrections, clarifications and updates readers see under the story, counted when
    # one is added or removed (`count_reader_notes`), so that the story page of a story never
    # corrected, most of them, asks for none (#17).
    reader_note_count = models.PositiveIntegerField(default=0, editable=False)
    # Embargo and legal hold (#15). An embargo is a "not before" time: until then the story is
    # on no public surface (published() checks it), and no one can publish it or schedule it
    # earlier (services.story_problems). A hold is Legal's: while it is on, the story can't be
    # published, scheduled or have changes published; only Legal places and lifts it.
    embargo_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="Not before this time, in the newsroom's time zone: until then the story can't "
        "be published, and it can be scheduled only for this minute or later. It can't be set "
        "on a live story. Empty: no embargo.",
    )
    held_at = models.DateTimeField("legal hold placed", null=True, blank=True, editable=False)
    held_by = person_field("legal hold placed by", editable=False)
    hold_reason = models.TextField(
        "reason for the legal hold", max_length=2000, blank=True, editable=False
    )
    # The body's words, counted whenever the body changes (`_sync_derived_fields`): the story
    # page shows it and its reading time, and counting means parsing the body (#17).
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # Bumped on every save; a form still holding an older number is refused (no lost edits).
    version = models.PositiveIntegerField(default=1, editable=False)
    # The date in the newsroom's time zone, for the URL and its uniqueness (see save()).
    publication_date = models.DateField(null=True, blank=True, editable=False)
    created_by = person_field(editable=False)
    updated_by = person_field("last edited by", editable=False)
    # Deleting a story in the admin moves it to the trash, from which it can be restored; only
    # emptying the trash deletes it. A story in the trash is in no state readers can see.
    trashed_at = models.DateTimeField("moved to the trash", null=True, blank=True, editable=False)
    trashed_by = person_field("moved to the trash by", editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "story"
        verbose_name_plural = "stories"
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        permissions = [
            ("publish_article", "Can publish and unpublish stories"),
            # Legal's (#15): an editor may not lift a hold Legal placed.
            ("hold_article", "Can place and lift a legal hold on stories"),
        ]
        indexes = [
            # Every live listing: the front page, feeds, sitemaps, related stories, and the
            # nested loops of the author and tag pages, newest first with no sort (#6). It
            # replaces (status, -published_at), which left a sort on pk for ties.
            models.Index(fields=["status", "-published_at", "-id"], name="article_live_idx"),
            # A section's page and feed: its live stories, newest first, with no sort.
            models.Index(
                fields=["section", "status", "-published_at", "-id"],
                name="article_section_live_idx",
            ),
            # The admin's list of every story, newest first (Meta.ordering), and its dates.
            models.Index(fields=["-published_at", "-id"], name="article_newest_idx"),
            # The story list filtered by section, newest first with no sort (#14).
            models.Index(
                fields=["section", "-published_at", "-id"], name="article_section_newest_idx"
            ),
            # The story list filtered by author or tag, searched, or a reporter's own: the
            # matches' ids put in order from this index alone, without reading their rows
            # (articles/pagination.py CappedPaginator.page, #14).
            models.Index(
                fields=["id", "published_at"],
                condition=models.Q(trashed_at__isnull=True),
                name="article_order_idx",
            ),
            # The sitemap index's lastmod: the newest "Updated" time, read newest first (#17).
            models.Index(
                fields=["-revised_at"],
                condition=models.Q(revised_at__isnull=False),
                name="article_revised_idx",
            ),
            # The next embargo to lift (caching.next_change_at) and the list's filter (#15).
            models.Index(
                fields=["embargo_until"],
                condition=models.Q(embargo_until__isnull=False),
                name="article_embargo_idx",
            ),
        ]
        constraints = [
            # A hold always says why (#15): the banner and the log show the reason.
            models.CheckConstraint(
                condition=Q(held_at__isnull=True, hold_reason="")
                | (Q(held_at__isnull=False) & ~Q(hold_reason="")),
                name="article_hold_has_reason",
                violation_error_message="A legal hold needs a reason.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message="A published story needs a publication time.",
            ),
            models.UniqueConstraint(
                fields=["publication_date", "slug"], name="article_unique_slug_per_date"
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        """The public address, or None while the story has no publication time."""
        if self.publication_date is None:
            return None
        return STORY_PATH(day=self.publication_date, slug=self.slug)

    @property
    def day_url(self) -> str | None:
        """The archive page of the story's publication day, or None without one."""
        if self.publication_date is None:
            return None
        return DAY_PATH(day=self.publication_date)

    def is_published(self) -> bool:
        """Whether readers can see the story now (the instance twin of `published()`)."""
        now = timezone.now()
        return (
            self.trashed_at is None
            and self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
        )

    def is_scheduled(self) -> bool:
        """Published, but readers see it only later: at its time, or its embargo's (#15)."""
        now = timezone.now()
        return (
            self.trashed_at is None
            and self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at > now or self.is_embargoed())
        )

    def is_embargoed(self) -> bool:
        """Whether an embargo still to come keeps the story off the site (#15)."""
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    @property
    def is_live_blog(self) -> bool:
        """Whether the story is a live blog, taking updates or ended (#18)."""
        return bool(self.live)

    @property
    def is_taking_updates(self) -> bool:
        return self.live == self.Live.LIVE

    def is_held(self) -> bool:
        """Whether Legal holds the story (#15)."""
        return self.held_at is not None

    @property
    def goes_live_at(self):
        """When a scheduled story goes live: its time, or its embargo's if later (#15)."""
        times = [t for t in (self.published_at, self.embargo_until) if t is not None]
        return max(times) if times else None

    @property
    def was_updated(self) -> bool:
        """Whether readers are told the story was updated after it went live."""
        return bool(self.revised_at and self.published_at and self.revised_at > self.published_at)

    @property
    def shown_updated_at(self):
        """The newest time readers are told of: "Updated" if the story was, else its
        publication (#16). Sitemaps' lastmod and pages' Last-Modified use it; saves that
        readers aren't told about (a typo fixed) don't move it."""
        return self.revised_at if self.was_updated else self.published_at

    @property
    def summary(self) -> str:
        """Plain text for meta descriptions: the standfirst, else the start of the body.
        Worked out once per text (a page reads it several times, #17): kept with the
        standfirst and body it was made from, and made again when either changes."""
        text = (self.standfirst, self.body)
        kept = self.__dict__.get("_summary")
        if kept is None or kept[0] != text:
            kept = (text, Truncator(self.standfirst or html_to_plain(self.body)).chars(160))
            self.__dict__["_summary"] = kept
        return kept[1]

    @property
    def meta_title(self) -> str:
        """The title search results and social cards show: the SEO title, else the headline."""
        return self.seo_title.strip() or self.headline

    @property
    def meta_description(self) -> str:
        """The description search results and social cards show: the SEO description, else
        the summary (the standfirst, else the start of the body)."""
        return self.seo_description.strip() or self.summary

    @property
    def reading_minutes(self) -> int:
        """Minutes to read the story at an average adult pace, at least one."""
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    @property
    def reader_notes(self):
        """The corrections, clarifications and updates readers see at the end of the story
        (uses a prefetch of `corrections`); a past withdrawal's note is for the corrections
        page only."""
        if not self.reader_note_count:  # Most stories never have one: no query (#17).
            return []
        return [note for note in self.corrections.all() if note.kind != "withdrawal"]

    @property
    def byline_authors(self):
        """The authors in byline order (uses the prefetch from `with_bylines()`, else one
        query)."""
        bylines = self.__dict__.get(BYLINES_ATTR)
        if bylines is None:
            bylines = self.bylines.all()
        return [byline.author for byline in bylines]

    def _sync_derived_fields(self):
        self.word_count = count_words(self.body)
        # When the live coverage ended (coverageEndTime): kept while it stays ended.
        if self.live != self.Live.ENDED:
            self.live_ended_at = None
        elif self.live_ended_at is None:
            self.live_ended_at = timezone.now()
        if not self.slug:
            self.slug = slug_for(self.headline)
        self.publication_date = (
            timezone.localdate(self.published_at, timezone.get_default_timezone())
            if self.published_at
            else None
        )

    def clean(self):
        # Whether the address is free (of other stories and of their old addresses) is the
        # save service's question: it asks inside the transaction that saves (#12).
        self._sync_derived_fields()

    def validate_constraints(self, exclude=None):
        # The slug-per-date rule is checked by the save service, so the error lands on the
        # slug field even in forms that don't show the derived publication_date.
        super().validate_constraints(exclude={*(exclude or ()), "publication_date"})

    def live_address(self) -> str | None:
        """The address readers know the story by, if they can see it now."""
        return self.get_absolute_url() if self.is_published() else None

    def save(self, *args, **kwargs):
        """Computes the derived fields and numbers the version; nothing else (#12).

        Side effects of a change (old addresses, the page cache, the search index) belong to
        the services in articles/services.py, which call this once per user action.
        """
        # The body first: the word count is of the sanitised body.
        self.body = sanitize_html(self.body)
        self._sync_derived_fields()
        # Bumped on every save: a form still holding an older number is refused.
        self.version = (self.version or 0) + 1 if self.pk else 1
        update_fields = kwargs.get("update_fields")
        if self.pk and update_fields is None:
            # A full save writes every column: the count of notes readers see is read again,
            # not written back from an instance loaded before a note was added (#17).
            self.reader_note_count = (
                Correction.objects.using(kwargs.get("using") or self._state.db or "default")
                .filter(article=self.pk)
                .exclude(kind=Correction.Kind.WITHDRAWAL)
                .count()
            )
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "slug",
                "publication_date",
                "body",
                "word_count",
                "version",
            }
        super().save(*args, **kwargs)


class TrashedArticle(Article):
    """Stories in the trash, for their own admin list (restore, or delete for good)."""

    class Meta:
        proxy = True
        verbose_name = "story in the trash"
        verbose_name_plural = "trash"


class ArticleAuthor(models.Model):
    """One name in a story's byline; `position` keeps the order editors chose."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        "authors.Author",
        on_delete=models.PROTECT,
        related_name="bylines",
        help_text="Authors with stories can't be deleted: remove them from the bylines first.",
    )
    position = models.PositiveSmallIntegerField("order", default=0)
    # The story's publication time, kept here by articles/link_times.py so that an author's
    # page reads their newest stories from the author's own index (#17).
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "byline"
        verbose_name_plural = "byline"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]
        indexes = [
            # An author's stories from the index alone (the unique constraint serves the other
            # direction: a story's authors).
            models.Index(fields=["author", "article"], name="byline_author_article_idx"),
            # An author's stories newest first, in the order of the story lists (#17).
            models.Index(
                fields=["author", "-published_at", "-article"], name="byline_author_newest_idx"
            ),
        ]

    def __str__(self):
        return f"{self.author} on “{self.article}”"


class MadeByModel(models.Model):
    """When and by whom a record was made; no one when the system made it."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = person_field(help_text="Empty when made by the system (an import or a command).")

    class Meta:
        abstract = True


class ArticleRedirect(models.Model):
    """An address a story had before its slug or date changed; it answers 301 to the story."""

    old_path = models.CharField(max_length=255, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_path} → {self.article}"


class Correction(MadeByModel):
    """A note appended to a published story: a correction, a clarification or an update."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"
        # Written when a story is withdrawn, with the editor's reason: the corrections page
        # keeps telling readers the story was taken down, without its text (#12).
        WITHDRAWAL = "withdrawal", "Withdrawal"

    # The kinds an editor adds to a live story; a withdrawal note comes with withdrawing.
    NOTE_KINDS = [(kind.value, kind.label) for kind in Kind if kind != "withdrawal"]

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        max_length=2000, help_text="Plain text, e.g. “An earlier version misspelled …”."
    )

    class Meta:
        ordering = ["created_at", "pk"]
        # The corrections page, newest first with no sort (pk breaks ties).
        indexes = [models.Index(fields=["-created_at", "-id"], name="correction_list_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}, {date_format(self.created_at, 'j F Y')}"


KEY_EVENT_NEEDS_TITLE = "A key event needs a title: it is its line in the list."


class LiveUpdateQuerySet(models.QuerySet):
    def shown(self):
        """Updates readers see: those of live blogs readers can see, newest first."""
        return self.filter(article__in=Article.objects.published().exclude(live="")).order_by(
            "-posted_at", "-pk"
        )


class LiveUpdate(models.Model):
    """One timestamped update of a live blog (#18): posted at once, in one action (the admin's
    “Post update”), shown newest first under the story. A key event is also listed at the top
    of the page. Readers see an update when they can see its story."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="live_updates", verbose_name="live blog"
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional: a few words in bold above the update. A key event needs one: it "
        "is the event's line in the list at the top.",
    )
    body = ProseEditorField(
        config={"extensions": EDITOR_EXTENSIONS},
        sanitize=sanitize_html,
        help_text="What happened, as in a story: paragraphs, links, quotes; pictures, posts and "
        "videos from the toolbar, or a post's address pasted on a line of its own.",
    )
    authors = models.ManyToManyField(
        "authors.Author",
        blank=True,
        related_name="live_updates",
        verbose_name="by",
        help_text="Who reported it. Empty: no name is shown.",
    )
    key_event = models.BooleanField(
        default=False,
        help_text="Listed at the top of the live blog, for readers arriving late.",
    )
    posted_at = models.DateTimeField("posted", default=timezone.now, editable=False)
    edited_at = models.DateTimeField("last edited", null=True, blank=True, editable=False)
    created_by = person_field("posted by", editable=False)
    # Bumped on every save; a form still holding an older number is refused (no lost edits).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = LiveUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-pk"]
        get_latest_by = "posted_at"
        verbose_name = "live update"
        indexes = [
            # A live blog's updates, newest first: the page, the poll, the feed and the API.
            models.Index(fields=["article", "-posted_at", "-id"], name="liveupdate_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_event=False) | ~Q(title=""),
                name="liveupdate_key_event_has_title",
                violation_error_message=KEY_EVENT_NEEDS_TITLE,
            ),
        ]

    def __str__(self):
        when = timezone.localtime(self.posted_at).strftime("%H:%M") if self.posted_at else ""
        words = self.title or html_to_plain(self.body)
        return f"{when} {Truncator(words).chars(60)}".strip()

    def save(self, *args, **kwargs):
        # As the story's body: stored sanitised whoever saves it (the editor's field sanitises
        # only in full_clean()).
        self.body = sanitize_html(self.body)
        self.title = self.title.strip()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def clean(self):
        if self.key_event and not self.title.strip():
            raise ValidationError({"title": KEY_EVENT_NEEDS_TITLE})

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"


def attach_update_bylines(updates) -> None:
    """Each update's authors as `update.byline` (a list), in one query for them all."""
    through = LiveUpdate.authors.through
    found = defaultdict(list)
    rows = through.objects.filter(liveupdate__in=[update.pk for update in updates])
    for row in rows.select_related("author").order_by("pk"):
        found[row.liveupdate_id].append(row.author)
    for update in updates:
        update.byline = found.get(update.pk, [])


class ArticleRevision(MadeByModel):
    """A snapshot of the whole story (text, byline order, tags, section, picture, status)
    after a save, or of the unpublished changes saved to a live story.

    Revisions are only ever added: restoring one saves the story again, which adds a revision.
    """

    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        STAGED = "staged", "Unpublished changes"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    comment = models.CharField(max_length=255, blank=True)
    snapshot = models.JSONField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVED)
    # The story's version this snapshot is of: what a form holding that version showed. A
    # refused stale save compares it with the latest to show what the other person changed.
    version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"Revision of “{self.article}” at {local_time(self.created_at)}"


class PreviewLink(MadeByModel):
    """A shareable, expiring, revocable read-only link to an unpublished story."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview link for “{self.article}”"

    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class FrontPageSlotQuerySet(models.QuerySet):
    def active(self):
        """Slots whose pin hasn't expired and whose story is live, in slot order."""
        now = timezone.now()
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            article__in=Article.objects.published(),
        ).order_by("slot")


class FrontPageSlot(models.Model):
    """An editor's choice for the front page (#5): the lead story or one of the top stories,
    until an optional expiry time. Empty or expired slots fall back to the latest stories."""

    class Slot(models.IntegerChoices):
        LEAD = 0, "Lead story"
        TOP_1 = 1, "Top story 1"
        TOP_2 = 2, "Top story 2"
        TOP_3 = 3, "Top story 3"
        TOP_4 = 4, "Top story 4"

    slot = models.PositiveSmallIntegerField(choices=Slot.choices, unique=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="front_page_slots",
        limit_choices_to={"trashed_at__isnull": True},
        verbose_name="story",
        help_text="Only a live story is shown; until then the slot shows the latest story.",
    )
    expires_at = models.DateTimeField(
        "until",
        null=True,
        blank=True,
        help_text="After this time the slot goes back to the latest stories. Empty: no end.",
    )

    objects = FrontPageSlotQuerySet.as_manager()

    # The story's fields `is_active()` reads (through `Article.is_published()`).
    STORY_LIVE_FIELDS = ("status", "published_at", "embargo_until", "trashed_at")

    class Meta:
        ordering = ["slot"]
        verbose_name = "front page slot"

    def __str__(self):
        return f"{self.get_slot_display()}: {self.article}"

    def is_active(self, now=None) -> bool:
        """Whether the slot shows its story now (the instance twin of `active()`)."""
        now = now or timezone.now()
        return (self.expires_at is None or self.expires_at > now) and self.article.is_published()


def validate_banner_link(value):
    """A banner's link: an address on this site (`/2026/03/10/slug/`) or an https URL. Nothing
    else reaches every page: no `javascript:` or `data:`, no protocol-relative `//host`, no
    backslashes or spaces a browser might read as something else (#18)."""
    if any(char.isspace() or ord(char) < 32 or char == "\\" for char in value):
        raise ValidationError("A link can't contain spaces or backslashes.")
    if value.startswith("/") and not value.startswith("//"):
        return
    if value.lower().startswith("https://"):
        URLValidator(schemes=["https"], message="Enter a valid https address.")(value)
        return
    raise ValidationError(
        "Enter an address on this site starting with “/” or a full address starting with "
        "“https://”."
    )


class BreakingQuerySet(models.QuerySet):
    def active(self, now=None):
        """Banners shown now, newest first: only the first is shown."""
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, expires_at__gt=now).order_by("-starts_at", "-pk")


class Breaking(models.Model):
    """A breaking-news banner (#18): a line of text, and an optional link, shown on every
    reader's page from `starts_at` until `expires_at`. Going up and coming down at those
    minutes needs no job: every page reads it from memory (articles/lookups.py) and the page
    cache ends pages at the next such minute (articles/caching.py, `next_change_at`)."""

    text = models.CharField(
        max_length=200,
        help_text="Plain text, shown at the top of every page. Keep it to one line.",
    )
    link = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_banner_link],
        help_text="Optional: an address on this site (/2026/03/10/story-slug/) or a full "
        "https:// address. Empty: the banner is text only.",
    )
    starts_at = models.DateTimeField(
        "shown from",
        default=timezone.now,
        help_text="The banner goes up by itself at this minute.",
    )
    expires_at = models.DateTimeField(
        "shown until",
        help_text="The banner comes down by itself at this minute. Delete it to take it down "
        "at once.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = person_field(editable=False)

    objects = BreakingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        get_latest_by = "starts_at"
        verbose_name = "breaking-news banner"
        # The next banner to go up or come down, asked for whenever a page is cached
        # (articles/caching.py, `next_change_at`).
        indexes = [
            models.Index(fields=["starts_at"], name="breaking_starts_idx"),
            models.Index(fields=["expires_at"], name="breaking_expires_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("starts_at")),
                name="breaking_ends_after_it_starts",
                violation_error_message="A banner must end after it starts.",
            )
        ]

    def __str__(self):
        return Truncator(self.text).chars(60)

    def clean(self):
        if self.starts_at and self.expires_at and self.expires_at <= self.starts_at:
            raise ValidationError({"expires_at": "A banner must end after it starts."})

    def is_active(self, now=None) -> bool:
        """Whether it is up now (the instance twin of `active()`; the newest such is shown)."""
        now = now or timezone.now()
        return self.starts_at <= now < self.expires_at

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return "scheduled"
        return "showing" if now < self.expires_at else "expired"


class StagedChange(models.Model):
    """Changes to a live story that readers don't see yet (#12).

    "Save draft of changes" keeps them here; readers keep the published version until an
    editor publishes the changes (at once, or at a scheduled minute), or discards them. The
    admin's preview and share links show them. A correction or update note and the
    "significant update" tick wait here too, and take effect with the changes.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="staged_change"
    )
    # The story as it will be: the same shape as a revision's snapshot.
    snapshot = models.JSONField()
    note_kind = models.CharField(max_length=20, choices=Correction.NOTE_KINDS, blank=True)
    note_text = models.TextField(max_length=2000, blank=True)
    significant = models.BooleanField(default=False)
    publish_at = models.DateTimeField(
        "publish the changes at",
        null=True,
        blank=True,
        help_text="The changes go live by themselves at this minute.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = person_field(help_text="Empty when made by the system.")

    class Meta:
        verbose_name = "unpublished changes"
        verbose_name_plural = "unpublished changes"
        # The scheduled changes due next (articles/scheduling.py).
        indexes = [models.Index(fields=["publish_at"], name="staged_change_due_idx")]

    def __str__(self):
        return f"Unpublished changes to “{self.article}”"


class WorkingCopy(models.Model):
    """What someone typed in a story form and hasn't saved (#12).

    Autosave keeps it every few seconds while the form is open, and a save that arrives after
    the session ended keeps it too. Only its author sees it; it is never a public change and
    never a revision. Saving the story (or discarding the copy) deletes it.
    """

    class Reason(models.TextChoices):
        AUTOSAVE = "autosave", "Autosaved"
        SESSION = "session", "Kept when the session ended"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_copies"
    )
    # Empty for a story that was never saved: the form's key finds it again.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="working_copies"
    )
    key = models.UUIDField(help_text="The id of the form it was typed in.")
    # The form's fields as the browser posts them: {name: [values]}.
    data = models.JSONField()
    headline = models.CharField(max_length=200, blank=True)
    # The story's version the form was opened at.
    base_version = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.AUTOSAVE)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "unsaved work"
        verbose_name_plural = "unsaved work"
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="working_copy_one_per_story",
            ),
            models.UniqueConstraint(fields=["user", "key"], name="working_copy_one_per_form"),
        ]

    def __str__(self):
        return f"Unsaved work on “{self.headline or 'a new story'}”"


class Presence(models.Model):
    """Someone has a story's form open: kept alive by the form's heartbeat (#12)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="presences")
    since = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="presence_once_per_story")
        ]
        # Who is in a story now, and everyone present anywhere (the desk).
        indexes = [models.Index(fields=["seen_at"], name="presence_seen_idx")]

    def __str__(self):
        return f"{self.user} in “{self.article}”"


class EditLock(models.Model):
    """Who holds a story while NEWSROOM_EDIT_LOCKS is on (#12): the first to open it. Others
    can read it, and an editor can take it over; the lock ends when its holder leaves."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="edit_lock"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    # Set when an editor took the story over: the previous holder is told who and when.
    taken_from = person_field()

    def __str__(self):
        return f"“{self.article}” held by {self.user}"


class LatestStory(models.Model):
    """One of the newest stories of a section, a tag or an author (#17): the newest
    `articles.latest.KEEP` live ones of each, and every one of theirs scheduled or under
    embargo, which go live by the clock. Kept by articles/latest.py; related stories and the
    tag and author sitemaps read these few rows instead of the archive."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, related_name="latest_stories"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, related_name="latest_stories")
    author = models.ForeignKey(
        "authors.Author", on_delete=models.CASCADE, null=True, related_name="latest_stories"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()
    # When readers see it: its publication, or its embargo's end if later. The rows are
    # rewritten whenever a story changes otherwise, so this is the only change the clock makes.
    live_from = models.DateTimeField()

    class Meta:
        indexes = [
            # An owner's live rows (related stories), and every live row (the sitemaps).
            models.Index(fields=["section", "live_from"], name="latest_section_idx"),
            models.Index(fields=["tag", "live_from"], name="latest_tag_idx"),
            models.Index(fields=["author", "live_from"], name="latest_author_idx"),
            models.Index(fields=["live_from"], name="latest_live_idx"),
            # The sitemaps (#17): the newest live row of each tag and author (their sitemaps'
            # lastmods), and of each kind (the index's lastmod), read newest first.
            models.Index(fields=["tag", "-published_at"], name="latest_tag_newest_idx"),
            models.Index(fields=["author", "-published_at"], name="latest_author_newest_idx"),
            models.Index(fields=["-published_at"], name="latest_newest_idx"),
        ]
        constraints = [
            # Each row is of exactly one owner.
            models.CheckConstraint(
                condition=Q(section__isnull=False, tag__isnull=True, author__isnull=True)
                | Q(section__isnull=True, tag__isnull=False, author__isnull=True)
                | Q(section__isnull=True, tag__isnull=True, author__isnull=False),
                name="latest_story_one_owner",
            ),
        ]

    def __str__(self):
        owner = self.section or self.tag or self.author
        return f"{owner}: story {self.article_id}"


# The search index's tables (#17), in a module of their own beside articles/search.py.
from .search_models import SearchDocument, SearchUpdate  # noqa: E402, F401

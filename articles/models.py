"""Stories, their bylines, sections and tags."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator, slugify
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from newsroom.models import TimeStampedModel

from .text import EDITOR_EXTENSIONS, WORDS_PER_MINUTE, html_to_plain, sanitize_html, word_count

SLUG_MAX_LENGTH = 200


def slug_for(headline: str) -> str:
    """The URL slug for a headline: ASCII, lower case, at most SLUG_MAX_LENGTH characters."""
    return slugify(headline)[:SLUG_MAX_LENGTH].strip("-") or "story"


class Section(models.Model):
    """A part of the site (News, Sport …): each story has one primary section (#4)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The section's address, /sections/<slug>/. Changing it breaks links to it.",
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

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


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
        return reverse("articles:tag", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_once")
        ]
        # A tag's stories from the index alone (the unique constraint serves the other
        # direction: a story's tags).
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_tag_article_idx")]


class ArticleQuerySet(models.QuerySet):
    def current(self):
        """Stories not in the trash. Every state below (draft, live...) is of these only."""
        return self.filter(trashed_at__isnull=True)

    def in_trash(self):
        return self.filter(trashed_at__isnull=False)

    def published(self):
        """Stories readers may see: published, with a publication time that has passed, and
        not in the trash.

        This is the only rule for public visibility; every public page starts from it.
        """
        return self.current().filter(
            status=self.model.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def drafts(self):
        return self.current().filter(status=self.model.Status.DRAFT)

    def in_review(self):
        return self.current().filter(status=self.model.Status.REVIEW)

    def withdrawn(self):
        return self.current().filter(status=self.model.Status.WITHDRAWN)

    def scheduled(self):
        """Published stories whose publication time is still to come."""
        return self.current().filter(
            status=self.model.Status.PUBLISHED, published_at__gt=timezone.now()
        )

    def by_author(self, author):
        return self.filter(bylines__author=author)

    def owned_by(self, user):
        """Stories the user started or carries the byline of (through their author profile)."""
        return self.filter(Q(created_by=user) | Q(bylines__author__user=user)).distinct()

    def in_section(self, section):
        return self.filter(section=section)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def related_to(self, article, limit=4):
        """Live stories sharing the article's section or one of its tags, newest first."""
        tag_ids = [tag.pk for tag in article.tags.all()]
        shares_a_tag = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
        related = Q(Exists(shares_a_tag)) if tag_ids else Q(pk__in=[])
        if article.section_id:
            related |= Q(section_id=article.section_id)
        return self.published().filter(related).exclude(pk=article.pk).for_listing()[:limit]

    def with_bylines(self):
        """Prefetches each story's authors in byline order: one query for any number of rows."""
        return self.prefetch_related(
            Prefetch(
                "bylines",
                queryset=ArticleAuthor.objects.select_related("author").order_by("position", "pk"),
            )
        )

    def for_listing(self):
        return (
            self.select_related("section", "lead_image")
            .prefetch_related("lead_image__renditions")
            .with_bylines()
            .order_by("-published_at", "-pk")
        )


class Article(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "Ready for review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=SLUG_MAX_LENGTH,
        help_text="The last part of the story's address, /YYYY/MM/DD/<slug>/. Filled in from the "
        "headline; once the story is live, changing it changes its address.",
    )
    standfirst = models.TextField(
        max_length=500,
        blank=True,
        help_text="One or two plain sentences under the headline. Shown on the front page and in "
        "search results.",
    )
    body = ProseEditorField(
        config={"extensions": EDITOR_EXTENSIONS},
        sanitize=sanitize_html,
        blank=True,
        help_text="Paragraphs, headings, lists, quotes and links. Pasted text keeps its structure "
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
    # Bumped on every save; a form still holding an older number is refused (no lost edits).
    version = models.PositiveIntegerField(default=1, editable=False)
    # The date in the newsroom's time zone, for the URL and its uniqueness (see save()).
    publication_date = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="last edited by",
    )
    # Deleting a story in the admin moves it to the trash, from which it can be restored; only
    # emptying the trash deletes it. A story in the trash is in no state readers can see.
    trashed_at = models.DateTimeField("moved to the trash", null=True, blank=True, editable=False)
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="moved to the trash by",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "story"
        verbose_name_plural = "stories"
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        permissions = [("publish_article", "Can publish and unpublish stories")]
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
        ]
        constraints = [
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
        day = self.publication_date
        return reverse(
            "articles:detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": self.slug},
        )

    def is_published(self) -> bool:
        """Whether readers can see the story now (the instance twin of `published()`)."""
        return (
            self.trashed_at is None
            and self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def is_scheduled(self) -> bool:
        return (
            self.trashed_at is None
            and self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def was_updated(self) -> bool:
        """Whether readers are told the story was updated after it went live."""
        return bool(self.revised_at and self.published_at and self.revised_at > self.published_at)

    @property
    def summary(self) -> str:
        """Plain text for meta descriptions: the standfirst, else the start of the body."""
        return Truncator(self.standfirst or html_to_plain(self.body)).chars(160)

    @cached_property
    def word_count(self) -> int:
        return word_count(self.body)

    @property
    def reading_minutes(self) -> int:
        """Minutes to read the story at an average adult pace, at least one."""
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    @property
    def byline_authors(self):
        """The authors in byline order (uses the prefetch from `with_bylines()`)."""
        return [byline.author for byline in self.bylines.all()]

    def _sync_derived_fields(self):
        if not self.slug:
            self.slug = slug_for(self.headline)
        self.publication_date = (
            timezone.localdate(self.published_at, timezone.get_default_timezone())
            if self.published_at
            else None
        )

    def clean(self):
        self._sync_derived_fields()
        if self.publication_date and self.slug:
            clash = Article.objects.filter(
                publication_date=self.publication_date, slug=self.slug
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {
                        "slug": f"Another story published on "
                        f"{date_format(self.publication_date, 'j F Y')} already uses the address "
                        f"“{self.slug}”. Choose a different slug."
                    }
                )

    def validate_constraints(self, exclude=None):
        # The slug-per-date rule is checked in clean(), so the error lands on the slug field
        # even in forms that don't show the derived publication_date.
        super().validate_constraints(exclude={*(exclude or ()), "publication_date"})

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # The address readers know, if the story is live as loaded (see save()).
        loaded = {"slug", "status", "published_at", "publication_date"} <= set(field_names)
        article._live_address = (
            (article.publication_date, article.slug) if loaded and article.is_published() else None
        )
        # What readers' pages showed of it, for the page cache's purge (articles/caching.py).
        article._loaded_state = {
            name: value
            for name, value in zip(field_names, values, strict=True)
            if name in ("status", "section_id")
        }
        return article

    def save(self, *args, **kwargs):
        self._sync_derived_fields()
        self.body = sanitize_html(self.body)
        self.version = (self.version or 0) + 1 if self.pk else 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "slug",
                "publication_date",
                "body",
                "version",
            }
        super().save(*args, **kwargs)
        # A published story keeps its old address working when its slug or date changes (#3).
        old_address = getattr(self, "_live_address", None)
        if old_address and old_address != (self.publication_date, self.slug):
            day, slug = old_address
            former_url = Article(publication_date=day, slug=slug).get_absolute_url()
            ArticleRedirect.objects.update_or_create(
                old_path=former_url, defaults={"article": self}
            )
            ArticleRedirect.objects.filter(old_path=self.get_absolute_url()).delete()
        self._live_address = (self.publication_date, self.slug) if self.is_published() else None


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

    class Meta:
        verbose_name = "byline"
        verbose_name_plural = "byline"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]
        # An author's stories from the index alone (the unique constraint serves the other
        # direction: a story's authors).
        indexes = [models.Index(fields=["author", "article"], name="byline_author_article_idx")]

    def __str__(self):
        return f"{self.author} on “{self.article}”"


class MadeByModel(models.Model):
    """When and by whom a record was made; no one when the system made it."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when made by the system (an import or a command).",
    )

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


class ArticleRevision(MadeByModel):
    """A snapshot of the whole story (text, byline order, tags, status) after a save.

    Revisions are only ever added: restoring one saves the story again, which adds a revision.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    comment = models.CharField(max_length=255, blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"Revision of “{self.article}” at {date_format(self.created_at, 'j M Y, H:i')}"


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

    class Meta:
        ordering = ["slot"]
        verbose_name = "front page slot"

    def __str__(self):
        return f"{self.get_slot_display()}: {self.article}"

"""The people behind the bylines."""

from django.conf import settings
from django.db import models
from django.utils.text import slugify

from newsroom.models import TimeStampedModel
from newsroom.paths import FastPath

# An author's page, as reverse() gives it, without a reverse() per byline (#17).
AUTHOR_PATH = FastPath("authors:detail")


class AuthorQuerySet(models.QuerySet):
    def with_story_count(self):
        """Annotates `story_count`: every story carrying the author's byline, in any state."""
        return self.annotate(story_count=models.Count("bylines", distinct=True))

    def get_or_create_by_name(self, name: str) -> tuple["Author", bool]:
        """The author with this name (case-insensitive), created with a free slug if missing."""
        name = " ".join(name.split())
        author = self.filter(name__iexact=name).order_by("pk").first()
        if author:
            return author, False
        return self.create(name=name, slug=unique_slug(name)), True


def unique_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "author"
    slug, n = base, 2
    while Author.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class Author(TimeStampedModel):
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The last part of the author's page address, /authors/author-name/. Changing it "
        "breaks links to that page.",
    )
    job_title = models.CharField(
        max_length=120, blank=True, help_text="Shown under the name, e.g. “Health correspondent”."
    )
    bio = models.TextField(
        "short bio",
        max_length=600,
        blank=True,
        help_text="Two or three sentences, plain text, shown on the author's page.",
    )
    photo = models.ForeignKey(
        "images.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="A head-and-shoulders portrait; the author page shows a square crop around its "
        "focal point.",
    )
    email = models.EmailField(
        blank=True, help_text="For the newsroom only: never shown on the public site."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The staff account this author signs in with, if any.",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        get_latest_by = "created_at"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return AUTHOR_PATH(slug=self.slug)

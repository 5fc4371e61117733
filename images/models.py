"""The newsroom's pictures and their renditions.

An `Image` keeps one cleaned original (upright, sRGB, no metadata) and every `Rendition` pages
need: responsive widths in WebP and JPEG, and crops centred on the focal point. Pages only read
rendition rows (one prefetch); no picture is resized while a reader waits.

The upload's request only checks and cleans the original; the renditions are made by a job
(images/tasks.py) once the upload commits (#15), about 2 s of work for a 24-megapixel photo
that the editor no longer waits for. Until the job has run the picture is "processing": the
admin says so, a story using it can't go live, and readers get no picture at all rather than
the original (`version()` and `crop()` return None; the original's address never leaves the
admin).
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.functional import cached_property
from django.utils.text import Truncator

from newsroom.jobs import enqueue_on_commit
from newsroom.models import TimeStampedModel

from . import processing
from .fields import CheckedImageField
from .specs import FULL, spec_named
from .tasks import make_renditions

# "Illustration: Harbourside", "Graphic: Jo Bloggs": a word and a colon (#16).
_LABELLED_CREDIT = re.compile(r"^\w+:\s")


class ImageQuerySet(models.QuerySet):
    def not_ready(self):
        """Pictures whose renditions are still being made, or whose job failed (#15)."""
        return self.exclude(renditions_status=self.model.Renditions.READY)

    def with_renditions(self):
        """Prefetches every rendition: one extra query for any number of images. From a model
        pointing at images, prefetch `"<field>__renditions"` the same way, or for a list of
        many, `rendition_rows("<field>__renditions")`."""
        return self.prefetch_related("renditions")


# Where `rendition_rows()` puts an image's renditions (read by `Image._rendition_list`).
RENDITIONS_ATTR = "prefetched_renditions"


def rendition_rows(lookup: str = "renditions", specs=None) -> Prefetch:
    """A prefetch of images' renditions (`lookup` ends in "renditions") into a plain list: a
    prefetch into the related manager builds and filters one queryset per image to hold its
    rows, ~0.1 ms each on a list of twenty stories (#17). With `specs` (e.g. the crops a list's
    cards show, "16:9" and "4:3"), only the renditions of those: the images then show only
    those crops (`version()` and `crop()` of another are None)."""
    renditions = None
    if specs is not None:
        names = [spec_named(spec).name for spec in specs]
        renditions = Rendition.objects.filter(spec__in=names)
    return Prefetch(lookup, queryset=renditions, to_attr=RENDITIONS_ATTR)


@dataclass(frozen=True)
class Version:
    """One file of a picture as pages use it: for `src`, Open Graph and structured data.
    `url` is the storage URL (relative unless the storage serves from another host)."""

    url: str
    width: int
    height: int
    mime_type: str

    def __str__(self):
        return self.url


def _focal_field(axis: str, edges: str):
    return models.FloatField(
        f"focal point ({axis})",
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=f"Where the subject is, from 0 ({edges[0]}) to 1 ({edges[1]}); 0.5 is the "
        "middle. Crops (16:9, 4:3, square, social) are centred on this point as far as the "
        "picture allows: check the crops below after saving.",
    )


class Image(TimeStampedModel):
    class Renditions(models.TextChoices):
        """Where the picture's renditions are (#15): made by a job after the upload."""

        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    file = CheckedImageField(
        upload_to="images/%Y/%m/",
        max_length=255,
        help_text="A JPEG, PNG, WebP or GIF. It is turned upright and its metadata (camera, GPS "
        "position, etc.) is removed when it is saved.",
    )
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it, e.g. “Firefighters "
        "carry a hose up a burning hillside”. Not a caption, no “Image of…”.",
    )
    is_decorative = models.BooleanField(
        "decorative",
        default=False,
        help_text="Tick only if the picture adds no information (a texture, an ornament): "
        "screen readers will then skip it, and it needs no alt text.",
    )
    caption = models.TextField(
        blank=True, help_text="Plain text shown under the picture wherever it appears."
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Photographer and/or agency, e.g. “Jane Doe/Reuters”. Shown as “Photo: …”.",
    )
    focal_x = _focal_field("horizontal", ("left edge", "right edge"))
    focal_y = _focal_field("vertical", ("top", "bottom"))
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    # SHA-256 of the stored original: part of every rendition's signature.
    file_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Set by the renditions job (images/tasks.py, #15). A picture saved before the queue
    # existed had its renditions made on save, hence the default.
    renditions_status = models.CharField(
        "renditions",
        max_length=10,
        choices=Renditions.choices,
        default=Renditions.READY,
        editable=False,
    )
    renditions_ready_at = models.DateTimeField(null=True, blank=True, editable=False)
    renditions_error = models.TextField(
        blank=True, editable=False, help_text="Why the renditions could not be made, if so."
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0) & Q(focal_x__lte=1),
                name="image_focal_x_in_picture",
                violation_error_message="The focal point must be between 0 and 1.",
            ),
            models.CheckConstraint(
                condition=Q(focal_y__gte=0) & Q(focal_y__lte=1),
                name="image_focal_y_in_picture",
                violation_error_message="The focal point must be between 0 and 1.",
            ),
        ]

    def __str__(self):
        label = self.alt_text or self.caption or PurePath(self.file.name or "").name
        return Truncator(label).chars(80) or f"Image {self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_file_name = instance.__dict__.get("file")
        fields = instance.__dict__
        instance._stored_focal = (fields.get("focal_x"), fields.get("focal_y"))
        return instance

    def clean(self):
        super().clean()
        if self.is_decorative and self.alt_text.strip():
            raise ValidationError(
                {
                    "alt_text": "A decorative picture is skipped by screen readers, so this alt "
                    "text would never be read. Clear it, or untick “decorative”."
                }
            )

    def needs_alt_text(self) -> bool:
        """Whether the picture still lacks the description it needs before publication."""
        return not self.is_decorative and not self.alt_text.strip()

    @property
    def alt(self) -> str:
        """The `alt` attribute: empty for a decorative picture, so screen readers skip it."""
        return "" if self.is_decorative else self.alt_text.strip()

    @property
    def credit_line(self) -> str:
        """The credit as readers see it, "Photo: …", unless it already says what the picture is
        ("Illustration: …", "Graphic: …"): then as it is (#16)."""
        if _LABELLED_CREDIT.match(self.credit):
            return self.credit
        return f"Photo: {self.credit}" if self.credit else ""

    @property
    def is_ready(self) -> bool:
        """Whether its renditions exist, so pages may show it (#15)."""
        return self.renditions_status == self.Renditions.READY

    @property
    def is_processing(self) -> bool:
        return self.renditions_status == self.Renditions.PROCESSING

    @property
    def has_failed(self) -> bool:
        return self.renditions_status == self.Renditions.FAILED

    @property
    def status_text(self) -> str:
        """The state as the admin says it, e.g. under a thumbnail."""
        if self.is_processing:
            return "Processing…"
        if self.has_failed:
            return "The renditions could not be made; save the picture again to retry."
        return ""

    # Saving -----------------------------------------------------------------------------

    def save(self, *args, **kwargs):
        """Cleans a newly assigned file before it is stored; the renditions are made by a job
        queued once the save commits (#15), so the editor's request never waits for them.
        Files of replaced originals are deleted once the transaction commits, so a rollback
        never leaves rows pointing at deleted files."""
        with transaction.atomic(using=kwargs.get("using")):
            # `_committed` is False for a file just assigned (an upload), as in FileField.
            new_file = bool(self.file and not self.file._committed)
            if new_file:
                self._store_clean_original()
            update_fields = kwargs.get("update_fields")
            # The job's own save (renditions.py, update_fields of the status) queues nothing.
            touches_pixels = update_fields is None or bool(
                {"file", "focal_x", "focal_y"} & set(update_fields)
            )
            retry = touches_pixels and self.has_failed  # the editor saves again: try again
            if new_file or retry:
                self.renditions_status = self.Renditions.PROCESSING
                self.renditions_ready_at, self.renditions_error = None, ""
            # A new file, a new focal point (new crops) or a job not done: the job makes what
            # is missing. A caption change queues nothing.
            focal = (self.focal_x, self.focal_y)
            needs_job = (
                bool(self.file)
                and touches_pixels
                and (self.is_processing or focal != getattr(self, "_stored_focal", focal))
            )
            super().save(*args, **kwargs)
            if needs_job:
                enqueue_on_commit(make_renditions, image_id=self.pk, file_hash=self.file_hash)
            previous = getattr(self, "_stored_file_name", None)
            if previous and previous != self.file.name:
                storage, name = self.file.storage, previous
                transaction.on_commit(lambda: storage.delete(name))
        self._stored_file_name = self.file.name
        self._stored_focal = (self.focal_x, self.focal_y)
        self.__dict__.pop("_rendition_list", None)
        self.__dict__.pop(RENDITIONS_ATTR, None)

    def _store_clean_original(self):
        upload = self.file
        processing.check_size(upload.size)
        cleaned = processing.clean_original(processing.open_image(upload))
        stem = PurePath(upload.name or "").stem or "image"
        self.file_hash = hashlib.sha256(cleaned.content).hexdigest()
        # Part of the content's hash in the name: media is served by name, and the name of a
        # picture of a story not yet published ("merger.jpg") must not be guessable.
        name = f"{stem}-{self.file_hash[:16]}.{cleaned.extension}"
        self.file.save(name, ContentFile(cleaned.content), save=False)
        self.width, self.height = cleaned.size

    # Reading renditions (no resizing here: pages only read rows) -------------------------

    @cached_property
    def _rendition_list(self):
        if not self.is_ready:
            # Processing a new file (the old file's renditions are not this picture), or failed:
            # nothing to show (#15).
            return []
        prefetched = self.__dict__.get(RENDITIONS_ATTR)
        if prefetched is not None:  # from `rendition_rows()`
            return prefetched
        return list(self.renditions.all())  # served by `with_renditions()` when prefetched

    def picture_state(self) -> tuple:
        """Everything `{% picture %}` and a credit line show of the picture, as a hashable
        value that changes whenever any of it does: a key for caching HTML that shows it
        (#17). Rendition rows are made and deleted, never changed, so their ids stand for
        their files and sizes."""
        return (
            self.pk,
            self.renditions_status,
            self.alt_text,
            self.is_decorative,
            self.credit,
            tuple(rendition.pk for rendition in self._rendition_list),
        )

    def renditions_for(self, spec: str = FULL.name, fmt: str = "jpeg") -> list["Rendition"]:
        """The renditions of one spec ("full" or a crop) and format, narrowest first."""
        name = spec_named(spec).name
        found = [r for r in self._rendition_list if r.spec == name and r.format == fmt]
        return sorted(found, key=lambda r: r.width)

    def all_renditions(self) -> list["Rendition"]:
        """Every rendition made for readers, of every spec and format, by spec, format and
        width; none while the picture is processed. Never the original (#15): exports offer
        these (ninjs, #18)."""
        return sorted(self._rendition_list, key=lambda r: (r.spec, r.format, r.width))

    def srcset(self, spec: str = FULL.name, fmt: str = "jpeg") -> str:
        return ", ".join(f"{r.file.url} {r.width}w" for r in self.renditions_for(spec, fmt))

    def original(self) -> Version:
        """The cleaned original, for the admin and jobs only: pages never link to it (#15)."""
        mime = f"image/{PurePath(self.file.name).suffix.lstrip('.').replace('jpg', 'jpeg')}"
        return Version(self.file.url, self.width, self.height, mime)

    def version(self, spec: str = FULL.name, fmt: str = "jpeg", near: int = 1200) -> Version | None:
        """The rendition of `spec` whose width is closest to `near` without going over (the
        narrowest if all are wider); None while the renditions are missing, never the original
        (#15): a 24-megapixel file must not reach a reader or an admin grid."""
        found = self.renditions_for(spec, fmt)
        if not found:
            return None
        fitting = [r for r in found if r.width <= near]
        chosen = fitting[-1] if fitting else found[0]
        return chosen.version

    def crop(self, name: str) -> Version | None:
        """The largest JPEG of a crop ("social", "16:9", "4:3", "1:1"), for Open Graph and
        structured data: `image.crop("social").url`, `.width`, `.height`; None while the
        renditions are missing (#15)."""
        found = self.renditions_for(name, "jpeg")
        return found[-1].version if found else None

    @property
    def crops(self) -> dict[str, Version | None]:
        """The same for templates: `{{ image.crops.social.url }}`, `{{ image.crops.16x9 }}`;
        test `{% if image.crops.social %}` first."""
        from .specs import CROPS

        return {name: self.crop(name) for name in CROPS}


def rendition_upload_to(rendition, filename):
    return f"renditions/{rendition.image_id}/{filename}"


class Rendition(models.Model):
    """One resized or cropped copy of an image, made with Pillow by the renditions job."""

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        WEBP = "webp", "WebP"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=20)  # "full" or a crop name: see images.specs
    format = models.CharField(max_length=4, choices=Format.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    signature = models.CharField(max_length=20)
    file = models.FileField(upload_to=rendition_upload_to, max_length=255)

    class Meta:
        ordering = ["image", "spec", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "signature"], name="rendition_unique_signature"
            ),
        ]

    def __str__(self):
        return f"{self.spec} {self.width}×{self.height} {self.get_format_display()}"

    @property
    def mime_type(self) -> str:
        return processing.MIME_TYPES[self.format]

    @property
    def version(self) -> Version:
        return Version(self.file.url, self.width, self.height, self.mime_type)


def _delete_file_on_commit(field_file):
    if field_file.name:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Image)
def _delete_original(sender, instance, **kwargs):
    """Also runs for queryset and admin bulk deletes, which skip Model.delete()."""
    _delete_file_on_commit(instance.file)


@receiver(post_delete, sender=Rendition)
def _delete_rendition_file(sender, instance, **kwargs):
    _delete_file_on_commit(instance.file)

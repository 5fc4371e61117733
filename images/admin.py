from django.contrib import admin
from django.utils.html import format_html, format_html_join

from . import usage
from .chooser import Chooser, picture_data
from .models import Image
from .specs import CROPS


def thumbnail_html(version, alt, max_width):
    """A picture's version as a small image (the library's list, the story list)."""
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" '
        'style="max-width: {}px; height: auto; border: 1px solid #ccc">',
        version.url,
        version.width,
        version.height,
        alt,
        max_width,
    )


def thumbnail_or_status(image, *, near, max_width, alt=None):
    """The thumbnail, or "Processing…" while the renditions are being made (#15): an element
    static/js/picture-status.js replaces with the thumbnail once they exist."""
    version = image.version("full", "jpeg", near=near)
    if version is not None:
        return thumbnail_html(version, image.alt if alt is None else alt, max_width)
    data = picture_data(image)
    attrs = format_html(
        ' data-picture-processing="{}" data-status-url="{}"',
        image.pk,
        Chooser.urls_for_widgets()["status"],
    )
    return format_html(
        '<span class="picture-pending {}" role="status"{}>{}</span>',
        "is-processing" if data["processing"] else "is-failed",
        attrs if data["processing"] else "",
        data["status_text"],
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The picture library: a grid of thumbnails searched over alt text, caption and credit
    (the chooser dialog searches the same way), each picture's crops, its focal point set by
    clicking on it, and where it is used (#14)."""

    class Media:
        # The focal point set by clicking; the credit in a new file's metadata offered (#14);
        # "processing" turned into the picture once its renditions exist (#15).
        js = ["js/image-library.js", "js/picture-status.js"]
        css = {"all": ["css/image-chooser.css"]}

    list_display = ["thumbnail", "__str__", "credit", "dimensions", "has_alt_text", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["renditions_status", "is_decorative", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    list_per_page = 48
    # The list is a grid of cards (admin/images/image/change_list.html), with no bulk actions:
    # a picture is deleted from its own page, whose "Used in" says what would lose it.
    actions = None
    readonly_fields = [
        "preview",
        "renditions_state",
        "crop_previews",
        "dimensions",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["file", "preview", "renditions_state"]}),
        ("Description", {"fields": ["alt_text", "is_decorative", "caption", "credit"]}),
        (
            "Focal point and crops",
            {
                "description": "Pages crop the picture to 16:9, 4:3, square and a 1200×630 "
                "social card, centred on the focal point. Save to see the new crops.",
                "fields": [("focal_x", "focal_y"), "crop_previews"],
            },
        ),
        (
            "Bookkeeping",
            {"classes": ["collapse"], "fields": ["dimensions", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_renditions()

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        for image in changelist.result_list:
            image.library_thumbnail = image.file and picture_data(image)
        return changelist

    def get_urls(self):
        return Chooser(self).urls() + super().get_urls()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "file" and field is not None:
            # static/js/image-library.js offers the credit the chosen file's metadata names.
            field.widget.attrs["data-credit-url"] = Chooser.urls_for_widgets()["credit"]
        return field

    @admin.display(description="Picture")
    def thumbnail(self, image):
        if not image.file:
            return "—"
        return thumbnail_or_status(image, near=480, max_width=120)

    @admin.display(description="Renditions")
    def renditions_state(self, image):
        """Where the job stands (#15), with its error if it failed."""
        if not image.pk:
            return "Made in the background once the picture is saved."
        if image.is_ready:
            return f"Ready ({image.renditions.count()} sizes and crops)."
        if image.is_processing:
            return (
                "Processing: the sizes and crops are being made in the background. Stories "
                "using the picture can be saved, and published once it is ready."
            )
        return format_html(
            "Failed: {}<br>Save the picture again to retry.", image.renditions_error or "?"
        )

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    @admin.display(description="Alt text", boolean=True)
    def has_alt_text(self, image):
        return not image.needs_alt_text()

    @admin.display(description="Preview")
    def preview(self, image):
        if not image.pk or not image.file:
            return "Shown once the picture is saved."
        version = image.version("full", "jpeg", near=800)
        if version is None:
            return thumbnail_or_status(image, near=800, max_width=800)
        # A button over the picture: a click (or the arrow keys) sets the focal point fields
        # below (static/js/image-library.js); the marker shows where it is.
        return format_html(
            '<button type="button" class="focal-picker" aria-describedby="focal-help" '
            'data-focal-x="{}" data-focal-y="{}">'
            '<img src="{}" width="{}" height="{}" alt="{}">'
            '<span class="focal-picker__marker" aria-hidden="true"></span></button>'
            '<p class="help" id="focal-help">Click the picture where its subject is to set the '
            "focal point, or focus it and use the arrow keys; the numbers under “Focal point and "
            "crops” follow. Crops are made around it when you save.</p>",
            image.focal_x,
            image.focal_y,
            version.url,
            version.width,
            version.height,
            f"Set the focal point: {image.alt or image}",
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # "Used in" names only what this user may know of (images/usage.py).
        image = self.get_object(request, object_id)
        uses = usage.uses_of(image, request.user) if image is not None else []
        extra_context = {**(extra_context or {}), "uses": uses}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Crops")
    def crop_previews(self, image):
        if not image.pk or not image.file:
            return "Shown once the picture is saved."
        if not image.is_ready:
            return "Shown once the picture’s renditions are ready."
        return format_html_join(
            "",
            '<figure style="display: inline-block; margin: 0 1em 1em 0; vertical-align: top">'
            "{}<figcaption>{} ({} × {})</figcaption></figure>",
            (
                (thumbnail_html(version, image.alt, 200), spec.label, version.width, version.height)
                for spec in CROPS.values()
                for version in [image.crop(spec.name)]
            ),
        )

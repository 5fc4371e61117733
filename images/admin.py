from django.contrib import admin
from django.utils.html import format_html, format_html_join

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


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The picture library. `search_fields` lets other admins pick pictures with
    `autocomplete_fields = ["lead_image"]`."""

    list_display = ["thumbnail", "__str__", "credit", "dimensions", "has_alt_text", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["is_decorative", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["preview", "crop_previews", "dimensions", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["file", "preview"]}),
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

    @admin.display(description="Picture")
    def thumbnail(self, image):
        if not image.file:
            return "—"
        return thumbnail_html(image.version("full", "jpeg", near=480), image.alt, 120)

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
        return thumbnail_html(image.version("full", "jpeg", near=800), image.alt, 480)

    @admin.display(description="Crops")
    def crop_previews(self, image):
        if not image.pk or not image.file:
            return "Shown once the picture is saved."
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

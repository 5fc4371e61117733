"""`{% picture %}`, `{% figure %}` and `{% image_crop %}`: pictures on pages, from rendition
rows only (prefetch them with `Image.objects.with_renditions()` or
`prefetch_related("<field>__renditions")`)."""

from django import template
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

DEFAULT_SIZES = "100vw"


def _attrs(extra: dict) -> dict:
    # Template keywords are Python names: data_id="3" becomes data-id="3".
    return {name.replace("_", "-"): value for name, value in extra.items() if value is not None}


def render_picture(image, *, sizes=DEFAULT_SIZES, loading="lazy", crop=None, **attrs) -> str:
    """A `<picture>` with a WebP `<source>` and a JPEG `<img>` fallback, both with srcset and
    sizes. The `<img>` always has width and height (its shape, so nothing jumps while it
    loads) and alt ("" for a decorative picture). Without renditions (still being made), no
    picture at all: readers are never sent the original (#15)."""
    if not image:
        return ""
    spec = crop or "full"
    fallback = image.version(spec, "jpeg")
    if fallback is None:
        return ""
    img_attrs = {
        "src": fallback.url,
        "srcset": image.srcset(spec, "jpeg") or None,
        "sizes": sizes if image.renditions_for(spec, "jpeg") else None,
        "width": fallback.width,
        "height": fallback.height,
        "alt": image.alt,
        "loading": loading or None,
        "decoding": "async",
        **_attrs(attrs),
    }
    webp = image.srcset(spec, "webp")
    source = (
        format_html('<source type="image/webp"{}>', flatatt({"srcset": webp, "sizes": sizes}))
        if webp
        else ""
    )
    # flatatt escapes every value; alt="" must stay present, so it is passed as a string.
    return format_html("<picture>{}<img{}></picture>", source, flatatt(img_attrs))


@register.simple_tag
def picture(image, sizes=DEFAULT_SIZES, loading="lazy", crop=None, **attrs):
    """`{% picture image sizes="(min-width: 50rem) 46rem, 100vw" loading="lazy" class="x" %}`.

    `crop="16:9"` (or "4:3", "1:1") shows a crop; `loading="eager" fetchpriority="high"` suits
    the picture at the top of a page. Other keywords become attributes of the `<img>`.
    """
    return render_picture(image, sizes=sizes, loading=loading, crop=crop, **attrs)


@register.simple_tag
def figure(image, sizes=DEFAULT_SIZES, loading="lazy", crop=None, figure_class=None, **attrs):
    """`{% figure image sizes="..." %}`: the picture in a `<figure>` with its caption and
    credit ("Photo: …"), so the credit goes wherever the picture goes. Template:
    images/figure.html. Nothing while the picture is being processed (#15)."""
    picture_html = image and render_picture(image, sizes=sizes, loading=loading, crop=crop, **attrs)
    if not picture_html:
        return ""
    html = render_to_string(
        "images/figure.html",
        {"image": image, "picture": picture_html, "figure_class": figure_class},
    )
    return mark_safe(html.strip())  # already escaped by the template; no stray newline


@register.simple_tag
def image_crop(image, name="social"):
    """`{% image_crop article.lead_image "social" as og %}` then `{{ og.url }}`,
    `{{ og.width }}`, `{{ og.height }}`: for Open Graph and structured data; None while the
    picture is being processed (#15), so test `{% if og %}`."""
    return image.crop(name) if image else None

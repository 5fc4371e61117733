"""Making and pruning renditions: called by Image.save() and `manage.py rebuild_renditions`."""

import logging

from django.core.files.base import ContentFile

from . import processing
from .specs import plan

logger = logging.getLogger(__name__)


def sync_renditions(image, *, pixels=None) -> tuple[int, int]:
    """Makes the renditions `image` should have and lacks, and deletes the ones it should not
    have (an old file's, an old focal point's crops). Returns (made, deleted).

    `pixels` are the cleaned original's pixels when the caller has them (a fresh upload);
    otherwise the original is read back from storage, and only if something is missing, so
    saving a caption change costs one query and no image work.
    """
    from .models import Rendition

    if not image.file or not image.width or not image.height:
        return 0, 0
    wanted = {
        p.signature: p
        for p in plan(image.file_hash, (image.width, image.height), (image.focal_x, image.focal_y))
    }
    existing = list(Rendition.objects.filter(image=image))
    have = {rendition.signature for rendition in existing}
    missing = [p for signature, p in wanted.items() if signature not in have]
    made = []
    if missing:
        if pixels is None:
            with image.file.open("rb") as original:
                pixels = processing.open_image(original, trusted=True)
                pixels = processing.to_rgb(pixels)
        else:
            pixels = processing.to_rgb(pixels)
        scaled = {}  # the WebP and the JPEG of a size share one (costly) resize
        for p in missing:
            key = ((p.width, p.height), p.box)
            if key not in scaled:
                scaled[key] = processing.scale(pixels, *key)
            content = processing.encode_rendition(scaled[key], p.format)
            rendition = Rendition(
                image=image,
                spec=p.spec,
                format=p.format,
                width=p.width,
                height=p.height,
                signature=p.signature,
            )
            extension = "jpg" if p.format == "jpeg" else p.format
            name = f"{p.spec}-{p.width}x{p.height}-{p.signature[:12]}.{extension}"
            rendition.file.save(name, ContentFile(content), save=False)
            made.append(rendition)
        Rendition.objects.bulk_create(made)
    stale = [rendition.pk for rendition in existing if rendition.signature not in wanted]
    if stale:
        # A queryset delete still sends post_delete per row: the files go on commit.
        Rendition.objects.filter(pk__in=stale).delete()
    if made or stale:
        logger.info("Image %s: %d renditions made, %d deleted.", image.pk, len(made), len(stale))
        getattr(image, "_prefetched_objects_cache", {}).pop("renditions", None)
        image.__dict__.pop("_rendition_list", None)
    return len(made), len(stale)

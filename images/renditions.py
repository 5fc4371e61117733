"""Making and pruning renditions: by the job an upload queues (images/tasks.py, #15) and by
`manage.py rebuild_renditions`."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import processing
from .specs import plan

logger = logging.getLogger(__name__)


def make_renditions_for(image_id: int, file_hash: str = "") -> tuple[int, int] | None:
    """The renditions job's work: makes what picture `image_id` lacks and marks it ready, or
    records the error on it and raises (so the queue records the failure and retries).

    Idempotent: a second run finds nothing missing and only marks the picture ready again; a
    deleted picture, or one whose file was replaced since (`file_hash` no longer matches: the
    new file queued its own job), is left alone. The picture's row is locked while the
    renditions are made, so two runs for one picture (a retry beside a re-save) take turns
    instead of racing to insert the same renditions. Returns (made, deleted), or None when
    there was nothing to do it for.
    """
    from .models import Image

    ready, failed = Image.Renditions.READY, Image.Renditions.FAILED
    try:
        with transaction.atomic():
            image = Image.objects.select_for_update().filter(pk=image_id).first()
            if image is None:
                return None
            if file_hash and image.file_hash != file_hash:
                return None
            made, deleted = sync_renditions(image)
            _mark(image, ready, "")
    except Exception as error:
        # Outside the rolled-back transaction, and only for the file that failed.
        image = Image.objects.filter(pk=image_id).first()
        if image is not None and (not file_hash or image.file_hash == file_hash):
            _mark(image, failed, (str(error) or repr(error))[:2000])
        raise
    return made, deleted


def _mark(image, status: str, error: str) -> None:
    """Records the job's outcome through save(), not update(): post_save is what tells the
    page cache that pages showing the picture changed (articles/caching.py)."""
    image.renditions_status, image.renditions_error = status, error
    image.renditions_ready_at = timezone.now() if status == image.Renditions.READY else None
    image.save(update_fields=["renditions_status", "renditions_ready_at", "renditions_error"])


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
        image.__dict__.pop("prefetched_renditions", None)
    return len(made), len(stale)

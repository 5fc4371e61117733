"""Which renditions an image gets: the responsive widths and the crops.

A rendition is identified by a signature of everything that decides its pixels (the source
file's hash, the spec, the box, the size and the format), so a changed file or focal point
yields new signatures: the service makes the missing renditions and deletes the rest.
"""

import hashlib
from dataclasses import dataclass

from .processing import crop_box

# Bump when the encoding changes (quality, resampling...) to rebuild every rendition with
# `manage.py rebuild_renditions`.
RENDITION_VERSION = 1


@dataclass(frozen=True)
class Spec:
    name: str
    label: str
    ratio: float | None  # width / height; None keeps the picture's own shape
    widths: tuple[int, ...]
    formats: tuple[str, ...]


FULL = Spec("full", "Full picture", None, (480, 800, 1200, 1600), ("webp", "jpeg"))
CROPS = {
    spec.name: spec
    for spec in [
        # 320 px for the 6rem thumbnails of lists on a phone, and 160 px for the 40-px byline
        # photos, so that a reader's browser never fetches a 600-px picture for them; 800 px
        # for a list's pictures across a phone's screen (about 650 px at its pixel density),
        # which otherwise got the 1200-px one, twice the bytes (#16).
        Spec("16x9", "16:9", 16 / 9, (320, 600, 800, 1200), ("webp", "jpeg")),
        Spec("4x3", "4:3", 4 / 3, (320, 600, 800, 1200), ("webp", "jpeg")),
        Spec("1x1", "1:1", 1.0, (160, 320, 600, 1200), ("webp", "jpeg")),
        # For Open Graph and structured data: JPEG only, the format every crawler reads.
        Spec("social", "Social (1200×630)", 1200 / 630, (1200,), ("jpeg",)),
    ]
}
SPECS = {FULL.name: FULL, **CROPS}
_ALIASES = {"16:9": "16x9", "4:3": "4x3", "1:1": "1x1"}


def spec_named(name: str) -> Spec:
    try:
        return SPECS[_ALIASES.get(name, name)]
    except KeyError:
        raise ValueError(
            f"Unknown image crop {name!r}; use one of {', '.join(sorted(SPECS))}."
        ) from None


@dataclass(frozen=True)
class Planned:
    spec: str
    format: str
    width: int
    height: int
    box: tuple[int, int, int, int] | None
    signature: str


def _widths(candidates: tuple[int, ...], available: int) -> list[int]:
    """The candidate widths that need no upscaling, topped by the largest the source allows;
    a candidate barely smaller than that top one would be a near-duplicate and is skipped."""
    top = min(available, max(candidates))
    return [width for width in candidates if width <= top * 0.9] + [top]


def plan(source_hash: str, size: tuple[int, int], focal: tuple[float, float]) -> list[Planned]:
    """Every rendition an image of `size` with this focal point should have."""
    width, height = size
    planned = []
    for spec in SPECS.values():
        if spec.ratio is None:
            box = None
            sizes = [(w, max(1, round(height * w / width))) for w in _widths(spec.widths, width)]
        else:
            box = crop_box(size, spec.ratio, focal)
            box_width = box[2] - box[0]
            sizes = [(w, max(1, round(w / spec.ratio))) for w in _widths(spec.widths, box_width)]
        for w, h in sizes:
            for fmt in spec.formats:
                key = f"{source_hash}|{spec.name}|{box}|{w}x{h}|{fmt}|v{RENDITION_VERSION}"
                signature = hashlib.sha256(key.encode()).hexdigest()[:20]
                planned.append(Planned(spec.name, fmt, w, h, box, signature))
    return planned

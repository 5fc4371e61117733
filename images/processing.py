"""Pillow work for the image pipeline: opening uploads safely, cleaning originals, renditions.

Nothing here touches the database or storage: functions take file objects and PIL images and
return PIL images or bytes, so the rules are easy to test and to reuse from a command.
"""

import struct
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import ImageFile, ImageOps, UnidentifiedImageError, features

try:
    from PIL import ImageCms
except ImportError:  # Pillow built without LittleCMS: colour profiles are dropped, not applied.
    ImageCms = None

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000

# What we decode. Pillow is told to try only these, so an SVG, an HTML page named .png or a
# TIFF never reaches a parser we did not choose. MPO is what some cameras call a JPEG with a
# second (preview or stereo) picture inside; its first picture is an ordinary JPEG.
ACCEPTED_FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]
if features.check("avif"):
    ACCEPTED_FORMATS.append("AVIF")
ACCEPTED_MIME_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"]
if "AVIF" in ACCEPTED_FORMATS:
    ACCEPTED_MIME_TYPES.append("image/avif")
_FORMAT_ALIASES = {"MPO": "JPEG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}

NOT_AN_IMAGE = "This file is not a JPEG, PNG, WebP or GIF image."
DAMAGED = (
    "This image file is damaged or incomplete (perhaps it did not finish downloading). "
    "Export or download it again and upload the new file."
)
TOO_LARGE = "This file is %(size)s; images can be at most %(limit)s. Upload a smaller version."
TOO_MANY_PIXELS = (
    "This image is %(width)s × %(height)s pixels (%(megapixels)s megapixels); the limit is "
    "%(limit)s megapixels. Upload a smaller version."
)
TOO_MANY_PIXELS_UNKNOWN = (
    "This image has far too many pixels (the limit is %(limit)s megapixels). "
    "Upload a smaller version."
)

# What Pillow raises on a file it identified but cannot decode: truncated data (OSError),
# broken chunks (SyntaxError), impossible headers (ValueError, struct.error) and the like.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error)
BOMB_ERRORS = (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning)


def max_upload_bytes() -> int:
    return getattr(settings, "IMAGES_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def max_pixels() -> int:
    return getattr(settings, "IMAGES_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def apply_pillow_limits() -> None:
    """Lowers Pillow's process-wide bomb limit to ours (Pillow's default is ~89 megapixels,
    and it only warns below twice that) and makes sure truncated files are errors."""
    PILImage.MAX_IMAGE_PIXELS = max_pixels()
    ImageFile.LOAD_TRUNCATED_IMAGES = False


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f}" if pixels >= 10_000_000 else f"{pixels / 1_000_000:.1f}"


def check_size(size: int) -> None:
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def open_image(fp, *, trusted: bool = False) -> PILImage.Image:
    """Identifies `fp` by its content and fully decodes its first frame.

    Raises ValidationError (with an editor-readable message) for anything that is not an
    accepted format, has too many pixels or does not decode completely: refusing a truncated
    file here means it is refused at upload, never half-rendered to readers later. `trusted`
    is for our own cleaned originals, already checked when they were uploaded: they are
    re-read even if the limits were lowered since.
    """
    limit = max_pixels()
    fp.seek(0)
    with warnings.catch_warnings():
        # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that; we refuse instead.
        warnings.simplefilter("ignore" if trusted else "error", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(fp, formats=ACCEPTED_FORMATS)
        except UnidentifiedImageError as error:
            raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from error
        except BOMB_ERRORS as error:
            raise ValidationError(
                TOO_MANY_PIXELS_UNKNOWN,
                code="too_many_pixels",
                params={"limit": _megapixels(limit)},
            ) from error
        width, height = image.size
        if not trusted and width * height > limit:
            raise ValidationError(
                TOO_MANY_PIXELS,
                code="too_many_pixels",
                params={
                    "width": f"{width:,}",
                    "height": f"{height:,}",
                    "megapixels": _megapixels(width * height),
                    "limit": _megapixels(limit),
                },
            )
        try:
            image.load()
        except BOMB_ERRORS as error:
            raise ValidationError(
                TOO_MANY_PIXELS_UNKNOWN,
                code="too_many_pixels",
                params={"limit": _megapixels(limit)},
            ) from error
        except DECODE_ERRORS as error:
            raise ValidationError(DAMAGED, code="damaged_image") from error
    return image


def image_format(image: PILImage.Image) -> str:
    return _FORMAT_ALIASES.get(image.format, image.format)


def _to_srgb(image: PILImage.Image) -> PILImage.Image:
    """Converts pixels described by an embedded ICC profile (Adobe RGB, Display P3, CMYK...) to
    sRGB, so the profile can be dropped without the colours changing: every stored file is
    plain sRGB with no profile. A profile LittleCMS cannot read is dropped as it is."""
    profile = image.info.get("icc_profile")
    if profile and ImageCms is not None and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            return ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(BytesIO(profile)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGBA" if image.mode == "RGBA" else "RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    if image.mode == "CMYK":
        return image.convert("RGB")
    return image


def to_rgb(image: PILImage.Image) -> PILImage.Image:
    """RGB, or RGBA when the picture really has transparent pixels."""
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    return image


def _flatten(image: PILImage.Image) -> PILImage.Image:
    """For JPEG, which has no transparency: transparent areas become white."""
    image = to_rgb(image)
    if image.mode == "RGBA":
        background = PILImage.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image


def _without_metadata(image: PILImage.Image) -> PILImage.Image:
    """Keeps only the transparency entry of `info`: Pillow's encoders fall back to `info` for
    comments, ICC profiles and EXIF, so anything left there could be written out again."""
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    return image


@dataclass(frozen=True)
class CleanOriginal:
    content: bytes
    format: str
    extension: str
    pixels: PILImage.Image  # upright sRGB pixels, to make the renditions from

    @property
    def size(self) -> tuple[int, int]:
        return self.pixels.size


def clean_original(image: PILImage.Image) -> CleanOriginal:
    """The file we keep: upright (EXIF orientation applied), sRGB, and with no metadata at all
    (no EXIF, GPS position, camera serial, XMP, IPTC, comments or ICC profile), re-encoded in
    the format it came in. Animated GIF/WebP/PNG keep their first frame only: readers are
    shown still renditions anyway, and decoding every frame of an upload is a bomb risk."""
    fmt = image_format(image)
    pixels = _to_srgb(ImageOps.exif_transpose(image))
    if pixels.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        pixels = to_rgb(pixels)
    buffer = BytesIO()
    if fmt == "JPEG":
        out = pixels if pixels.mode in ("L", "RGB") else _flatten(pixels)
        _without_metadata(out).save(buffer, "JPEG", quality=92)
    elif fmt == "GIF":
        out = pixels if pixels.mode in ("P", "L", "1") else pixels.convert("P")
        _without_metadata(out).save(buffer, "GIF")
    elif fmt == "PNG":
        _without_metadata(pixels).save(buffer, "PNG")
    else:  # WebP and AVIF
        out = to_rgb(pixels)
        _without_metadata(out).save(buffer, fmt, quality=90)
    return CleanOriginal(
        content=buffer.getvalue(), format=fmt, extension=EXTENSIONS[fmt], pixels=pixels
    )


def crop_box(
    size: tuple[int, int], ratio: float, focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of `ratio` (width / height) inside an image of `size`, centred on the
    focal point (fractions of width and height) as far as the image edges allow."""
    width, height = size
    if width / height > ratio:
        box_width, box_height = min(width, round(height * ratio)), height
    else:
        box_width, box_height = width, min(height, round(width / ratio))
    left = min(max(focal[0] * width - box_width / 2, 0), width - box_width)
    top = min(max(focal[1] * height - box_height / 2, 0), height - box_height)
    left, top = round(left), round(top)
    return left, top, left + box_width, top + box_height


RENDITION_FORMATS = {"jpeg": "JPEG", "webp": "WEBP"}
MIME_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp"}


def scale(
    pixels: PILImage.Image, size: tuple[int, int], box: tuple[int, int, int, int] | None = None
) -> PILImage.Image:
    """(The `box` of) `pixels`, from `to_rgb()`, resized to `size` with Lanczos."""
    return pixels.resize(size, PILImage.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def encode_rendition(scaled: PILImage.Image, fmt: str) -> bytes:
    """Encodes a scaled picture as `fmt` ("jpeg" or "webp"), with no metadata."""
    buffer = BytesIO()
    if fmt == "jpeg":
        _without_metadata(_flatten(scaled)).save(
            buffer, "JPEG", quality=82, optimize=True, progressive=True
        )
    else:
        _without_metadata(scaled).save(buffer, "WEBP", quality=80, method=4)
    return buffer.getvalue()

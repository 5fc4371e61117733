"""Test files, all made on the fly with Pillow (no binary fixtures in the repository)."""

import random
import struct
import zlib
from io import BytesIO

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, ImageCms
from PIL import Image as PILImage

from images.models import Image
from tests.jobs import run_jobs

SECRET = b"SN-0042-SECRET"


def encode(image: PILImage.Image, fmt: str, **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def two_tone(size=(800, 600), mode="RGB"):
    """Red left half, blue right half: shows which way a picture was turned."""
    image = PILImage.new(mode, size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg_with_metadata(size=(300, 200)) -> bytes:
    """A JPEG stored sideways (EXIF orientation 6: turn 90° clockwise to view) carrying a GPS
    position, a camera serial number, a comment, XMP and an ICC profile."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SECRET.decode()
    return encode(
        two_tone(size),
        "JPEG",
        exif=exif,
        comment=b"camera " + SECRET,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"</x:xmpmeta>",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )


def jpeg(size=(800, 600)) -> bytes:
    return encode(two_tone(size), "JPEG", quality=90)


def png(size=(640, 480)) -> bytes:
    image = two_tone(size, "RGBA")
    image.paste((0, 0, 0, 0), (0, 0, size[0] // 4, size[1] // 4))  # a transparent corner
    return encode(image, "PNG")


def webp(size=(640, 480)) -> bytes:
    return encode(two_tone(size), "WEBP")


def gif(size=(640, 480)) -> bytes:
    frames = [two_tone(size).convert("P"), PILImage.new("P", size, 3)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], comment=SECRET)


def avif(size=(640, 480)) -> bytes:
    return encode(two_tone(size), "AVIF")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def truncated_jpeg() -> bytes:
    noise = PILImage.frombytes("RGB", (400, 300), random.Random(1).randbytes(400 * 300 * 3))
    data = encode(noise, "JPEG", quality=95)
    return data[: len(data) * 6 // 10]


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb's
    shape, without the bomb (hand-built: Pillow will not write such a lie)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def empty_png(size=(2000, 1000)) -> bytes:
    """Many pixels in few bytes: refused once the pixel limit is set below its size."""
    return encode(PILImage.new("L", size), "PNG")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_image(content: bytes | None = None, name: str = "photo.jpg", **fields) -> Image:
    """An Image saved the way the admin saves one: validated, then saved; its renditions made
    by the job the save queued, as once the admin's request commits (#15)."""
    image = Image(file=upload(name, content or jpeg()), **fields)
    image.full_clean()
    with run_jobs():
        image.save()
    image.refresh_from_db(fields=["renditions_status", "renditions_ready_at", "renditions_error"])
    return image


def open_stored(name: str) -> PILImage.Image:
    with default_storage.open(name, "rb") as stored:
        image = PILImage.open(BytesIO(stored.read()))
        image.load()
    return image


def read_stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def stored_files(path: str = "") -> set[str]:
    """Every file under `path` in the default storage, through the storage API."""
    directories, files = default_storage.listdir(path) if default_storage.exists(path) else ([], [])
    found = {f"{path}/{name}".lstrip("/") for name in files}
    for directory in directories:
        found |= stored_files(f"{path}/{directory}".lstrip("/"))
    return found

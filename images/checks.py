"""System checks: the upload rules rely on process-wide Pillow settings and on WebP support."""

from django.core import checks
from PIL import Image as PILImage
from PIL import ImageFile, features


def pillow_settings(app_configs=None, **kwargs):
    errors = []
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        errors.append(
            checks.Error(
                "PIL.ImageFile.LOAD_TRUNCATED_IMAGES is True: truncated uploads would be "
                "accepted and shown half grey.",
                hint="Find the code that sets it and remove it.",
                id="images.E001",
            )
        )
    if PILImage.MAX_IMAGE_PIXELS is None:
        errors.append(
            checks.Error(
                "PIL.Image.MAX_IMAGE_PIXELS is None: decompression bombs are not refused.",
                id="images.E002",
            )
        )
    if not features.check("webp"):
        errors.append(checks.Error("This Pillow cannot write WebP renditions.", id="images.E003"))
    return errors


def register():
    checks.register(pillow_settings)

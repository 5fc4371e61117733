"""The upload check the model field runs, so admin forms, other ModelForms and full_clean()
all refuse the same files with the same messages."""

from django.utils.deconstruct import deconstructible

from . import processing


@deconstructible
class ImageFileValidator:
    """Accepts a file only if it is, by its content (never its name or the browser's
    content type), a JPEG, PNG, WebP or GIF within the byte and pixel limits that decodes
    completely. Limits come from IMAGES_MAX_UPLOAD_BYTES and IMAGES_MAX_PIXELS."""

    def __call__(self, value):
        if getattr(value, "_committed", False):
            # A file already in storage was checked and cleaned when it was uploaded; editing
            # a caption must not re-read a 20 MB original.
            return
        processing.check_size(value.size)
        # Not image.close(): Pillow would close the upload itself, which is still to be saved.
        processing.open_image(value)
        value.seek(0)

    def __eq__(self, other):
        return isinstance(other, ImageFileValidator)


validate_image_file = ImageFileValidator()

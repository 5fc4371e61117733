"""A model ImageField whose only content check is our validator.

Django's forms.ImageField runs its own Pillow check first, with a generic message and
Pillow's own limits; this field's form field leaves the decision to `validate_image_file`, so
editors see why a file was refused.
"""

from django import forms
from django.db import models

from .processing import ACCEPTED_MIME_TYPES
from .validators import validate_image_file


class ImageUploadFormField(forms.FileField):
    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(ACCEPTED_MIME_TYPES)
        return attrs


class CheckedImageField(models.ImageField):
    default_validators = [validate_image_file]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadFormField, **kwargs})

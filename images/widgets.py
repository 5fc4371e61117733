"""The lead-picture field of the story form (#14): the chosen picture's thumbnail, with
buttons to choose another from the library, upload one, or remove it; a picture file dropped
on the field is uploaded. The value is the picture's id in a hidden input, so the form field
stays a ModelChoiceField and its validation is unchanged. static/js/image-chooser.js brings
the buttons to life; images/chooser.py answers them."""

from django import forms

from .chooser import Chooser, picture_data
from .models import Image


class ChooserMedia:
    js = ["js/picture-status.js", "js/image-chooser.js"]
    css = {"all": ["css/image-chooser.css"]}


class ImageChooserWidget(forms.Widget):
    template_name = "images/widgets/image_chooser.html"
    Media = ChooserMedia

    def __init__(self, attrs=None, *, label="Picture"):
        super().__init__(attrs)
        self.label = label  # names the group of buttons for screen readers

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        image = None
        if value not in (None, ""):
            try:
                image = Image.objects.with_renditions().filter(pk=int(value)).first()
            except (TypeError, ValueError):
                image = None
        context["widget"].update(
            image=image,
            picture=picture_data(image) if image else None,
            urls=Chooser.urls_for_widgets(),
            label=self.label,
            # The field's help text, which Django points the widget at.
            describedby=context["widget"]["attrs"].get("aria-describedby", ""),
        )
        return context

    def id_for_label(self, id_):
        # The label names the group (role="group" aria-labelledby), not the hidden input.
        return ""

    def use_required_attribute(self, initial):
        return False

"""The story form's tags and byline: ordered lists, picked with autocompletes.

Tags (#4): Django's admin autocomplete (select2) picks existing objects by primary key, which
cannot tell a new tag called "2026" from the tag whose key is 2026. Here every value is a tag
*name*: the suggestions come from TagAdmin's `names/` view and anything typed becomes a new tag.

The byline (#12) is one field of the form, not a table of rows: authors picked in order, kept
in the order picked (and the order they are shown in when the form opens), so that the whole
story is saved by one service call.
"""

import json

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.urls import reverse_lazy

MAX_TAG_LENGTH = 100


class TagAutocompleteWidget(forms.SelectMultiple):
    """The admin's select2 autocomplete, fed with tag names, accepting new names."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "class": "admin-autocomplete",
                "data-ajax--url": reverse_lazy("admin:articles_tag_names"),
                "data-ajax--cache": "true",
                "data-ajax--delay": "250",
                "data-ajax--type": "GET",
                "data-tags": "true",
                "data-token-separators": json.dumps([","]),
                "data-theme": "admin-autocomplete",
                "data-allow-clear": "false",
                "data-placeholder": "Type a topic; press Enter or a comma to add it",
                **(attrs or {}),
            }
        )

    def optgroups(self, name, value, attrs=None):
        # The chosen tags are the only options rendered; suggestions arrive as you type.
        options = [
            self.create_option(name, tag, tag, True, index) for index, tag in enumerate(value)
        ]
        return [(None, options, 0)]

    def format_value(self, value):
        return [str(tag) for tag in value or []]

    @property
    def media(self):
        extra = "" if settings.DEBUG else ".min"
        return forms.Media(
            js=(
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                "admin/js/jquery.init.js",
                "admin/js/autocomplete.js",
            ),
            css={
                "screen": (
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                )
            },
        )


class TagNamesField(forms.Field):
    """A list of tag names: commas split them, each is trimmed, none appears twice
    (case-insensitively) and none is too long."""

    widget = TagAutocompleteWidget

    def prepare_value(self, value):
        return [getattr(tag, "name", tag) for tag in value or []]

    def to_python(self, value):
        if isinstance(value, str):
            value = [value]
        names, seen = [], set()
        # Commas separate tags, in the widget as in a plain "a, b" text post.
        for raw in (part for item in value or [] for part in str(item).split(",")):
            name = " ".join(raw.split())
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names

    def validate(self, value):
        super().validate(value)
        if any("\x00" in name for name in value):
            # Pasted text can carry it; PostgreSQL refuses it (#13).
            raise forms.ValidationError(
                "A tag holds an invisible control character (NUL): type it again.",
                code="null_characters_not_allowed",
            )
        too_long = [name for name in value if len(name) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Tags can be at most {MAX_TAG_LENGTH} characters: shorten “{too_long[0][:40]}…”."
            )


class OrderedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """The admin's autocomplete that renders the chosen objects in the order of the value
    (select2 adds newly picked ones at the end)."""

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        found = self.choices.queryset.using(self.db).in_bulk(chosen)
        found = {str(pk): obj for pk, obj in found.items()}
        label = self.choices.field.label_from_instance
        options = [
            self.create_option(name, found[pk].pk, label(found[pk]), True, index)
            for index, pk in enumerate(dict.fromkeys(chosen))
            if pk in found
        ]
        return [(None, options, 0)]


class BylineField(forms.ModelMultipleChoiceField):
    """Authors in byline order, each once."""

    def prepare_value(self, value):
        return [getattr(author, "pk", author) for author in value or []]

    def clean(self, value):
        found = {str(author.pk): author for author in super().clean(value)}
        ordered = dict.fromkeys(str(pk) for pk in value or [])
        return [found[pk] for pk in ordered if pk in found]

    def has_changed(self, initial, data):
        return [str(v) for v in self.prepare_value(initial)] != [str(v) for v in data or []]

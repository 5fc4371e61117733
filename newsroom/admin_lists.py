"""Lists edited in place (`list_editable`), and change forms without a story's versions, that
never undo a colleague's change (#13, #16).

Django's changelist posts every editable column of every row, with the values the list showed
when it was loaded: a second editor saving from a list loaded earlier silently puts back what
the first one changed since (a front-page pin, a section's order), and is told "changed
successfully". Here each editable field also carries the value it had when the list was
loaded (Django's hidden initial value), and a save compares, per field:

- a field the editor didn't touch is not written: a change made meanwhile stays;
- a field the editor changed, which nobody else changed meanwhile, is written;
- a field both changed, to different values, is refused with a form error that says what it
  holds now. The row keeps the editor's value, and saving it again replaces the other change
  (the refusal counts as having seen it), as a stale story save does.

`StaleForm` does the same for a whole change form (a footer page, #16): two editors on one page
each keep what they typed; the second is told, field by field, what the first changed.
"""

import datetime

from django import forms
from django.utils import formats, timezone


def _shown(value):
    """The value for a message, or "" where it is too long to quote (a page's text)."""
    if isinstance(value, str) and (len(value) > 80 or "<" in value):
        return ""
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return f"“{value}”"


class StaleRowForm(forms.ModelForm):
    """One row of the changelist's formset; see the module's docstring."""

    # What the editor did when the values compared against were shown to them.
    loaded = "loaded this list"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._meta.fields or ():
            if name in self.fields:
                self.fields[name].show_hidden_initial = True
        if self.is_bound:
            self._keep_loaded_parts()

    def _keep_loaded_parts(self):
        """Django draws a field's hidden loaded value again from the posted one only when the
        posted data holds the field's own name; a date and time (a MultiWidget) posts only its
        parts (`…_0`, `…_1`). The name is added, so the list shown again keeps what was loaded,
        or what `_seen()` records, instead of the editor's new value."""
        missing = {}
        for name in self._editable():
            initial_name = self[name].html_initial_name
            parts = [key for key in self.data if key.startswith(f"{initial_name}_")]
            if parts and initial_name not in self.data:
                missing[initial_name] = ""
        if missing:
            self.data = self.data.copy()
            self.data.update(missing)

    def _editable(self):
        return [name for name in self._meta.fields or () if name in self.fields]

    def _loaded(self, name):
        """The field's value when the list was loaded (its hidden initial value), as data."""
        field = self.fields[name]
        return self._widget_data_value(field.hidden_widget(), self[name].html_initial_name)

    def _sent_loaded(self, name):
        """Whether the post carries the field's loaded value (a form drawn by the admin does)."""
        initial_name = self[name].html_initial_name
        return any(key == initial_name or key.startswith(f"{initial_name}_") for key in self.data)

    def _now(self, name):
        """The field's value in the database now, as the form would show it."""
        return self[name].initial

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        touched = set(self.changed_data)
        for name in self._editable():
            if name not in cleaned:
                continue
            field = self.fields[name]
            if not self._sent_loaded(name):
                # Posted without what it showed (not by the admin's form): written as posted,
                # with nothing to compare.
                continue
            if name not in touched:
                # Not changed here: whatever the row holds now stays.
                del cleaned[name]
                continue
            moved = field.has_changed(self._now(name), self._loaded(name))
            if moved and field.has_changed(self._now(name), self[name].data):
                now = _shown(getattr(self.instance, name))
                self.add_error(
                    name,
                    f"Changed by someone else since you {self.loaded}"
                    + (
                        f"; it is now {now}. Save again to replace that with your value."
                        if now
                        else ". Save again to replace their text with yours."
                    ),
                )
                self._seen(name)
        return cleaned

    def _seen(self, name):
        """Record the value now in the database as the one loaded, so that the list shown
        again with the refusal saves the editor's value at the next click."""
        field = self.fields[name]
        widget = field.hidden_widget()
        context = widget.get_context(self[name].html_initial_name, self._now(name), {})["widget"]
        self.data = self.data.copy()
        for part in context.get("subwidgets") or [context]:
            self.data[part["name"]] = part["value"] if part["value"] is not None else ""


class StaleForm(StaleRowForm):
    """A change form for a model without a story's versions (the module's docstring)."""

    loaded = "opened this page"


class StaleListEditsMixin:
    """For a ModelAdmin with `list_editable`: rows are saved as StaleRowForm decides."""

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", StaleRowForm)
        return super().get_changelist_form(request, **kwargs)

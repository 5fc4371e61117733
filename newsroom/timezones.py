"""Times in the newsroom's time zone, with its name (#15).

Editors in one newsroom read every time on its clock (settings.TIME_ZONE), and a time without
its zone is ambiguous twice a year and for anyone travelling. The admin's dates name the zone
through the date formats (newsroom/formats: "3 Dec 2026, 14:30 CET"), and each date and time
input says which zone it is in (`zone_help()`).
"""

from datetime import date, datetime

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format


def zone_name(at: datetime | None = None) -> str:
    """The zone's short name at that moment (now by default): "GMT" or "BST", "EST" or "EDT"."""
    zone = timezone.get_default_timezone()
    return timezone.localtime(at or timezone.now(), zone).tzname() or zone.key


def zone_help() -> str:
    """Help for a date and time input: "Times are in Europe/London (GMT)."."""
    zone, name = timezone.get_default_timezone(), zone_name()
    # A zone whose short name is its key (UTC) is named once, not "UTC (UTC)".
    return f"Times are in {zone.key}." if name == zone.key else f"Times are in {zone.key} ({name})."


def local_time(value: datetime) -> str:
    """A time as editors read it, on the newsroom's clock with the zone's name:
    "27 Nov 2026, 14:00 GMT"."""
    zone = timezone.get_default_timezone()
    return date_format(timezone.localtime(value, zone), "j M Y, H:i T")


def name_the_zone(form) -> None:
    """Ends the help of each date and time input of the form with `zone_help()`. Called on
    each form, so the zone's name is today's (GMT in winter, BST in summer)."""
    words = zone_help()
    for field in form.fields.values():
        if isinstance(field, forms.DateTimeField | forms.SplitDateTimeField):
            help_text = str(field.help_text or "")
            if words not in help_text:
                field.help_text = f"{help_text} {words}".strip()


def machine_time(value: datetime | date | None) -> str:
    """A time for machines (`<time datetime>`, Open Graph, JSON-LD, sitemaps) on the newsroom's
    clock, to the second, with its offset: "2026-07-01T08:34:00+01:00" (#16).

    Django's `|date:"c"` keeps microseconds, which the HTML checker refuses in `datetime`
    (one to three digits of a fraction only), and is slower. A date is written as a date."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    if timezone.is_aware(value):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return value.isoformat(timespec="seconds")

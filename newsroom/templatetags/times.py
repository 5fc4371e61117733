"""Times in public pages (#16): `{{ story.published_at|iso }}` for `<time datetime>` and
metadata, on the newsroom's clock with its offset, to the second (newsroom/timezones.py)."""

from django import template

from ..timezones import machine_time

register = template.Library()


@register.filter
def iso(value) -> str:
    """ "2026-07-01T08:34:00+01:00"; nothing for no time."""
    return machine_time(value)

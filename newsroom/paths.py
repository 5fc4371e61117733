"""Addresses of the public pages without a reverse() per link (#17).

`reverse()` costs about 25 µs a call here, and a story page has some fifty links (the story,
its section, authors and tags, the cards below it). A `FastPath` asks reverse() once, with a
sample date and a marker slug, for the text around them, then fills in each story's date and
slug with an f-string: the URL configuration stays the one source of the addresses.

It gives exactly what reverse() gives (tests/test_paths.py): a slug that reverse() would
percent-encode or refuse (anything but ASCII letters, digits, "-" and "_"), a URL pattern
whose address doesn't hold the sample as expected, go to reverse() itself. The shapes are kept
per script prefix and URL configuration, so a site served under a path prefix, or a request
with a URL configuration of its own, gets its own.
"""

import datetime
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# The <slug:> converter's pattern: such a slug is written into the address as it is.
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARK = "0slug0"
_SAMPLE_DAY = datetime.date(2000, 1, 2)


def _day_text(day: datetime.date) -> str:
    # As the yyyy and dd converters write them (articles/converters.py).
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}/"


class FastPath:
    """reverse(viewname) for a URL taking a date (year, month, day), a slug, or both."""

    def __init__(self, viewname: str, *, dated: bool = False, slug: bool = True):
        self.viewname, self.dated, self.slug = viewname, dated, slug
        self._shapes: dict = {}

    def _kwargs(self, day, slug) -> dict:
        kwargs = {"year": day.year, "month": day.month, "day": day.day} if self.dated else {}
        return {**kwargs, "slug": slug} if self.slug else kwargs

    def _shape(self):
        """(text before, text after) the date and slug in this URL configuration, or None
        when its address doesn't hold them as expected."""
        key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        try:
            return self._shapes[key]
        except KeyError:
            pass
        path = reverse(self.viewname, kwargs=self._kwargs(_SAMPLE_DAY, _MARK))
        middle = (_day_text(_SAMPLE_DAY) if self.dated else "") + (_MARK if self.slug else "")
        head, found, tail = path.partition(middle)
        shape = (head, tail) if found and middle not in tail else None
        self._shapes[key] = shape
        return shape

    def __call__(self, *, day: datetime.date | None = None, slug: str = "") -> str:
        shape = self._shape()
        if shape is None or (self.slug and not _PLAIN_SLUG.fullmatch(slug)):
            return reverse(self.viewname, kwargs=self._kwargs(day, slug))
        head, tail = shape
        return f"{head}{_day_text(day) if self.dated else ''}{slug}{tail}"

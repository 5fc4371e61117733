"""How long ago, in the admin's words (#15): "just now" for the last minute, where Django's
`timesince` says "0 minutes" and the desk read "edited 0 minutes ago"."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value: datetime | None, now: datetime | None = None) -> str:
    """ "just now", "5 minutes ago", "2 hours, 3 minutes ago"; nothing for no time."""
    if not value:
        return ""
    now = now or timezone.now()
    if (now - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value, now)} ago"

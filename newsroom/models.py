"""Abstract models shared by Newsroom's apps."""

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    """Adds `created_at` and `updated_at`, kept by the database layer on every save."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


def person_field(verbose_name=None, **options):
    """A link to the user who did something to a row (started, changed, trashed or held it):
    the row outlives their account (the link empties) and the user keeps no way back to it.
    `options` go to the ForeignKey (editable, help_text)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


class LookupVersion(models.Model):
    """The version of a lookup every app server keeps in memory (newsroom/lookups.py): a new
    random number each time a write changes what the lookup reads."""

    name = models.CharField(max_length=60, primary_key=True)
    version = models.BigIntegerField()

    def __str__(self):
        return f"{self.name}: {self.version}"

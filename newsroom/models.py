"""Abstract models shared by Newsroom's apps."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds `created_at` and `updated_at`, kept by the database layer on every save."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True

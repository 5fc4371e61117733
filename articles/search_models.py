"""The full-text search index as Django models (#17); articles/search.py fills and reads them.

The vendor parts Django has no field for live in migration 0023, frozen there: the GIN index
on `document` and the triggers on PostgreSQL, the FTS5 table that indexes these rows on SQLite.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """One story as the search index knows it: the plain text it is found by.

    The row says nothing about publication: every search reads that from the story itself, so
    a story withdrawn or put back to draft is gone from the results at once. No foreign-key
    constraint: a story deleted by raw SQL or a bulk path would otherwise block its own
    deletion until the index caught up; the search joins the story, so a leftover row is never
    found, and the next refresh removes it.
    """

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="search_document",
    )
    headline = models.TextField(blank=True)
    standfirst = models.TextField(blank=True)
    # The body as plain text. On PostgreSQL "<", ">" and "&" are stored as private-use
    # stand-ins, which ts_headline() leaves alone (articles.search.snippet_html()).
    body = models.TextField(blank=True)
    authors = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    # PostgreSQL only (NULL elsewhere): headline A, standfirst, authors and tags B, body C.
    document = SearchVectorField(null=True)

    class Meta:
        verbose_name = "search index entry"
        verbose_name_plural = "search index"

    def __str__(self):
        return self.headline


class SearchUpdate(models.Model):
    """A story, author or tag whose change the index has not taken in yet.

    Written by database triggers (migration 0023) on every write path, including those that
    send no signal (QuerySet.update(), bulk_create(), raw SQL); emptied by the after-commit
    hook of the next write, and by `rebuild_search_index`.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article"
        AUTHOR = "author"
        TAG = "tag"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchupdate_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"

"""What providers said about embedded addresses (#14), kept so that no reader's page waits on
them: asked when an editor embeds an address (or a story holding one is saved), read with one
query per page whatever the number of embeds."""

from datetime import timedelta

from django.db import models
from django.utils import timezone

# A failed answer is asked again after an hour; a good one is refreshed after a month (titles
# change; a post may be deleted).
RETRY_AFTER = timedelta(hours=1)
REFRESH_AFTER = timedelta(days=30)


class OEmbedAnswerQuerySet(models.QuerySet):
    def for_urls(self, urls) -> dict[str, "OEmbedAnswer"]:
        """The answers about these addresses, by address: one query."""
        urls = [url for url in urls if url]
        return {answer.url: answer for answer in self.filter(url__in=urls)} if urls else {}


class OEmbedAnswer(models.Model):
    url = models.CharField("address", max_length=2000, unique=True)
    provider = models.CharField(max_length=50)
    is_ok = models.BooleanField(
        "answered",
        default=False,
        help_text="Whether the provider answered. Without an answer readers still get the "
        "player when the address alone names it, else a plain link.",
    )
    error = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    # The player's address read from the answer by the provider's rule (embeds/providers.py),
    # for providers whose address doesn't name it; checked again before every use.
    frame_src = models.CharField(max_length=2000, blank=True)
    fetched_at = models.DateTimeField()

    objects = OEmbedAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-fetched_at"]
        get_latest_by = "fetched_at"
        verbose_name = "oEmbed answer"

    def __str__(self):
        return self.title or self.url

    def is_stale(self, now=None) -> bool:
        age = (now or timezone.now()) - self.fetched_at
        return age > (REFRESH_AFTER if self.is_ok else RETRY_AFTER)

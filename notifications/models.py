"""A story's internal notes, and what people are told about stories (#15).

Notes are the newsroom's conversation about a story: only the admin shows them, to those who
may open the story; no public page, feed, preview link or search reads this app. A
notification is one message to one person, read in the admin and, if they chose so, sent by
email (EmailPreferences).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from newsroom.models import person_field


class Note(models.Model):
    """One message in a story's thread: the editors' and reporters' own, never readers'."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    author = person_field(
        help_text="Who wrote it; empty for the newsroom itself or an account since deleted."
    )
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    # The colleagues named with @username in the text, each told once.
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"
        indexes = [
            # The story form's thread, oldest first.
            models.Index(fields=["article", "created_at"], name="note_story_thread"),
        ]

    def __str__(self):
        return f"Note on “{self.article}” at {self.created_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "A story was submitted for review"
        SENT_BACK = "sent_back", "Your story was sent back"
        PUBLISHED = "published", "Your story was published"
        WENT_LIVE = "went_live", "A scheduled story went live"
        ASSIGNED = "assigned", "You were assigned or taken off a story"
        DEADLINE = "deadline", "A deadline passed"
        MENTIONED = "mentioned", "Someone mentioned you in a note"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = person_field(help_text="Who did what this tells of; empty for the newsroom itself.")
    # Written when it happened, in plain words: the headline as it was then.
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # What a job tells of once only (a scheduled time, a deadline): running it again finds
    # the notification made and makes no second one.
    key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        indexes = [
            # The count of unread on every admin page, and the user's list, newest first.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "article", "key"],
                condition=~Q(key=""),
                name="notification_once_per_key",
            ),
        ]

    def __str__(self):
        return self.text

    # Told of a note: their link opens the story at its thread.
    NOTE_KINDS = frozenset({Kind.SENT_BACK, Kind.MENTIONED})

    def is_read(self) -> bool:
        return self.read_at is not None


# Which kinds arrive by email unless the user says otherwise: what is addressed to them
# personally does; every submission to every editor doesn't (they see it on the desk).
EMAIL_DEFAULTS = {
    Notification.Kind.SUBMITTED: False,
    Notification.Kind.SENT_BACK: True,
    Notification.Kind.PUBLISHED: True,
    Notification.Kind.WENT_LIVE: True,
    Notification.Kind.ASSIGNED: True,
    Notification.Kind.DEADLINE: True,
    Notification.Kind.MENTIONED: True,
}


class EmailPreferences(models.Model):
    """The kinds of notification a user also receives by email; every kind is in the admin.
    A user who never saved the page has EMAIL_DEFAULTS (no row)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_email",
    )
    kinds = models.JSONField(
        default=list,
        blank=True,
        help_text="The kinds (Notification.Kind values) sent by email too.",
    )

    class Meta:
        verbose_name_plural = "email preferences"

    def __str__(self):
        return f"Email preferences of {self.user}"

    @staticmethod
    def default_kinds() -> list[str]:
        return [str(kind) for kind, on in EMAIL_DEFAULTS.items() if on]

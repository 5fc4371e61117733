"""Webhook endpoints and their deliveries (#18).

An Endpoint is an address outside the newsroom that is told of stories' events (published,
corrected, withdrawn…), signed with its own secret. Each message to it is a Delivery: one row
whatever the number of attempts, with the message id receivers use to ignore a message they
already had (the same id on every attempt and on a re-send), the payload as it was sent, and
what the last attempt got back.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import signing

RESPONSE_EXCERPT = 2000  # characters of a receiver's answer kept on its delivery


class Event(models.TextChoices):
    PUBLISHED = "story.published", "Story published"
    UPDATED = "story.updated", "Story updated (significant update)"
    CORRECTED = "story.corrected", "Correction, clarification or update note added"
    WITHDRAWN = "story.withdrawn", "Story withdrawn"
    TRASHED = "story.trashed", "Story moved to the trash"
    LIVE_UPDATE_POSTED = "live.update_posted", "Live update posted"
    # Sent from the admin to one endpoint, to try it; no one subscribes to it.
    TEST = "webhook.test", "Test event"


SUBSCRIBABLE = [(e.value, e.label) for e in Event if e != Event.TEST]


class EndpointQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Endpoint(models.Model):
    url = models.URLField(
        "address",
        max_length=500,
        help_text="Where the events are posted, e.g. https://partner.example.org/newsroom-hooks. "
        "Only public addresses are accepted.",
    )
    description = models.CharField(
        max_length=200, blank=True, help_text="Who receives it and why, for the desk."
    )
    # A list of Event values; a handful of endpoints are filtered in Python, the same way on
    # SQLite and PostgreSQL.
    events = models.JSONField(default=list, help_text="The events this address is told of.")
    secret = models.CharField(
        max_length=100,
        default=signing.new_secret,
        editable=False,
        help_text="Give it to the receiver: it checks each delivery's signature with it.",
    )
    # For a day after a rotation deliveries are signed with both secrets (signing.py).
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    secret_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(
        "active", default=True, help_text="Untick to stop sending to it, keeping its history."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["url", "pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return self.url

    def wants(self, event: str) -> bool:
        return event == Event.TEST or event in self.events


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event.choices)
    message_id = models.CharField(max_length=60, editable=False)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0, help_text="Attempts made in all.")
    # Attempts since it was (re)sent: the job gives up after its last one (tasks.ATTEMPTS).
    round_attempts = models.PositiveIntegerField(default=0, editable=False)
    response_status = models.PositiveSmallIntegerField("last response status", null=True)
    response_excerpt = models.TextField(
        "last response", blank=True, help_text=f"The first {RESPONSE_EXCERPT} characters."
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name_plural = "deliveries"
        indexes = [
            # The admin's list, newest first, and an endpoint's last delivery.
            models.Index(fields=["endpoint", "-created_at"], name="delivery_endpoint_idx"),
        ]

    def __str__(self):
        return f"{self.event} to {self.endpoint} ({self.message_id})"

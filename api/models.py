"""API tokens (#18): how staff read through the Content API what they may see in the admin.

A token belongs to one user and reads as that user: an editor's token reads every story, a
reporter's their own drafts and the live stories, as the admin shows them. Only a hash of the
token is kept; the token itself is shown once, when it is made. Revoking it (or deactivating
the user, or taking away their staff access) ends it at once.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX = "nrt_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True, user__is_staff=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100,
        help_text="What the token is for, e.g. “Newsletter builder” or “Mobile app staging”.",
    )
    # The first characters of the token, to tell tokens apart in the list; not a secret.
    hint = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    def issue(self) -> str:
        """Gives the token a new secret and returns it: the only time it can be read."""
        token = PREFIX + secrets.token_urlsafe(32)
        self.hint = token[: len(PREFIX) + 4]
        self.key_hash = digest(token)
        return token

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @classmethod
    def user_for(cls, token: str):
        """The user an active token reads as, or None."""
        if not token.startswith(PREFIX):
            return None
        found = cls.objects.active().select_related("user").filter(key_hash=digest(token)).first()
        return found.user if found else None

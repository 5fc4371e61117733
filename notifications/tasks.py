"""The notifications' jobs (#15), run by the queue (newsroom/jobs.py), never in a request.

Both are idempotent: an email is sent once (`emailed_at`), and a story going live is told once
per scheduled time (Notification.key).
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from articles.models import Article
from newsroom.jobs import retried

from .models import Notification
from .services import Kind, notify, reporters_of, story_words

User = get_user_model()


def admin_link(article: Article | None) -> str:
    """The story's page in the admin, absolute (from SITE_URL), or the notifications page."""
    path = (
        reverse("admin:articles_article_change", args=[article.pk])
        if article is not None
        else reverse("admin:notifications_notification_changelist")
    )
    return settings.SITE_URL + path


# A mail server that is down for a while gets the email later: tried for about an hour.
@retried(attempts=6, backoff_seconds=60, max_backoff_seconds=1800)
def send_notification_email(notification_id: int) -> bool:
    """Sends one notification by email, in plain text, with the story's admin link.

    The notification is claimed first (its `emailed_at` set where it was empty), so a job run
    twice, or by two workers at once, sends it once, and no row stays locked while the mail
    server answers. A mail server that refuses gives the claim back and raises: the job is
    tried again later, and the notification stays in the admin either way."""
    unsent = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
    if not unsent.update(emailed_at=timezone.now()):
        return False
    claimed = Notification.objects.filter(pk=notification_id)
    notification = claimed.select_related("recipient", "article").first()
    if notification is None or not notification.recipient.email:
        claimed.update(emailed_at=None)
        return False
    link = admin_link(notification.article)
    if notification.article is not None and notification.kind in Notification.NOTE_KINDS:
        link += "#notes"  # The note is in the story's thread, below its form.
    preferences = settings.SITE_URL + reverse("admin:notifications_notification_preferences")
    lines = [
        notification.text,
        "",
        f"Open it in the admin: {link}",
        "",
        f"You receive these emails because you chose them on your notification preferences: "
        f"{preferences}",
    ]
    subject = f"[{settings.SITE_NAME}] {notification.text}"
    try:
        send_mail(
            " ".join(subject.split())[:200],
            "\n".join(lines),
            None,  # DEFAULT_FROM_EMAIL
            [notification.recipient.email],
        )
    except Exception:
        claimed.update(emailed_at=None)
        raise
    return True


@task()
def announce_live(article_id: int, at: str, scheduled_by_id: int | None = None) -> int:
    """Run at the minute a scheduled story was to go live (#15): tells its reporters and the
    editor who scheduled it, if the story is live now and still scheduled for that time (it
    may have been unscheduled, moved to another time or trashed meanwhile). Returns how many
    were told."""
    when = datetime.fromisoformat(at)
    article = Article.objects.current().filter(pk=article_id).first()
    if article is None or not article.is_published() or article.published_at != when:
        return 0
    scheduler = User.objects.filter(pk=scheduled_by_id).first() if scheduled_by_id else None
    recipients = [*reporters_of(article), *([scheduler] if scheduler else [])]
    told = notify(
        kind=Kind.WENT_LIVE,
        recipients=recipients,
        article=article,
        actor=None,
        text=f"{story_words(article)} went live, as scheduled.",
        key=when.isoformat(),
    )
    return len(told)

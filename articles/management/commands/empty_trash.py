"""python manage.py empty_trash [--days N]: deletes for good the stories that have been in the
trash for N days or more (default 30), with their revisions, notes and preview links. Run it
daily from cron; editors can also delete stories for good from the trash in the admin.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Article


class Command(BaseCommand):
    help = "Delete for good the stories that have been in the trash for --days days or more."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=30,
            help="How long a story stays restorable in the trash (default: 30).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the stories, delete nothing."
        )

    def handle(self, *args, days, dry_run, **options):
        if days < 0:
            raise CommandError("--days can't be negative.")
        cutoff = timezone.now() - timedelta(days=days)
        stories = Article.objects.in_trash().filter(trashed_at__lte=cutoff).order_by("trashed_at")
        # A story under a legal hold is never deleted (#15); none reaches the trash, and one
        # that did would stay until the hold is lifted.
        for pk, headline in stories.filter(held_at__isnull=False).values_list("pk", "headline"):
            self.stdout.write(f"Keeping #{pk}: {headline} (Legal holds it)")
        stories = stories.filter(held_at__isnull=True)
        with transaction.atomic():
            doomed = list(stories.values_list("pk", "headline"))
            for pk, headline in doomed:
                self.stdout.write(f"{'Would delete' if dry_run else 'Deleting'} #{pk}: {headline}")
            if not dry_run:
                Article.objects.filter(pk__in=[pk for pk, _ in doomed]).delete()
        verb = "would be deleted" if dry_run else "deleted"
        count = len(doomed)
        noun = "story" if count == 1 else "stories"
        self.stdout.write(f"{count} {noun} {verb} (in the trash for {days} days or more).")

"""python manage.py publish_due_changes: publishes scheduled changes to live stories now due.

The first request after their minute does this too (articles/scheduling.py); run it from a
timer for a site that must change at the minute with no visitor at all.
"""

from django.core.management.base import BaseCommand

from ...scheduling import publish_due_changes


class Command(BaseCommand):
    help = "Publishes the scheduled changes to live stories whose time has come."

    def handle(self, *args, **options):
        count = publish_due_changes()
        self.stdout.write(
            f"Published the scheduled changes of {count} stor{'y' if count == 1 else 'ies'}."
        )

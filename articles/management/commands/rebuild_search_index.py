"""python manage.py rebuild_search_index: re-creates missing search triggers and re-indexes
every story. Not needed for day-to-day correctness (writes are indexed after their commit, see
articles/search.py); useful after changing NEWSROOM_SEARCH_CONFIG, restoring a dump, or bulk
writes that sent no signal (QuerySet.update(), raw SQL) when no other write followed them."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from articles import search


class Command(BaseCommand):
    help = "Rebuilds the full-text search index of stories."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        connection = connections[database]
        if connection.vendor not in search.TABLES:
            self.stdout.write(f"No search index on {connection.vendor}: nothing to do.")
            return
        count = search.rebuild(database)
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} stories."))

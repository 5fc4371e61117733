"""python manage.py rebuild_search_index: re-creates missing search triggers and re-indexes
every story. Never needed for correctness (database triggers record every change, see
articles/search.py); useful after changing NEWSROOM_SEARCH_CONFIG or restoring a dump."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from articles import search


class Command(BaseCommand):
    help = "Rebuilds the full-text search index of stories."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        connection = connections[database]
        if connection.vendor not in search.VENDOR_SCHEMA:
            self.stdout.write(f"No search index on {connection.vendor}: nothing to do.")
            return
        with transaction.atomic(using=database):
            search.install(connection)
            search.enqueue_all(database)
            count = search.refresh_search_index(using=database)
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} stories."))

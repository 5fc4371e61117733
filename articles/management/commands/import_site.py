"""python manage.py import_site DIR: an export_site directory into an empty database
(newsroom/siteexport.py)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from articles.effects import site_imported
from newsroom import siteexport


class Command(BaseCommand):
    help = (
        "Loads a directory written by export_site into an empty, migrated database, in one "
        "transaction, with its media files; then rebuilds the search index and empties the "
        "page cache. Accounts come without passwords. See docs/backups.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A directory written by export_site.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, directory, database, **options):
        archive = siteexport.import_site(directory, rebuild=site_imported, using=database)
        rows, files = sum(archive.loaded.values()), len(archive.media)
        made = archive.manifest.get("created_at", "?")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {rows:,} rows and {files:,} media files from {directory} "
                f"(exported {made})."
            )
        )
        accounts = get_user_model()._default_manager.db_manager(database).count()
        if accounts:
            self.stdout.write(
                f"{accounts:,} account{'s' if accounts != 1 else ''} imported without a "
                "password (exports never carry them). Give each one a new password: "
                "`manage.py changepassword USERNAME`, or for a reporter or editor "
                "`manage.py create_newsroom_user USERNAME --role editor --reset-password`, "
                "which prints a generated one."
            )

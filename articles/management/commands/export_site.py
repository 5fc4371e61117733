"""python manage.py export_site DIR: the whole site, for import_site (newsroom/siteexport.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from newsroom import siteexport


class Command(BaseCommand):
    help = (
        "Writes every story, revision, correction, author, section, tag, picture (with its "
        "files), account (without its password) and group to DIR, a new or empty directory, "
        "for import_site. See docs/backups.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A new or empty directory.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, directory, database, **options):
        manifest = siteexport.export_site(directory, using=database)
        for missing in manifest["missing_media"]:
            self.stderr.write(
                f"Missing from the storage, so not in the export: {missing['name']} "
                f"({missing['field']})."
            )
        rows = sum(entry["count"] for entry in manifest["models"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {rows:,} rows of {len(manifest['models'])} models and "
                f"{len(manifest['media']):,} media files to {directory}."
            )
        )
        self.stdout.write(
            "Passwords are not exported. The export holds drafts and staff e-mail addresses: "
            "keep it private."
        )

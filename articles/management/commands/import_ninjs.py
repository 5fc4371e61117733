"""python manage.py import_ninjs FILE [FILE...] [--user USERNAME]"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from ...importing import StoryFormatError
from ...ninjs import import_ninjs
from .import_article import importing_user


class Command(BaseCommand):
    help = (
        "Imports stories from IPTC ninjs 2.0 JSON files as drafts: headline, summary, body, "
        "byline (people with rel “author”, else “by”) and tags (subjects). Importing the same "
        "story again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="ninjs JSON files.")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Import as this staff member: the drafts are theirs. Without it, the system "
            "imports.",
        )

    def handle(self, *args, **options):
        user = importing_user(options["user"])
        failed = []
        for name in options["files"]:
            path = Path(name)
            try:
                self.import_file(path, user)
            except CommandError as error:
                failed.append(path)
                self.stderr.write(str(error))
        if failed:
            imported = len(options["files"]) - len(failed)
            raise CommandError(
                f"{len(failed)} of {len(options['files'])} files could not be imported "
                f"({imported} imported or found)."
            )

    def import_file(self, path: Path, user) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Can't read {path}: {error.strerror}.") from None
        try:
            result = import_ninjs(data, by=user)
        except (StoryFormatError, ValidationError, PermissionDenied) as error:
            problem = " ".join(getattr(error, "messages", [str(error)]))
            raise CommandError(f"{path}: {problem} Nothing was imported from it.") from None
        article = result.article
        admin = f"{settings.SITE_URL}{reverse('admin:articles_article_change', args=[article.pk])}"
        if result.created:
            byline = ", ".join(a.name for a in article.byline_authors) or "no one yet"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path}: imported “{article.headline}” by {byline} as a draft: {admin}"
                )
            )
        else:
            self.stdout.write(
                f"{path}: “{article.headline}” was imported before (story #{article.pk}); "
                f"nothing was duplicated: {admin}"
            )

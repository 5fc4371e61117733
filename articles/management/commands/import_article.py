"""python manage.py import_article FILE [--publish] [--author NAME]"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.urls import reverse

from ...importing import StoryFormatError, import_story, parse_story
from ...models import Section
from ...permissions import SYSTEM


def importing_user(username):
    """The staff member an import is made as, or SYSTEM without a username (the ninjs
    importer's command shares it)."""
    if username is None:
        return SYSTEM
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or not user.is_staff:
        raise CommandError(f"There is no active staff account called “{username}”.")
    return user


class Command(BaseCommand):
    help = (
        "Imports a story from a plain-text file: the headline on the first line, blank-line "
        "separated paragraphs, and the byline (one name per line) at the end. Importing the "
        "same story again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A UTF-8 text file.")
        state = parser.add_mutually_exclusive_group()
        state.add_argument("--publish", action="store_true", help="Publish it straight away.")
        state.add_argument("--submit", action="store_true", help="Submit it for review.")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Import as this staff member: the story is theirs and their permissions apply "
            "(a reporter can submit but not publish). Without it, the system imports.",
        )
        parser.add_argument(
            "--author",
            action="append",
            default=[],
            metavar="NAME",
            help="Byline to use instead of the one in the file (repeat for several authors). "
            "Authors are matched by name and created if missing.",
        )
        parser.add_argument("--standfirst", default="", help="The dek under the headline.")
        parser.add_argument(
            "--section", metavar="NAME", help="The story's section, by name or slug (must exist)."
        )
        parser.add_argument(
            "--tags", default="", metavar="TAGS", help='Comma-separated tags, e.g. "China, health".'
        )

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        section = self.get_section(options["section"])
        tags = [tag.strip() for tag in options["tags"].split(",") if tag.strip()]
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Can't read {path}: {error.strerror}.") from None
        try:
            story = parse_story(data)
            result = import_story(
                story,
                by=user,
                author_names=options["author"],
                publish=options["publish"],
                submit=options["submit"],
                standfirst=options["standfirst"],
                section=section,
                tags=tags,
            )
        except (StoryFormatError, ValidationError, PermissionDenied) as error:
            problem = " ".join(getattr(error, "messages", [str(error)]))
            raise CommandError(f"{path}: {problem} Nothing was imported.") from None

        article = result.article
        if result.created:
            byline = ", ".join(a.name for a in article.byline_authors) or "no one yet"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported “{article.headline}” by {byline} "
                    f"({len(story.paragraphs)} paragraphs), {result.change or 'saved as a draft'}."
                )
            )
        else:
            self.stdout.write(
                f"“{article.headline}” was imported before (story #{article.pk}); nothing was "
                "duplicated." + (f" It is now {result.change}." if result.change else "")
            )
        admin_path = reverse("admin:articles_article_change", args=[article.pk])
        self.stdout.write(f"Edit it in the admin: {settings.SITE_URL}{admin_path}")
        if article.is_published():
            self.stdout.write(
                f"Read it on the site: {settings.SITE_URL}{article.get_absolute_url()}"
            )

    def get_user(self, username):
        return importing_user(username)

    def get_section(self, name):
        if not name:
            return None
        section = Section.objects.filter(Q(name__iexact=name) | Q(slug=name)).first()
        if section is None:
            known = ", ".join(Section.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"There is no section called “{name}” (sections: {known}).")
        return section

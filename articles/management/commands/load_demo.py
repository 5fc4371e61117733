"""python manage.py load_demo: demo authors and published stories for a new site.

Idempotent: authors are matched by name and stories by headline and text, so a second run adds
nothing. The stories are in the plain-text import format, under articles/demo/.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from authors.models import Author

from ...importing import import_story, parse_story
from ...models import Section
from ...permissions import SYSTEM

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Loads demo authors and stories (running it again adds nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        new_authors = 0
        for profile in json.loads((DEMO_DIR / "authors.json").read_text("utf-8")):
            author, created = Author.objects.get_or_create_by_name(profile["name"])
            if created:
                author.job_title, author.bio = profile["job_title"], profile["bio"]
                author.save()
                new_authors += 1

        sections = {}
        for order, data in enumerate(json.loads((DEMO_DIR / "sections.json").read_text("utf-8"))):
            sections[data["name"]], _ = Section.objects.get_or_create(
                name=data["name"],
                defaults={
                    "slug": slugify(data["name"]),
                    "description": data["description"],
                    "order": order,
                },
            )

        extras = json.loads((DEMO_DIR / "stories.json").read_text("utf-8"))
        now = timezone.now()
        new_stories = 0
        for index, path in enumerate(sorted((DEMO_DIR / "stories").glob("*.txt"))):
            extra = extras.get(path.name, {})
            result = import_story(
                parse_story(path.read_bytes()),
                by=SYSTEM,
                publish=True,
                standfirst=extra.get("standfirst", ""),
                section=sections.get(extra.get("section")),
                tags=extra.get("tags", []),
                # Spread over the last few days, newest first, like a real front page.
                published_at=now - timedelta(hours=2 + 7 * index),
            )
            new_stories += result.created
        self.stdout.write(
            f"Demo content: {new_stories} new stories and {new_authors} new authors "
            f"({'nothing to add' if not new_stories + new_authors else 'loaded'})."
        )

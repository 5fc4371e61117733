"""python manage.py load_demo: a demo newspaper, Harbourside, for a new site (#16).

Authors with portraits, sections, and published stories over the last few weeks, most with a
lead picture, some with a picture in the text, tags, two-person bylines and corrections. The
stories are in the plain-text import format under articles/demo/stories/; what the format
doesn't carry (section, standfirst, tags, pictures, when it was published, a correction) is in
articles/demo/stories.json. The pictures are drawn by articles/demo/pictures.py: nothing is
downloaded.

Pictures are saved as an upload is (the original cleaned by the images app), and their
renditions made here rather than by the job queue, so that the site shows them as soon as it
serves. The job each picture queues on commit then finds nothing to do.

Idempotent: authors are matched by name and stories by headline, so a second run adds nothing.
"""

import json
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from authors.models import Author
from images.models import Image
from images.renditions import make_renditions_for

from ...demo import pictures
from ...importing import parse_story
from ...live import live_state_set
from ...models import Article, LiveUpdate, Section, slug_for
from ...permissions import SYSTEM
from ...services import Note, article_save, free_slug
from ...text import paragraphs_to_html

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
# Shown as it is: a credit that says what it is isn't given the "Photo:" prefix.
CREDIT = "Illustration: Harbourside"


def read_json(name: str):
    return json.loads((DEMO_DIR / name).read_text("utf-8"))


class Pictures:
    """Draws the pictures in other processes while this one saves the ones already drawn and
    makes their renditions: drawing takes about a third of the time (#16)."""

    def __init__(self, wanted: list[tuple]):
        self.pool = ProcessPoolExecutor(max_workers=2) if wanted else None
        self.drawing = {what: self.pool.submit(pictures.drawn, what) for what in wanted}

    def save(self, what: tuple, *, name: str, alt: str, caption: str, focal=(0.5, 0.5)) -> Image:
        """Saves a picture through the images app, as an upload, and makes its renditions."""
        image = Image(
            alt_text=alt, caption=caption, credit=CREDIT, focal_x=focal[0], focal_y=focal[1]
        )
        image.file = ContentFile(self.drawing[what].result(), name=f"{name}.jpg")
        image.save()
        make_renditions_for(image.pk, image.file_hash)
        image.refresh_from_db()
        return image

    def story_picture(self, slug: str, spec: dict) -> Image:
        return self.save(
            scene_of(spec),
            name=slug,
            alt=spec["alt"],
            caption=spec["caption"],
            focal=spec.get("focal", (0.5, 0.5)),
        )

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def scene_of(spec: dict) -> tuple:
    return ("scene", spec["scene"], spec["seed"])


def with_figure(paragraphs: list[str], figure: dict, image: Image) -> str:
    """The body's HTML with a picture after paragraph `figure["after"]`, as the editor
    stores it (articles/body.py): readers get the renditions, alt text and credit."""
    after = figure["after"]
    return (
        paragraphs_to_html(paragraphs[:after])
        + f'<figure data-image="{image.pk}"><img src="" alt="">'
        + f"<figcaption>{escape(figure['caption'])}</figcaption></figure>"
        + paragraphs_to_html(paragraphs[after:])
    )


class Command(BaseCommand):
    help = "Loads the demo paper: authors, stories and pictures (running it again adds nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        started = time.monotonic()
        profiles = [
            profile
            for profile in read_json("authors.json")
            if not Author.objects.filter(name__iexact=profile["name"]).exists()
        ]
        extras = read_json("stories.json")
        stories = [
            (path.name, story)
            for path in sorted((DEMO_DIR / "stories").glob("*.txt"))
            if not Article.objects.filter(
                headline=(story := parse_story(path.read_bytes())).headline
            ).exists()
        ]
        wanted = [("portrait", p["portrait"]) for p in profiles if "portrait" in p] + [
            scene_of(extras[name][kind])
            for name, _ in stories
            for kind in ("picture", "figure")
            if kind in extras[name]
        ]
        drawn = Pictures(wanted)
        try:
            self.add_authors(profiles, drawn)
            sections = self.add_sections()
            for name, story in stories:
                self.add_story(story, extras[name], sections, drawn)
        finally:
            drawn.close()
        self.stdout.write(
            f"Demo content: {len(stories)} new stories, {len(profiles)} new authors and "
            f"{len(wanted)} new pictures "
            f"({'nothing to add' if not stories + profiles else 'loaded'}) "
            f"in {time.monotonic() - started:.1f} s."
        )

    def add_authors(self, profiles: list[dict], drawn: Pictures) -> None:
        for profile in profiles:
            author, _ = Author.objects.get_or_create_by_name(profile["name"])
            author.job_title, author.bio = profile["job_title"], profile["bio"]
            if "portrait" in profile:
                author.photo = drawn.save(
                    ("portrait", profile["portrait"]),
                    name=slugify(profile["name"]),
                    alt=f"Illustrated portrait of {profile['name']}",
                    caption=f"{profile['name']}, {profile['job_title'].lower()}",
                    focal=(0.5, 0.4),
                )
            author.save()

    def add_sections(self) -> dict[str, Section]:
        sections = {}
        for order, data in enumerate(read_json("sections.json")):
            sections[data["name"]], _ = Section.objects.get_or_create(
                name=data["name"],
                defaults={
                    "slug": slugify(data["name"]),
                    "description": data["description"],
                    "order": order,
                    # A block of its latest stories on the front page, in this place (#16).
                    "front_page_position": data.get("front_page_position"),
                },
            )
        return sections

    def add_story(self, story, extra: dict, sections: dict, drawn: Pictures) -> None:
        """Publishes one story as the import would, with its pictures in the same save."""
        published_at = timezone.now() - timedelta(hours=extra["hours_ago"])
        day = timezone.localdate(published_at, timezone.get_default_timezone())
        slug = free_slug(slug_for(story.headline), day)
        changes = {
            "headline": story.headline,
            "slug": slug,
            "standfirst": extra.get("standfirst", ""),
            "section": sections.get(extra.get("section")),
            "body": paragraphs_to_html(story.paragraphs),
        }
        if "picture" in extra:
            changes["lead_image"] = drawn.story_picture(slug, extra["picture"])
        if "figure" in extra:
            figure = drawn.story_picture(f"{slug}-figure", extra["figure"])
            changes["body"] = with_figure(story.paragraphs, extra["figure"], figure)
        result = article_save(
            article=None,
            by=SYSTEM,
            changes=changes,
            authors=[Author.objects.get_or_create_by_name(name)[0] for name in story.byline],
            tags=extra.get("tags", []),
            transition="publish",
            at=published_at,
        )
        if result.refused:
            raise CommandError(f"“{story.headline}” could not be published: {result.refused}")
        if "live" in extra:
            self.add_live_blog(result.article, extra["live"])
        if "note" in extra:
            note = extra["note"]
            article_save(
                article=result.article, by=SYSTEM, note=Note(kind=note["kind"], text=note["text"])
            )

    def add_live_blog(self, article: Article, live: dict) -> None:
        """A live blog with its updates, posted minutes apart (#18)."""
        live_state_set(article=article, state=live["state"], by=SYSTEM)
        now = timezone.now()
        for data in live["updates"]:
            update = LiveUpdate.objects.create(
                article=article,
                title=data.get("title", ""),
                body=paragraphs_to_html(data["text"]),
                key_event=data.get("key_event", False),
                posted_at=now - timedelta(minutes=data["minutes_ago"]),
            )
            for name in data.get("by", []):  # One by one: the byline keeps this order.
                update.authors.add(Author.objects.get_or_create_by_name(name)[0])

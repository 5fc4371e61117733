"""Draws the site's default logo and social card (newsroom/brand.py, #16)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from newsroom.brand import draw


class Command(BaseCommand):
    help = (
        "Draw the default publisher logo (512×512) and social card (1200×630) as PNGs with the "
        "site's name. The project's own are in static/brand/; for another name, write them "
        "elsewhere and point NEWSROOM_SITE_LOGO and NEWSROOM_DEFAULT_SOCIAL_IMAGE at them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", default=settings.SITE_NAME, help="default: SITE_NAME")
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "static" / "brand",
            help="the folder to write logo.png and social.png to (default: static/brand)",
        )

    def handle(self, *args, name, output, **options):
        for path in draw(name, output):
            self.stdout.write(f"Wrote {path}")

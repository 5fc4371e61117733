from django.core.management.base import BaseCommand

from images.models import Image
from images.renditions import sync_renditions


class Command(BaseCommand):
    help = (
        "Makes missing renditions and deletes stale ones, for every picture: after a change to "
        "images.specs (sizes, crops, RENDITION_VERSION), or to repair lost rendition files' rows."
    )

    def handle(self, *args, **options):
        made = deleted = 0
        for image in Image.objects.order_by("pk").iterator():
            image_made, image_deleted = sync_renditions(image)
            made, deleted = made + image_made, deleted + image_deleted
        self.stdout.write(f"{made} renditions made, {deleted} deleted.")

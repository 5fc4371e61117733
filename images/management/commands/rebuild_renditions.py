from django.core.management.base import BaseCommand

from images.models import Image
from images.renditions import make_renditions_for


class Command(BaseCommand):
    help = (
        "Makes missing renditions and deletes stale ones, for every picture: after a change to "
        "images.specs (sizes, crops, RENDITION_VERSION), to repair lost rendition files' rows, "
        "or to finish pictures whose job never ran or failed (#15)."
    )

    def handle(self, *args, **options):
        made = deleted = 0
        for pk in Image.objects.order_by("pk").values_list("pk", flat=True).iterator():
            image_made, image_deleted = make_renditions_for(pk) or (0, 0)
            made, deleted = made + image_made, deleted + image_deleted
        self.stdout.write(f"{made} renditions made, {deleted} deleted.")

"""Renditions: made once at save, right sizes and formats, never upscaled, rebuilt when the
file or focal point changes, and deleted with their image."""

from functools import partial

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase
from PIL import Image as PILImage

from images.models import Image, Rendition
from images.processing import crop_box
from images.tasks import make_renditions

from . import samples

pytestmark = pytest.mark.django_db


def sizes(image, spec, fmt):
    return [(r.width, r.height) for r in image.renditions_for(spec, fmt)]


class RenditionTests:
    @pytest.mark.slow
    def test_large_picture_gets_every_width_and_crop(self):
        image = samples.make_image(samples.jpeg((2000, 1500)))
        full = [(480, 360), (800, 600), (1200, 900), (1600, 1200)]
        assert sizes(image, "full", "webp") == sizes(image, "full", "jpeg") == full
        assert (
            sizes(image, "16:9", "jpeg")
            == sizes(image, "16x9", "webp")
            == [
                (320, 180),
                (600, 338),
                (800, 450),
                (1200, 675),
            ]
        )
        assert sizes(image, "4:3", "jpeg") == [(320, 240), (600, 450), (800, 600), (1200, 900)]
        assert sizes(image, "1:1", "webp") == [(160, 160), (320, 320), (600, 600), (1200, 1200)]
        assert sizes(image, "social", "jpeg") == [(1200, 630)]
        assert sizes(image, "social", "webp") == []
        for rendition in image.renditions.all():
            stored = samples.open_stored(rendition.file.name)
            assert stored.format == {"jpeg": "JPEG", "webp": "WEBP"}[rendition.format]
            assert stored.size == (rendition.width, rendition.height)
            assert stored.mode == "RGB"
            assert len(stored.getexif()) == 0 and "icc_profile" not in stored.info
            assert rendition.file.name.startswith(f"renditions/{image.pk}/")

    @pytest.mark.slow
    def test_small_picture_is_never_upscaled(self):
        image = samples.make_image(samples.jpeg((640, 400)))
        assert sizes(image, "full", "jpeg") == [(480, 300), (640, 400)]
        for rendition in image.renditions.all():
            assert rendition.width <= 640 and rendition.height <= 400
        assert sizes(image, "1:1", "jpeg") == [(160, 160), (320, 320), (400, 400)]
        assert sizes(image, "social", "jpeg") == [(640, 336)]
        assert image.crop("social").width == 640

    def test_tiny_picture_gets_one_width(self):
        image = samples.make_image(samples.png((120, 90)), name="icon.png")
        assert sizes(image, "full", "webp") == [(120, 90)]

    @pytest.mark.slow
    def test_transparent_png_keeps_alpha_in_webp_and_is_flattened_in_jpeg(self):
        image = samples.make_image(samples.png((640, 480)), name="graphic.png")
        webp = image.renditions_for("full", "webp")[-1]
        assert samples.open_stored(webp.file.name).mode == "RGBA"
        jpeg = image.renditions_for("full", "jpeg")[-1]
        assert samples.open_stored(jpeg.file.name).getpixel((0, 0)) == (255, 255, 255)

    @pytest.mark.slow
    def test_new_file_replaces_every_rendition_and_the_old_files(
        self, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            image = samples.make_image(samples.jpeg((1000, 800)))
        old_files = samples.stored_files()
        old_original = image.file.name
        with django_capture_on_commit_callbacks(execute=True):
            image.file = samples.upload("new.jpg", samples.jpeg((900, 900)))
            image.full_clean()
            image.save()
        image = Image.objects.get(pk=image.pk)  # as the job left it
        assert (image.width, image.height) == (900, 900)
        assert sizes(image, "full", "jpeg") == [(480, 480), (800, 800), (900, 900)]
        files = samples.stored_files()
        assert not files & old_files
        assert not default_storage.exists(old_original)
        assert files == {image.file.name} | {r.file.name for r in image.renditions.all()}

    @pytest.mark.slow
    def test_focal_point_change_rebuilds_only_the_crops(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            image = samples.make_image(samples.jpeg((1600, 900)))
        before = {r.pk: r for r in image.renditions.all()}
        with django_capture_on_commit_callbacks(execute=True):
            image.focal_x, image.focal_y = 0.9, 0.1
            image.save()
        after = {r.pk: r for r in image.renditions.all()}
        kept = before.keys() & after.keys()
        assert {after[pk].spec for pk in kept} == {"full", "16x9"}  # 16:9 is the whole picture
        replaced = [r for pk, r in before.items() if pk not in after]
        assert {r.spec for r in replaced} == {"4x3", "1x1", "social"}
        for rendition in replaced:
            assert not default_storage.exists(rendition.file.name)
        assert samples.stored_files() == {image.file.name} | {r.file.name for r in after.values()}

    @pytest.mark.slow
    def test_saving_again_does_no_image_work(self, django_assert_num_queries):
        image = samples.make_image()
        image.caption = "Changed"
        # savepoint, UPDATE, release: no job queued, not even a look at the renditions (#15)
        with django_assert_num_queries(3), TestCase.captureOnCommitCallbacks() as callbacks:
            image.save()
        queued = [c.args[0] for c in callbacks if isinstance(c, partial) and c.args]
        assert make_renditions not in queued

    @pytest.mark.slow
    def test_deleting_the_image_deletes_every_file(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            image = samples.make_image()
        assert len(samples.stored_files()) == 1 + image.renditions.count() > 1
        with django_capture_on_commit_callbacks(execute=True):
            image.delete()
        assert samples.stored_files() == set()
        assert not Rendition.objects.exists()

    @pytest.mark.slow
    def test_bulk_delete_deletes_every_file(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            samples.make_image()
            samples.make_image()
        with django_capture_on_commit_callbacks(execute=True):
            Image.objects.all().delete()
        assert samples.stored_files() == set()

    @pytest.mark.slow
    def test_rolled_back_delete_keeps_the_files(self, django_capture_on_commit_callbacks):
        image = samples.make_image()
        files = samples.stored_files()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            image.delete()
        assert callbacks  # the deletions wait for the commit...
        assert samples.stored_files() == files  # ...so nothing is gone yet

    @pytest.mark.slow
    def test_rebuild_command_makes_missing_renditions(self, capsys):
        image = samples.make_image()
        count = image.renditions.count()
        image.renditions.filter(spec="1x1").delete()
        call_command("rebuild_renditions")
        assert image.renditions.count() == count
        assert "renditions made" in capsys.readouterr().out


class CropTests:
    @pytest.mark.parametrize(
        ("size", "ratio", "focal", "box"),
        [
            ((2000, 1000), 1.0, (0.5, 0.5), (500, 0, 1500, 1000)),
            ((2000, 1000), 1.0, (0.6, 0.5), (700, 0, 1700, 1000)),
            ((2000, 1000), 1.0, (0.9, 0.5), (1000, 0, 2000, 1000)),  # stops at the edge
            ((2000, 1000), 1.0, (0.0, 0.0), (0, 0, 1000, 1000)),
            ((1000, 2000), 16 / 9, (0.5, 0.3), (0, 319, 1000, 881)),
            ((1000, 2000), 16 / 9, (0.5, 1.0), (0, 1438, 1000, 2000)),
        ],
    )
    def test_crop_box_is_centred_on_the_focal_point(self, size, ratio, focal, box):
        assert crop_box(size, ratio, focal) == box

    @pytest.mark.slow
    def test_square_crop_shows_the_subject_at_the_focal_point(self):
        """A green subject at 75% across a white picture is in the middle of the square."""
        picture = PILImage.new("RGB", (2000, 1000), "white")
        picture.paste("green", (1450, 450, 1550, 550))
        image = samples.make_image(
            samples.encode(picture, "PNG"), name="subject.png", focal_x=0.75, focal_y=0.5
        )
        square = samples.open_stored(image.renditions_for("1:1", "jpeg")[-1].file.name)
        assert square.size == (1000, 1000)
        red, green, blue = square.getpixel((500, 500))
        assert green > 100 and red < 60 and blue < 60
        # Centred (not merely included): white on both sides, at the same distance.
        assert square.getpixel((430, 500)) == square.getpixel((570, 500))
        assert min(square.getpixel((430, 500))) > 240

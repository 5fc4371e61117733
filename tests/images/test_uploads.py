"""What the upload check accepts and refuses, by content, through full_clean(), a ModelForm
and the admin's add page."""

import pytest
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import escape
from PIL import ExifTags, features

from images import processing
from images.models import Image
from tests.jobs import run_jobs

from . import samples

pytestmark = pytest.mark.django_db

ImageForm = modelform_factory(
    Image, fields=["file", "alt_text", "is_decorative", "caption", "credit", "focal_x", "focal_y"]
)
FORM_DATA = {
    "alt_text": "A red and blue test card",
    "caption": "",
    "credit": "",
    "focal_x": 0.5,
    "focal_y": 0.5,
}


def via_full_clean(name, content, content_type):
    image = Image(file=samples.upload(name, content, content_type), alt_text="Test card")
    try:
        image.full_clean()
    except ValidationError as error:
        return None, error.message_dict["file"]
    with run_jobs():  # the renditions job, once the save commits (#15)
        image.save()
    return image, []


def via_model_form(name, content, content_type):
    form = ImageForm(FORM_DATA, {"file": samples.upload(name, content, content_type)})
    if not form.is_valid():
        return None, form.errors["file"]
    with run_jobs():
        return form.save(), []


def via_admin(name, content, content_type, client):
    with run_jobs():
        response = client.post(
            reverse("admin:images_image_add"),
            {**FORM_DATA, "file": samples.upload(name, content, content_type)},
        )
    if response.status_code == 302:
        return Image.objects.get(), []
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    for message in errors:  # shown to the editor
        assert escape(message) in response.content.decode()
    return None, errors


@pytest.fixture(params=["full_clean", "model_form", "admin"])
def submit(request, admin_client_):
    if request.param == "admin":
        return lambda *args: via_admin(*args, admin_client_)
    return {"full_clean": via_full_clean, "model_form": via_model_form}[request.param]


ACCEPTED = [
    ("photo.jpg", lambda: samples.jpeg((640, 480)), "image/jpeg", "JPEG"),
    ("graphic.png", samples.png, "image/png", "PNG"),
    ("photo.webp", samples.webp, "image/webp", "WEBP"),
    ("animation.gif", samples.gif, "image/gif", "GIF"),
]
if features.check("avif"):
    ACCEPTED.append(("photo.avif", samples.avif, "image/avif", "AVIF"))


class AcceptedUploadTests:
    @pytest.mark.slow
    @pytest.mark.parametrize(("name", "make", "content_type", "fmt"), ACCEPTED)
    def test_accepted_formats_are_stored_with_renditions(
        self, submit, name, make, content_type, fmt
    ):
        image, errors = submit(name, make(), content_type)
        assert errors == []
        stored = samples.open_stored(image.file.name)
        assert stored.format == fmt
        assert (image.width, image.height) == stored.size == (640, 480)
        assert image.file.name.startswith("images/")
        assert image.renditions.filter(spec="full", format="webp").exists()
        assert samples.SECRET not in samples.read_stored(image.file.name)

    def test_an_animated_gif_keeps_its_first_frame(self, submit):
        image, errors = submit("animation.gif", samples.gif(), "image/gif")
        stored = samples.open_stored(image.file.name)
        assert not getattr(stored, "is_animated", False)
        assert stored.convert("RGB").getpixel((10, 10)) == (255, 0, 0)

    @pytest.mark.slow
    def test_a_jpeg_named_png_is_stored_as_jpg(self, submit):
        image, errors = submit("actually-a-jpeg.png", samples.jpeg(), "image/png")
        assert errors == []
        assert image.file.name.endswith(f"/actually-a-jpeg-{image.file_hash[:16]}.jpg")
        assert samples.open_stored(image.file.name).format == "JPEG"

    @pytest.mark.slow
    def test_the_stored_name_cannot_be_guessed_from_the_upload_name(self, submit):
        # Media is served by name; a picture of an unpublished story must not be found by
        # guessing "merger.jpg".
        image, errors = submit("merger.jpg", samples.jpeg(), "image/jpeg")
        assert errors == []
        assert image.file.name != f"images/{image.created_at:%Y/%m}/merger.jpg"
        assert len(image.file_hash) == 64 and image.file_hash[:16] in image.file.name

    def test_sideways_jpeg_is_stored_upright_without_metadata(self, submit):
        image, errors = submit("sideways.jpg", samples.jpeg_with_metadata((300, 200)), "image/jpeg")
        assert errors == []
        assert (image.width, image.height) == (200, 300)
        stored = samples.open_stored(image.file.name)
        assert stored.size == (200, 300)
        # The red left half of the sensor is the top of the upright picture.
        red, green, blue = stored.getpixel((100, 20))
        assert red > 200 and blue < 50
        red, green, blue = stored.getpixel((100, 280))
        assert blue > 200 and red < 50
        self.assert_no_metadata(image.file.name)
        for rendition in image.renditions.all():
            self.assert_no_metadata(rendition.file.name)

    @staticmethod
    def assert_no_metadata(name):
        content = samples.read_stored(name)
        assert samples.SECRET not in content
        assert b"Exif\x00\x00" not in content and b"xmpmeta" not in content
        stored = samples.open_stored(name)
        exif = stored.getexif()
        assert len(exif) == 0
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(stored.info)


REFUSED = [
    ("script.svg", lambda: samples.SVG, "image/svg+xml", processing.NOT_AN_IMAGE),
    ("page.png", lambda: samples.HTML, "image/png", processing.NOT_AN_IMAGE),
    ("notes.png", lambda: b"", "image/png", None),  # Django's own "empty file" message
    ("cut-off.jpg", samples.truncated_jpeg, "image/jpeg", processing.DAMAGED),
    ("bomb.png", lambda: samples.png_claiming(100_000, 100_000), "image/png", "megapixels"),
    # Between Pillow's limit (ours) and twice that, Pillow only warns: we refuse.
    ("bomb.png", lambda: samples.png_claiming(8_000, 6_000), "image/png", "megapixels"),
]


class RefusedUploadTests:
    @pytest.mark.parametrize(("name", "make", "content_type", "message"), REFUSED)
    def test_refused(self, submit, name, make, content_type, message):
        image, errors = submit(name, make(), content_type)
        assert image is None and len(errors) == 1
        if message:
            assert message in errors[0]
        assert not Image.objects.exists()
        assert samples.stored_files() == set()

    def test_too_many_pixels(self, submit, settings):
        settings.IMAGES_MAX_PIXELS = 1_000_000
        image, errors = submit("wide.png", samples.empty_png((2000, 1000)), "image/png")
        assert image is None and len(errors) == 1
        assert "the limit is 1.0 megapixels" in errors[0]
        assert "Upload a smaller version" in errors[0]

    def test_pixel_limit_is_checked_even_above_pillows_own(self, monkeypatch):
        """Our check does not depend on Pillow's process-wide limit."""
        monkeypatch.setattr(processing.PILImage, "MAX_IMAGE_PIXELS", 10**12)
        monkeypatch.setattr(processing, "max_pixels", lambda: 1_000_000)
        image, errors = via_full_clean("wide.png", samples.empty_png((2000, 1000)), "image/png")
        assert errors == [
            "This image is 2,000 × 1,000 pixels (2.0 megapixels); the limit is 1.0 megapixels. "
            "Upload a smaller version."
        ]

    def test_too_many_bytes(self, submit, settings):
        settings.IMAGES_MAX_UPLOAD_BYTES = 5_000
        content = samples.jpeg((800, 600))
        assert len(content) > 5_000
        image, errors = submit("big.jpg", content, "image/jpeg")
        assert image is None
        assert errors == [
            f"This file is {filesizeformat(len(content))}; images can be at most "
            f"{filesizeformat(5_000)}. "
            "Upload a smaller version."
        ]

    def test_pillow_limits_are_set(self, settings):
        assert processing.PILImage.MAX_IMAGE_PIXELS == 40_000_000
        settings.IMAGES_MAX_PIXELS = 5_000_000
        assert processing.PILImage.MAX_IMAGE_PIXELS == 5_000_000
        assert processing.ImageFile.LOAD_TRUNCATED_IMAGES is False

    def test_save_without_full_clean_still_refuses(self):
        """Scripts and imports that skip validation cannot store an unchecked file."""
        with pytest.raises(ValidationError):
            Image(file=samples.upload("page.png", samples.HTML)).save()
        assert not Image.objects.exists()

    def test_form_field_tells_the_browser_what_to_offer(self):
        assert 'accept="image/jpeg,image/png,image/webp,image/gif' in str(ImageForm()["file"])

    @pytest.mark.slow
    def test_editing_the_caption_does_not_reread_the_original(self, monkeypatch):
        image = samples.make_image()
        renditions = set(image.renditions.values_list("pk", flat=True))

        def fail(*args, **kwargs):
            raise AssertionError("The original was read again.")

        monkeypatch.setattr(processing, "open_image", fail)
        form = ImageForm({**FORM_DATA, "caption": "New caption"}, instance=image)
        assert form.is_valid(), form.errors
        form.save()
        image.refresh_from_db()
        assert image.caption == "New caption"
        assert set(image.renditions.values_list("pk", flat=True)) == renditions

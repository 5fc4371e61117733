import pytest
from django.contrib import admin
from django.urls import reverse

from images.admin import ImageAdmin
from images.models import Image
from tests.jobs import run_jobs

from . import samples

pytestmark = pytest.mark.django_db


class ImageAdminTests:
    @pytest.mark.slow
    def test_list_shows_thumbnails_and_searches(self, admin_client_):
        wanted = samples.make_image(alt_text="A fire engine", credit="Jane Doe/Reuters")
        samples.make_image(alt_text="A cat", credit="AP")
        response = admin_client_.get(reverse("admin:images_image_changelist"), {"q": "reuters"})
        assert list(response.context["cl"].result_list) == [wanted]
        page = response.content.decode()
        assert wanted.version("full", "jpeg", near=480).url in page
        for term in ("fire engine", "Jane Doe"):
            response = admin_client_.get(reverse("admin:images_image_changelist"), {"q": term})
            assert list(response.context["cl"].result_list) == [wanted]

    def test_search_fields_allow_autocomplete_elsewhere(self):
        assert set(admin.site._registry[Image].search_fields) >= {"alt_text", "caption", "credit"}
        assert isinstance(admin.site._registry[Image], ImageAdmin)

    @pytest.mark.slow
    def test_change_page_previews_the_picture_and_its_crops(self, admin_client_):
        image = samples.make_image(samples.jpeg((1600, 1200)), alt_text="A fire engine")
        page = admin_client_.get(reverse("admin:images_image_change", args=[image.pk]))
        html = page.content.decode()
        assert image.version("full", "jpeg", near=800).url in html
        for name, label in [("16x9", "16:9"), ("4x3", "4:3"), ("1x1", "1:1"), ("social", "Social")]:
            assert image.crop(name).url in html
            assert label in html
        assert "Where the subject is, from 0 (left edge) to 1 (right edge)" in html

    def test_add_page_explains_the_preview(self, admin_client_):
        page = admin_client_.get(reverse("admin:images_image_add"))
        assert "Shown once the picture is saved." in page.content.decode()

    @pytest.mark.slow
    def test_changing_the_focal_point_in_the_admin_rebuilds_crops(self, admin_client_):
        image = samples.make_image(samples.jpeg((1600, 1200)), alt_text="A fire engine")
        square = image.crop("1:1").url
        with run_jobs():
            response = admin_client_.post(
                reverse("admin:images_image_change", args=[image.pk]),
                {
                    "alt_text": "A fire engine",
                    "caption": "",
                    "credit": "",
                    "focal_x": "0.1",
                    "focal_y": "0.5",
                },
            )
        assert response.status_code == 302
        image = Image.objects.get(pk=image.pk)
        assert image.focal_x == 0.1
        assert image.crop("1:1").url != square

    @pytest.mark.slow
    def test_delete_in_the_admin_removes_the_files(
        self, admin_client_, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            image = samples.make_image()
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client_.post(
                reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"}
            )
        assert response.status_code == 302
        assert samples.stored_files() == set()

"""Pictures served by the app itself (#16): a production start on one machine shows them; only
files under MEDIA_ROOT, with a picture's type or as a download, nosniff, long lifetimes for
renditions, 304s; and `check --deploy` warns when nothing serves them."""

import os

import pytest
from django.core import checks
from django.test import override_settings

from images.models import Rendition
from newsroom import media
from tests.images.samples import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture():
    """An uploaded picture with its renditions, as the admin saves one."""
    return make_image(alt_text="A harbour crane at dusk")


def read(response):
    """The file's bytes; reading to the end closes it (the test client's doing)."""
    return b"".join(response.streaming_content)


def put(settings, name, content=b"x" * 100):
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


class PictureTests:
    def test_a_rendition_is_a_picture_kept_for_a_year(self, client, picture):
        rendition = Rendition.objects.filter(image=picture, format="webp").first()
        url = rendition.file.url
        assert url.startswith("/media/renditions/")
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline;")
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert cache_control == {"public", "max-age=31536000", "immutable"}
        assert response["ETag"] and response["Last-Modified"]
        assert response["Content-Security-Policy"]  # The site's headers, as on every page.
        with rendition.file.open("rb") as stored:
            assert read(response) == stored.read()

    def test_an_original_whose_name_can_come_back_is_kept_an_hour(self, client, picture):
        response = client.get(picture.file.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "public, max-age=3600"
        read(response)

    def test_304_when_the_readers_copy_is_current(self, client, picture):
        url = picture.file.url
        first = client.get(url)
        read(first)
        again = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304 and again["ETag"] == first["ETag"]
        assert "max-age=3600" in again["Cache-Control"]
        since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert since.status_code == 304
        changed = client.get(url, headers={"if-none-match": '"other"'})
        assert changed.status_code == 200
        read(changed)

    def test_head_and_no_other_method(self, client, picture):
        head = client.head(picture.file.url)
        assert head.status_code == 200
        assert head["Content-Type"] == "image/jpeg"
        assert int(head["Content-Length"]) == picture.file.size
        read(head)
        assert client.post(picture.file.url).status_code == 405

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("images/photo.PNG", "image/png"),
            ("images/a.gif", "image/gif"),
            ("images/a.jpeg", "image/jpeg"),
            ("images/a.avif", "image/avif"),
        ],
    )
    def test_each_picture_type(self, client, settings, name, expected):
        put(settings, name)
        response = client.get(f"/media/{name}")
        assert response["Content-Type"] == expected
        read(response)

    @pytest.mark.parametrize("name", ["notes.html", "drawing.svg", "script.js", "README"])
    def test_any_other_file_is_a_download_never_a_page(self, client, settings, name):
        put(settings, f"files/{name}", b"<script>alert(1)</script>" * 30)
        response = client.get(f"/media/files/{name}", headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "Content-Encoding" not in response
        read(response)


class NotFoundTests:
    @pytest.mark.parametrize(
        "path",
        [
            "/media/",
            "/media/images/",
            "/media/images",
            "/media/renditions/",
            "/media/../secret.jpg",
            "/media/images/../../secret.jpg",
            "/media/%2e%2e/secret.jpg",
            "/media/..%2fsecret.jpg",
            "/media/images/..%5c..%5csecret.jpg",
            "/media//etc/passwd",
            "/media/{outside}",
            "/media/images/.hidden.jpg",
            "/media/images/missing.jpg",
            "/media/images\\photo.jpg",
            "/media/outside.jpg",
        ],
    )
    def test_folders_hidden_files_and_paths_out_of_media_root(self, client, settings, path):
        put(settings, "images/photo.jpg")
        put(settings, "images/.hidden.jpg")
        outside = settings.MEDIA_ROOT.parent / "secret.jpg"
        outside.write_bytes(b"classified bytes")
        os.symlink(outside, settings.MEDIA_ROOT / "outside.jpg")
        response = client.get(path.format(outside=str(outside).lstrip("/")))
        assert response.status_code == 404, path
        assert b"classified bytes" not in response.content
        control = client.get("/media/images/photo.jpg")
        assert control.status_code == 200 and read(control)  # The control.


class ConfigurationTests:
    def test_off_or_with_s3_the_app_has_no_media_route(self, settings):
        assert media.urlpatterns()
        settings.NEWSROOM_SERVE_MEDIA = False
        assert media.urlpatterns() == []
        settings.NEWSROOM_SERVE_MEDIA = True
        settings.MEDIA_URL = "https://media.example.org/"
        assert media.urlpatterns() == []

    @pytest.mark.parametrize(
        ("overrides", "warned"),
        [
            ({}, False),
            ({"NEWSROOM_SERVE_MEDIA": False}, True),
            ({"NEWSROOM_SERVE_MEDIA": False, "NEWSROOM_S3_BUCKET": "pictures"}, False),
            ({"NEWSROOM_SERVE_MEDIA": False, "MEDIA_URL": "https://media.example.org/"}, False),
        ],
    )
    def test_check_deploy_warns_when_nothing_serves_the_pictures(self, overrides, warned):
        with override_settings(**overrides):
            found = checks.run_checks(include_deployment_checks=True, tags=["security"])
        assert ("newsroom.W003" in {problem.id for problem in found}) is warned

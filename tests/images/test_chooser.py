"""The picture chooser's views, the lead-picture field and "Used in" (#14)."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from images.models import Image
from tests.factories import (
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
    UserFactory,
)
from tests.jobs import run_jobs

from . import samples
from .test_metadata import jpeg_with

pytestmark = pytest.mark.django_db

BROWSE = "admin:images_image_chooser"
UPLOAD = "admin:images_image_chooser_upload"
CREDIT = "admin:images_image_chooser_credit"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor_client(client):
    client.force_login(EditorFactory())
    return client


def picture(**fields) -> Image:
    """A small picture: few renditions to make, so the tests stay quick."""
    return samples.make_image(samples.jpeg((160, 120)), **fields)


def picked(response) -> list[dict]:
    """The pictures a page of the chooser offers, as the dialog reads them."""
    html = response.content.decode()
    return [
        json.loads(value.replace("&quot;", '"').replace("&amp;", "&"))
        for value in re.findall(r'data-picture="([^"]*)"', html)
    ]


class BrowseTests:
    def test_thumbnails_newest_first_with_what_the_editor_needs(self, editor_client):
        older = picture(alt_text="A tram", credit="Jo Bloggs")
        newer = picture(is_decorative=True, caption="A texture")
        response = editor_client.get(reverse(BROWSE))
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"]
        found = picked(response)
        assert [entry["id"] for entry in found] == [newer.pk, older.pk]
        assert found[1]["alt"] == "A tram" and found[1]["credit"] == "Jo Bloggs"
        assert found[0]["alt"] == "" and found[0]["is_decorative"] is True
        assert found[1]["thumbnail"] == older.version("full", "jpeg", near=480).url
        assert older.version("full", "jpeg", near=480).url in response.content.decode()

    @pytest.mark.parametrize("term", ["fire engine", "reuters", "hillside"])
    def test_search_over_alt_text_credit_and_caption(self, editor_client, term):
        wanted = picture(
            alt_text="A fire engine", credit="Jane Doe/Reuters", caption="On the hillside."
        )
        picture(alt_text="A cat", credit="AP")
        response = editor_client.get(reverse(BROWSE), {"q": term})
        assert [entry["id"] for entry in picked(response)] == [wanted.pk]
        assert "1 picture matches" in response.content.decode()

    def test_user_content_is_escaped(self, editor_client):
        picture(alt_text='<script>alert(1)</script>"', credit="<b>AP</b>")
        html = editor_client.get(reverse(BROWSE)).content.decode()
        assert "<script>alert" not in html and "<b>AP" not in html
        assert "&lt;script&gt;" in html

    def test_pages_and_a_fixed_number_of_queries(self, editor_client, settings):
        picture()
        picture()

        def queries():
            with CaptureQueriesContext(connection) as captured:
                assert editor_client.get(reverse(BROWSE)).status_code == 200
            return len(captured)

        few = queries()
        for _ in range(6):
            picture()
        assert queries() == few

    @pytest.mark.parametrize("page", ["abc", "999", "-1", "0"])
    def test_bad_page_numbers_are_no_error(self, editor_client, page):
        picture()
        assert editor_client.get(reverse(BROWSE), {"page": page}).status_code == 200

    def test_post_is_not_allowed(self, editor_client):
        assert editor_client.post(reverse(BROWSE)).status_code == 405


class UploadTests:
    def post(self, client, content=None, **fields):
        data = {"alt_text": "Cranes at dawn", "caption": "", "credit": "", **fields}
        if content is not None:
            data["file"] = samples.upload("cranes.jpg", content)
        with run_jobs():  # the renditions job, once the upload commits (#15)
            return client.post(reverse(UPLOAD), data)

    def test_a_picture_is_stored_cleaned_with_renditions(self, editor_client):
        response = self.post(editor_client, samples.jpeg_with_metadata(), credit="Me")
        assert response.status_code == 201
        data = response.json()
        image = Image.objects.get(pk=data["id"])
        assert (data["alt"], data["credit"]) == ("Cranes at dawn", "Me")
        # The answer came before the job made the renditions (#15): no thumbnail yet, and
        # never the original's address.
        assert data["processing"] and data["thumbnail"] == ""
        assert image.file.url not in response.content.decode()
        assert image.is_ready
        assert samples.SECRET not in samples.read_stored(image.file.name)
        assert image.renditions.exists()
        assert data["edit_url"] == reverse("admin:images_image_change", args=[image.pk])

    def test_alt_text_is_required_unless_decorative(self, editor_client):
        response = self.post(editor_client, samples.jpeg(), alt_text="  ")
        assert response.status_code == 400
        assert "alt_text" in response.json()["errors"]
        assert not Image.objects.exists()
        response = self.post(editor_client, samples.jpeg(), alt_text="", is_decorative="on")
        assert response.status_code == 201

    def test_decorative_with_alt_text_is_refused_as_the_model_says(self, editor_client):
        response = self.post(editor_client, samples.jpeg(), is_decorative="on")
        assert response.status_code == 400
        assert "decorative" in response.json()["errors"]["alt_text"][0]["message"]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (samples.SVG, "not a JPEG, PNG, WebP or GIF"),
            (samples.truncated_jpeg(), "damaged or incomplete"),
            (b"", "empty"),
        ],
    )
    def test_the_librarys_own_validation_refuses_bad_files(self, editor_client, content, message):
        response = self.post(editor_client, content)
        assert response.status_code == 400
        assert message in response.json()["errors"]["file"][0]["message"]
        assert not Image.objects.exists()

    def test_no_file(self, editor_client):
        response = self.post(editor_client)
        assert response.status_code == 400
        assert response.json()["errors"]["file"][0]["code"] == "required"

    def test_too_many_bytes(self, editor_client, settings):
        settings.IMAGES_MAX_UPLOAD_BYTES = 1000
        response = self.post(editor_client, samples.jpeg())
        assert response.status_code == 400
        assert "at most" in response.json()["errors"]["file"][0]["message"]

    def test_get_is_not_allowed(self, editor_client):
        assert editor_client.get(reverse(UPLOAD)).status_code == 405

    def test_the_upload_is_logged(self, editor_client):
        from django.contrib.admin.models import LogEntry

        image_id = self.post(editor_client, samples.jpeg()).json()["id"]
        assert LogEntry.objects.filter(object_id=str(image_id)).count() == 1


class CreditTests:
    def test_the_credit_in_the_files_metadata(self, editor_client):
        content = jpeg_with(artist="Jane Doe", copyright="© Reuters".encode())
        response = editor_client.post(reverse(CREDIT), {"file": samples.upload("a.jpg", content)})
        assert response.json() == {"credit": "Jane Doe/Reuters"}
        assert not Image.objects.exists()

    def test_a_file_without_one_or_no_file(self, editor_client):
        response = editor_client.post(reverse(CREDIT), {"file": samples.upload("a", b"junk")})
        assert response.json() == {"credit": ""}
        assert editor_client.post(reverse(CREDIT)).status_code == 400


class PermissionTests:
    def test_reporters_browse_and_add_pictures(self, client):
        client.force_login(ReporterFactory())
        assert client.get(reverse(BROWSE)).status_code == 200
        response = client.post(
            reverse(UPLOAD), {"file": samples.upload("a.jpg", samples.jpeg()), "alt_text": "A"}
        )
        assert response.status_code == 201

    @pytest.mark.parametrize("name", [BROWSE, UPLOAD, CREDIT])
    def test_staff_without_the_librarys_permissions_are_refused(self, client, name):
        client.force_login(UserFactory(is_staff=True))
        method = client.get if name == BROWSE else client.post
        assert method(reverse(name)).status_code == 403
        assert not Image.objects.exists()

    @pytest.mark.parametrize("name", [BROWSE, UPLOAD, CREDIT])
    def test_anonymous_go_to_the_login(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/login/" in response["Location"]


class LeadPictureFieldTests:
    def test_the_story_form_shows_the_chosen_picture_and_no_autocomplete(self, editor_client):
        image = picture(alt_text="The quay", credit="Jo Bloggs")
        story = DraftArticleFactory(lead_image=image)
        html = editor_client.get(
            reverse("admin:articles_article_change", args=[story.pk])
        ).content.decode()
        assert f'name="lead_image" value="{image.pk}"' in html
        assert image.version("full", "jpeg", near=480).url in html
        assert "Photo: Jo Bloggs" in html
        assert "js/image-chooser.js" in html
        assert 'data-browse-url="/admin/images/image/chooser/"' in html
        assert "images/image/autocomplete" not in html
        assert 'id="id_lead_image" class="admin-autocomplete' not in html


class UsedInTests:
    def test_stories_using_it_as_lead_or_in_the_body_and_author_portraits(self, client):
        from tests.factories import AuthorFactory

        editor = EditorFactory()
        client.force_login(editor)
        image = picture(alt_text="The quay")
        lead = PublishedArticleFactory(headline="Lead <story>", lead_image=image)
        body = DraftArticleFactory(
            headline="Body story",
            body=f'<p>x</p><figure data-image="{image.pk}"><figcaption>c</figcaption></figure>',
        )
        # Not this picture: another id that starts with the same digits.
        DraftArticleFactory(headline="Other", body=f'<figure data-image="{image.pk}0"></figure>')
        AuthorFactory(name="Ann Ames", photo=image)
        html = client.get(reverse("admin:images_image_change", args=[image.pk])).content.decode()
        assert "Used in" in html
        assert "Lead picture: <a href=" in html and "Lead &lt;story&gt; (published)" in html
        assert "In the body: <a href=" in html and "Body story (draft)" in html
        assert "Other" not in html
        assert "Author’s portrait" in html or "Author&#x27;s portrait" in html
        assert reverse("admin:articles_article_change", args=[body.pk]) in html
        assert reverse("admin:articles_article_change", args=[lead.pk]) in html

    def test_reporters_are_not_told_of_other_reporters_drafts(self, client):
        image = picture(alt_text="The quay")
        DraftArticleFactory(headline="Secret merger", lead_image=image)
        client.force_login(ReporterFactory())
        html = client.get(reverse("admin:images_image_change", args=[image.pk])).content.decode()
        assert "Secret merger" not in html
        assert "Not used in any story" in html

    def test_unused(self, editor_client):
        image = picture(alt_text="The quay")
        html = editor_client.get(
            reverse("admin:images_image_change", args=[image.pk])
        ).content.decode()
        assert "Not used in any story" in html


class LibraryGridTests:
    def test_the_list_is_a_grid_of_thumbnails_with_a_fixed_number_of_queries(self, editor_client):
        picture(alt_text="A tram")

        def page():
            with CaptureQueriesContext(connection) as captured:
                response = editor_client.get(reverse("admin:images_image_changelist"))
            return response, len(captured)

        response, few = page()
        assert 'class="image-grid"' in response.content.decode()
        for _ in range(4):
            picture()
        response, many = page()
        assert many == few
        assert response.content.decode().count('class="image-grid__item"') == 5

    def test_the_change_page_sets_the_focal_point_by_clicking(self, editor_client):
        image = picture(alt_text="A tram", focal_x=0.25, focal_y=0.75)
        html = editor_client.get(
            reverse("admin:images_image_change", args=[image.pk])
        ).content.decode()
        assert 'class="focal-picker"' in html and 'data-focal-x="0.25"' in html
        assert "js/image-library.js" in html
        assert 'id="id_focal_x"' in html  # the numbers stay, for the keyboard and exact values

"""Renditions made by a job, not in the editor's request (#15).

These tests run the real database backend with no worker, so the upload's answer is seen as an
editor sees it (the picture processing), then run the worker (`db_worker --batch`, as
`make run` does, in this process) and see the picture ready. They commit for real
(transaction=True): the job is queued once the upload commits.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import services
from images.models import Image
from images.renditions import make_renditions_for
from images.tasks import make_renditions
from tests.factories import DraftArticleFactory, EditorFactory, PublishedArticleFactory

from . import samples

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
FORM = {"alt_text": "Cranes at dawn", "caption": "", "credit": "", "focal_x": 0.5, "focal_y": 0.5}


@pytest.fixture
def database_queue(settings):
    """The production backend, and no worker until the test runs one."""
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def editor_client(client):
    client.force_login(EditorFactory(is_superuser=True))
    return client


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def upload(client, **fields):
    response = client.post(
        reverse("admin:images_image_add"),
        {**FORM, "file": samples.upload("cranes.jpg", samples.jpeg((1600, 1000)))} | fields,
    )
    assert response.status_code == 302
    return Image.objects.latest("pk")


class UploadTests:
    def test_the_upload_returns_before_the_renditions_exist(self, database_queue, editor_client):
        image = upload(editor_client)
        # Checked, cleaned and stored in the request; the renditions are a job for later.
        assert image.is_processing and image.file_hash and image.width == 1600
        assert not image.renditions.exists()
        assert DBTaskResult.objects.get().task_path.endswith("make_renditions")
        run_worker()
        image.refresh_from_db()
        assert image.is_ready and image.renditions_ready_at is not None
        assert image.renditions.filter(spec="full", format="webp").exists()
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    def test_a_bad_file_is_still_refused_in_the_request(self, database_queue, editor_client):
        response = editor_client.post(
            reverse("admin:images_image_add"),
            {**FORM, "file": samples.upload("page.jpg", samples.truncated_jpeg())},
        )
        assert response.status_code == 200
        assert "damaged or incomplete" in response.content.decode()
        assert not Image.objects.exists() and not DBTaskResult.objects.exists()

    def test_the_chooser_upload_answers_processing(self, database_queue, editor_client):
        response = editor_client.post(
            reverse("admin:images_image_chooser_upload"),
            {"alt_text": "Cranes", "file": samples.upload("c.jpg", samples.jpeg())},
        )
        assert response.status_code == 201
        data = response.json()
        assert data["processing"] and data["thumbnail"] == "" and data["status"] == "processing"
        image = Image.objects.get(pk=data["id"])
        assert image.file.url not in response.content.decode()


class ProcessingInTheAdminTests:
    def test_library_chooser_and_lead_picture_field_say_processing(
        self, database_queue, editor_client
    ):
        image = upload(editor_client)
        status_url = reverse("admin:images_image_chooser_status")
        placeholder = f'data-picture-processing="{image.pk}" data-status-url="{status_url}"'
        grid = editor_client.get(reverse("admin:images_image_changelist")).content.decode()
        assert placeholder in grid and "Processing…" in grid
        assert image.file.url not in grid
        dialog = editor_client.get(reverse("admin:images_image_chooser")).content.decode()
        assert placeholder in dialog
        page = editor_client.get(reverse("admin:images_image_change", args=[image.pk]))
        assert "Processing: the sizes and crops are being made" in page.content.decode()
        story = DraftArticleFactory(lead_image=image)
        form = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
        html = form.content.decode()
        assert 'class="picture-pending image-field__processing is-processing"' in html
        assert f'data-status-url="{status_url}"' in html

        answer = editor_client.get(status_url, {"ids": f"{image.pk},999999"}).json()
        assert [(p["id"], p["processing"], p["thumbnail"]) for p in answer["pictures"]] == [
            (image.pk, True, "")
        ]
        run_worker()
        (picture,) = editor_client.get(status_url, {"ids": str(image.pk)}).json()["pictures"]
        assert not picture["processing"] and picture["thumbnail"].startswith("/media/renditions/")
        grid = editor_client.get(reverse("admin:images_image_changelist")).content.decode()
        assert "data-picture-processing" not in grid

    @pytest.mark.parametrize("ids", ["", "a", "1,,x", ",".join(["1"] * 101), "9" * 40])
    def test_the_status_address_refuses_bad_ids(self, editor_client, ids):
        response = editor_client.get(reverse("admin:images_image_chooser_status"), {"ids": ids})
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert response.json() == {"pictures": []}


class PublishingTests:
    def test_a_story_waits_for_its_pictures(self, database_queue, editor_client):
        lead, inside = upload(editor_client), upload(editor_client, alt_text="A crane")
        body = f'<p>Words.</p><figure data-image="{inside.pk}"><img src="" alt=""></figure>'
        story = DraftArticleFactory(lead_image=lead, body=body)
        editor = EditorFactory()
        with pytest.raises(ValidationError) as refused:
            services.article_publish(article=story, by=editor)
        message = " ".join(refused.value.messages)
        assert f"the picture “{lead}” is still being processed" in message
        assert f"the picture “{inside}” is still being processed" in message
        assert "Publish once the picture" in message
        story.refresh_from_db()
        assert not story.is_published()
        # Saving and sending it to review are not held up.
        services.article_transition(article=story, by=editor, name="submit")
        run_worker()
        services.article_publish(article=story, by=editor)
        story.refresh_from_db()
        assert story.is_published()

    def test_the_admin_says_why(self, database_queue, editor_client):
        from tests.articles.test_admin import story_form
        from tests.factories import AuthorFactory

        image = upload(editor_client)
        story = DraftArticleFactory(lead_image=image)
        data = story_form((AuthorFactory(), 0), article=story, lead_image=str(image.pk))
        response = editor_client.post(
            reverse("admin:articles_article_change", args=[story.pk]),
            {**data, "_publish": "Save and publish now"},
            follow=True,
        )
        html = response.content.decode()
        assert "still being processed" in html
        story.refresh_from_db()
        assert not story.is_published()


class ReadersTests:
    def test_a_live_storys_new_picture_file_never_reaches_readers(
        self, database_queue, editor_client, client
    ):
        image = upload(editor_client)
        run_worker()
        image.refresh_from_db()
        body = f'<p>Words.</p><figure data-image="{image.pk}"><img src="" alt=""></figure>'
        story = PublishedArticleFactory(lead_image=image, body=body)
        # A new file for the picture: processing again, the old renditions not its own.
        response = editor_client.post(
            reverse("admin:images_image_change", args=[image.pk]),
            {**FORM, "file": samples.upload("new.jpg", samples.jpeg((1200, 900)))},
        )
        assert response.status_code == 302
        image.refresh_from_db()
        assert image.is_processing
        pages = [
            client.get(story.get_absolute_url()),
            client.get("/"),
            client.get(reverse("feed")),
            client.get(reverse("feed-atom")),
        ]
        for page in pages:
            html = page.content.decode()
            assert page.status_code == 200
            assert image.file.url not in html and "/media/images/" not in html
            assert "/media/renditions/" not in html
        detail = pages[0].content.decode()
        data = json.loads(detail.split('type="application/ld+json">')[1].split("</script>")[0])
        # Until the picture is ready, the story's JSON-LD names the site's default card (#16).
        assert "/media/" not in json.dumps(data["image"])
        assert "brand/" in json.dumps(data["image"])
        run_worker()
        html = client.get(story.get_absolute_url()).content.decode()
        assert "/media/renditions/" in html and image.file.url not in html


class JobTests:
    def test_running_twice_or_after_deletion_is_harmless(self):
        image = samples.make_image(samples.jpeg((800, 600)))
        renditions = set(image.renditions.values_list("signature", flat=True))
        assert make_renditions_for(image.pk, image.file_hash) == (0, 0)
        assert set(image.renditions.values_list("signature", flat=True)) == renditions
        stale = make_renditions.enqueue(image_id=image.pk, file_hash="stale")
        assert stale.status == "SUCCESSFUL" and stale.return_value is None
        pk = image.pk
        image.delete()
        gone = make_renditions.enqueue(image_id=pk, file_hash="")
        assert gone.status == "SUCCESSFUL" and gone.return_value is None

    def test_a_failure_is_recorded_on_the_picture_and_a_new_save_retries(
        self, database_queue, editor_client, monkeypatch
    ):
        from images import renditions

        image = upload(editor_client)

        def broken(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(renditions.processing, "encode_rendition", broken)
        run_worker()
        image.refresh_from_db()
        assert image.has_failed and image.renditions_error == "disk full"
        assert not image.renditions.exists()
        # The attempt failed, and the job waits to be tried again after a backoff.
        failed, again = DBTaskResult.objects.order_by("enqueued_at")
        assert failed.status == "FAILED" and "disk full" in failed.traceback
        assert again.status == "READY" and again.run_after > timezone.now()
        page = editor_client.get(reverse("admin:images_image_change", args=[image.pk]))
        assert "Failed: disk full" in page.content.decode()

        monkeypatch.undo()
        image.save()  # the editor saves it again
        image.refresh_from_db()
        assert image.is_processing
        run_worker()
        image.refresh_from_db()
        assert image.is_ready and image.renditions_error == ""

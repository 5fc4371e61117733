"""A picture uploaded while writing is "processing" until its renditions exist, and turns into
its thumbnail without a reload once the job has run (#15). The queue is the database backend
with no worker running, as on a site whose worker is slow or stopped; the test then runs the
worker itself."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from images.models import Image
from tests.browser.helpers import drop_file, log_in
from tests.factories import DraftArticleFactory, EditorFactory
from tests.images.samples import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _queue(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_the_lead_picture_field_shows_processing_until_the_job_has_run(
    live_server, browser, tmp_path
):
    story = DraftArticleFactory(headline="Dockers strike")
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()

    drop_file(page, "[data-image-field]", jpeg((1600, 1000)), name="dockers.jpg")
    dialog = page.get_by_role("dialog", name="Upload a picture")
    dialog.get_by_label("Alt text (required)").fill("Dockers on the picket line")
    dialog.get_by_role("button", name="Upload and use").click()
    expect(dialog).to_be_hidden()

    field = page.get_by_role("group", name="Lead image")
    processing = field.locator(".image-field__processing")
    expect(processing).to_be_visible()
    expect(processing).to_have_text("Processing…")
    expect(field.locator("img")).to_be_hidden()
    image = Image.objects.get()
    assert image.is_processing and not image.renditions.exists()
    field.screenshot(path=tmp_path / "lead-processing.png")

    # Saved, not published: the editor is told why.
    page.get_by_role("button", name="Save and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("is still being processed")
    assert not Article.objects.get(pk=story.pk).is_published()

    run_worker()
    field = page.get_by_role("group", name="Lead image")
    expect(field.locator("img")).to_have_attribute(
        "src", Image.objects.get().version(near=480).url, timeout=15000
    )
    expect(field.locator(".image-field__processing")).to_be_hidden()
    field.screenshot(path=tmp_path / "lead-ready.png")
    context.close()


def test_the_library_grid_turns_processing_into_the_thumbnail(live_server, browser, tmp_path):
    context, page = log_in(browser, live_server, EditorFactory(is_superuser=True))
    page.goto(f"{live_server.url}/admin/images/image/add/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "cranes.jpg", "mimeType": "image/jpeg", "buffer": jpeg((1200, 800))}],
    )
    page.get_by_label("Alt text").fill("Cranes at dawn")
    page.get_by_role("button", name="Save", exact=True).click()
    grid = page.get_by_role("list", name="Pictures")
    expect(grid.locator(".picture-pending")).to_have_text("Processing…")
    expect(grid.locator("img")).to_have_count(0)
    grid.screenshot(path=tmp_path / "library-processing.png")

    run_worker()
    expect(grid.locator("img")).to_have_count(1, timeout=15000)
    expect(grid.locator(".picture-pending")).to_have_count(0)
    assert Image.objects.get().is_ready
    context.close()


def test_a_picture_dropped_into_the_body_is_processing_then_shown(live_server, browser, tmp_path):
    story = DraftArticleFactory(body="<p>Before.</p>")
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    editor = page.locator(".ProseMirror[contenteditable]")
    expect(editor).to_be_visible()
    drop_file(page, ".ProseMirror[contenteditable]", jpeg((900, 600)), name="ferry.jpg")
    dialog = page.get_by_role("dialog", name="Upload a picture")
    dialog.get_by_label("Alt text (required)").fill("The ferry leaves")
    dialog.get_by_role("button", name="Upload and use").click()
    expect(dialog).to_be_hidden()
    image = Image.objects.get()
    figure = editor.locator(f'figure[data-image="{image.pk}"]')
    expect(figure).to_have_attribute("data-processing", "")
    expect(figure.locator("img")).not_to_have_attribute("src", image.file.url)
    figure.screenshot(path=tmp_path / "body-processing.png")

    run_worker()
    thumbnail = Image.objects.get().version(near=480).url
    expect(figure.locator("img")).to_have_attribute("src", thumbnail, timeout=15000)
    expect(figure).not_to_have_attribute("data-processing", "")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the changes")
    story.refresh_from_db()
    assert f'<img src="{thumbnail}" alt="The ferry leaves">' in story.body
    context.close()

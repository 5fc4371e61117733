"""The picture chooser in the story form, and the library's own pages, in a real browser (#14):
a thumbnail grid searched as you type, pictures uploaded by dropping a file on the field (alt
text asked for, the file's credit offered), and the focal point set by clicking."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from images.models import Image
from tests.browser.helpers import drop_file, log_in
from tests.factories import DraftArticleFactory, EditorFactory, ReporterFactory
from tests.images.samples import jpeg, make_image
from tests.images.test_metadata import jpeg_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_choose_a_lead_picture_from_the_thumbnail_grid(live_server, browser):
    tram = make_image(jpeg((1200, 800)), alt_text="A tram at the depot", credit="Jo Bloggs")
    make_image(jpeg((800, 800)), alt_text="Cranes on the quay", credit="AP")
    story = DraftArticleFactory(headline="Trams return")
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()

    field = page.get_by_role("group", name="Lead image")
    field.get_by_role("button", name="Choose from the library").click()
    dialog = page.get_by_role("dialog", name="Choose a picture")
    expect(dialog).to_be_visible()
    search = dialog.get_by_label("Search the library")
    expect(search).to_be_focused()
    grid = dialog.locator(".image-chooser__grid")
    expect(grid.get_by_role("button")).to_have_count(2)
    thumbnails = grid.locator("img")
    expect(thumbnails.first).to_have_attribute(
        "src", Image.objects.get(alt_text="Cranes on the quay").version(near=480).url
    )

    search.fill("bloggs")  # the credit
    expect(grid.get_by_role("button")).to_have_count(1)
    expect(dialog).to_contain_text("1 picture matches “bloggs”")
    grid.get_by_role("button", name="A tram at the depot").click()
    expect(dialog).to_be_hidden()
    expect(field.locator("img")).to_have_attribute("alt", "A tram at the depot")
    expect(field.locator("img")).to_have_attribute("src", tram.version(near=480).url)
    expect(field).to_contain_text("Photo: Jo Bloggs")
    # Focus goes back to the button that opened the dialog.
    expect(field.get_by_role("button", name="Choose from the library")).to_be_focused()

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the changes")
    assert Article.objects.get(pk=story.pk).lead_image == tram

    # Removing it, from the keyboard.
    field = page.get_by_role("group", name="Lead image")
    field.get_by_role("button", name="Remove the picture").focus()
    page.keyboard.press("Enter")
    expect(field.locator(".image-field__preview")).to_be_hidden()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the changes")
    assert Article.objects.get(pk=story.pk).lead_image is None
    context.close()


def test_escape_closes_the_dialog_and_changes_nothing(live_server, browser):
    image = make_image(alt_text="A tram")
    story = DraftArticleFactory(lead_image=image)
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.get_by_role("button", name="Choose from the library").click()
    dialog = page.get_by_role("dialog", name="Choose a picture")
    expect(dialog.locator(".image-chooser__grid button")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("input[name=lead_image]")).to_have_value(str(image.pk))
    context.close()


def test_drop_a_file_on_the_lead_picture_field_uploads_and_chooses_it(live_server, browser):
    reporter = ReporterFactory()
    story = DraftArticleFactory(headline="Dockers walk out", created_by=reporter)
    context, page = log_in(browser, live_server, reporter)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()

    content = jpeg_with(artist="Jane Doe", copyright="© Harbourside Press".encode())
    drop_file(page, "[data-image-field]", content, name="dockers.jpg")
    dialog = page.get_by_role("dialog", name="Upload a picture")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("dockers.jpg")
    # The credit the file names is offered, before the upload strips it.
    credit = dialog.get_by_label("Credit", exact=True)
    expect(credit).to_have_value("Jane Doe/Harbourside Press")
    expect(dialog).to_contain_text("Credit read from the file’s metadata")

    # Alt text is asked for before the upload completes.
    dialog.get_by_role("button", name="Upload and use").click()
    alt = dialog.get_by_label("Alt text (required)")
    expect(alt).to_have_attribute("aria-invalid", "true")
    expect(alt).to_be_focused()
    assert not Image.objects.exists()
    alt.fill("Dockers on the picket line")
    credit.fill("Jane Doe/HP")  # the offer is editable
    dialog.get_by_role("button", name="Upload and use").click()
    expect(dialog).to_be_hidden()

    image = Image.objects.get()
    assert (image.alt_text, image.credit) == ("Dockers on the picket line", "Jane Doe/HP")
    field = page.get_by_role("group", name="Lead image")
    expect(field.locator("img")).to_have_attribute("src", image.version(near=480).url)
    expect(field.locator("img")).to_have_attribute("alt", "Dockers on the picket line")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Saved")
    assert Article.objects.get(pk=story.pk).lead_image == image
    context.close()


def test_a_refused_file_says_why_in_the_dialog(live_server, browser, browser_errors):
    story = DraftArticleFactory()
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
    drop_file(page, "[data-image-field]", b"<svg></svg>", name="logo.svg", mime="image/svg+xml")
    dialog = page.get_by_role("dialog", name="Upload a picture")
    dialog.get_by_label("Decorative").check()
    dialog.get_by_role("button", name="Upload and use").click()
    expect(dialog.get_by_role("alert")).to_contain_text("not a JPEG, PNG, WebP or GIF")
    expect(dialog.get_by_label("Picture file")).to_be_focused()
    assert not Image.objects.exists()
    # The refusal's status, which the browser reports as a failed load: expected here.
    assert len(browser_errors) == 1 and "400 (Bad Request)" in browser_errors[0]
    browser_errors.clear()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    context.close()


def test_the_body_editor_uses_the_same_dialog(live_server, browser):
    image = make_image(jpeg((1200, 800)), alt_text="Cranes at dawn", caption="The quay.")
    story = DraftArticleFactory(body="<p>Before.</p>")
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    editor = page.locator(".ProseMirror[contenteditable]")
    editor.click()
    page.keyboard.press("End")
    page.get_by_role("button", name="Insert a picture").click()
    dialog = page.get_by_role("dialog", name="Choose a picture")
    dialog.get_by_role("button", name="Cranes at dawn").click()
    figure = editor.locator(f'figure[data-image="{image.pk}"]')
    expect(figure.locator("img")).to_have_attribute("alt", "Cranes at dawn")
    expect(figure.locator("figcaption")).to_have_text("The quay.")
    context.close()


def test_a_file_dropped_into_the_body_is_uploaded_after_asking_for_its_alt_text(
    live_server, browser
):
    story = DraftArticleFactory(body="<p>Before.</p>")
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    editor = page.locator(".ProseMirror[contenteditable]")
    expect(editor).to_be_visible()
    drop_file(page, ".ProseMirror[contenteditable]", jpeg((900, 600)), name="ferry.jpg")
    dialog = page.get_by_role("dialog", name="Upload a picture")
    dialog.get_by_label("Alt text (required)").fill("The ferry leaves")
    dialog.get_by_label("Caption").fill("Leaving at six.")
    dialog.get_by_role("button", name="Upload and use").click()
    expect(dialog).to_be_hidden()
    image = Image.objects.get()
    figure = editor.locator(f'figure[data-image="{image.pk}"]')
    expect(figure.locator("img")).to_have_attribute("alt", "The ferry leaves")
    expect(figure.locator("figcaption")).to_have_text("Leaving at six.")
    # The lead picture is left alone.
    expect(page.locator("input[name=lead_image]")).to_have_value("")
    context.close()


def test_the_focal_point_is_set_by_clicking_on_the_picture(live_server, browser):
    image = make_image(jpeg((1200, 800)), alt_text="A tram")
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/images/image/{image.pk}/change/")
    picker = page.get_by_role("button", name="Set the focal point: A tram")
    box = picker.locator("img").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.8)
    focal_x, focal_y = page.locator("#id_focal_x"), page.locator("#id_focal_y")
    assert abs(float(focal_x.input_value()) - 0.25) <= 0.02
    assert abs(float(focal_y.input_value()) - 0.8) <= 0.02
    marker = picker.locator(".focal-picker__marker")
    marker_box = marker.bounding_box()
    assert abs(marker_box["x"] + marker_box["width"] / 2 - (box["x"] + box["width"] * 0.25)) < 3
    expect(page.get_by_role("status").filter(has_text="Focal point")).to_contain_text(
        "25% from the left"
    )

    # From the keyboard: the arrow keys move it; the numbers stay editable.
    picker.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    expect(focal_x).to_have_value("0.3")
    expect(focal_y).to_have_value("0.75")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.3, 0.75)
    context.close()


def test_the_library_is_a_grid_and_the_add_form_offers_the_files_credit(
    live_server, browser, tmp_path
):
    make_image(alt_text="A tram")
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/images/image/")
    expect(page.locator(".image-grid .image-grid__item")).to_have_count(1)
    expect(page.get_by_role("link", name="A tram")).to_be_visible()

    photo = tmp_path / "ferry.jpg"
    photo.write_bytes(jpeg_with(artist="Zoë Ångström".encode()))
    page.goto(f"{live_server.url}/admin/images/image/add/")
    page.locator("#id_file").set_input_files(str(photo))
    expect(page.locator("#id_credit")).to_have_value("Zoë Ångström")
    # A typed credit is never replaced.
    page.locator("#id_credit").fill("Staff")
    page.locator("#id_file").set_input_files(str(photo))
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_credit")).to_have_value("Staff")
    context.close()

"""Pictures inside a story's body, in the editor (#14): shown with their caption, which is
typed in place, and saved in the one stored form (articles/body.py)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import DraftArticleFactory, EditorFactory
from tests.images.samples import jpeg, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_picture_in_the_body_keeps_its_form_and_takes_a_new_caption(
    live_server, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    image = make_image(jpeg((1200, 800)), alt_text="Cranes at dawn")
    thumb = image.version("full", "jpeg", near=480).url
    story = DraftArticleFactory(
        body=f'<p>Before.</p><figure data-image="{image.pk}"><img src="{thumb}" '
        'alt="Cranes at dawn"><figcaption>Old caption</figcaption></figure><p>After.</p>'
    )
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    editor = page.locator(".ProseMirror[contenteditable]")
    figure = editor.locator("figure[data-image]")
    expect(figure.locator("img")).to_have_attribute("alt", "Cranes at dawn")
    expect(figure.locator("figcaption")).to_have_text("Old caption")

    figure.locator("figcaption").click()
    page.keyboard.press("End")
    page.keyboard.type(" on the quay")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the changes")

    story.refresh_from_db()
    assert story.body == (
        f'<p>Before.</p><figure data-image="{image.pk}"><img src="{thumb}" alt="Cranes at dawn">'
        "<figcaption>Old caption on the quay</figcaption></figure><p>After.</p>"
    )
    context.close()

"""An editor formats a story and gives it a credited lead image; the reader sees both (#4)."""

import pytest
from playwright.sync_api import expect

from images.models import Image
from tests.browser.helpers import SCREENSHOTS, add_tags, log_in, pick_author
from tests.factories import AuthorFactory, EditorFactory, SectionFactory
from tests.images.samples import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a reporter copies out of a word processor: structure worth keeping, styling that isn't.
PASTED = (
    '<p class="MsoNormal" style="margin:0"><span style="font-family:Calibri">The strike began at '
    '<b>dawn</b>, the union said in a <a href="https://union.example/statement">statement</a>.'
    "</span></p>"
    '<ul><li class="MsoListParagraph">Cranes stopped</li><li>Ferries ran late</li></ul>'
    "<blockquote><p>“We are not going anywhere,” one docker said.</p></blockquote>"
    '<script>alert("pasted")</script>'
)


def paste_html(page, html):
    """Pastes HTML into the rich editor the way a browser does from the clipboard."""
    page.locator(".ProseMirror[contenteditable]").evaluate(
        """(editor, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", editor.innerText);
            editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }""",
        html,
    )


def test_editor_formats_a_story_with_a_credited_lead_image(live_server, browser, tmp_path):
    editor = EditorFactory(username="desk")
    AuthorFactory(name="Priya Raman")
    SectionFactory(name="Business")
    photo = tmp_path / "dockers.jpg"
    photo.write_bytes(jpeg((1600, 1000)))
    context, page = log_in(browser, live_server, editor)

    # The picture first, with its description and credit.
    page.goto(f"{live_server.url}/admin/images/image/add/")
    page.locator("#id_file").set_input_files(str(photo))
    page.locator("#id_alt_text").fill("Dockers on the quay at dawn")
    page.locator("#id_caption").fill("The picket line at Quay Street on Monday.")
    page.locator("#id_credit").fill("Jo Bloggs/Harbourside Press")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert Image.objects.get().renditions.exists()

    # The story: a heading typed with the editor's shortcut, the rest pasted from a document.
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Dockers walk out over automated cranes")
    editor_area = page.locator(".ProseMirror[contenteditable]")
    editor_area.click()
    page.keyboard.type("## What happened")
    page.keyboard.press("Enter")
    paste_html(page, PASTED)
    expect(editor_area.locator("h2")).to_have_text("What happened")
    expect(editor_area.locator("li")).to_have_count(2)
    page.get_by_role("button", name="Choose from the library").click()
    page.get_by_role("dialog").get_by_label("Search the library").fill("Dockers")
    page.get_by_role("button", name="Dockers on the quay").click()
    page.locator("#id_section + .select2").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Bus")
    page.locator(".select2-results__option", has_text="Business").click()
    add_tags(page, "port", "unions")
    pick_author(page, "Priya Raman")
    page.get_by_role("button", name="Save and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("It is live at")

    # The reader's page.
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.goto(f"{live_server.url}/")
    reader.get_by_role("link", name="Dockers walk out over automated cranes").click()
    body = reader.locator(".story__body")
    expect(body.locator("h2")).to_have_text("What happened")
    expect(body.locator("strong")).to_have_text("dawn")
    link = body.get_by_role("link", name="statement")
    expect(link).to_have_attribute("href", "https://union.example/statement")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(body.locator("ul li")).to_have_text(["Cranes stopped", "Ferries ran late"])
    expect(body.locator("blockquote")).to_contain_text("We are not going anywhere")
    expect(body.locator("script")).to_have_count(0)
    expect(body.locator("[style], [class]")).to_have_count(0)
    figure = reader.locator("figure.story__figure")
    expect(figure.locator("img")).to_have_attribute("alt", "Dockers on the quay at dawn")
    expect(figure.locator("figcaption")).to_contain_text("The picket line at Quay Street")
    expect(figure.locator("figcaption")).to_contain_text("Photo: Jo Bloggs/Harbourside Press")
    expect(reader.locator(".story__section")).to_have_text("Business")
    # The picture really loads, at a size the phone and the desktop each ask for.
    for width in (1280, 390):
        reader.set_viewport_size({"width": width, "height": 900})
        reader.reload()
        loaded = figure.locator("img").evaluate("img => img.complete && img.naturalWidth")
        assert loaded and loaded <= 1600
        reader.screenshot(path=SCREENSHOTS / f"rich-story-{width}.png", full_page=True)
    reader_context.close()
    context.close()

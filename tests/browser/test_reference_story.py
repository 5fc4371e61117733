"""The reference story, pasted into the editor, goes in cleanly and comes out exactly (#14):
every paragraph, typographic quote and apostrophe as written, through every save and on the
reader's page, whatever new nodes the editor learned."""

import pytest
from playwright.sync_api import expect

from articles.importing import parse_story
from articles.models import Article
from articles.text import html_to_text, paragraphs_to_html
from tests.browser.helpers import log_in, pick_author
from tests.factories import AuthorFactory, EditorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def paste(page, text, html=None):
    page.locator(".ProseMirror[contenteditable]").evaluate(
        """(editor, [text, html]) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            if (html) data.setData("text/html", html);
            editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }""",
        [text, html],
    )


@pytest.mark.parametrize("clipboard", ["plain text", "word processor HTML"])
def test_the_reference_story_round_trips_through_the_editor(
    live_server, browser, reference_story_file, clipboard
):
    story = parse_story(reference_story_file.read_bytes())
    text = "\n\n".join(story.paragraphs)
    html = "".join(
        f'<p class="MsoNormal"><span lang="EN-GB">{p}</span></p>' for p in story.paragraphs
    )
    AuthorFactory(name=story.byline[0])
    context, page = log_in(browser, live_server, EditorFactory())

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill(story.headline)
    page.locator(".ProseMirror[contenteditable]").click()
    paste(page, text, html if clipboard == "word processor HTML" else None)
    pick_author(page, story.byline[0])
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_be_visible()

    saved = Article.objects.get()
    # Paragraphs as the editor writes them: one after the other, each escaped once.
    expected = paragraphs_to_html(story.paragraphs).replace("</p>\n<p>", "</p><p>")
    assert saved.body == expected
    assert html_to_text(saved.body) == text

    # Opened and saved again untouched: not a character moves.
    page.reload()
    page.get_by_role("button", name="Save and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("It is live at")
    saved.refresh_from_db()
    assert saved.body == expected

    reader = context.new_page()
    reader.goto(f"{live_server.url}{saved.get_absolute_url()}")
    expect(reader.locator(".story__body p")).to_have_text(story.paragraphs)
    expect(reader.locator("h1")).to_have_text(story.headline)
    context.close()

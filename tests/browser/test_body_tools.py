"""The body's own tools in the editor (#14): a link to one of our stories found by its headline,
a table with a header row, a pull quote and a "read more" box; saved in their stored forms
(articles/body.py) and shown to readers with the stories' current addresses."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import SCREENSHOTS, log_in, tool
from tests.factories import (
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _editor(page):
    return page.locator(".ProseMirror[contenteditable]")


def _select(page, words):
    """Selects the first occurrence of `words` in the editor, as a mouse drag would."""
    editor = _editor(page)
    editor.focus()
    editor.evaluate(
        """(editor, words) => {
            const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    getSelection().removeAllRanges();
                    getSelection().addRange(range);
                    return;
                }
            }
            throw new Error(`No "${words}" in the editor`);
        }""",
        words,
    )
    assert page.evaluate("getSelection().toString()") == words


def _settled(page):
    """The editor restores its focus and selection on the next frame: keys wait for it."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    expect(_editor(page)).to_be_focused()


def _to_end_of_block(page):
    """End, once the editor's own selection (which follows the page's a moment later) is
    there too: the next key acts on it."""
    page.keyboard.press("End")
    _editor(page).evaluate(
        """(editor) => new Promise((done) => {
            const check = () => {
                const { $from, empty } = editor.editor.state.selection;
                if (empty && $from.parentOffset === $from.parent.content.size) done();
                else requestAnimationFrame(check);
            };
            check();
        })"""
    )


def _open_story(live_server, browser, user, story):
    context, page = log_in(browser, live_server, user)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    expect(_editor(page)).to_be_visible()
    return context, page


def test_an_editor_links_quotes_boxes_and_tabulates_and_readers_get_them(live_server, browser):
    target = PublishedArticleFactory(headline="Harbour bridge reopens after repairs")
    PublishedArticleFactory(headline="Harbour master retires")
    DraftArticleFactory(headline="Harbour secret plans")
    story = DraftArticleFactory(headline="Ferries return", body="<p>The bridge is open.</p>")
    context, page = _open_story(live_server, browser, EditorFactory(), story)
    editor = _editor(page)

    # A link to our story: select the words, search by headline, pick with the keyboard.
    _select(page, "open")
    tool(page, "Link (our stories or an address)").click()
    dialog = page.get_by_role("dialog")
    search = dialog.get_by_role("combobox", name="Search our stories")
    expect(search).to_be_focused()
    search.fill("harbour br")
    options = dialog.get_by_role("option")
    expect(options).to_have_text([re.compile("^Harbour bridge reopens after repairs")])
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "body-tools-link-dialog.png")
    results = Axe().run(page, context=".story-dialog")
    assert not results.violations_count, results.generate_report()
    expect(search).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    link = editor.locator(f'a[data-story="{target.pk}"]')
    expect(link).to_have_text("open")
    _settled(page)

    # A pull quote: a paragraph turned into one.
    _to_end_of_block(page)
    page.keyboard.press("Enter")
    page.keyboard.insert_text("“We waited two years,” said a driver.")
    tool(page, "Pull quote").click()
    expect(editor.locator("aside.pull-quote p")).to_have_text(
        "“We waited two years,” said a driver."
    )
    _to_end_of_block(page)
    page.keyboard.press("Enter")

    # A read-more box: the search shows the newest stories first, drafts never.
    tool(page, "Read more box").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("option")).to_have_count(2)
    expect(dialog.get_by_role("option", name=re.compile("secret"))).to_have_count(0)
    dialog.get_by_role("combobox").fill("bridge")
    dialog.get_by_role("option", name=re.compile("^Harbour bridge")).click()
    expect(editor.locator(f'aside[data-related="{target.pk}"]')).to_have_text(target.headline)
    _settled(page)

    # A table: inserted with its header row, grown from the toolbar.
    editor.locator("p").first.click()
    _to_end_of_block(page)
    tool(page, "Insert table").click()
    expect(editor.locator("table tr")).to_have_count(3)
    editor.locator("table th").first.click()
    page.keyboard.type("Route")
    page.keyboard.press("Tab")
    page.keyboard.type("Ferries a day")
    editor.locator("table td").first.click()
    page.keyboard.type("North")
    tool(page, "Add row").click()
    expect(editor.locator("table tr")).to_have_count(4)
    editor.locator("table th").last.click()
    tool(page, "Delete column").click()
    expect(editor.locator("table tr").first.locator("th")).to_have_count(2)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "body-tools-editor.png", full_page=True)
    page.get_by_role("button", name="Save and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Published")

    story.refresh_from_db()
    assert f'<a href="{target.get_absolute_url()}" data-story="{target.pk}">open</a>' in story.body
    assert '<aside class="pull-quote"><p>“We waited two years,” said a driver.</p></aside>' in (
        story.body
    )
    assert (
        f'<aside data-related="{target.pk}"><a href="{target.get_absolute_url()}">'
        f"{target.headline}</a></aside>"
    ) in story.body
    assert "<table><thead><tr><th>Route</th><th>Ferries a day</th></tr></thead><tbody>" in (
        story.body
    )
    assert "<tr><td>North</td>" in story.body

    # The target's address changes; readers follow it.
    target.slug = "bridge-open-again"
    target.save()
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.goto(f"{live_server.url}{story.get_absolute_url()}")
    body = reader.locator(".story__body")
    expect(body.get_by_role("link", name="open", exact=True)).to_have_attribute(
        "href", target.get_absolute_url()
    )
    expect(body.locator(".pull-quote")).to_have_text("“We waited two years,” said a driver.")
    box = body.get_by_role("complementary", name="Read more")
    expect(box.get_by_role("link")).to_have_attribute("href", target.get_absolute_url())
    table = body.get_by_role("region", name="Table").locator("table")
    expect(table.locator("thead th")).to_have_text(["Route", "Ferries a day"])
    # Only the row typed in: the rows left empty at the end are not shown.
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody td").first).to_have_text("North")
    reader.screenshot(path=SCREENSHOTS / "body-tools-reader.png", full_page=True)
    reader.set_viewport_size({"width": 390, "height": 844})
    reader.screenshot(path=SCREENSHOTS / "body-tools-reader-phone.png", full_page=True)
    reader_context.close()
    context.close()


def test_a_typed_address_is_linked_and_a_script_address_refused(live_server, browser):
    story = DraftArticleFactory(body="<p>Read the report.</p>")
    context, page = _open_story(live_server, browser, EditorFactory(), story)
    page.set_viewport_size({"width": 390, "height": 844})  # On a phone.
    editor = _editor(page)
    _select(page, "Read")
    tool(page, "Link (our stories or an address)").click()
    dialog = page.get_by_role("dialog")
    address = dialog.get_by_label("Or a web address")
    address.fill("javascript:alert(1)")
    dialog.get_by_role("button", name="Link to this address").click()
    expect(dialog).to_be_visible()  # Refused, with the reason on the field.
    assert address.evaluate("field => field.validationMessage")
    address.fill("example.org/report")
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(editor.locator("a")).to_have_attribute("href", "https://example.org/report")
    expect(editor.locator("a[data-story]")).to_have_count(0)
    _settled(page)

    # With nothing selected, a story's headline becomes the link's words.
    target = PublishedArticleFactory(headline="Council budget passes")
    _to_end_of_block(page)
    page.keyboard.insert_text(" See ")
    tool(page, "Link (our stories or an address)").click()
    page.get_by_role("dialog").get_by_role("combobox").fill("budget")
    expect(page.get_by_role("dialog").get_by_role("status")).to_have_text(
        "1 story found. Use the arrow keys and Enter to pick one."
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "body-tools-link-dialog-phone.png")
    page.get_by_role("dialog").get_by_role("option").first.click()
    expect(editor.locator(f'a[data-story="{target.pk}"]')).to_have_text("Council budget passes")
    _settled(page)
    page.keyboard.insert_text(". ")

    # An address of ours, pasted from the site, links the story by id too.
    _to_end_of_block(page)
    page.keyboard.insert_text("Also ")
    tool(page, "Link (our stories or an address)").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Or a web address").fill(f"{live_server.url}{target.get_absolute_url()}")
    dialog.get_by_role("button", name="Link to this address").click()
    expect(dialog).to_have_count(0)
    expect(editor.locator(f'a[data-story="{target.pk}"]')).to_have_count(2)
    _settled(page)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Article.objects.get(pk=story.pk).body == (
        '<p><a href="https://example.org/report" rel="noopener noreferrer">Read</a> the report.'
        f' See <a href="{target.get_absolute_url()}" data-story="{target.pk}">'
        "Council budget passes</a>. Also "
        f'<a href="{target.get_absolute_url()}" data-story="{target.pk}">'
        "Council budget passes</a></p>"
    )
    context.close()


def test_the_paragraph_style_menu_draws_its_arrow_without_a_rare_character(live_server, browser):
    """The editor's own arrow is "⏷", missing from many fonts (an empty box); admin.css draws
    a triangle instead."""
    story = DraftArticleFactory(body="<p>Read the report.</p>")
    context, page = _open_story(live_server, browser, EditorFactory(), story)
    arrow = page.locator(".prose-menubar__selected").first.evaluate(
        "menu => getComputedStyle(menu, '::after').content"
    )
    assert arrow in ('""', "none"), arrow
    context.close()

"""@mention suggestions in a story's notes, in a real browser (#15 follow-up): a reporter types
"@ed" in a note, goes through the colleagues offered with the keyboard, picks one with Enter,
posts the note, and the colleague picked (and only them) is told. Under the admin's strict
Content-Security-Policy: the script is a static file, and the page logs no CSP violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from notifications.models import Note, Notification
from tests.browser.helpers import SCREENSHOTS, log_in
from tests.factories import DraftArticleFactory, EditorFactory, ReporterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_type_at_ed_pick_with_the_keyboard_and_the_colleague_is_told(live_server, browser):
    reporter = ReporterFactory(username="rita", first_name="Rita", last_name="Okafor")
    story = DraftArticleFactory(headline="Harbour tunnel opens", created_by=reporter)
    ed = EditorFactory(username="ed", first_name="Ed", last_name="Itor")
    edwina = EditorFactory(username="edwina", first_name="Edwina", last_name="Park")
    EditorFactory(username="omar", first_name="Omar", last_name="Nadi")
    ReporterFactory(username="edgar")  # Not this story's reporter: never offered.

    context, page = log_in(browser, live_server, reporter)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    note = page.get_by_label("Add a note")
    options = page.get_by_role("listbox", name="Colleagues to mention").get_by_role("option")

    note.press_sequentially("Can you check the figures, @ed")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_have_text("@ed Ed Itor")
    expect(options.nth(1)).to_have_text("@edwina Edwina Park")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(note).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    expect(page.locator(".mention-status")).to_have_text(
        "2 colleagues to mention: up and down to choose, Enter to pick."
    )
    results = Axe().run(page, context="#notes")
    assert not results.violations_count, results.generate_report()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#notes").screenshot(path=str(SCREENSHOTS / "note-mentions.png"))

    # Down goes to Edwina, Up wraps round to her again from Ed; Enter picks.
    note.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    note.press("ArrowDown")
    note.press("ArrowUp")
    expect(note).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    note.press("Enter")
    expect(options).to_have_count(0)
    expect(note).to_have_value("Can you check the figures, @edwina ")

    # Escape closes the list: Enter is a new line again, and "@om" stays as typed.
    note.press_sequentially("please?")
    note.press("Enter")
    note.press_sequentially("cc @om")
    expect(options).to_have_count(1)
    note.press("Escape")
    expect(page.get_by_role("listbox", name="Colleagues to mention")).to_be_hidden()
    note.press("Enter")
    note.press_sequentially("Thanks")
    expect(note).to_have_value("Can you check the figures, @edwina please?\ncc @om\nThanks")

    page.get_by_role("button", name="Add the note").click()
    expect(page.locator(".messagelist")).to_contain_text("Added your note.")
    expect(page.locator("#notes .story-note__text")).to_contain_text("@edwina please?")
    context.close()
    assert not refused, refused

    told = Notification.objects.filter(kind=Notification.Kind.MENTIONED)
    assert list(told.values_list("recipient__username", flat=True)) == ["edwina"]
    assert not told.filter(recipient=ed).exists()
    assert [u.username for u in Note.objects.get().mentions.all()] == ["edwina"]
    assert edwina.pk == told.get().recipient_id

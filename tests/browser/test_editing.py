"""No typed word is lost, and editors see each other (#12), in a real browser.

Autosave and restore, the question before leaving a page with unsaved changes, a session that
ends while a story is open, presence in two browser contexts, and an edit lock taken over.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, WorkingCopy
from articles.text import html_to_text, paragraphs_to_html
from tests.browser.helpers import (
    PASSWORD,
    SCREENSHOTS,
    expect_body,
    log_in,
    pick_author,
    write_body,
)
from tests.factories import AuthorFactory, DraftArticleFactory, EditorFactory, ReporterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _quick_beats(settings):
    """Autosave and the heartbeat every second, so the test needn't wait for them."""
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    settings.NEWSROOM_HEARTBEAT_SECONDS = 1


def kept_copy(page, words, seconds=10):
    """The working copy once autosave has sent it with `words` (typing takes a few beats)."""
    for _ in range(seconds * 5):
        copy = WorkingCopy.objects.first()
        if copy is not None and words in "".join(copy.data.get("body", [])):
            return copy
        page.wait_for_timeout(200)
    raise AssertionError(f"No working copy with {words!r} after {seconds} s")


def change_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


@pytest.fixture
def story():
    return DraftArticleFactory(
        headline="Bridge repairs start",
        body=paragraphs_to_html(["Work starts on Monday."]),
        authors=[AuthorFactory(name="Nadia Noor")],
    )


def test_autosave_keeps_the_text_and_reopening_offers_it(live_server, browser, story):
    editor = EditorFactory(username="priya", first_name="Priya", last_name="Raman")
    context, page = log_in(browser, live_server, editor)
    page.goto(change_url(live_server, story))
    text = "Work starts on Monday.\n\nThe bridge closes to cars for six weeks."
    write_body(page, text)
    expect(page.locator("#story-autosave")).to_contain_text("Autosaved at")
    copy = kept_copy(page, "six weeks")
    assert copy.user == editor
    story.refresh_from_db()
    assert "six weeks" not in story.body and not story.revisions.exists()

    # The tab closes (the browser's own crash, a closed laptop): the text was kept.
    page.close()
    page = context.new_page()
    page.goto(change_url(live_server, story))
    expect_body(page, "Work starts on Monday.")
    offer = page.get_by_role("status").filter(has_text="Your unsaved changes from")
    expect(offer).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "editing-restore-offer.png", full_page=True)
    offer.get_by_role("link", name="Restore them").click()
    expect(page.locator(".messagelist")).to_contain_text("are back in the form")
    expect_body(page, text)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the changes to")
    story.refresh_from_db()
    assert html_to_text(story.body) == text
    assert not WorkingCopy.objects.exists()
    context.close()


def test_a_new_story_never_saved_waits_on_the_desk(live_server, browser):
    editor = EditorFactory(username="priya")
    context, page = log_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Storm warning for the coast")
    write_body(page, "Winds of 100 km/h are expected tonight.")
    expect(page.locator("#story-autosave")).to_contain_text("Autosaved at")
    page.close()

    page = context.new_page()
    page.goto(f"{live_server.url}/admin/")
    unsaved = page.get_by_role("region", name="Unsaved work")
    unsaved.get_by_role("link", name="Storm warning for the coast").click()
    expect(page.get_by_label("Headline")).to_have_value("Storm warning for the coast")
    expect_body(page, "Winds of 100 km/h are expected tonight.")
    assert not Article.objects.exists()
    context.close()


def test_leaving_with_unsaved_changes_asks_first(live_server, browser, story):
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(change_url(live_server, story))
    page.get_by_label("Headline").fill("Bridge repairs start today")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on this page".

    page.on("dialog", answer)
    page.get_by_role("link", name="Revisions", exact=True).click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    expect(page.get_by_label("Headline")).to_have_value("Bridge repairs start today")
    # Saving is not leaving: no question.
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the changes to")
    assert asked == ["beforeunload"]
    context.close()


def test_a_session_that_ends_mid_edit_loses_nothing(live_server, browser, story, browser_errors):
    editor = EditorFactory(username="priya", first_name="Priya", last_name="Raman")
    context, page = log_in(browser, live_server, editor)
    page.goto(change_url(live_server, story))
    text = "Work starts on Monday.\n\nEvery word typed before the session ended."
    write_body(page, text)

    # Logged out in another tab of the same browser.
    other = context.new_page()
    other.goto(f"{live_server.url}/admin/")
    other.get_by_role("button", name="Log out").click()
    expect(other.get_by_role("heading", name="Logged out")).to_be_visible()
    other.close()

    # The form says so at its next beat, and keeps the text.
    expect(page.locator("#story-session")).to_contain_text("Your session has ended")
    expect_body(page, text)
    page.screenshot(path=SCREENSHOTS / "editing-session-ended.png", full_page=True)

    # Save anyway: the text is kept on the server; the login leads back to it.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Your session ended before your save arrived"
    )
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/articles/article/{story.pk}/change/\?restore="))
    expect(page.locator(".messagelist")).to_contain_text("when your session ended, is back")
    expect_body(page, text)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the changes to")
    story.refresh_from_db()
    assert html_to_text(story.body) == text
    context.close()
    # The form's heartbeat met the ended session: 401, as it should (and nothing else).
    assert browser_errors and all("status of 401" in error for error in browser_errors)
    browser_errors.clear()


def test_two_editors_see_each_other_in_a_story(live_server, browser, story):
    priya = EditorFactory(username="priya", first_name="Priya", last_name="Raman")
    ben = EditorFactory(username="ben", first_name="Ben", last_name="Okoro")
    context_p, page_p = log_in(browser, live_server, priya)
    context_b, page_b = log_in(browser, live_server, ben)
    page_p.goto(change_url(live_server, story))
    page_b.goto(change_url(live_server, story))

    expect(page_b.locator("#story-presence")).to_contain_text(
        re.compile(r"Priya Raman is also editing this story \(since \d\d:\d\d \S+\)")
    )
    # Priya's page learns of Ben at its next beat.
    expect(page_p.locator("#story-presence")).to_contain_text(
        "Ben Okoro is also editing this story"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page_p.screenshot(path=SCREENSHOTS / "editing-presence.png", full_page=True)

    # The desk and the list of stories say who is where.
    desk = context_p.new_page()
    desk.goto(f"{live_server.url}/admin/")
    expect(desk.get_by_role("region", name="Open now")).to_contain_text("Bridge repairs start")
    expect(desk.get_by_role("region", name="Open now")).to_contain_text("Ben Okoro")
    desk.goto(f"{live_server.url}/admin/articles/article/")
    expect(desk.locator("#result_list")).to_contain_text("Ben Okoro")
    desk.close()

    # Ben closes his tab: Priya's page says so within seconds (a reload would come back in
    # time to stay).
    page_b.close()
    expect(page_p.locator("#story-presence")).to_be_hidden(timeout=15_000)
    context_b.close()
    context_p.close()


def test_with_edit_locks_the_second_reads_and_an_editor_takes_over(
    live_server, browser, story, settings
):
    settings.NEWSROOM_EDIT_LOCKS = True
    reporter = ReporterFactory(username="rita", first_name="Rita", last_name="Reyes")
    story.created_by = reporter
    story.save()
    editor = EditorFactory(username="ben", first_name="Ben", last_name="Okoro")
    context_r, page_r = log_in(browser, live_server, reporter)
    page_r.goto(change_url(live_server, story))
    write_body(page_r, "Rita's draft, not saved yet.")
    kept_copy(page_r, "Rita's draft")

    context_e, page_e = log_in(browser, live_server, editor)
    page_e.goto(change_url(live_server, story))
    lock = page_e.locator("#story-lock")
    expect(lock).to_contain_text("Rita Reyes is editing this story")
    expect(page_e.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    lock.get_by_role("button", name="Take over editing").click()
    expect(page_e.locator(".messagelist")).to_contain_text("You are editing the story now")
    expect(page_e.get_by_role("button", name="Save", exact=True)).to_be_visible()

    # Rita is told at her next beat; what she typed is kept as her unsaved work.
    expect(page_r.locator("#story-lock")).to_contain_text("Ben Okoro took over this story")
    assert WorkingCopy.objects.get(user=reporter).data["body"][0].startswith("<p>Rita")
    page_r.get_by_role("button", name="Save", exact=True).click()
    expect(page_r.locator(".errorlist.nonfield")).to_contain_text("Ben Okoro is editing")
    expect_body(page_r, "Rita's draft, not saved yet.")
    context_r.close()
    context_e.close()


def test_a_reporter_picks_the_byline_in_order(live_server, browser):
    reporter = ReporterFactory(username="rita")
    AuthorFactory(name="Zoe Zhang")
    AuthorFactory(name="Adam Abbott")
    context, page = log_in(browser, live_server, reporter)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Two bylines")
    write_body(page, "Text.")
    pick_author(page, "Zoe Zhang")
    pick_author(page, "Adam Abbott")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved “Two bylines” as a draft.")
    assert [a.name for a in Article.objects.get().byline_authors] == ["Zoe Zhang", "Adam Abbott"]
    expect(page.locator("#id_byline + .select2 .select2-selection__choice")).to_have_text(
        [re.compile("Zoe Zhang"), re.compile("Adam Abbott")]
    )
    context.close()

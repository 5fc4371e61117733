"""Notes and notifications in a real browser (#15): an editor sends a story back with a note;
its reporter sees the count in the header, opens the notification and reads the note."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from notifications.models import Notification
from tests.browser.helpers import SCREENSHOTS, axe_problems, axe_report, log_in
from tests.factories import AuthorFactory, EditorFactory, ReporterFactory, ReviewArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "The second quote needs a named source: <b>who said it?</b>"


def test_an_editor_sends_a_story_back_and_the_reporter_reads_why(live_server, browser):
    reporter = ReporterFactory(username="rita", first_name="Rita", last_name="Okafor")
    story = ReviewArticleFactory(
        headline="Harbour tunnel opens",
        created_by=reporter,
        authors=[AuthorFactory(name="Rita Okafor", user=reporter)],
    )
    editor = EditorFactory(username="ed", first_name="Ed", last_name="Itor")
    change = f"{live_server.url}/admin/articles/article/{story.pk}/change/"

    context, page = log_in(browser, live_server, editor)
    page.goto(change)
    page.get_by_role("link", name="Send back to the reporter…").click()
    # The reason is required (the browser asks first; the server refuses an empty one too:
    # tests/notifications/test_notifications.py).
    reason = page.get_by_label("What should the reporter change?")
    expect(reason).to_have_attribute("required", "")
    reason.fill(NOTE)
    page.get_by_role("button", name="Send it back").click()
    expect(page.locator(".messagelist")).to_contain_text("Sent “Harbour tunnel opens” back")
    # The editor's own action tells the editor nothing.
    expect(page.locator("#user-tools")).to_contain_text("Notifications (0")
    context.close()
    assert Article.objects.get(pk=story.pk).status == Article.Status.DRAFT

    context, page = log_in(browser, live_server, reporter)
    expect(page.locator("#user-tools")).to_contain_text("Notifications (1")
    desk = page.locator(".desk__notifications")
    expect(desk).to_contain_text("Ed Itor sent “Harbour tunnel opens” back to you")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "notifications-desk.png"))
    link = page.locator("#user-tools").get_by_role("link", name=re.compile(r"^Notifications"))
    expect(link).to_have_text("Notifications (1 unread)")
    link.click()
    item = page.locator(".notification--unread")
    expect(item).to_contain_text("Ed Itor sent “Harbour tunnel opens” back to you")
    item.get_by_role("link").click()
    thread = page.locator("#notes")
    expect(thread).to_contain_text(NOTE)  # as typed: the tags are text, not markup
    expect(thread.locator("b")).to_have_count(0)
    assert page.url.endswith("/change/#notes")
    thread.screenshot(path=str(SCREENSHOTS / "notes-thread.png"))

    # Answering in the thread, with a mention, tells the editor.
    page.get_by_label("Add a note").fill("Done: @ed, it was the harbour master.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator(".messagelist")).to_contain_text("Added your note.")
    expect(page.locator("#notes")).to_contain_text("it was the harbour master")
    # Marked read from the list, the count goes down.
    page.goto(f"{live_server.url}/admin/notifications/notification/")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#user-tools")).to_contain_text("Notifications (0")
    context.close()
    assert Notification.objects.filter(recipient=editor, kind="mentioned").exists()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_notification_pages_have_no_axe_violations(live_server, browser, width):
    from notifications import services

    reporter = ReporterFactory(username="rita", first_name="Rita", last_name="Okafor")
    story = ReviewArticleFactory(
        headline="Harbour tunnel opens",
        created_by=reporter,
        authors=[AuthorFactory(name="Rita Okafor", user=reporter)],
    )
    editor = EditorFactory(username="ed")
    services.note_add(article=story, by=reporter, text="Ready for a look, @ed.")
    services.notify(
        kind=Notification.Kind.SUBMITTED,
        recipients=[editor],
        article=story,
        actor=reporter,
        text="Rita Okafor submitted “Harbour tunnel opens” for review.",
    )
    admin = f"{live_server.url}/admin"
    pages = {
        "desk": f"{admin}/",
        "notifications": f"{admin}/notifications/notification/",
        "email preferences": f"{admin}/notifications/notification/preferences/",
        "send back": f"{admin}/articles/article/{story.pk}/send-back/",
        "form with notes": f"{admin}/articles/article/{story.pk}/change/",
    }
    context, page = log_in(browser, live_server, editor)
    problems = axe_problems(page, pages, width)
    context.close()
    assert not problems, axe_report(problems)

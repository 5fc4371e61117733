"""The live desk never loses an update (#18): what is typed is kept in the browser until it
is posted, and offered back when a post didn't go through (here: the session ended in another
tab, so the post met the login page)."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, LiveUpdate
from tests.browser.helpers import PASSWORD, log_in, write_body
from tests.factories import EditorFactory, PublishedArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_update_posted_after_the_session_ended_is_offered_back(
    live_server, browser, browser_errors
):
    blog = PublishedArticleFactory(live=Article.Live.LIVE, headline="Storm: live")
    editor = EditorFactory(username="grace")
    context, page = log_in(browser, live_server, editor)
    desk = f"{live_server.url}/admin/articles/liveupdate/add/?article={blog.pk}"
    page.goto(desk)
    page.get_by_label("Title").fill("Ferries resume")
    write_body(page, "The first crossing leaves at six, the operator says.")

    # Logged out in another tab of the same browser.
    other = context.new_page()
    other.goto(f"{live_server.url}/admin/")
    other.get_by_role("button", name="Log out").click()
    expect(other.get_by_role("heading", name="Logged out")).to_be_visible()
    other.close()

    page.get_by_role("button", name="Post update").click()
    expect(page.get_by_label("Username")).to_be_visible()  # The login page, nothing posted.
    assert not LiveUpdate.objects.exists()
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(desk)

    notice = page.locator(".live-desk__kept")
    expect(notice).to_contain_text("was not posted: “Ferries resume”")
    notice.get_by_role("button", name="Put it back").click()
    expect(page.get_by_label("Title")).to_have_value("Ferries resume")
    expect(page.locator(".ProseMirror[contenteditable]")).to_have_text(
        "The first crossing leaves at six, the operator says."
    )
    page.get_by_role("button", name="Post update").click()
    expect(page.locator(".messagelist")).to_contain_text("it is on the live blog now")
    update = LiveUpdate.objects.get()
    assert update.title == "Ferries resume" and "leaves at six" in update.body

    # Posted: the desk doesn't offer it again.
    page.reload()
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
    page.wait_for_timeout(300)
    expect(notice).to_have_count(0)
    context.close()
    # The post that met the ended session was refused (403, CSRF): as it should be.
    assert all("status of 403" in error for error in browser_errors)
    browser_errors.clear()

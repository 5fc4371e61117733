"""Live blogs in a real browser (#18): a reader's open page shows the updates posted from the
live desk without a reload, behind a “N new updates” button; edits replace an update in place;
ending the coverage says so and stops the page asking. Without JavaScript the page is
complete. The page fits a phone and has no axe violations, nor has the desk."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from articles import live
from articles.models import Article, LiveUpdate
from tests.browser.helpers import axe_problems, axe_report, horizontal_overflow, log_in, write_body
from tests.factories import AuthorFactory, EditorFactory, PublishedArticleFactory, ReporterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Generous: the page asks every second, but a loaded machine may take a while to answer.
WAIT = 30_000
# A marker the tests set on the reader's window: a reload would lose it.
MARKER = "window.__liveBlogNotReloaded"


@pytest.fixture(autouse=True)
def _quick_polls(settings):
    # The page reads it into data-live-poll-seconds: the reader's page asks every second.
    settings.NEWSROOM_LIVE_POLL_SECONDS = 1


@pytest.fixture
def blog():
    return PublishedArticleFactory(
        headline="Storm Ada: the coast road and the harbour",
        live=Article.Live.LIVE,
        authors=[AuthorFactory(name="Mo Farrant")],
    )


def desk_url(live_server, blog):
    return f"{live_server.url}/admin/articles/liveupdate/add/?article={blog.pk}"


def post_update(page, desk, title, body, key_event=False):
    """Posts an update as the desk does: a title, the body typed in the editor, “Post update”."""
    page.goto(desk)
    page.get_by_label("Title").fill(title)
    write_body(page, body)
    if key_event:
        page.get_by_label("Key event").check()
    page.get_by_role("button", name="Post update").click()
    expect(page.locator(".messagelist")).to_contain_text("it is on the live blog now")
    # The desk comes back empty for the next update.
    expect(page.get_by_label("Title")).to_have_value("")
    return LiveUpdate.objects.filter(title=title).get()


def post_from_code(blog, title, minutes_ago=0, key_event=False):
    """An update posted without the desk (as it saves one: then purged, #18)."""
    update = LiveUpdate.objects.create(
        article=blog,
        title=title,
        body=f"<p>{title}: more soon.</p>",
        key_event=key_event,
        posted_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )
    live.update_saved(update, by=None, created=True)
    return update


def open_as_reader(browser, blog, live_server, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(live_server.url + blog.get_absolute_url())
    return context, page


def updates(page):
    return page.locator("[data-live-updates] > [data-update]")


def test_a_readers_open_page_shows_the_desks_updates_without_a_reload(live_server, browser, blog):
    post_from_code(blog, "Gales expected tonight", minutes_ago=30)
    editor = EditorFactory(username="ed", first_name="Ed", last_name="Itor")
    AuthorFactory(name="Ed Itor", user=editor)  # the desk puts the poster's name in the byline
    reader_context, reader = open_as_reader(browser, blog, live_server)
    section = reader.locator("[data-live-poll]")
    expect(section).to_have_attribute("data-live-poll-seconds", "1")
    reader.evaluate(f"{MARKER} = true")
    polls = []
    reader.on(
        "request",
        lambda request: polls.append(request.url) if "updates.json" in request.url else None,
    )
    new = reader.locator("[data-live-new]")
    expect(updates(reader)).to_have_count(1)
    expect(new.get_by_role("button")).to_have_count(0)

    desk_context, desk = log_in(browser, live_server, editor)
    first = post_update(
        desk, desk_url(live_server, blog), "Coast road shut", "Police closed it at the bridge."
    )
    # On the reader's page, without a reload: a button, not the text moving under the reader.
    button = new.get_by_role("button", name="1 new update")
    expect(button).to_be_visible(timeout=WAIT)
    expect(updates(reader)).to_have_count(1)
    expect(reader).to_have_title(re.compile(r"^\(1\) Storm Ada"))  # seen from another tab
    button.click()
    expect(updates(reader)).to_have_count(2)
    top = updates(reader).first
    expect(top).to_have_id(f"update-{first.pk}")
    expect(top).to_contain_text("Coast road shut")
    expect(top).to_contain_text("Police closed it at the bridge.")
    expect(top.locator(".live-update__byline")).to_have_text("By Ed Itor")
    expect(top.locator(".live-update__time")).to_be_focused()
    expect(new.get_by_role("button")).to_have_count(0)
    expect(reader).to_have_title(re.compile(r"^Storm Ada"))

    post_update(desk, desk_url(live_server, blog), "Ferries cancelled", "None before noon.")
    third = post_update(
        desk,
        desk_url(live_server, blog),
        "Harbour wall breached",
        "Water in the old town.",
        key_event=True,
    )
    expect(new.get_by_role("button", name="2 new updates")).to_be_visible(timeout=WAIT)
    # Key events are put in place at once: they link to updates that are on the page soon.
    events = reader.locator("[data-live-key-events]")
    expect(events.get_by_role("link", name="Harbour wall breached")).to_have_attribute(
        "href", f"#update-{third.pk}", timeout=WAIT
    )
    new.get_by_role("button", name="2 new updates").click()
    expect(updates(reader)).to_have_count(4)
    expect(updates(reader).nth(0)).to_contain_text("Harbour wall breached")
    expect(updates(reader).nth(1)).to_contain_text("Ferries cancelled")

    # An edit replaces the update where it is.
    desk.goto(f"{live_server.url}/admin/articles/liveupdate/{first.pk}/change/")
    desk.get_by_label("Title").fill("Coast road shut both ways")
    desk.get_by_role("button", name="Save changes").click()
    expect(desk.locator(".messagelist")).to_contain_text("The update is saved")
    edited = reader.locator(f"#update-{first.pk}")
    expect(edited).to_contain_text("Coast road shut both ways", timeout=WAIT)
    expect(edited.locator(".live-update__edited")).to_contain_text("Edited")
    expect(updates(reader)).to_have_count(4)
    expect(updates(reader).nth(2)).to_have_id(f"update-{first.pk}")

    # Ending the coverage: the page says so and stops asking.
    desk.goto(f"{live_server.url}/admin/articles/article/{blog.pk}/live/")
    desk.get_by_role("button", name="End the coverage").click()
    expect(desk.locator(".messagelist")).to_be_visible()
    assert Article.objects.get(pk=blog.pk).live == Article.Live.ENDED
    expect(reader.locator("[data-live-status]")).to_contain_text("Coverage ended", timeout=WAIT)
    expect(section).to_have_attribute("data-live-state", "ended")
    asked = len(polls)
    reader.wait_for_timeout(3_000)  # three rounds of a page that would still be asking
    assert len(polls) == asked, "The page still asks for updates after the coverage ended."

    assert reader.evaluate(MARKER) is True, "The reader's page was reloaded."
    desk_context.close()
    reader_context.close()


def test_the_blogs_reporter_posts_from_the_desk_and_another_reporter_cannot(
    live_server, browser, blog
):
    rita = ReporterFactory(username="rita", first_name="Rita", last_name="Okafor")
    blog.authors.add(AuthorFactory(name="Rita Okafor", user=rita))
    context, desk = log_in(browser, live_server, rita)
    update = post_update(desk, desk_url(live_server, blog), "Pier closed", "Waves over the pier.")
    assert update.created_by == rita
    recent = desk.locator(".live-desk__recent")
    expect(recent).to_contain_text("Pier closed")
    context.close()
    context, reader = open_as_reader(browser, blog, live_server)
    top = reader.locator(f"#update-{update.pk}")
    expect(top).to_contain_text("Waves over the pier.")
    expect(top.locator(".live-update__byline")).to_have_text("By Rita Okafor")
    context.close()

    # A reporter who doesn't own the blog finds neither it nor its updates in the desk.
    sam = ReporterFactory(username="sam")
    context, desk = log_in(browser, live_server, sam)
    desk.goto(desk_url(live_server, blog))
    expect(desk.locator(".live-desk")).to_have_count(0)
    expect(desk.locator("#id_article option", has_text=blog.headline)).to_have_count(0)
    desk.goto(f"{live_server.url}/admin/articles/liveupdate/{update.pk}/change/")
    # Not hers to open: the admin sends her back to its index, without the update's form.
    expect(desk).not_to_have_url(re.compile(r"/change/$"))
    expect(desk.get_by_label("Title")).to_have_count(0)
    desk.goto(f"{live_server.url}/admin/articles/liveupdate/")
    expect(desk.locator("#result_list")).to_have_count(0)
    expect(desk.get_by_text("Pier closed")).to_have_count(0)
    context.close()
    assert LiveUpdate.objects.count() == 1


def test_without_javascript_the_page_shows_every_update_and_no_button(live_server, browser, blog):
    post_from_code(blog, "Gales expected tonight", minutes_ago=30)
    post_from_code(blog, "Harbour wall breached", minutes_ago=20, key_event=True)
    post_from_code(blog, "Ferries cancelled", minutes_ago=10)
    context, page = open_as_reader(browser, blog, live_server, java_script_enabled=False)
    expect(updates(page)).to_have_count(3)
    expect(updates(page)).to_contain_text(
        ["Ferries cancelled", "Harbour wall breached", "Gales expected tonight"]
    )
    events = page.locator("[data-live-key-events]")
    expect(events.get_by_role("link")).to_have_text([f"{_time(page, 1)} Harbour wall breached"])
    expect(page.locator("[data-live-new] button")).to_have_count(0)
    context.close()


def _time(page, index):
    return updates(page).nth(index).locator(".live-update__time time").inner_text()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_new_updates_button_fits_and_the_page_has_no_axe_violations(
    live_server, browser, blog, width, tmp_path
):
    post_from_code(blog, "Gales expected tonight", minutes_ago=30, key_event=True)
    context, page = open_as_reader(
        browser, blog, live_server, viewport={"width": width, "height": 800}
    )
    expect(updates(page)).to_have_count(1)
    post_from_code(blog, "Coast road shut", key_event=True)
    post_from_code(blog, "Ferries cancelled")
    button = page.get_by_role("button", name="2 new updates")
    expect(button).to_be_visible(timeout=WAIT)
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / f"live-blog-{width}.png"), full_page=True)
    assert horizontal_overflow(page) <= 0
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    results = Axe().run(page)
    assert not results.violations_count, results.generate_report()
    # Inserted, the new updates and the new key events list pass too.
    button.click()
    expect(updates(page)).to_have_count(3)
    expect(page.locator("[data-live-key-events] li")).to_have_count(2)
    assert horizontal_overflow(page) <= 0
    results = Axe().run(page)
    assert not results.violations_count, results.generate_report()
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_live_desk_and_state_page_have_no_axe_violations(live_server, browser, blog, width):
    post_from_code(blog, "Harbour wall breached", key_event=True)
    update = post_from_code(blog, "Ferries cancelled")
    admin = f"{live_server.url}/admin"
    pages = {
        "desk form": desk_url(live_server, blog),
        "update form": f"{admin}/articles/liveupdate/{update.pk}/change/",
        "live state": f"{admin}/articles/article/{blog.pk}/live/",
    }
    context, page = log_in(browser, live_server, EditorFactory(username="ed"))
    problems = axe_problems(page, pages, width)
    context.close()
    assert not problems, axe_report(problems)

"""An editor writes and publishes a story in the admin; a reader finds it and reads it."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import SCREENSHOTS, add_tags, log_in, pick_author, write_body
from tests.factories import AuthorFactory, EditorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_publishes_and_reader_reads(live_server, browser):
    editor = EditorFactory(username="desk")
    AuthorFactory(name="Sophia Martinez", slug="sophia-martinez")
    editor_context, page = log_in(browser, live_server, editor)

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Harbour’s tram line opens on time")
    page.get_by_label("Standfirst").fill("The first new line in sixty years.")
    # Leaving the headline fills the slug in.
    expect(page.get_by_label("Slug")).to_have_value("harbours-tram-line-opens-on-time")
    write_body(
        page, "The first tram left the depot at 6 a.m.\n\n“It’s a good day,” said the driver."
    )
    add_tags(page, "transport", "city hall")
    pick_author(page, "Sophia Martinez")
    page.get_by_role("button", name="Save and publish now").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Published “Harbour’s tram line opens on time”. It is live at"
    )
    article = Article.objects.get()
    assert article.is_published()

    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.goto(f"{live_server.url}/")
    link = reader.get_by_role("link", name="Harbour’s tram line opens on time")
    expect(link).to_be_visible()
    link.click()
    expect(reader).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Harbour’s tram line opens on time")
    expect(reader.locator(".byline")).to_have_text("By Sophia Martinez")
    expect(reader.locator(".story__body p").nth(1)).to_have_text(
        "“It’s a good day,” said the driver."
    )
    expect(reader.locator(".tags")).to_contain_text("city hall")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reader.screenshot(path=SCREENSHOTS / "reader-article.png", full_page=True)
    reader.set_viewport_size({"width": 390, "height": 844})
    reader.screenshot(path=SCREENSHOTS / "reader-article-phone.png", full_page=True)
    reader_context.close()
    editor_context.close()


def test_save_and_schedule_without_a_time_leads_to_the_time(live_server, browser):
    """The refusal names the fix and links to the field it is made in; the draft is kept."""
    editor = EditorFactory(username="desk")
    AuthorFactory(name="Sophia Martinez", slug="sophia-martinez")
    context, page = log_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Ferry timetable changes.")
    write_body(page, "The ferry leaves at six.")
    pick_author(page, "Sophia Martinez")
    page.get_by_role("button", name="Save and schedule").click()

    message = page.locator(".messagelist")
    expect(message).to_contain_text("not scheduled because no date and time were given")
    page.get_by_role("link", name="Choose a time in the future, or publish the story now.").click()
    expect(page).to_have_url(re.compile("#id_publish_at_0$"))
    expect(page.locator("#id_publish_at_0")).to_be_in_viewport()
    assert Article.objects.get().headline == "Ferry timetable changes."
    context.close()

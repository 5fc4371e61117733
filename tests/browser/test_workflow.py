"""The newsroom's workflow in a real browser (#3): no lost edits when two editors save the same
story, restoring an earlier revision, and a reporter's story going to review and being shared
with someone outside the newsroom through a preview link."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.text import html_to_text, paragraphs_to_html
from tests.browser.helpers import (
    SCREENSHOTS,
    expect_body,
    log_in,
    pick_author,
    write_body,
)
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def change_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def test_second_editor_save_is_refused_and_keeps_text(live_server, browser):
    story = DraftArticleFactory(
        headline="Council votes on the harbour budget",
        body=paragraphs_to_html(["The council meets on Tuesday.", "The vote is expected late."]),
        authors=[AuthorFactory(name="Sophia Martinez")],
    )
    editor_a = EditorFactory(username="amira", first_name="Amira", last_name="Haddad")
    editor_b = EditorFactory(username="ben")
    context_a, page_a = log_in(browser, live_server, editor_a)
    context_b, page_b = log_in(browser, live_server, editor_b)

    # Both open the same story.
    page_a.goto(change_url(live_server, story))
    page_b.goto(change_url(live_server, story))
    expect_body(page_a, "The council meets on Tuesday.\n\nThe vote is expected late.")
    expect_body(page_b, "The council meets on Tuesday.\n\nThe vote is expected late.")

    # A saves first.
    a_text = "The council meets on Tuesday at 6 p.m.\n\nThe vote is expected before midnight."
    write_body(page_a, a_text)
    page_a.get_by_role("button", name="Save and continue editing").click()
    expect(page_a.locator(".messagelist")).to_contain_text("was changed successfully")
    expect_body(page_a, a_text)

    # B, still on the form as it was before A's save, saves different text.
    b_text = "The council meets on Wednesday.\n\n“We are ready,” said the mayor."
    write_body(page_b, b_text)
    page_b.get_by_role("button", name="Save", exact=True).click()

    error = page_b.locator(".errorlist.nonfield")
    expect(error).to_contain_text("Amira Haddad saved this story at")
    expect(error).to_contain_text("after you opened it, so your changes were not saved")
    # Nothing B typed is lost: it is still in the form.
    expect_body(page_b, b_text)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page_b.screenshot(path=SCREENSHOTS / "workflow-edit-conflict.png", full_page=True)

    # The database holds A's text, not B's.
    story.refresh_from_db()
    assert html_to_text(story.body) == a_text
    assert story.updated_by == editor_a
    assert story.version == 2

    # Opening the story again shows B the version A saved; B can then make the change again.
    # (A fresh GET: the browser's reload button would resubmit B's refused POST, and B would
    # get the same refusal with their own text again, not A's version.)
    page_b.goto(change_url(live_server, story))
    expect(page_b.locator(".errorlist.nonfield")).to_have_count(0)
    expect_body(page_b, a_text)
    write_body(page_b, a_text + "\n\nThe mayor will speak first.")
    page_b.get_by_role("button", name="Save and continue editing").click()
    expect(page_b.locator(".messagelist")).to_contain_text("was changed successfully")
    story.refresh_from_db()
    assert html_to_text(story.body) == a_text + "\n\nThe mayor will speak first."
    assert story.updated_by == editor_b

    context_b.close()
    context_a.close()


def test_editor_restores_an_earlier_revision(live_server, browser):
    story = PublishedArticleFactory(
        headline="Tram fares rise next month",
        slug="tram-fares-rise",
        body=paragraphs_to_html(["Fares go up in May."]),
    )
    editor = EditorFactory(username="desk")
    context, page = log_in(browser, live_server, editor)
    page.goto(change_url(live_server, story))

    # Two saves through the form, so the story has two revisions.
    first_headline, first_body = "Tram fares rise by 10p", "Fares go up by 10p in May."
    page.get_by_label("Headline").fill(first_headline)
    write_body(page, first_body + "\n\nThe last rise was in 2019.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_label("Headline").fill("Tram fares rise by 20p")
    write_body(page, "Fares go up by 20p in May.\n\nThe last rise was in 2019.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.get_by_label("Headline")).to_have_value("Tram fares rise by 20p")

    # The revisions, newest first; compare the two latest.
    page.get_by_role("link", name="Revisions", exact=True).click()
    expect(page.get_by_role("heading", name="Revisions")).to_be_visible()
    rows = page.locator("#compare-form tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Edited headline, body")
    expect(rows.nth(1)).to_contain_text("Edited headline, body")
    page.get_by_role("button", name="Compare").click()

    expect(page.get_by_role("heading", name="Compare revisions")).to_be_visible()
    removed, added = page.locator(".diff li.removed"), page.locator(".diff li.added")
    expect(removed.filter(has_text=first_headline)).to_have_count(1)
    expect(added.filter(has_text="Tram fares rise by 20p")).to_have_count(1)
    expect(removed.filter(has_text=first_body)).to_have_count(1)
    expect(added.filter(has_text="Fares go up by 20p in May.")).to_have_count(1)
    # The unchanged paragraph is shown as context, neither removed nor added.
    expect(page.locator(".diff li.same", has_text="The last rise was in 2019.")).to_have_count(1)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "workflow-compare.png", full_page=True)

    page.get_by_role("button", name="Restore the older revision").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored the text, byline and tags of")
    expect(page.get_by_label("Headline")).to_have_value(first_headline)
    expect_body(page, first_body + "\n\nThe last rise was in 2019.")
    story.refresh_from_db()
    assert story.headline == first_headline
    assert html_to_text(story.body) == first_body + "\n\nThe last rise was in 2019."
    assert story.status == Article.Status.PUBLISHED
    assert story.revisions.first().snapshot["headline"] == first_headline

    page.get_by_role("link", name="Revisions", exact=True).click()
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(re.compile(r"Restored the revision of \d+ \w+ \d{4}"))
    expect(rows.nth(0)).to_contain_text("desk")

    # The story is live: readers see the restored text at its unchanged address.
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    response = reader.goto(f"{live_server.url}{story.get_absolute_url()}")
    assert response.status == 200
    expect(reader.get_by_role("heading", level=1)).to_have_text(first_headline)
    expect(reader.locator(".story__body p").first).to_have_text(first_body)
    expect(reader.locator(".story__body")).not_to_contain_text("20p")
    reader_context.close()

    # The history says what the editor changed: the headline and the body, nothing else.
    # Product bug: on a live story every save also lists "correction_kind" (the untouched
    # "Add a note" select), so this reads "Edited headline, body, correction_kind".
    expect(page.locator("#compare-form tbody tr td:nth-child(5)")).to_have_text(
        [
            re.compile(r"^Restored the revision of "),
            "Edited headline, body",
            "Edited headline, body",
        ]
    )
    context.close()


def test_reporter_submits_and_editor_shares_a_preview(live_server, browser):
    reporter = ReporterFactory(username="rosa")
    editor = EditorFactory(username="desk")
    AuthorFactory(name="Rosa Delgado", slug="rosa-delgado")
    headline = "Night buses return to the harbour"

    # The reporter writes the story and submits it; they can't publish.
    reporter_context, page = log_in(browser, live_server, reporter)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    expect(page.get_by_role("button", name="Save and submit for review")).to_be_visible()
    expect(page.get_by_role("button", name="Save and publish now")).to_have_count(0)
    page.get_by_label("Headline").fill(headline)
    write_body(page, "The 91 runs again from Friday.\n\nIt leaves every 20 minutes.")
    pick_author(page, "Rosa Delgado")
    page.get_by_role("button", name="Save and submit for review").click()

    expect(page.locator(".messagelist")).to_contain_text(
        f"Submitted “{headline}” for review. An editor will take it from here."
    )
    expect(page.get_by_label("Headline")).to_have_value(headline)
    expect(page.get_by_role("button", name="Save and publish now")).to_have_count(0)
    expect(page.get_by_role("button", name="Save and schedule")).to_have_count(0)
    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    assert article.created_by == reporter
    assert [author.name for author in article.authors.all()] == ["Rosa Delgado"]
    reporter_context.close()

    # The editor finds it on the desk, waiting for review.
    editor_context, page = log_in(browser, live_server, editor)
    awaiting = page.get_by_role("region", name="Awaiting review")
    awaiting.get_by_role("link", name=headline).click()
    expect(page).to_have_url(re.compile(rf"/admin/articles/article/{article.pk}/change/$"))
    expect(page.get_by_label("Headline")).to_have_value(headline)

    # The editor's own preview.
    page.get_by_role("link", name="Preview", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/admin/articles/article/{article.pk}/preview/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(headline)
    expect(page.get_by_role("complementary", name="Preview")).to_contain_text("Preview.")
    page.go_back()

    # A shared preview link, for someone without an account.
    page.get_by_role("link", name="Share preview").click()
    page.get_by_role("button", name="Create a preview link").click()
    message = page.locator(".messagelist")
    expect(message).to_contain_text("New preview link, valid until")
    link = message.get_by_role("link")
    expect(link).to_have_attribute("href", re.compile(r"/preview/[^/]+/$"))
    preview_link = link.get_attribute("href")
    assert preview_link.startswith(live_server.url)

    guest_context = browser.new_context()
    guest = guest_context.new_page()
    response = guest.goto(preview_link)
    assert response.status == 200
    assert "noindex" in response.headers["x-robots-tag"]
    expect(guest.get_by_role("heading", level=1)).to_have_text(headline)
    expect(guest.get_by_role("complementary", name="Preview")).to_contain_text(
        "Preview. This story is not published."
    )
    expect(guest.locator(".byline")).to_have_text("By Rosa Delgado")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    guest.screenshot(path=SCREENSHOTS / "workflow-shared-preview.png", full_page=True)

    # The editor revokes the link; it stops working at once.
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "The link is revoked: it no longer opens the story."
    )
    expect(page.get_by_role("button", name="Revoke")).to_have_count(0)
    expect(page.get_by_role("cell", name="Revoked", exact=True)).to_be_visible()

    response = guest.reload()
    assert response.status == 410
    assert "noindex" in response.headers["x-robots-tag"]
    expect(guest.get_by_role("heading", level=1)).to_have_text("This preview link no longer works")
    expect(guest.get_by_role("heading", name=headline)).to_have_count(0)
    guest_context.close()
    editor_context.close()

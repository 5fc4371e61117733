"""The newsroom's workflow in a real browser (#3): no lost edits when two editors save the same
story, restoring an earlier revision, and a reporter's story going to review and being shared
with someone outside the newsroom through a preview link."""

import re

import pytest
from playwright.sync_api import expect

from articles import services
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


def two_editors(browser, live_server):
    """Amira and Ben, editors, each logged in in a browser of their own: (editor, context,
    page) for each."""
    editors = [
        EditorFactory(username="amira", first_name="Amira", last_name="Haddad"),
        EditorFactory(username="ben", first_name="Ben", last_name="Okoro"),
    ]
    return [(editor, *log_in(browser, live_server, editor)) for editor in editors]


def test_second_editor_save_is_refused_shows_why_and_reapplies(live_server, browser):
    story = DraftArticleFactory(
        headline="Council votes on the harbour budget",
        body=paragraphs_to_html(["The council meets on Tuesday.", "The vote is expected late."]),
        authors=[AuthorFactory(name="Sophia Martinez")],
    )
    services.revision_record(article=story, by=services.SYSTEM, comment="Created")
    (editor_a, context_a, page_a), (editor_b, context_b, page_b) = two_editors(browser, live_server)

    # Both open the same story, and each sees the other is there.
    page_a.goto(change_url(live_server, story))
    page_b.goto(change_url(live_server, story))
    expect_body(page_a, "The council meets on Tuesday.\n\nThe vote is expected late.")
    expect_body(page_b, "The council meets on Tuesday.\n\nThe vote is expected late.")
    expect(page_b.locator("#story-presence")).to_contain_text(
        "Amira Haddad is also editing this story (since"
    )

    # A saves first.
    a_text = "The council meets on Tuesday at 6 p.m.\n\nThe vote is expected late."
    write_body(page_a, a_text)
    page_a.get_by_role("button", name="Save and continue editing").click()
    expect(page_a.locator(".messagelist")).to_contain_text(
        "Saved the changes to “Council votes on the harbour budget”."
    )
    expect_body(page_a, a_text)

    # B, still on the form as it was before A's save, changes the headline and the body.
    page_b.get_by_label("Headline").fill("Council votes on the harbour budget tonight")
    b_text = "The council meets on Wednesday.\n\n“We are ready,” said the mayor."
    write_body(page_b, b_text)
    page_b.get_by_role("button", name="Save", exact=True).click()

    error = page_b.locator(".errorlist.nonfield")
    expect(error).to_contain_text("Amira Haddad saved this story at")
    expect(error).to_contain_text("after you opened it, so your changes were not saved")
    # What A changed, word by word: the time added before the full stop, nothing else.
    expect(error.get_by_text("What Amira Haddad changed")).to_be_visible()
    expect(error.locator(".diff-body ins")).to_have_text([" at 6 p.m."])
    expect(error.locator(".diff-body del")).to_have_text(["."])
    # Nothing B typed is lost: it is still in the form.
    expect_body(page_b, b_text)
    expect(page_b.get_by_label("Headline")).to_have_value(
        "Council votes on the harbour budget tonight"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page_b.screenshot(path=SCREENSHOTS / "workflow-edit-conflict.png", full_page=True)

    # The database holds A's text, not B's.
    story.refresh_from_db()
    assert html_to_text(story.body) == a_text
    assert story.updated_by == editor_a

    # One step puts B's headline and second paragraph on A's version (#16); the first
    # paragraph, which both changed, keeps A's in the form, with B's beside it, marked.
    page_b.get_by_role("button", name="Apply my changes to the latest version").click()
    expect(page_b.locator(".messagelist li")).to_have_count(1)
    expect(page_b.locator(".messagelist")).to_contain_text(
        "Amira Haddad’s changes and yours were combined, except paragraph 1 of the body"
    )
    expect(page_b.locator(".messagelist")).to_contain_text(
        "Your changes now in the form: the headline and the body (paragraph 2)."
    )
    expect(page_b.get_by_label("Headline")).to_have_value(
        "Council votes on the harbour budget tonight"
    )
    merged_text = "The council meets on Tuesday at 6 p.m.\n\n“We are ready,” said the mayor."
    expect_body(page_b, merged_text)
    clash = page_b.get_by_role("region", name="Changed by you and Amira Haddad")
    expect(clash).to_contain_text("Body, paragraph 1")
    expect(clash.locator(".story-clash__theirs")).to_have_text(
        "The council meets on Tuesday at 6 p.m."
    )
    expect(clash.locator(".story-clash__mine")).to_have_text("The council meets on Wednesday.")
    expect(page_b.locator(".errornote")).to_have_count(0)
    page_b.screenshot(path=SCREENSHOTS / "workflow-edit-combined.png", full_page=True)

    # A plain save is refused until B says the paragraph is merged.
    page_b.get_by_role("button", name="Save and continue editing").click()
    expect(page_b.locator(".errorlist.nonfield")).to_contain_text(
        "Resolve the paragraphs you and Amira Haddad both changed"
    )
    expect_body(page_b, merged_text)
    story.refresh_from_db()
    assert html_to_text(story.body) == a_text
    page_b.get_by_label("I have merged my changes").check()
    page_b.get_by_role("button", name="Save and continue editing").click()
    expect(page_b.locator(".messagelist")).to_contain_text("Saved the changes to")
    story.refresh_from_db()
    assert story.headline == "Council votes on the harbour budget tonight"
    assert html_to_text(story.body) == merged_text
    assert story.updated_by == editor_b

    context_b.close()
    context_a.close()


def test_edits_to_different_paragraphs_of_a_live_story_are_combined(live_server, browser, settings):
    """The tester's case (#16): A adds words at the start of a live story, B at its end and
    to the standfirst; B hears of A's save at the next beat, and loses no word."""
    settings.NEWSROOM_HEARTBEAT_SECONDS = 1  # The next beat within the test's wait.
    story = PublishedArticleFactory(
        headline="Harbour budget passes",
        standfirst="The council voted late.",
        body=paragraphs_to_html(["The vote came at 11 p.m.", "Work starts in May."]),
        authors=[AuthorFactory(name="Sophia Martinez")],
    )
    services.revision_record(article=story, by=services.SYSTEM, comment="Published")
    story.revisions.update(version=story.version)
    (editor_a, context_a, page_a), (editor_b, context_b, page_b) = two_editors(browser, live_server)
    page_a.goto(change_url(live_server, story))
    page_b.goto(change_url(live_server, story))
    expect_body(page_b, "The vote came at 11 p.m.\n\nWork starts in May.")

    write_body(page_a, "ALPHAONE The vote came at 11 p.m.\n\nWork starts in May.")
    page_a.get_by_role("button", name="Save draft of changes").click()
    expect(page_a.locator(".messagelist")).to_contain_text("as a draft")

    # B's page says so at its next beat, before any save.
    expect(page_b.locator("#story-newer")).to_contain_text(
        re.compile(r"Amira Haddad saved a newer version at \d\d:\d\d")
    )
    page_b.get_by_label("Standfirst").fill("The council voted late on Tuesday.")
    write_body(page_b, "The vote came at 11 p.m.\n\nWork starts in May. BRAVOTWO")
    page_b.get_by_role("button", name="Save draft of changes").click()
    expect(page_b.locator(".errorlist.nonfield")).to_contain_text("Amira Haddad saved this story")
    page_b.get_by_role("button", name="Apply my changes to the latest version").click()
    expect(page_b.locator(".messagelist li")).to_have_count(1)
    expect(page_b.locator(".messagelist")).to_contain_text(
        "Amira Haddad’s changes and yours were combined; check before saving."
    )
    expect(page_b.locator("#story-clash")).to_have_count(0)
    combined = "ALPHAONE The vote came at 11 p.m.\n\nWork starts in May. BRAVOTWO"
    expect_body(page_b, combined)
    expect(page_b.get_by_label("Standfirst")).to_have_value("The council voted late on Tuesday.")
    expect(page_b.locator("#story-newer")).to_be_hidden()
    page_b.get_by_role("button", name="Save draft of changes").click()
    expect(page_b.locator(".messagelist")).to_contain_text("as a draft")
    staged = services.staged_story(Article.objects.get(pk=story.pk))
    assert html_to_text(staged.body) == combined
    assert staged.standfirst == "The council voted late on Tuesday."
    context_b.close()
    context_a.close()


def test_editor_stages_previews_publishes_and_restores(live_server, browser):
    story = PublishedArticleFactory(
        headline="Tram fares rise next month",
        slug="tram-fares-rise",
        body=paragraphs_to_html(["Fares go up in May.", "The last rise was in 2019."]),
        authors=[AuthorFactory(name="Sophia Martinez")],
    )
    editor = EditorFactory(username="desk")
    context, page = log_in(browser, live_server, editor)
    page.goto(change_url(live_server, story))
    expect(page.get_by_role("note")).to_contain_text("This story is live.")

    # A draft of changes: readers keep the published version.
    first_headline, first_body = "Tram fares rise by 10p", "Fares go up by 10p in May."
    page.get_by_label("Headline").fill(first_headline)
    write_body(page, first_body + "\n\nThe last rise was in 2019.")
    page.get_by_role("button", name="Save draft of changes").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "as a draft: readers still see the published version"
    )
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.goto(f"{live_server.url}{story.get_absolute_url()}")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Tram fares rise next month")

    # The preview shows the changes.
    page.get_by_role("link", name="Preview changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first_headline)
    expect(page.get_by_role("complementary", name="Preview")).to_contain_text(
        "Preview of unpublished changes"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "workflow-preview-changes.png", full_page=True)
    page.go_back()

    # Publish them: readers see them now.
    page.get_by_role("button", name="Publish changes").click()
    expect(page.locator(".messagelist")).to_contain_text("Published the changes to")
    reader.reload()
    expect(reader.get_by_role("heading", level=1)).to_have_text(first_headline)

    # A second change, published at once.
    page.get_by_label("Headline").fill("Tram fares rise by 20p")
    write_body(page, "Fares go up by 20p in May.\n\nThe last rise was in 2019.")
    page.get_by_role("button", name="Publish changes").click()
    expect(page.locator(".messagelist")).to_contain_text("Published the changes to")

    # The revisions, newest first; compare the two published versions.
    page.get_by_role("link", name="Revisions", exact=True).click()
    rows = page.locator("#compare-form tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#compare-form tbody tr td:nth-child(5)")).to_have_text(
        [
            "Published the changes to the headline and body",
            "Published the changes to the headline and body",
            "Unpublished changes: Saved unpublished changes to the headline and body",
        ]
    )
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Compare revisions")).to_be_visible()
    # Word by word: "10p" became "20p", in the headline and in the body; nothing else.
    expect(page.locator(".diff-text del")).to_have_text(["10p"])
    expect(page.locator(".diff-text ins")).to_have_text(["20p"])
    expect(page.locator(".diff-body del")).to_have_text(["10p"])
    expect(page.locator(".diff-body ins")).to_have_text(["20p"])
    # The unchanged paragraph is shown as context; the byline side by side, unchanged.
    expect(page.locator(".diff-body p.same", has_text="The last rise was in 2019.")).to_have_count(
        1
    )
    byline = page.locator(".diff-details tr", has_text="Byline")
    expect(byline.locator("td")).to_have_text(["Sophia Martinez", "Sophia Martinez"])
    page.screenshot(path=SCREENSHOTS / "workflow-compare.png", full_page=True)

    # Restoring onto a live story asks first.
    page.get_by_role("link", name="Restore the older revision…").click()
    expect(page.get_by_role("heading", name="Restore a revision")).to_be_visible()
    page.get_by_role("button", name="Restore and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored the text, byline and tags of")
    expect(page.get_by_label("Headline")).to_have_value(first_headline)
    expect_body(page, first_body + "\n\nThe last rise was in 2019.")
    story.refresh_from_db()
    assert story.headline == first_headline
    assert story.status == Article.Status.PUBLISHED

    # Readers see the restored text at the unchanged address.
    response = reader.goto(f"{live_server.url}{story.get_absolute_url()}")
    assert response.status == 200
    expect(reader.get_by_role("heading", level=1)).to_have_text(first_headline)
    expect(reader.locator(".story__body p").first).to_have_text(first_body)
    reader_context.close()
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

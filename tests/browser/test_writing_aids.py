"""Writing aids on the story form (#14): spell-check on in the body, the body editor named by
its label, a live word count and reading time counted as the site counts them, and the
headline's length against what search results show."""

import pytest
from playwright.sync_api import expect

from articles.importing import parse_story
from articles.models import Article
from articles.text import HEADLINE_SHOWN, WORDS_PER_MINUTE, paragraphs_to_html
from tests.browser.helpers import log_in, write_body
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_form(live_server, page):
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    editor = page.locator(".ProseMirror[contenteditable]")
    expect(editor).to_be_visible()
    return editor


def test_the_body_is_spell_checked_and_named(live_server, browser):
    context, page = log_in(browser, live_server, ReporterFactory())
    editor = add_form(live_server, page)
    # The library set spellcheck="false"; the browser's default (on) applies again.
    assert editor.get_attribute("spellcheck") != "false"
    assert page.evaluate("document.querySelector('.ProseMirror[contenteditable]').spellcheck")
    expect(page.get_by_role("textbox", name="Body")).to_be_visible()
    context.close()


def test_the_word_count_and_the_headline_length_follow_the_typing(live_server, browser):
    context, page = log_in(browser, live_server, ReporterFactory())
    add_form(live_server, page)
    count = page.locator("#story-word-count")
    expect(count).to_have_text("0 words · 1 min read")
    write_body(page, "It’s a well-known fact.\n\nThe council's vote passed.")
    expect(count).to_have_text("8 words · 1 min read")

    length = page.locator("#story-headline-length")
    headline = page.get_by_label("Headline")
    headline.fill("Trams return")
    expect(length).to_have_text(f"12 characters; search results show about {HEADLINE_SHOWN}.")
    expect(length).not_to_have_class("help story-measure story-measure--over")
    headline.fill("x" * (HEADLINE_SHOWN + 1))
    expect(length).to_have_text(
        f"{HEADLINE_SHOWN + 1} characters: search results cut headlines after about "
        f"{HEADLINE_SHOWN}."
    )
    expect(length).to_have_class("help story-measure story-measure--over")
    assert "story-headline-length" in headline.get_attribute("aria-describedby")
    context.close()


def test_the_reference_storys_count_matches_the_sites(live_server, browser, reference_story_file):
    parsed = parse_story(reference_story_file.read_bytes())
    reporter = ReporterFactory()
    story = DraftArticleFactory(
        headline=parsed.headline,
        body=paragraphs_to_html(parsed.paragraphs),
        authors=[AuthorFactory()],
        created_by=reporter,
    )
    words = Article.objects.get(pk=story.pk).word_count
    assert words > 300
    context, page = log_in(browser, live_server, reporter)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    minutes = max(1, round(words / WORDS_PER_MINUTE))
    expect(page.locator("#story-word-count")).to_have_text(f"{words:,} words · {minutes} min read")
    context.close()


def test_an_empty_body_opens_with_room_to_write(live_server, browser):
    """A new story's body is a page to write on, not a one-line box, and a click anywhere in
    it lands in it; the live desk's, for a short update, is smaller but still several lines."""
    blog = PublishedArticleFactory(live=Article.Live.LIVE)
    context, page = log_in(browser, live_server, EditorFactory())
    editor = add_form(live_server, page)
    story_height = editor.bounding_box()["height"]
    assert story_height >= 200, story_height
    box = editor.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 10)
    page.keyboard.type("Typed low in the box.")
    expect(editor).to_have_text("Typed low in the box.")

    page.goto(f"{live_server.url}/admin/articles/liveupdate/add/?article={blog.pk}")
    desk = page.locator(".ProseMirror[contenteditable]")
    expect(desk).to_be_visible()
    desk_height = desk.bounding_box()["height"]
    assert 100 <= desk_height < story_height, desk_height
    context.close()

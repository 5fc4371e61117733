"""The story list fits 1280 px without scrolling sideways (#14). Before, its eight columns
overflowed and wrapped headlines to two words a line."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import SCREENSHOTS, log_in
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_story_list_fits_1280_px(live_server, browser):
    section = SectionFactory(name="Environment and climate")
    authors = [AuthorFactory(name="Tomasz Nowakowski"), AuthorFactory(name="Daniel Whitcombe")]
    picture = make_image(jpeg((1600, 900)), alt_text="The council chamber")
    PublishedArticleFactory.create_batch(
        5,
        headline="Harbourside council approves £212m budget after late-night debate on trams",
        section=section,
        authors=authors,
        lead_image=picture,
    )
    # The embargo's badge (#15) takes its place in the status column without widening it.
    DraftArticleFactory(
        headline="Budget details under embargo until the chancellor stands up",
        embargo_until=timezone.now() + timedelta(days=1),
    )
    context, page = log_in(browser, live_server, EditorFactory())
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/admin/articles/article/")
    expect(page.locator("#result_list .story-badge--embargo")).to_have_count(1)
    widths = page.evaluate(
        """() => {
            const results = document.querySelector("#changelist .results");
            const headline = document.querySelector("#result_list .field-story a");
            return {
                page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
                results: [results.scrollWidth, results.clientWidth],
                headline: headline.getBoundingClientRect().width,
            };
        }"""
    )
    assert widths["page"][0] <= widths["page"][1], widths
    assert widths["results"][0] <= widths["results"][1], widths
    assert widths["headline"] >= 200, widths  # Not two words a line.
    thumbnail = page.locator("#result_list .field-picture img").first
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") > 0
    # A published story's row (the draft without a time sorts first on PostgreSQL, last on
    # SQLite).
    council = page.locator("#result_list tr", has_text="Harbourside council").first
    meta = council.locator(".field-story .story-meta")
    assert meta.inner_text() == "Tomasz Nowakowski, Daniel Whitcombe · Environment and climate"
    context.close()


def test_the_typed_author_filter_suggests_and_filters(live_server, browser):
    """The author filter at archive scale (#14): type part of a name, pick it from the
    suggestions with the keyboard, and the list holds that author's stories only; the list
    still fits 1280 px with the typed filters in the sidebar."""
    ines = AuthorFactory(name="Ines Navarro", job_title="Courts reporter")
    AuthorFactory(name="Ines Okafor", job_title="Data reporter")
    PublishedArticleFactory(headline="Court hears the harbour case", authors=[ines])
    PublishedArticleFactory(
        headline="Trams run late again", authors=[AuthorFactory(name="Bo Berg")]
    )
    context, page = log_in(browser, live_server, EditorFactory())
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/admin/articles/article/?status__exact=published")

    box = page.get_by_role("combobox", name="Author")
    box.fill("ines")
    options = page.get_by_role("listbox", name="Suggestions for Author").get_by_role("option")
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="2 suggestions")).to_have_count(1)
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    box.press("Enter")

    page.wait_for_url(f"**/admin/articles/article/?*author={ines.pk}*")
    assert "status__exact=published" in page.url  # the other filters are kept
    rows = page.locator("#result_list .field-story a")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Court hears the harbour case")
    expect(page.get_by_role("combobox", name="Author")).to_have_value(
        "Ines Navarro (Courts reporter)"
    )
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    page.screenshot(path=SCREENSHOTS / "story-list-author-filter.png", full_page=True)

    # Escape closes the suggestions; the form still sends what was typed.
    box = page.get_by_role("combobox", name="Author")
    box.fill("bo berg")
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_count(1)
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Trams run late again")
    context.close()

"""The story list fits 1280 px without scrolling sideways (#14). Before, its eight columns
overflowed and wrapped headlines to two words a line."""

import pytest

from tests.browser.helpers import log_in
from tests.factories import AuthorFactory, EditorFactory, PublishedArticleFactory, SectionFactory
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
    context, page = log_in(browser, live_server, EditorFactory())
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/admin/articles/article/")
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
    meta = page.locator("#result_list .field-story .story-meta").first
    assert meta.inner_text() == "Tomasz Nowakowski, Daniel Whitcombe · Environment and climate"
    context.close()

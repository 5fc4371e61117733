"""The story form's "SEO and social" fieldset in a real browser (#14): the preview of the search
result and of the social card follows the typing and the lead image picked, the lengths are
told under the fields, it fits a phone, and the published page's <title> is the SEO title."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from articles.seo import search_cut
from articles.text import HEADLINE_SHOWN
from images.models import Image
from tests.browser.helpers import SCREENSHOTS, log_in
from tests.factories import DraftArticleFactory, EditorFactory
from tests.images.samples import jpeg, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story():
    quay = make_image(jpeg((1600, 1000)), alt_text="The quay at dawn")
    make_image(jpeg((1400, 900)), alt_text="Tram depot at night", focal_x=0.2)
    return DraftArticleFactory(
        headline="Council approves the harbour budget",
        standfirst="Councillors voted 31 to 20 after a long debate.",
        lead_image=quay,
    )


def open_fieldset(page, story, live_server):
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
    page.locator("fieldset.seo-social summary").click()
    expect(page.get_by_label("SEO title")).to_be_visible()


def test_the_preview_follows_the_typing_and_the_page_takes_the_title(live_server, browser, story):
    context, page = log_in(browser, live_server, EditorFactory())
    open_fieldset(page, story, live_server)
    suffix = f" | {settings.SITE_NAME}"
    title = page.locator("#seo-preview-title")
    card_title = page.locator("#seo-preview-social-title")
    length = page.locator("#story-seo-title-length")
    # Empty: the headline, as the page would use it.
    expect(title).to_have_text(search_cut(story.headline + suffix, HEADLINE_SHOWN))
    expect(length).to_have_text("Empty: search results show the headline.")
    expect(page.locator("#seo-preview-description")).to_have_text(story.standfirst)

    seo_title = page.get_by_label("SEO title")
    seo_title.fill("Harbour budget approved")
    expect(title).to_have_text(f"Harbour budget approved{suffix}")
    expect(card_title).to_have_text("Harbour budget approved")
    budget = HEADLINE_SHOWN - len(suffix)
    expect(length).to_have_text(
        f"23 characters; search results show about {budget} ({HEADLINE_SHOWN} with “{suffix}”)."
    )
    assert "story-seo-title-length" in seo_title.get_attribute("aria-describedby")

    # Too long: cut after the last word that fits, as the server cuts it, and said so.
    long_title = "Harbour budget approved after six hours of debate on rents, cranes and tolls"
    seo_title.fill(long_title)
    expect(title).to_have_text(search_cut(long_title + suffix, HEADLINE_SHOWN))
    expect(card_title).to_have_text(long_title)
    expect(length).to_have_class("help story-measure story-measure--over")

    page.get_by_label("SEO description").fill("Where the £40m goes,\nline by line.")
    expect(page.locator("#seo-preview-description")).to_have_text(
        "Where the £40m goes, line by line."
    )
    expect(page.locator("#story-seo-description-length")).to_contain_text("34 characters;")

    # The card shows the lead image's social crop; picking another picture shows its crop.
    image = page.locator("#seo-preview-image")
    quay = story.lead_image
    expect(image).to_have_attribute("src", quay.crop("social").url)
    page.get_by_role("button", name="Choose from the library").click()
    page.get_by_role("dialog").get_by_label("Search the library").fill("depot")
    page.get_by_role("button", name="Tram depot at night").click()
    depot = Image.objects.get(alt_text="Tram depot at night")
    expect(image).to_have_attribute("src", depot.crop("social").url)
    # The crop itself loads: 1200 pixels wide, as shared.
    expect(image).to_have_js_property("naturalWidth", 1200)

    seo_title.fill("Harbour budget approved")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("fieldset.seo-social").screenshot(path=SCREENSHOTS / "seo-preview.png")
    results = Axe().run(page)
    assert not results.violations_count, results.generate_report()

    page.get_by_role("button", name="Save and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Published “")
    story.refresh_from_db()
    assert story.is_published() and story.seo_title == "Harbour budget approved"
    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}{story.get_absolute_url()}")
    expect(reader).to_have_title(f"Harbour budget approved{suffix}")
    expect(reader.get_by_role("heading", level=1)).to_have_text(story.headline)
    reader.context.close()
    context.close()


def test_the_preview_fits_a_phone(live_server, browser, story):
    context, page = log_in(browser, live_server, EditorFactory())
    page.set_viewport_size({"width": 390, "height": 844})
    open_fieldset(page, story, live_server)
    page.get_by_label("SEO title").fill("Harbour budget approved")
    preview = page.locator("#seo-preview")
    preview.scroll_into_view_if_needed()
    expect(page.locator("#seo-preview-social-title")).to_have_text("Harbour budget approved")
    box = preview.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("fieldset.seo-social").screenshot(path=SCREENSHOTS / "seo-preview-phone.png")
    context.close()

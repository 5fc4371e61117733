"""The story page and the date archives as a reader sees them (#16): byline photos, share
links and "Copy link", "more from" blocks, and the archives' navigation, at a phone's width
and a laptop's, with no sideways scrolling and no axe violations."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.helpers import horizontal_overflow
from tests.factories import AuthorFactory, PublishedArticleFactory, SectionFactory
from tests.images.samples import jpeg, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]


@pytest.fixture
def newsroom():
    city = SectionFactory(name="City", description="Council, streets and neighbourhoods.")
    ann = AuthorFactory(
        name="Annabel Ames-Whitworth",
        photo=make_image(jpeg((500, 600)), alt_text="Annabel Ames-Whitworth", credit="Staff"),
    )
    bo = AuthorFactory(name="Bo Berg", photo=make_image(jpeg((600, 600)), alt_text="Bo Berg"))
    now = datetime.datetime.now(datetime.UTC)
    quay = make_image(jpeg((1600, 1000)), alt_text="Boats on the quay", credit="Jo Bloggs")
    story = PublishedArticleFactory(
        headline="Harbour’s “night tram” & the ferry: what changes on Monday",
        authors=[ann, bo],
        section=city,
        lead_image=make_image(
            jpeg((1600, 1000)),
            alt_text="A tram at the harbour at night",
            caption="The last tram leaves the harbour.",
            credit="Jo Bloggs",
        ),
        published_at=now - datetime.timedelta(hours=1),
    )
    story.tags.add("trams")
    others = [
        PublishedArticleFactory(
            headline=f"City story number {i} about a rather long council debate on buses",
            section=city,
            authors=[ann if i % 2 else bo],
            lead_image=quay if i % 3 else None,
            published_at=now - datetime.timedelta(days=i, hours=2),
        )
        for i in range(1, 12)
    ]
    return {"story": story, "others": others, "city": city}


def axe_violations(page):
    results = Axe().run(page)
    return results.generate_report() if results.violations_count else ""


@pytest.mark.parametrize("width", WIDTHS)
def test_story_page_reads_well_and_copies_its_link(live_server, browser, newsroom, width, tmp_path):
    story = newsroom["story"]
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())

    byline = page.locator(".story__meta .byline")
    photos = byline.locator("img.byline__photo")
    expect(photos).to_have_count(2)
    for i in range(2):
        expect(photos.nth(i)).to_have_attribute("alt", "")
        assert photos.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        box = photos.nth(i).bounding_box()
        assert box["width"] == pytest.approx(40, abs=1) and box["height"] == box["width"]
    expect(byline.get_by_role("link", name="Bo Berg")).to_be_visible()

    # Copy link: shown because the browser can copy; copies the story's address and says so.
    share = page.get_by_role("region", name="Share this story")
    copy = share.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible()
    expect(share.get_by_role("link", name="Share on Facebook")).to_be_visible()
    copy.click()
    expect(share.get_by_role("status")).to_have_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(story.get_absolute_url())

    expect(page.get_by_role("heading", name="More from City")).to_be_visible()
    expect(page.get_by_role("heading", name="More from Annabel Ames-Whitworth")).to_be_visible()

    assert horizontal_overflow(page) <= 0, f"the story page scrolls sideways at {width}px"
    page.screenshot(path=tmp_path / f"story-{width}.png", full_page=True)
    assert not axe_violations(page)
    context.close()


def test_without_javascript_there_is_no_copy_button(live_server, browser, newsroom):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + newsroom["story"].get_absolute_url())
    share = page.get_by_role("region", name="Share this story")
    expect(share.get_by_role("link", name="Share by Email")).to_be_visible()
    expect(share.get_by_role("button", name="Copy link")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_archive_pages_fit_the_screen(live_server, browser, newsroom, width, tmp_path):
    day = newsroom["others"][3].publication_date
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name, path in {
        "year": f"/{day:%Y}/",
        "month": f"/{day:%Y/%m}/",
        "day": f"/{day:%Y/%m/%d}/",
    }.items():
        page.goto(live_server.url + path)
        expect(page.locator(".breadcrumbs [aria-current=page]")).to_be_visible()
        assert horizontal_overflow(page) <= 0, f"the {name} archive scrolls sideways at {width}px"
        page.screenshot(path=tmp_path / f"archive-{name}-{width}.png", full_page=True)
        assert not axe_violations(page), name
    # The days of the month lead to a day; from there, the earlier day with stories.
    page.goto(f"{live_server.url}/{day:%Y/%m}/")
    page.get_by_role("navigation", name=f"Days of {day:%B %Y} with stories").get_by_role(
        "link", name=f"{day.day} {day:%B}", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{day.day} {day:%B %Y}")
    context.close()

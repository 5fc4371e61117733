"""axe-core finds no accessibility violations on the reader's pages (#5)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import AuthorFactory, PublishedArticleFactory, SectionFactory
from tests.images.samples import jpeg, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site():
    city = SectionFactory(name="City", description="Council, streets and neighbourhoods.")
    author = AuthorFactory(
        name="Ann Ames",
        job_title="City hall reporter",
        photo=make_image(jpeg((600, 600)), alt_text="Ann Ames", credit="Staff"),
    )
    story = PublishedArticleFactory(
        authors=[author],
        section=city,
        body='<h2>What happened</h2><p>Text with a <a href="/corrections/">link</a>.</p>'
        "<ul><li>One</li></ul><blockquote><p>A quote.</p></blockquote>",
        lead_image=make_image(
            jpeg((1600, 1000)), alt_text="The quay", caption="The quay.", credit="Jo Bloggs"
        ),
    )
    story.tags.add("trams")
    PublishedArticleFactory.create_batch(3, section=city, authors=[author])
    return {"story": story, "author": author}


def test_reader_pages_have_no_axe_violations(live_server, browser, site):
    pages = {
        "front": "/",
        "article": site["story"].get_absolute_url(),
        "author": site["author"].get_absolute_url(),
        "section": "/sections/city/",
        "tag": "/tags/trams/",
        "archive": f"/{site['story'].publication_date:%Y}/",
        "corrections": "/corrections/",
        "search results": "/search/?q=quote",
        "empty search": "/search/",
        "not found": "/no/such/page/",
    }
    axe = Axe()
    context = browser.new_context()
    page = context.new_page()
    problems = {}
    for name, path in pages.items():
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + path)
            results = axe.run(page)
            if results.violations_count:
                problems[f"{name} at {width}px"] = results.generate_report()
    # Keyboard users: the first Tab shows the skip link, which takes them to the content.
    page.goto(live_server.url + pages["article"])
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    context.close()
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())

"""The footer, a footer page and the staff page as readers see them (#16): columns side by side
on a desktop, stacked on a phone, nothing wider than the screen, and no axe violations.
Screenshots go to var/screenshots/."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from pages.models import Page
from tests.browser.helpers import (
    SCREENSHOTS,
    axe_problems,
    axe_report,
    horizontal_overflow,
    log_in,
    write_body,
)
from tests.factories import AuthorFactory, EditorFactory, PublishedArticleFactory, SectionFactory
from tests.images.samples import jpeg, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)


@pytest.fixture
def site():
    call_command("load_demo_pages", verbosity=0)
    business = SectionFactory(name="Business", description="Work, money and the port.")
    reporters = [
        AuthorFactory(
            name="Amara Okafor",
            job_title="Education and communities reporter",
            bio="Amara covers the valley's schools, colleges and community groups.",
            photo=make_image(jpeg((600, 800)), alt_text="Amara Okafor", credit="Staff"),
        ),
        AuthorFactory(
            name="Tomasz Nowak",
            job_title="Transport and business correspondent",
            bio="Tomasz follows the port, the ferries and the firms along the quay.",
        ),
        AuthorFactory(
            name="Priya Raman",
            job_title="Environment and health reporter",
            bio="Priya reports on the river, the weather and the hospital.",
            photo=make_image(jpeg((800, 600)), alt_text="Priya Raman", credit="Staff"),
        ),
    ]
    for author in reporters:
        PublishedArticleFactory(section=business, authors=[author])
    return {"section": business}


def test_footer_columns_and_pages_at_phone_and_desktop_widths(live_server, browser, site):
    context = browser.new_context()
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        for name, path in (
            ("front", "/"),
            ("about", "/pages/about/"),
            ("staff", "/staff/"),
            ("section", "/sections/business/"),
        ):
            page.goto(live_server.url + path)
            assert horizontal_overflow(page) <= 0, f"{path} scrolls sideways at {width} px"
            page.screenshot(path=SCREENSHOTS / f"footer-{name}-{width}.png", full_page=True)
        # The footer's three columns: side by side on a desktop, one under another on a phone.
        page.goto(live_server.url + "/")
        footer = page.locator(".site-footer")
        tops = [
            column.bounding_box()["y"] for column in footer.locator(".site-footer__column").all()
        ]
        assert len(tops) == 3
        if width >= 1280:
            assert len(set(tops)) == 1, tops
        else:
            assert tops == sorted(tops) and len(set(tops)) == 3, tops
        footer.screenshot(path=SCREENSHOTS / f"footer-{width}.png")
        nav = page.get_by_role("navigation", name="Site")
        for link in ("About us", "Contact us", "Corrections policy", "Privacy", "Our staff"):
            expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
        expect(nav.get_by_role("link", name="RSS feed of the latest stories")).to_be_visible()
    # A reader follows the footer to a page and to the staff page.
    page.get_by_role("navigation", name="Site").get_by_role("link", name="About us").click()
    expect(page.get_by_role("heading", level=1, name="About us")).to_be_visible()
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Our staff").click()
    expect(page.get_by_role("heading", level=1, name="Our staff")).to_be_visible()
    expect(page.get_by_role("link", name="Amara Okafor")).to_be_visible()
    # The section's own feed, by its accessible name.
    page.goto(live_server.url + "/sections/business/")
    expect(page.get_by_role("link", name="RSS feed for Business")).to_be_visible()
    context.close()


def test_footer_page_and_staff_page_have_no_axe_violations(live_server, browser, site):
    context = browser.new_context()
    page = context.new_page()
    pages = {
        "about": live_server.url + "/pages/about/",
        "contact": live_server.url + "/pages/contact/",
        "staff": live_server.url + "/staff/",
        "section with its feed link": live_server.url + "/sections/business/",
    }
    problems = {}
    for width in WIDTHS:
        found = axe_problems(page, pages, width=width)
        problems |= {f"{name} at {width}px": report for name, report in found.items()}
    context.close()
    assert not problems, axe_report(problems)


def test_an_editor_writes_a_page_in_the_rich_editor(live_server, browser):
    """The story editor starts on the page form under the admin's security policy (the
    autouse check fails on any CSP violation), and the page is in every footer once saved."""
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(live_server.url + "/admin/pages/page/add/")
    page.get_by_label("Title").press_sequentially("Advertise with us")
    expect(page.get_by_label("Slug")).to_have_value("advertise-with-us")
    write_body(page, "Reach the valley's readers.\n\nCall the sales desk.")
    page.keyboard.press("ControlOrMeta+a")
    page.locator('.prose-menubar [data-name="bold"]').click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    saved = Page.objects.get(slug="advertise-with-us")
    assert saved.body == (
        "<p><strong>Reach the valley's readers.</strong></p>"
        "<p><strong>Call the sales desk.</strong></p>"
    )
    context.close()
    reader = browser.new_context().new_page()
    reader.goto(live_server.url + "/corrections/")
    reader.get_by_role("navigation", name="Site").get_by_role(
        "link", name="Advertise with us"
    ).click()
    expect(reader.locator(".info-page__body strong").first).to_have_text(
        "Reach the valley's readers."
    )
    reader.context.close()


def test_two_editors_on_one_page_lose_nothing(live_server, browser):
    """The second editor to save the same text is told, and still has what they typed; saving
    again keeps theirs (newsroom/admin_lists.py, StaleForm)."""
    about = Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p>")
    url = f"{live_server.url}/admin/pages/page/{about.pk}/change/"
    first_context, first = log_in(browser, live_server, EditorFactory())
    second_context, second = log_in(browser, live_server, EditorFactory())
    for page in (first, second):
        page.goto(url)
        expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
    write_body(first, "Founded in 1881.")
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")

    write_body(second, "Owned by its readers.")
    second.get_by_role("button", name="Save", exact=True).click()
    expect(second.locator(".errorlist")).to_contain_text(
        "Changed by someone else since you opened this page."
    )
    expect(second.locator(".ProseMirror[contenteditable]")).to_contain_text("Owned by its readers.")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    second.screenshot(path=SCREENSHOTS / "footer-page-two-editors.png", full_page=True)
    about.refresh_from_db()
    assert "Founded in 1881." in about.body
    second.get_by_role("button", name="Save", exact=True).click()
    expect(second.locator(".messagelist")).to_contain_text("was changed successfully")
    about.refresh_from_db()
    assert "Owned by its readers." in about.body
    first_context.close()
    second_context.close()

"""A new user's first look (#16): the demo paper `make run` loads, read in Chromium on a phone
and on a desktop, in the light and the dark colour scheme. Every public page type fits the
screen, shows its pictures and passes axe; the screenshots are kept for people to look at."""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from articles.demo import pictures
from articles.models import Article, Section
from authors.models import Author
from pages.models import Page
from tests.browser.helpers import SCREENSHOTS, horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)

# Every <img> on the page has loaded and has a size; lazy ones are scrolled into view first.
BROKEN_PICTURES = """
async () => {
  const images = [...document.images];
  for (const image of images) {
    image.loading = "eager";
  }
  await Promise.all(images.map((image) => image.decode().catch(() => null)));
  const broken = images.filter((image) => !image.naturalWidth);
  return broken.map((image) => image.currentSrc || image.src);
}
"""


@pytest.fixture
def demo_paper(monkeypatch):
    # The same drawings saved smaller: fewer pixels to encode, the same pages.
    monkeypatch.setattr(pictures, "SIZE", (600, 400))
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_pages", stdout=StringIO())
    story = (
        Article.objects.published()
        .exclude(lead_image=None)
        .filter(bylines__author__photo__isnull=False)
        .order_by("-published_at")
        .first()
    )
    day = story.publication_date
    return {
        "front": "/",
        "story": story.get_absolute_url(),
        "section": Section.objects.get(name="Business").get_absolute_url(),
        "tag": story.tags.first().get_absolute_url(),
        "author": Author.objects.exclude(photo=None).first().get_absolute_url(),
        "staff": "/staff/",
        "footer-page": Page.objects.order_by("footer_order").first().get_absolute_url(),
        "archive-year": f"/{day:%Y}/",
        "archive-month": f"/{day:%Y}/{day:%m}/",
        "archive-day": f"/{day:%Y}/{day:%m}/{day:%d}/",
        "search": "/search/?q=harbour",
        "corrections": "/corrections/",
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_demo_paper_reads_well_everywhere(live_server, browser, demo_paper, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in demo_paper.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            where = f"{name} at {width} px ({scheme})"
            if overflow := horizontal_overflow(page):
                problems.append(f"{where}: {overflow} px wider than the screen")
            if broken := page.evaluate(BROKEN_PICTURES):
                problems.append(f"{where}: pictures that don't load: {broken}")
            results = Axe().run(page)
            if results.violations_count:
                problems.append(f"{where}:\n{results.generate_report()}")
            page.screenshot(path=SCREENSHOTS / f"demo-{name}-{width}-{scheme}.png", full_page=True)
    context.close()
    assert not problems, "\n".join(problems)


def test_the_front_page_shows_the_demo_pictures(live_server, page, demo_paper):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    assert page.evaluate(BROKEN_PICTURES) == []
    lead = page.locator(".card--lead img")
    box = lead.bounding_box()
    assert box and box["width"] >= 500  # The lead's picture is large, not a thumbnail.
    assert page.locator(".front-section").count() == 4
    assert page.locator("main img").count() >= 10

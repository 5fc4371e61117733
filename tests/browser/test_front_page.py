"""The front page and the masthead as readers see them, in a real browser (#16): no sideways
scrolling from a small phone to a wide screen, a top-stories grid without empty cells whatever
the number of stories, a menu that opens from the keyboard on a phone, and no axe violations in
either colour scheme. Screenshots of each width and scheme go to var/screenshots/."""

from datetime import timedelta
from io import BytesIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from playwright.sync_api import expect

from articles.models import Correction, FrontPageSlot, Section
from tests.browser.helpers import SCREENSHOTS, horizontal_overflow
from tests.factories import AuthorFactory, PublishedArticleFactory, SectionFactory
from tests.images.samples import make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 390, 768, 1280, 1920)
SECTIONS = [
    "City",
    "Politics",
    "Business",
    "Sport",
    "Culture",
    "Science",
    "Health",
    "Education",
    "Environment",
    "Transport",
    "Opinion",
    "Obituaries",
]
HEADLINES = [
    "Council approves the harbour tram line after a night of debate",
    "Storm closes the coast road for a second day",
    "New library opens in the old fish market",
    "Dockers vote to end the strike",
    "City budget: what the cuts mean for bus routes",
    "Local side wins the cup in extra time",
    "Festival brings record crowds to the quay",
    "Hospital waiting lists fall for the first time in five years",
    "School meals to be free for every pupil from September",
    "River clean-up finds a Victorian bicycle",
    "Mayor answers readers' questions on housing",
    "Night buses return to the northern suburbs",
    "Theatre restoration uncovers a painted ceiling",
    "Scientists count the city's swifts",
    "Cyclists and drivers share the new bridge",
    "Markets: shipping firm's shares jump",
]


def scene(number, size=(1600, 1000)):
    """A picture made here: a sky, a sea and a hill, in colours that change with `number`."""
    width, height = size
    image = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(image)
    hue = (number * 47) % 255
    for y in range(height):
        shade = y / height
        draw.line([(0, y), (width, y)], fill=(60 + hue // 3, int(120 + 80 * shade), 200 - hue // 4))
    draw.rectangle([0, int(height * 0.62), width, height], fill=(20, 60 + hue // 4, 110))
    draw.ellipse(
        [-width // 4, int(height * 0.45), width // 2, int(height * 1.2)], fill=(40, 90, 50)
    )
    draw.ellipse([int(width * 0.7), 80, int(width * 0.7) + 140, 220], fill=(250, 220, 120))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def pictures(count):
    """A few pictures (each one's renditions take a second to make) for stories to share."""
    return [
        make_image(
            scene(number, (1200, 750)),
            alt_text=f"The harbour, view {number}",
            caption="The harbour at dawn.",
            credit="Jo Bloggs/Harbourside Press",
        )
        for number in range(count)
    ]


def stories(count, *, sections=(), with_pictures=True):
    """`count` live stories, newest first, most with a picture, in the sections in turn."""
    author = AuthorFactory(name="Ann Ames")
    shared = pictures(min(count, 4)) if with_pictures else []
    now = timezone.now()
    made = []
    for n in range(count):
        made.append(
            PublishedArticleFactory(
                headline=HEADLINES[n % len(HEADLINES)],
                standfirst="Boats, music and food on the quay, and a long night at the town hall.",
                section=sections[n % len(sections)] if sections else None,
                lead_image=shared[n % len(shared)] if shared and n % 5 != 4 else None,
                authors=[author],
                published_at=now - timedelta(minutes=10 * (n + 1)),
            )
        )
    return made


@pytest.fixture
def newsroom():
    """Twelve sections in the menu, three of them with a block on the front page."""
    sections = [SectionFactory(name=name) for name in SECTIONS]
    for position, name in enumerate(["Politics", "Sport", "Culture"]):
        Section.objects.filter(name=name).update(front_page_position=position)
    return stories(16, sections=sections[:4])


def test_no_horizontal_overflow_at_any_width(live_server, page, newsroom):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_server.url + "/")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        assert horizontal_overflow(page) <= 0, width
        page.screenshot(path=SCREENSHOTS / f"front-{width}.png", full_page=True)


def test_the_lead_picture_is_large(live_server, page, newsroom):
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/")
        box = page.locator(".front-lead .card__figure img").bounding_box()
        # Most of the column, never the list card's 192-px thumbnail.
        assert box["width"] >= min(0.55 * 1024, 0.85 * width), (width, box)
        expect(page.locator(".front-lead .card__credit")).to_contain_text("Jo Bloggs")


def last_row_gaps(page):
    """How far the top-stories grid's last row falls short of the grid's left and right edges
    (in px), from the cards' boxes."""
    return page.evaluate(
        """() => {
          const grid = document.querySelector(".front-top__grid");
          const box = grid.getBoundingClientRect();
          const cards = [...grid.children].map((card) => card.getBoundingClientRect());
          const lastTop = Math.max(...cards.map((card) => card.top));
          const row = cards.filter((card) => Math.abs(card.top - lastTop) < 1);
          return [
            Math.min(...row.map((card) => card.left)) - box.left,
            box.right - Math.max(...row.map((card) => card.right)),
          ];
        }"""
    )


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
def test_top_stories_leave_no_empty_cell(live_server, page, count):
    """With 1 to 5 live stories (the lead takes the first), pinned or not, every row of the
    top stories is full at every width."""
    made = stories(count)
    if count >= 3:
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.TOP_3, article=made[-1])
    page.goto(live_server.url + "/")
    cards = page.locator(".front-top__grid > .card")
    if count == 1:
        expect(cards).to_have_count(0)
        return
    expect(cards).to_have_count(count - 1)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)
        left, right = last_row_gaps(page)
        assert abs(left) < 1 and abs(right) < 1, (count, width, left, right)


def test_the_menu_opens_from_the_keyboard_on_a_phone(live_server, page, newsroom):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    header = page.locator(".masthead")
    # Twelve sections, and still one compact row.
    assert header.bounding_box()["height"] <= 70
    menu = page.get_by_role("navigation", name="Main")
    sport = menu.get_by_role("link", name="Sport", exact=True)
    expect(sport).to_be_hidden()
    toggle = page.locator(".masthead__toggle")
    for _ in range(5):
        page.keyboard.press("Tab")
        if toggle.evaluate("element => element === document.activeElement"):
            break
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(sport).to_be_visible()
    focused = set()
    for _ in range(len(SECTIONS) + 2):
        page.keyboard.press("Tab")
        focused.add(page.evaluate("document.activeElement.textContent"))
    assert {"Latest", "City", "Sport", "Obituaries", "Search"} <= focused
    # The opened menu lies over the page, inside the window.
    assert horizontal_overflow(page) <= 0
    page.keyboard.press("Shift+Tab")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "front-menu-390.png")
    sport.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/sections/sport/")


def test_wide_screens_show_the_sections_in_a_row(live_server, page, newsroom):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    expect(page.locator(".masthead__toggle")).to_be_hidden()
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Obituaries")).to_be_visible()
    links = menu.get_by_role("link").all()
    tops = {round(link.bounding_box()["y"]) for link in links[:8]}
    assert len(tops) == 1, tops
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Latest")).to_be_focused()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_and_screenshots(live_server, page, newsroom, scheme):
    """The front page, and the other pages whose colours come from the same properties (a
    story with its notes, a section, the search form), in the reader's colour scheme."""
    page.emulate_media(color_scheme=scheme)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    story = newsroom[0]
    Correction.objects.create(article=story, text="An earlier version gave the wrong date.")
    paths = {
        "story": story.get_absolute_url(),
        "section": "/sections/politics/",
        "search": "/search/?q=harbour",
    }
    problems = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/")
        page.wait_for_load_state("load")
        page.wait_for_timeout(100)
        results = Axe().run(page)
        if results.violations_count:
            problems[f"front, {width}"] = results.generate_report()
        page.screenshot(path=SCREENSHOTS / f"front-{width}-{scheme}.png", full_page=True)
        if width == 390:
            page.locator(".masthead__toggle").click()
            results = Axe().run(page)
            if results.violations_count:
                problems["front, 390, menu open"] = results.generate_report()
            page.screenshot(path=SCREENSHOTS / f"front-menu-390-{scheme}.png")
        for name, path in paths.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            results = Axe().run(page)
            if results.violations_count:
                problems[f"{name}, {width}"] = results.generate_report()
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}-{scheme}.png", full_page=True)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(20, 21, 24)") == (scheme == "dark"), background
    assert not problems, "\n\n".join(f"{name}:\n{report}" for name, report in problems.items())


@pytest.mark.parametrize("path", ["/", "/?page=2"])
def test_the_latest_alone_fill_the_width(live_server, page, path):
    """Without section blocks beside them (none chosen, or a later page), the latest stories
    take the whole width at 1280 px, in columns, rather than a third of it."""
    stories(28, with_pictures=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + path)
    main = page.locator("main").bounding_box()
    latest = page.locator(".front-latest").bounding_box()
    assert latest["width"] >= main["width"] - 2 * 20 - 1, (latest, main)
    lefts = {round(card.bounding_box()["x"]) for card in page.locator(".front-latest .card").all()}
    assert len(lefts) >= 3, lefts
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = "front-latest-alone" + ("-page-2" if "page" in path else "")
    page.screenshot(path=SCREENSHOTS / f"{name}-1280.png", full_page=True)

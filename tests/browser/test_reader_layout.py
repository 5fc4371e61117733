"""Layout defects a reader would notice, measured in a real browser (#16): a portrait squeezed
into an oval, a card whose picture drifts away from its headline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import AuthorFactory, PublishedArticleFactory, SectionFactory
from tests.images.samples import jpeg, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_author_photo_stays_round_beside_a_long_bio(live_server, page, width):
    photo = make_image(jpeg((900, 900)), alt_text="Ann Ames", credit="Harbourside Press Agency")
    author = AuthorFactory(
        name="Ann Ames", photo=photo, bio="Ann covers the harbour, the port and the ferries. " * 6
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{author.get_absolute_url()}")
    img = box(page, ".profile__photo")
    assert abs(img["width"] - img["height"]) < 1, img
    assert img["width"] >= 120, img


def test_top_story_pictures_sit_right_above_their_headlines(live_server, page):
    """Cards in a row are as tall as the tallest; each keeps its section label right under
    its picture rather than spreading the spare height between them."""
    section = SectionFactory(name="City")
    picture = make_image(jpeg((1200, 750)), alt_text="The quay")
    now = timezone.now()
    for n, standfirst in enumerate(["Short.", "A much longer standfirst. " * 8, "Short.", "Mid."]):
        PublishedArticleFactory(
            headline=f"Story {n}",
            standfirst=standfirst,
            section=section,
            lead_image=picture,
            published_at=now - timedelta(minutes=n + 1),
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    gaps = page.evaluate(
        """() => [...document.querySelectorAll(".front-top__grid > .card--with-image")].map(
          (card) => card.querySelector(".card__section").getBoundingClientRect().top -
                    card.querySelector(".card__figure").getBoundingClientRect().bottom)"""
    )
    assert len(gaps) == 3, gaps
    assert max(gaps) - min(gaps) < 1 and max(gaps) < 24, gaps


def test_a_sections_listed_stories_stay_together_beside_its_lead(live_server, page):
    """Beside a section's lead with a tall picture, the stories listed follow one another
    rather than spreading down the lead's height."""
    section = SectionFactory(name="Sport", front_page_position=0)
    picture = make_image(jpeg((1200, 750)), alt_text="The stadium")
    now = timezone.now()
    for n in range(5):  # the lead and the top stories
        PublishedArticleFactory(headline=f"Top story {n}", published_at=now - timedelta(minutes=n))
    for n in range(4):
        PublishedArticleFactory(
            headline=f"Sport story {n}",
            standfirst="A long standfirst that makes the lead card tall. " * 3,
            section=section,
            lead_image=picture if n == 0 else None,
            published_at=now - timedelta(days=30 + n),
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    # Each listed story is as tall as its text and padding (0.75rem above and below), no more.
    spare = page.evaluate(
        """() => [...document.querySelectorAll(".front-section__stories > .card--compact")].map(
          (card) => card.getBoundingClientRect().height -
                    card.querySelector(".card__text").getBoundingClientRect().height)"""
    )
    lead = page.locator(".front-section__stories > .card--section").bounding_box()
    assert lead["height"] > 400, lead
    assert len(spare) == 3 and max(spare) < 30, spare


def test_in_a_list_on_a_phone_the_picture_heads_its_story(live_server, page):
    section = SectionFactory(name="Business")
    picture = make_image(jpeg((1200, 900)), alt_text="The quay")
    PublishedArticleFactory(headline="Dockers vote", section=section, lead_image=picture)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}{section.get_absolute_url()}")
    figure, headline = box(page, ".card__figure"), box(page, ".card__headline")
    assert figure["y"] + figure["height"] <= headline["y"], (figure, headline)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_search_forms_fields_line_up(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/search/?q=harbour")
    controls = page.locator(
        ".search-form select, .search-form input[type=date], .search-form button"
    )
    boxes = [control.bounding_box() for control in controls.all()]
    bottoms = {round(b["y"] + b["height"]) for b in boxes}
    heights = {round(b["height"]) for b in boxes}
    assert len(heights) == 1 and min(heights) >= 44, heights
    if width >= 1280:
        assert len(bottoms) == 1, bottoms


def test_the_missing_page_lines_up_with_the_masthead(live_server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    heading, name = box(page, "main h1"), box(page, ".masthead__name")
    assert abs(heading["x"] - name["x"]) < 1, (heading, name)
    page.get_by_role("link", name="search the stories").click()
    assert page.url.endswith("/search/")

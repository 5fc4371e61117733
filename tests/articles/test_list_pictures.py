"""The first picture of a list page is fetched at once (#16): on a phone it heads the page and
is what Lighthouse times as the largest paint; the others wait until they are scrolled to."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.factories import AuthorFactory, PublishedArticleFactory, SectionFactory
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db


class Pictures(HTMLParser):
    """The attributes of each story card's `<img>`, in page order."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and "card__image" in (attrs.get("class") or ""):
            self.found.append(attrs)


@pytest.fixture
def listed():
    section, author = SectionFactory(name="Business"), AuthorFactory(name="Ann Ames")
    picture = make_image(jpeg((800, 600)), alt_text="The quay")
    now = timezone.now()
    for n in range(3):
        story = PublishedArticleFactory(
            headline=f"Harbour story {n}",
            section=section,
            lead_image=picture,
            authors=[author],
            published_at=now - timedelta(hours=n + 1),
        )
        story.tags.add("harbour")
    return [
        section.get_absolute_url(),
        "/tags/harbour/",
        author.get_absolute_url(),
        f"/{now:%Y}/",
        "/search/?q=harbour",
    ]


def test_only_the_first_story_picture_is_loaded_at_once(client, listed):
    for path in listed:
        response = client.get(path)
        assert response.status_code == 200, path
        cards = Pictures(response.content.decode()).found
        assert len(cards) == 3, path
        assert (cards[0]["loading"], cards[0].get("fetchpriority")) == ("eager", "high"), path
        assert all(img["loading"] == "lazy" and "fetchpriority" not in img for img in cards[1:])

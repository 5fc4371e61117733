"""Front page curation (#5): pinned lead and top stories with expiry, never a story twice; the
blocks of the sections editors put on the front page (#16)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import caching
from articles.models import FrontPageSlot
from newsroom.surrogate_keys import section_key, story_key
from tests.articles.workflow_http import form_fields, submit
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)
from tests.images.samples import jpeg, make_image

HOUR = timedelta(hours=1)

pytestmark = pytest.mark.django_db


def front(client, **params):
    response = client.get("/", params)
    assert response.status_code == 200
    context = response.context
    return context.get("lead_story"), context.get("top_stories", []), list(context["article_list"])


def latest(count):
    now = timezone.now()
    return [
        PublishedArticleFactory(published_at=now - timedelta(hours=n + 1)) for n in range(count)
    ]


class FrontPageTests:
    def test_without_pins_the_latest_lead(self, client):
        stories = latest(8)
        lead, top, rest = front(client)
        assert lead == stories[0]
        assert top == stories[1:5]
        assert rest == stories[5:]

    def test_pinned_lead_and_top_story_show_once(self, client):
        stories = latest(8)
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=stories[6])
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.TOP_2, article=stories[7])
        lead, top, rest = front(client)
        assert lead == stories[6]
        assert top == [stories[0], stories[7], stories[1], stories[2]]
        assert rest == stories[3:6]
        shown = [lead, *top, *rest]
        assert len(shown) == len(set(shown)) == 8

    def test_expired_pin_falls_back_to_the_latest(self, client):
        stories = latest(3)
        until = timezone.now() + timedelta(hours=2)
        FrontPageSlot.objects.create(
            slot=FrontPageSlot.Slot.LEAD, article=stories[2], expires_at=until
        )
        assert front(client)[0] == stories[2]
        with time_machine.travel(until + timedelta(seconds=1)):
            lead, top, rest = front(client)
        assert lead == stories[0] and stories[2] in top

    def test_a_pinned_story_that_is_not_live_is_not_shown(self, client):
        stories = latest(2)
        draft = DraftArticleFactory()
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=draft)
        lead, top, rest = front(client)
        assert lead == stories[0] and draft not in [*top, *rest]

    def test_pinned_stories_stay_off_later_pages(self, client):
        stories = latest(26)
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=stories[-1])
        page_two = front(client, page=2)[2]
        assert stories[-1] not in page_two
        assert len(page_two) == 5

    def test_empty_site(self, client):
        lead, top, rest = front(client)
        assert lead is None and top == [] and rest == []
        assert "No stories have been published yet." in client.get("/").content.decode()


# Section blocks (#16) -----------------------------------------------------------------------


def blocks(client):
    response = client.get("/")
    assert response.status_code == 200
    return [(section.name, stories) for section, stories in response.context["section_blocks"]]


def on_front(name, position):
    return SectionFactory(name=name, front_page_position=position)


class SectionBlockTests:
    def test_editors_choose_the_sections_and_their_order(self, client):
        sport, city, culture = on_front("Sport", 2), on_front("City", 1), SectionFactory()
        now = timezone.now()
        for n, section in enumerate([sport, city, culture] * 3):
            PublishedArticleFactory(section=section, published_at=now - timedelta(days=n + 1))
        latest(6)  # The lead and top stories, without a section.
        shown = blocks(client)
        assert [name for name, _ in shown] == ["City", "Sport"]
        for name, stories in shown:
            assert [story.section.name for story in stories] == [name] * 3
            assert stories == sorted(stories, key=lambda story: story.published_at, reverse=True)

    def test_a_block_holds_the_latest_few_live_stories(self, client):
        city = on_front("City", 0)
        now = timezone.now()
        stories = [
            PublishedArticleFactory(section=city, published_at=now - timedelta(days=n + 1))
            for n in range(7)
        ]
        DraftArticleFactory(section=city)
        latest(5)
        [(name, shown)] = blocks(client)
        assert shown == stories[:4]

    def test_sections_off_the_front_page_or_without_stories_have_no_block(self, client):
        on_front("Empty", 0)
        PublishedArticleFactory(section=SectionFactory(name="Off"))
        assert blocks(client) == []
        html = client.get("/").content.decode()
        assert "front-section" not in html

    def test_no_story_twice_on_the_front_page(self, client):
        city, sport = on_front("City", 0), on_front("Sport", 1)
        now = timezone.now()
        stories = [
            PublishedArticleFactory(
                section=[city, sport][n % 2], published_at=now - timedelta(hours=n + 1)
            )
            for n in range(30)
        ]
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.TOP_2, article=stories[20])
        response = client.get("/")
        context = response.context
        in_blocks = [story for _, block in context["section_blocks"] for story in block]
        shown = [context["lead_story"], *context["top_stories"], *in_blocks]
        shown += list(context["article_list"])
        assert len(shown) == len(set(shown))
        # The blocks are still full: the lead and top stories leave room for the next ones.
        assert [len(block) for _, block in context["section_blocks"]] == [4, 4]
        assert context["lead_story"] == stories[0] and stories[20] in context["top_stories"]
        html = response.content.decode()
        for story in shown:
            assert html.count(f'href="{story.get_absolute_url()}"') == 1, story.headline
        # Page 2 goes on from the 20 stories of page 1 (less the pinned one): none lost.
        page_two = list(client.get("/", {"page": 2}).context["article_list"])
        assert set(shown) | set(page_two) == set(stories)

    def test_a_later_page_has_no_blocks(self, client):
        on_front("City", 0)
        latest(26)
        response = client.get("/", {"page": 2})
        assert not response.context.get("section_blocks")

    def test_the_block_heading_links_to_the_section(self, client):
        city = SectionFactory(name="City & Harbour", slug="city", front_page_position=0)
        PublishedArticleFactory.create_batch(6, section=city)
        html = client.get("/").content.decode()
        assert f'<a href="{city.get_absolute_url()}">City &amp; Harbour</a></h2>' in html


def front_queries(client):
    cache.clear()
    client.get("/")  # Renditions and the like, once.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


class SectionBlockQueryTests:
    def test_the_same_queries_for_one_section_or_many(self, client):
        now = timezone.now()
        author = AuthorFactory()
        image = make_image(jpeg((480, 320)), alt_text="The quay")
        lead = PublishedArticleFactory(lead_image=image, published_at=now - timedelta(days=9))
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=lead)
        for hours in range(6):
            PublishedArticleFactory(lead_image=image, published_at=now - timedelta(hours=hours))
        first = on_front("Section 0", 0)
        PublishedArticleFactory(
            section=first, lead_image=image, authors=[author], published_at=now - HOUR * 9
        )
        assert [name for name, _ in blocks(client)] == ["Section 0"]
        one = front_queries(client)
        for n in range(1, 8):
            section = on_front(f"Section {n}", n)
            for hours in range(6):
                PublishedArticleFactory(
                    section=section,
                    lead_image=image if hours % 2 else None,
                    authors=[AuthorFactory(), author],
                    published_at=now - timedelta(days=hours + n),
                )
        assert blocks(client)[-1][0] == "Section 7"
        assert front_queries(client) == one


@pytest.mark.usefixtures("page_cache_on")
class SectionBlockCacheTests:
    def test_putting_a_section_on_the_front_page_purges_it(
        self, client, django_capture_on_commit_callbacks
    ):
        city = SectionFactory(name="City")
        PublishedArticleFactory(
            headline="Tram line approved", section=city, published_at=timezone.now() - HOUR * 9
        )
        latest(5)
        assert 'class="front-section"' not in client.get("/").content.decode()
        caching.discard_pending()
        with django_capture_on_commit_callbacks(execute=True):
            city.front_page_position = 0
            city.save()
        html = client.get("/").content.decode()
        assert 'class="front-section"' in html
        assert html.index('class="front-section"') < html.index("Tram line approved")
        caching.discard_pending()
        with django_capture_on_commit_callbacks(execute=True):
            city.front_page_position = None
            city.save()
        assert 'class="front-section"' not in client.get("/").content.decode()

    def test_the_page_names_the_stories_of_the_blocks(self, client):
        city = on_front("City", 0)
        story = PublishedArticleFactory(section=city, published_at=timezone.now() - HOUR * 9)
        latest(5)
        keys = client.get("/").headers.get("Surrogate-Key", "").split()
        assert story_key(story.pk) in keys and section_key(city.pk) in keys


class SectionAdminTests:
    def test_editors_put_a_section_on_the_front_page_from_the_list_of_sections(self, client):
        city = SectionFactory(name="City")
        PublishedArticleFactory(section=city, published_at=timezone.now() - HOUR * 9)
        latest(5)
        sections = reverse("admin:articles_section_changelist")
        client.force_login(EditorFactory())
        page = client.get(sections)
        html = page.content.decode()
        assert "Place on the front page" in html
        data = {**form_fields(html, "changelist-form"), "_save": "Save"}
        data["form-0-front_page_position"] = "1"
        assert submit(client, sections, data).status_code == 302
        city.refresh_from_db()
        assert city.front_page_position == 1
        client.logout()
        assert [name for name, _ in blocks(client)] == ["City"]

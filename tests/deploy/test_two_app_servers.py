"""Two Gunicorn app servers sharing the database and the Redis cache, with the page cache on
and no caching proxy: a change made through one of them is served by both on the next request,
because the purge marks live in the shared cache (newsroom/pagecache.py).

PostgreSQL only; Gunicorn and Redis are needed (conftest.py). Tests commit their data.
"""

from types import SimpleNamespace

import pytest

from articles.models import FrontPageSlot
from pages.models import Page as FooterPage
from tests.factories import (
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)

from . import servers

pytestmark = [pytest.mark.deploy, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def nodes(app_setup):
    """App servers A and B, as two nodes behind a load balancer."""
    processes = []
    try:
        for name in ("gunicorn-a", "gunicorn-b"):
            processes.append(servers.start_gunicorn(name, app_setup))
        for process in processes:
            process.wait_until_ready()
        yield SimpleNamespace(a=processes[0], b=processes[1])
    finally:
        servers.stop_all(processes)


@pytest.fixture(autouse=True)
def fresh_start(nodes, app_setup):
    """Each test starts with an empty cache and new workers, as it starts with empty tables.
    What the servers wrote during the test is shown if it fails."""
    for node in (nodes.a, nodes.b):
        node.wait_until_recycled()
    app_setup.forget_cache()
    yield
    servers.show_output([nodes.a, nodes.b])
    for node in (nodes.a, nodes.b):
        node.recycle_workers()  # While pytest-django empties the tables.


def get(node, path):
    """A reader's request to one node."""
    return servers.http_request("GET", node.url + path)


def warm(node, path):
    """Requests the page until it is served from the page cache; returns that page."""
    get(node, path)
    response = get(node, path)
    assert response.status == 200, (node.name, path, response.status)
    assert response["X-Page-Cache"] == "hit", (node.name, path)
    return response


class TwoAppServerTests:
    def test_a_story_published_on_one_server_is_served_by_the_other(self, nodes):
        section = SectionFactory(name="Harbour", slug="harbour")
        draft = DraftArticleFactory(headline="Ferry timetable doubles", section=section)
        for path in ("/", "/sections/harbour/"):
            assert "Ferry timetable doubles" not in warm(nodes.b, path).text

        # An editor presses "Save and publish now" in A's admin.
        desk = servers.logged_in(nodes.a.url, EditorFactory())
        servers.change_story(desk, draft, _publish="Save and publish now")

        for path in ("/", "/sections/harbour/"):
            response = get(nodes.b, path)
            assert response["X-Page-Cache"] == "miss", path
            assert "Ferry timetable doubles" in response.text, path
            assert "Ferry timetable doubles" in warm(nodes.b, path).text, path

    def test_a_correction_on_one_server_updates_the_page_on_both(self, nodes):
        story = PublishedArticleFactory(headline="Council approves budget")
        path = story.get_absolute_url()
        for node in (nodes.a, nodes.b):
            warm(node, path)

        desk = servers.logged_in(nodes.a.url, EditorFactory())
        servers.change_story(
            desk,
            story,
            correction_kind="correction",
            correction_text="The budget is 4.2 million, not 42 million.",
            _publish_changes="Publish changes",
        )

        for node in (nodes.b, nodes.a):
            response = get(node, path)
            assert response["X-Page-Cache"] == "miss", node.name
            assert "The budget is 4.2 million, not 42 million." in response.text, node.name

    def test_menu_footer_and_pins_changed_elsewhere_are_shown_by_both(self, nodes):
        """Each server keeps the menu, the footer and the pins in memory (#17): a change made
        by a third process (this test's) is read again by both at their next request. An
        editor's pages skip the page cache, so each of these is rendered."""
        section = SectionFactory(name="Harbour", slug="harbour", in_navigation=True)
        story = PublishedArticleFactory(headline="Ferry timetable doubles")
        PublishedArticleFactory(headline="Newest of all")
        editor = EditorFactory()
        browsers = {node.name: servers.logged_in(node.url, editor) for node in (nodes.a, nodes.b)}
        for browser in browsers.values():
            for _ in range(2):  # Every worker of the two has read them.
                text = browser.get("/").text
                assert "Harbour" in text and "Who we are" not in text

        section.name = "Waterfront"
        section.save()
        FooterPage.objects.create(title="Who we are", slug="about")
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=story)

        for name, browser in browsers.items():
            text = browser.get("/").text
            assert "Waterfront" in text and "Harbour" not in text, name
            assert "Who we are" in text, name
            assert text.index("Ferry timetable doubles") < text.index("Newest of all"), name

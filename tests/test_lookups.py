"""Lookups kept in each process's memory (#17, newsroom/lookups.py): the menu, the footer and the
front page's pins are read from the database only when their version changed, a change is shown
at the next request in every process, and a story's page asks for corrections only if it has
some.

"Another process" is simulated by forgetting this one's memory (`other_process`): what it then
serves was read from the database. The real thing, two Gunicorn servers, is in
tests/deploy/test_two_app_servers.py.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.lookups import front_page_pins, navigation_sections
from articles.models import Article, Correction, FrontPageSlot, Section
from newsroom import lookups
from newsroom.models import LookupVersion
from pages.lookups import footer_pages
from pages.models import Page
from tests.factories import (
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def forget():
    """Each test starts with an empty memory, as a new process does."""
    lookups._memo.clear()
    yield
    lookups._memo.clear()


def other_process():
    lookups._memo.clear()


def page(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, path="/"):
    with CaptureQueriesContext(connection) as captured:
        page(client, path)
    return [query["sql"] for query in captured]


def reads(sqls, table):
    return [sql for sql in sqls if f'FROM "{table}"' in sql]


class MemoryTests:
    def test_kept_lookups_are_read_once_then_only_their_versions(self, client):
        SectionFactory(name="Harbour", in_navigation=True)
        Page.objects.create(title="About us", slug="about")
        story = PublishedArticleFactory()
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=story)
        first = queries(client)
        assert reads(first, "articles_frontpageslot") and reads(first, "pages_page")
        again = queries(client)
        assert not reads(again, "articles_frontpageslot")
        assert not reads(again, "pages_page")
        assert not [sql for sql in again if 'WHERE "articles_section"."in_navigation"' in sql]
        assert len([sql for sql in again if "newsroom_lookupversion" in sql]) == 1

    def test_outside_a_request_a_lookup_reads_the_database(self):
        SectionFactory(name="Harbour")
        assert [s.name for s in navigation_sections.get()] == ["Harbour"]
        Section.objects.update(name="Quay")  # No signal, no bump: nothing was kept.
        assert [s.name for s in navigation_sections.get()] == ["Quay"]

    def test_a_rolled_back_change_leaves_no_version_behind(self, client):
        SectionFactory(name="Harbour")
        assert "Harbour" in page(client)
        before = dict(LookupVersion.objects.values_list("name", "version"))
        with pytest.raises(RuntimeError), transaction.atomic():
            SectionFactory(name="Lighthouse")
            raise RuntimeError
        assert dict(LookupVersion.objects.values_list("name", "version")) == before
        assert "Lighthouse" not in page(client)

    def test_versions_are_never_reused(self):
        footer_pages.bump()
        first = LookupVersion.objects.get(name="footer").version
        footer_pages.bump()
        assert LookupVersion.objects.get(name="footer").version != first

    def test_a_change_within_a_request_is_read_back_in_it(self, rf):
        SectionFactory(name="Harbour")
        token = lookups._versions.set(lookups.read_versions())
        try:
            assert [s.name for s in navigation_sections.get()] == ["Harbour"]
            SectionFactory(name="Quay")
            assert [s.name for s in navigation_sections.get()] == ["Harbour", "Quay"]
        finally:
            lookups._versions.reset(token)


class FreshAfterChangeTests:
    """Each change is shown at the next request by this process and by another one."""

    def both(self, client, path="/"):
        here = page(client, path)
        other_process()
        there = page(client, path)
        assert here == there
        return here

    def test_menu(self, client):
        section = SectionFactory(name="Harbour", in_navigation=True)
        assert "Harbour" in self.both(client)
        section.name = "Waterfront"
        section.save()
        assert "Waterfront" in page(client)
        section.in_navigation = False
        section.save()
        assert "Waterfront" not in page(client)
        section.in_navigation = True
        section.save()
        assert "Waterfront" in page(client)
        section.delete()
        assert "Waterfront" not in self.both(client)

    def test_front_page_sections(self, client):
        section = SectionFactory(name="Harbour")
        now = timezone.now()
        PublishedArticleFactory(section=section, published_at=now - timedelta(hours=9))
        for n in range(5):  # The lead and the top stories, which no block repeats.
            PublishedArticleFactory(published_at=now - timedelta(hours=n + 1))
        block = f'id="front-section-{section.pk}"'
        assert block not in self.both(client)
        section.front_page_position = 1
        section.save()
        assert block in page(client)
        section.name = "Waterfront"
        section.save()
        assert ">Waterfront</a></h2>" in page(client)
        section.front_page_position = None
        section.save()
        assert block not in self.both(client)

    def test_footer(self, client):
        about = Page.objects.create(title="About us", slug="about")
        story = PublishedArticleFactory()
        assert "About us" in self.both(client, story.get_absolute_url())
        about.title = "Who we are"
        about.save()
        assert "Who we are" in page(client, story.get_absolute_url())
        about.show_in_footer = False
        about.save()
        assert "Who we are" not in page(client)
        about.delete()
        assert "Who we are" not in self.both(client)

    def test_pins(self, client):
        stories = [PublishedArticleFactory(headline=f"Story {n}") for n in range(3)]
        assert client.get("/").context["lead_story"] == stories[2]
        slot = FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=stories[0])
        assert client.get("/").context["lead_story"] == stories[0]
        slot.article = stories[1]
        slot.save()
        assert client.get("/").context["lead_story"] == stories[1]
        slot.delete()
        assert client.get("/").context["lead_story"] == stories[2]
        other_process()
        assert client.get("/").context["lead_story"] == stories[2]

    @pytest.mark.parametrize("how", ["service", "save"])
    def test_a_pinned_story_taken_off_the_site_leaves_its_slot(self, client, how):
        latest = PublishedArticleFactory(headline="The latest")
        pinned = PublishedArticleFactory(
            headline="Pinned story", published_at=timezone.now() - timedelta(days=3)
        )
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=pinned)
        assert client.get("/").context["lead_story"] == pinned
        if how == "service":
            services.article_withdraw(article=pinned, by=EditorFactory(), reason="Wrong.")
        else:
            pinned.status = Article.Status.DRAFT
            pinned.save()
        response = client.get("/")
        assert response.context["lead_story"] == latest
        assert "Pinned story" not in response.content.decode()

    def test_a_pin_expires_and_a_pinned_story_goes_live_by_the_clock(self, client):
        now = timezone.now()
        latest = PublishedArticleFactory(published_at=now - timedelta(hours=1))
        older = PublishedArticleFactory(published_at=now - timedelta(days=3))
        scheduled = PublishedArticleFactory(published_at=now + timedelta(hours=1))
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=scheduled)
        FrontPageSlot.objects.create(
            slot=FrontPageSlot.Slot.TOP_1, article=older, expires_at=now + timedelta(hours=2)
        )

        def lead_and_top():
            context = client.get("/").context
            return context["lead_story"], context["top_stories"][0]

        assert lead_and_top() == (latest, older)
        with time_machine.travel(now + timedelta(hours=1, minutes=1)):
            assert lead_and_top() == (scheduled, older)
        with time_machine.travel(now + timedelta(hours=2, minutes=1)):
            assert lead_and_top() == (scheduled, latest)

    def test_a_pinned_draft_never_shows(self, client):
        PublishedArticleFactory(headline="The latest")
        draft = DraftArticleFactory(headline="Secret draft")
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=draft)
        assert "Secret draft" not in page(client)
        assert "Secret draft" not in page(client)
        # Even a pin kept from before a change no process heard of shows no draft: the
        # front page asks for its stories among the live ones.
        published = Article.objects.filter(pk=draft.pk)
        published.update(status=Article.Status.PUBLISHED, published_at=timezone.now())
        page(client)
        published.update(status=Article.Status.DRAFT)
        assert "Secret draft" not in page(client)

    def test_a_site_import_reads_every_lookup_again(self):
        lookups.bump("navigation")
        before = dict(LookupVersion.objects.values_list("name", "version"))
        lookups.bump_all()
        after = dict(LookupVersion.objects.values_list("name", "version"))
        assert set(after) >= {"navigation", "footer", "front_page_pins"}
        assert after["navigation"] != before["navigation"]


class HealthCheckTests:
    """The versions' query is the request's first and stands in for Django's SELECT 1."""

    def test_no_select_1_before_the_versions(self, client, monkeypatch):
        wrapper = connections["default"]
        calls = []
        monkeypatch.setattr(wrapper, "is_usable", lambda: calls.append(1) or True)
        monkeypatch.setattr(wrapper, "health_check_enabled", True)
        page(client)
        wrapper.health_check_done = False  # As at the start of a server's request.
        sqls = queries(client)
        assert calls == []
        assert "newsroom_lookupversion" in sqls[0]
        # Outside a request Django's own check still runs.
        wrapper.health_check_done = False
        Section.objects.exists()
        assert calls == [1]

    @pytest.mark.django_db(transaction=True)
    def test_a_dead_connection_is_replaced(self, client):
        if connection.vendor != "postgresql":
            pytest.skip("An SQLite connection can't die under the site.")
        SectionFactory(name="Harbour")
        assert "Harbour" in page(client)
        wrapper = connections["default"]
        wrapper.health_check_enabled = True
        try:
            with connection.cursor() as cursor:  # The server ends the kept connection.
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            other = connections.create_connection("default")
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            other.close()
            wrapper.health_check_done = False  # A new request.
            assert "Harbour" in page(client)
        finally:
            wrapper.health_check_enabled = False


class ReaderNoteCountTests:
    def test_counted_when_notes_come_and_go(self, client):
        story = PublishedArticleFactory()
        editor = EditorFactory()
        note = services.article_correct(
            article=story, by=editor, kind="correction", text="The date was wrong."
        )
        story.refresh_from_db()
        assert story.reader_note_count == 1
        assert "The date was wrong." in page(client, story.get_absolute_url())
        Correction.objects.create(article=story, kind="update", text="More news.")
        story.refresh_from_db()
        assert story.reader_note_count == 2
        note.delete()
        story.refresh_from_db()
        assert story.reader_note_count == 1
        Correction.objects.filter(article=story).delete()
        story.refresh_from_db()
        assert story.reader_note_count == 0

    def test_a_withdrawal_note_is_not_counted(self):
        story = PublishedArticleFactory()
        services.article_withdraw(article=story, by=EditorFactory(), reason="Wrong.")
        story.refresh_from_db()
        assert Correction.objects.filter(article=story).exists()
        assert story.reader_note_count == 0

    def test_the_page_of_a_story_never_corrected_asks_for_none(self, client):
        story = PublishedArticleFactory()
        assert not reads(queries(client, story.get_absolute_url()), "articles_correction")
        Correction.objects.create(article=story, text="A name was misspelt.")
        sqls = queries(client, story.get_absolute_url())
        assert len(reads(sqls, "articles_correction")) == 1
        assert "A name was misspelt." in page(client, story.get_absolute_url())


def test_every_lookup_has_a_name_and_a_version_row_once_bumped():
    for lookup in (navigation_sections, footer_pages, front_page_pins):
        lookup.bump()
        assert LookupVersion.objects.filter(name=lookup.name).exists()

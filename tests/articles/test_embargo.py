"""Embargo (#15): a "not before" time on a story.

Until then the story is on no public surface (`published()` checks it; the leak matrix in
tests/test_leaks.py covers every surface), nobody can publish it or schedule it earlier, and it
lifts by itself at its minute, with cached pages ending then. Editors and the story's reporters
set it in the story form, on a story not live yet.
"""

import datetime
import html
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import caching, services, workflow
from articles.models import Article
from tests.articles.workflow_http import (
    CHANGELIST,
    change_url,
    login,
    messages_of,
    page_form,
    submit,
)
from tests.factories import (
    EditorFactory,
    EmbargoedArticleFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ScheduledArticleFactory,
)

pytestmark = pytest.mark.django_db

ZONE = "Europe/Paris"


@pytest.fixture(autouse=True)
def newsroom_zone(settings):
    settings.TIME_ZONE = ZONE


@pytest.fixture
def now(time_machine):
    """A fixed minute on the newsroom's clock: 3 Dec 2026, 11:00 in Paris."""
    moment = datetime.datetime(2026, 12, 3, 11, 0, tzinfo=ZoneInfo(ZONE))
    time_machine.move_to(moment, tick=False)
    return moment


def at_two(now):
    """14:00 the same day: the embargo."""
    return now + timedelta(hours=3)


def split(moment):
    """A time as the admin's split date and time fields post it."""
    local = timezone.localtime(moment)
    return {"0": local.strftime("%Y-%m-%d"), "1": local.strftime("%H:%M:%S")}


class VisibilityTests:
    def test_an_embargo_still_to_come_hides_a_story_whose_time_has_passed(self, now):
        """The sharpest case (an import, or a story scheduled before the embargo was set):
        published, with a time already past, and an embargo to come."""
        story = PublishedArticleFactory(
            published_at=now - timedelta(hours=1), embargo_until=at_two(now)
        )
        assert not Article.objects.published().filter(pk=story.pk).exists()
        assert not story.is_published()
        assert story.is_scheduled() and story.is_embargoed()
        assert list(Article.objects.scheduled()) == [story]
        assert list(Article.objects.embargoed()) == [story]
        assert workflow.state_of(story) == workflow.State.SCHEDULED
        assert story.goes_live_at == at_two(now)

    def test_it_lifts_by_itself_at_its_minute(self, now, time_machine):
        story = PublishedArticleFactory(
            published_at=now - timedelta(hours=1), embargo_until=at_two(now)
        )
        time_machine.move_to(at_two(now) - timedelta(seconds=1), tick=False)
        assert not Article.objects.published().exists()
        time_machine.move_to(at_two(now), tick=False)
        assert list(Article.objects.published()) == [story]
        story.refresh_from_db()
        assert story.is_published() and not story.is_embargoed()
        assert not Article.objects.embargoed().exists()

    def test_a_past_embargo_changes_nothing(self, now):
        story = PublishedArticleFactory(embargo_until=now - timedelta(minutes=5))
        assert list(Article.objects.published()) == [story]

    def test_the_page_cache_ends_when_the_embargo_lifts(self, now, client, settings):
        """With no request-side job: the cached front page lives until the minute, and the
        first request after it renders the story."""
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 86400}
        PublishedArticleFactory(headline="Already out")
        PublishedArticleFactory(
            headline="Budget under embargo",
            published_at=now - timedelta(hours=1),
            embargo_until=now + timedelta(seconds=90),
        )
        assert caching.next_change_at() == now + timedelta(seconds=90)
        response = client.get("/")
        assert "Budget under embargo" not in response.content.decode()
        assert "s-maxage=90" in response["Cache-Control"]

    def test_the_cached_page_ends_at_that_minute(self, now, client, settings, time_machine):
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 86400}
        lifts = now + timedelta(seconds=90)
        PublishedArticleFactory(headline="Already out")
        PublishedArticleFactory(
            headline="Budget under embargo",
            published_at=now - timedelta(hours=1),
            embargo_until=lifts,
        )
        client.get("/")
        time_machine.move_to(lifts - timedelta(seconds=1), tick=False)
        response = client.get("/")
        assert response["X-Page-Cache"] == "hit"
        assert "Budget under embargo" not in response.content.decode()
        time_machine.move_to(lifts, tick=False)
        response = client.get("/")
        assert response["X-Page-Cache"] == "miss"
        assert "Budget under embargo" in response.content.decode()

    def test_the_desk_and_the_trash_give_the_time_it_goes_live(self, now):
        story = PublishedArticleFactory(
            headline="Budget under embargo",
            published_at=now - timedelta(hours=1),
            embargo_until=at_two(now),
        )
        editor = EditorFactory()
        desk = login(editor).get("/admin/").content.decode()
        assert "3 Dec, 14:00" in desk
        services.article_trash(article=story, by=editor)
        trash = login(editor).get("/admin/articles/trashedarticle/").content.decode()
        assert "Scheduled for 3 Dec 2026, 14:00 CET" in trash


class RefusalTests:
    def test_publishing_now_is_refused_with_the_time_and_the_fix(self, now):
        story = EmbargoedArticleFactory(embargo_until=at_two(now))
        with pytest.raises(ValidationError) as refused:
            services.article_publish(article=story, by=EditorFactory())
        message = " ".join(refused.value.messages)
        assert "published because it is embargoed until 3 Dec 2026, 14:00 CET" in (message)
        assert "Schedule it for 3 Dec 2026, 14:00 CET or later." in message
        story.refresh_from_db()
        assert story.status == Article.Status.DRAFT

    def test_nobody_publishes_it_early_not_even_the_system(self, now):
        story = EmbargoedArticleFactory(embargo_until=at_two(now))
        with pytest.raises(ValidationError):
            services.article_publish(article=story, by=services.SYSTEM)

    def test_scheduling_before_the_embargo_is_refused(self, now):
        story = EmbargoedArticleFactory(embargo_until=at_two(now))
        with pytest.raises(ValidationError) as refused:
            services.article_schedule(
                article=story, by=EditorFactory(), at=at_two(now) - timedelta(minutes=1)
            )
        assert "embargoed until 3 Dec 2026, 14:00" in " ".join(refused.value.messages)
        assert not Article.objects.scheduled().exists()

    @pytest.mark.parametrize("later", [timedelta(0), timedelta(minutes=30)])
    def test_scheduling_for_the_embargo_or_later_is_allowed(self, now, time_machine, later):
        story = EmbargoedArticleFactory(embargo_until=at_two(now))
        services.article_schedule(article=story, by=EditorFactory(), at=at_two(now) + later)
        assert story.is_scheduled()
        time_machine.move_to(at_two(now) + later, tick=False)
        assert list(Article.objects.published()) == [story]

    def test_the_list_action_refuses_too(self, now):
        story = EmbargoedArticleFactory(embargo_until=at_two(now), headline="Budget")
        client = login(EditorFactory())
        response = client.post(
            CHANGELIST,
            {"action": "publish_selected", "_selected_action": [story.pk]},
            follow=True,
        )
        assert any("embargoed until 3 Dec 2026, 14:00" in m for m in messages_of(response))
        story.refresh_from_db()
        assert story.status == Article.Status.DRAFT

    def test_the_form_button_refuses_and_keeps_the_text(self, now):
        story = EmbargoedArticleFactory(embargo_until=at_two(now))
        client = login(EditorFactory())
        data = page_form(client.get(change_url(story)), headline="Budget: the numbers")
        response = submit(client, change_url(story), {**data, "_publish": "Publish"}, follow=True)
        story.refresh_from_db()
        assert story.headline == "Budget: the numbers"
        assert story.status == Article.Status.DRAFT
        assert messages_of(response) == [
            "Saved as a draft; not published because it is embargoed until 3 Dec 2026, 14:00 "
            'CET. <a href="#id_publish_at_0">Schedule it for 3 Dec 2026, 14:00 CET or later.</a>'
        ]


class SettingTests:
    def test_an_editor_sets_it_and_schedules_for_it_in_one_save(self, now):
        story = EmbargoedArticleFactory(embargo_until=None)
        client = login(EditorFactory())
        data = page_form(client.get(change_url(story)))
        data.update(
            {f"embargo_until_{k}": v for k, v in split(at_two(now)).items()},
        )
        data.update({f"publish_at_{k}": v for k, v in split(at_two(now)).items()})
        submit(client, change_url(story), {**data, "_schedule": "Schedule"})
        story.refresh_from_db()
        assert story.embargo_until == at_two(now)
        assert story.is_scheduled() and story.published_at == at_two(now)
        revision = story.revisions.first()
        assert revision.snapshot["embargo_until"] == at_two(now).isoformat()
        assert "Embargoed until 3 Dec 2026, 14:00 CET" in revision.comment
        entry = LogEntry.objects.filter(object_id=str(story.pk)).latest("action_time")
        assert "Embargoed until 3 Dec 2026, 14:00" in entry.change_message

    def test_the_form_shows_the_banner_in_the_newsrooms_zone(self, now):
        story = EmbargoedArticleFactory(embargo_until=at_two(now))
        page = html.unescape(login(EditorFactory()).get(change_url(story)).content.decode())
        assert 'id="story-embargo"' in page
        assert "Embargoed until 3 Dec 2026, 14:00 CET, in the newsroom's time zone" in (page)

    def test_the_list_shows_a_badge_and_filters_embargoed_stories(self, now):
        embargoed = EmbargoedArticleFactory(headline="Budget leak", embargo_until=at_two(now))
        PublishedArticleFactory(headline="Ferry news")
        client = login(EditorFactory())
        page = client.get(CHANGELIST).content.decode().replace("\xa0", " ")
        # Under the headline, the day and time, with the whole time in its tooltip.
        assert "Embargoed until <time" in page
        assert 'title="3 Dec 2026, 14:00 CET">3 Dec, 14:00 CET</time>' in page
        filtered = client.get(CHANGELIST, {"restriction": "embargoed"})
        assert list(filtered.context["cl"].result_list) == [embargoed]

    def test_the_desk_lists_embargoed_stories(self, now):
        EmbargoedArticleFactory(headline="Budget leak", embargo_until=at_two(now))
        page = login(EditorFactory()).get("/admin/").content.decode()
        assert "Embargoed" in page and "Budget leak" in page

    def test_a_reporter_sets_one_on_their_own_draft(self, now):
        reporter = ReporterFactory()
        story = EmbargoedArticleFactory(embargo_until=None, created_by=reporter)
        client = login(reporter)
        data = page_form(client.get(change_url(story)))
        data.update({f"embargo_until_{k}": v for k, v in split(at_two(now)).items()})
        submit(client, change_url(story), {**data, "_save": "Save"})
        story.refresh_from_db()
        assert story.embargo_until == at_two(now)

    def test_a_live_story_cant_be_embargoed(self, now):
        story = PublishedArticleFactory()
        with pytest.raises(ValidationError) as refused:
            services.article_save(
                article=story, by=EditorFactory(), changes={"embargo_until": at_two(now)}
            )
        assert "embargo_until" in refused.value.error_dict
        story.refresh_from_db()
        assert story.embargo_until is None and story.is_published()

    def test_a_live_storys_form_has_no_embargo_field(self, now):
        story = PublishedArticleFactory()
        data = page_form(login(EditorFactory()).get(change_url(story)))
        assert "embargo_until_0" not in data

    def test_a_withdrawn_story_is_embargoed_and_scheduled_again(self, now):
        """A story that broke an embargo: withdrawn, embargoed, scheduled for the minute."""
        editor = EditorFactory()
        story = PublishedArticleFactory(published_at=now - timedelta(minutes=10))
        services.article_withdraw(article=story, by=editor, reason="Broke an embargo.")
        services.article_save(article=story, by=editor, changes={"embargo_until": at_two(now)})
        with pytest.raises(ValidationError):
            services.article_publish(article=story, by=editor)
        services.article_schedule(article=story, by=editor, at=at_two(now))
        assert story.is_scheduled()

    def test_an_embargo_after_the_scheduled_time_is_refused(self, now):
        story = ScheduledArticleFactory(published_at=now + timedelta(hours=1))
        with pytest.raises(ValidationError) as refused:
            services.article_save(
                article=story, by=EditorFactory(), changes={"embargo_until": at_two(now)}
            )
        assert "It is scheduled for 3 Dec 2026, 12:00 CET, before this embargo" in (
            refused.value.error_dict["embargo_until"][0].message
        )

    def test_an_embargo_before_the_scheduled_time_is_kept(self, now):
        story = ScheduledArticleFactory(published_at=at_two(now) + timedelta(hours=1))
        services.article_save(
            article=story, by=EditorFactory(), changes={"embargo_until": at_two(now)}
        )
        story.refresh_from_db()
        assert story.embargo_until == at_two(now) and story.is_scheduled()

    def test_removing_the_embargo_is_said_in_the_history(self, now):
        story = EmbargoedArticleFactory(embargo_until=at_two(now))
        result = services.article_save(
            article=story, by=EditorFactory(), changes={"embargo_until": None}
        )
        assert result.saved and "Removed the embargo" in result.summary

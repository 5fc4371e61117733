"""Changes to a live story staged, previewed, then published (#12): readers keep the published
version until an editor publishes the changes, at once or at a scheduled minute."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import scheduling, services
from articles.effects import DUE_KEY
from articles.models import Article, StagedChange
from articles.previews import preview_url
from tests.factories import AuthorFactory, EditorFactory, PublishedArticleFactory

from .workflow_http import (
    ADMIN_INDEX,
    admin_preview_url,
    change_url,
    desk_lists,
    login,
    messages_of,
    page_form,
    story_text,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return AuthorFactory(name="Nadia Noor")


@pytest.fixture
def live(author):
    return PublishedArticleFactory(
        headline="Ferry timetable changes",
        standfirst="The winter timetable starts on Monday.",
        body="<p>Ferries leave every hour.</p>",
        authors=[author],
    )


def stage(client, story, **changes):
    """ "Save draft of changes" on the story's form."""
    data = page_form(client.get(change_url(story)), **changes)
    response = submit(client, change_url(story), {**data, "_save": "Save draft of changes"})
    assert response.status_code == 302, response.context and response.context.get("errors")
    return response


class StageTests:
    @pytest.mark.slow
    def test_readers_keep_the_published_version(self, client, editor, live):
        response = stage(client, live, headline="Ferry timetable changes again", body="Hourly.")
        assert response["Location"] == change_url(live)
        assert messages_of(client.get(response["Location"]))[0].startswith(
            "Saved the changes to “Ferry timetable changes” as a draft: readers still see"
        )
        live.refresh_from_db()
        assert live.headline == "Ferry timetable changes"
        page = client.get(live.get_absolute_url()).content.decode()
        assert "Ferries leave every hour." in page and "Hourly." not in page
        staged = StagedChange.objects.get(article=live)
        assert staged.snapshot["headline"] == "Ferry timetable changes again"
        # One revision of the changes, marked as such; the log says what waits.
        revision = live.revisions.get()
        assert revision.kind == "staged" and revision.snapshot["body"] == "<p>Hourly.</p>"
        assert revision.comment == "Saved unpublished changes to the headline and body"

    @pytest.mark.slow
    def test_the_form_shows_the_changes_to_go_on_working(self, client, editor, live):
        stage(client, live, standfirst="New standfirst.")
        page = client.get(change_url(live))
        html = page.content.decode()
        assert page_form(page)["standfirst"] == "New standfirst."
        assert "Unpublished changes." in html and "Preview the changes" in html
        assert 'value="Publish changes"' in html and 'value="Save draft of changes"' in html

    @pytest.mark.slow
    def test_saving_the_same_changes_again_writes_nothing(self, client, editor, live):
        stage(client, live, standfirst="New standfirst.")
        version = Article.objects.get(pk=live.pk).version
        stage(client, live)
        assert Article.objects.get(pk=live.pk).version == version
        assert live.revisions.count() == 1

    @pytest.mark.slow
    def test_preview_and_share_link_show_the_changes(self, client, editor, live):
        stage(client, live, body="Ferries leave every half hour.")
        preview = client.get(admin_preview_url(live))
        assert preview.status_code == 200 and "no-store" in preview["Cache-Control"]
        assert "Ferries leave every half hour." in story_text(preview.content.decode())
        assert "Preview of unpublished changes" in preview.content.decode()
        link = services.preview_link_create(article=live, by=editor)
        shared = client.__class__().get(preview_url(link))
        assert shared.status_code == 200
        assert "Ferries leave every half hour." in shared.content.decode()
        # Readers' page is untouched.
        assert "half hour" not in client.__class__().get(live.get_absolute_url()).content.decode()

    def test_preview_of_the_changes_shows_their_byline_and_tags(self, client, editor, live):
        other = AuthorFactory(name="Omar Okafor")
        data = page_form(client.get(change_url(live)), tags=["ferries", "winter"])
        data["byline"] = [str(other.pk)]
        submit(client, change_url(live), {**data, "_save": "Save"})
        html = client.get(admin_preview_url(live)).content.decode()
        assert "Omar Okafor" in html and "Nadia Noor" not in story_text(html)
        assert ">ferries</a>" in html and ">winter</a>" in html

    @pytest.mark.slow
    def test_publish_changes(self, client, editor, live):
        stage(client, live, body="Ferries leave every half hour.")
        data = page_form(client.get(change_url(live)), _publish_changes="Publish changes")
        response = submit(client, change_url(live), data)
        assert messages_of(client.get(response["Location"]))[0].startswith(
            "Published the changes to “Ferry timetable changes”. Readers see them now at"
        )
        live.refresh_from_db()
        assert live.body == "<p>Ferries leave every half hour.</p>"
        assert not StagedChange.objects.filter(article=live).exists()
        assert "half hour" in client.get(live.get_absolute_url()).content.decode()
        assert live.revisions.first().comment == "Published the changes to the body"

    @pytest.mark.slow
    def test_discard_changes(self, client, editor, live):
        stage(client, live, body="Something wrong.")
        url = reverse("admin:articles_article_discard_changes", args=[live.pk])
        response = submit(client, url, {})
        assert response["Location"] == change_url(live)
        assert not StagedChange.objects.filter(article=live).exists()
        assert page_form(client.get(change_url(live)))["body"] == "<p>Ferries leave every hour.</p>"
        assert live.revisions.first().comment == "Discarded the unpublished changes"

    @pytest.mark.slow
    def test_a_correction_and_a_significant_update_wait_for_the_changes(self, client, editor, live):
        stage(
            client,
            live,
            body="Ferries leave every 40 minutes.",
            correction_kind="correction",
            correction_text="An earlier version gave the wrong interval.",
            significant_update="on",
        )
        live.refresh_from_db()
        assert not live.corrections.exists() and not live.was_updated
        form = page_form(client.get(change_url(live)))
        assert form["correction_text"] == "An earlier version gave the wrong interval."
        assert form["significant_update"] == "on"
        submit(client, change_url(live), {**form, "_publish_changes": "Publish changes"})
        live.refresh_from_db()
        assert live.corrections.get().text == "An earlier version gave the wrong interval."
        assert live.was_updated
        words = story_text(client.get(live.get_absolute_url()).content.decode())
        assert words.endswith("An earlier version gave the wrong interval.")

    @pytest.mark.slow
    def test_the_desk_lists_live_stories_with_unpublished_changes(self, client, editor, live):
        stage(client, live, headline="Ferry timetable changes again")
        lists = desk_lists(client.get(ADMIN_INDEX).content.decode())
        assert "Ferry timetable changes" in lists["Live stories with unpublished changes"]

    @pytest.mark.slow
    def test_the_list_of_stories_says_so(self, client, editor, live):
        stage(client, live, headline="Ferry timetable changes again")
        listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
        assert "Live, with unpublished changes" in listing

    @pytest.mark.slow
    def test_restoring_a_revision_onto_a_live_story_asks_first(self, client, editor, live):
        stage(client, live, body="Version two.")
        revision = live.revisions.get()
        services.article_discard_changes(article=live, by=editor)
        url = reverse("admin:articles_article_restore", args=[live.pk, revision.pk])
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200 and "Restore as unpublished changes" in html
        assert "<ins>Version two.</ins>" in html
        # As unpublished changes: readers still see the published text.
        submit(client, url, {"_stage": "1"})
        live.refresh_from_db()
        assert live.body == "<p>Ferries leave every hour.</p>"
        assert StagedChange.objects.get(article=live).snapshot["body"] == "<p>Version two.</p>"
        # Published at once, when asked.
        submit(client, url, {"_publish": "1"})
        live.refresh_from_db()
        assert live.body == "<p>Version two.</p>"


class ScheduledChangesTests:
    @pytest.mark.slow
    def test_scheduled_changes_go_live_by_themselves_at_their_minute(self, client, editor, live):
        now = timezone.now().replace(microsecond=0)
        due = now + timedelta(hours=2)
        local = timezone.localtime(due)
        with time_machine.travel(now, tick=False):
            data = page_form(
                client.get(change_url(live)),
                body="The winter timetable starts today.",
                publish_at_0=local.date().isoformat(),
                publish_at_1=local.strftime("%H:%M:%S"),
                _schedule_changes="Schedule changes",
            )
            response = submit(client, change_url(live), data)
            assert messages_of(client.get(response["Location"]))[0].startswith(
                "Scheduled the changes to “Ferry timetable changes” for"
            )
            staged = StagedChange.objects.get(article=live)
            assert staged.publish_at == due
            # What the commit would do (this test's transaction never commits).
            cache.delete(DUE_KEY)
            scheduling.forget_due()
            reader = client.__class__()
            assert (
                "winter timetable starts today"
                not in reader.get(live.get_absolute_url()).content.decode()
            )
        with time_machine.travel(due + timedelta(seconds=1), tick=False):
            page = client.__class__().get(live.get_absolute_url()).content.decode()
            assert "The winter timetable starts today." in page
        live.refresh_from_db()
        assert live.body == "<p>The winter timetable starts today.</p>"
        assert not StagedChange.objects.filter(article=live).exists()
        revision = live.revisions.first()
        assert revision.comment == "Published the scheduled changes"
        assert revision.created_by == editor

    def test_changes_that_cannot_be_published_wait_unscheduled(self, live):
        editor = EditorFactory()
        due = timezone.now() - timedelta(minutes=1)
        snap = {**services.snapshots.snapshot(live), "authors": []}  # no byline: not ready
        StagedChange.objects.create(article=live, snapshot=snap, publish_at=due, updated_by=editor)
        assert scheduling.publish_due_changes() == 0
        staged = StagedChange.objects.get(article=live)
        assert staged.publish_at is None  # An editor sees them waiting on the desk.
        assert Article.objects.get(pk=live.pk).byline_authors

    def test_two_runs_at_the_same_minute_publish_once(self, live):
        """Two app servers (or a server and the timer) reach the minute together: the second
        finds nothing left to publish, and readers see the correction once."""
        snap = {**services.snapshots.snapshot(live), "headline": "Ferry timetable: new"}
        StagedChange.objects.create(
            article=live,
            snapshot=snap,
            note_kind="correction",
            note_text="An earlier version gave the wrong time.",
            publish_at=timezone.now() - timedelta(seconds=5),
        )
        due = [live.pk]  # Both runs listed it before either published it.
        assert [scheduling._publish(pk) for pk in due + due] == [True, False]
        assert live.corrections.count() == 1
        assert live.revisions.count() == 1

    def test_changes_saved_again_after_the_minute_was_listed_are_not_replaced(self, live):
        snap = {**services.snapshots.snapshot(live), "headline": "Due version"}
        staged = StagedChange.objects.create(
            article=live, snapshot=snap, publish_at=timezone.now() - timedelta(seconds=5)
        )
        # An editor moves the schedule on before the run reaches the story.
        StagedChange.objects.filter(pk=staged.pk).update(
            publish_at=timezone.now() + timedelta(hours=1)
        )
        assert scheduling._publish(live.pk) is False
        assert Article.objects.get(pk=live.pk).headline == "Ferry timetable changes"

    def test_an_edit_lock_does_not_stop_the_schedule(self, live, settings):
        from articles import editing

        settings.NEWSROOM_EDIT_LOCKS = True
        someone = EditorFactory()
        editing.beat(user=someone, article=live)
        editing.hold(user=someone, article=live)
        scheduler = EditorFactory()
        snap = {**services.snapshots.snapshot(live), "headline": "On time"}
        StagedChange.objects.create(
            article=live,
            snapshot=snap,
            publish_at=timezone.now() - timedelta(seconds=5),
            updated_by=scheduler,
        )
        assert scheduling.publish_due_changes() == 1
        assert Article.objects.get(pk=live.pk).headline == "On time"

    def test_the_command_publishes_what_is_due(self, live):
        from django.core.management import call_command

        snap = {**services.snapshots.snapshot(live), "headline": "Ferry timetable: new"}
        StagedChange.objects.create(
            article=live, snapshot=snap, publish_at=timezone.now() - timedelta(seconds=5)
        )
        output = StringIO()
        call_command("publish_due_changes", stdout=output)
        assert Article.objects.get(pk=live.pk).headline == "Ferry timetable: new"
        assert output.getvalue() == "Published the scheduled changes of 1 story.\n"


def test_a_reporter_cannot_stage_or_publish_changes_to_a_live_story(author):
    from tests.factories import ReporterFactory

    reporter = ReporterFactory()
    author.user = reporter
    author.save()
    story = PublishedArticleFactory(authors=[author], created_by=reporter)
    client = login(reporter)
    data = {"headline": "Defaced", "_save": "Save"}
    assert submit(client, change_url(story), data).status_code == 403
    assert not StagedChange.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_discarding_changes_works_outside_a_test_transaction(author):
    """As in production, with no transaction around the request (PostgreSQL refuses a row
    lock outside one)."""
    editor = EditorFactory()
    story = PublishedArticleFactory(authors=[author])
    client = login(editor)
    stage(client, story, standfirst="To be discarded.")
    url = reverse("admin:articles_article_discard_changes", args=[story.pk])
    assert submit(client, url, {}).status_code == 302
    assert not StagedChange.objects.exists()

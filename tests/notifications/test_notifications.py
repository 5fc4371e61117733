"""Notifications (#15): who is told of what, in the admin and by email.

Story moves are told after the commit (articles/signals.py): each test runs the commit's
callbacks (`committed`). Emails go through Django's locmem backend (mail.outbox).
"""

import re
from datetime import timedelta
from smtplib import SMTPException

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services as story_services
from articles import signals
from articles.models import Article
from notifications import services
from notifications.models import EmailPreferences, Note, Notification
from notifications.tasks import announce_live
from tests.articles.workflow_http import change_url, login, page_form, submit
from tests.factories import DraftArticleFactory, EditorFactory, ReporterFactory

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
LIST = reverse("admin:notifications_notification_changelist")
READ = reverse("admin:notifications_notification_read")
PREFERENCES = reverse("admin:notifications_notification_preferences")


def send_back_url(story):
    return reverse("admin:articles_article_send_back", args=[story.pk])


def kinds_of(user):
    return [n.kind for n in Notification.objects.filter(recipient=user)]


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise SMTPException("550 the mail server is down")


# Submitted, sent back, published ------------------------------------------------------------


def test_a_submission_tells_every_editor_but_not_by_email_unless_chosen(people, committed):
    reporter = people["reporter"]
    draft = DraftArticleFactory(
        headline="Ferry fares rise", created_by=reporter, authors=[reporter.author_profile]
    )
    EmailPreferences.objects.create(user=people["other_editor"], kinds=[Kind.SUBMITTED])
    with committed():
        story_services.article_submit(article=draft, by=reporter)
    for editor in (people["editor"], people["other_editor"]):
        assert kinds_of(editor) == [Kind.SUBMITTED]
    assert kinds_of(reporter) == []  # never told of their own action
    note = Notification.objects.filter(recipient=people["editor"]).get()
    assert note.text == "Rita Okafor submitted “Ferry fares rise” for review."
    assert note.actor == reporter and note.article == draft
    # Only the editor who chose submissions by email gets one.
    assert [m.to for m in mail.outbox] == [["eve@example.org"]]


def test_send_back_asks_why_and_an_empty_reason_is_a_form_error(people, story):
    editor = login(people["editor"])
    page = editor.get(send_back_url(story))
    assert page.status_code == 200
    assert "What should the reporter change?" in page.text
    response = editor.post(send_back_url(story), {"reason": "  "})
    assert response.status_code == 200
    assert "Say why it goes back" in response.text
    assert Article.objects.get(pk=story.pk).status == Article.Status.REVIEW


def test_the_form_button_without_a_reason_is_refused_with_the_text_kept(people, story):
    editor = login(people["editor"])
    form = page_form(editor.get(change_url(story)), headline="Harbour tunnel opens at last")
    response = submit(editor, change_url(story), {**form, "_send_back": "1"})
    assert response.status_code == 200
    assert "Say why it goes back" in response.text
    assert "Harbour tunnel opens at last" in response.text
    assert Article.objects.get(pk=story.pk).status == Article.Status.REVIEW


def test_sending_back_makes_the_reason_a_note_and_tells_the_reporter(people, story, committed):
    editor = login(people["editor"])
    with committed():
        response = editor.post(
            send_back_url(story), {"reason": "The second quote needs a <source>."}
        )
    assert response.status_code == 302
    assert response["Location"] == change_url(story)
    assert Article.objects.get(pk=story.pk).status == Article.Status.DRAFT
    note = Note.objects.get(article=story)
    assert note.author == people["editor"]
    assert note.text == "The second quote needs a <source>."
    told = Notification.objects.get(recipient=people["reporter"])
    assert told.kind == Kind.SENT_BACK
    assert told.text == (
        "Ed Itor sent “Harbour tunnel opens” back to you: The second quote needs a <source>."
    )
    assert kinds_of(people["editor"]) == []
    # By email, in plain text, with the story's admin page as an absolute link.
    (email,) = mail.outbox
    assert email.to == ["rita@example.org"]
    assert email.subject == f"[Newsroom] {told.text}"
    assert f"http://127.0.0.1:8000{change_url(story)}#notes" in email.body
    assert not email.alternatives
    assert Notification.objects.get(pk=told.pk).emailed_at is not None
    # The reporter reads the note, escaped, in the story's thread.
    page = login(people["reporter"]).get(change_url(story)).text
    assert "The second quote needs a &lt;source&gt;." in page


def test_publishing_tells_the_reporters(people, story, committed):
    with committed():
        story_services.article_publish(article=story, by=people["editor"])
    assert kinds_of(people["reporter"]) == [Kind.PUBLISHED]
    assert kinds_of(people["editor"]) == []
    assert [m.to for m in mail.outbox] == [["rita@example.org"]]


def test_a_headline_ending_a_sentence_gets_no_second_full_stop(people, story, committed):
    story.headline = "Biden lifts sanctions on Chinese institute."
    story.save()
    with committed():
        story_services.article_publish(article=story, by=people["editor"])
    told = Notification.objects.get(recipient=people["reporter"])
    assert told.text.endswith("published “Biden lifts sanctions on Chinese institute.”")


def test_nothing_is_told_of_a_save_that_rolled_back(people, story):
    # No commit: the receivers never run.
    story_services.article_publish(article=story, by=people["editor"])
    assert not Notification.objects.exists()


# Preferences -------------------------------------------------------------------------------


def test_preferences_page_saves_the_kinds_and_they_are_honoured(people, story, committed):
    reporter = login(people["reporter"])
    page = reporter.get(PREFERENCES)
    assert page.status_code == 200
    assert "rita@example.org" in page.text
    # The defaults are ticked: what is addressed to the user personally.
    ticked = set(re.findall(r'value="(\w+)"[^>]*checked', page.text))
    assert ticked == set(EmailPreferences.default_kinds())
    assert Kind.SENT_BACK in ticked and Kind.SUBMITTED not in ticked
    response = reporter.post(PREFERENCES, {"kinds": [Kind.MENTIONED]})
    assert response.status_code == 302
    assert EmailPreferences.objects.get(user=people["reporter"]).kinds == [Kind.MENTIONED]
    with committed():
        story_services.article_transition(
            article=story, by=people["editor"], name="send_back", reason="Shorter, please."
        )
    assert kinds_of(people["reporter"]) == [Kind.SENT_BACK]  # in the admin still
    assert mail.outbox == []


def test_only_editors_choose_emails_of_submissions(people):
    """Submissions are told to editors only: a reporter isn't offered them."""
    assert f'value="{Kind.SUBMITTED}"' not in login(people["reporter"]).get(PREFERENCES).text
    assert f'value="{Kind.SUBMITTED}"' in login(people["editor"]).get(PREFERENCES).text
    response = login(people["reporter"]).post(PREFERENCES, {"kinds": [Kind.SUBMITTED]})
    assert response.status_code == 200  # Not a choice of theirs: a form error.
    assert not EmailPreferences.objects.exists()


def test_preferences_refuse_unknown_kinds(people):
    response = login(people["reporter"]).post(PREFERENCES, {"kinds": ["everything"]})
    assert response.status_code == 200
    assert not EmailPreferences.objects.exists()


def test_no_email_without_an_address(people, story, committed):
    people["reporter"].email = ""
    people["reporter"].save()
    with committed():
        story_services.article_publish(article=story, by=people["editor"])
    assert kinds_of(people["reporter"]) == [Kind.PUBLISHED]
    assert mail.outbox == []


def test_a_failing_mail_server_never_breaks_the_save(people, story, committed, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    with committed():
        response = login(people["editor"]).post(
            send_back_url(story), {"reason": "Check the figures."}
        )
    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).status == Article.Status.DRAFT
    told = Notification.objects.get(recipient=people["reporter"])
    assert told.emailed_at is None  # the job failed; the queue records it
    assert Note.objects.filter(article=story).exists()


def test_an_email_is_sent_once(people, story, committed):
    from notifications.tasks import send_notification_email

    with committed():
        story_services.article_publish(article=story, by=people["editor"])
    told = Notification.objects.get(recipient=people["reporter"])
    assert send_notification_email.enqueue(told.pk).return_value is False  # Sent already.
    assert len(mail.outbox) == 1


# A scheduled story going live ------------------------------------------------------------------


def test_scheduling_enqueues_the_announcement_for_that_minute(people, story, committed, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    with committed():
        story_services.article_schedule(article=story, by=people["editor"], at=at)
    (job,) = [r for r in default_task_backend.results if r.task.name == "announce_live"]
    assert job.task.run_after == at
    assert job.args == [story.pk, at.isoformat(), people["editor"].pk]


def test_a_queue_that_cant_wait_says_so_without_an_error(people, story, committed, caplog):
    """The immediate backend (the tests', NEWSROOM_TASKS_BACKEND=immediate) runs jobs at once:
    no announcement at the minute, said in the log, and no receiver's failure."""
    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    with caplog.at_level("INFO"), committed():
        story_services.article_schedule(article=story, by=people["editor"], at=at)
    assert "Jobs can't wait here: no notification" in caplog.text
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


def test_the_database_queue_keeps_the_job_until_that_minute(people, story, committed, settings):
    """With the real backend (the default outside tests), the job waits in the database."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    with committed():
        story_services.article_schedule(article=story, by=people["editor"], at=at)
    job = DBTaskResult.objects.get(task_path="notifications.tasks.announce_live")
    assert job.run_after == at
    assert not DBTaskResult.objects.ready().filter(pk=job.pk).exists()  # not before then
    with time_machine.travel(at + timedelta(seconds=1), tick=False):
        assert DBTaskResult.objects.ready().filter(pk=job.pk).exists()


def test_going_live_tells_the_reporters_and_the_scheduler_once(people, story):
    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    story_services.article_schedule(article=story, by=people["editor"], at=at)
    with time_machine.travel(at + timedelta(seconds=5), tick=False):
        assert announce_live.call(story.pk, at.isoformat(), people["editor"].pk) == 2
        # The queue may run a job twice: nobody is told twice.
        assert announce_live.call(story.pk, at.isoformat(), people["editor"].pk) == 0
    assert kinds_of(people["reporter"]) == [Kind.WENT_LIVE]
    assert kinds_of(people["editor"]) == [Kind.WENT_LIVE]
    assert Notification.objects.filter(kind=Kind.WENT_LIVE).first().text == (
        "“Harbour tunnel opens” went live, as scheduled."
    )


def test_going_live_checks_the_story_is_live_at_that_time(people, story):
    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    story_services.article_schedule(article=story, by=people["editor"], at=at)
    # Too early (a worker whose clock is behind), or rescheduled meanwhile, or unscheduled.
    assert announce_live.call(story.pk, at.isoformat(), None) == 0
    later = at + timedelta(hours=1)
    Article.objects.filter(pk=story.pk).update(published_at=later)
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        assert announce_live.call(story.pk, at.isoformat(), None) == 0
    story_services.article_return_to_draft(article=story, by=people["editor"])
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        assert announce_live.call(story.pk, later.isoformat(), None) == 0
    assert announce_live.call(10**9, at.isoformat(), None) == 0
    assert not Notification.objects.exists()


# Planning's signals (sent here by hand; the planning app sends them) -------------------------


def test_an_assignment_and_a_reassignment_are_told(people, story, committed):
    other = ReporterFactory(username="omar")
    with committed():
        signals.assignment_changed.send(
            Article,
            article=story,
            added=[other],
            removed=[people["reporter"]],
            by=people["editor"],
        )
    assert Notification.objects.get(recipient=other).text == (
        "Ed Itor assigned you to “Harbour tunnel opens”."
    )
    assert Notification.objects.get(recipient=people["reporter"]).text == (
        "Ed Itor took you off “Harbour tunnel opens”."
    )
    # An editor assigning themselves is not told of it.
    signals.assignment_changed.send(
        Article, article=story, added=[people["editor"]], removed=[], by=people["editor"]
    )
    assert kinds_of(people["editor"]) == []
    assert sorted(m.to[0] for m in mail.outbox) == ["omar@example.org", "rita@example.org"]


def test_a_deadline_passing_is_told_once(people, story, settings):
    settings.TIME_ZONE = "Europe/London"
    deadline = timezone.now().replace(month=7, day=1, hour=13, minute=0, second=0, microsecond=0)
    for _ in range(2):
        signals.deadline_passed.send(Article, article=story, deadline=deadline)
    told = Notification.objects.get(recipient=people["reporter"])
    assert told.kind == Kind.DEADLINE
    assert told.text == (
        f"The deadline for “Harbour tunnel opens” passed at 1 Jul {deadline.year}, 14:00 BST."
    )
    # Planning may name the assignees instead.
    other = ReporterFactory(username="omar")
    signals.deadline_passed.send(Article, article=story, deadline=deadline, recipients=[other])
    assert kinds_of(other) == [Kind.DEADLINE]


# In the admin: the count, the desk, the list, marking read ---------------------------------


def test_every_admin_page_shows_the_unread_count_with_one_query(people, story, committed):
    with committed():
        story_services.article_transition(
            article=story, by=people["editor"], name="send_back", reason="Shorter."
        )
    reporter = login(people["reporter"])
    for url in (reverse("admin:index"), change_url(story), LIST, PREFERENCES):
        with CaptureQueriesContext(connection) as queries:
            page = reporter.get(url)
        assert "Notifications (1<span" in page.text, url
        counts = [
            q["sql"]
            for q in queries.captured_queries
            if "notifications_notification" in q["sql"]
            and "COUNT(" in q["sql"].upper()
            and "read_at" in q["sql"]
        ]
        assert len(counts) == 1, (url, counts)


def test_the_desk_lists_the_latest_notifications(people, story, committed):
    with committed():
        story_services.article_transition(
            article=story, by=people["editor"], name="send_back", reason="Shorter."
        )
    page = login(people["reporter"]).get(reverse("admin:index")).text
    assert 'aria-label="Notifications"' in page
    assert "Ed Itor sent “Harbour tunnel opens” back to you: Shorter." in page
    assert f'href="{change_url(story)}"' in page


def test_mark_one_and_all_as_read(people, story):
    other = EditorFactory(username="olga")
    for text in ("one", "two"):
        services.notify(
            kind=Kind.MENTIONED,
            recipients=[people["reporter"], other],
            article=story,
            actor=None,
            text=text,
        )
    mine = Notification.objects.filter(recipient=people["reporter"])
    theirs = Notification.objects.filter(recipient=other).first()
    reporter = login(people["reporter"])
    assert reporter.get(READ).status_code == 405
    # Someone else's notification is left alone.
    reporter.post(READ, {"notification": theirs.pk})
    assert not Notification.objects.get(pk=theirs.pk).is_read()
    response = reporter.post(READ, {"notification": mine.first().pk, "next": LIST})
    assert response.status_code == 302 and response["Location"] == LIST
    assert mine.filter(read_at__isnull=True).count() == 1
    # A `next` leading off the site goes to the list instead; bad numbers change nothing.
    response = reporter.post(READ, {"notification": "abc", "next": "https://evil.example/"})
    assert response["Location"] == LIST
    response = reporter.post(READ, {"all": "yes", "next": "https://evil.example/"})
    assert response["Location"] == LIST
    assert mine.filter(read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2
    assert "Notifications (0<span" in reporter.get(LIST).text


def test_the_list_pages_and_escapes(people, story):
    for n in range(55):
        services.notify(
            kind=Kind.MENTIONED,
            recipients=[people["reporter"]],
            article=story,
            actor=None,
            text=f"<b>n{n}</b>",
        )
    reporter = login(people["reporter"])
    page = reporter.get(LIST).text
    assert "&lt;b&gt;n54&lt;/b&gt;" in page and "<b>n54" not in page
    assert "n4&lt;" not in page
    assert "&lt;b&gt;n4&lt;/b&gt;" in reporter.get(LIST + "?p=2").text
    assert reporter.get(LIST + "?p=abc").status_code == 200


def test_the_pages_need_a_staff_login(people):
    for url in (LIST, PREFERENCES):
        response = login(people["reporter"]).get(url)
        assert response.status_code == 200
        anonymous = type(login(people["reporter"]))()
        response = anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"]

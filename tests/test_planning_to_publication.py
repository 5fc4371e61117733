"""A story's whole life on the desk (#15), through real HTTP, as the people who make it do it:
an editor plans it and assigns it; the reporter is told, finds it, writes and submits it; the
editors are told; one sends it back with a note saying why; the reporter is told, reads the
note in the story's thread, fixes it and submits it again; an editor publishes it, and the
reporter is told that too. Each step's notifications are checked in the admin and by email
(Django's locmem backend), with what waits for the commit run as a real commit would."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from notifications.models import Note, Notification
from planning.models import Plan
from tests.articles.workflow_http import add_byline, login, messages_of, page_form, submit
from tests.factories import AuthorFactory, EditorFactory, ReporterFactory, SectionFactory

pytestmark = pytest.mark.django_db

PLAN = reverse("admin:planning_plan_add")
INDEX = reverse("admin:index")


def story_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def unread(user) -> list[str]:
    """The kinds of the user's unread notifications, oldest first."""
    return list(
        Notification.objects.filter(recipient=user, read_at=None)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def mailed_to(user) -> list[str]:
    return [message.subject for message in mail.outbox if user.email in message.to]


@pytest.fixture
def newsroom():
    editor = EditorFactory(username="eddie", email="eddie@example.org", first_name="Eddie")
    other_editor = EditorFactory(username="erin", email="erin@example.org", first_name="Erin")
    rita = ReporterFactory(username="rita", email="rita@example.org", first_name="Rita")
    AuthorFactory(user=rita, name="Rita Reporter")
    return editor, other_editor, rita


def test_plan_assign_write_submit_send_back_resubmit_publish(
    newsroom, django_capture_on_commit_callbacks
):
    editor, other_editor, rita = newsroom
    news = SectionFactory(name="News")
    desk, reporter = login(editor), login(rita)

    def committed(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return submit(client, url, data)

    # Planned: a working headline, a section, an assignee and a deadline, no text.
    due = timezone.localtime() + timedelta(hours=4)
    response = committed(
        desk,
        PLAN,
        {
            "headline": "Council votes on the tram line",
            "section": str(news.pk),
            "assignees": [str(rita.pk)],
            "deadline_0": due.strftime("%Y-%m-%d"),
            "deadline_1": due.strftime("%H:%M"),
            "priority": "30",
            "planned_words": "600",
            "brief": "Get the vote count and a quote from each side.",
            "_save": "1",
        },
    )
    assert response.status_code == 302
    story = Plan.objects.get().article
    assert story.status == Article.Status.DRAFT and story.body == ""
    assert unread(rita) == ["assigned"]
    assert any("tram line" in subject for subject in mailed_to(rita))
    assert unread(editor) == []  # Nobody is told of their own doing.

    # The reporter finds it in "My assignments" and sees the count on every admin page.
    page = reporter.get(INDEX).content.decode()
    assert "My assignments" in page and "Council votes on the tram line" in page
    assert 'Notifications (1<span class="visually-hidden"> unread</span>)' in page

    # Writes it, with her byline, and submits it: every editor is told.
    form_page = reporter.get(story_url(story))
    data = page_form(form_page, body="<p>The council voted 31 to 28.</p>", _submit="1")
    response = committed(reporter, story_url(story), add_byline(data, rita.author_profile))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW
    assert unread(editor) == ["submitted"] and unread(other_editor) == ["submitted"]

    # An editor sends it back, saying why; the words are the thread's note.
    send_back = reverse("admin:articles_article_send_back", args=[story.pk])
    refused = submit(desk, send_back, {"reason": "   "})
    assert refused.status_code == 200  # A form error: a reason is required.
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW
    response = committed(desk, send_back, {"reason": "Quote the opposition by name, @rita."})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    note = Note.objects.get(article=story)
    assert note.text == "Quote the opposition by name, @rita." and note.author == editor
    assert "sent_back" in unread(rita)
    thread = reporter.get(story_url(story)).content.decode()
    assert "Quote the opposition by name" in thread

    # She fixes it and submits again; the editors are told again.
    form_page = reporter.get(story_url(story))
    data = page_form(
        form_page,
        body="<p>The council voted 31 to 28. “We will fight on,” said Ann Lee.</p>",
        _submit="1",
    )
    response = committed(reporter, story_url(story), data)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW
    assert unread(other_editor) == ["submitted", "submitted"]

    # The editor publishes it; the reporter is told, and readers can read it.
    form_page = desk.get(story_url(story))
    response = committed(desk, story_url(story), page_form(form_page, _publish="1"))
    assert response.status_code == 302, messages_of(response)
    story.refresh_from_db()
    assert story.is_published()
    assert unread(rita)[-1] == "published"
    assert any("tram line" in subject for subject in mailed_to(rita))
    reader = Client().get(story.get_absolute_url())
    assert reader.status_code == 200
    assert "We will fight on" in reader.content.decode()
    assert "Quote the opposition" not in reader.content.decode()  # Notes stay inside.

"""Internal notes on a story (#15): the thread in the story form, @mentions, escaping."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications import services
from notifications.models import Note, Notification
from tests.articles.workflow_http import change_url, login
from tests.factories import DraftArticleFactory, LegalFactory, ReporterFactory, UserFactory

pytestmark = pytest.mark.django_db


def add_url(story):
    return reverse("admin:notifications_note_add_to_story", args=[story.pk])


def test_a_note_is_added_from_the_story_form_and_shown_in_its_thread(people, story):
    editor = login(people["editor"])
    response = editor.post(add_url(story), {"text": "Who is the second source?"})
    assert response.status_code == 302
    assert response["Location"] == change_url(story) + "#notes"
    page = editor.get(change_url(story)).content.decode()
    assert 'id="notes"' in page
    assert "Who is the second source?" in page
    assert "Ed Itor" in page
    # The reporter reads it on their own story too.
    assert "Who is the second source?" in login(people["reporter"]).get(change_url(story)).text


def test_html_in_a_note_is_shown_as_text(people, story):
    services.note_add(
        article=story, by=people["editor"], text='<script>alert("x")</script>\n<b>bold</b>'
    )
    page = login(people["editor"]).get(change_url(story)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt;" in page
    assert '<script>alert("x")' not in page


def test_an_empty_or_overlong_note_is_refused_with_its_text_kept(people, story):
    editor = login(people["editor"])
    response = editor.post(add_url(story), {"text": "   "})
    assert response.status_code == 400
    assert "Write the note first." in response.text
    long = "word " * 1200
    response = editor.post(add_url(story), {"text": long})
    assert response.status_code == 400
    assert long.strip()[:200] in response.text  # the text is there to copy or shorten
    assert not Note.objects.exists()


def test_a_note_is_only_posted(people, story):
    assert login(people["editor"]).get(add_url(story)).status_code == 405


def test_a_mention_tells_the_colleague_and_an_unknown_name_stays_text(people, story, committed):
    with committed():
        note = services.note_add(
            article=story,
            by=people["editor"],
            text="@rita can you check this with @nobody? Mail me at ed@example.org. @eve.",
        )
    assert set(note.mentions.all()) == {people["reporter"], people["other_editor"]}
    told = Notification.objects.filter(kind=Notification.Kind.MENTIONED)
    assert {n.recipient for n in told} == {people["reporter"], people["other_editor"]}
    assert told.first().text == "Ed Itor mentioned you in a note on “Harbour tunnel opens”."
    # Mentions arrive by email by default.
    assert sorted(m.to[0] for m in mail.outbox) == ["eve@example.org", "rita@example.org"]
    page = login(people["editor"]).get(change_url(story)).text
    assert "@nobody" in page


def test_nobody_is_told_of_mentioning_themselves(people, story, committed):
    with committed():
        services.note_add(article=story, by=people["editor"], text="Note to self, @ed.")
    assert not Notification.objects.exists()


def test_a_mention_of_someone_who_cant_open_the_story_tells_them_nothing(people, committed):
    # Another reporter's draft: its headline must not reach them through a notification.
    other = ReporterFactory(username="omar")
    draft = DraftArticleFactory(created_by=people["reporter"])
    staff_only = UserFactory(username="sam", is_staff=True)
    with committed():
        services.note_add(article=draft, by=people["editor"], text="@omar @sam have a look")
    assert not Notification.objects.filter(recipient__in=[other, staff_only]).exists()


def test_notes_are_only_for_those_who_may_open_the_story(people, story):
    other = ReporterFactory(username="omar")
    page = login(other).get(change_url(story))
    assert page.status_code in {302, 403, 404}
    response = login(other).post(add_url(story), {"text": "Hello"})
    assert response.status_code == 403
    assert not Note.objects.exists()


def test_the_thread_lists_who_a_mention_reaches(people, story):
    ReporterFactory(username="omar")  # another desk's reporter: not told of this story
    page = login(people["reporter"]).get(change_url(story)).text
    listed = page.split("Who can be mentioned here", 1)[1].split("</details>", 1)[0]
    assert '<code data-mention="ed" data-name="Ed Itor">@ed</code> (Ed Itor)' in listed
    assert 'data-mention="eve"' in listed
    assert '<code data-mention="rita" data-name="Rita Okafor">@rita</code>' in listed
    assert "@omar" not in listed and 'data-mention="omar"' not in page


def test_the_suggestions_script_is_a_static_file_and_names_are_escaped(people, story):
    # note-mentions.js reads the people from the list (#15): a name is data, never markup,
    # and the script is a file, which the admin's Content-Security-Policy lets run.
    people["editor"].first_name = '"><script>alert(1)</script>'
    people["editor"].save()
    page = login(people["reporter"]).get(change_url(story)).text
    assert 'data-name="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; Itor"' in page
    assert "<script>alert(1)" not in page
    assert '<script src="/static/js/note-mentions.js" defer></script>' in page


def test_a_refused_note_keeps_the_suggestions(people, story):
    response = login(people["reporter"]).post(add_url(story), {"text": "@ed " + "word " * 1200})
    assert response.status_code == 400
    assert 'data-mention="ed"' in response.text and "note-mentions.js" in response.text


def test_no_suggestions_script_without_anyone_to_mention(people, story, settings):
    story.created_by = None
    story.save()
    story.bylines.all().delete()
    for user in people.values():
        user.is_active = False
        user.save()
    legal = LegalFactory()
    page = login(legal).get(change_url(story)).text
    assert 'id="notes"' in page and "note-mentions.js" not in page


def test_a_nul_byte_is_a_form_error_not_a_500(people, story):
    # PostgreSQL refuses NUL in text: the forms refuse it first, on every database.
    editor = login(people["editor"])
    response = editor.post(add_url(story), {"text": "Check\x00this"})
    assert response.status_code == 400
    response = editor.post(
        reverse("admin:articles_article_send_back", args=[story.pk]), {"reason": "Why\x00"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.text
    assert not Note.objects.exists()

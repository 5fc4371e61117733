"""No editor ever loses work, and each sees who else is at work (#12), through real HTTP.

Autosave keeps a working copy; a save that arrives after the session ended is kept and comes
back after the login; presence and edit locks; a stale save shows what the other person
changed and puts the editor's own changes back on the latest version in one step.
"""

import re
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import editing
from articles.models import Article, EditLock, WorkingCopy
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
)

from .workflow_http import (
    ADD,
    ADMIN_INDEX,
    CHANGELIST,
    LOGIN,
    add_byline,
    change_url,
    desk_lists,
    login,
    messages_of,
    page_form,
    submit,
)

pytestmark = pytest.mark.django_db


def autosave_url(story=None):
    if story is None:
        return reverse("admin:articles_article_autosave_new")
    return reverse("admin:articles_article_autosave", args=[story.pk])


def presence_url(story):
    return reverse("admin:articles_article_presence", args=[story.pk])


@pytest.fixture
def priya():
    return EditorFactory(username="priya", first_name="Priya", last_name="Raman")


@pytest.fixture
def ben():
    return EditorFactory(username="ben", first_name="Ben", last_name="Okoro")


@pytest.fixture
def story():
    return DraftArticleFactory(
        headline="Bridge repairs start",
        body="<p>Work starts on Monday.</p>",
        authors=[AuthorFactory(name="Nadia Noor")],
    )


class AutosaveTests:
    def test_keeps_what_was_typed_as_the_users_own_copy(self, priya, story):
        client = login(priya)
        form = page_form(client.get(change_url(story)), body="Work starts on Tuesday.")
        response = submit(client, autosave_url(story), form)
        assert response.status_code == 200 and "saved_at" in response.json()
        copy = WorkingCopy.objects.get()
        assert (copy.user, copy.article, copy.reason) == (priya, story, "autosave")
        assert copy.data["body"] == ["Work starts on Tuesday."]
        assert "csrfmiddlewaretoken" not in copy.data and "_editor" not in copy.data
        # Never a public change, never a revision.
        story.refresh_from_db()
        assert story.body == "<p>Work starts on Monday.</p>" and not story.revisions.exists()
        # The next beat of the same form updates the same copy.
        submit(client, autosave_url(story), {**form, "body": "Work starts on Wednesday."})
        assert WorkingCopy.objects.get().data["body"] == ["Work starts on Wednesday."]

    @pytest.mark.slow
    def test_reopening_offers_the_copy_and_restores_it(self, priya, story):
        client = login(priya)
        form = page_form(client.get(change_url(story)), headline="Bridge repairs start today")
        submit(client, autosave_url(story), form)
        page = client.get(change_url(story)).content.decode()
        assert "Your unsaved changes from" in page and "Restore them" in page
        copy = WorkingCopy.objects.get()
        restored = client.get(f"{change_url(story)}?restore={copy.key}")
        assert page_form(restored)["headline"] == "Bridge repairs start today"
        assert any("are back in the form" in m for m in messages_of(restored))
        # Saving it saves the story and the copy is done with.
        submit(client, change_url(story), page_form(restored))
        story.refresh_from_db()
        assert story.headline == "Bridge repairs start today"
        assert not WorkingCopy.objects.exists()

    def test_a_copy_holding_nothing_new_is_not_offered(self, priya, story):
        client = login(priya)
        submit(client, autosave_url(story), page_form(client.get(change_url(story))))
        assert "Your unsaved changes from" not in client.get(change_url(story)).content.decode()

    def test_discarding_the_copy(self, priya, story):
        client = login(priya)
        submit(client, autosave_url(story), page_form(client.get(change_url(story)), body="X"))
        url = reverse("admin:articles_article_discard_copy", args=[story.pk])
        assert submit(client, url, {}).status_code == 302
        assert not WorkingCopy.objects.exists()

    def test_a_new_story_never_saved_is_on_the_desk(self, priya):
        client = login(priya)
        form = page_form(client.get(ADD), headline="Storm warning for the coast", body="Winds.")
        submit(client, autosave_url(), form)
        assert not Article.objects.exists()
        desk = desk_lists(client.get(ADMIN_INDEX).content.decode())
        assert "Storm warning for the coast" in desk["Unsaved work"]
        copy = WorkingCopy.objects.get()
        restored = client.get(f"{ADD}?restore={copy.key}")
        assert page_form(restored)["headline"] == "Storm warning for the coast"
        data = add_byline(page_form(restored), AuthorFactory())
        submit(client, ADD, data)
        assert Article.objects.get().headline == "Storm warning for the coast"
        assert not WorkingCopy.objects.exists()

    def test_unsaved_work_can_be_discarded_from_the_desk(self, priya):
        client = login(priya)
        form = page_form(client.get(ADD), headline="A story I gave up on", body="Text.")
        submit(client, autosave_url(), form)
        desk = desk_lists(client.get(ADMIN_INDEX).content.decode())["Unsaved work"]
        assert "Discard" in desk
        url = reverse("admin:articles_article_discard_new_copy")
        submit(client, url, {"key": str(WorkingCopy.objects.get().key)})
        assert not WorkingCopy.objects.exists()
        assert "Unsaved work" not in desk_lists(client.get(ADMIN_INDEX).content.decode())

    def test_only_who_may_edit_the_story_can_autosave_it(self, story):
        client = login(ReporterFactory())
        form = {"form_key": "7f1e9a3a-0d1c-4c77-9d6c-2f5c1d3b6a10", "headline": "x"}
        assert submit(client, autosave_url(story), form).status_code == 404
        assert not WorkingCopy.objects.exists()

    @pytest.mark.slow
    def test_someone_elses_copy_is_never_offered_or_restored(self, priya, ben, story):
        client = login(priya)
        submit(client, autosave_url(story), page_form(client.get(change_url(story)), body="X"))
        key = WorkingCopy.objects.get().key
        other = login(ben)
        assert "Your unsaved changes" not in other.get(change_url(story)).content.decode()
        page = other.get(f"{change_url(story)}?restore={key}")
        assert page_form(page)["body"] == "<p>Work starts on Monday.</p>"

    def test_an_autosave_arriving_after_the_save_is_dropped(self, priya):
        client = login(priya)
        form = page_form(client.get(ADD), headline="Filed", body="Text.")
        data = add_byline(dict(form), AuthorFactory())
        submit(client, ADD, data)
        # The autosave sent just before the click lands after the save.
        assert submit(client, autosave_url(), form).json() == {"saved": True}
        assert not WorkingCopy.objects.exists()
        assert "Unsaved work" not in desk_lists(client.get(ADMIN_INDEX).content.decode())

    def test_a_form_opened_by_someone_else_is_not_kept_in_your_name(self, priya, ben, story):
        form = page_form(login(priya).get(change_url(story)), body="Priya's words.")
        response = submit(login(ben), autosave_url(story), form)
        assert response.status_code == 401 and response.json()["error"] == "other-user"
        assert not WorkingCopy.objects.exists()

    def test_a_new_login_elsewhere_answers_json_and_a_fresh_token_works(self, priya, story):
        client = Client(enforce_csrf_checks=True)
        client.force_login(priya)
        form = page_form(client.get(change_url(story)), body="Still typing.")
        client.cookies["csrftoken"] = "n" * 32  # What the login in another tab set.
        refused = submit(client, autosave_url(story), form)
        assert refused.status_code == 403 and refused.json() == {"error": "csrf"}
        token = client.get(reverse("admin:articles_article_csrf_token")).json()["token"]
        fresh = {**form, "csrfmiddlewaretoken": token}
        assert submit(client, autosave_url(story), fresh).status_code == 200
        assert WorkingCopy.objects.get().data["body"] == ["Still typing."]

    def test_a_session_that_ended_gets_401_not_the_login_page(self, story):
        response = submit(Client(), autosave_url(story), {"form_key": "x"})
        assert response.status_code == 401
        assert response.json()["error"] == "session"


class SessionEndedTests:
    """The session ends while the story is open (logout in another tab, a password change,
    an expired cookie): Save keeps the text, and the login leads back to it."""

    @pytest.mark.slow
    def test_the_save_is_kept_and_comes_back_after_login(self, priya, story):
        client = login(priya)
        form = page_form(client.get(change_url(story)), body="Every word of the late story.")
        client.post(reverse("admin:logout"))  # In another tab.
        response = submit(client, change_url(story), form)
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == LOGIN
        next_url = parse_qs(location.query)["next"][0]
        assert next_url.startswith(change_url(story) + "?restore=")
        copy = WorkingCopy.objects.get()
        assert (copy.user, copy.article, copy.reason) == (priya, story, "session")
        story.refresh_from_db()
        assert story.body == "<p>Work starts on Monday.</p>"  # Nothing saved yet…
        login_page = client.get(response["Location"])
        assert "Your session ended before your save arrived" in login_page.content.decode()
        client.force_login(priya)  # …until they log in again.
        page = client.get(next_url)
        assert page_form(page)["body"] == "Every word of the late story."
        assert any("when your session ended, is back in the form" in m for m in messages_of(page))
        submit(client, change_url(story), page_form(page))
        story.refresh_from_db()
        assert story.body == "<p>Every word of the late story.</p>"

    def test_a_password_change_elsewhere_ends_the_session_and_keeps_the_text(self, priya, story):
        client = login(priya)
        form = page_form(client.get(change_url(story)), headline="Bridge closes")
        priya.set_password("a brand new password for priya")
        priya.save()
        response = submit(client, change_url(story), form)
        assert urlsplit(response["Location"]).path == LOGIN
        assert WorkingCopy.objects.get().data["headline"] == ["Bridge closes"]

    def test_a_new_story_typed_when_the_session_ended(self, priya):
        client = login(priya)
        form = page_form(client.get(ADD), headline="Late story", body="Filed at midnight.")
        client.post(reverse("admin:logout"))
        response = submit(client, ADD, form)
        next_url = parse_qs(urlsplit(response["Location"]).query)["next"][0]
        assert next_url.startswith(ADD + "?restore=")
        client.force_login(priya)
        assert page_form(client.get(next_url))["headline"] == "Late story"

    def test_someone_else_logged_in_meanwhile_saves_nothing_in_their_name(self, priya, ben, story):
        client = login(priya)
        form = page_form(client.get(change_url(story)), headline="Priya's headline")
        client.force_login(ben)  # Priya logged out; Ben logged in, in the same browser.
        response = submit(client, change_url(story), form, follow=True)
        story.refresh_from_db()
        assert story.headline == "Bridge repairs start"
        assert any("opened by Priya Raman" in m for m in messages_of(response))
        assert WorkingCopy.objects.get().user == priya

    def test_a_form_opened_before_a_new_login_keeps_its_text(self, priya, story):
        """Logged out and in again in another tab: the CSRF token changed, the form's didn't."""
        client = Client(enforce_csrf_checks=True)
        client.force_login(priya)
        form = page_form(client.get(change_url(story)), headline="Typed before the new login")
        client.cookies["csrftoken"] = "n" * 32  # What the new login set.
        response = submit(client, change_url(story), form)
        assert response.status_code == 302
        assert response["Location"].startswith(change_url(story) + "?restore=")
        page = client.get(response["Location"])
        assert page_form(page)["headline"] == "Typed before the new login"
        assert any("The page was out of date" in m for m in messages_of(page))
        story.refresh_from_db()
        assert story.headline == "Bridge repairs start"

    def test_any_other_csrf_refusal_is_still_a_403(self, priya, story):
        client = Client(enforce_csrf_checks=True)
        client.force_login(priya)
        form = page_form(client.get(change_url(story)), _editor=None)
        client.cookies["csrftoken"] = "n" * 32
        assert submit(client, change_url(story), form).status_code == 403
        assert submit(client, reverse("admin:logout"), {}).status_code == 403
        assert not WorkingCopy.objects.exists()

    def test_nothing_is_kept_on_a_story_the_opener_may_not_read(self, story):
        reporter = ReporterFactory()
        own = DraftArticleFactory(created_by=reporter, authors=[AuthorFactory(user=reporter)])
        client = Client(enforce_csrf_checks=True)
        client.force_login(reporter)
        form = page_form(client.get(change_url(own)), headline="Mine")
        client.cookies["csrftoken"] = "n" * 32
        # Their own form, their own signature, posted to someone else's story.
        response = submit(client, change_url(story), form)
        assert response.status_code == 403
        assert not WorkingCopy.objects.exists()
        # The signature belongs to its form: another form key doesn't carry it.
        response = submit(client, change_url(own), {**form, "form_key": str(uuid.uuid4())})
        assert response.status_code == 403 and not WorkingCopy.objects.exists()

    def test_a_forged_opener_keeps_nothing(self, story):
        response = submit(Client(), change_url(story), {"_editor": "forged", "headline": "x"})
        assert urlsplit(response["Location"]).path == LOGIN
        assert not WorkingCopy.objects.exists()


def test_a_reporters_story_published_meanwhile_keeps_their_text(priya):
    """The reporter's form is open; an editor publishes the story; the reporter saves: they may
    no longer change it, and get their text back to copy, not a 403 that loses it."""
    reporter = ReporterFactory(first_name="Rita", last_name="Reyes")
    author = AuthorFactory(user=reporter)
    story = DraftArticleFactory(created_by=reporter, authors=[author])
    client = login(reporter)
    form = page_form(client.get(change_url(story)), body="Rita's last paragraph.")
    from articles import services

    services.article_publish(article=story, by=priya)
    response = submit(client, change_url(story), form)
    assert response.status_code == 302
    assert response["Location"].startswith(change_url(story) + "?restore=")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "you can't change it any more" in " ".join(messages_of(page))
    assert "Your unsaved body" in html and "Rita&#x27;s last paragraph." in html
    assert WorkingCopy.objects.get(user=reporter).data["body"] == ["Rita's last paragraph."]


class PresenceTests:
    def test_each_sees_the_other_and_since_when(self, priya, ben, story):
        ben_client = login(ben)
        ben_client.get(change_url(story))
        page = login(priya).get(change_url(story)).content.decode()
        assert "Ben Okoro is also editing this story (since" in page
        answer = submit(ben_client, presence_url(story), {}).json()
        assert [p["name"] for p in answer["others"]] == ["Priya Raman"]

    def test_a_newer_version_is_said_at_the_next_beat(self, priya, ben, story):
        ben_client, priya_client = login(ben), login(priya)
        ben_form = page_form(ben_client.get(change_url(story)))
        beat = {"version": ben_form["expected_version"]}
        assert submit(ben_client, presence_url(story), beat).json()["newer"] is None
        priya_form = page_form(priya_client.get(change_url(story)), headline="Priya's")
        assert submit(priya_client, change_url(story), priya_form).status_code == 302
        newer = submit(ben_client, presence_url(story), beat).json()["newer"]
        assert newer["who"] == "Priya Raman"
        assert re.fullmatch(r"\d\d:\d\d \S+", newer["at"])
        # A form opened since holds the latest: nothing to say.
        fresh = page_form(ben_client.get(change_url(story)))
        answer = submit(ben_client, presence_url(story), {"version": fresh["expected_version"]})
        assert answer.json()["newer"] is None

    def test_gone_at_once_when_the_tab_closes_or_within_a_minute(self, priya, ben, story):
        ben_client, priya_client = login(ben), login(priya)
        ben_client.get(change_url(story))
        priya_client.get(change_url(story))
        submit(ben_client, presence_url(story), {"left": "1"})
        with time_machine.travel(timezone.now() + timedelta(seconds=21)):
            assert submit(priya_client, presence_url(story), {}).json()["others"] == []
        # A tab that stopped without a word (a crash, a lost network): gone after its beats
        # stop, allowing a background tab the minute its browser waits between beats.
        ben_client.get(change_url(story))
        with time_machine.travel(timezone.now() + timedelta(seconds=60)):
            assert submit(priya_client, presence_url(story), {}).json()["others"] != []
        with time_machine.travel(timezone.now() + timedelta(seconds=80)):
            assert submit(priya_client, presence_url(story), {}).json()["others"] == []

    def test_the_desk_and_the_list_say_who_is_in_which_story(self, priya, ben, story):
        login(ben).get(change_url(story))
        client = login(priya)
        desk = desk_lists(client.get(ADMIN_INDEX).content.decode())
        assert "Bridge repairs start" in desk["Open now"] and "Ben Okoro" in desk["Open now"]
        listing = client.get(CHANGELIST).content.decode()
        assert "Ben Okoro" in listing

    @pytest.mark.slow
    def test_the_list_asks_for_presence_once_for_the_page(self, priya, ben):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        stories = [DraftArticleFactory() for _ in range(3)]
        for article in stories:
            editing.beat(user=ben, article=article)
        client = login(priya)
        client.get(CHANGELIST)
        with CaptureQueriesContext(connection) as few:
            client.get(CHANGELIST)
        for article in [DraftArticleFactory() for _ in range(20)]:
            editing.beat(user=ben, article=article)
        with CaptureQueriesContext(connection) as many:
            client.get(CHANGELIST)
        assert len(few) == len(many)
        assert sum("articles_presence" in q["sql"] for q in many.captured_queries) == 1

    def test_a_heartbeat_after_the_session_ended_says_so(self, story):
        assert submit(Client(), presence_url(story), {}).status_code == 401


class EditLockTests:
    @pytest.fixture(autouse=True)
    def _locks(self, settings):
        settings.NEWSROOM_EDIT_LOCKS = True

    @pytest.mark.slow
    def test_the_first_holds_the_story_the_second_reads_it(self, priya, ben, story):
        login(priya).get(change_url(story))
        assert EditLock.objects.get(article=story).user == priya
        page = login(ben).get(change_url(story))
        html = page.content.decode()
        assert "Priya Raman is editing this story (since" in html
        assert 'name="_save"' not in html  # Read-only.
        assert "Take over editing" in html  # Ben is an editor.

    @pytest.mark.slow
    def test_a_save_by_someone_else_is_refused_and_the_text_kept(self, priya, ben, story):
        ben_client = login(ben)
        form = page_form(ben_client.get(change_url(story)))  # Ben first…
        login(priya).get(change_url(story))
        EditLock.objects.filter(article=story).update(user=priya)  # …then Priya holds it.
        response = submit(ben_client, change_url(story), {**form, "body": "Ben's words."})
        assert response.status_code == 200
        assert "Priya Raman is editing this story" in response.content.decode()
        assert "Ben&#x27;s words." in response.content.decode() or "Ben's words." in (
            response.content.decode()
        )
        assert WorkingCopy.objects.get(user=ben).data["body"] == ["Ben's words."]
        story.refresh_from_db()
        assert story.body == "<p>Work starts on Monday.</p>"

    @pytest.mark.slow
    def test_an_editor_takes_over_and_the_holder_is_told(self, priya, ben, story):
        priya_client = login(priya)
        form = page_form(priya_client.get(change_url(story)), body="Priya's draft.")
        submit(priya_client, autosave_url(story), form)
        ben_client = login(ben)
        ben_client.get(change_url(story))
        take = reverse("admin:articles_article_take_over", args=[story.pk])
        assert submit(ben_client, take, {}).status_code == 302
        lock = EditLock.objects.get(article=story)
        assert (lock.user, lock.taken_from) == (ben, priya)
        assert 'name="_save"' in ben_client.get(change_url(story)).content.decode()
        answer = submit(priya_client, presence_url(story), {}).json()
        assert answer["lock"]["taken_from_me"] and answer["lock"]["holder"] == "Ben Okoro"
        # Priya's typing is kept; her save is refused with the reason, her text on the page.
        assert WorkingCopy.objects.get(user=priya).data["body"] == ["Priya's draft."]
        response = submit(priya_client, change_url(story), form)
        assert "Ben Okoro is editing this story" in response.content.decode()

    def test_the_lock_ends_when_its_holder_leaves(self, priya, ben, story):
        priya_client = login(priya)
        priya_client.get(change_url(story))
        submit(priya_client, presence_url(story), {"left": "1"})
        # Not at once: a save reloads the story, and the holder must keep it then.
        assert "is editing this story" in login(ben).get(change_url(story)).content.decode()
        with time_machine.travel(timezone.now() + timedelta(seconds=21)):
            page = login(ben).get(change_url(story)).content.decode()
        assert 'name="_save"' in page and "is editing this story" not in page

    @pytest.mark.slow
    def test_the_holder_keeps_the_story_when_their_save_reloads_it(self, priya, ben, story):
        priya_client = login(priya)
        form = page_form(priya_client.get(change_url(story)), body="Priya's text.")
        # The page before says "left" after the reload already beat: she keeps the story.
        submit(priya_client, change_url(story), form)
        priya_client.get(change_url(story))
        submit(priya_client, presence_url(story), {"left": "1"})
        page = login(ben).get(change_url(story)).content.decode()
        assert "Priya Raman is editing this story" in page

    def test_reporters_cannot_take_over(self, story):
        reporter = ReporterFactory()
        story.created_by = reporter
        story.save()
        login(EditorFactory()).get(change_url(story))
        client = login(reporter)
        assert "Take over editing" not in client.get(change_url(story)).content.decode()
        take = reverse("admin:articles_article_take_over", args=[story.pk])
        assert submit(client, take, {}).status_code == 403


class StaleSaveTests:
    """Two editors in one story: the second save is refused, shows what the first changed,
    and puts the second's own changes back on the latest version in one step."""

    @pytest.fixture
    def opened(self, priya, ben, story):
        from articles import services

        services.revision_record(article=story, by=priya, comment="Created")
        story.refresh_from_db()
        story.revisions.update(version=story.version)
        priya_client, ben_client = login(priya), login(ben)
        ben_form = page_form(ben_client.get(change_url(story)))
        priya_form = page_form(
            priya_client.get(change_url(story)),
            body="Work starts on Monday at 7 a.m.",
            tags=["bridges"],
        )
        assert submit(priya_client, change_url(story), priya_form).status_code == 302
        return ben_client, ben_form

    @pytest.mark.slow
    def test_the_refusal_shows_what_the_other_changed_word_by_word(self, opened, story):
        ben_client, ben_form = opened
        mine = {**ben_form, "headline": "Bridge repairs start next week"}
        response = submit(ben_client, change_url(story), mine)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Priya Raman saved this story at" in html
        assert "What Priya Raman changed" in html
        assert "Work starts on Monday<del>.</del><ins> at 7 a.m.</ins>" in html
        assert "Bridge repairs start next week" in html  # Ben's text is still in the form.
        assert "Apply my changes to the latest version" in html

    @pytest.mark.slow
    def test_apply_my_changes_keeps_theirs_and_mine(self, opened, story):
        ben_client, ben_form = opened
        mine = {**ben_form, "headline": "Bridge repairs start next week", "_reapply": "1"}
        response = submit(ben_client, change_url(story), mine)
        assert response.status_code == 302
        page = ben_client.get(response["Location"])
        form = page_form(page)
        assert form["headline"] == "Bridge repairs start next week"  # Ben's change…
        assert form["body"] == "<p>Work starts on Monday at 7 a.m.</p>"  # …on Priya's text.
        assert form["tags"] == "bridges"
        # One message, and no other (#16).
        assert messages_of(page) == [
            "Priya Raman’s changes and yours were combined; check before saving. Your "
            "changes now in the form: the headline."
        ]
        assert submit(ben_client, change_url(story), form).status_code == 302
        story.refresh_from_db()
        assert story.headline == "Bridge repairs start next week"
        assert story.body == "<p>Work starts on Monday at 7 a.m.</p>"

    @pytest.mark.slow
    def test_the_refused_text_is_kept_as_unsaved_work_too(self, opened, story, ben):
        ben_client, ben_form = opened
        submit(ben_client, change_url(story), {**ben_form, "headline": "Ben's headline"})
        assert WorkingCopy.objects.get(user=ben).data["headline"] == ["Ben's headline"]

    @pytest.mark.slow
    def test_a_clash_keeps_the_latest_and_shows_mine_beside_it(self, opened, story):
        ben_client, ben_form = opened
        mine = {**ben_form, "body": "Work starts on Monday, weather allowing.", "_reapply": "1"}
        response = submit(ben_client, change_url(story), mine)
        page = ben_client.get(response["Location"])
        assert page_form(page)["body"] == "<p>Work starts on Monday at 7 a.m.</p>"
        html = page.content.decode()
        assert "Body, paragraph 1" in html
        assert "Yours, not in the form:" in html
        assert "Work starts on Monday, weather allowing." in html
        [message] = messages_of(page)
        assert message.startswith(
            "Priya Raman’s changes and yours were combined, except paragraph 1 of the body, "
            "which you both changed"
        )
        # Autosave of the form (which doesn't hold it) keeps Ben's version of the body.
        submit(ben_client, autosave_url(story), {**page_form(page), "headline": "Typed more"})
        copy = WorkingCopy.objects.get()
        page = ben_client.get(f"{change_url(story)}?restore={copy.key}")
        assert "Work starts on Monday, weather allowing." in page.content.decode()


@pytest.mark.slow
def test_both_editing_different_paragraphs_of_the_body_keeps_both(priya, ben):
    from articles import services
    from articles.text import paragraphs_to_html

    story = DraftArticleFactory(
        body=paragraphs_to_html(["First paragraph.", "Second paragraph.", "Third paragraph."])
    )
    services.revision_record(article=story, by=priya, comment="Created")
    priya_client, ben_client = login(priya), login(ben)
    ben_form = page_form(ben_client.get(change_url(story)))
    priya_form = page_form(
        priya_client.get(change_url(story)),
        body=paragraphs_to_html(
            ["First paragraph, by Priya.", "Second paragraph.", "Third paragraph."]
        ),
    )
    submit(priya_client, change_url(story), priya_form)
    mine = {
        **ben_form,
        "body": paragraphs_to_html(["First paragraph.", "Second paragraph.", "Third, by Ben."]),
    }
    refused = submit(ben_client, change_url(story), mine)
    assert "Apply my changes to the latest version" in refused.content.decode()
    response = submit(ben_client, change_url(story), {**mine, "_reapply": "1"})
    form = page_form(ben_client.get(response["Location"]))
    assert form["body"] == paragraphs_to_html(
        ["First paragraph, by Priya.", "Second paragraph.", "Third, by Ben."]
    )
    submit(ben_client, change_url(story), form)
    story.refresh_from_db()
    assert story.body == form["body"]


@pytest.mark.slow
def test_a_stale_refusal_names_who_saved_unpublished_changes(priya, ben):
    live = PublishedArticleFactory(authors=[AuthorFactory()])
    ben_client = login(ben)
    ben_form = page_form(ben_client.get(change_url(live)))
    priya_client = login(priya)
    priya_form = page_form(priya_client.get(change_url(live)), standfirst="Priya's standfirst.")
    submit(priya_client, change_url(live), priya_form)  # A draft of changes.
    response = submit(ben_client, change_url(live), {**ben_form, "headline": "Ben's"})
    assert "Priya Raman saved this story at" in response.content.decode()
    # After the refusal the form still speaks of a live story.
    assert "Publish the changes at" in response.content.decode()


class CombinedChangesTests:
    """Two editors in one live story (#16): A adds words at the start of the body, B at its
    end and to the standfirst. "Apply my changes" combines both, and no word is lost."""

    @pytest.fixture
    def live(self, priya):
        from articles import services

        story = PublishedArticleFactory(
            headline="Harbour budget passes",
            standfirst="The council voted late.",
            # Written as an import writes it: entities the editor writes as characters.
            body="<p>The council&#8217;s vote came at 11 p.m.</p>\n"
            "<p>The harbour gets &pound;2m.</p>\n<p>Work starts in May.</p>",
            authors=[AuthorFactory(name="Nadia Noor")],
        )
        services.revision_record(article=story, by=priya, comment="Published")
        story.revisions.update(version=story.version)
        return story

    def open_both(self, priya, ben, story):
        priya_client, ben_client = login(priya), login(ben)
        ben_form = page_form(ben_client.get(change_url(story)))
        priya_form = page_form(
            priya_client.get(change_url(story)),
            body="<p>ALPHAONE The council’s vote came at 11 p.m.</p>"
            "<p>The harbour gets £2m.</p><p>Work starts in May.</p>",
        )
        assert submit(priya_client, change_url(story), priya_form).status_code == 302
        return ben_client, ben_form

    @pytest.mark.slow
    def test_edits_to_different_paragraphs_are_combined_and_saved(self, priya, ben, live):
        from articles import conflicts

        ben_client, ben_form = self.open_both(priya, ben, live)
        mine = {
            **ben_form,
            "body": "<p>The council’s vote came at 11 p.m.</p><p>The harbour gets £2m.</p>"
            "<p>Work starts in May. BRAVOTWO</p>",
            "standfirst": "The council voted late on Tuesday.",
        }
        refused = submit(ben_client, change_url(live), mine)
        assert "Apply my changes to the latest version" in refused.content.decode()
        response = submit(ben_client, change_url(live), {**mine, "_reapply": "1"})
        page = ben_client.get(response["Location"])
        form = page_form(page)
        assert "ALPHAONE" in form["body"] and "BRAVOTWO" in form["body"]
        assert form["standfirst"] == "The council voted late on Tuesday."
        assert messages_of(page) == [
            "Priya Raman’s changes and yours were combined; check before saving. Your changes "
            "now in the form: the standfirst and the body (paragraph 3)."
        ]
        assert 'id="story-clash"' not in page.content.decode()

        assert submit(ben_client, change_url(live), form).status_code == 302
        saved = conflicts.latest(live)  # The live story's draft of changes.
        assert saved["standfirst"] == "The council voted late on Tuesday."
        assert "ALPHAONE" in saved["body"] and "BRAVOTWO" in saved["body"]
        assert "£2m" in saved["body"] and "council’s" in saved["body"]

    @pytest.mark.slow
    def test_a_paragraph_both_changed_refuses_save_until_merged(self, priya, ben, live):
        from articles import conflicts

        ben_client, ben_form = self.open_both(priya, ben, live)
        mine = {
            **ben_form,
            "body": "<p>BRAVOONE The council’s vote came at 11 p.m.</p>"
            "<p>The harbour gets £2m.</p><p>Work starts in May. BRAVOTWO</p>",
        }
        submit(ben_client, change_url(live), mine)
        response = submit(ben_client, change_url(live), {**mine, "_reapply": "1"})
        page = ben_client.get(response["Location"])
        form = page_form(page)
        html = page.content.decode()
        # The form: Priya's first paragraph, Ben's third; Ben's first beside it, marked.
        assert "ALPHAONE" in form["body"] and "BRAVOTWO" in form["body"]
        assert "BRAVOONE" not in form["body"]
        assert "Body, paragraph 1" in html and "BRAVOONE The council’s vote" in html
        [message] = messages_of(page)
        assert "except paragraph 1 of the body, which you both changed" in message
        assert "_merged" not in form  # Not ticked.
        assert "Resolve the paragraphs" not in html  # Not an error before a save.

        # A plain save is refused, the paragraphs still shown; nothing is saved.
        refused = submit(ben_client, change_url(live), form)
        assert refused.status_code == 200
        text = refused.content.decode()
        assert "Resolve the paragraphs you and Priya Raman both changed" in text
        assert "BRAVOONE The council’s vote" in text
        assert "BRAVOTWO" not in conflicts.latest(live)["body"]

        # Ben merges the paragraph by hand and says so: saved.
        form = page_form(refused)
        form["body"] = form["body"].replace("ALPHAONE", "ALPHAONE BRAVOONE")
        assert submit(ben_client, change_url(live), {**form, "_merged": "1"}).status_code == 302
        saved = conflicts.latest(live)["body"]
        assert "ALPHAONE BRAVOONE" in saved and "BRAVOTWO" in saved
        assert not WorkingCopy.objects.filter(user=ben).exists()

    @pytest.mark.slow
    def test_a_form_opened_afresh_is_not_held_back(self, priya, ben, live):
        ben_client, ben_form = self.open_both(priya, ben, live)
        mine = {**ben_form, "body": "<p>BRAVOONE</p>"}
        submit(ben_client, change_url(live), {**mine, "_reapply": "1"})
        # Ben leaves the merge and opens the story again: its autosave and save go through.
        fresh = page_form(ben_client.get(change_url(live)), standfirst="Fresh standfirst.")
        assert submit(ben_client, autosave_url(live), fresh).status_code == 200
        assert submit(ben_client, change_url(live), fresh).status_code == 302

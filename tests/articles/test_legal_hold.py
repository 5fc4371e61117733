"""Legal hold (#15): Legal places and lifts a hold, with a reason; while it is on the story can't
be published, scheduled or have changes published, by any route (the form's buttons, the list's
actions, the services, scheduled changes at their minute). A hold on a scheduled story returns
it to draft; on a live story Legal chooses to withdraw it too or to leave it live. Every hold and
release is a revision and a log entry. Editors may not place or lift one.
"""

import html
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import scheduling, services
from articles.models import Article, Correction, StagedChange
from tests.articles.workflow_http import (
    CHANGELIST,
    change_url,
    delete_url,
    desk_lists,
    login,
    messages_of,
    page_form,
    submit,
)
from tests.factories import (
    DraftArticleFactory,
    EditorFactory,
    LegalFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ScheduledArticleFactory,
)

pytestmark = pytest.mark.django_db

REASON = "Names a witness the court protects."


def hold_url(story):
    return reverse("admin:articles_article_hold", args=[story.pk])


def release_url(story):
    return reverse("admin:articles_article_release", args=[story.pk])


def held(story, legal=None, **kwargs):
    return services.article_hold(article=story, by=legal or LegalFactory(), reason=REASON, **kwargs)


class RoleTests:
    def test_the_legal_group_reads_stories_and_holds_them(self):
        legal = Group.objects.get(name="Legal")
        codenames = set(legal.permissions.values_list("codename", flat=True))
        assert {"view_article", "hold_article"} <= codenames
        assert not codenames & {"change_article", "add_article", "publish_article"}

    def test_editors_may_not_place_or_lift_a_hold(self):
        editor = EditorFactory()
        assert not editor.has_perm("articles.hold_article")
        story = DraftArticleFactory()
        with pytest.raises(PermissionDenied):
            services.article_hold(article=story, by=editor, reason=REASON)
        held(story)
        with pytest.raises(PermissionDenied):
            services.article_release(article=story, by=editor, reason="Cleared.")

    @pytest.mark.parametrize("factory", [EditorFactory, ReporterFactory])
    def test_the_hold_pages_answer_403_to_others(self, factory):
        story = PublishedArticleFactory(created_by=None)
        client = login(factory())
        assert client.get(hold_url(story)).status_code in (403, 404)
        assert client.post(hold_url(story), {"reason": REASON}).status_code in (403, 404)
        held(story)
        assert client.post(release_url(story), {"reason": "Cleared."}).status_code in (403, 404)
        story.refresh_from_db()
        assert story.is_held()

    def test_an_editor_gets_403_not_500(self):
        story = DraftArticleFactory()
        assert login(EditorFactory()).get(hold_url(story)).status_code == 403

    def test_legal_reads_every_story_but_changes_none(self):
        legal = LegalFactory()
        story = DraftArticleFactory(headline="A reporter's draft")
        client = login(legal)
        page = client.get(change_url(story))
        assert page.status_code == 200
        assert "A reporter&#x27;s draft" in page.content.decode()
        assert 'name="headline"' not in page.content.decode()  # read-only
        response = client.post(change_url(story), {"headline": "Changed by Legal"})
        assert response.status_code == 403
        story.refresh_from_db()
        assert story.headline == "A reporter's draft"
        listed = client.get(CHANGELIST)
        assert story in listed.context["cl"].result_list
        with pytest.raises(PermissionDenied):
            services.article_save(article=story, by=legal, changes={"headline": "No"})

    def test_reason_is_required(self):
        story = DraftArticleFactory()
        with pytest.raises(ValidationError):
            services.article_hold(article=story, by=LegalFactory(), reason="  ")
        response = login(LegalFactory()).post(hold_url(story), {"reason": ""})
        assert response.status_code == 200 and "This field is required" in (
            response.content.decode()
        )
        story.refresh_from_db()
        assert not story.is_held()


class BlockingTests:
    def test_a_held_story_cant_be_published_or_scheduled(self):
        story = held(DraftArticleFactory())
        editor = EditorFactory()
        with pytest.raises(ValidationError) as refused:
            services.article_publish(article=story, by=editor)
        assert f"Legal holds it (“{REASON}”" in " ".join(refused.value.messages)
        with pytest.raises(ValidationError):
            services.article_schedule(
                article=story, by=editor, at=timezone.now() + timedelta(hours=1)
            )
        with pytest.raises(ValidationError):
            services.article_publish(article=story, by=services.SYSTEM)
        story.refresh_from_db()
        assert story.status == Article.Status.DRAFT

    def test_the_form_offers_no_publishing_button_and_refuses_one_posted(self):
        story = held(DraftArticleFactory())
        client = login(EditorFactory())
        page = client.get(change_url(story))
        buttons = [t.name for t in page.context["transitions"]]
        assert "publish" not in buttons and "schedule" not in buttons
        assert "Legal hold:" in html.unescape(page.content.decode()) and REASON in (
            html.unescape(page.content.decode())
        )
        data = page_form(page, headline="Still held")
        response = submit(client, change_url(story), {**data, "_publish": "Publish"}, follow=True)
        assert any("Legal holds it" in m for m in messages_of(response))
        story.refresh_from_db()
        assert story.headline == "Still held" and story.status == Article.Status.DRAFT

    def test_the_list_action_refuses(self):
        story = held(DraftArticleFactory())
        response = login(EditorFactory()).post(
            CHANGELIST, {"action": "publish_selected", "_selected_action": [story.pk]}, follow=True
        )
        assert any("Legal holds it" in m for m in messages_of(response))
        story.refresh_from_db()
        assert story.status == Article.Status.DRAFT

    def test_changes_to_a_held_live_story_stay_unpublished(self):
        story = held(PublishedArticleFactory(headline="Old headline"))
        result = services.article_save(
            article=story,
            by=EditorFactory(),
            changes={"headline": "New headline"},
            transition="publish_changes",
        )
        assert result.refused.startswith("Legal holds it")
        assert result.staged
        story.refresh_from_db()
        assert story.headline == "Old headline"

    def test_scheduled_changes_are_unscheduled_by_the_hold_and_not_published(self, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        editor = EditorFactory()
        story = PublishedArticleFactory(headline="Old headline")
        due = timezone.now() + timedelta(minutes=5)
        services.article_save(
            article=story,
            by=editor,
            changes={"headline": "New headline"},
            transition="schedule_changes",
            at=due,
        )
        held(story)
        staged = StagedChange.objects.get(article=story)
        assert staged.publish_at is None
        log = story.revisions.first().comment
        assert "the changes scheduled for" in log and "wait, unscheduled" in log
        time_machine.move_to(due + timedelta(minutes=1), tick=False)
        assert scheduling.publish_due_changes() == 0
        story.refresh_from_db()
        assert story.headline == "Old headline"

    def test_changes_due_as_the_hold_lands_are_not_published(self, time_machine):
        """A hold placed around the minute (the row written by hand here): the scheduler's
        service refuses, and the changes wait unscheduled."""
        time_machine.move_to(timezone.now(), tick=False)
        story = PublishedArticleFactory(headline="Old headline")
        services.article_save(
            article=story,
            by=EditorFactory(),
            changes={"headline": "New headline"},
            transition="schedule_changes",
            at=timezone.now() + timedelta(minutes=5),
        )
        Article.objects.filter(pk=story.pk).update(
            held_at=timezone.now(), hold_reason=REASON, held_by=LegalFactory()
        )
        time_machine.move_to(timezone.now() + timedelta(minutes=6), tick=False)
        assert scheduling.publish_due_changes() == 0
        story.refresh_from_db()
        assert story.headline == "Old headline"
        assert StagedChange.objects.get(article=story).publish_at is None

    def test_a_scheduled_story_returns_to_draft_and_doesnt_go_live(self, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        story = ScheduledArticleFactory(published_at=timezone.now() + timedelta(hours=1))
        held(story)
        assert story.status == Article.Status.DRAFT
        assert "returned to draft (it was scheduled for" in story.revisions.first().comment
        time_machine.move_to(timezone.now() + timedelta(hours=2), tick=False)
        assert not Article.objects.published().exists()

    def test_lifting_the_hold_lets_editors_publish_again(self):
        legal = LegalFactory()
        story = held(DraftArticleFactory(), legal)
        services.article_release(article=story, by=legal, reason="Cleared by counsel.")
        assert not story.is_held()
        services.article_publish(article=story, by=EditorFactory())
        assert story.is_published()


class LiveStoryTests:
    def test_the_page_offers_to_withdraw(self):
        story = PublishedArticleFactory()
        page = login(LegalFactory()).get(hold_url(story)).content.decode()
        assert 'value="Place hold and withdraw"' in page
        assert 'value="Place hold only"' in page

    def test_place_hold_and_withdraw(self, client):
        story = PublishedArticleFactory()
        url = story.get_absolute_url()
        legal = LegalFactory()
        response = login(legal).post(
            hold_url(story),
            {
                "reason": REASON,
                "withdraw_reason": "Removed while we review it.",
                "_withdraw": "Place hold and withdraw",
            },
        )
        assert response.status_code == 302
        story.refresh_from_db()
        assert story.is_held() and story.status == Article.Status.WITHDRAWN
        assert client.get(url).status_code == 410
        corrections = client.get("/corrections/").content.decode()
        # Readers get the words for readers, never the hold's reason.
        assert "Removed while we review it." in corrections
        assert REASON not in corrections and REASON not in client.get(url).content.decode()
        assert Correction.objects.get(article=story).kind == Correction.Kind.WITHDRAWAL

    def test_withdrawing_needs_the_words_for_readers(self):
        story = PublishedArticleFactory()
        response = login(LegalFactory()).post(
            hold_url(story), {"reason": REASON, "_withdraw": "Place hold and withdraw"}
        )
        assert response.status_code == 200
        story.refresh_from_db()
        assert not story.is_held() and story.is_published()

    def test_place_hold_only_keeps_it_live(self, client):
        story = PublishedArticleFactory()
        login(LegalFactory()).post(hold_url(story), {"reason": REASON, "_hold": "Place hold only"})
        story.refresh_from_db()
        assert story.is_held() and story.is_published()
        assert client.get(story.get_absolute_url()).status_code == 200


class HistoryTests:
    def test_every_hold_and_release_is_a_revision_and_a_log_entry(self):
        legal = LegalFactory(first_name="Lena", last_name="Legal")
        story = DraftArticleFactory()
        held(story, legal)
        services.article_release(article=story, by=legal, reason="Cleared by counsel.")
        comments = [r.comment for r in story.revisions.order_by("created_at", "pk")]
        assert comments[-2:] == [
            f"Placed a legal hold: {REASON}",
            "Lifted the legal hold: Cleared by counsel.",
        ]
        snapshots = [r.snapshot["legal_hold"] for r in story.revisions.order_by("created_at", "pk")]
        assert snapshots[-2:] == [REASON, None]
        log = list(
            LogEntry.objects.filter(object_id=str(story.pk), user=legal)
            .order_by("action_time", "pk")
            .values_list("change_message", flat=True)
        )
        assert log == [comments[-2], comments[-1]]
        # The compare page shows the hold going, beside the status.
        placed, lifted = story.revisions.order_by("created_at", "pk")
        url = reverse("admin:articles_article_compare", args=[story.pk])
        page = login(EditorFactory()).get(url, {"a": placed.pk, "b": lifted.pk})
        assert page.status_code == 200
        assert "Legal hold" in page.content.decode() and REASON in page.content.decode()

    def test_the_banner_names_who_placed_it_and_why(self):
        legal = LegalFactory(first_name="Lena", last_name="Legal")
        story = held(DraftArticleFactory(), legal)
        page = html.unescape(login(EditorFactory()).get(change_url(story)).content.decode())
        assert f"Legal hold:</strong> “{REASON}”, placed by Lena Legal at" in page
        assert "Lift the hold" not in page  # Only Legal lifts it.
        legal_page = html.unescape(login(legal).get(change_url(story)).content.decode())
        assert "Lift legal hold…" in legal_page

    def test_the_list_shows_a_badge_and_filters_held_stories(self):
        story = held(DraftArticleFactory())
        DraftArticleFactory()
        client = login(EditorFactory())
        assert "story-badge--hold" in client.get(CHANGELIST).content.decode()
        filtered = client.get(CHANGELIST, {"restriction": "held"})
        assert list(filtered.context["cl"].result_list) == [story]

    def test_the_desk_lists_held_stories_for_legal_and_editors(self):
        legal = LegalFactory()
        held(DraftArticleFactory(headline="Witness story"), legal)
        for user in (legal, EditorFactory()):
            lists = desk_lists(login(user).get("/admin/").content.decode())
            assert "Witness story" in lists["On legal hold"]

    def test_the_reason_is_escaped_everywhere_it_shows(self):
        hostile = '<script>alert("held")</script>'
        story = DraftArticleFactory()
        services.article_hold(article=story, by=LegalFactory(), reason=hostile)
        client = login(EditorFactory())
        page = client.get(change_url(story)).content.decode()
        data = page_form(client.get(change_url(story)))
        refused = submit(client, change_url(story), {**data, "_publish": "Publish"}, follow=True)
        revisions = client.get(reverse("admin:articles_article_revisions", args=[story.pk]))
        for html_text in (page, refused.content.decode(), revisions.content.decode()):
            assert hostile not in html_text
        assert "&lt;script&gt;" in page


TRASH = reverse("admin:articles_trashedarticle_changelist")


def in_trash(story) -> bool:
    return Article.objects.filter(pk=story.pk, trashed_at__isnull=False).exists()


class PreservedTests:
    """A hold preserves the story (#15): no route moves it to the trash or deletes it, each
    says why in the editor's words, and lifting the hold allows it again."""

    def test_the_service_refuses_and_lifting_the_hold_allows_it(self):
        legal, editor = LegalFactory(), EditorFactory()
        story = held(PublishedArticleFactory(), legal)
        with pytest.raises(ValidationError) as refused:
            services.article_trash(article=story, by=editor)
        words = " ".join(refused.value.messages)
        assert f"Legal holds it (“{REASON}”" in words and "moved to the trash" in words
        assert not in_trash(story) and story.revisions.count() == 1  # Only the hold's.
        services.article_release(article=story, by=legal, reason="Cleared by counsel.")
        services.article_trash(article=story, by=editor)
        assert in_trash(story)

    def test_the_form_offers_no_delete_and_the_delete_page_says_why(self):
        story = held(DraftArticleFactory())
        client = login(EditorFactory())
        page = client.get(change_url(story)).content.decode()
        assert "Move to the trash" not in page and "moved to the trash until Legal" in page
        for response in (
            client.get(delete_url(story), follow=True),
            client.post(delete_url(story), {"post": "yes"}, follow=True),
        ):
            assert response.status_code == 200
            assert response.redirect_chain[-1][0] == change_url(story)
            assert any("can't be moved to the trash" in m for m in messages_of(response))
        assert not in_trash(story)

    def test_a_hold_placed_while_the_confirmation_page_is_open(self):
        story = DraftArticleFactory()
        client = login(EditorFactory())
        assert client.get(delete_url(story)).status_code == 200
        held(story)
        response = client.post(delete_url(story), {"post": "yes"}, follow=True)
        assert response.status_code == 200
        assert any("Legal holds it" in m for m in messages_of(response))
        assert not in_trash(story)

    def test_the_list_action_trashes_the_others_and_says_why_not_this_one(self):
        story, other = held(DraftArticleFactory()), DraftArticleFactory()
        response = login(EditorFactory()).post(
            CHANGELIST,
            {"action": "trash_selected", "_selected_action": [story.pk, other.pk]},
            follow=True,
        )
        assert response.status_code == 200
        said = [html.unescape(m) for m in messages_of(response)]
        assert any(m.startswith(f"“{story}”: Legal holds it") for m in said)
        assert any("can't be moved to the trash" in m for m in said)
        assert not in_trash(story) and in_trash(other)

    def test_emptying_the_trash_keeps_a_held_story(self):
        # No route puts a held story in the trash (nor holds one there); should one be there,
        # from a database restored by hand, say, it is kept until the hold is lifted.
        story = held(DraftArticleFactory())
        Article.objects.filter(pk=story.pk).update(trashed_at=timezone.now() - timedelta(days=90))
        out = StringIO()
        call_command("empty_trash", stdout=out)
        assert "Keeping" in out.getvalue() and "0 stories deleted" in out.getvalue()
        editor = login(EditorFactory())
        delete_for_good = reverse("admin:articles_trashedarticle_delete", args=[story.pk])
        response = editor.post(delete_for_good, {"post": "yes"}, follow=True)
        assert response.status_code == 200
        assert any("Legal holds it" in m for m in messages_of(response))
        response = editor.post(
            TRASH,
            {"action": "delete_selected", "post": "yes", "_selected_action": [story.pk]},
            follow=True,
        )
        assert response.status_code == 200
        assert any("Legal holds it" in m for m in messages_of(response))
        assert Article.objects.filter(pk=story.pk).exists()

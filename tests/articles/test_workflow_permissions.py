"""Who may do what in the editorial workflow, through real HTTP requests as each role (#3).

Reporters write and submit their own stories; editors publish, schedule, withdraw, return to
draft, restore and correct any story; visitors without an account only meet the login page.
"""

import datetime
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleRevision, Correction, PreviewLink
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ReviewArticleFactory,
    ScheduledArticleFactory,
    WithdrawnArticleFactory,
)

from .workflow_http import (
    ADD,
    ADMIN_INDEX,
    CHANGELIST,
    add_byline,
    admin_preview_url,
    assert_login_redirect,
    change_url,
    compare_url,
    delete_url,
    history_url,
    log_messages,
    login,
    messages_of,
    page_form,
    preview_links_url,
    restore_url,
    revisions_url,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter():
    user = ReporterFactory(first_name="Rita", last_name="Reyes")
    AuthorFactory(name="Rita Reyes", user=user)
    return user


@pytest.fixture
def other_reporter():
    user = ReporterFactory(first_name="Omar", last_name="Okafor")
    AuthorFactory(name="Omar Okafor", user=user)
    return user


@pytest.fixture
def editor():
    return EditorFactory(first_name="Eve", last_name="Ellis")


def story_of(user, factory=DraftArticleFactory, **fields):
    """A story the user started, carrying their byline."""
    return factory(created_by=user, authors=[user.author_profile], **fields)


def state(article):
    """What a refused request must leave exactly as it was."""
    article = Article.objects.get(pk=article.pk)
    return {
        "headline": article.headline,
        "body": article.body,
        "status": article.status,
        "published_at": article.published_at,
        "version": article.version,
        "revisions": article.revisions.count(),
        "log": LogEntry.objects.filter(object_id=str(article.pk)).count(),
        "preview_links": article.preview_links.count(),
        "corrections": article.corrections.count(),
    }


def post_action(client, action, *articles, **extra):
    data = {"action": action, "index": "0", "_selected_action": [a.pk for a in articles]}
    return submit(client, CHANGELIST, {**data, **extra}, follow=True)


class ReporterSubmitTests:
    def test_reporter_adds_a_story_and_submits_it_for_review(self, reporter):
        client = login(reporter)
        page = client.get(ADD)
        assert 'name="_submit"' in page.content.decode()
        data = page_form(
            page,
            headline="Harbour tram opens",
            slug="harbour-tram-opens",
            body="The tram’s first run.\n\nIt was “on time”.",
            _submit="Save and submit for review",
        )
        response = submit(client, ADD, add_byline(data, reporter.author_profile))

        article = Article.objects.get()
        assert response.status_code == 302
        assert response["Location"] == change_url(article)
        assert article.status == Article.Status.REVIEW
        assert article.published_at is None
        assert article.created_by == reporter and article.updated_by == reporter
        assert [a.name for a in article.byline_authors] == ["Rita Reyes"]
        revision = article.revisions.latest()
        assert revision.comment == "Created and submitted for review"
        assert revision.created_by == reporter
        assert revision.snapshot["status"] == Article.Status.REVIEW
        assert LogEntry.objects.filter(
            object_id=str(article.pk), user=reporter, action_flag=ADDITION
        ).exists()
        assert log_messages(article, reporter) == ["Created and submitted for review"]
        follow = client.get(response["Location"])
        assert any("Submitted “Harbour tram opens” for review" in m for m in messages_of(follow))

    def test_reporter_submits_an_existing_draft(self, reporter):
        article = story_of(reporter, headline="Ferry timetable changes")
        client = login(reporter)
        response = submit(
            client, change_url(article), page_form(client.get(change_url(article)), _submit="1")
        )
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.status == Article.Status.REVIEW
        assert log_messages(article, reporter) == ["Submitted for review"]
        assert article.revisions.latest().comment == "Submitted for review"


class ReporterCannotPublishTests:
    @pytest.mark.parametrize(
        "button",
        [
            {"_publish": "Save and publish now"},
            {
                "_schedule": "Save and schedule",
                "publish_at_0": "2031-05-04",
                "publish_at_1": "9:00",
            },
            {"_withdraw": "Save and withdraw"},
        ],
        ids=["publish", "schedule", "withdraw"],
    )
    def test_editor_buttons_posted_by_hand_are_refused(self, reporter, button):
        article = story_of(reporter, ReviewArticleFactory, headline="Council budget")
        client = login(reporter)
        page = client.get(change_url(article))
        for name in button:
            if name.startswith("_"):
                assert f'name="{name}"' not in page.content.decode()
        before = state(article)
        data = page_form(page, headline="Council budget, changed", **button)
        response = submit(client, change_url(article), data)
        assert response.status_code == 403
        assert state(article) == before

    @pytest.mark.parametrize("button", ["_publish", "_schedule", "_withdraw"])
    def test_editor_buttons_on_a_new_story_are_refused(self, reporter, button):
        client = login(reporter)
        data = page_form(
            client.get(ADD),
            headline="Sneaky scoop",
            slug="sneaky-scoop",
            body="Words.",
            publish_at_0="2031-05-04",
            publish_at_1="09:00",
            **{button: "1"},
        )
        response = submit(client, ADD, add_byline(data, reporter.author_profile))
        assert response.status_code == 403
        assert not Article.objects.exists()

    def test_a_live_story_of_their_own_cannot_be_withdrawn(self, reporter):
        article = story_of(reporter, PublishedArticleFactory)
        before = state(article)
        data = page_form(login(reporter).get(change_url(article)), _withdraw="1")
        response = submit(login(reporter), change_url(article), data)
        assert response.status_code == 403
        assert state(article) == before

    @pytest.mark.parametrize("button", [{"_save": "Save"}, {"_submit": "1"}])
    def test_status_and_time_posted_by_hand_are_ignored(self, reporter, button):
        article = story_of(reporter, headline="Water rates")
        client = login(reporter)
        data = page_form(
            client.get(change_url(article)),
            status="published",
            published_at="2026-01-01 10:00",
            published_at_0="2026-01-01",
            published_at_1="10:00",
            version="99",
            created_by=str(EditorFactory().pk),
            **button,
        )
        response = submit(client, change_url(article), data)
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.status != Article.Status.PUBLISHED
        assert article.published_at is None and article.get_absolute_url() is None
        assert article.created_by == reporter
        assert not Article.objects.published().exists()
        assert client.get("/").content.decode().count("Water rates") == 0

    def test_publish_and_withdraw_actions_are_not_offered(self, reporter):
        story_of(reporter)
        response = login(reporter).get(CHANGELIST)
        html = response.content.decode()
        offered = [name for name, _ in response.context["action_form"].fields["action"].choices]
        assert "submit_selected" in offered
        assert "publish_selected" not in offered and "withdraw_selected" not in offered
        assert 'value="publish_selected"' not in html
        assert 'value="withdraw_selected"' not in html

    @pytest.mark.parametrize(
        ("action", "factory"),
        [
            ("publish_selected", DraftArticleFactory),
            ("publish_selected", ReviewArticleFactory),
            ("withdraw_selected", PublishedArticleFactory),
        ],
    )
    def test_posting_the_actions_changes_nothing(self, reporter, action, factory):
        article = story_of(reporter, factory)
        before = state(article)
        response = post_action(login(reporter), action, article)
        assert response.status_code in (200, 403)
        assert state(article) == before


class ReporterOtherStoryTests:
    """Another reporter's story is closed to a reporter: every page answers 403."""

    @pytest.fixture(params=[DraftArticleFactory, ReviewArticleFactory])
    def theirs(self, request, other_reporter):
        article = story_of(other_reporter, request.param, headline="Omar’s exclusive")
        services.revision_record(article=article, by=other_reporter, comment="Created")
        article.headline = "Omar’s exclusive, rewritten"
        article.save()
        services.revision_record(article=article, by=other_reporter, comment="Edited headline")
        return article

    def test_every_page_is_forbidden(self, reporter, theirs):
        client = login(reporter)
        older, newer = theirs.revisions.order_by("pk")
        for url in [
            change_url(theirs),
            history_url(theirs),
            revisions_url(theirs),
            compare_url(theirs, older, newer),
            admin_preview_url(theirs),
            preview_links_url(theirs),
            delete_url(theirs),
        ]:
            assert client.get(url).status_code == 403, url

    @pytest.mark.slow
    def test_every_post_is_forbidden_and_changes_nothing(self, reporter, theirs):
        client = login(reporter)
        older = theirs.revisions.order_by("pk").first()
        own = story_of(reporter)
        # The reporter's own form, aimed at the other story (a hand-crafted POST).
        data = page_form(client.get(change_url(own)), headline="Hijacked", body="Mine now.")
        data["expected_version"] = str(theirs.version)
        before = state(theirs)
        for url, payload in [
            (change_url(theirs), data),
            (change_url(theirs), {**data, "_submit": "1"}),
            (restore_url(theirs, older), {}),
            (preview_links_url(theirs), {}),
            (preview_links_url(theirs), {"revoke": "1"}),
            (delete_url(theirs), {"post": "yes"}),
        ]:
            assert submit(client, url, payload).status_code == 403, url
        assert state(theirs) == before
        assert not PreviewLink.objects.exists()

    def test_shared_links_of_their_story_cannot_be_revoked(self, reporter, other_reporter, theirs):
        link = services.preview_link_create(article=theirs, by=other_reporter)
        response = submit(login(reporter), preview_links_url(theirs), {"revoke": str(link.pk)})
        assert response.status_code == 403
        link.refresh_from_db()
        assert link.revoked_at is None

    def test_their_story_cannot_be_submitted_with_the_list_action(self, reporter, theirs):
        before = state(theirs)
        post_action(login(reporter), "submit_selected", theirs)
        assert state(theirs) == before

    @pytest.mark.slow
    def test_changelist_lists_only_their_own_stories(self, reporter, other_reporter, editor):
        mine = story_of(reporter, headline="Rita’s draft")
        bylined = DraftArticleFactory(headline="Rita’s byline", authors=[reporter.author_profile])
        story_of(other_reporter, headline="Omar’s draft")
        story_of(other_reporter, PublishedArticleFactory, headline="Omar’s live story")
        DraftArticleFactory(headline="Desk draft", created_by=editor)
        client = login(reporter)
        for query in [{}, {"q": "draft"}, {"status__exact": "draft"}, {"all": ""}]:
            response = client.get(CHANGELIST, query)
            listed = {a.pk for a in response.context["cl"].result_list}
            assert listed <= {mine.pk, bylined.pk}, query
            html = response.content.decode()
            assert "Omar’s" not in html and "Desk draft" not in html, query
        listed = {a.pk for a in client.get(CHANGELIST).context["cl"].result_list}
        assert listed == {mine.pk, bylined.pk}


class ReporterOwnLiveStoryTests:
    @pytest.fixture
    def live(self, reporter):
        return story_of(reporter, PublishedArticleFactory, headline="Rita’s live story")

    def test_change_page_is_view_only(self, reporter, live):
        response = login(reporter).get(change_url(live))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Rita’s live story" in html
        for button in ["_save", "_continue", "_addanother", "_submit", "_withdraw", "_to_draft"]:
            assert f'name="{button}"' not in html, button
        assert 'class="deletelink"' not in html
        assert 'name="headline"' not in html
        assert 'name="correction_text"' not in html

    @pytest.mark.parametrize(
        "button", [{"_save": "Save"}, {"_continue": "1"}, {"_submit": "1"}, {"_to_draft": "1"}]
    )
    def test_change_post_is_refused(self, reporter, live, button):
        client = login(reporter)
        before = state(live)
        data = {
            "expected_version": str(live.version),
            "headline": "Quietly rewritten",
            "slug": live.slug,
            "body": "New text.",
            **button,
        }
        assert submit(client, change_url(live), data).status_code == 403
        assert state(live) == before

    def test_deleting_it_is_refused(self, reporter, live):
        client = login(reporter)
        assert client.get(delete_url(live)).status_code == 403
        assert submit(client, delete_url(live), {"post": "yes"}).status_code == 403
        post_action(client, "trash_selected", live)
        live.refresh_from_db()
        assert live.trashed_at is None and live.is_published()

    def test_their_own_draft_can_still_be_moved_to_the_trash(self, reporter):
        draft = story_of(reporter)
        response = submit(login(reporter), delete_url(draft), {"post": "yes"})
        assert response.status_code == 302
        assert Article.objects.in_trash().filter(pk=draft.pk).exists()

    def test_history_and_revisions_stay_readable_but_not_restorable(self, reporter, live):
        services.revision_record(article=live, by=reporter, comment="Created")
        client = login(reporter)
        assert client.get(history_url(live)).status_code == 200
        response = client.get(revisions_url(live))
        assert response.status_code == 200 and response.context["can_restore"] is False
        revision = live.revisions.get()
        before = state(live)
        assert submit(client, restore_url(live, revision), {}).status_code == 403
        assert client.get(admin_preview_url(live)).status_code == 403
        assert state(live) == before


class EditorTests:
    """An editor may do everything, on any reporter's story; the log says who did what."""

    def change(self, editor, article, **changes):
        client = login(editor)
        data = page_form(client.get(change_url(article)), **changes)
        response = submit(client, change_url(article), data)
        assert response.status_code == 302, response.context and response.context.get("errors")
        article.refresh_from_db()
        return client, response

    @pytest.mark.slow
    def test_opens_every_page_of_a_reporters_story(self, editor, reporter):
        article = story_of(reporter)
        client = login(editor)
        for url in [
            change_url(article),
            history_url(article),
            revisions_url(article),
            admin_preview_url(article),
            preview_links_url(article),
        ]:
            assert client.get(url).status_code == 200, url
        assert submit(client, preview_links_url(article), {}).status_code == 302
        assert article.preview_links.count() == 1

    @pytest.mark.slow
    def test_publish_now(self, editor, reporter):
        article = story_of(reporter, ReviewArticleFactory, headline="Mayor resigns")
        _, response = self.change(editor, article, _publish="Save and publish now")
        assert response["Location"] == change_url(article)
        assert article.is_published()
        assert article.updated_by == editor
        assert log_messages(article, editor)[-1] == "Published"
        assert LogEntry.objects.filter(
            object_id=str(article.pk), user=editor, change_message="Published"
        ).exists()
        assert login(editor).get(article.get_absolute_url()).status_code == 200

    @pytest.mark.slow
    def test_schedule_in_the_newsroom_time_zone(self, editor, reporter, settings):
        settings.TIME_ZONE = "Europe/London"
        article = story_of(reporter, ReviewArticleFactory, headline="Budget day")
        _, response = self.change(
            editor,
            article,
            publish_at_0="2031-07-15",
            publish_at_1="14:00",
            _schedule="Save and schedule",
        )
        # 14:00 in London in summer is 13:00 UTC.
        assert article.published_at == datetime.datetime(2031, 7, 15, 13, 0, tzinfo=datetime.UTC)
        assert article.is_scheduled() and not article.is_published()
        assert article.get_absolute_url() == f"/2031/07/15/{article.slug}/"
        message = log_messages(article, editor)[-1]
        assert message == "Scheduled for 15 Jul 2031, 14:00 BST"
        page = login(editor).get(response["Location"])
        assert "Scheduled for 15 Jul 2031, 14:00 BST" in page.content.decode()
        assert page.context["adminform"].form.initial["publish_at"] == timezone.localtime(
            article.published_at
        )

    @pytest.mark.slow
    def test_schedule_in_the_past_is_refused_with_a_reason(self, editor, reporter, settings):
        settings.TIME_ZONE = "Europe/London"
        article = story_of(reporter, ReviewArticleFactory)
        yesterday = timezone.localdate() - timedelta(days=1)
        client, response = self.change(
            editor,
            article,
            publish_at_0=yesterday.isoformat(),
            publish_at_1="14:00",
            _schedule="1",
        )
        assert article.status == Article.Status.REVIEW
        assert any("in the future" in m for m in messages_of(client.get(response["Location"])))

    def test_withdraw(self, editor, reporter):
        article = story_of(reporter, PublishedArticleFactory)
        client = login(editor)
        withdraw = reverse("admin:articles_article_withdraw", args=[article.pk])
        assert withdraw in client.get(change_url(article)).content.decode()
        response = submit(client, withdraw, {"_confirmed": "yes", "reason": "Legal advice."})
        assert response.status_code == 302 and response["Location"] == change_url(article)
        article.refresh_from_db()
        assert article.status == Article.Status.WITHDRAWN
        assert log_messages(article, editor)[-1] == "Withdrawn: Legal advice."

    @pytest.mark.parametrize("factory", [ScheduledArticleFactory, WithdrawnArticleFactory])
    def test_return_to_draft(self, editor, reporter, factory):
        article = story_of(reporter, factory)
        self.change(editor, article, _to_draft="Save and return to draft")
        assert article.status == Article.Status.DRAFT
        assert log_messages(article, editor)[-1] == "Returned to draft"
        assert not Article.objects.published().exists()

    def test_a_story_in_review_is_sent_back_with_a_note_never_silently(self, editor, reporter):
        """#15: sending a story back to its author requires a note saying why."""
        article = story_of(reporter, ReviewArticleFactory)
        client = login(editor)
        page = client.get(change_url(article)).content.decode()
        assert 'name="_to_draft"' not in page
        assert reverse("admin:articles_article_send_back", args=[article.pk]) in page
        with pytest.raises(PermissionDenied, match="Send the story back to its reporter"):
            services.article_return_to_draft(article=article, by=editor)
        send_back = reverse("admin:articles_article_send_back", args=[article.pk])
        response = submit(client, send_back, {"reason": "Needs a second source."})
        assert response.status_code == 302 and response["Location"] == change_url(article)
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert log_messages(article, editor)[-1] == (
            "Sent back to the reporter: Needs a second source."
        )

    @pytest.mark.slow
    def test_restore_an_earlier_revision(self, editor, reporter):
        article = story_of(reporter, headline="First headline", slug="first-headline")
        self.change(editor, article, headline="Second headline", body="Second body.")
        self.change(editor, article, headline="Third headline", body="Third body.")
        first, second = article.revisions.order_by("pk")
        assert first.snapshot["headline"] == "Second headline"

        client = login(editor)
        listing = client.get(revisions_url(article))
        assert listing.status_code == 200 and listing.context["can_restore"]
        compare = client.get(compare_url(article, first, second))
        assert compare.status_code == 200
        assert "Third headline" in compare.content.decode()

        response = submit(client, restore_url(article, first), {})
        assert response.status_code == 302 and response["Location"] == change_url(article)
        article.refresh_from_db()
        assert article.headline == "Second headline"
        assert article.body == "<p>Second body.</p>"
        assert article.updated_by == editor
        message = log_messages(article, editor)[-1]
        assert message == f"Restored the revision of {services.local_time(first.created_at)}"
        assert article.revisions.latest().comment == message
        assert ArticleRevision.objects.filter(article=article).count() == 3

    def test_restore_needs_a_post(self, editor, reporter):
        article = story_of(reporter)
        revision = services.revision_record(article=article, by=reporter, comment="Created")
        assert login(editor).get(restore_url(article, revision)).status_code == 405

    @pytest.mark.slow
    @pytest.mark.parametrize(
        ("kind", "logged"),
        [
            ("correction", "Added a correction"),
            ("clarification", "Added a clarification"),
            ("update", "Added an update"),
        ],
    )
    def test_add_a_correction_to_a_live_story(self, editor, reporter, kind, logged):
        article = story_of(reporter, PublishedArticleFactory)
        page = login(editor).get(change_url(article))
        html = page.content.decode()
        assert 'name="correction_text"' in html and 'name="correction_kind"' in html
        client, response = self.change(
            editor,
            article,
            correction_kind=kind,
            correction_text="An earlier version gave the wrong date.",
            _publish_changes="Publish changes",
        )
        assert response["Location"] == change_url(article)
        correction = Correction.objects.get(article=article)
        assert correction.kind == kind and correction.created_by == editor
        assert correction.text == "An earlier version gave the wrong date."
        assert article.revised_at == correction.created_at and article.was_updated
        assert log_messages(article, editor)[-1] == logged
        assert any("Added the note" in m for m in messages_of(client.get(response["Location"])))

    @pytest.mark.slow
    def test_corrections_are_only_for_live_stories(self, editor, reporter):
        article = story_of(reporter, ReviewArticleFactory)
        assert (
            'name="correction_text"' not in login(editor).get(change_url(article)).content.decode()
        )
        self.change(editor, article, correction_text="Not live yet.")
        assert not Correction.objects.exists()

    @pytest.mark.slow
    def test_publish_and_withdraw_actions(self, editor, reporter):
        draft = story_of(reporter, ReviewArticleFactory)
        live = story_of(reporter, PublishedArticleFactory)
        client = login(editor)
        loaded_at = client.get(CHANGELIST).context["loaded_at"]
        post_action(client, "publish_selected", draft, _loaded_at=loaded_at)
        post_action(
            client,
            "withdraw_selected",
            live,
            _loaded_at=loaded_at,
            _confirmed="yes",
            reason="Legal advice.",
        )
        draft.refresh_from_db(), live.refresh_from_db()
        assert draft.is_published() and live.status == Article.Status.WITHDRAWN
        assert log_messages(draft, editor)[-1] == "Published"
        assert log_messages(live, editor)[-1] == "Withdrawn: Legal advice."

    def test_editor_can_move_any_story_to_the_trash(self, editor, reporter):
        article = story_of(reporter, PublishedArticleFactory)
        response = submit(login(editor), delete_url(article), {"post": "yes"})
        assert response.status_code == 302
        assert Article.objects.in_trash().filter(pk=article.pk).exists()


class AnonymousTests:
    @pytest.fixture
    def article(self, reporter):
        article = story_of(reporter, ReviewArticleFactory)
        services.revision_record(article=article, by=reporter, comment="Created")
        services.revision_record(article=article, by=reporter, comment="Edited")
        return article

    def urls(self, article):
        older, newer = article.revisions.order_by("pk")
        return [
            ADMIN_INDEX,
            CHANGELIST,
            ADD,
            change_url(article),
            history_url(article),
            delete_url(article),
            revisions_url(article),
            compare_url(article, older, newer),
            admin_preview_url(article),
            preview_links_url(article),
            restore_url(article, older),
            reverse("admin:app_list", args=["articles"]),
        ]

    def test_every_admin_page_redirects_to_the_login(self, client, article):
        for url in self.urls(article):
            assert_login_redirect(client.get(url), url)

    def test_every_admin_post_redirects_to_the_login_and_changes_nothing(self, client, article):
        before = state(article)
        data = {
            "expected_version": str(article.version),
            "headline": "Defaced",
            "slug": "defaced",
            "body": "x",
            "_publish": "1",
        }
        for url in self.urls(article):
            assert_login_redirect(submit(client, url, data), url)
        response = post_action(client, "publish_selected", article)
        assert response.status_code == 200  # the login page, after the redirect
        assert state(article) == before
        assert not Article.objects.published().exists()
        assert not PreviewLink.objects.exists()

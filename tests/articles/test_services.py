"""The state changes: permission, validation, one transaction, a record of who did it."""

import zoneinfo
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleRevision
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return EditorFactory()


@pytest.fixture
def reporter():
    return ReporterFactory()


def last_log(article):
    return LogEntry.objects.filter(object_id=str(article.pk)).latest("action_time")


class SubmitTests:
    def test_reporter_submits_own_draft(self, reporter):
        article = DraftArticleFactory(created_by=reporter)
        services.article_submit(article=article, by=reporter)
        article.refresh_from_db()
        assert article.status == Article.Status.REVIEW
        assert article.revisions.first().comment == "Submitted for review"
        assert last_log(article).user == reporter

    def test_not_someone_elses(self, reporter):
        article = DraftArticleFactory(created_by=ReporterFactory())
        with pytest.raises(PermissionDenied):
            services.article_submit(article=article, by=reporter)

    def test_byline_counts_as_ownership(self, reporter):
        article = DraftArticleFactory(authors=[AuthorFactory(user=reporter)])
        services.article_submit(article=article, by=reporter)
        assert article.status == Article.Status.REVIEW

    def test_needs_a_publishable_story(self, reporter):
        article = DraftArticleFactory(created_by=reporter, authors=[])
        with pytest.raises(ValidationError, match="Add at least one author"):
            services.article_submit(article=article, by=reporter)
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT


class PublishTests:
    def test_reporter_cannot(self, reporter):
        article = ReviewArticleFactory(created_by=reporter)
        for call in (
            lambda: services.article_publish(article=article, by=reporter),
            lambda: services.article_schedule(
                article=article, by=reporter, at=timezone.now() + timedelta(hours=1)
            ),
            lambda: services.article_withdraw(article=article, by=reporter, reason="x"),
        ):
            with pytest.raises(PermissionDenied):
                call()
        article.refresh_from_db()
        assert article.status == Article.Status.REVIEW

    def test_editor_publishes_now(self, editor):
        article = ReviewArticleFactory()
        services.article_publish(article=article, by=editor)
        assert article.is_published() and article.updated_by == editor
        assert last_log(article).change_message == "Published"

    def test_publishing_a_scheduled_story_now_moves_its_time(self, editor):
        article = ScheduledArticleFactory()
        services.article_publish(article=article, by=editor)
        assert article.is_published() and article.published_at <= timezone.now()

    def test_republishing_keeps_the_address(self, editor):
        article = WithdrawnArticleFactory()
        url = article.get_absolute_url()
        services.article_publish(article=article, by=editor)
        assert article.is_published() and article.get_absolute_url() == url

    def test_schedule_needs_a_future_time(self, editor):
        article = DraftArticleFactory()
        with pytest.raises(ValidationError, match="in the future"):
            services.article_schedule(
                article=article, by=editor, at=timezone.now() - timedelta(minutes=1)
            )
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT

    def test_schedule(self, editor, settings):
        settings.TIME_ZONE = "Europe/London"
        at = timezone.now() + timedelta(days=2)
        article = services.article_schedule(article=DraftArticleFactory(), by=editor, at=at)
        assert article.is_scheduled() and not article.is_published()
        # The time names its zone (#15): GMT in winter, BST in summer.
        zone = timezone.localtime(at, zoneinfo.ZoneInfo("Europe/London")).tzname()
        assert f":{timezone.localtime(at).minute:02d} {zone}" in last_log(article).change_message

    def test_failed_publish_leaves_the_instance_as_it_was(self, editor):
        # Published today, so that publishing the draft now takes the same slug on the same day.
        PublishedArticleFactory(slug="same", published_at=timezone.now())
        article = DraftArticleFactory(slug="same")
        with pytest.raises(ValidationError):
            services.article_publish(article=article, by=editor)
        assert article.status == Article.Status.DRAFT
        assert article.published_at is None and article.publication_date is None


class WithdrawTests:
    def test_withdraw_a_live_story_with_its_reason(self, editor):
        article = PublishedArticleFactory()
        services.article_withdraw(article=article, by=editor, reason=" It named the wrong man. ")
        assert article.status == Article.Status.WITHDRAWN
        assert not Article.objects.published().exists()
        note = article.corrections.get()
        assert (note.kind, note.text) == ("withdrawal", "It named the wrong man.")
        assert last_log(article).change_message == "Withdrawn: It named the wrong man."
        assert article.revisions.first().comment == "Withdrawn: It named the wrong man."

    def test_a_reason_is_required(self, editor):
        article = PublishedArticleFactory()
        with pytest.raises(ValidationError, match="Say why"):
            services.article_withdraw(article=article, by=editor, reason="  ")
        article.refresh_from_db()
        assert article.is_published() and not article.corrections.exists()

    def test_only_published_stories(self, editor):
        with pytest.raises(ValidationError):
            services.article_withdraw(article=DraftArticleFactory(), by=editor, reason="x")


class ReturnToDraftTests:
    def test_owner_takes_back_a_story_in_review(self, reporter):
        article = ReviewArticleFactory(created_by=reporter)
        services.article_return_to_draft(article=article, by=reporter)
        assert article.status == Article.Status.DRAFT

    def test_a_live_story_is_withdrawn_not_returned(self, editor):
        with pytest.raises(ValidationError, match="withdraw it instead"):
            services.article_return_to_draft(article=PublishedArticleFactory(), by=editor)

    def test_unschedule(self, editor):
        article = ScheduledArticleFactory()
        services.article_return_to_draft(article=article, by=editor)
        assert article.status == Article.Status.DRAFT


class CorrectionTests:
    def test_correction_sets_the_updated_time(self, editor):
        article = PublishedArticleFactory()
        correction = services.article_correct(
            article=article, by=editor, kind="correction", text="  A name was misspelled. "
        )
        article.refresh_from_db()
        assert correction.text == "A name was misspelled."
        assert article.revised_at == correction.created_at and article.was_updated
        assert last_log(article).change_message == "Added a correction"

    def test_the_system_can_correct_from_the_command_line(self):
        article = PublishedArticleFactory()
        correction = services.article_correct(
            article=article, by=services.SYSTEM, kind="update", text="x"
        )
        assert correction.created_by is None and article.was_updated
        assert article.revisions.first().created_by is None

    def test_nobody_is_not_the_system(self):
        article = PublishedArticleFactory()
        with pytest.raises(TypeError, match="SYSTEM"):
            services.article_correct(article=article, by=None, kind="update", text="x")
        with pytest.raises(TypeError, match="SYSTEM"):
            services.article_save(article=article, by=None, changes={"headline": "x"})

    def test_only_editors_and_only_live_stories(self, editor, reporter):
        with pytest.raises(PermissionDenied):
            services.article_correct(
                article=PublishedArticleFactory(), by=reporter, kind="update", text="x"
            )
        with pytest.raises(ValidationError):
            services.article_correct(
                article=DraftArticleFactory(), by=editor, kind="update", text="x"
            )
        with pytest.raises(ValidationError):
            services.article_correct(
                article=PublishedArticleFactory(), by=editor, kind="update", text="  "
            )


class RevisionTests:
    def test_a_revision_holds_the_whole_story(self, editor):
        first, second = AuthorFactory(name="Ann Ames"), AuthorFactory(name="Bo Berg")
        article = PublishedArticleFactory(authors=[second, first])
        article.tags.add("Budget", "city hall")
        revision = services.revision_record(article=article, by=editor, comment="Edited")
        assert revision.snapshot["authors"] == [
            {"id": second.pk, "name": "Bo Berg"},
            {"id": first.pk, "name": "Ann Ames"},
        ]
        assert revision.snapshot["tags"] == ["Budget", "city hall"]
        assert revision.snapshot["status"] == "published"
        assert revision.snapshot["body"] == article.body

    def test_restore_brings_back_text_byline_and_tags_as_a_new_revision(self, editor):
        ann, bo = AuthorFactory(name="Ann Ames"), AuthorFactory(name="Bo Berg")
        article = DraftArticleFactory(headline="Old", authors=[ann, bo])
        article.tags.add("old tag")
        old = services.revision_record(article=article, by=editor, comment="Edited")
        article.headline = "New"
        article.save()
        article.bylines.all().delete()
        article.tags.set(["new tag"])
        services.revision_record(article=article, by=editor, comment="Edited")

        services.article_restore(article=article, revision=old, by=editor)
        article.refresh_from_db()
        assert article.headline == "Old"
        assert article.byline_authors == [ann, bo]
        assert list(article.tags.names()) == ["old tag"]
        assert article.status == Article.Status.DRAFT
        assert ArticleRevision.objects.filter(article=article).count() == 3
        assert article.revisions.first().comment.startswith("Restored the revision of")

    def test_restore_needs_edit_rights(self, reporter, editor):
        article = PublishedArticleFactory(created_by=reporter)
        revision = services.revision_record(article=article, by=editor, comment="Edited")
        with pytest.raises(PermissionDenied):
            services.article_restore(article=article, revision=revision, by=reporter)


class PreviewLinkTests:
    def test_links_expire_after_48_hours_and_can_be_revoked(self, editor):
        link = services.preview_link_create(article=DraftArticleFactory(), by=editor)
        assert link.is_active()
        assert link.expires_at - link.created_at == timedelta(hours=48)
        services.preview_link_revoke(link=link, by=editor)
        assert not link.is_active()

    def test_only_people_who_may_edit_can_share(self, reporter):
        with pytest.raises(PermissionDenied):
            services.preview_link_create(
                article=DraftArticleFactory(created_by=ReporterFactory()), by=reporter
            )

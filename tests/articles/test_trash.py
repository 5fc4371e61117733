"""No data loss (#7): deleting a story moves it to the trash, from which it can be restored;
only editors (or `empty_trash`) delete for good. Authors with stories can't be deleted;
deleting a section or a tag never deletes a story."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleRevision, FrontPageSlot, Section, Tag
from articles.permissions import SYSTEM
from authors.models import Author
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
    SectionFactory,
)

from .workflow_http import (
    CHANGELIST,
    change_url,
    delete_url,
    log_messages,
    login,
    messages_of,
    page_form,
    submit,
    text_of,
)

pytestmark = pytest.mark.django_db

TRASH = reverse("admin:articles_trashedarticle_changelist")


def trash_action(client, action, *articles, changelist=TRASH, **extra):
    data = {"action": action, "index": "0", "_selected_action": [a.pk for a in articles]}
    return submit(client, changelist, {**data, **extra}, follow=True)


def trash_delete_url(article):
    return reverse("admin:articles_trashedarticle_delete", args=[article.pk])


@pytest.fixture
def story():
    story = PublishedArticleFactory(headline="Harbour tram opens", section=SectionFactory())
    story.tags.add("trams")
    return story


class TrashTests:
    def test_delete_page_says_the_story_goes_to_the_trash(self, story):
        page = login(EditorFactory()).get(delete_url(story))
        text = text_of(page.content.decode())
        assert "Move “Harbour tram opens” to the trash?" in text
        assert "related items will be deleted" not in text

    @pytest.mark.slow
    def test_deleting_moves_the_story_out_of_sight_and_restoring_brings_it_back(
        self, client, story
    ):
        editor = EditorFactory()
        admin = login(editor)
        url = story.get_absolute_url()
        assert client.get(url).status_code == 200

        response = submit(admin, delete_url(story), {"post": "yes"}, follow=True)
        assert text_of(" ".join(messages_of(response))).startswith(
            "Moved “Harbour tram opens” to the trash."
        )
        story.refresh_from_db()
        assert story.trashed_at is not None and story.trashed_by == editor
        # Nothing is lost: revisions and the story's own rows stay.
        assert Article.objects.filter(pk=story.pk).exists()
        # Readers get the 404 of an address that never existed; the list of stories and the
        # story's own admin pages no longer show it; the trash does.
        assert client.get(url).status_code == 404
        assert "Harbour tram opens" not in admin.get(CHANGELIST).content.decode()
        assert admin.get(change_url(story)).status_code == 302
        assert "Harbour tram opens" in admin.get(TRASH).content.decode()

        response = trash_action(admin, "restore_selected", story)
        restored = f'Restored “<a href="{change_url(story)}">Harbour tram opens</a>”.'
        assert messages_of(response) == [restored]
        story.refresh_from_db()
        assert story.trashed_at is None and story.is_published()
        assert client.get(url).status_code == 200
        assert log_messages(story, editor)[-2:] == ["Moved to the trash", "Restored from the trash"]
        assert list(story.revisions.values_list("comment", flat=True)[:2]) == [
            "Restored from the trash",
            "Moved to the trash",
        ]

    @pytest.mark.slow
    def test_list_action_moves_stories_to_the_trash(self, story):
        other = PublishedArticleFactory(headline="Ferry strike ends")
        admin = login(EditorFactory())
        data = {"action": "trash_selected", "index": "0", "_selected_action": [story.pk, other.pk]}
        response = submit(admin, CHANGELIST, data, follow=True)
        assert len(messages_of(response)) == 2
        assert set(Article.objects.in_trash().values_list("pk", flat=True)) == {story.pk, other.pk}
        # Django's "delete selected" (for good) is not offered on the list of stories.
        assert "delete_selected" not in admin.get(CHANGELIST).content.decode()

    def test_trashing_frees_the_story_front_page_slot(self, story):
        FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=story)
        services.article_trash(article=story, by=EditorFactory())
        assert not FrontPageSlot.objects.exists()

    def test_a_save_from_a_form_opened_before_the_story_was_trashed_keeps_the_text(self, story):
        writer, other_editor = EditorFactory(), EditorFactory(first_name="Ada")
        admin = login(writer)
        data = page_form(admin.get(change_url(story)), body="<p>My late changes.</p>")
        services.article_trash(article=story, by=other_editor)

        response = submit(admin, change_url(story), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "moved this story to the trash" in text_of(page)
        assert "My late changes." in page
        story.refresh_from_db()
        assert "My late changes." not in story.body and story.trashed_at is not None

    def test_trashed_stories_are_not_in_the_desk_states(self, story):
        draft = DraftArticleFactory()
        for article in (story, draft):
            services.article_trash(article=article, by=SYSTEM)
        assert not Article.objects.published().exists()
        assert not Article.objects.drafts().exists()
        assert Article.objects.in_trash().count() == 2

    def test_a_story_in_the_trash_cannot_be_changed_from_its_admin_pages(self, story):
        revision = services.revision_record(article=story, by=SYSTEM, comment="Created")
        services.article_trash(article=story, by=SYSTEM)
        admin = login(EditorFactory())
        restore = reverse("admin:articles_article_restore", args=[story.pk, revision.pk])
        assert submit(admin, restore, {}).status_code == 404
        links = reverse("admin:articles_article_preview_links", args=[story.pk])
        assert submit(admin, links, {}).status_code == 404


class TrashPermissionTests:
    def test_reporter_restores_their_own_draft_but_cannot_delete_it_for_good(self):
        reporter = ReporterFactory()
        draft = DraftArticleFactory(created_by=reporter, authors=[AuthorFactory(user=reporter)])
        theirs = DraftArticleFactory(headline="Somebody else's draft")
        client = login(reporter)
        submit(client, delete_url(draft), {"post": "yes"})
        services.article_trash(article=theirs, by=SYSTEM)

        page = client.get(TRASH).content.decode()
        assert draft.headline in page and "Somebody else" not in page
        assert "delete_selected" not in page
        assert client.get(trash_delete_url(draft)).status_code == 403
        trash_action(client, "delete_selected", draft, post="yes")
        trash_action(client, "restore_selected", theirs)
        assert Article.objects.in_trash().filter(pk=theirs.pk).exists()

        trash_action(client, "restore_selected", draft)
        assert Article.objects.drafts().filter(pk=draft.pk).exists()

    def test_reporter_cannot_trash_a_live_story(self, story):
        reporter = ReporterFactory()
        with pytest.raises(services.PermissionDenied):
            services.article_trash(article=story, by=reporter)
        assert submit(login(reporter), delete_url(story), {"post": "yes"}).status_code == 403
        story.refresh_from_db()
        assert story.trashed_at is None

    def test_editor_deletes_for_good_from_the_trash(self, story):
        services.revision_record(article=story, by=SYSTEM, comment="Created")
        services.article_trash(article=story, by=SYSTEM)
        admin = login(EditorFactory())
        page = admin.get(trash_delete_url(story))
        assert page.status_code == 200
        response = submit(admin, trash_delete_url(story), {"post": "yes"})
        assert response.status_code == 302
        assert not Article.objects.filter(pk=story.pk).exists()
        assert not ArticleRevision.objects.filter(article_id=story.pk).exists()
        assert LogEntry.objects.filter(object_id=str(story.pk), action_flag=3).exists()

    def test_the_trash_cannot_be_added_to_or_edited(self, story):
        services.article_trash(article=story, by=SYSTEM)
        admin = login(EditorFactory())
        assert admin.get(reverse("admin:articles_trashedarticle_add")).status_code == 403
        change = reverse("admin:articles_trashedarticle_change", args=[story.pk])
        page = admin.get(change)
        assert page.status_code == 200
        assert "Live again at once" in page.content.decode()
        assert submit(admin, change, {"headline": "Changed"}).status_code == 403


class DeletingOtherThingsTests:
    def test_an_author_with_stories_cannot_be_deleted(self, story):
        author = AuthorFactory(name="Lena Park")
        story.bylines.create(author=author, position=1)
        admin = login(EditorFactory())
        url = reverse("admin:authors_author_delete", args=[author.pk])
        page = admin.get(url)
        assert page.status_code == 200
        assert "would require deleting the following protected" in text_of(page.content.decode())
        submit(admin, url, {"post": "yes"})
        assert Author.objects.filter(pk=author.pk).exists()
        # Not even when the story is in the trash: restoring it needs its byline.
        services.article_trash(article=story, by=SYSTEM)
        submit(admin, url, {"post": "yes"})
        assert Author.objects.filter(pk=author.pk).exists()

    def test_an_author_without_stories_can_be_deleted(self):
        author = AuthorFactory()
        url = reverse("admin:authors_author_delete", args=[author.pk])
        assert submit(login(EditorFactory()), url, {"post": "yes"}).status_code == 302
        assert not Author.objects.filter(pk=author.pk).exists()

    def test_deleting_a_section_or_a_tag_keeps_the_stories(self, story):
        admin = login(EditorFactory())
        section_url = reverse("admin:articles_section_delete", args=[story.section_id])
        tag = Tag.objects.get(name="trams")
        tag_url = reverse("admin:articles_tag_delete", args=[tag.pk])
        assert submit(admin, section_url, {"post": "yes"}).status_code == 302
        assert submit(admin, tag_url, {"post": "yes"}).status_code == 302
        assert not Section.objects.exists() and not Tag.objects.exists()
        story.refresh_from_db()
        assert story.section is None and story.is_published()
        assert list(story.tags.all()) == []


class EmptyTrashTests:
    def test_deletes_only_stories_trashed_long_enough(self, story):
        recent = PublishedArticleFactory(headline="Recently binned")
        services.article_trash(article=story, by=SYSTEM)
        services.article_trash(article=recent, by=SYSTEM)
        Article.objects.filter(pk=story.pk).update(trashed_at=timezone.now() - timedelta(days=31))
        out = StringIO()
        call_command("empty_trash", "--dry-run", stdout=out)
        assert "1 story would be deleted" in out.getvalue()
        assert Article.objects.count() == 2

        call_command("empty_trash", stdout=out)
        assert list(Article.objects.values_list("headline", flat=True)) == ["Recently binned"]
        call_command("empty_trash", "--days", "0", stdout=out)
        assert not Article.objects.exists()

    def test_refuses_negative_days(self):
        with pytest.raises(Exception, match="negative"):
            call_command("empty_trash", "--days", "-1")

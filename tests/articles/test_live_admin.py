"""The live desk and the live blog's state in the admin (#18): posting is one action that
purges only the blog's key; edits never lose words; who may post and end the coverage."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import caching
from articles.models import Article, LiveUpdate
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_liveupdate_add")


def logged_in(client, user):
    client.force_login(user)
    return client


def post_update(client, blog, **fields):
    data = {"article": blog.pk, "title": "", "body": "<p>Bridge closed.</p>", **fields}
    return client.post(f"{ADD}?article={blog.pk}", data)


@pytest.fixture
def blog():
    return PublishedArticleFactory(live=Article.Live.LIVE)


class Purges:
    """The keys purged after each commit, from `since()` on (making the stories and authors
    purges their own keys)."""

    def __init__(self, purge):
        self.purge = purge

    def since(self):
        caching.discard_pending()  # Queued by the factories, in the test's one transaction.
        self.purge.reset_mock()

    def __call__(self):
        return set().union(*(set(call.args[0]) for call in self.purge.call_args_list))


@pytest.fixture
def purged():
    with mock.patch("articles.caching.purge") as purge:
        yield Purges(purge)


class PostingTests:
    def test_one_action_posts_and_gives_the_desk_back(
        self, client, blog, purged, django_capture_on_commit_callbacks
    ):
        editor = EditorFactory()
        purged.since()
        with django_capture_on_commit_callbacks(execute=True):
            response = post_update(
                logged_in(client, editor), blog, title="Bridge shut", key_event="on"
            )
        assert response.status_code == 302
        assert response["Location"] == f"{ADD}?article={blog.pk}"
        update = LiveUpdate.objects.get()
        assert (update.article, update.created_by, update.key_event) == (blog, editor, True)
        assert timezone.now() - update.posted_at < timezone.timedelta(minutes=1)
        # Only the blog's own key: not the front page nor the lists showing its card.
        assert purged() == {f"live-{blog.pk}"}
        desk = client.get(response["Location"]).content.decode()
        assert "Posted at" in desk and "Bridge shut" in desk and "Post update" in desk

    def test_a_key_event_needs_a_title_and_the_text_stays(self, client, blog):
        response = post_update(
            logged_in(client, EditorFactory()), blog, key_event="on", body="<p>Kept words</p>"
        )
        assert response.status_code == 200
        assert "A key event needs a title" in response.content.decode()
        assert "Kept words" in response.content.decode()
        assert not LiveUpdate.objects.exists()

    def test_an_ended_or_held_blog_takes_no_update(self, client, blog):
        client = logged_in(client, EditorFactory())
        Article.objects.filter(pk=blog.pk).update(live=Article.Live.ENDED)
        response = post_update(client, blog, body="<p>Late words</p>")
        assert response.status_code == 200 and "Late words" in response.content.decode()
        Article.objects.filter(pk=blog.pk).update(
            live=Article.Live.LIVE, held_at=timezone.now(), hold_reason="Court order."
        )
        response = post_update(client, blog)
        assert response.status_code == 200 and "Legal holds this story" in response.content.decode()
        assert not LiveUpdate.objects.exists()

    def test_the_bodys_script_is_removed(self, client, blog):
        post_update(
            logged_in(client, EditorFactory()), blog, body="<p>Hi</p><script>alert(1)</script>"
        )
        assert "<script" not in LiveUpdate.objects.get().body

    def test_an_unpublished_blog_purges_nothing_and_says_so(
        self, client, purged, django_capture_on_commit_callbacks
    ):
        draft = DraftArticleFactory(live=Article.Live.LIVE)
        purged.since()
        with django_capture_on_commit_callbacks(execute=True):
            response = post_update(logged_in(client, EditorFactory()), draft)
        assert purged() == set()
        messages = client.get(response["Location"]).content.decode()
        assert "readers see it when the story is published" in messages


class WhoMayPostTests:
    def test_a_reporter_posts_to_the_blogs_they_own_only(self, client):
        reporter = ReporterFactory()
        author = AuthorFactory(user=reporter)
        theirs = PublishedArticleFactory(live=Article.Live.LIVE, authors=[author])
        other = PublishedArticleFactory(live=Article.Live.LIVE)
        client = logged_in(client, reporter)
        desk = client.get(ADD).content.decode()
        assert theirs.headline in desk and other.headline not in desk
        assert post_update(client, other).status_code == 200  # "Select a valid choice."
        assert post_update(client, theirs).status_code == 302
        assert list(LiveUpdate.objects.values_list("article", flat=True)) == [theirs.pk]
        # Their name is in the byline of the next one, filled in.
        assert (
            f'value="{author.pk}" selected'
            in client.get(f"{ADD}?article={theirs.pk}").content.decode()
        )

    def test_a_reporter_cannot_open_or_delete_others_updates(self, client):
        other = PublishedArticleFactory(live=Article.Live.LIVE)
        update = LiveUpdate.objects.create(article=other, body="<p>x</p>")
        client = logged_in(client, ReporterFactory())
        change = reverse("admin:articles_liveupdate_change", args=[update.pk])
        assert client.get(change).status_code == 302  # "doesn't exist", to the index
        delete = reverse("admin:articles_liveupdate_delete", args=[update.pk])
        assert client.post(delete, {"post": "yes"}).status_code in {302, 403}
        assert LiveUpdate.objects.filter(pk=update.pk).exists()


class EditingTests:
    def test_a_stale_form_is_refused_with_its_text_kept(
        self, client, blog, purged, django_capture_on_commit_callbacks
    ):
        update = LiveUpdate.objects.create(article=blog, body="<p>First</p>")
        change = reverse("admin:articles_liveupdate_change", args=[update.pk])
        client = logged_in(client, EditorFactory())
        data = {"title": "", "body": "<p>Mine</p>", "expected_version": 1}
        purged.since()
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(change, data).status_code == 302
        update.refresh_from_db()
        assert (update.version, update.body) == (2, "<p>Mine</p>") and update.edited_at
        assert purged() == {f"live-{blog.pk}"}
        # A second form opened before that save.
        response = client.post(change, {**data, "body": "<p>Theirs</p>"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Someone else changed this update" in page and "Theirs" in page
        update.refresh_from_db()
        assert update.body == "<p>Mine</p>"

    def test_deleting_purges_the_blog(
        self, client, blog, purged, django_capture_on_commit_callbacks
    ):
        update = LiveUpdate.objects.create(article=blog, body="<p>x</p>")
        delete = reverse("admin:articles_liveupdate_delete", args=[update.pk])
        purged.since()
        with django_capture_on_commit_callbacks(execute=True):
            logged_in(client, EditorFactory()).post(delete, {"post": "yes"})
        assert not LiveUpdate.objects.exists()
        assert f"live-{blog.pk}" in purged()


class LiveStateTests:
    def url(self, story):
        return reverse("admin:articles_article_live_state", args=[story.pk])

    def test_start_end_and_reopen(self, client, purged, django_capture_on_commit_callbacks):
        story = PublishedArticleFactory()
        client = logged_in(client, EditorFactory())
        assert "Make it a live blog" in client.get(self.url(story)).content.decode()
        purged.since()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url(story), {"state": "live"})
        assert response["Location"] == f"{ADD}?article={story.pk}"  # To the desk.
        story.refresh_from_db()
        assert story.live == "live" and story.live_ended_at is None
        # Its card says Live: the front page is purged, and so is its page.
        assert {"front", f"story-{story.pk}", f"live-{story.pk}"} <= purged()
        version = story.version
        client.post(self.url(story), {"state": "ended"})
        story.refresh_from_db()
        assert story.live == "ended" and story.live_ended_at is not None
        assert story.version == version  # An open form of the story stays valid.
        assert story.revisions.filter(comment="Ended the live coverage").exists()
        client.post(self.url(story), {"state": "live"})
        story.refresh_from_db()
        assert story.live == "live" and story.live_ended_at is None

    def test_a_blog_with_updates_stays_one(self, client):
        story = PublishedArticleFactory(live=Article.Live.ENDED)
        LiveUpdate.objects.create(article=story, body="<p>x</p>")
        client = logged_in(client, EditorFactory())
        assert "Make it a plain story again" not in client.get(self.url(story)).content.decode()
        response = client.post(self.url(story), {"state": ""}, follow=True)
        assert "It has live updates" in response.content.decode()
        story.refresh_from_db()
        assert story.live == "ended"

    def test_nonsense_is_refused_with_a_message(self, client):
        story = PublishedArticleFactory()
        response = logged_in(client, EditorFactory()).post(
            self.url(story), {"state": "x"}, follow=True
        )
        assert "Unknown live blog state" in response.content.decode()

    def test_a_reporter_makes_their_draft_a_live_blog_and_the_form_links_the_desk(self, client):
        reporter = ReporterFactory()
        draft = DraftArticleFactory(created_by=reporter)
        client = logged_in(client, reporter)
        form = client.get(
            reverse("admin:articles_article_change", args=[draft.pk])
        ).content.decode()
        assert "Make it a live blog" in form
        client.post(self.url(draft), {"state": "live"})
        form = client.get(
            reverse("admin:articles_article_change", args=[draft.pk])
        ).content.decode()
        assert "Post a live update" in form and "End the coverage" in form


def test_the_story_list_says_which_stories_are_live_blogs(client):
    PublishedArticleFactory(live=Article.Live.LIVE, headline="Storm: live")
    PublishedArticleFactory(live=Article.Live.ENDED, headline="Vote count: live")
    PublishedArticleFactory(headline="Plain story")
    page = logged_in(client, EditorFactory()).get(reverse("admin:articles_article_changelist"))
    html = page.content.decode()
    assert html.count('story-badge--live">Live blog<') == 1
    assert html.count('story-badge--live">Live blog ended<') == 1

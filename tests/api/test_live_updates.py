"""A live blog's updates in the Content API (#18): what is listed, to whom, at what cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, LiveUpdate
from tests.api.test_api import API, get, token_for, with_token
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
)

pytestmark = pytest.mark.django_db


def blog(**kwargs):
    return PublishedArticleFactory(live=Article.Live.LIVE, **kwargs)


def post(story, n=1, **kwargs):
    """n updates, a minute apart, the newest last."""
    now = timezone.now()
    return [
        LiveUpdate.objects.create(
            article=story,
            body=f"<p>Update {i}.</p>",
            posted_at=now - timedelta(minutes=n - i),
            **kwargs,
        )
        for i in range(n)
    ]


def ids(response):
    return [item["id"] for item in response.json()["items"]]


class UpdatesTests:
    def test_a_live_blogs_updates_newest_first(self, client):
        story = blog()
        author = AuthorFactory(name="Rita Okafor")
        first, second = post(story, 2)
        second.authors.add(author)
        LiveUpdate.objects.filter(pk=first.pk).update(key_event=True, title="Tunnel shut")
        response = get(client, f"/stories/{story.pk}/updates")
        assert response.status_code == 200
        body = response.json()
        assert ids(response) == [second.pk, first.pk]
        newest, oldest = body["items"]
        assert newest["url"].startswith("http")
        assert newest["url"].endswith(f"{story.get_absolute_url()}#update-{second.pk}")
        assert "Update 1." in newest["body_html"]
        assert [a["name"] for a in newest["authors"]] == ["Rita Okafor"]
        assert oldest["key_event"] is True and oldest["title"] == "Tunnel shut"
        assert newest["edited_at"] is None
        assert body["live"]["state"] == "live" and body["live"]["ended_at"] is None
        assert body["story"]["id"] == story.pk
        assert body["next"] is None

    def test_the_cursor_walks_every_update_once_and_since_narrows(self, client):
        story = blog()
        updates = post(story, 7)
        twin = LiveUpdate.objects.create(article=story, body="<p>Twin.</p>")
        LiveUpdate.objects.filter(pk=twin.pk).update(posted_at=updates[3].posted_at)
        response, found = get(client, f"/stories/{story.pk}/updates", limit=2), []
        while True:
            assert response.status_code == 200
            found += ids(response)
            if not response.json()["next"]:
                break
            response = client.get(response.json()["next"])
        assert sorted(found) == sorted([u.pk for u in updates] + [twin.pk])
        assert len(found) == len(set(found))
        since = updates[5].posted_at.isoformat()
        assert ids(get(client, f"/stories/{story.pk}/updates", since=since)) == [
            updates[6].pk,
            updates[5].pk,
        ]

    @pytest.mark.parametrize("path", ["/stories", "/stories/{}/updates"])
    def test_any_offset_python_reads_is_taken_on_every_database(self, client, path):
        # PostgreSQL refuses an offset past 15:59 in a query; the API asks in UTC.
        story = blog()
        post(story, 1)
        since = "2000-01-01T00:00:00-16:45"
        assert get(client, path.format(story.pk), since=since).status_code == 200

    @pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}])
    def test_a_bad_limit_is_refused(self, client, params):
        story = blog()
        assert get(client, f"/stories/{story.pk}/updates", **params).status_code == 422

    def test_a_made_up_cursor_or_time_is_a_400(self, client):
        story = blog()
        assert get(client, f"/stories/{story.pk}/updates", cursor="nope").status_code == 400
        assert get(client, f"/stories/{story.pk}/updates", since="today").status_code == 400

    def test_a_plain_story_or_one_readers_cant_see_is_a_404(self, client):
        plain = PublishedArticleFactory()
        draft = DraftArticleFactory(live=Article.Live.LIVE)
        post(draft, 1, title="")
        never = get(client, "/stories/999999/updates")
        assert never.status_code == 404
        for story in (plain, draft):
            response = get(client, f"/stories/{story.pk}/updates")
            assert response.status_code == 404
            assert response.content == never.content

    def test_a_token_reads_a_draft_blog_as_the_admin_shows_it(self):
        reporter = ReporterFactory()
        draft = DraftArticleFactory(live=Article.Live.LIVE, created_by=EditorFactory())
        post(draft, 1)
        editor = with_token(token_for(EditorFactory()))
        response = editor.get(f"{API}/stories/{draft.pk}/updates")
        assert response.status_code == 200 and len(ids(response)) == 1
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        other = with_token(token_for(reporter)).get(f"{API}/stories/{draft.pk}/updates")
        assert other.status_code == 404

    def test_anonymous_answers_are_tagged_and_dated(self, client):
        story = blog()
        author = AuthorFactory()
        (update,) = post(story, 1)
        update.authors.add(author)
        response = get(client, f"/stories/{story.pk}/updates")
        keys = response["Surrogate-Key"].split()
        assert {f"story-{story.pk}", f"live-{story.pk}", f"author-{author.pk}"} <= set(keys)
        assert "public" in response["Cache-Control"]
        assert response["Last-Modified"] == http_date(update.posted_at.timestamp())

    def test_queries_dont_grow_with_the_updates(self, client):
        def count(story):
            with CaptureQueriesContext(connection) as queries:
                assert get(client, f"/stories/{story.pk}/updates").status_code == 200
            return len(queries)

        small, big = blog(), blog()
        post(small, 1)
        for update in post(big, 15):
            update.authors.add(AuthorFactory(), AuthorFactory())
        count(small)  # The first request of the process reads what it then keeps.
        assert count(big) == count(small)


class StoryLiveFieldTests:
    def test_a_plain_story_has_none_and_a_blog_says_where_its_updates_are(self, client):
        plain, story = PublishedArticleFactory(), blog()
        assert get(client, f"/stories/{plain.pk}").json()["live"] is None
        live = get(client, f"/stories/{story.pk}").json()["live"]
        assert live["state"] == "live"
        assert live["updates_url"].endswith(f"{API}/stories/{story.pk}/updates")
        assert client.get(live["updates_url"]).status_code == 200
        story.live = Article.Live.ENDED
        story.save()
        listed = {item["id"]: item for item in get(client, "/stories").json()["items"]}
        assert listed[story.pk]["live"]["state"] == "ended"
        assert listed[story.pk]["live"]["ended_at"] is not None
        assert listed[plain.pk]["live"] is None

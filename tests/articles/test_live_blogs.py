"""Live blogs as readers get them (#18): the story page with its updates and key events, the
poll open pages ask for new updates, the blog's Atom feed and its LiveBlogPosting data, and
that a new update purges only the blog's own pages."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from articles import live
from articles.models import Article, LiveUpdate
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ScheduledArticleFactory,
    WithdrawnArticleFactory,
)
from tests.images.samples import jpeg, make_image
from tests.test_escaping import BREAKOUTS, PAYLOAD, assert_safe_html

pytestmark = pytest.mark.django_db

ATOM_TYPE = "application/atom+xml; charset=utf-8"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
HOSTILE = "Tom & \"Jerry\" <script>alert(1)</script> ]]> 'quoted'"
BREAKOUT = "</script><script>alert(1)</script>"


def live_blog(factory=PublishedArticleFactory, **kwargs):
    return factory(**{"live": Article.Live.LIVE, "headline": "Storm hits the coast", **kwargs})


def post(article, minutes_ago=0, authors=(), **kwargs):
    """An update posted `minutes_ago`, as the admin saves one (without the after-commit work)."""
    fields = {"body": "<p>The wind is rising.</p>", **kwargs}
    update = LiveUpdate.objects.create(
        article=article, posted_at=timezone.now() - timedelta(minutes=minutes_ago), **fields
    )
    update.authors.set(authors)
    return update


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def poll_path(article):
    return f"/live/{article.pk}/updates.json"


def feed_path(article):
    return f"/live/{article.pk}/feed/"


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


# The story page ----------------------------------------------------------------------------


class StoryPageTests:
    def test_updates_newest_first_with_anchors_and_bylines(self, client):
        blog = live_blog()
        ann = AuthorFactory(name="Ann Ames")
        old = post(blog, 30, title="Warnings issued", authors=[ann])
        new = post(blog, 5, body="<p>Trees down on the coast road.</p>")
        html = page(client, blog)
        assert f'id="update-{old.pk}"' in html and f'id="update-{new.pk}"' in html
        assert html.index(f'id="update-{new.pk}"') < html.index(f'id="update-{old.pk}"')
        assert "Trees down on the coast road." in html
        old_part = html[html.index(f'id="update-{old.pk}"') :]
        assert f'<a href="{ann.get_absolute_url()}" rel="author">Ann Ames</a>' in old_part
        new_part = html[html.index(f'id="update-{new.pk}"') : html.index(f'id="update-{old.pk}"')]
        assert "live-update__byline" not in new_part

    def test_key_events_listed_at_the_top_linking_to_their_updates(self, client):
        blog = live_blog()
        key = post(blog, 20, title="Bridge closed", key_event=True)
        post(blog, 10, title="Not key")
        html = page(client, blog)
        events = html[html.index("data-live-key-events") : html.index("data-live-updates")]
        assert f'href="#update-{key.pk}"' in events and "Bridge closed" in events
        assert "Not key" not in events
        assert html.index("Key events") < html.index(f'id="update-{key.pk}"')

    def test_live_state_feed_link_and_alternate(self, client):
        blog = live_blog()
        post(blog)
        html = page(client, blog)
        assert '<span class="live__badge">Live</span>' in html
        assert "Coverage ended" not in html
        assert f'<a href="{feed_path(blog)}" type="application/atom+xml"' in html
        assert re.search(
            rf'<link rel="alternate" type="application/atom\+xml" [^>]*href="{feed_path(blog)}">',
            html,
        )
        assert 'src="/static/js/live.js"' in html or "js/live" in html

    def test_ended_coverage_says_when(self, client):
        blog = live_blog()
        post(blog, 60)
        blog.live = Article.Live.ENDED
        blog.save()
        assert blog.live_ended_at is not None
        html = page(client, blog)
        assert "Coverage ended at" in html
        assert 'class="live__badge"' not in html
        ended = timezone.localtime(blog.live_ended_at)
        assert f'datetime="{ended.isoformat(timespec="seconds")}"' in html or (
            ended.strftime("%H:%M") in html
        )
        # An ended blog is still a live blog: its feed and alternate link stay.
        assert feed_path(blog) in html
        assert "js/live" not in html  # No polling of a blog that takes no more updates.

    def test_a_plain_story_shows_none_of_it(self, client):
        story = PublishedArticleFactory()
        html = page(client, story)
        for absent in ("live-update", "Key events", "/live/", "live__badge", "js/live"):
            assert absent not in html, absent

    def test_empty_live_blog_says_so(self, client):
        html = page(client, live_blog())
        assert "No updates yet." in html

    @pytest.mark.parametrize(
        "factory", [DraftArticleFactory, ScheduledArticleFactory, WithdrawnArticleFactory]
    )
    def test_hidden_live_blog_updates_never_show(self, client, factory):
        blog = live_blog(factory)
        update = post(blog, title="Secret update")
        if blog.get_absolute_url():
            response = client.get(blog.get_absolute_url())
            assert response.status_code in (404, 410)
            assert b"Secret update" not in response.content
        assert client.get(poll_path(blog)).status_code == 404
        assert client.get(feed_path(blog)).status_code == 404
        assert not LiveUpdate.objects.shown().filter(pk=update.pk).exists()


def test_a_preview_link_of_a_draft_blog_shows_no_updates(client):
    """A preview link goes to people outside the newsroom: the story, never its updates."""
    from articles import services
    from articles.previews import preview_url

    blog = live_blog(DraftArticleFactory)
    post(blog, title="Secret update")
    link = services.preview_link_create(article=blog, by=EditorFactory())
    response = client.get(preview_url(link))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret update" not in html and "live-update" not in html
    assert f"/live/{blog.pk}/" not in html


def _queries(client, path):
    """The SQL of one request for `path` in its steady state, not from the page cache (as
    tests/test_flat_queries.py measures)."""
    cache.clear()
    assert client.get(path).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.slow
@pytest.mark.parametrize("surface", ["page", "poll", "feed"])
def test_queries_do_not_grow_with_updates(client, surface):
    """One update or thirty, with bylines and pictures in their bodies: the same queries."""
    blog = live_blog()
    path = {
        "page": blog.get_absolute_url(),
        "poll": poll_path(blog),
        "feed": feed_path(blog),
    }[surface]
    authors = [AuthorFactory() for _ in range(3)]
    pictures = [make_image(jpeg((480, 320)), alt_text=f"Picture {i}") for i in range(3)]

    def add(i):
        picture = pictures[i % len(pictures)]
        post(
            blog,
            60 - i,
            title=f"Update {i}",
            key_event=i % 5 == 0,
            authors=authors[: 1 + i % 3],
            body=f'<p>Update {i}.</p><figure data-image="{picture.pk}">'
            f"<figcaption>Picture {i}</figcaption></figure>",
        )

    add(0)
    few = _queries(client, path)
    for i in range(1, 30):
        add(i)
    many = _queries(client, path)
    assert len(few) == len(many), "\n".join(many)
    if surface == "page":
        assert page(client, blog).count('class="story-figure"') == 30


# The poll ------------------------------------------------------------------------------------


class PollTests:
    def test_shape(self, client):
        blog = live_blog()
        ann = AuthorFactory(name="Ann Ames")
        key = post(blog, 10, title="Bridge closed", key_event=True, authors=[ann])
        plain = post(blog, 5)
        response = client.get(poll_path(blog))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        data = response.json()
        assert set(data) == {"state", "ended_at", "updates", "key_events"}
        assert data["state"] == "live" and data["ended_at"] is None
        assert [u["id"] for u in data["updates"]] == [plain.pk, key.pk]
        first = data["updates"][1]
        assert set(first) == {"id", "version", "posted_at", "key_event", "title", "html"}
        assert first["version"] == 1 and first["key_event"] is True
        assert first["title"] == "Bridge closed"
        assert first["posted_at"] == key.posted_at.isoformat(timespec="seconds")
        assert f'id="update-{key.pk}"' in first["html"] and "Ann Ames" in first["html"]
        assert f'href="#update-{key.pk}"' in data["key_events"]

    def test_newest_twenty_only(self, client):
        blog = live_blog()
        updates = [post(blog, 60 - i) for i in range(25)]
        data = client.get(poll_path(blog)).json()
        assert [u["id"] for u in data["updates"]] == [u.pk for u in updates[::-1][:20]]

    def test_ended(self, client):
        blog = live_blog(live=Article.Live.ENDED)
        data = client.get(poll_path(blog)).json()
        assert data["state"] == "ended"
        assert data["ended_at"] == blog.live_ended_at.isoformat(timespec="seconds")

    def test_not_a_live_blog_or_unknown(self, client):
        assert client.get(poll_path(PublishedArticleFactory())).status_code == 404
        assert client.get("/live/999999/updates.json").status_code == 404

    def test_head_allowed_post_refused(self, client):
        blog = live_blog()
        assert client.head(poll_path(blog)).status_code == 200
        assert client.post(poll_path(blog)).status_code == 405


@pytest.mark.usefixtures("page_cache_on")
class PollCacheTests:
    def poll(self, client, blog, etag=None):
        headers = {"If-None-Match": etag} if etag else {}
        return client.get(poll_path(blog), headers=headers)

    def test_etag_gives_304_until_an_update_is_posted(self, client, committed):
        blog = live_blog()
        post(blog, 10)
        first = self.poll(client, blog)
        assert first.status_code == 200
        assert f"live-{blog.pk}" in first["Surrogate-Key"].split()
        second = self.poll(client, blog, first["ETag"])
        assert second.status_code == 304
        with committed():
            update = post(blog, 0, body="<p>Power is back.</p>")
            live.update_saved(update, by=ReporterFactory(), created=True)
        third = self.poll(client, blog, first["ETag"])
        assert third.status_code == 200
        assert third.json()["updates"][0]["id"] == update.pk
        assert self.poll(client, blog, third["ETag"]).status_code == 304

    def test_a_new_update_leaves_the_front_page_cached(self, client, committed):
        blog = live_blog(headline="Storm hits the coast")
        post(blog, 10)
        front = client.get("/")
        assert "Storm hits the coast" in front.content.decode()
        client.get(blog.get_absolute_url())
        with committed():
            update = post(blog, 0, title="Roads reopen")
            live.update_saved(update, by=ReporterFactory(), created=True)
        assert client.get("/")["X-Page-Cache"] == "hit"
        story = client.get(blog.get_absolute_url())
        assert story["X-Page-Cache"] == "miss" and "Roads reopen" in story.content.decode()

    def test_a_new_update_is_announced_once_committed(self, client, committed):
        from articles.signals import live_update_posted

        blog = live_blog()
        heard = []

        def listener(sender, update, by, **kwargs):
            heard.append((update.pk, by))

        live_update_posted.connect(listener)
        try:
            reporter = ReporterFactory()
            with committed():
                update = post(blog)
                live.update_saved(update, by=reporter, created=True)
                assert heard == []  # Not before the commit.
            assert heard == [(update.pk, reporter)]
            with committed():
                update.title = "Edited"
                update.save()
                live.update_saved(update, by=reporter, created=False)
            assert len(heard) == 1  # An edit is not a new update.
        finally:
            live_update_posted.disconnect(listener)

    def test_editing_purges(self, client, committed):
        blog = live_blog()
        update = post(blog, title="Ten hurt")
        first = self.poll(client, blog)
        with committed():
            update.title, update.edited_at, update.version = "Twelve hurt", timezone.now(), 2
            update.save()
            live.update_saved(update, by=EditorFactory(), created=False)
        again = self.poll(client, blog, first["ETag"])
        assert again.status_code == 200
        entry = again.json()["updates"][0]
        assert entry["title"] == "Twelve hurt" and entry["version"] == 2

    def test_deleting_purges(self, client, committed):
        blog = live_blog()
        keep, gone = post(blog, 10), post(blog, 5, title="Wrong report")
        first = self.poll(client, blog)
        assert client.get(feed_path(blog)).status_code == 200
        with committed():
            gone.delete()
            live.update_removed(gone)
        again = self.poll(client, blog, first["ETag"])
        assert again.status_code == 200
        assert [u["id"] for u in again.json()["updates"]] == [keep.pk]
        feed = client.get(feed_path(blog))
        assert feed["X-Page-Cache"] == "miss" and b"Wrong report" not in feed.content

    def test_ending_the_coverage_is_seen_by_the_poll(self, client, committed):
        blog = live_blog()
        first = self.poll(client, blog)
        front = client.get("/")
        with committed():
            live.live_state_set(article=blog, state=Article.Live.ENDED, by=EditorFactory())
        blog.refresh_from_db()
        again = self.poll(client, blog, first["ETag"])
        assert again.status_code == 200
        assert again.json()["state"] == "ended"
        assert again.json()["ended_at"] == blog.live_ended_at.isoformat(timespec="seconds")
        # Its card says "Live" no more: the listings are purged too.
        assert client.get("/", headers={"If-None-Match": front["ETag"]}).status_code == 200

    def test_an_unpublished_blog_purges_nothing(self, committed):
        blog = live_blog(DraftArticleFactory)
        with committed() as callbacks:
            live.update_saved(post(blog), by=ReporterFactory(), created=True)
        assert callbacks == []


class LiveEndedAtTests:
    def test_set_when_ended_kept_when_saved_again_cleared_when_reopened(self):
        blog = live_blog()
        assert blog.live_ended_at is None
        blog.live = Article.Live.ENDED
        blog.save()
        ended = blog.live_ended_at
        assert ended is not None
        blog.headline = "Storm passes"
        blog.save()
        assert blog.live_ended_at == ended
        blog.live = Article.Live.LIVE
        blog.save()
        assert blog.live_ended_at is None

    def test_a_plain_story_has_no_end(self):
        story = PublishedArticleFactory()
        assert story.live_ended_at is None and not story.is_live_blog


# The feed ------------------------------------------------------------------------------------


def fetch_feed(client, blog):
    response = client.get(feed_path(blog))
    assert response.status_code == 200
    assert response["Content-Type"] == ATOM_TYPE
    root = ET.fromstring(response.content)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return root, parsed


class FeedTests:
    def test_entries_newest_first_linking_to_their_anchors(self, client):
        blog = live_blog()
        ann = AuthorFactory(name="Ann Ames")
        old = post(blog, 30, title="Warnings issued", authors=[ann])
        new = post(blog, 5, body="<p>Trees down on the coast road.</p>")
        root, parsed = fetch_feed(client, blog)
        assert root.tag == "{http://www.w3.org/2005/Atom}feed"
        url = f"http://testserver{blog.get_absolute_url()}"
        links = [entry.link for entry in parsed.entries]
        assert links == [f"{url}#update-{new.pk}", f"{url}#update-{old.pk}"]
        ids = [entry.id for entry in parsed.entries]
        assert all(i.startswith(("http://", "https://", "tag:")) for i in ids), ids
        assert len(set(ids)) == 2
        assert parsed.entries[1].title == "Warnings issued"
        assert parsed.entries[1].author == "Ann Ames"
        assert "Trees down" in parsed.entries[0].summary
        assert parsed.feed.title.startswith("Storm hits the coast")

    def test_hostile_titles_and_authors_are_escaped(self, client):
        blog = live_blog(headline=HOSTILE, standfirst=HOSTILE)
        post(blog, title=HOSTILE, authors=[AuthorFactory(name=HOSTILE)])
        root, parsed = fetch_feed(client, blog)
        entry = parsed.entries[0]
        assert entry.title == HOSTILE
        assert entry.author == HOSTILE
        assert parsed.feed.title.startswith(HOSTILE)
        titles = root.findall("atom:entry/atom:title", ATOM)
        assert titles[0].text == HOSTILE
        assert b"<script>" not in response_bytes(client, blog)

    def test_hostile_body_is_sanitised(self, client):
        blog = live_blog()
        post(blog, body='<p>Fine</p><script>alert(1)</script><img src=x onerror="alert(2)">')
        _, parsed = fetch_feed(client, blog)
        summary = parsed.entries[0].summary
        assert "alert(1)" not in summary and "onerror" not in summary

    @pytest.mark.parametrize(
        "factory", [DraftArticleFactory, ScheduledArticleFactory, WithdrawnArticleFactory]
    )
    def test_unpublished_blog_has_no_feed(self, client, factory):
        assert client.get(feed_path(live_blog(factory))).status_code == 404

    def test_plain_story_has_no_feed(self, client):
        assert client.get(feed_path(PublishedArticleFactory())).status_code == 404


def response_bytes(client, blog):
    return client.get(feed_path(blog)).content


# Structured data -----------------------------------------------------------------------------


class StructuredDataTests:
    def test_live_blog_posting(self, client, settings):
        settings.SITE_URL = "https://news.example"
        blog = live_blog()
        ann = AuthorFactory(name="Ann Ames")
        old = post(blog, 30, title="Warnings issued", authors=[ann])
        new = post(blog, 5, body="<p>Trees down on the coast road.</p>")
        data = json_ld(page(client, blog))
        assert data["@type"] == "LiveBlogPosting"
        assert data["coverageStartTime"] == blog.published_at.isoformat(timespec="seconds")
        assert "coverageEndTime" not in data
        url = f"https://news.example{blog.get_absolute_url()}"
        updates = data["liveBlogUpdate"]
        assert [u["url"] for u in updates] == [f"{url}#update-{new.pk}", f"{url}#update-{old.pk}"]
        assert all(u["@type"] == "BlogPosting" for u in updates)
        assert updates[1]["headline"] == "Warnings issued"
        assert updates[0]["headline"] == "Trees down on the coast road."
        assert updates[0]["articleBody"] == "Trees down on the coast road."
        assert updates[1]["datePublished"] == old.posted_at.isoformat(timespec="seconds")
        assert updates[1]["author"] == [
            {
                "@type": "Person",
                "name": "Ann Ames",
                "url": f"https://news.example{ann.get_absolute_url()}",
            }
        ]
        assert "author" not in updates[0]

    def test_coverage_end_once_ended(self, client):
        blog = live_blog(live=Article.Live.ENDED)
        data = json_ld(page(client, blog))
        assert data["coverageEndTime"] == blog.live_ended_at.isoformat(timespec="seconds")

    def test_a_plain_story_is_a_news_article(self, client):
        data = json_ld(page(client, PublishedArticleFactory()))
        assert data["@type"] != "LiveBlogPosting" and "liveBlogUpdate" not in data

    def test_hostile_update_cannot_break_out(self, client):
        blog = live_blog()
        post(
            blog,
            title=BREAKOUT,
            body=f"<p>{BREAKOUT.replace('<', '&lt;')}</p>",
            authors=[AuthorFactory(name=BREAKOUT)],
        )
        html = page(client, blog)
        assert "<script>alert(1)" not in html
        data = json_ld(html)
        update = data["liveBlogUpdate"][0]
        assert update["headline"] == BREAKOUT
        assert update["author"][0]["name"] == BREAKOUT


@pytest.mark.usefixtures("page_cache_on")
class ConditionalRequestTests:
    """Feed readers and caches may revalidate with If-Modified-Since alone: what changes a
    live blog without a new update must move its Last-Modified too."""

    @pytest.mark.parametrize("path", [poll_path, "page"])
    def test_ending_the_coverage_is_not_answered_304(self, client, committed, path):
        blog = live_blog()
        post(blog, 10)
        path = blog.get_absolute_url() if path == "page" else path(blog)
        first = client.get(path)
        modified = first["Last-Modified"]
        assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
        with committed():
            live.live_state_set(article=blog, state=Article.Live.ENDED, by=EditorFactory())
        assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 200

    def test_the_feed_stays_not_modified_when_only_the_state_changed(self, client, committed):
        """The feed doesn't show the blog's state: ending it changes nothing there."""
        blog = live_blog()
        post(blog, 10)
        modified = client.get(feed_path(blog))["Last-Modified"]
        with committed():
            live.live_state_set(article=blog, state=Article.Live.ENDED, by=EditorFactory())
        response = client.get(feed_path(blog), headers={"If-Modified-Since": modified})
        assert response.status_code == 304

    def test_a_draft_blog_published_later_gets_its_poll(self, client, committed):
        from articles import services

        blog = live_blog(DraftArticleFactory)
        post(blog)
        assert client.get(poll_path(blog)).status_code == 404
        assert client.get(feed_path(blog)).status_code == 404
        with committed():
            services.article_publish(article=blog, by=EditorFactory())
        assert client.get(poll_path(blog)).status_code == 200
        assert client.get(feed_path(blog)).status_code == 200

    def test_payloads_everywhere_break_nothing(self, client):
        """The house's payload (tests/test_escaping.py) in the blog's headline, an update's
        title, body and author: the page parses as the site wrote it, and the payload shows
        as text."""
        blog = live_blog(headline="Headline " + PAYLOAD)
        post(
            blog,
            title="Title " + PAYLOAD,
            key_event=True,
            body=f"<p>Body {escape(PAYLOAD)}</p><script>alert(1)</script>",
            authors=[AuthorFactory(name="Author " + PAYLOAD)],
        )
        shown = assert_safe_html(client.get(blog.get_absolute_url()))
        for value in ("Title ", "Body ", "Author "):
            assert value + PAYLOAD in shown.text, value
        (data,) = shown.json_ld()
        update = json.loads(data)["liveBlogUpdate"][0]
        assert update["headline"] == "Title " + PAYLOAD
        assert update["author"][0]["name"] == "Author " + PAYLOAD
        poll = client.get(poll_path(blog))
        entry = poll.json()["updates"][0]
        assert entry["title"] == "Title " + PAYLOAD
        for breakout in BREAKOUTS:
            assert breakout not in entry["html"] and breakout not in poll.json()["key_events"]

"""The page cache (#6): anonymous pages are kept until what they show changes, on every path
that changes it, and never for logged-in readers, previews or errors."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import FrontPageSlot
from newsroom import pagecache
from newsroom.surrogate_keys import (
    EVERYTHING,
    FRONT,
    NAVIGATION,
    author_key,
    section_key,
    stories_key,
    story_key,
    tag_key,
)
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def get(client, path, **headers):
    response = client.get(path, headers=headers)
    return response, response.content.decode()


class HitTests:
    def test_second_request_is_served_from_the_cache_without_sql(self, client):
        story = PublishedArticleFactory(headline="Harbour reopens")
        first, html = get(client, "/")
        assert first["X-Page-Cache"] == "miss" and story.headline in html
        with CaptureQueriesContext(connection) as captured:
            second, again = get(client, "/")
        assert second["X-Page-Cache"] == "hit"
        assert again == html
        assert len(captured) == 0

    @pytest.mark.parametrize(
        "path",
        [
            "/",
            "story",
            "/sections/city/",
            "author",
            "/corrections/",
            "/search/?q=harbour",
            "/feed/",
            "/sitemap.xml",
            "/news-sitemap.xml",
            "/robots.txt",
        ],
    )
    def test_public_pages_are_cached_with_their_keys(self, client, path):
        author = AuthorFactory()
        story = PublishedArticleFactory(
            headline="Harbour", section=SectionFactory(slug="city"), authors=[author]
        )
        path = {"story": story.get_absolute_url(), "author": author.get_absolute_url()}.get(
            path, path
        )
        response, _ = get(client, path)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"
        assert response["Surrogate-Key"]
        assert get(client, path)[0]["X-Page-Cache"] == "hit"

    def test_query_strings_are_different_pages(self, client):
        PublishedArticleFactory.create_batch(21)
        get(client, "/")
        assert get(client, "/?page=2")[0]["X-Page-Cache"] == "miss"

    def test_no_cookie_is_set_for_anonymous_readers(self, client):
        PublishedArticleFactory()
        for _ in range(2):
            response, _ = get(client, "/")
            assert not response.cookies
            assert "Set-Cookie" not in response.headers


class InvalidationTests:
    def test_publishing_shows_the_story_on_the_next_request(self, client, committed):
        editor = EditorFactory()
        section = SectionFactory(slug="city")
        draft = DraftArticleFactory(headline="Council votes", slug="council-votes", section=section)
        paths = ("/", "/sections/city/", "/feed/", "/sitemap-articles.xml", "/search/?q=council")
        for path in paths:
            assert "council-votes" not in get(client, path)[1]
        with committed():
            services.article_publish(article=draft, by=editor)
        for path in paths:
            response, html = get(client, path)
            assert response["X-Page-Cache"] == "miss", path
            assert "council-votes" in html, path

    def test_a_correction_is_visible_at_once(self, client, committed):
        story = PublishedArticleFactory(headline="Bridge closes")
        get(client, story.get_absolute_url())
        with committed():
            services.article_correct(
                article=story, by=EditorFactory(), kind="correction", text="It was Tuesday."
            )
        assert "It was Tuesday." in get(client, story.get_absolute_url())[1]
        assert "It was Tuesday." in get(client, "/corrections/")[1]

    def test_withdrawing_removes_the_story_everywhere(self, client, committed):
        story = PublishedArticleFactory(headline="Wrong report", section=SectionFactory())
        paths = ["/", story.section.get_absolute_url(), "/feed/"]
        for path in paths:
            assert "Wrong report" in get(client, path)[1]
        with committed():
            services.article_withdraw(article=story, by=EditorFactory(), reason="It was wrong.")
        for path in paths:
            assert "Wrong report" not in get(client, path)[1], path
        assert client.get(story.get_absolute_url()).status_code == 410

    def test_editing_a_live_story_updates_every_page_showing_it(self, client, committed):
        story = PublishedArticleFactory(headline="Old headline", section=SectionFactory())
        other = PublishedArticleFactory(section=story.section)  # Shows it as related.
        paths = ["/", story.get_absolute_url(), other.get_absolute_url()]
        for path in paths:
            assert "Old headline" in get(client, path)[1]
        with committed():
            services.article_save(
                article=story, by=services.SYSTEM, changes={"headline": "New headline"}
            )
        for path in paths:
            html = get(client, path)[1]
            assert "New headline" in html and "Old headline" not in html, path

    def test_moving_a_story_purges_the_section_it_left(self, client, committed):
        story = PublishedArticleFactory(headline="Moved story", section=SectionFactory(slug="a"))
        assert "Moved story" in get(client, "/sections/a/")[1]
        with committed():
            services.article_save(
                article=story, by=services.SYSTEM, changes={"section": SectionFactory(slug="b")}
            )
        assert "Moved story" not in get(client, "/sections/a/")[1]
        assert "Moved story" in get(client, "/sections/b/")[1]

    def test_renaming_an_author_updates_their_bylines(self, client, committed):
        author = AuthorFactory(name="Ann Ames")
        story = PublishedArticleFactory(authors=[author])
        for path in ("/", story.get_absolute_url(), author.get_absolute_url()):
            assert "Ann Ames" in get(client, path)[1]
        with committed():
            author.name = "Ann Ames-Berg"
            author.save()
        for path in ("/", story.get_absolute_url(), author.get_absolute_url()):
            assert "Ann Ames-Berg" in get(client, path)[1], path

    def test_renaming_a_section_updates_the_navigation_everywhere(self, client, committed):
        section = SectionFactory(name="Sport", slug="sport")
        story = PublishedArticleFactory(section=section)
        get(client, "/"), get(client, story.get_absolute_url())
        with committed():
            section.name = "Sports"
            section.save()
        for path in ("/", story.get_absolute_url(), "/search/"):
            assert ">Sports</a>" in get(client, path)[1], path

    def test_pinning_a_story_updates_the_front_page(self, client, committed):
        PublishedArticleFactory.create_batch(26)  # The pinned story is off the first page.
        pinned = PublishedArticleFactory(
            headline="Pinned lead", published_at=timezone.now() - timedelta(days=30)
        )
        assert "Pinned lead" not in get(client, "/")[1]
        with committed():
            FrontPageSlot.objects.create(slot=FrontPageSlot.Slot.LEAD, article=pinned)
        assert "Pinned lead" in get(client, "/")[1]

    def test_saving_a_draft_leaves_readers_pages_cached(self, client, committed):
        PublishedArticleFactory()
        draft = DraftArticleFactory(authors=[AuthorFactory()])
        get(client, "/")
        with committed():
            services.article_save(
                article=draft,
                by=services.SYSTEM,
                changes={"headline": "Still a draft"},
                tags=["secret"],
            )
        assert get(client, "/")[0]["X-Page-Cache"] == "hit"

    def test_a_page_rendered_before_a_commit_is_not_served_after_it(self, client):
        """The race: a reader's request reads the old story, the edit commits and purges,
        then the request stores its page. The page remembers the clock from before its view
        ran, older than the purge, so it is never served."""
        story = PublishedArticleFactory(headline="Before")
        original = pagecache.PageCacheMiddleware._entry

        def purge_while_rendering(request, response, clock, change):
            pagecache.purge([story_key(story.pk)])  # The commit lands mid-request.
            return original(request, response, clock, change)

        pagecache.PageCacheMiddleware._entry = staticmethod(purge_while_rendering)
        try:
            raced, _ = get(client, story.get_absolute_url())
        finally:
            pagecache.PageCacheMiddleware._entry = staticmethod(original)
        # Nor may a caching proxy keep it: the proxy's ban passed before the page reached it.
        assert "Surrogate-Key" not in raced
        assert "no-cache" in raced["Cache-Control"] and "public" not in raced["Cache-Control"]
        assert get(client, story.get_absolute_url())[0]["X-Page-Cache"] == "miss"

    def test_purging_everything(self, client):
        PublishedArticleFactory()
        get(client, "/")
        pagecache.purge([EVERYTHING])
        assert get(client, "/")[0]["X-Page-Cache"] == "miss"

    def test_a_lost_clock_starts_again_without_serving_stale_pages(self, client):
        story = PublishedArticleFactory()
        get(client, "/")
        cache.delete(pagecache.CLOCK)
        pagecache.purge([story_key(story.pk)])
        assert get(client, "/")[0]["X-Page-Cache"] == "miss"


class ScheduleTests:
    def test_a_scheduled_story_appears_at_its_minute(self, client, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        due = timezone.now() + timedelta(seconds=90)
        PublishedArticleFactory(headline="Live now")
        PublishedArticleFactory(headline="Embargoed budget", published_at=due)
        response, html = get(client, "/")
        assert "Embargoed budget" not in html
        assert "s-maxage=90" in response["Cache-Control"]
        assert "max-age=60" in response["Cache-Control"]
        time_machine.move_to(due - timedelta(seconds=1), tick=False)
        assert get(client, "/")[0]["X-Page-Cache"] == "hit"
        time_machine.move_to(due, tick=False)
        response, html = get(client, "/")
        assert response["X-Page-Cache"] == "miss"
        assert "Embargoed budget" in html

    def test_the_page_cache_learns_when_pages_change_from_its_setting(
        self, client, settings, time_machine
    ):
        """The page cache imports no app (#13): the function PAGE_CACHE["NEXT_CHANGE_AT"] names
        tells it when pages change on their own."""
        time_machine.move_to(timezone.now(), tick=False)
        settings.PAGE_CACHE = {
            **settings.PAGE_CACHE,
            "NEXT_CHANGE_AT": f"{__name__}.in_forty_seconds",
        }
        PublishedArticleFactory()
        assert "s-maxage=40" in get(client, "/")[0]["Cache-Control"]


def in_forty_seconds():
    return timezone.now() + timedelta(seconds=40)


class HeaderTests:
    def test_cache_control_for_proxies_and_browsers(self, client):
        PublishedArticleFactory()
        response, _ = get(client, "/")
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=60", "s-maxage=300", "stale-while-revalidate=30"} <= directives
        assert "stale-if-error=86400" in directives

    def test_surrogate_keys_name_what_the_page_shows(self, client):
        author = AuthorFactory()
        section = SectionFactory()
        story = PublishedArticleFactory(section=section, authors=[author])
        story.tags.add("floods")
        tag = story.tags.get()
        keys = set(get(client, story.get_absolute_url())[0]["Surrogate-Key"].split())
        assert {
            story_key(story.pk),
            author_key(author.pk),
            section_key(section.pk),
            tag_key(tag.pk),
            NAVIGATION,
        } <= keys
        section_keys = set(get(client, section.get_absolute_url())[0]["Surrogate-Key"].split())
        assert {stories_key(section_key(section.pk)), story_key(story.pk)} <= section_keys

    def test_etag_and_last_modified_give_304(self, client):
        PublishedArticleFactory()
        for _ in range(2):  # Once rendered, once from the cache.
            response, _ = get(client, "/")
            etag, modified = response["ETag"], response["Last-Modified"]
            assert client.get("/", headers={"if-none-match": etag}).status_code == 304
            assert client.get("/", headers={"if-modified-since": modified}).status_code == 304
            assert client.get("/", headers={"if-none-match": '"other"'}).status_code == 200

    def test_headers_stay_without_the_page_cache(self, client, settings):
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 0}
        PublishedArticleFactory()
        get(client, "/")
        response, _ = get(client, "/")
        assert response["X-Page-Cache"] == "miss"
        assert "s-maxage=300" in response["Cache-Control"] and response["ETag"]


class NeverCachedTests:
    def test_logged_in_readers_get_private_uncached_pages(self, client):
        PublishedArticleFactory()
        client.force_login(EditorFactory())
        for _ in range(2):
            response, _ = get(client, "/")
            assert "X-Page-Cache" not in response
            assert "Surrogate-Key" not in response
            assert "private" in response["Cache-Control"]

    def test_an_editors_visit_does_not_fill_the_cache_for_readers(self, client, rf):
        PublishedArticleFactory()
        client.force_login(EditorFactory())
        get(client, "/")
        client.logout()
        assert get(client, "/")[0]["X-Page-Cache"] == "miss"

    @pytest.mark.parametrize("path", ["/no-such-page/", "/sections/none/", "/2024/13/"])
    def test_errors_are_not_cached(self, client, path):
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 404
            assert "Surrogate-Key" not in response and "X-Page-Cache" not in response

    def test_redirects_and_gone_stories_are_not_cached(self, client):
        story = PublishedArticleFactory()
        wrong_date = story.get_absolute_url().replace(f"/{story.published_at:%Y}/", "/2001/")
        response = client.get(wrong_date)
        assert response.status_code == 301 and "Surrogate-Key" not in response

    def test_admin_and_previews_are_not_cached(self, client):
        client.force_login(EditorFactory())
        response = client.get("/admin/")
        assert "Surrogate-Key" not in response and "X-Page-Cache" not in response
        assert client.get("/preview/not-a-token/").get("X-Page-Cache") is None

    def test_post_is_never_served_from_the_cache(self, client):
        PublishedArticleFactory()
        get(client, "/")
        assert client.post("/").get("X-Page-Cache") is None


class EdgePurgeTests:
    @pytest.mark.slow
    def test_purges_reach_the_caching_proxies(self, settings):
        received = []

        class Proxy(BaseHTTPRequestHandler):
            def do_PURGE(self):
                received.append((self.command, self.headers["Surrogate-Key"]))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), Proxy)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            settings.PAGE_CACHE = {
                **settings.PAGE_CACHE,
                "PURGE_URLS": [f"http://127.0.0.1:{server.server_port}"],
            }
            pagecache.purge([story_key(1), FRONT])
        finally:
            server.shutdown()
            server.server_close()
        # One request for all the keys, in a stable order.
        assert received == [("PURGE", f"{FRONT} {story_key(1)}")]

    def test_an_unreachable_proxy_does_not_break_the_save(self, settings, caplog):
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "PURGE_URLS": ["http://127.0.0.1:9"]}
        pagecache.purge([FRONT])
        assert f"Purging {FRONT} at http://127.0.0.1:9 failed" in caplog.text


class RoundTripTests:
    @pytest.fixture
    def round_trips(self, monkeypatch):
        """The requests the page cache makes to its cache, by method name."""
        calls, depth = [], [0]
        cache_class = type(pagecache._cache())
        for name in ("get", "get_many"):
            original = getattr(cache_class, name)

            def counted(self, *args, _original=original, _name=name, **kwargs):
                # Round trips the page cache asks for, not a backend's own inner calls.
                if not depth[0]:
                    calls.append(_name)
                depth[0] += 1
                try:
                    return _original(self, *args, **kwargs)
                finally:
                    depth[0] -= 1

            monkeypatch.setattr(cache_class, name, counted)
        return calls

    def test_a_repeat_hit_reads_the_clock_alone(self, client, round_trips):
        PublishedArticleFactory()
        get(client, "/"), get(client, "/")  # Stored, then checked by this process.
        round_trips.clear()
        assert get(client, "/")[0]["X-Page-Cache"] == "hit"
        assert round_trips == ["get"]

    def test_after_a_purge_elsewhere_a_hit_rereads_its_marks(self, client, round_trips):
        story = PublishedArticleFactory()
        get(client, "/"), get(client, "/")
        pagecache.purge([story_key(story.pk + 1000)])  # Not shown on the front page.
        round_trips.clear()
        assert get(client, "/")[0]["X-Page-Cache"] == "hit"
        assert round_trips == ["get", "get_many"]
        round_trips.clear()
        assert get(client, "/")[0]["X-Page-Cache"] == "hit"
        assert round_trips == ["get"]
        pagecache.purge([story_key(story.pk)])
        assert get(client, "/")[0]["X-Page-Cache"] == "miss"

    def test_a_page_checked_while_a_purge_writes_its_marks_is_checked_again(
        self, client, monkeypatch
    ):
        story = PublishedArticleFactory()
        get(client, "/"), get(client, "/")
        cache_class, seen = type(pagecache._cache()), []
        original = cache_class.set_many

        def set_many_after_a_hit(self, *args, **kwargs):
            # The clock has moved, the marks aren't written yet: the page looks fresh.
            seen.append(get(client, "/")[0]["X-Page-Cache"])
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cache_class, "set_many", set_many_after_a_hit)
        pagecache.purge([story_key(story.pk)])
        monkeypatch.undo()
        assert seen == ["hit"]
        assert get(client, "/")[0]["X-Page-Cache"] == "miss"

    def test_a_worker_forgets_its_pages_when_the_cache_was_emptied(self, client):
        story = PublishedArticleFactory()
        get(client, "/"), get(client, "/")  # Checked, and remembered, by this process.
        pagecache.purge([story_key(story.pk + 1000)])  # The clock moves on...
        cache.clear()  # ...and the cache loses the marks with the pages.
        assert get(client, "/")[0]["X-Page-Cache"] == "miss"

    def test_a_page_whose_keys_changed_is_checked_against_its_new_keys(self):
        cache.set(pagecache.CLOCK, 10)
        entry = {"expires": 2e9, "clock": 10, "keys": [story_key(2), EVERYTHING]}
        cache.set("page", entry)
        pagecache._known_keys["page"] = [story_key(1), EVERYTHING]  # An older version.
        assert pagecache._stored_page(cache, "page") == entry
        pagecache.purge([story_key(2)])
        pagecache._known_keys["page"] = [story_key(1), EVERYTHING]
        assert pagecache._stored_page(cache, "page") is None


class CacheOutageTests:
    """Redis down: readers still get every page, editors' saves still succeed."""

    @pytest.fixture
    def redis_down(self, settings):
        settings.CACHES = {
            **settings.CACHES,
            "down": {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
        }
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "CACHE": "down"}

    def test_pages_are_rendered_and_not_cached(self, client, redis_down, caplog):
        story = PublishedArticleFactory(headline="Still readable")
        for path in ("/", story.get_absolute_url()):
            response, html = get(client, path)
            assert response.status_code == 200 and "Still readable" in html
            assert "X-Page-Cache" not in response and "Surrogate-Key" not in response
            assert "no-cache" in response["Cache-Control"]
        assert "The page cache is unavailable" in caplog.text

    def test_a_save_still_succeeds_and_says_why_nothing_was_purged(
        self, redis_down, committed, caplog
    ):
        story = PublishedArticleFactory()
        with committed():
            services.article_save(
                article=story, by=services.SYSTEM, changes={"headline": "Saved anyway"}
            )
        story.refresh_from_db()
        assert story.headline == "Saved anyway"
        assert "Purging " in caplog.text and "from the page cache failed" in caplog.text

"""Varnish with deploy/varnish/default.vcl in front of a real Gunicorn app server: readers'
pages are cached; a correction made in the admin shows as soon as the purge job ran (a worker
bans the pages that changed, #15); editors and errors are never cached; a purge drops only its
keys' pages.

The servers run as in production against the test database: PostgreSQL only, and varnishd,
Gunicorn and Redis are needed (conftest.py). Jobs are kept in the database and run by a
`manage.py db_worker` beside the app server, as docs/deploy.md sets a site up. Tests that write
commit their data.
"""

import gzip
import json
import time
from types import SimpleNamespace

import brotli
import pytest

from articles import live
from articles.models import Article, LiveUpdate
from newsroom.surrogate_keys import EVERYTHING, FRONT, author_key, live_key, story_key
from tests.factories import EditorFactory, PublishedArticleFactory

from . import servers

pytestmark = [pytest.mark.deploy, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def stack(app_setup, tmp_path_factory):
    """One app server, Varnish in front of it, and a job worker, which purges Varnish."""
    servers.require(servers.varnishd_path(), "varnishd is not installed (apt-get install varnish)")
    varnish_port = servers.free_port()
    purge_urls = [f"http://127.0.0.1:{varnish_port}"]
    app = servers.start_gunicorn(
        "gunicorn", app_setup, purge_urls=purge_urls, tasks_backend="database"
    )
    worker = servers.start_worker(
        "db_worker", app_setup, purge_urls=purge_urls, tasks_backend="database"
    )
    processes = [app, worker]
    try:
        varnish = servers.start_varnish(
            port=varnish_port,
            backend_port=app.port,
            work_dir=tmp_path_factory.mktemp("varnish"),
            log_dir=app_setup.log_dir,
        )
        processes.append(varnish)
        app.wait_until_ready()
        varnish.wait_until_ready()
        yield SimpleNamespace(app=app, varnish=varnish, worker=worker, app_log_start=0)
    finally:
        servers.stop_all(processes)


@pytest.fixture(autouse=True)
def fresh_start(stack, app_setup):
    """Each test starts with empty caches and new app workers, as it starts with empty
    tables (pytest-django empties them after a test, without purging anything). What the
    servers wrote during the test is shown if it fails."""
    stack.app.wait_until_recycled()
    app_setup.forget_cache()
    assert purge(stack, EVERYTHING).status == 200
    stack.app_log_start = len(stack.app.output())
    yield
    servers.show_output([stack.app, stack.varnish, stack.worker])
    stack.app.recycle_workers()  # While pytest-django empties the tables.


def get(stack, path, **headers):
    """A reader's request, through Varnish."""
    return servers.http_request("GET", stack.varnish.url + path, headers=headers)


def purge(stack, keys, **headers):
    """What newsroom.pagecache.purge() sends to each caching proxy."""
    if keys is not None:
        headers["Surrogate-Key"] = keys
    return servers.http_request("PURGE", stack.varnish.url + "/", headers=headers)


def wait_for_miss(stack, path, seconds=10):
    """The first response for `path` that Varnish didn't have (its copy was banned)."""
    deadline = time.monotonic() + seconds
    while True:
        response = get(stack, path)
        if response["X-Cache"] == "MISS" or time.monotonic() > deadline:
            assert response["X-Cache"] == "MISS", f"{path}: not purged within {seconds} s"
            return response
        time.sleep(0.1)


def surrogate_keys(stack, path):
    """The keys Varnish keeps with a page; it shows them to its purgers only, on request."""
    return set(get(stack, path, **{"X-Cache-Debug": "1"})["Surrogate-Key"].split())


def app_requests(stack, path, expected):
    """How many GETs for `path` reached the app server during this test, from its access log:
    waits a little for `expected` of them, since workers log after they answer."""
    deadline = time.monotonic() + 2
    while True:
        count = stack.app.output(since=stack.app_log_start).count(f'"GET {path} HTTP/1.1"')
        if count >= expected or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


class VarnishTests:
    def test_a_story_is_fetched_once_then_served_by_varnish(self, stack):
        story = PublishedArticleFactory(headline="Harbour reopens after the storm")
        path = story.get_absolute_url()

        first = get(stack, path)
        assert first.status == 200
        assert first["X-Cache"] == "MISS"
        assert "Harbour reopens after the storm" in first.text
        assert first["Surrogate-Key"] is None

        second = get(stack, path)
        assert second["X-Cache"] == "HIT"
        assert second.text == first.text
        assert int(second["Age"]) >= 0
        assert second["Surrogate-Key"] is None
        assert "s-maxage=300" in second["Cache-Control"]
        assert app_requests(stack, path, 1) == 1
        assert story_key(story.pk) in surrogate_keys(stack, path)

    def test_a_correction_made_in_the_admin_shows_once_the_purge_job_ran(
        self, stack, editor_with_password
    ):
        story = PublishedArticleFactory(headline="Bridge closes for repairs")
        path = story.get_absolute_url()
        for page in (path, "/corrections/"):
            get(stack, page)
            assert get(stack, page)["X-Cache"] == "HIT"

        # The editor logs in and works through Varnish, as in production: it passes the admin.
        desk = servers.admin_login(stack.varnish.url, editor_with_password)
        servers.change_story(
            desk,
            story,
            correction_kind="correction",
            correction_text="The bridge closes on Tuesday, not Monday.",
            _publish_changes="Publish changes",
        )

        for page in (path, "/corrections/"):
            # Varnish serves its copy until the worker's PURGE arrives, within moments.
            response = wait_for_miss(stack, page)
            assert "The bridge closes on Tuesday, not Monday." in response.text, page
            assert get(stack, page)["X-Cache"] == "HIT", page

    def test_logged_in_requests_are_passed_and_never_cached(self, stack):
        story = PublishedArticleFactory()
        path = story.get_absolute_url()
        get(stack, path)
        assert get(stack, path)["X-Cache"] == "HIT"

        desk = servers.logged_in(stack.varnish.url, EditorFactory())
        for _ in range(2):
            response = desk.get(path)
            assert response.status == 200
            assert response["X-Cache"] == "MISS"
            assert "private" in response["Cache-Control"]
            assert response["Surrogate-Key"] is None and response["X-Page-Cache"] is None
        for _ in range(2):
            response = get(stack, path, Authorization="Basic ZWRpdG9yOnNlY3JldA==")
            assert response["X-Cache"] == "MISS"
            assert "private" in response["Cache-Control"]
        assert app_requests(stack, path, 5) == 5

        # Readers still get their copy, whatever other cookies they send.
        assert get(stack, path)["X-Cache"] == "HIT"
        assert get(stack, path, Cookie="csrftoken=abc; theme=dark")["X-Cache"] == "HIT"

    def test_the_content_api_is_cached_like_the_pages(self, stack):
        """Anonymous API answers are kept and purged by the same keys (#18); a request with a
        token passes, every time."""
        story = PublishedArticleFactory(headline="Ferry returns to the harbour")
        path = f"/api/v1/stories/{story.pk}"
        first = get(stack, path)
        assert first.status == 200 and first["X-Cache"] == "MISS"
        assert "Ferry returns to the harbour" in first.text
        assert get(stack, path)["X-Cache"] == "HIT"
        assert story_key(story.pk) in surrogate_keys(stack, path)
        for _ in range(2):
            response = get(stack, path, Authorization="Bearer nrt_not-a-token")
            assert response.status == 401
            assert response["X-Cache"] == "MISS"

    def test_a_live_blogs_poll_is_answered_304_until_an_update_is_posted(
        self, stack, app_setup, settings
    ):
        """Open pages poll a live blog every half minute with their ETag (#18): Varnish
        answers them, and posting an update purges the blog's key only, through the app
        servers' cache and the worker's PURGE, while the front page showing the blog's card
        stays cached."""
        # This process posts the update as an app server would: their cache, their proxy.
        settings.CACHES = {
            "default": {
                "BACKEND": "newsroom.cache.RedisCache",
                "LOCATION": app_setup.redis_url,
                "KEY_PREFIX": app_setup.key_prefix,
            }
        }
        settings.PAGE_CACHE = {
            **settings.PAGE_CACHE,
            "PURGE_URLS": [stack.varnish.url],
            "COALESCE_PURGES": True,
        }
        blog = PublishedArticleFactory(headline="Storm hits the coast", live=Article.Live.LIVE)
        LiveUpdate.objects.create(article=blog, body="<p>The wind is rising.</p>")
        path = f"/live/{blog.pk}/updates.json"
        first = get(stack, path)
        assert first.status == 200 and first["X-Cache"] == "MISS"
        assert live_key(blog.pk) in surrogate_keys(stack, path)
        etag = first["ETag"]
        again = get(stack, path, **{"If-None-Match": etag})
        assert again.status == 304 and again["X-Cache"] == "HIT"
        get(stack, "/")
        assert get(stack, "/")["X-Cache"] == "HIT"
        assert app_requests(stack, path, 1) == 1

        update = LiveUpdate.objects.create(article=blog, body="<p>Power is back.</p>")
        live.update_saved(update, by=EditorFactory(), created=True)
        fresh = wait_for_miss(stack, path)
        assert fresh.status == 200
        assert [entry["id"] for entry in json.loads(fresh.text)["updates"]][0] == update.pk
        assert fresh["ETag"] != etag
        assert get(stack, path, **{"If-None-Match": fresh["ETag"]}).status == 304
        assert get(stack, "/")["X-Cache"] == "HIT"

    def test_not_found_is_not_cached(self, stack):
        for path in ("/no-such-page/", "/sections/none/"):
            for _ in range(2):
                response = get(stack, path)
                assert response.status == 404
                assert response["X-Cache"] == "MISS"
            assert app_requests(stack, path, 2) == 2

    def test_a_purge_drops_only_the_pages_carrying_its_keys(self, stack):
        purged, kept = PublishedArticleFactory(), PublishedArticleFactory()
        paths = [purged.get_absolute_url(), kept.get_absolute_url()]
        for path in paths:
            get(stack, path)
            assert get(stack, path)["X-Cache"] == "HIT"
        key = story_key(purged.pk)
        assert key not in surrogate_keys(stack, paths[1])

        # Keys match whole words only: part of a key purges nothing.
        assert purge(stack, f"{key.replace('-', ' ')} {key[1:]}").status == 200
        assert [get(stack, path)["X-Cache"] for path in paths] == ["HIT", "HIT"]

        response = purge(stack, f"{author_key(0)}  {key}")
        assert response.status == 200 and "Purged" in response.text
        assert [get(stack, path)["X-Cache"] for path in paths] == ["MISS", "HIT"]

    def test_a_purge_needs_keys_and_must_come_from_an_app_server(self, stack):
        assert purge(stack, None).status == 400
        assert purge(stack, " ").status == 400
        assert purge(stack, f'{story_key(1)} ") || obj.status ~ "').status == 400
        # Relayed by another proxy (a load balancer): refused, however private its address.
        relayed = purge(stack, FRONT, **{"X-Forwarded-For": "203.0.113.9, 10.0.0.2"})
        assert relayed.status == 405


DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}


class CompressionTests:
    def test_br_gzip_and_identity_readers_each_get_their_copy_from_the_cache(self, stack):
        PublishedArticleFactory.create_batch(3)
        readers = {"br": "gzip, deflate, br, zstd", "gzip": "gzip, deflate", None: "identity"}
        for path in ("/", "/feed/", "/sitemap.xml"):
            bodies = {}
            for encoding, accept in readers.items():
                first = get(stack, path, **{"Accept-Encoding": accept})
                assert first.status == 200 and first["X-Cache"] == "MISS", (path, encoding)
                hit = get(stack, path, **{"Accept-Encoding": accept})
                assert hit["X-Cache"] == "HIT", (path, encoding)
                assert hit["Content-Encoding"] == encoding, (path, encoding)
                assert "Accept-Encoding" in hit["Vary"]
                assert hit.content == first.content
                assert int(hit["Content-Length"]) == len(hit.content)
                bodies[encoding] = DECODE[encoding](hit.content)
            assert bodies["br"] == bodies["gzip"] == bodies[None], path
            assert (
                len(get(stack, path, **{"Accept-Encoding": "br"}).content) < len(bodies[None]) / 2
            )

            # Other spellings share those three copies: nothing more reaches the app.
            for accept, encoding in [
                ("br;q=1.0, gzip;q=0.8", "br"),
                ("gzip;q=1, br;q=0", "gzip"),
                ("GZIP", "gzip"),
                ("deflate", None),
                ("", None),
            ]:
                response = get(stack, path, **{"Accept-Encoding": accept})
                assert response["X-Cache"] == "HIT", (path, accept)
                assert response["Content-Encoding"] == encoding, (path, accept)
                assert DECODE[encoding](response.content) == bodies[None]
            assert app_requests(stack, path, 3) == 3, path


class PictureTests:
    def test_the_app_server_serves_pictures_and_nothing_else_of_its_disk(self, stack, app_setup):
        rendition = app_setup.media_root / "renditions" / "7" / "16x9-600x338-0123456789ab.webp"
        rendition.parent.mkdir(parents=True, exist_ok=True)
        rendition.write_bytes(b"RIFF" + b"\0" * 600)
        path = "/media/renditions/7/16x9-600x338-0123456789ab.webp"
        response = get(stack, path)
        assert response.status == 200
        assert response["Content-Type"] == "image/webp"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.content == rendition.read_bytes()
        assert get(stack, path, **{"If-None-Match": response["ETag"]}).status == 304
        for path in ("/media/", "/media/renditions/", "/media/../manage.py", "/media//etc/passwd"):
            assert get(stack, path).status == 404, path

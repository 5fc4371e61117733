"""Slow work moved onto the queue (#15): edge purges and embeds run as jobs, after the editor's
request, retried and deduplicated; the page cache's own marks stay immediate."""

import datetime
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from django_tasks import TaskResultStatus

from articles import services
from newsroom import jobs, pagecache
from newsroom.surrogate_keys import FRONT, story_key
from tests.articles.test_embeds import embed
from tests.factories import EditorFactory, PublishedArticleFactory
from tests.queue import run_ready_jobs

pytestmark = pytest.mark.django_db

CLOSED = "http://127.0.0.1:9"


@pytest.fixture
def proxy():
    """A caching proxy that records the PURGE requests it gets."""
    received = []

    class Proxy(BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append(self.headers["Surrogate-Key"])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


def proxies(settings, *urls, coalesce=True):
    settings.PAGE_CACHE = {
        **settings.PAGE_CACHE,
        "PURGE_URLS": list(urls),
        "COALESCE_PURGES": coalesce,
    }


class EdgePurgeJobTests:
    def test_the_page_cache_is_purged_at_once_and_the_proxies_by_a_job(
        self, settings, database_queue, proxy
    ):
        proxies(settings, proxy.url)
        pagecache.purge([story_key(1), FRONT])
        assert cache.get(pagecache.PURGED + FRONT)  # Readers of this site: at once.
        assert proxy.received == []  # The proxy: not inside the request.
        (job,) = database_queue.all()
        assert job.task_path == "newsroom.tasks.purge_edge"
        assert job.args_kwargs["args"] == [proxy.url, [FRONT, story_key(1)]]
        assert run_ready_jobs() == 1
        assert proxy.received == [f"{FRONT} {story_key(1)}"]

    def test_one_job_per_proxy_retried_alone_while_it_does_not_answer(
        self, settings, database_queue, proxy
    ):
        proxies(settings, proxy.url, CLOSED)
        pagecache.purge([FRONT])
        assert run_ready_jobs() == 2
        assert proxy.received == [FRONT]
        retry = database_queue.get(status=TaskResultStatus.READY)
        assert retry.args_kwargs == {"args": [CLOSED, [FRONT]], "kwargs": {jobs.ATTEMPT: 2}}
        failed = database_queue.get(status=TaskResultStatus.FAILED)
        assert "Attempt 1 of 6 failed" in failed.traceback
        assert "ConnectionRefusedError" in failed.traceback
        assert 2.5 <= (retry.run_after - timezone.now()).total_seconds() <= 5

    def test_the_same_keys_purged_again_before_the_job_ran_join_it(
        self, settings, database_queue, proxy
    ):
        proxies(settings, proxy.url)
        for _ in range(3):
            pagecache.purge([FRONT, story_key(1)])
        pagecache.purge([story_key(2)])
        assert database_queue.count() == 2
        run_ready_jobs()
        assert sorted(proxy.received) == sorted([f"{FRONT} {story_key(1)}", story_key(2)])
        # Once the job started, a new purge of the same keys needs a job of its own.
        pagecache.purge([FRONT, story_key(1)])
        assert database_queue.filter(status=TaskResultStatus.READY).count() == 1

    def test_without_a_shared_cache_nothing_is_coalesced(self, settings, database_queue, proxy):
        """A worker can't clear a mark in another process's memory: every purge is sent."""
        proxies(settings, proxy.url, coalesce=False)
        pagecache.purge([FRONT])
        pagecache.purge([FRONT])
        assert database_queue.count() == 2

    def test_a_retried_purge_gives_up_with_its_error(self, settings, database_queue):
        proxies(settings, CLOSED)
        pagecache.purge([FRONT])
        started = timezone.now()
        for minute in range(2, 14, 2):  # The backoff: 5 s doubling, at most 80 s.
            with time_machine.travel(started + datetime.timedelta(minutes=minute), tick=False):
                run_ready_jobs()
        attempts = list(database_queue.order_by("enqueued_at"))
        assert len(attempts) == 6
        assert attempts[-1].exception_class_path == "urllib.error.URLError"
        assert "Connection refused" in attempts[-1].traceback.splitlines()[-1]
        assert not database_queue.filter(status=TaskResultStatus.READY).exists()

    def test_a_save_returns_before_the_proxy_is_asked(
        self, settings, database_queue, proxy, django_capture_on_commit_callbacks
    ):
        proxies(settings, proxy.url)
        story = PublishedArticleFactory()
        with django_capture_on_commit_callbacks(execute=True):
            services.article_save(article=story, by=EditorFactory(), changes={"headline": "New"})
        assert proxy.received == []
        assert cache.get(pagecache.PURGED + story_key(story.pk))
        run_ready_jobs()
        (keys,) = proxy.received
        assert story_key(story.pk) in keys.split()


class EmbedJobTests:
    POST = "https://bsky.app/profile/jay.bsky.team/post/3l6oveex3ii2l"

    def test_a_save_leaves_the_providers_to_a_job(
        self, oembed, database_queue, django_capture_on_commit_callbacks
    ):
        oembed.answers["https://embed.bsky.app/oembed"] = {"html": "<blockquote>"}
        story = PublishedArticleFactory()
        with django_capture_on_commit_callbacks(execute=True):
            services.article_save(
                article=story, by=EditorFactory(), changes={"body": "<p>Hi.</p>" + embed(self.POST)}
            )
        assert oembed.asked == []
        (job,) = database_queue.all()
        assert job.task_path == "articles.tasks.refresh_embeds"
        assert job.args_kwargs["args"] == [story.pk, [self.POST]]
        run_ready_jobs()
        assert len(oembed.asked) == 1
        assert database_queue.get().return_value == 1

    def test_the_job_runs_twice_as_once(self, oembed):
        from articles.tasks import refresh_embeds

        oembed.answers["https://embed.bsky.app/oembed"] = {"html": "<blockquote>"}
        story = PublishedArticleFactory()
        assert refresh_embeds.enqueue(story.pk, [self.POST]).return_value == 1
        assert refresh_embeds.enqueue(story.pk, [self.POST]).return_value == 0
        assert len(oembed.asked) == 1

    def test_a_story_deleted_before_the_job_ran_is_no_error(self, oembed):
        from articles.tasks import refresh_embeds

        oembed.answers["https://embed.bsky.app/oembed"] = {"html": "<blockquote>"}
        result = refresh_embeds.enqueue(987654, [self.POST])
        assert result.status == TaskResultStatus.SUCCESSFUL

"""Jobs in Redis (NEWSROOM_TASKS_BACKEND=rq, #15): two Gunicorn app servers enqueue, two
`manage.py rqworker` processes take the jobs, as docs/deploy.md sets several servers up. An
editor's save on either server has the caching proxy purged by a worker; a proxy that refuses
once is purged again after the backoff (RQ's scheduler runs the retry); /healthz notices when
no worker takes jobs.

The "proxy" is a small HTTP server in this process that records the PURGE requests. PostgreSQL,
Gunicorn and Redis are needed (conftest.py); the rq extra is in the dev extra. Tests commit
their data.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from newsroom.surrogate_keys import story_key
from tests.factories import EditorFactory, PublishedArticleFactory

from . import servers

pytestmark = [pytest.mark.deploy, pytest.mark.django_db(transaction=True)]


class Proxy(ThreadingHTTPServer):
    """Records each PURGE's keys; answers 503 to the first `refuse` of them."""

    daemon_threads = True

    def __init__(self):
        self.received, self.refuse = [], 0

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(handler):
                self.received.append(handler.headers["Surrogate-Key"])
                refused = self.refuse > 0
                self.refuse -= refused
                handler.send_response(503 if refused else 200)
                handler.send_header("Content-Length", "0")
                handler.end_headers()

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_port}"

    def purges_of(self, key):
        return [keys for keys in self.received if key in keys.split()]


def empty_queues(redis):
    """Leaves nothing from another run in RQ's queue and registries (RQ's own keys)."""
    from rq import Queue

    queue = Queue("default", connection=redis)
    queue.empty()
    for registry in (queue.scheduled_job_registry, queue.failed_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)


@pytest.fixture(scope="module")
def site(app_setup):
    """App servers A and B and two RQ workers, sharing Redis; the proxy they purge."""
    pytest.importorskip("django_tasks_rq", reason="the rq extra is not installed (make venv)")
    empty_queues(app_setup.redis)
    proxy = Proxy()
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    options = {"purge_urls": [proxy.url], "tasks_backend": "rq"}
    processes = []
    try:
        for name in ("gunicorn-a", "gunicorn-b"):
            processes.append(servers.start_gunicorn(name, app_setup, **options))
        workers = [servers.start_worker(f"rqworker-{n}", app_setup, **options) for n in (1, 2)]
        processes += workers
        for app in processes[:2]:
            app.wait_until_ready()
        yield SimpleNamespace(
            a=processes[0], b=processes[1], workers=workers, proxy=proxy, options=options
        )
    finally:
        servers.stop_all(processes)
        proxy.shutdown()
        proxy.server_close()
        empty_queues(app_setup.redis)


@pytest.fixture(autouse=True)
def fresh_start(site, app_setup):
    for node in (site.a, site.b):
        node.wait_until_recycled()
    app_setup.forget_cache()
    site.proxy.received.clear()
    yield
    servers.show_output([site.a, site.b, *site.workers])
    for node in (site.a, site.b):
        node.recycle_workers()


def wait_until(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not done within {seconds} s"
        time.sleep(0.1)


class RQTests:
    def test_a_save_on_either_server_is_purged_by_a_worker(self, site):
        for node in (site.a, site.b):
            story = PublishedArticleFactory()
            desk = servers.logged_in(node.url, EditorFactory())
            servers.change_story(desk, story, headline="Changed", _publish_changes="Publish")
            wait_until(lambda story=story: site.proxy.purges_of(story_key(story.pk)))
        # The app servers only enqueued: the workers sent the PURGEs.
        workers_output = "".join(worker.output() for worker in site.workers)
        assert "purge_edge" in workers_output
        assert "purge_edge" not in site.a.output() + site.b.output()

    def test_a_proxy_that_refuses_is_purged_again_after_the_backoff(self, site):
        site.proxy.refuse = 1
        story = PublishedArticleFactory()
        desk = servers.logged_in(site.a.url, EditorFactory())
        started = time.monotonic()
        servers.change_story(desk, story, headline="Changed", _publish_changes="Publish")
        key = story_key(story.pk)
        wait_until(lambda: len(site.proxy.purges_of(key)) >= 2, seconds=30)
        first, second = site.proxy.purges_of(key)
        assert first == second  # The same keys, sent again.
        assert time.monotonic() - started >= 2.5  # Half the first backoff (5 s), at least.

    def test_healthz_notices_when_no_worker_takes_jobs(self, site, app_setup):
        probe = servers.start_gunicorn(
            "gunicorn-probe", app_setup, **site.options, NEWSROOM_QUEUE_STALL_SECONDS="1"
        )
        try:
            probe.wait_until_ready()
            assert servers.http_request("GET", probe.url + "/healthz").status == 200
            servers.stop_all(site.workers)
            story = PublishedArticleFactory()
            desk = servers.logged_in(probe.url, EditorFactory())
            servers.change_story(desk, story, headline="Changed", _publish_changes="Publish")
            time.sleep(1.5)
            assert servers.http_request("GET", probe.url + "/healthz").status == 503
            for worker in site.workers:
                worker.start()
            wait_until(lambda: site.proxy.purges_of(story_key(story.pk)))
            assert servers.http_request("GET", probe.url + "/healthz").status == 200
        finally:
            servers.show_output([probe])
            servers.stop_all([probe])

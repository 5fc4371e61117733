"""/healthz notices a queue nobody works (#15): 503 once a job has been ready to run for longer
than NEWSROOM_QUEUE_STALL_SECONDS, in one query."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom import health, jobs
from tests import sample_jobs

pytestmark = pytest.mark.django_db


def waited(queue, seconds, **changes):
    """Makes the queue's jobs look enqueued `seconds` ago."""
    queue.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=seconds), **changes)


class QueueHealthTests:
    def test_a_job_waiting_longer_than_the_limit_means_no_worker(
        self, client, settings, database_queue, tmp_path, caplog
    ):
        settings.NEWSROOM_QUEUE_STALL_SECONDS = 300
        jobs.enqueue(sample_jobs.write_file, str(tmp_path / "x"), "x")
        assert client.get("/healthz").status_code == 200  # Just enqueued.
        waited(database_queue, 299)
        assert client.get("/healthz").status_code == 200
        waited(database_queue, 301)
        response = client.get("/healthz")
        assert response.status_code == 503 and response.content == b"unavailable"
        assert "job queue: a job has been ready for over 300 s" in caplog.text

    def test_a_job_due_later_has_not_waited(self, client, settings, database_queue, tmp_path):
        settings.NEWSROOM_QUEUE_STALL_SECONDS = 300
        jobs.enqueue(sample_jobs.write_file, str(tmp_path / "x"), "x")
        soon = timezone.now() + datetime.timedelta(seconds=60)
        waited(database_queue, 3600, run_after=soon)  # A retry, say: waiting on purpose.
        assert client.get("/healthz").status_code == 200
        waited(database_queue, 3600, run_after=timezone.now() - datetime.timedelta(seconds=400))
        assert client.get("/healthz").status_code == 503

    def test_finished_and_running_jobs_are_not_waiting(
        self, client, settings, database_queue, tmp_path
    ):
        settings.NEWSROOM_QUEUE_STALL_SECONDS = 300
        jobs.enqueue(sample_jobs.write_file, str(tmp_path / "x"), "x")
        jobs.enqueue(sample_jobs.write_file, str(tmp_path / "y"), "y")
        waited(database_queue, 3600)
        first, second = database_queue.all()
        first.status, second.status = "RUNNING", "FAILED"
        first.save(), second.save()
        assert client.get("/healthz").status_code == 200

    def test_zero_turns_the_check_off(self, client, settings, database_queue, tmp_path):
        settings.NEWSROOM_QUEUE_STALL_SECONDS = 0
        jobs.enqueue(sample_jobs.write_file, str(tmp_path / "x"), "x")
        waited(database_queue, 10**6)
        assert client.get("/healthz").status_code == 200

    def test_the_queue_costs_one_query(self, settings, database_queue):
        settings.NEWSROOM_QUEUE_STALL_SECONDS = 300
        with CaptureQueriesContext(connection) as queries:
            assert health.stalled_queue() is None
        assert len(queries) == 1

    def test_without_a_queue_nothing_is_asked(self, settings):
        """The immediate backend (the tests' default) keeps no jobs."""
        settings.NEWSROOM_QUEUE_STALL_SECONDS = 300
        with CaptureQueriesContext(connection) as queries:
            assert health.stalled_queue() is None
        assert len(queries) == 0

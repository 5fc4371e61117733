"""Jobs through the real database backend and a real worker process (#15): `manage.py
db_worker` runs against the test database (SQLite's file, or PostgreSQL) and takes what this
process enqueues; a failing job is retried, then stays FAILED with its error; /healthz notices
when no worker takes jobs.

The jobs are tests/sample_jobs.py's, which the worker finds by name as it finds the apps'.
Tests commit their data, so that the worker sees it.
"""

import sys

import pytest
from django.db import connection
from django_tasks import TaskResultStatus

from newsroom import jobs
from tests import sample_jobs
from tests.queue import WorkerProcess, database_url, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(database_queue, tmp_path):
    """A db_worker process (not started yet: `worker.start()`); stopped after the test, before
    the tables are emptied. Its output is shown if the test fails."""
    process = WorkerProcess(database=database_url(connection), log_path=tmp_path / "worker.log")
    yield process
    process.stop()
    sys.stdout.write(f"\n----- db_worker -----\n{process.output()}")


def finished(queue, count):
    return lambda: queue.filter(finished_at__isnull=False).count() >= count


def test_the_worker_runs_a_job_enqueued_here(worker, database_queue, tmp_path):
    worker.start()
    target = tmp_path / "written.txt"
    result = jobs.enqueue(sample_jobs.write_file, str(target), "from the worker")
    wait_for(finished(database_queue, 1))
    row = database_queue.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.return_value == "from the worker"
    assert target.read_text() == "from the worker"
    assert len(row.worker_ids) == 1


def test_a_failing_job_is_retried_then_stays_failed_with_its_error(worker, database_queue):
    worker.start()
    jobs.enqueue(sample_jobs.always_fails, "the proxy is down")
    wait_for(finished(database_queue, sample_jobs.ATTEMPTS))
    attempts = list(database_queue.order_by("enqueued_at"))
    assert [row.status for row in attempts] == [TaskResultStatus.FAILED] * sample_jobs.ATTEMPTS
    assert [row.args_kwargs["kwargs"].get(jobs.ATTEMPT, 1) for row in attempts] == [1, 2, 3]
    *retried, last = attempts
    assert all(row.exception_class_path == "newsroom.jobs.JobRetried" for row in retried)
    assert all(b.started_at >= a.finished_at for a, b in zip(attempts, attempts[1:], strict=False))
    assert last.exception_class_path == "builtins.ValueError"
    assert last.traceback.strip().endswith("ValueError: the proxy is down")
    # And nothing is left to try.
    assert not database_queue.filter(status=TaskResultStatus.READY).exists()


def test_healthz_notices_when_no_worker_takes_jobs(worker, database_queue, client, settings):
    settings.NEWSROOM_QUEUE_STALL_SECONDS = 1
    assert client.get("/healthz").status_code == 200
    jobs.enqueue(sample_jobs.write_file, "/dev/null", "")
    wait_for(lambda: client.get("/healthz").status_code == 503, seconds=10, what="/healthz")
    worker.start()
    wait_for(finished(database_queue, 1))
    assert client.get("/healthz").status_code == 200

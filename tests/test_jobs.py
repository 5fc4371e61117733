"""Jobs retried with backoff (newsroom/jobs.py, #15): each attempt is a row of the queue; an
attempt that is tried again ends FAILED with JobRetried, the last with its own error."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_tasks import TaskResultStatus

from newsroom import jobs
from tests import sample_jobs
from tests.queue import run_ready_jobs
from tests.test_settings import load_settings

pytestmark = pytest.mark.django_db


def test_the_backoff_doubles_up_to_its_cap_less_a_random_part():
    for attempt, ceiling in [(1, 10), (2, 20), (3, 40), (4, 60), (9, 60)]:
        for _ in range(20):
            delay = jobs.backoff(attempt, backoff_seconds=10, max_backoff_seconds=60)
            assert ceiling / 2 <= delay <= ceiling


def test_a_job_that_keeps_failing_is_retried_then_gives_up_with_its_error(database_queue):
    started = timezone.now()
    jobs.enqueue(sample_jobs.always_fails, "the proxy is down")
    attempts = []
    for attempt in range(1, sample_jobs.ATTEMPTS + 1):
        # Each attempt waits for its backoff (0.2 s doubling, at most 1 s): not ready before.
        with time_machine.travel(started + datetime.timedelta(seconds=2 * attempt), tick=False):
            assert run_ready_jobs() == 1
        attempts = list(database_queue.order_by("enqueued_at"))
    assert len(attempts) == sample_jobs.ATTEMPTS
    assert {row.status for row in attempts} == {TaskResultStatus.FAILED}
    *retried, last = attempts
    for number, row in enumerate(retried, start=1):
        assert row.exception_class_path == "newsroom.jobs.JobRetried"
        assert f"Attempt {number} of {sample_jobs.ATTEMPTS} failed" in row.traceback
        assert "ValueError: the proxy is down" in row.traceback  # The cause, chained.
    assert last.exception_class_path == "builtins.ValueError"
    assert last.traceback.strip().endswith("ValueError: the proxy is down")
    assert last.args_kwargs == {
        "args": ["the proxy is down"],
        "kwargs": {jobs.ATTEMPT: sample_jobs.ATTEMPTS},
    }
    assert not database_queue.filter(status=TaskResultStatus.READY).exists()


def test_a_retry_waits_for_its_backoff(database_queue):
    jobs.enqueue(sample_jobs.always_fails, "down")
    run_ready_jobs()
    retry = database_queue.get(status=TaskResultStatus.READY)
    waited = (retry.run_after - retry.enqueued_at).total_seconds()
    assert 0.1 <= waited <= 0.3  # Half to all of the first backoff.
    assert retry.args_kwargs["kwargs"] == {jobs.ATTEMPT: 2}
    assert run_ready_jobs() == 0  # Not due yet.


def test_a_job_that_fails_once_succeeds_on_its_retry(database_queue, tmp_path):
    marker = str(tmp_path / "tried")
    jobs.enqueue(sample_jobs.fails_once, marker)
    run_ready_jobs()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5), tick=False):
        run_ready_jobs()
    first, second = database_queue.order_by("enqueued_at")
    assert first.status == TaskResultStatus.FAILED
    assert "ConnectionError: the first attempt fails" in first.traceback
    assert second.status == TaskResultStatus.SUCCESSFUL and second.return_value == "done"


def test_without_a_queue_a_failing_job_runs_once():
    """The immediate backend (the tests' default) can't run a job later: the failure stands."""
    result = jobs.enqueue(sample_jobs.always_fails, "once")
    assert result.status == TaskResultStatus.FAILED
    (error,) = result.errors
    assert error.exception_class_path == "builtins.ValueError"


def test_a_job_the_queue_refuses_is_logged_not_raised(monkeypatch, caplog):
    backend = type(sample_jobs.always_fails.get_backend())

    def refuse(self, task, args, kwargs):
        raise ConnectionError("the queue is down")

    monkeypatch.setattr(backend, "enqueue", refuse)
    assert jobs.enqueue(sample_jobs.always_fails, "x") is None
    assert "Could not enqueue always_fails" in caplog.text


def test_attempts_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        jobs.retried(attempts=0)


class BackendSettingsTests:
    """NEWSROOM_TASKS_BACKEND chooses where jobs wait (docs/deploy.md, "Background jobs")."""

    CODE = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.TASKS['default']['BACKEND'], 'django_rq' in s.INSTALLED_APPS, "
        "getattr(s, 'RQ_QUEUES', {}).get('default', {}).get('URL'))"
    )
    ENV = {"DJANGO_DEBUG": "true", "DATABASE_URL": "sqlite://"}

    def test_the_database_by_default(self):
        result = load_settings(self.CODE, **self.ENV)
        assert result.stdout.split() == ["django_tasks_db.DatabaseBackend", "False", "None"]

    def test_rq_keeps_the_jobs_in_the_redis_of_redis_url(self):
        redis = "redis://10.0.0.7:6379/2"
        result = load_settings(self.CODE, **self.ENV, NEWSROOM_TASKS_BACKEND="rq", REDIS_URL=redis)
        assert result.stdout.split() == ["django_tasks_rq.RQBackend", "True", redis], result.stderr

    def test_rq_without_redis_is_refused_with_one_line(self):
        result = load_settings(self.CODE, **self.ENV, NEWSROOM_TASKS_BACKEND="rq")
        assert result.returncode != 0
        assert "NEWSROOM_TASKS_BACKEND=rq keeps the jobs in Redis: set REDIS_URL." in result.stderr

    def test_an_unknown_backend_is_refused(self):
        result = load_settings(self.CODE, **self.ENV, NEWSROOM_TASKS_BACKEND="celery")
        assert result.returncode != 0
        assert "use one of database, immediate, rq" in result.stderr

"""Running the database backend's jobs in a test (#15): the settings that choose it, and its
own worker's code, run in this process (tests/test_worker_process.py runs a real one)."""

from unittest import mock

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}


@pytest.fixture
def database_queue(settings):
    """Jobs are kept in the database, as in production, instead of running at once."""
    settings.TASKS = DATABASE_TASKS
    return DBTaskResult.objects


def run_ready_jobs() -> int:
    """Runs every job ready now, as `manage.py db_worker --batch` does; returns how many."""
    before = DBTaskResult.objects.finished().count()
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    # The worker closes connections between jobs, as requests do; the test's connection holds
    # its transaction (Django's test client skips the same for requests).
    with mock.patch(f"{Worker.__module__}.close_old_connections"):
        worker.run()
    return DBTaskResult.objects.finished().count() - before

"""Running the database backend's jobs in a test (#15): the settings that choose it, its own
worker's code run in this process, and `manage.py db_worker` run as a process of its own
(tests/test_worker_process.py)."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

ROOT = Path(__file__).resolve().parents[1]
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


# A real worker process -----------------------------------------------------------------------


def database_url(connection) -> str:
    """DATABASE_URL for the database this connection uses (in a test: the test database,
    an SQLite file or a PostgreSQL database)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    from tests.deploy.servers import database_url as postgres_url

    return postgres_url(settings_dict)


@dataclass
class WorkerProcess:
    """`manage.py db_worker` in a process of its own, against the test database; its output
    goes to a file, shown when a test fails."""

    database: str
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self, **environment):
        env = {
            **os.environ,
            "DATABASE_URL": self.database,
            "NEWSROOM_TASKS_BACKEND": "database",
            "PYTHONUNBUFFERED": "1",
            **environment,
        }
        args = [sys.executable, "manage.py", "db_worker", "--interval", "0.1"]
        with self.log_path.open("ab") as log:  # The worker keeps its own copy of the file.
            self.process = subprocess.Popen(
                [*args, "--no-startup-delay", "--no-reload"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def stop(self):
        """TERM: the worker finishes the job it runs, then exits."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def wait_for(condition, *, seconds=30, what="the worker"):
    """Polls `condition` until it is true; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what}: not done within {seconds} s")

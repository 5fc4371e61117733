"""Jobs for the tests of the queue (#15): module-level tasks, so that a worker process finds
them by name as it finds the apps' own. Their state lives in files, which a worker in another
process can write and the test read."""

from pathlib import Path

from django_tasks import task

from newsroom.jobs import retried

ATTEMPTS = 3


@task
def write_file(path: str, text: str) -> str:
    """Writes `text` to `path`; run twice, it leaves the same file (idempotent)."""
    Path(path).write_text(text)
    return text


@retried(attempts=ATTEMPTS, backoff_seconds=0.2, max_backoff_seconds=1)
def always_fails(message: str) -> None:
    raise ValueError(message)


@retried(attempts=ATTEMPTS, backoff_seconds=0.2, max_backoff_seconds=1)
def fails_once(path: str) -> str:
    """Fails the first time (no file yet), succeeds the next."""
    marker = Path(path)
    if not marker.exists():
        marker.write_text("tried")
        raise ConnectionError("the first attempt fails")
    return "done"

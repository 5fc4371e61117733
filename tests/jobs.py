"""Running the jobs a test's code queued, when a commit would have (#15).

Jobs are queued after the commit of the change that asked for them (newsroom.jobs); tests run
them with the immediate backend, but a test in a transaction that is rolled back, never
committed (pytest-django's `db`, TestCase), never reaches that point. `run_jobs()` stands in
for the commit around the code that would have committed: its on-commit callbacks run as the
block ends, in order, as they would in production.
"""

from django.test import TestCase


def run_jobs(using="default"):
    """`with run_jobs(): client.post(upload_url, …)`: the renditions exist afterwards."""
    return TestCase.captureOnCommitCallbacks(using=using, execute=True)

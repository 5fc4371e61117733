"""The jobs in the admin (#15): read-only, for superusers and staff given the view permission,
with a failed job's error and traceback; nobody adds, changes or deletes one there."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from newsroom import jobs
from tests import sample_jobs
from tests.factories import EditorFactory, UserFactory
from tests.queue import run_ready_jobs

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:django_tasks_database_dbtaskresult_changelist")


@pytest.fixture
def gave_up(database_queue, settings):
    """A job that failed its every attempt, with its error; and one that succeeded."""
    jobs.enqueue(sample_jobs.always_fails, "proxy <b>down</b>")
    for _ in range(sample_jobs.ATTEMPTS):
        database_queue.filter(status="READY").update(run_after="2000-01-01T00:00:00Z")
        run_ready_jobs()
    return database_queue.exclude(exception_class_path="newsroom.jobs.JobRetried").get()


def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def test_a_superuser_sees_a_failed_job_with_its_error_and_traceback(client, gave_up):
    client.force_login(superuser())
    listing = client.get(CHANGELIST, {"outcome": "gave-up"}).content.decode()
    assert "always_fails" in listing
    assert "ValueError: proxy &lt;b&gt;down&lt;/b&gt;" in listing  # Escaped.
    assert listing.count('class="action-checkbox"') == 0  # No actions, so no deleting.
    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[gave_up.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Traceback (most recent call last)" in html
    assert "ValueError: proxy &lt;b&gt;down&lt;/b&gt;" in html
    assert 'name="_save"' not in html  # Read-only.


def test_retried_attempts_are_told_apart_from_jobs_that_gave_up(client, gave_up):
    client.force_login(superuser())
    retried = client.get(CHANGELIST, {"outcome": "retried"}).content.decode()
    assert retried.count("JobRetried: Attempt") == sample_jobs.ATTEMPTS - 1


def test_nobody_adds_changes_or_deletes_a_job(client, gave_up):
    client.force_login(superuser())
    change = reverse("admin:django_tasks_database_dbtaskresult_change", args=[gave_up.pk])
    delete = reverse("admin:django_tasks_database_dbtaskresult_delete", args=[gave_up.pk])
    assert client.get(reverse("admin:django_tasks_database_dbtaskresult_add")).status_code == 403
    assert client.post(change, {"status": "SUCCESSFUL"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    gave_up.refresh_from_db()
    assert gave_up.status == "FAILED"


def test_editors_see_the_jobs_and_their_errors_and_reporters_dont(client, gave_up):
    """A job that keeps failing is the desk's to notice: the Editor group may view the jobs
    (articles/roles.py), and nothing more; a staff member without it gets 403."""
    client.force_login(EditorFactory())
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert client.get(reverse("admin:django_tasks_database_dbtaskresult_add")).status_code == 403
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_dbtaskresult"))
    assert client.get(CHANGELIST).status_code == 200


def test_a_reporter_or_visitor_never_does(client, gave_up):
    assert client.get(CHANGELIST).status_code == 302  # To the login page.
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


def test_the_admin_calls_them_background_jobs(client, gave_up):
    """The newsroom's words, not the library's "Tasks Database Backend › Task Results"."""
    client.force_login(superuser())
    for page in (
        reverse("admin:index"),
        reverse("admin:app_list", args=["django_tasks_database"]),
        CHANGELIST,
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[gave_up.pk]),
    ):
        html = client.get(page).content.decode()
        assert "Background jobs" in html, page
        assert "Tasks Database Backend" not in html, page
        assert ">Task Results</a>" not in html, page  # The index, the sidebar, breadcrumbs.
        assert "&rsaquo; Task Results" not in html, page
    listing = client.get(CHANGELIST).content.decode()
    assert "<h1>Background jobs</h1>" in listing

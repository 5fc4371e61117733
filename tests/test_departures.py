"""A departed colleague's account is deactivated, and the history keeps their name (#13).

Before, deleting the account deleted their admin log entries with it (Django cascades) and
emptied every "made by" field: revisions then showed no author.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from articles.models import ArticleRevision
from tests.articles.workflow_http import add_byline, page_form, submit
from tests.factories import AuthorFactory, ReporterFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
USERS = reverse("admin:auth_user_changelist")
ADD = reverse("admin:articles_article_add")


@pytest.fixture
def superuser():
    client = Client()
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "x" * 16))
    return client


@pytest.fixture
def departed():
    """A reporter who filed a story through the admin: a revision and a log entry name her."""
    reporter = ReporterFactory(username="mara", first_name="Mara", last_name="Voss")
    client = Client()
    client.force_login(reporter)
    form = page_form(client.get(ADD), headline="Harbour reopens", body="Ships are back.")
    assert submit(client, ADD, add_byline(form, AuthorFactory())).status_code == 302
    assert LogEntry.objects.filter(user=reporter).exists()
    assert ArticleRevision.objects.filter(created_by=reporter).exists()
    return reporter


def test_deleting_an_account_named_in_the_history_is_refused_in_the_admin(superuser, departed):
    delete = reverse("admin:auth_user_delete", args=[departed.pk])
    page = superuser.get(delete).content.decode()
    assert "named in the newsroom’s history" in page and "Deactivate the account" in page
    superuser.post(delete, {"post": "yes"})
    assert User.objects.filter(pk=departed.pk).exists()
    assert LogEntry.objects.filter(user=departed).exists()


def test_the_bulk_delete_is_refused_too(superuser, departed):
    data = {"action": "delete_selected", "_selected_action": [departed.pk], "post": "yes"}
    superuser.post(USERS, data)
    assert User.objects.filter(pk=departed.pk).exists()


def test_deleting_from_code_is_refused(departed):
    with pytest.raises(ProtectedError, match="deactivate the account instead"):
        with transaction.atomic():
            departed.delete()
    assert LogEntry.objects.filter(user=departed).exists()


def test_deactivating_keeps_the_name_and_ends_the_access(superuser, departed):
    reporter = Client()
    reporter.force_login(departed)
    data = {"action": "deactivate", "_selected_action": [departed.pk]}
    response = superuser.post(USERS, data, follow=True)
    assert "Deactivated: Mara Voss" in response.content.decode()
    departed.refresh_from_db()
    assert departed.is_active is False
    assert reporter.get(reverse("admin:index")).status_code == 302  # Logged out.
    revision = ArticleRevision.objects.get(created_by=departed)
    history = superuser.get(
        reverse("admin:articles_article_revisions", args=[revision.article_id])
    ).content.decode()
    assert "Mara Voss" in history or "mara" in history


def test_an_account_without_history_is_deleted_as_usual(superuser):
    mistake = UserFactory(username="typo", is_staff=True)
    superuser.post(reverse("admin:auth_user_delete", args=[mistake.pk]), {"post": "yes"})
    assert not User.objects.filter(pk=mistake.pk).exists()


def test_deactivating_needs_the_change_permission_and_spares_oneself(departed):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    client = Client()
    client.force_login(viewer)
    client.post(USERS, {"action": "deactivate", "_selected_action": [departed.pk]})
    departed.refresh_from_db()
    assert departed.is_active
    chief = User.objects.create_superuser("boss", "boss@example.org", "x" * 16)
    client.force_login(chief)
    client.post(USERS, {"action": "deactivate", "_selected_action": [chief.pk]})
    chief.refresh_from_db()
    assert chief.is_active

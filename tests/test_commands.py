"""The commands `make run` relies on: the editor login (demo: tests/articles/test_demo.py)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class CreateNewsroomUserTests:
    def test_creates_an_editor_who_can_publish(self, client):
        output = run("create_newsroom_user", "desk", "--role", "editor")
        password = output.split("password: ")[1].split()[0]
        assert output.startswith("Editor login: http://127.0.0.1:8000/admin/  user: desk")
        user = get_user_model().objects.get(username="desk")
        assert user.is_staff and not user.is_superuser
        assert user.has_perm("articles.publish_article")
        # Through the login form: the printed password is the one that works.
        response = client.post("/admin/login/", {"username": "desk", "password": password})
        assert response.status_code == 302
        assert client.get("/admin/articles/article/add/").status_code == 200

    def test_creates_a_reporter_who_cannot_publish(self):
        output = run("create_newsroom_user", "sam", "--role", "reporter")
        assert output.startswith("Reporter login:")
        user = get_user_model().objects.get(username="sam")
        assert user.has_perm("articles.add_article")
        assert not user.has_perm("articles.publish_article")

    def test_an_email_address_gives_the_account_its_notification_emails(self):
        run("create_newsroom_user", "sam", "--role", "reporter", "--email", "sam@example.org")
        assert get_user_model().objects.get(username="sam").email == "sam@example.org"
        run("create_newsroom_user", "lee", "--role", "legal")
        assert get_user_model().objects.get(username="lee").email == ""

    def test_an_existing_account_needs_reset_password(self):
        first = run("create_newsroom_user", "sam", "--role", "reporter")
        with pytest.raises(CommandError, match="already an account"):
            run("create_newsroom_user", "sam", "--role", "reporter")
        second = run("create_newsroom_user", "sam", "--role", "reporter", "--reset-password")
        assert second != first
        user = get_user_model().objects.get(username="sam")
        assert user.check_password(second.split("password: ")[1].split()[0])

    def test_password_file_keeps_the_login_stable(self, tmp_path, client):
        password_file = tmp_path / "var" / "editor-password"
        args = ["create_newsroom_user", "editor", "--role", "editor"]
        first = run(*args, "--password-file", password_file)
        password = password_file.read_text().strip()
        assert len(password) >= 16 and f"password: {password}" in first
        assert password_file.stat().st_mode & 0o077 == 0
        assert run(*args, "--password-file", password_file) == first
        assert get_user_model().objects.count() == 1

        user = get_user_model().objects.get()
        user.set_password("something else")
        user.save()
        run(*args, "--password-file", password_file)
        user.refresh_from_db()
        assert user.check_password(password)

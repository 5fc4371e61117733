"""The commands `make run` relies on: demo content and the editor login."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article
from authors.models import Author

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class LoadDemoTests:
    def test_loads_a_front_page_once(self, client):
        run("load_demo")
        stories, authors = Article.objects.count(), Author.objects.count()
        assert stories >= 6 and authors >= 4
        assert Article.objects.published().count() == stories
        assert all(article.byline_authors for article in Article.objects.with_bylines())
        assert all(author.bio and author.job_title for author in Author.objects.all())

        assert "0 new stories and 0 new authors (nothing to add)" in run("load_demo")
        assert (Article.objects.count(), Author.objects.count()) == (stories, authors)

        front = client.get("/")
        assert len(front.context["article_list"]) == stories
        for article in Article.objects.all():
            assert client.get(article.get_absolute_url()).status_code == 200


class EnsureEditorTests:
    def test_creates_the_editor_once_and_keeps_the_password(self, tmp_path, client):
        password_file = tmp_path / "var" / "editor-password"
        first = run("ensure_editor", "--password-file", password_file)
        password = password_file.read_text().strip()
        assert len(password) >= 16
        assert f"user: editor  password: {password}" in first
        assert "http://127.0.0.1:8000/admin/" in first
        assert password_file.stat().st_mode & 0o077 == 0

        assert run("ensure_editor", "--password-file", password_file) == first
        assert get_user_model().objects.count() == 1
        assert client.login(username="editor", password=password)
        assert client.get("/admin/articles/article/add/").status_code == 200

    def test_repairs_an_account_whose_password_changed(self, tmp_path):
        password_file = tmp_path / "editor-password"
        run("ensure_editor", "--password-file", password_file)
        user = get_user_model().objects.get()
        user.set_password("something else")
        user.save()
        run("ensure_editor", "--password-file", password_file)
        user.refresh_from_db()
        assert user.check_password(password_file.read_text().strip())

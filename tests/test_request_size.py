"""Only the story form may post a large body (#13): Django's 2.5 MB limit everywhere else,
so that the anonymous login form never parses megabytes."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from tests.articles.workflow_http import URLENCODED, login, page_form, submit
from tests.factories import AuthorFactory, DraftArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db

THREE_MEGABYTES = "x" * (3 * 1024 * 1024)


def test_the_login_form_refuses_a_large_body():
    response = Client().post(
        reverse("admin:login"),
        urlencode({"username": "someone", "password": THREE_MEGABYTES}),
        content_type=URLENCODED,
    )
    assert response.status_code == 400


def test_other_admin_forms_refuse_a_large_body():
    author = AuthorFactory()
    client = login(EditorFactory())
    url = reverse("admin:authors_author_change", args=[author.pk])
    response = client.post(
        url, urlencode({"name": "A", "bio": THREE_MEGABYTES}), content_type=URLENCODED
    )
    assert response.status_code == 400


@pytest.mark.slow
def test_the_story_form_and_its_autosave_take_a_long_story():
    story = DraftArticleFactory()
    client = login(EditorFactory())
    url = reverse("admin:articles_article_change", args=[story.pk])
    form = page_form(client.get(url), body=THREE_MEGABYTES[:2_900_000])
    autosave = reverse("admin:articles_article_autosave", args=[story.pk])
    assert submit(client, autosave, form).status_code == 200
    assert submit(client, url, form).status_code == 302
    story.refresh_from_db()
    assert len(story.body) > 2_900_000


def test_even_the_story_form_has_a_limit(settings):
    story = DraftArticleFactory()
    client = login(EditorFactory())
    url = reverse("admin:articles_article_change", args=[story.pk])
    form = page_form(client.get(url), body="y" * (21 * 1024 * 1024))
    assert submit(client, url, form).status_code == 400

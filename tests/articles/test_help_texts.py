"""Every help text of the story form that names a button names one the editor sees (#14).
Before, the schedule field said to press “Schedule”; the button reads “Save and schedule”."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles import workflow
from tests.factories import EditorFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db

PRESS = re.compile(r"press “([^”]+)”")


def pressed_and_buttons(html):
    named = set(PRESS.findall(html))
    buttons = set(re.findall(r'<input type="submit" value="([^"]+)"', html))
    buttons |= set(re.findall(r"<button[^>]*>([^<]+)</button>", html))
    return named, {label.strip() for label in buttons}


@pytest.mark.parametrize("story", [None, "live"])
def test_help_names_the_buttons_on_the_page(story):
    client = Client()
    client.force_login(EditorFactory())
    if story is None:
        url = reverse("admin:articles_article_add")
    else:
        url = reverse("admin:articles_article_change", args=[PublishedArticleFactory().pk])
    html = client.get(url).content.decode()
    named, buttons = pressed_and_buttons(html)
    assert named, "no help text names a button"
    assert named <= buttons, (named, buttons)
    assert named <= {t.label for t in workflow.TRANSITIONS}

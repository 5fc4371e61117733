"""A headline that ends a sentence of its own doesn't give a message a second full stop (#15)."""

import pytest
from django.utils.safestring import SafeData, mark_safe

from articles.models import Article
from newsroom.messages import one_full_stop
from tests.articles.test_admin import ADD, change_url, story_form
from tests.factories import AuthorFactory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Saved the changes to “Crash ends the battle.”.",
            "Saved the changes to “Crash ends the battle.”",
        ),
        ("Published “Who pays?”.", "Published “Who pays?”"),
        ("Published “Stop!”. It is live.", "Published “Stop!” It is live."),
        ("Saved “Harbour tunnel opens”.", "Saved “Harbour tunnel opens”."),
        ("Nothing quoted.", "Nothing quoted."),
    ],
)
def test_one_full_stop(text, expected):
    assert one_full_stop(text) == expected


def test_safe_html_stays_safe_and_plain_text_stays_plain():
    assert isinstance(one_full_stop(mark_safe("<a>“Done.”</a>.")), SafeData)
    assert not isinstance(one_full_stop("“Done.”."), SafeData)


@pytest.mark.django_db
def test_the_admin_says_it_once(client, editor):
    response = client.post(
        ADD,
        story_form((AuthorFactory(), 0), headline="Crash ends the battle.", slug="crash"),
        follow=True,
    )
    assert Article.objects.get().headline == "Crash ends the battle."
    assert [str(m) for m in response.context["messages"]] == [
        "Saved “Crash ends the battle.” as a draft."
    ]
    article = Article.objects.get()
    response = client.post(
        change_url(article),
        story_form(article=article, headline="Crash ends the battle.", slug="crash"),
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Saved the changes to “Crash ends the battle.”"
    ]


@pytest.mark.django_db
def test_a_refusal_links_to_the_field_the_fix_is_made_in(client, editor):
    response = client.post(
        ADD, story_form((AuthorFactory(), 0), _schedule="Save and schedule"), follow=True
    )
    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        "Saved as a draft; not scheduled because no date and time were given. "
        '<a href="#id_publish_at_0">Choose a time in the future, or publish the story now.</a>'
    )
    assert 'id="id_publish_at_0"' in response.content.decode()

"""story_moved (#15): sent once a transition is committed, for the apps above articles."""

import logging

import pytest

from articles import services, signals
from articles.models import Article
from articles.permissions import SYSTEM
from tests.factories import AuthorFactory, DraftArticleFactory, EditorFactory, ReporterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, **kwargs):
        calls.append({"sender": sender, **kwargs})

    signals.story_moved.connect(receiver, dispatch_uid="test-heard")
    yield calls
    signals.story_moved.disconnect(dispatch_uid="test-heard")


def _story():
    reporter = ReporterFactory()
    return reporter, DraftArticleFactory(
        created_by=reporter, authors=[AuthorFactory(user=reporter)]
    )


def test_sent_after_the_commit_with_the_move(heard, django_capture_on_commit_callbacks):
    reporter, story = _story()
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        services.article_submit(article=story, by=reporter)
    assert heard == []  # not before the commit
    for callback in waiting:
        callback()
    (call,) = heard
    assert call["sender"] is Article and call["article"].pk == story.pk
    assert (call["transition"], call["by"], call["reason"]) == ("submit", reporter, "")


def test_the_reason_and_the_system(heard, django_capture_on_commit_callbacks):
    editor = EditorFactory()
    reporter, story = _story()
    services.article_submit(article=story, by=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_transition(
            article=story, by=editor, name="send_back", reason="  Needs a source.  "
        )
        services.article_publish(article=story, by=SYSTEM)
    assert [(c["transition"], c["by"], c["reason"]) for c in heard] == [
        ("send_back", editor, "Needs a source."),
        ("publish", None, ""),
    ]


def test_a_save_without_a_move_sends_nothing(heard, django_capture_on_commit_callbacks):
    reporter, story = _story()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=story, by=reporter, changes={"headline": "New words"})
    assert heard == []


def test_a_failing_receiver_is_logged_and_the_move_stands(
    heard, django_capture_on_commit_callbacks, caplog
):
    def broken(sender, **kwargs):
        raise RuntimeError("the receiver broke")

    signals.story_moved.connect(broken, dispatch_uid="test-broken")
    reporter, story = _story()
    try:
        with caplog.at_level(logging.ERROR, logger="articles.services"):
            with django_capture_on_commit_callbacks(execute=True):
                services.article_submit(article=story, by=reporter)
    finally:
        signals.story_moved.disconnect(dispatch_uid="test-broken")
    assert Article.objects.get(pk=story.pk).status == Article.Status.REVIEW
    assert len(heard) == 1  # the other receivers still heard it
    assert "A receiver of story_moved failed" in caplog.text

"""The story's life is written once, in articles/workflow.py (#12): the form's buttons, the
list's actions and the services all follow the table, for every state and role."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from articles import services, workflow
from articles.admin import ArticleAdmin
from articles.workflow import State
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ReviewArticleFactory,
    ScheduledArticleFactory,
    WithdrawnArticleFactory,
)

from .workflow_http import change_url, login

pytestmark = pytest.mark.django_db

FACTORIES = {
    State.DRAFT: DraftArticleFactory,
    State.REVIEW: ReviewArticleFactory,
    State.SCHEDULED: ScheduledArticleFactory,
    State.LIVE: PublishedArticleFactory,
    State.WITHDRAWN: WithdrawnArticleFactory,
}


def buttons(html: str) -> set[str]:
    """The workflow's buttons on a story form: submit inputs and the confirm-first links."""
    names = set(re.findall(r'<input type="submit" value="[^"]*" name="(_\w+)"', html))
    names |= {f"_{name}" for name in re.findall(r'class="button workflow-(\w+)"', html)}
    return names & workflow.BUTTONS


def make_story(state, owner):
    author = AuthorFactory(user=owner)
    return FACTORIES[state](created_by=owner, authors=[author])


@pytest.mark.slow
@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_the_form_offers_exactly_the_tables_transitions(state, role):
    user = ReporterFactory() if role == "reporter" else EditorFactory()
    story = make_story(state, user)
    expected = {t.button for t in workflow.offered(user, story)}
    html = login(user).get(change_url(story)).content.decode()
    assert buttons(html) == expected
    # And what the table says, in words: reporters never publish; nobody publishes a live
    # story anew, or withdraws one that isn't live.
    if role == "reporter":
        assert not expected & {"_publish", "_schedule", "_withdraw", "_publish_changes"}
    assert ("_withdraw" in expected) == (role == "editor" and state == State.LIVE)
    # Sending back (#15) is an editor's, from review only.
    assert ("_send_back" in expected) == (role == "editor" and state == State.REVIEW)


def test_the_list_actions_are_the_tables():
    table = {f"{t.name}_selected" for t in workflow.bulk_actions()}
    assert set(ArticleAdmin.actions) == table | {"trash_selected"}
    for transition in workflow.bulk_actions():
        action = getattr(ArticleAdmin, f"{transition.name}_selected")
        assert action.short_description == transition.action


@pytest.mark.parametrize("name", sorted(workflow.EDITOR_ONLY))
def test_a_reporter_posting_an_editors_button_is_refused(name):
    reporter = ReporterFactory()
    story = make_story(State.DRAFT, reporter)
    response = login(reporter).post(change_url(story), {f"_{name}": "1", "headline": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("name", sorted(workflow.NAMES))
def test_the_service_makes_only_what_the_table_allows(state, name):
    editor = EditorFactory()
    story = make_story(state, editor)
    allowed = workflow.find(name, state)
    if allowed is not None and not workflow.may(editor, allowed, story):
        # Rows for reporters only (a story in review an editor sends back instead, #15).
        assert allowed.roles == workflow.REPORTERS
        with pytest.raises(PermissionDenied):
            services.article_save(article=story, by=editor, transition=name)
        return
    try:
        result = services.article_save(
            article=story, by=editor, transition=name, reason="Legal advice."
        )
    except ValidationError as error:
        assert allowed is None, error
        assert "can't be" in " ".join(error.messages)
        return
    assert allowed is not None
    # Made, or refused for a reason of the story's own (a time to give), never silently; with
    # no changes waiting, publishing the changes has nothing to do.
    nothing_to_publish = name == "publish_changes" and not result.saved
    assert result.made == allowed or result.refused or nothing_to_publish


def test_who_may_is_the_tables():
    reporter, other = ReporterFactory(), ReporterFactory()
    own = make_story(State.REVIEW, reporter)
    theirs = make_story(State.REVIEW, other)
    to_draft = workflow.find("to_draft", State.REVIEW)
    assert workflow.may(reporter, to_draft, own)
    assert not workflow.may(reporter, to_draft, theirs)
    with pytest.raises(PermissionDenied):
        services.article_transition(article=theirs, by=reporter, name="to_draft")
    unschedule = workflow.find("to_draft", State.SCHEDULED)
    assert unschedule.roles == workflow.EDITORS
    assert workflow.may(services.SYSTEM, unschedule, own)


def test_every_transition_has_its_words():
    for transition in workflow.TRANSITIONS:
        assert transition.label and transition.verb and transition.log and transition.done
        assert transition.sources and transition.roles
        if transition.confirm:
            # The page that asks first is the form's link (submit_line.html).
            assert reverse(transition.page, args=[1])
        if transition.needs_reason:
            # Each says who reads the reason (#15), not the withdrawal's words for all.
            assert transition.reason_missing.startswith("Say why")
            assert transition.reason_missing != workflow.Transition.reason_missing
    assert reverse("admin:articles_article_withdraw", args=[1])


def test_each_reason_is_asked_in_its_own_words():
    editor = EditorFactory()
    for name, state, words in [
        ("withdraw", State.LIVE, "corrections page"),
        ("send_back", State.REVIEW, "the reporter reads your note"),
    ]:
        story = make_story(state, ReporterFactory())
        with pytest.raises(ValidationError) as refused:
            services.article_save(article=story, by=editor, transition=name, reason="  ")
        assert words in " ".join(refused.value.messages)

"""A planned story's byline (#15 follow-up): while it is empty, planning or reassigning the
story fills it with the assignees' author profiles, through the story's service, so the writer
submits without adding their own. A byline someone chose is never rewritten, nor is a story
someone has open on the form; assignees with no author profile have no place in it."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles import editing
from articles import services as story_services
from articles.models import Article
from planning import services
from tests.articles.workflow_http import login, page_form, submit
from tests.factories import AuthorFactory, EditorFactory, ReporterFactory
from tests.planning.factories import planned

pytestmark = pytest.mark.django_db

REASSIGN = reverse("admin:planning_plan_reassign")


def byline(story) -> list[str]:
    return list(story.bylines.order_by("position").values_list("author__name", flat=True))


@pytest.fixture
def desk():
    """An editor, two reporters with author profiles and one (a freelancer's login) without."""
    rita, omar, nobody = ReporterFactory.create_batch(3)
    AuthorFactory(user=rita, name="Rita Reporter")
    AuthorFactory(user=omar, name="Omar Other")
    AuthorFactory(name="Rita Reporter's namesake")  # No account: never picked.
    return EditorFactory(), rita, omar, nobody


class PlannedBylineTests:
    def test_planning_puts_the_assignees_in_the_byline_in_their_order(self, desk):
        editor, rita, omar, nobody = desk
        plan = planned(by=editor, assignees=[omar, nobody, rita])
        story = Article.objects.get(pk=plan.pk)
        assert byline(story) == ["Omar Other", "Rita Reporter"]
        # Still one save of the story: one revision, one log entry.
        assert story.revisions.count() == 1
        assert LogEntry.objects.filter(object_id=str(story.pk)).count() == 1

    def test_no_assignee_or_none_with_a_profile_leaves_it_empty(self, desk):
        editor, _, _, nobody = desk
        assert byline(planned(by=editor).article) == []
        assert byline(planned(by=editor, headline="Other", assignees=[nobody]).article) == []

    def test_the_assignee_submits_without_adding_a_byline(self, desk):
        editor, rita, _, _ = desk
        plan = planned(by=editor, assignees=[rita])
        url = reverse("admin:articles_article_change", args=[plan.pk])
        client = login(rita)
        data = page_form(client.get(url), body="<p>The council voted.</p>", _submit="1")
        response = submit(client, url, data)
        assert response.status_code == 302
        story = Article.objects.get(pk=plan.pk)
        assert story.status == Article.Status.REVIEW and byline(story) == ["Rita Reporter"]


class ReassignedBylineTests:
    def test_an_empty_byline_gets_the_new_assignees(self, desk):
        editor, rita, omar, nobody = desk
        plan = planned(by=editor, assignees=[nobody])
        response = submit(login(editor), REASSIGN, {"plan": plan.pk, "assignees": [rita.pk]})
        assert response.status_code == 302
        story = Article.objects.get(pk=plan.pk)
        assert byline(story) == ["Rita Reporter"]
        assert story.revisions.order_by("pk").last().comment == "Byline from the assignees"

    def test_a_chosen_byline_is_never_rewritten(self, desk):
        editor, rita, omar, _ = desk
        plan = planned(by=editor, assignees=[rita])
        services.plan_reassign(plan=plan, by=editor, assignees=[omar])
        assert byline(plan.article) == ["Rita Reporter"]  # The editor changes it on the form.
        chosen = AuthorFactory(name="Agency staff")
        story_services.article_save(article=plan.article, by=editor, authors=[chosen])
        services.plan_reassign(plan=plan, by=editor, assignees=[rita, omar])
        assert byline(plan.article) == ["Agency staff"]

    def test_the_same_assignees_save_nothing_more(self, desk):
        editor, _, _, nobody = desk
        plan = planned(by=editor, assignees=[nobody])
        services.plan_update(plan=plan, by=editor, assignees=[nobody], priority=40)
        assert plan.article.revisions.count() == 1

    def test_a_story_someone_has_open_is_left_to_them(self, desk, settings):
        settings.NEWSROOM_EDIT_LOCKS = True
        editor, rita, omar, nobody = desk
        plan = planned(by=editor, assignees=[nobody])
        story = plan.article
        editing.beat(user=nobody, article=story)
        editing.hold(user=nobody, article=story)
        services.plan_reassign(plan=plan, by=editor, assignees=[nobody, rita])
        assert byline(story) == [] and story.revisions.count() == 1

    def test_a_story_past_draft_is_left_alone(self, desk):
        editor, rita, _, nobody = desk
        plan = planned(by=editor, assignees=[nobody])
        story = plan.article
        Article.objects.filter(pk=story.pk).update(status=Article.Status.REVIEW)
        services.plan_reassign(plan=plan, by=editor, assignees=[rita])
        assert byline(story) == []

"""Planning's services (#15): planning a story makes a draft through articles' service; the
assignees and the deadline tell the apps above articles, after the commit, once."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import services as story_services
from articles.models import Article
from articles.permissions import can_edit, can_view
from articles.signals import assignment_changed, deadline_passed
from planning import services, tasks
from planning.models import Plan
from tests.factories import AuthorFactory, EditorFactory, ReporterFactory
from tests.planning.factories import planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """What the signals said, as a receiver in the notifications app would hear it."""
    said = {"assigned": [], "deadline": []}

    def on_assignment(sender, **kwargs):
        said["assigned"].append({"sender": sender, **kwargs})

    def on_deadline(sender, **kwargs):
        said["deadline"].append({"sender": sender, **kwargs})

    assignment_changed.connect(on_assignment)
    deadline_passed.connect(on_deadline)
    yield said
    assignment_changed.disconnect(on_assignment)
    deadline_passed.disconnect(on_deadline)


@pytest.fixture
def later_jobs(settings):
    """A jobs backend that keeps jobs for later (as the database one does), to look at."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    yield tasks.deadline_check.get_backend()
    tasks.deadline_check.get_backend().clear()


class PlanCreateTests:
    def test_a_planned_story_is_a_draft_with_no_text_and_no_byline(self):
        editor, reporter = EditorFactory(), ReporterFactory()
        plan = planned(
            by=editor, assignees=[reporter], priority=Plan.Priority.HIGH, planned_words=600
        )
        story = Article.objects.get(pk=plan.pk)
        assert story.status == Article.Status.DRAFT
        assert story.headline == "Council votes on the bypass"
        assert story.slug == "council-votes-on-the-bypass"
        assert story.body == "" and not story.bylines.exists()
        assert story.created_by == editor
        # Made through the story's service: one revision, like any story.
        assert story.revisions.count() == 1
        assert list(plan.assignees.all()) == [reporter]
        assert plan.priority == Plan.Priority.HIGH and plan.planned_words == 600

    def test_the_assignee_may_open_and_write_the_story(self):
        reporter, other = ReporterFactory(), ReporterFactory()
        plan = planned(assignees=[reporter])
        story = plan.article
        assert can_view(reporter, story) and can_edit(reporter, story)
        assert not can_view(other, story) and not can_edit(other, story)
        assert Article.objects.owned_by(reporter).filter(pk=story.pk).exists()
        author = AuthorFactory(user=reporter)
        result = story_services.article_save(
            article=story,
            by=reporter,
            changes={"body": "<p>The council voted.</p>"},
            authors=[author],
            transition="submit",
        )
        assert result.made is not None and result.article.status == Article.Status.REVIEW

    def test_a_reporter_taken_off_the_story_no_longer_sees_it(self):
        editor, rita, omar = EditorFactory(), ReporterFactory(), ReporterFactory()
        plan = planned(by=editor, assignees=[rita])
        services.plan_reassign(plan=plan, by=editor, assignees=[omar])
        assert not can_view(rita, plan.article) and can_edit(omar, plan.article)

    def test_reporters_cannot_plan(self):
        with pytest.raises(PermissionDenied):
            planned(by=ReporterFactory())
        assert not Article.objects.exists()

    def test_a_plan_out_of_range_is_refused_and_nothing_is_saved(self):
        with pytest.raises(ValidationError):
            planned(planned_words=10**6)
        assert not Article.objects.exists() and not Plan.objects.exists()


class AssignmentSignalTests:
    def test_planning_with_assignees_tells_after_the_commit(
        self, heard, django_capture_on_commit_callbacks
    ):
        editor, rita, omar = EditorFactory(), ReporterFactory(), ReporterFactory()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            plan = planned(by=editor, assignees=[rita, omar])
        assert heard["assigned"] == []  # Nothing before the commit.
        for callback in callbacks:
            callback()
        [said] = heard["assigned"]
        assert said["sender"] is Article and said["article"].pk == plan.pk
        assert {u.pk for u in said["added"]} == {rita.pk, omar.pk}
        assert said["removed"] == [] and said["by"] == editor

    def test_reassigning_says_who_was_added_and_who_removed(
        self, heard, django_capture_on_commit_callbacks
    ):
        editor, rita, omar, ines = EditorFactory(), *ReporterFactory.create_batch(3)
        plan = planned(by=editor, assignees=[rita, omar])
        heard["assigned"].clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.plan_reassign(plan=plan, by=editor, assignees=[omar, ines])
        [said] = heard["assigned"]
        assert [u.pk for u in said["added"]] == [ines.pk]
        assert [u.pk for u in said["removed"]] == [rita.pk]
        assert {u.pk for u in plan.assignees.all()} == {omar.pk, ines.pk}

    def test_the_same_assignees_tell_nothing(self, heard, django_capture_on_commit_callbacks):
        editor, rita = EditorFactory(), ReporterFactory()
        plan = planned(by=editor, assignees=[rita])
        heard["assigned"].clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.plan_update(plan=plan, by=editor, assignees=[rita], priority=40)
        assert heard["assigned"] == []

    def test_a_rolled_back_plan_tells_nothing(self, heard, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(ValidationError):
                planned(assignees=[ReporterFactory()], planned_words=0)
        assert heard["assigned"] == []

    def test_reporters_cannot_reassign(self):
        rita, omar = ReporterFactory(), ReporterFactory()
        plan = planned(assignees=[rita])
        with pytest.raises(PermissionDenied):
            services.plan_reassign(plan=plan, by=rita, assignees=[omar])
        assert list(plan.assignees.all()) == [rita]


class DeadlineJobTests:
    def test_the_job_is_queued_for_the_deadline_minute(
        self, later_jobs, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            plan = planned(hours=5)
        [job] = later_jobs.results
        assert job.task.name == "deadline_check" and job.task.run_after == plan.deadline
        assert job.args == [plan.pk, plan.deadline.isoformat()]

    def test_the_database_queue_keeps_the_job_for_the_deadline(
        self, settings, django_capture_on_commit_callbacks
    ):
        """With the queue `make run` uses (django-tasks-db), a worker picks the job up only
        from the deadline minute."""
        from django_tasks_db.models import DBTaskResult

        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        with django_capture_on_commit_callbacks(execute=True):
            plan = planned(hours=2)
        [job] = DBTaskResult.objects.all()
        assert job.task_path == "planning.tasks.deadline_check"
        assert job.run_after == plan.deadline
        assert job.args_kwargs["args"] == [plan.pk, plan.deadline.isoformat()]
        assert not DBTaskResult.objects.ready().exists()  # Not before the deadline.
        with time_machine.travel(plan.deadline + timedelta(seconds=1), tick=False):
            assert DBTaskResult.objects.ready().count() == 1

    def test_a_moved_deadline_queues_a_new_job_and_the_old_one_does_nothing(
        self, later_jobs, heard, django_capture_on_commit_callbacks
    ):
        editor = EditorFactory()
        with django_capture_on_commit_callbacks(execute=True):
            plan = planned(by=editor, hours=1)
            first = plan.deadline
            services.plan_update(plan=plan, by=editor, deadline=first + timedelta(hours=2))
        old, new = later_jobs.results
        assert new.task.run_after == first + timedelta(hours=2)
        with time_machine.travel(first + timedelta(minutes=1), tick=False):
            assert tasks.deadline_check.call(*old.args) is False
        with time_machine.travel(first + timedelta(hours=2, minutes=1), tick=False):
            assert tasks.deadline_check.call(*new.args) is True
        [said] = heard["deadline"]
        assert said["sender"] is Article and said["article"].pk == plan.pk
        assert said["deadline"] == first + timedelta(hours=2)

    def test_an_unchanged_plan_queues_no_second_job(
        self, later_jobs, django_capture_on_commit_callbacks
    ):
        editor = EditorFactory()
        with django_capture_on_commit_callbacks(execute=True):
            plan = planned(by=editor)
            services.plan_update(plan=plan, by=editor, brief="Call the mayor.")
        assert len(later_jobs.results) == 1

    def test_it_tells_once_and_only_of_a_story_not_submitted(self, heard):
        plan = planned(hours=1)
        args = (plan.pk, plan.deadline.isoformat())
        with time_machine.travel(plan.deadline - timedelta(minutes=1), tick=False):
            assert tasks.deadline_check.call(*args) is False  # Not yet.
        with time_machine.travel(plan.deadline + timedelta(seconds=5), tick=False):
            assert tasks.deadline_check.call(*args) is True
            assert tasks.deadline_check.call(*args) is False  # Run twice: told once.
        assert len(heard["deadline"]) == 1

    def test_a_submitted_story_is_not_overdue(self, heard):
        reporter = ReporterFactory()
        plan = planned(assignees=[reporter], hours=1)
        story_services.article_save(
            article=plan.article,
            by=reporter,
            changes={"body": "<p>Done.</p>"},
            authors=[AuthorFactory(user=reporter)],
            transition="submit",
        )
        with time_machine.travel(plan.deadline + timedelta(minutes=1), tick=False):
            assert tasks.deadline_check.call(plan.pk, plan.deadline.isoformat()) is False
        assert heard["deadline"] == []

    def test_a_story_gone_or_trashed_tells_nothing(self, heard):
        plan = planned(hours=1)
        story_services.article_trash(article=plan.article, by=EditorFactory())
        with time_machine.travel(plan.deadline + timedelta(minutes=1), tick=False):
            assert tasks.deadline_check.call(plan.pk, plan.deadline.isoformat()) is False
            assert tasks.deadline_check.call(10**9, plan.deadline.isoformat()) is False
            assert tasks.deadline_check.call(plan.pk, "not a time") is False
        assert heard["deadline"] == []

    def test_the_immediate_backend_queues_no_job_for_later(self, caplog):
        # The suite's backend runs jobs at once: a deadline job only means something later.
        plan = planned(hours=1)
        assert plan.deadline > timezone.now()
        assert "Could not enqueue" not in caplog.text

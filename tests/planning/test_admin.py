"""Planning in the admin (#15), through real HTTP: an editor plans a story, its reporter finds
it in "My assignments" and writes it through the story form; the day's plan lists stories by
section and deadline, with filters, and reassigns them; reporters can't plan or reassign."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from planning.models import Plan
from tests.articles.workflow_http import add_byline, login, page_form, submit
from tests.factories import AuthorFactory, EditorFactory, ReporterFactory, SectionFactory
from tests.planning.factories import planned

pytestmark = pytest.mark.django_db

ADD = reverse("admin:planning_plan_add")
DAY = reverse("admin:planning_plan_changelist")
REASSIGN = reverse("admin:planning_plan_reassign")
INDEX = reverse("admin:index")


def story_url(pk):
    return reverse("admin:articles_article_change", args=[pk])


def plan_url(pk):
    return reverse("admin:planning_plan_change", args=[pk])


@pytest.fixture
def people():
    editor = EditorFactory(username="eddie", first_name="Eddie", last_name="Editor")
    rita = ReporterFactory(username="rita", first_name="Rita", last_name="Reporter")
    omar = ReporterFactory(username="omar", first_name="Omar", last_name="Other")
    return editor, rita, omar


def plan_form(**changes):
    at = timezone.localtime() + timedelta(hours=3)
    data = {
        "headline": "Floods close the ring road",
        "section": "",
        "deadline_0": at.strftime("%Y-%m-%d"),
        "deadline_1": at.strftime("%H:%M"),
        "priority": "30",
        "planned_words": "700",
        "brief": "Talk to the highways agency <b>first</b>.",
    }
    data.update(changes)
    return data


class PlanAStoryTests:
    def test_plan_assign_find_write_submit(self, people):
        editor, rita, _ = people
        news = SectionFactory(name="News")
        desk = login(editor)
        assert desk.get(ADD).status_code == 200
        response = submit(
            desk, ADD, plan_form(section=str(news.pk), assignees=[str(rita.pk)], _save="1")
        )
        assert response.status_code == 302 and response["Location"] == DAY
        plan = Plan.objects.get()
        story = plan.article
        assert story.headline == "Floods close the ring road" and story.section == news
        assert story.status == Article.Status.DRAFT and story.body == ""
        assert plan.priority == Plan.Priority.HIGH and plan.planned_words == 700
        assert list(plan.assignees.all()) == [rita]
        assert plan.deadline.tzinfo is not None

        # The reporter finds it in "My assignments", with its deadline in words.
        reporter = login(rita)
        page = reporter.get(INDEX).content.decode().replace("\xa0", " ")
        assert "My assignments" in page
        assert "Floods close the ring road" in page and story_url(story.pk) in page
        assert "due in 2 hours" in page or "due in 3 hours" in page

        # The story form shows the plan, read-only, with the brief escaped.
        form_page = reporter.get(story_url(story.pk))
        html = form_page.content.decode().replace("\xa0", " ")
        assert "The plan" in html and "Talk to the highways agency &lt;b&gt;first" in html
        assert "700 words" in html and "High" in html
        assert plan_url(story.pk) not in html  # Only editors change it.

        # …and writes it there, with their byline, and submits it.
        author = AuthorFactory(user=rita, name="Rita Reporter")
        data = add_byline(
            page_form(form_page, body="<p>The ring road is shut.</p>", _submit="1"), author
        )
        response = submit(reporter, story_url(story.pk), data)
        assert response.status_code == 302, response.content.decode().replace("\xa0", " ")[:2000]
        story.refresh_from_db()
        assert story.status == Article.Status.REVIEW
        assert "ring road is shut" in story.body

    def test_the_form_draws_the_deadlines_calendar_and_clock(self, people):
        """widgets.css draws the icons of the deadline's calendar and clock, without which
        "Today |" led nowhere visible."""
        editor, rita, _ = people
        plan = planned(by=editor, assignees=[rita])
        desk = login(editor)
        for url in (ADD, plan_url(plan.pk)):
            assert "/static/admin/css/widgets.css" in desk.get(url).content.decode(), url

    def test_bad_input_is_a_form_error(self, people):
        editor, _, _ = people
        desk = login(editor)
        response = submit(
            desk,
            ADD,
            plan_form(
                headline="   ",
                deadline_0="31/02/2026",
                priority="99",
                planned_words="-4",
                assignees=["999999", "abc"],
                section="nope",
            ),
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert set(errors) == {
            "headline",
            "deadline",
            "priority",
            "planned_words",
            "assignees",
            "section",
        }
        assert not Article.objects.exists()

    def test_reporters_cannot_plan(self, people):
        _, rita, _ = people
        reporter = login(rita)
        assert reporter.get(ADD).status_code == 403
        assert submit(reporter, ADD, plan_form()).status_code == 403
        assert reporter.get(DAY).status_code == 403
        assert not Article.objects.exists()
        assert "Plan a story" not in reporter.get(INDEX).content.decode().replace("\xa0", " ")


class PlanChangeTests:
    def test_editors_change_the_plan(self, people):
        editor, rita, omar = people
        plan = planned(by=editor, assignees=[rita])
        desk = login(editor)
        page = desk.get(story_url(plan.pk)).content.decode().replace("\xa0", " ")
        assert plan_url(plan.pk) in page
        response = desk.get(plan_url(plan.pk))
        assert response.status_code == 200
        data = plan_form(assignees=[str(omar.pk)], priority="40", brief="New angle.")
        data.pop("headline")
        response = submit(desk, plan_url(plan.pk), data)
        assert response.status_code == 302
        plan.refresh_from_db()
        assert list(plan.assignees.all()) == [omar] and plan.priority == 40
        assert plan.brief == "New angle."

    def test_an_assignee_reads_the_plan_and_cannot_change_it(self, people):
        editor, rita, omar = people
        plan = planned(by=editor, assignees=[rita], brief="Call the council.")
        reporter = login(rita)
        response = reporter.get(plan_url(plan.pk))
        assert response.status_code == 200
        assert "Call the council." in response.content.decode().replace("\xa0", " ")
        assert '<form method="post"' not in response.content.decode().replace("\xa0", " ")
        data = plan_form(assignees=[str(omar.pk)])
        assert submit(reporter, plan_url(plan.pk), data).status_code == 403
        assert login(omar).get(plan_url(plan.pk)).status_code == 403
        assert list(plan.assignees.all()) == [rita]

    @pytest.mark.parametrize("pk", ["0", "abc", str(2**70), "999999"])
    def test_no_such_plan_is_404(self, people, pk):
        assert login(people[0]).get(f"{DAY}{pk}/change/").status_code == 404


class MyAssignmentsTests:
    def test_overdue_and_soonest_first_with_words_and_time(self, people):
        editor, rita, omar = people
        planned(by=editor, headline="Later story", assignees=[rita], hours=30)
        planned(by=editor, headline="Late story", assignees=[rita], hours=-2)
        planned(by=editor, headline="Soon story", assignees=[rita], hours=3)
        planned(by=editor, headline="Not mine", assignees=[omar], hours=1)
        page = login(rita).get(INDEX).content.decode().replace("\xa0", " ")
        late, soon, later = (page.index(h) for h in ("Late story", "Soon story", "Later story"))
        assert late < soon < later
        assert "Not mine" not in page
        assert "overdue by 2 hours" in page or "overdue by 1 hour" in page
        assert "due in 1 day" in page

    def test_a_fixed_number_of_queries(self, people):
        editor, rita, _ = people
        reporter = login(rita)

        def count():
            reporter.get(INDEX)  # Warm the session and caches.
            with CaptureQueriesContext(connection) as queries:
                assert reporter.get(INDEX).status_code == 200
            return len(queries)

        planned(by=editor, headline="One", assignees=[rita])
        few = count()
        for n in range(8):
            planned(by=editor, headline=f"More {n}", assignees=[rita, editor], hours=n)
        assert count() == few

    def test_editors_see_what_is_due_today_on_the_desk(self, people):
        editor, rita, omar = people
        zone = timezone.get_default_timezone()
        morning = datetime.combine(timezone.localdate(), datetime.min.time(), zone)
        with time_machine.travel(morning + timedelta(hours=9), tick=False):
            planned(by=editor, headline="Overdue one", assignees=[rita], hours=-30)
            planned(by=editor, headline="Due this evening", assignees=[omar], hours=8)
            planned(by=editor, headline="Due tomorrow", assignees=[rita], hours=20)
            desk = login(editor)
            page = desk.get(INDEX).content.decode().replace("\xa0", " ")
            # The desk's "Planning" box (its other lists show the editor's drafts).
            page = page[page.index('id="desk-plan-title"') :]
            page = page[: page.index("</section>")]
            assert page.index("Overdue one") < page.index("Due this evening")
            assert "Due tomorrow" not in page
            assert "Omar Other" in page

            def count():
                with CaptureQueriesContext(connection) as queries:
                    desk.get(INDEX)
                return len(queries)

            few = count()
            for n in range(6):
                planned(by=editor, headline=f"Also today {n}", assignees=[rita, omar], hours=2)
            assert count() == few


class DayPlanTests:
    def test_by_section_and_deadline_with_filters(self, people):
        editor, rita, omar = people
        news, sport = SectionFactory(name="News", order=1), SectionFactory(name="Sport", order=2)
        zone = timezone.get_default_timezone()
        noon = datetime.combine(timezone.localdate(), datetime.min.time(), zone) + timedelta(
            hours=12
        )
        with time_machine.travel(noon - timedelta(hours=4), tick=False):
            planned(
                by=editor, headline="Match report", section=sport, deadline=noon, assignees=[omar]
            )
            planned(
                by=editor,
                headline="Budget early",
                section=news,
                deadline=noon - timedelta(hours=2),
                assignees=[rita],
                priority=40,
            )
            planned(
                by=editor,
                headline="Budget late",
                section=news,
                deadline=noon + timedelta(hours=3),
                assignees=[rita, omar],
            )
            planned(
                by=editor,
                headline="Tomorrow's",
                section=news,
                deadline=noon + timedelta(days=1),
                assignees=[rita],
            )
            desk = login(editor)
            page = desk.get(DAY).content.decode().replace("\xa0", " ")
            order = [page.index(h) for h in ("Budget early", "Budget late", "Match report")]
            assert order == sorted(order)
            assert "Tomorrow&#x27;s" not in page and "Tomorrow's" not in page
            tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
            assert "Tomorrow" in desk.get(f"{DAY}?day={tomorrow}").content.decode().replace(
                "\xa0", " "
            )

            def shown(query):
                text = desk.get(f"{DAY}?{query}").content.decode().replace("\xa0", " ")
                return {h for h in ("Budget early", "Budget late", "Match report") if h in text}

            assert shown(f"section={sport.pk}") == {"Match report"}
            assert shown(f"assignee={rita.pk}") == {"Budget early", "Budget late"}
            assert shown("priority=40") == {"Budget early"}
            assert shown("state=review") == set()
            assert shown("state=draft") == {"Budget early", "Budget late", "Match report"}

    @pytest.mark.parametrize(
        "query", ["day=2026-13-45", "section=abc", "assignee=99999999", "priority=7", "state=x"]
    )
    def test_bad_filters_are_form_errors(self, people, query):
        planned(by=people[0], headline="Budget")
        response = login(people[0]).get(f"{DAY}?{query}")
        assert response.status_code == 200
        assert response.context["filters"].errors
        assert "Some filters are not valid" in response.content.decode().replace("\xa0", " ")

    def test_reassign_without_opening_the_story(self, people):
        editor, rita, omar = people
        plan = planned(by=editor, headline="Budget", assignees=[rita])
        desk = login(editor)
        back = f"{DAY}?priority=20"
        response = submit(
            desk, REASSIGN, {"plan": plan.pk, "assignees": [omar.pk, editor.pk], "next": back}
        )
        assert response.status_code == 302 and response["Location"] == back
        assert {u.pk for u in plan.assignees.all()} == {omar.pk, editor.pk}
        assert "Budget" in login(omar).get(INDEX).content.decode().replace("\xa0", " ")
        assert "Budget" not in login(rita).get(INDEX).content.decode().replace("\xa0", " ")

    def test_each_cell_names_its_column_for_a_phone(self, people):
        """On a narrow screen the headings are hidden and the cells stacked: each cell carries
        its column's name, which the stylesheet shows before it ("Priority: Urgent")."""
        editor, rita, _ = people
        at = timezone.localtime().replace(hour=23, minute=0)
        planned(by=editor, headline="Budget", assignees=[rita], deadline=at, priority=40)
        html = login(editor).get(DAY).content.decode()
        for label, value in [("Priority", "Urgent"), ("State", "Draft")]:
            assert f'<td data-label="{label}">{value}</td>' in html
        assert '<td data-label="Deadline">' in html and '<td data-label="Length">' in html

    @pytest.mark.parametrize(
        "data",
        [
            {"plan": "abc", "assignees": ["1"]},
            {"plan": "999999"},
            {"assignees": ["abc"]},
            {"next": "https://evil.example/"},
        ],
    )
    def test_bad_reassignments_change_nothing(self, people, data):
        editor, rita, _ = people
        plan = planned(by=editor, headline="Budget", assignees=[rita])
        data = {"plan": plan.pk, "assignees": [rita.pk], **data}
        response = submit(login(editor), REASSIGN, data)
        assert response.status_code == 302
        assert response["Location"].startswith(DAY)
        assert list(plan.assignees.all()) == [rita]

    def test_reporters_cannot_reassign(self, people):
        editor, rita, omar = people
        plan = planned(by=editor, assignees=[rita])
        reporter = login(rita)
        response = submit(reporter, REASSIGN, {"plan": plan.pk, "assignees": [omar.pk]})
        assert response.status_code == 403
        assert reporter.get(REASSIGN).status_code == 405
        assert list(plan.assignees.all()) == [rita]

    def test_a_fixed_number_of_queries(self, people):
        editor, rita, omar = people
        desk = login(editor)

        def count():
            desk.get(DAY)
            with CaptureQueriesContext(connection) as queries:
                assert desk.get(DAY).status_code == 200
            return len(queries)

        day_end = timezone.localtime().replace(hour=23, minute=50)
        planned(by=editor, headline="One", deadline=day_end, assignees=[rita])
        few = count()
        for n in range(10):
            section = SectionFactory(name=f"Desk {n % 3}")
            planned(
                by=editor,
                headline=f"More {n}",
                section=section,
                deadline=day_end,
                assignees=[rita, omar],
            )
        assert count() == few


class TimeZoneTests:
    """Every time says its zone (#15): a desk in New York reads EST, or EDT in summer."""

    def test_times_name_the_newsroom_zone(self, people, settings):
        settings.TIME_ZONE = "America/New_York"
        editor, rita, _ = people
        winter = datetime(2031, 1, 15, 9, 0, tzinfo=ZoneInfo("America/New_York"))
        with time_machine.travel(winter - timedelta(hours=5), tick=False):
            plan = planned(by=editor, deadline=winter, assignees=[rita])
            page = login(rita).get(INDEX).content.decode().replace("\xa0", " ")
            assert "15 Jan 2031, 09:00 EST" in page
            day = login(editor).get(f"{DAY}?day=2031-01-15").content.decode().replace("\xa0", " ")
            assert "15 Jan 2031, 09:00 EST" in day and "times in EST" in day
            form = login(editor).get(plan_url(plan.pk)).content.decode().replace("\xa0", " ")
            assert "Times are in America/New_York (EST)." in form
            story = login(editor).get(story_url(plan.pk)).content.decode().replace("\xa0", " ")
            assert "15 Jan 2031, 09:00 EST" in story
            # The form's "Schedule for" input, and its read-only times (Bookkeeping).
            assert "Times are in America/New_York (EST)." in story
            assert "15 Jan 2031, 04:00 EST" in story  # Created, five hours before.
            # The story list and the revisions.
            listing = login(editor).get(reverse("admin:articles_article_changelist"))
            assert "15 Jan, 04:00 EST" in listing.content.decode().replace("\xa0", " ")
            slot = login(editor).get(reverse("admin:articles_frontpageslot_add"))
            assert "Times are in America/New_York (EST)." in slot.content.decode()
            revisions = reverse("admin:articles_article_revisions", args=[plan.pk])
            assert "15 Jan 2031, 04:00:00 EST" in login(editor).get(revisions).content.decode()
        summer = datetime(2031, 7, 15, 9, 0, tzinfo=ZoneInfo("America/New_York"))
        with time_machine.travel(summer - timedelta(hours=5), tick=False):
            planned(by=editor, headline="Summer", deadline=summer, assignees=[rita])
            assert "15 Jul 2031, 09:00 EDT" in login(rita).get(INDEX).content.decode().replace(
                "\xa0", " "
            )

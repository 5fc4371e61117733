"""Planning in a real browser (#15): an editor plans a story for a reporter, the reporter finds
it in "My assignments" with its deadline and opens it to write; the editor reassigns it from
the day's plan. With and without JavaScript the forms are plain forms; axe finds nothing on
the new pages."""

import pytest
from playwright.sync_api import expect

from planning.models import Plan
from tests.browser.helpers import SCREENSHOTS, axe_problems, axe_report, log_in
from tests.factories import EditorFactory, ReporterFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_plans_a_story_and_the_reporter_finds_it(live_server, browser):
    SectionFactory(name="News")
    editor = EditorFactory(username="eddie", first_name="Eddie", last_name="Editor")
    reporter = ReporterFactory(username="rita", first_name="Rita", last_name="Reporter")
    other = ReporterFactory(username="omar", first_name="Omar", last_name="Other")

    context, page = log_in(browser, live_server, editor)
    page.get_by_role("link", name="Plan a story").first.click()
    expect(page.get_by_role("heading", name="Plan a story")).to_be_visible()
    page.get_by_label("Working headline").fill("Floods close the ring road")
    page.get_by_label("Section").select_option(label="News")
    page.get_by_role("checkbox", name="Rita Reporter").check()
    page.get_by_label("Deadline: date").fill("2099-01-01")
    page.get_by_label("Deadline: time").fill("16:30")
    page.get_by_label("Priority").select_option(label="Urgent")
    page.get_by_label("Planned length (words)").fill("600")
    page.get_by_label("Notes for the writer").fill("Call the highways agency first.")
    expect(page.get_by_text("Times are in")).to_be_visible()
    page.get_by_role("button", name="Plan the story", exact=True).click()
    expect(
        page.get_by_text("Planned “Floods close the ring road” (assigned to Rita")
    ).to_be_visible()
    plan = Plan.objects.get()

    # The day's plan of that day, and reassigning from it without opening the story.
    page.goto(f"{live_server.url}/admin/planning/plan/?day=2099-01-01")
    row = page.locator("tr", has_text="Floods close the ring road")
    expect(row).to_contain_text("Urgent")
    expect(row).to_contain_text("1 Jan 2099, 16:30")
    page.screenshot(path=SCREENSHOTS / "planning-day-plan.png", full_page=True)
    row.get_by_label("Assignees of “Floods close the ring road”").select_option(
        label=["Rita Reporter", "Omar Other"]
    )
    row.get_by_role("button", name="Reassign").click()
    expect(page.get_by_text("is assigned to")).to_be_visible()
    assert {u.pk for u in plan.assignees.all()} == {reporter.pk, other.pk}
    context.close()

    # The reporter finds it on the desk and opens it to write.
    context, page = log_in(browser, live_server, reporter)
    assignments = page.get_by_role("region", name="My assignments")
    expect(assignments).to_contain_text("Floods close the ring road")
    expect(assignments).to_contain_text("due in")
    page.screenshot(path=SCREENSHOTS / "planning-my-assignments.png", full_page=True)
    assignments.get_by_role("link", name="Floods close the ring road").click()
    brief = page.get_by_role("region", name="The plan")
    expect(brief).to_contain_text("Call the highways agency first.")
    expect(brief).to_contain_text("600 words")
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "planning-story-form.png", full_page=True)
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_planning_pages_have_no_axe_violations(live_server, browser, width):
    from django.utils import timezone

    from planning import services

    editor = EditorFactory()
    reporter = ReporterFactory(first_name="Rita", last_name="Reporter")
    plan = services.plan_create(
        by=editor,
        headline="Budget day",
        section=SectionFactory(name="News"),
        assignees=[reporter],
        deadline=timezone.localtime().replace(hour=23, minute=0),
        brief="Numbers first.",
    )
    admin = f"{live_server.url}/admin"
    pages = {
        "desk": f"{admin}/",
        "plan a story": f"{admin}/planning/plan/add/",
        "day's plan": f"{admin}/planning/plan/",
        "plan": f"{admin}/planning/plan/{plan.pk}/change/",
    }
    problems = {}
    for user, names in ((editor, pages), (reporter, {"desk": pages["desk"]})):
        context, page = log_in(browser, live_server, user)
        found = axe_problems(page, names, width)
        problems.update({f"{name} ({user.username})": report for name, report in found.items()})
        context.close()
    assert not problems, axe_report(problems)

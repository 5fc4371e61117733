"""`make run`'s planned stories (#15): the demo reporter has assignments, one overdue, and the
demo editor a day's plan; a second run adds nothing."""

from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from planning.models import Plan
from tests.articles.workflow_http import login
from tests.factories import EditorFactory, ReporterFactory, SectionFactory

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("load_demo_plans", stdout=out)
    return out.getvalue()


# At 09:00, so that the plans due in 3 and 6 hours fall on the day's plan of today.
@time_machine.travel(datetime(2031, 3, 4, 9, 0, tzinfo=UTC), tick=False)
def test_the_demo_desk_has_a_plan():
    for name in ("City", "Education", "Sport", "Culture"):
        SectionFactory(name=name)
    reporter, editor = ReporterFactory(username="reporter"), EditorFactory(username="editor")
    assert "4 new planned stories" in run()
    assert Plan.objects.count() == 4
    assert all(plan.article.section for plan in Plan.objects.select_related("article"))
    assert Plan.objects.assigned_to(reporter).count() == 3
    page = login(reporter).get(reverse("admin:index")).content.decode().replace("\xa0", " ")
    assert "Harbour bridge closes for repairs" in page and "overdue by" in page
    plan_page = login(editor).get(reverse("admin:planning_plan_changelist"))
    assert "School meals budget" in plan_page.content.decode()
    assert "nothing to add" in run() and Plan.objects.count() == 4

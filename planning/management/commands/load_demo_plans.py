"""python manage.py load_demo_plans: a few planned stories for the demo desk (#15).

`make run` runs it after making the demo logins, so the reporter finds assignments on their
desk and the editor a day's plan: one overdue, some due today, one tomorrow. Idempotent: a
plan whose working headline is planned already is left alone.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Section
from articles.permissions import SYSTEM

from ...models import Plan
from ...services import plan_create

# (working headline, section, assignees' usernames, hours from now, priority, words, brief)
DEMO_PLANS = [
    (
        "Harbour bridge closes for repairs",
        "City",
        ["reporter"],
        -1,
        Plan.Priority.URGENT,
        400,
        "The council's notice went up this morning. How long, what diversions, what it "
        "costs the ferry operators.",
    ),
    (
        "School meals budget: what the cuts mean",
        "Education",
        ["reporter"],
        3,
        Plan.Priority.HIGH,
        800,
        "Talk to two head teachers and the parents' association; the figures are in the "
        "budget papers, page 14.",
    ),
    (
        "Derby preview",
        "Sport",
        ["reporter", "editor"],
        6,
        Plan.Priority.NORMAL,
        600,
        "Team news from both press conferences; the last five meetings.",
    ),
    (
        "Gallery reopens after the flood",
        "Culture",
        [],
        27,
        Plan.Priority.LOW,
        500,
        "Photographer booked for 10:00 tomorrow.",
    ),
]


class Command(BaseCommand):
    help = "Plans a few demo stories with assignees and deadlines (running it again adds nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        users = {user.username: user for user in get_user_model().objects.all()}
        sections = {section.name: section for section in Section.objects.all()}
        planned = set(Plan.objects.values_list("article__headline", flat=True))
        now = timezone.now().replace(second=0, microsecond=0)
        new = 0
        for headline, section, people, hours, priority, words, brief in DEMO_PLANS:
            if headline in planned:
                continue
            plan_create(
                by=SYSTEM,
                headline=headline,
                section=sections.get(section),
                assignees=[users[name] for name in people if name in users],
                deadline=now + timedelta(hours=hours),
                priority=priority,
                planned_words=words,
                brief=brief,
            )
            new += 1
        self.stdout.write(
            f"Demo plans: {new} new planned stories ({'loaded' if new else 'nothing to add'})."
        )

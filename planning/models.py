"""A story's plan (#15): who writes it, by when, how long, how urgent, and the brief.

A plan belongs to one story (its primary key is the story's), so a story can be planned
before it has any text: the working headline and the section are the story's own fields. The
assignees write it: `assigned_stories()` makes a planned story theirs (articles.models
OWNER_SOURCES), so a reporter may open and write the story an editor planned for them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from articles.models import Article
from newsroom.models import TimeStampedModel, person_field

# Longer than any story the newsroom runs; a typo of an extra zero is refused.
MAX_PLANNED_WORDS = 20_000


class PlanQuerySet(models.QuerySet):
    def open(self):
        """Plans of stories still to be written or reviewed: not published, withdrawn or in
        the trash."""
        return self.filter(
            article__trashed_at__isnull=True,
            article__status__in=[Article.Status.DRAFT, Article.Status.REVIEW],
        )

    def assigned_to(self, user):
        return self.filter(assignees=user)

    def for_desk(self):
        """What the desk's lists show of each plan, in a fixed number of queries."""
        return self.select_related("article", "article__section").prefetch_related("assignees")

    def by_deadline(self):
        """Soonest deadline first; plans with none last."""
        return self.order_by(models.F("deadline").asc(nulls_last=True), "article_id")


class Plan(TimeStampedModel):
    class Priority(models.IntegerChoices):
        # Numbers, so that the day's plan sorts by them: urgent first.
        LOW = 10, "Low"
        NORMAL = 20, "Normal"
        HIGH = 30, "High"
        URGENT = 40, "Urgent"

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="plan"
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="assignments",
        blank=True,
        help_text="Who writes the story: they see it in “My assignments” on the desk, may open "
        "and write it, and are told when they are assigned.",
    )
    deadline = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the story is due for review. If it is not submitted by then, its "
        "assignees and the desk are told.",
    )
    # The deadline whose passing was told (planning/tasks.py): each is told once.
    deadline_told = models.DateTimeField(null=True, blank=True, editable=False)
    priority = models.PositiveSmallIntegerField(
        choices=Priority.choices,
        default=Priority.NORMAL,
        help_text="Urgent stories come first in the day's plan and in “My assignments”.",
    )
    planned_words = models.PositiveIntegerField(
        "planned length",
        null=True,
        blank=True,
        help_text="In words, roughly: 300 for a brief, 800 for a news story, 1,500 for a feature.",
    )
    brief = models.TextField(
        "notes for the writer",
        max_length=4000,
        blank=True,
        help_text="What the story should cover: the angle, who to call, what to check. Only "
        "the newsroom sees it.",
    )
    created_by = person_field("planned by", editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "plan"
        verbose_name_plural = "plans"
        ordering = [models.F("deadline").asc(nulls_last=True), "article_id"]
        get_latest_by = "deadline"
        indexes = [
            # The day's plan: the plans whose deadline falls in one day.
            models.Index(fields=["deadline"], name="plan_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_words__isnull=True)
                | Q(planned_words__gte=1, planned_words__lte=MAX_PLANNED_WORDS),
                name="plan_words_in_range",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=[10, 20, 30, 40]), name="plan_priority_known"
            ),
        ]

    def __str__(self):
        return f"Plan for “{self.article.headline}”"

    def get_absolute_url(self):
        # The plan is seen in the admin only; its page is the plan's form there.
        return reverse("admin:planning_plan_change", args=[self.pk])

    def is_overdue(self, now) -> bool:
        return self.deadline is not None and self.deadline <= now


def assigned_stories(user):
    """The ids of the stories the user is assigned to (as `article_id`): theirs to write."""
    return Plan.objects.filter(assignees=user).values("article_id")


def assignees_of(article):
    """The ids of the story's assignees (as `user_id`): the people it belongs to."""
    return Plan.assignees.through.objects.filter(plan_id=article.pk).values("user_id")

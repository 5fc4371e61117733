"""Planning's forms (#15): plan a story, change its plan, reassign it, filter the day's plan.

Every input is checked here, so that bad input is a form error, never a 500.
"""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from articles.models import Article, Section
from newsroom.timezones import name_the_zone

from .models import MAX_PLANNED_WORDS, Plan

User = get_user_model()


def assignable_users():
    """Who can be given a story: active staff who may write stories (reporters, editors)."""
    writes = Permission.objects.filter(
        content_type__app_label="articles", codename="change_article"
    )
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=writes)
            | Q(user_permissions__in=writes)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


def _assignees_field(**kwargs):
    return PersonChoiceField(
        queryset=assignable_users(),
        required=False,
        label="Assignees",
        widget=forms.CheckboxSelectMultiple,
        help_text=Plan._meta.get_field("assignees").help_text,
        **kwargs,
    )


class PlanForm(forms.Form):
    """A plan's own parts: who, by when, how urgent, how long, the brief."""

    assignees = _assignees_field()
    deadline = forms.SplitDateTimeField(
        label="Deadline",
        required=False,
        widget=AdminSplitDateTime,
    )
    priority = forms.TypedChoiceField(
        choices=Plan.Priority.choices,
        coerce=int,
        initial=Plan.Priority.NORMAL,
        help_text=Plan._meta.get_field("priority").help_text,
    )
    planned_words = forms.IntegerField(
        label="Planned length (words)",
        required=False,
        min_value=1,
        max_value=MAX_PLANNED_WORDS,
        help_text=Plan._meta.get_field("planned_words").help_text,
    )
    brief = forms.CharField(
        label="Notes for the writer",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=Plan._meta.get_field("brief").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        deadline = self.fields["deadline"]
        deadline.help_text = Plan._meta.get_field("deadline").help_text
        # Each box named, for screen readers and the browser tests alike.
        deadline.widget.widgets[0].attrs["aria-label"] = "Deadline: date"
        deadline.widget.widgets[1].attrs["aria-label"] = "Deadline: time"
        # The zone's name as it is today (summer or winter time): named on each form.
        name_the_zone(self)

    def plan_values(self) -> dict:
        data = self.cleaned_data
        return {
            "deadline": data.get("deadline"),
            "priority": data["priority"],
            "planned_words": data.get("planned_words"),
            "brief": data.get("brief", ""),
        }


class PlanStoryForm(PlanForm):
    """ "Plan a story": the story's working headline and section, then its plan."""

    headline = forms.CharField(
        label="Working headline",
        max_length=Article._meta.get_field("headline").max_length,
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
        help_text="What the story is about; the writer may change it.",
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.order_by("order", "name"),
        required=False,
        empty_label="No section yet",
    )

    field_order = ["headline", "section", "assignees", "deadline", "priority"]

    def clean_headline(self):
        headline = self.cleaned_data["headline"].strip()
        if not headline:
            raise forms.ValidationError("Write a working headline.")
        return headline


class ReassignForm(forms.Form):
    """The day's plan's "Reassign": one story's new assignees."""

    plan = forms.ModelChoiceField(queryset=Plan.objects.all(), widget=forms.HiddenInput)
    assignees = _assignees_field()


STATE_CHOICES = [
    ("", "Any state"),
    (Article.Status.DRAFT, "Being written"),
    (Article.Status.REVIEW, "In review"),
    (Article.Status.PUBLISHED, "Published"),
]


class DayPlanFilterForm(forms.Form):
    """The day's plan's filters (GET). Invalid values are form errors shown on the page."""

    day = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Deadlines on this day; today when empty.",
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.order_by("order", "name"),
        required=False,
        empty_label="Every section",
    )
    assignee = forms.ModelChoiceField(
        queryset=assignable_users(), required=False, empty_label="Anyone"
    )
    priority = forms.TypedChoiceField(
        choices=[("", "Any priority"), *Plan.Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    state = forms.ChoiceField(choices=STATE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )

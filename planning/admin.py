"""Planning in the admin (#15): "Plan a story", a story's plan, and the day's plan.

Editors plan stories, change plans and reassign them; a reporter opens the plan of a story
assigned to them, read-only. Every page is an ordinary form that works without JavaScript,
and the day's plan runs a fixed number of queries whatever the number of plans.
"""

from datetime import datetime, time, timedelta
from itertools import groupby

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from articles.admin_views import as_pk
from articles.models import Article
from newsroom.timezones import zone_help, zone_name

from . import services
from .forms import DayPlanFilterForm, PlanForm, PlanStoryForm, ReassignForm, assignable_users
from .models import Plan


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """The plans' pages: the day's plan is their list, "Plan a story" their add page."""

    view_on_site = False

    # Permissions: editors plan; an assignee may look at their story's plan.

    def has_module_permission(self, request):
        return services.can_plan(request.user)

    def has_view_permission(self, request, obj=None):
        if services.can_plan(request.user):
            return True
        return obj is not None and obj.assignees.filter(pk=request.user.pk).exists()

    def has_add_permission(self, request):
        return services.can_plan(request.user)

    def has_change_permission(self, request, obj=None):
        return services.can_plan(request.user)

    def has_delete_permission(self, request, obj=None):
        # A plan goes with its story (to the trash, and out of the day's plan with it).
        return False

    def get_urls(self):
        def view(route, method, name):
            return path(route, self.admin_site.admin_view(method), name=f"planning_plan_{name}")

        return [
            view("", self.day_plan, "changelist"),
            view("add/", self.plan_story, "add"),
            view("reassign/", self.reassign, "reassign"),
            view("<path:object_id>/change/", self.plan_change, "change"),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": Plan._meta,
            "title": title,
            "zone_help": zone_help(),
            **extra,
        }

    # "Plan a story" --------------------------------------------------------------------------

    def plan_story(self, request):
        """A story before any text: its working headline, section and plan (editors)."""
        if not services.can_plan(request.user):
            raise PermissionDenied
        form = PlanStoryForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            plan = services.plan_create(
                by=request.user,
                headline=data["headline"],
                section=data["section"],
                assignees=data["assignees"],
                **form.plan_values(),
            )
            assigned = ", ".join(_name(user) for user in data["assignees"]) or "nobody yet"
            messages.success(
                request,
                format_html(
                    "Planned “{}” (assigned to {}). It is a draft with no text: "
                    '<a href="{}">open the story</a>.',
                    plan.article.headline,
                    assigned,
                    reverse("admin:articles_article_change", args=[plan.pk]),
                ),
            )
            if "_addanother" in request.POST:
                return HttpResponseRedirect(request.path)
            return HttpResponseRedirect(reverse("admin:planning_plan_changelist"))
        return TemplateResponse(
            request,
            "admin/planning/plan_story.html",
            self._context(request, "Plan a story", form=form, media=self.media + form.media),
        )

    # A story's plan -------------------------------------------------------------------------

    def plan_change(self, request, object_id):
        """The plan of one story: editors change it; an assignee reads it."""
        plan = get_object_or_404(
            Plan.objects.select_related("article", "article__section", "created_by"),
            pk=as_pk(object_id),
            article__trashed_at__isnull=True,
        )
        editor = services.can_plan(request.user)
        if not self.has_view_permission(request, plan):
            raise PermissionDenied
        if request.method == "POST" and not editor:
            raise PermissionDenied
        assignees = list(plan.assignees.all())
        initial = {
            "assignees": assignees,
            "deadline": timezone.localtime(plan.deadline) if plan.deadline else None,
            "priority": plan.priority,
            "planned_words": plan.planned_words,
            "brief": plan.brief,
        }
        form = PlanForm(request.POST if request.method == "POST" else None, initial=initial)
        if form.is_bound and form.is_valid():
            services.plan_update(
                plan=plan,
                by=request.user,
                assignees=form.cleaned_data["assignees"],
                **form.plan_values(),
            )
            messages.success(
                request, format_html("The plan of “{}” is saved.", plan.article.headline)
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[plan.pk]))
        return TemplateResponse(
            request,
            "admin/planning/plan_change.html",
            self._context(
                request,
                "Plan" if editor else "The plan (read-only)",
                subtitle=plan.article.headline,
                plan=plan,
                assignees=assignees,
                form=form if editor else None,
                media=self.media + form.media if editor else None,
                story_url=reverse("admin:articles_article_change", args=[plan.pk]),
                now=timezone.now(),
            ),
        )

    # The day's plan -------------------------------------------------------------------------

    def day_plan(self, request):
        """Planned and in-progress stories by section and deadline, for a day (editors)."""
        if not services.can_plan(request.user):
            raise PermissionDenied
        filters = DayPlanFilterForm(request.GET)
        valid = filters.is_valid()
        chosen = filters.cleaned_data if valid else {}
        zone = timezone.get_default_timezone()
        day = chosen.get("day") or timezone.localdate(timezone.now(), zone)
        start = timezone.make_aware(datetime.combine(day, time.min), zone)
        end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
        plans = Plan.objects.filter(
            deadline__gte=start, deadline__lt=end, article__trashed_at__isnull=True
        )
        if section := chosen.get("section"):
            plans = plans.filter(article__section=section)
        if assignee := chosen.get("assignee"):
            plans = plans.filter(assignees=assignee)
        if priority := chosen.get("priority"):
            plans = plans.filter(priority=priority)
        if state := chosen.get("state"):
            plans = plans.filter(article__status=state)
        if not valid:
            plans = plans.none()
        plans = list(
            plans.for_desk()
            .defer("article__body")
            .order_by(
                "article__section__order",
                "article__section__name",
                "deadline",
                "-priority",
                "article_id",
            )
        )
        people = list(assignable_users())
        now = timezone.now()
        rows = [
            {
                "plan": plan,
                "overdue": plan.is_overdue(now) and plan.article.status == Article.Status.DRAFT,
                "assigned": {user.pk for user in plan.assignees.all()},
            }
            for plan in plans
        ]
        sections = [
            {"section": section, "rows": list(group)}
            for section, group in groupby(rows, key=lambda row: row["plan"].article.section)
        ]
        return TemplateResponse(
            request,
            "admin/planning/day_plan.html",
            self._context(
                request,
                "The day's plan",
                filters=filters,
                day=day,
                previous_day=day - timedelta(days=1),
                next_day=day + timedelta(days=1),
                sections=sections,
                count=len(rows),
                people=people,
                now=now,
                zone=zone_name(start),
                here=request.get_full_path(),
                add_url=reverse("admin:planning_plan_add"),
            ),
        )

    def reassign(self, request):
        """Gives a story from the day's plan to other people (editors)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not services.can_plan(request.user):
            raise PermissionDenied
        form = ReassignForm(request.POST)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ) or not back.startswith(reverse("admin:planning_plan_changelist")):
            back = reverse("admin:planning_plan_changelist")
        if not form.is_valid():
            messages.error(
                request,
                "Not reassigned: "
                + " ".join(str(error) for errors in form.errors.values() for error in errors),
            )
            return HttpResponseRedirect(back)
        plan = form.cleaned_data["plan"]
        if plan.article.trashed_at is not None:
            messages.error(request, "Not reassigned: the story is in the trash.")
            return HttpResponseRedirect(back)
        people = form.cleaned_data["assignees"]
        services.plan_reassign(plan=plan, by=request.user, assignees=people)
        messages.success(
            request,
            format_html(
                "“{}” is assigned to {}.",
                plan.article.headline,
                ", ".join(_name(user) for user in people) or "nobody",
            ),
        )
        return HttpResponseRedirect(back)

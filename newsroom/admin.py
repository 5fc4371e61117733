"""The admin's user list: departures deactivate accounts rather than delete them (#13,
newsroom/accounts.py). The background jobs, read-only (#15)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .accounts import describe, history_of
from .jobs import ATTEMPT, JobRetried

User = get_user_model()

admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    actions = ["deactivate"]

    def get_deleted_objects(self, objs, request):
        """Deleting an account named in the history is refused on the confirmation page, with
        what names it and what to do instead."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for user in objs:
            history = history_of(user)
            if history:
                protected = [
                    *protected,
                    format_html(
                        "{}: named in the newsroom’s history ({}). Deactivate the account "
                        "instead (untick “Active”, or the “Deactivate” action): the person can "
                        "no longer log in, and the history keeps their name.",
                        user.get_full_name() or user.get_username(),
                        describe(history),
                    ),
                ]
        return deleted, counts, perms_needed, protected

    @admin.action(
        description="Deactivate selected accounts (they leave the newsroom)",
        permissions=["change"],
    )
    def deactivate(self, request, queryset):
        # Not one's own account, and only a superuser deactivates a superuser.
        queryset = queryset.exclude(pk=request.user.pk)
        if not request.user.is_superuser:
            queryset = queryset.exclude(is_superuser=True)
        leaving = list(queryset.filter(is_active=True))
        for user in leaving:
            user.is_active = False
            user.save(update_fields=["is_active"])
            self.log_change(request, user, [{"changed": {"fields": ["Active"]}}])
        names = ", ".join(user.get_full_name() or user.get_username() for user in leaving)
        if leaving:
            self.message_user(
                request,
                f"Deactivated: {names}. They can no longer log in; their work keeps their name.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "Those accounts were already inactive.", messages.INFO)


# Background jobs (#15) ------------------------------------------------------------------------

RETRIED = f"{JobRetried.__module__}.{JobRetried.__qualname__}"

admin.site.unregister(DBTaskResult)


class JobOutcomeFilter(admin.SimpleListFilter):
    """Failed attempts that were tried again apart from jobs that gave up (newsroom/jobs.py)."""

    title = "outcome"
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [("gave-up", "Gave up (failed, not retried)"), ("retried", "Failed, retried")]

    def queryset(self, request, queryset):
        failed = queryset.filter(status=TaskResultStatus.FAILED)
        if self.value() == "gave-up":
            return failed.exclude(exception_class_path=RETRIED)
        if self.value() == "retried":
            return failed.filter(exception_class_path=RETRIED)
        return queryset


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    """The queue of the database backend, read-only: superusers, and staff given "Can view
    Task Result", see every job, with a failed one's error and traceback. Nothing here can
    add, change, run or delete a job (workers do; `manage.py prune_db_task_results` clears
    old ones)."""

    list_display = (
        "task_name",
        "status",
        "attempt",
        "error",
        "enqueued_at",
        "display_run_after",
        "finished_at",
        "queue_name",
    )
    # The newsroom's words for the library's "Task Results" (newsroom/admin_site.py).
    list_name = "Jobs"
    list_filter = ("status", JobOutcomeFilter, "queue_name")
    search_fields = ("task_path",)
    actions = None
    show_full_result_count = False

    class Media:
        css = {"all": ["css/admin-jobs.css"]}

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": "Background jobs", **(extra_context or {})}
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra = {"title": "Job", **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra)

    @admin.display(description="attempt")
    def attempt(self, obj):
        kwargs = (obj.args_kwargs or {}).get("kwargs") or {}
        return kwargs.get(ATTEMPT, 1) if isinstance(kwargs, dict) else 1

    @admin.display(description="error")
    def error(self, obj):
        """The last line of a failed job's traceback: the exception and its message."""
        if obj.status != TaskResultStatus.FAILED or not obj.traceback:
            return ""
        return obj.traceback.strip().splitlines()[-1][:200]

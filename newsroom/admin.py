"""The admin's user list: departures deactivate accounts rather than delete them (#13,
newsroom/accounts.py)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html

from .accounts import describe, history_of

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

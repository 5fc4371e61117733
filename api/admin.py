"""API tokens in the admin (#18): reporters and editors make and revoke their own; a superuser
may make one for anyone and sees them all. The token is shown once, in the message
after it is made; the list shows only its first characters."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model

from .models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "state"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username"]
    readonly_fields = ["hint", "created_at", "revoked_at"]
    actions = ["revoke"]
    form = ApiTokenForm

    @admin.display(description="state")
    def state(self, token):
        return "Active" if token.is_active else f"Revoked {token.revoked_at:%d %b %Y %H:%M}"

    # The roles that may have tokens (articles/roles.py) manage their own; a superuser, all.
    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self._owns(request, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._owns(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._owns(request, obj))

    @staticmethod
    def _owns(request, token):
        return request.user.is_superuser or token.user_id == request.user.pk

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def get_fields(self, request, obj=None):
        fields = ["name"]
        if request.user.is_superuser and obj is None:
            fields.append("user")
        return fields if obj is None else [*fields, "user", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["user", *self.readonly_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True, is_staff=True)
            kwargs["initial"] = request.user.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            if not (request.user.is_superuser and obj.user_id):
                obj.user = request.user
            token = obj.issue()
            super().save_model(request, obj, form, change)
            messages.success(
                request,
                f"The token for “{obj.name}” is {token} — copy it now: it is shown only "
                "this once. Send it as the header “Authorization: Bearer <token>”.",
            )
            return
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        obj.revoke()
        super().delete_model(request, obj)

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
            count += 1
        self.message_user(request, f"{count} token(s) revoked.", messages.SUCCESS)

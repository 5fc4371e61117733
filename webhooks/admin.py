"""The admin's pages for webhooks (#18): endpoints, and the log of deliveries.

Editors register endpoints (the address is checked as it is saved: targets.py), see and rotate
their secrets, and send a test event. Deliveries are read-only: the log of what was sent, with
the last answer, and a "Re-send" action that sends the same message again.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html

from . import services, targets
from .models import SUBSCRIBABLE, Delivery, Endpoint, Event


class EndpointForm(forms.ModelForm):
    url = forms.URLField(
        label="Address",
        max_length=500,
        assume_scheme="https",
        help_text=Endpoint._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        choices=SUBSCRIBABLE,
        widget=forms.CheckboxSelectMultiple,
        help_text="The events this address is told of.",
        error_messages={"required": "Choose at least one event."},
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            targets.check(url)
        except targets.UnsafeTarget as refusal:
            raise ValidationError(str(refusal)) from refusal
        return url

    def clean_events(self):
        chosen = set(self.cleaned_data["events"])
        return [value for value, _ in SUBSCRIBABLE if value in chosen]  # in the list's order


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "description", "event_list", "is_active", "last_delivery"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = [
        "secret_display",
        "secret_rotated_at",
        "deliveries_link",
        "created_by",
        "created_at",
    ]
    actions = ["send_test_event", "rotate_secret"]

    def get_queryset(self, request):
        last = Delivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(
                last_status=Subquery(last.values("status")[:1]),
                last_event=Subquery(last.values("event")[:1]),
            )
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["url", "description", "events", "is_active"]})]
        if obj is not None:
            fieldsets.append(
                (
                    "Signing",
                    {
                        "fields": ["secret_display", "secret_rotated_at"],
                        "description": "Receivers check each delivery's webhook-signature "
                        "with this secret (Standard Webhooks). Rotate it with the action "
                        "“Rotate the secret” on the list: for a day both secrets sign.",
                    },
                )
            )
            fieldsets.append(("Log", {"fields": ["deliveries_link"]}))
            fieldsets.append(
                ("Bookkeeping", {"fields": ["created_by", "created_at"], "classes": ["collapse"]})
            )
        return fieldsets

    @admin.display(description="events")
    def event_list(self, endpoint):
        labels = dict(Event.choices)
        return ", ".join(str(labels.get(e, e)) for e in endpoint.events) or "—"

    @admin.display(description="last delivery")
    def last_delivery(self, endpoint):
        status = getattr(endpoint, "last_status", None)
        if not status:
            return "—"
        return f"{Delivery.Status(status).label} ({endpoint.last_event})"

    @admin.display(description="deliveries")
    def deliveries_link(self, endpoint):
        url = reverse("admin:webhooks_delivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
        return format_html('<a href="{}">See what was sent to it</a>', url)

    @admin.display(description="secret")
    def secret_display(self, endpoint):
        return format_html("<code>{}</code>", endpoint.secret)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Send a test event", permissions=["change"])
    def send_test_event(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_send_test(endpoint=endpoint, by=request.user)
        self.message_user(
            request,
            f"Queued a test event to {len(queryset)} endpoint(s); see the deliveries.",
            messages.SUCCESS,
        )

    @admin.action(description="Rotate the secret", permissions=["change"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_rotate_secret(endpoint=endpoint)
        self.message_user(
            request,
            f"New secrets for {len(queryset)} endpoint(s). Deliveries are signed with the old "
            "secret too for a day: give the receivers the new one before then.",
            messages.SUCCESS,
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "last_attempt_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["message_id", "endpoint__url"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = [
        "endpoint",
        "event",
        "message_id",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "succeeded_at",
        "response_status",
        "response_excerpt",
        "error",
        "payload_display",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # A log: read-only, re-sent with the action.

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("webhooks.change_delivery")

    @admin.display(description="payload")
    def payload_display(self, delivery):
        text = json.dumps(delivery.payload, indent=2, ensure_ascii=False)
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)

    @admin.action(description="Re-send (same message id)", permissions=["resend"])
    def resend(self, request, queryset):
        for delivery in queryset:
            services.delivery_resend(delivery=delivery)
        self.message_user(request, f"Re-sending {len(queryset)} delivery(ies).", messages.SUCCESS)

"""What providers answered, for the curious (superusers), and the story editor's lookup at
an address inside the admin (#14)."""

from django.contrib import admin
from django.urls import path

from . import views
from .models import OEmbedAnswer


@admin.register(OEmbedAnswer)
class OEmbedAnswerAdmin(admin.ModelAdmin):
    list_display = ["url", "provider", "is_ok", "title", "fetched_at"]
    list_filter = ["provider", "is_ok"]
    search_fields = ["url", "title"]
    readonly_fields = [field.name for field in OEmbedAnswer._meta.fields]

    def get_urls(self):
        # The lookup answers JSON with its own checks (401 for an ended session, as the story
        # form's other endpoints do), so it is not wrapped in the admin's login redirect.
        lookup = path("lookup/", views.lookup, name="embeds_oembedanswer_lookup")
        return [lookup, *super().get_urls()]

    def has_add_permission(self, request):
        return False  # Answers come from providers only.

    def has_change_permission(self, request, obj=None):
        return False

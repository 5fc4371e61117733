from django.contrib import admin
from js_asset import Media

from newsroom.admin_lists import StaleForm

from .models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    # Two editors on one page: the second save keeps the first one's changes, and a field both
    # changed is refused with what it holds now, the typed text kept in the form (#16).
    form = StaleForm
    list_display = ["title", "slug", "show_in_footer", "footer_order", "updated_at"]
    list_filter = ["show_in_footer"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Footer", {"fields": ["show_in_footer", "footer_order"]}),
        ("History", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor's import map is an inline script: under the admin's
        # Content-Security-Policy it runs only with this request's nonce (as for stories).
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

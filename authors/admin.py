from django.contrib import admin

from .models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "story_count", "updated_at"]
    search_fields = ["name", "job_title", "email"]
    # Explicit, because the story count annotation (a GROUP BY) drops Meta.ordering.
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user", "photo"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "bio", "photo"]}),
        ("Newsroom only", {"fields": ["email", "user"]}),
        ("Bookkeeping", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_story_count()

    @admin.display(description="Stories", ordering="story_count")
    def story_count(self, author):
        return author.story_count

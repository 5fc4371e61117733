"""The newsroom's workspace: writing, finding and publishing stories."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from .models import Article, ArticleAuthor
from .services import article_publish, article_unpublish, can_publish
from .text import html_to_text, text_to_html

PUBLISH = "_publish"
UNPUBLISH = "_unpublish"


def local_time(value) -> str:
    """A datetime as editors read it: in the newsroom's time zone, with the zone named."""
    local = timezone.localtime(value, timezone.get_default_timezone())
    return f"{date_format(local, 'j M Y, H:i')} ({local.tzname()})"


class ArticleAdminForm(forms.ModelForm):
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 90}),
        help_text="Plain paragraphs, separated by a blank line. Quotes and apostrophes are kept "
        "exactly as typed.",
    )

    class Meta:
        model = Article
        fields = ["headline", "slug", "standfirst", "body", "tags"]
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "slug": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "standfirst": forms.Textarea(attrs={"rows": 3, "cols": 90}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].widget.attrs["class"] = "vLargeTextField"
        if self.instance.pk:
            self.initial["body"] = html_to_text(self.instance.body)

    def clean_body(self):
        return text_to_html(self.cleaned_data["body"])


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "Byline (in this order)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline]
    list_display = ["headline", "byline", "state", "publication_time", "last_edited", "updated_by"]
    list_filter = ["status", "authors", "tags", "published_at"]
    search_fields = ["headline", "standfirst", "body", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = [
        "publishing_state",
        "publication_time",
        "public_link",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "revised_at",
    ]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body", "tags"]}),
        (
            "Publishing",
            {"fields": ["publishing_state", "publication_time", "revised_at", "public_link"]},
        ),
        (
            "Bookkeeping",
            {
                "classes": ["collapse"],
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
            },
        ),
    ]
    actions = ["publish_selected", "unpublish_selected"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("updated_by").with_bylines()

    # Displays

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(author.name for author in article.byline_authors) or "—"

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        if article.status == Article.Status.PUBLISHED and article.published_at:
            return "Live" if article.is_published() else "Scheduled"
        return article.get_status_display()

    @admin.display(description="Status")
    def publishing_state(self, article):
        if article.status == Article.Status.PUBLISHED and article.published_at:
            if article.is_published():
                return f"Live since {local_time(article.published_at)}"
            return f"Scheduled for {local_time(article.published_at)}"
        return "Draft: not on the site."

    @admin.display(description="Publication time", ordering="published_at")
    def publication_time(self, article):
        return local_time(article.published_at) if article.published_at else "—"

    @admin.display(description="Last edited", ordering="updated_at")
    def last_edited(self, article):
        return local_time(article.updated_at) if article.updated_at else "—"

    @admin.display(description="Public address")
    def public_link(self, article):
        if article.pk and article.is_published():
            url = article.get_absolute_url()
            return format_html('<a href="{}">{}</a>', url, url)
        return "Not on the site: readers can't see this story."

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_published() else None

    # Saving and publishing

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and {PUBLISH, UNPUBLISH} & request.POST.keys():
            if not self.has_publish_permission(request):
                raise PermissionDenied
        extra_context = {
            **(extra_context or {}),
            "can_publish": self.has_publish_permission(request),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        obj.note_changes(form.changed_data)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ArticleAuthor:
            return super().save_formset(request, form, formset, change)
        # Keep the order editors typed; number it 0, 1, 2 … so ties can't reorder the byline.
        formset.save()
        for position, byline in enumerate(form.instance.bylines.order_by("position", "pk")):
            if byline.position != position:
                byline.position = position
                byline.save(update_fields=["position"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if PUBLISH in request.POST:
            self._publish(request, article, saved=True)
        elif UNPUBLISH in request.POST:
            self._unpublish(request, article)

    def _publish(self, request, article, saved=False):
        try:
            article_publish(article=article, by=request.user)
        except ValidationError as error:
            prefix = "Saved as a draft but not published" if saved else "Not published"
            self.message_user(
                request,
                format_html("{} “{}”: {}", prefix, article.headline, " ".join(error.messages)),
                messages.ERROR,
            )
            return False
        url = request.build_absolute_uri(article.get_absolute_url())
        self.message_user(
            request,
            format_html('Published “{}”. It is live at <a href="{}">{}</a>.', article, url, url),
            messages.SUCCESS,
        )
        return True

    def _unpublish(self, request, article):
        article_unpublish(article=article, by=request.user)
        self.message_user(
            request,
            format_html(
                "Unpublished “{}”. Readers no longer see it; it is a draft again.", article
            ),
            messages.SUCCESS,
        )

    def response_add(self, request, obj, post_url_continue=None):
        if PUBLISH in request.POST:
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if {PUBLISH, UNPUBLISH} & request.POST.keys():
            return HttpResponseRedirect(request.get_full_path())
        return super().response_change(request, obj)

    # Actions

    @admin.action(description="Publish selected stories", permissions=["publish"])
    def publish_selected(self, request, queryset):
        live = [article for article in queryset if article.is_published()]
        if live:
            self.message_user(
                request,
                format_html(
                    "Already live, left as they were: {}.",
                    format_html_join(", ", "“{}”", ((a.headline,) for a in live)),
                ),
                messages.INFO,
            )
        for article in queryset:
            if not article.is_published():
                self._publish(request, article)

    @admin.action(description="Unpublish selected stories", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        published = queryset.filter(status=Article.Status.PUBLISHED)
        if not published:
            self.message_user(request, "None of the selected stories is published.", messages.INFO)
        for article in published:
            self._unpublish(request, article)

"""The newsroom's workspace: writing, reviewing, scheduling, publishing and correcting stories.

Every rule is enforced here on the server, whatever the page showed: reporters change only their
own unpublished stories, and each button or action calls a service that checks again (#3).
"""

import taggit.models
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from js_asset import Media

from . import admin_views, services
from .models import (
    Article,
    ArticleAuthor,
    Correction,
    FrontPageSlot,
    Section,
    Tag,
    TrashedArticle,
)
from .permissions import can_delete, can_edit, can_view, is_editor
from .services import local_time
from .tag_widgets import TagNamesField
from .text import sanitize_html, text_to_html

# The buttons of the story form, each with the service it calls (see _run_button).
SUBMIT, PUBLISH, SCHEDULE, WITHDRAW, TO_DRAFT = (
    "_submit",
    "_publish",
    "_schedule",
    "_withdraw",
    "_to_draft",
)
BUTTONS = (SUBMIT, PUBLISH, SCHEDULE, WITHDRAW, TO_DRAFT)
EDITOR_BUTTONS = {PUBLISH, SCHEDULE, WITHDRAW}
# Buttons and actions that only change a story's state: the service, and what to tell the user.
STATE_CHANGES = {
    SUBMIT: (
        services.article_submit,
        "Submitted “{}” for review. An editor will take it from here.",
    ),
    WITHDRAW: (
        services.article_withdraw,
        "Withdrew “{}”. Its address now tells readers it was taken down.",
    ),
    TO_DRAFT: (services.article_return_to_draft, "“{}” is a draft again and off the site."),
}
# The fields of the story itself, as opposed to the form's controls (version, schedule, notes).
STORY_FIELDS = ["headline", "slug", "standfirst", "body", "lead_image", "section", "tags"]


def person(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


class ArticleAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    publish_at = forms.SplitDateTimeField(
        label="Schedule for",
        required=False,
        widget=AdminSplitDateTime,
        help_text="Date and time in the newsroom's time zone; then press “Schedule”. The story "
        "goes live by itself at that minute.",
    )
    significant_update = forms.BooleanField(
        required=False,
        label="Significant update",
        help_text="Tick to show readers a new “Updated” time. Leave it for typo fixes.",
    )
    correction_kind = forms.ChoiceField(
        label="Add a note",
        choices=Correction.Kind.choices,
        initial=Correction.Kind.CORRECTION,
        required=False,
    )
    correction_text = forms.CharField(
        label="Note text",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 90}),
        help_text="Shown at the end of the story and on the corrections page, with today's date.",
    )

    class Meta:
        model = Article
        fields = STORY_FIELDS
        field_classes = {"tags": TagNamesField}
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "slug": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "standfirst": forms.Textarea(attrs={"rows": 3, "cols": 90}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["expected_version"] = self.instance.version
        if "publish_at" in self.fields and self.instance.is_scheduled():
            self.initial["publish_at"] = timezone.localtime(self.instance.published_at)

    def clean_body(self):
        # The editor sends HTML; plain text (a script, an old client) becomes paragraphs.
        body = self.cleaned_data["body"]
        if body.strip() and not body.lstrip().startswith("<"):
            body = text_to_html(body)
        return sanitize_html(body)

    def clean(self):
        cleaned = super().clean()
        article = self.instance
        # A story moved to the trash while this form was open: the text typed stays here.
        if article.trashed_at is not None:
            raise ValidationError(
                format_html(
                    "{} moved this story to the trash at {}, after you opened it, so your "
                    "changes were not saved. Your text is still below: copy what you need, or "
                    '<a href="{}">restore the story from the trash</a> and make your changes '
                    "again.",
                    person(article.trashed_by),
                    local_time(article.trashed_at),
                    reverse("admin:articles_trashedarticle_changelist"),
                ),
                code="trashed",
            )
        # No lost edits: refuse a save made on a form opened before someone else's save (#3).
        # The submitted text stays in the form, so nothing typed is lost.
        if article.pk and cleaned.get("expected_version") != article.version:
            raise ValidationError(
                format_html(
                    "{} saved this story at {}, after you opened it, so your changes were not "
                    'saved. Your text is still below: copy what you need, then <a href="{}">open '
                    "the latest version</a> and make your changes again.",
                    person(article.updated_by),
                    local_time(article.updated_at),
                    reverse("admin:articles_article_change", args=[article.pk]),
                ),
                code="conflict",
            )
        return cleaned


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "Byline (in this order)"

    # The byline is part of the story: whoever may change the story may change its byline.
    def has_add_permission(self, request, obj=None):
        return obj is None or can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or can_edit(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return obj is None or can_view(request.user, obj)


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # Stories in the trash have their own list (TrashedArticleAdmin). Reporters see only
        # their own stories: ArticleAdmin.get_search_results, which the list calls too.
        return super().get_queryset(request, exclude_parameters).current()


def trash_link(text="the trash") -> str:
    return format_html(
        '<a href="{}">{}</a>', reverse("admin:articles_trashedarticle_changelist"), text
    )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline]
    list_display = [
        "headline",
        "byline",
        "section",
        "state",
        "publication_time",
        "last_edited",
        "updated_by",
    ]
    list_filter = ["status", "section", "authors", "tags", "published_at"]
    autocomplete_fields = ["lead_image", "section"]
    search_fields = ["headline", "standfirst", "body", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = [
        "publishing_state",
        "publication_time",
        "public_link",
        "revised_at",
        "corrections_list",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ]
    actions = ["submit_selected", "publish_selected", "withdraw_selected", "trash_selected"]
    # Deleting a story moves it to the trash (TrashedArticleAdmin below): this page says so.
    delete_confirmation_template = "admin/articles/article/trash_confirmation.html"
    list_per_page = 50
    # The list counts the stories it pages through once; Django's second count, of every
    # story ("3 of 100,000 selected"), would scan the whole table on each filtered request.
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("updated_by", "section").with_bylines()

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None and article.trashed_at is not None:
            # Stories in the trash are seen from the trash. A save posted from a form opened
            # before the story went there is shown again with the reason (the form's clean()),
            # so the text typed is not lost.
            saving = request.method == "POST" and request.resolver_match.url_name.endswith(
                "_change"
            )
            return article if saving else None
        if article is not None and request.method == "POST":
            # Lock the row until this save commits, so two saves can't both pass the version
            # check in ArticleAdminForm.clean() (the admin runs each save in a transaction).
            article.version = (
                Article.objects.select_for_update()
                .values_list("version", flat=True)
                .get(pk=article.pk)
            )
        return article

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_fieldsets(self, request, obj=None):
        editor = is_editor(request.user)
        publishing = ["publishing_state", "publication_time"]
        if editor and (obj is None or not obj.is_published()):
            publishing.append("publish_at")
        if editor and obj is not None and obj.is_published():
            publishing.append("significant_update")
        publishing += ["revised_at", "public_link"]
        fieldsets = [
            (
                None,
                {"fields": [*STORY_FIELDS, "expected_version"]},
            ),
            ("Publishing", {"fields": publishing}),
        ]
        if obj is not None and (obj.is_published() or obj.corrections.exists()):
            fields = ["corrections_list"]
            if editor and obj.is_published():
                fields += ["correction_kind", "correction_text"]
            fieldsets.append(("Corrections and updates", {"fields": fields}))
        fieldsets.append(
            (
                "Bookkeeping",
                {
                    "classes": ["collapse"],
                    "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                },
            )
        )
        return fieldsets

    # Permissions, per story

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_delete(request.user, obj))

    def has_publish_permission(self, request):
        return is_editor(request.user)

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete of other lists (front page slots) searches stories here, outside
        # the list of stories: reporters find only their own there too (#7).
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not is_editor(request.user):
            queryset = queryset.owned_by(request.user)
        return queryset, may_have_duplicates

    # Displays

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(author.name for author in article.byline_authors) or "—"

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        if article.is_scheduled():
            return "Scheduled"
        return "Live" if article.is_published() else article.get_status_display()

    @admin.display(description="Status")
    def publishing_state(self, article):
        if article.is_scheduled():
            return f"Scheduled for {local_time(article.published_at)}"
        if article.is_published():
            return f"Live since {local_time(article.published_at)}"
        if article.status == Article.Status.WITHDRAWN:
            return "Withdrawn: its address tells readers it was taken down."
        if article.status == Article.Status.REVIEW:
            return "Ready for review: waiting for an editor."
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

    @admin.display(description="Notes so far")
    def corrections_list(self, article):
        notes = article.corrections.all() if article.pk else []
        return (
            format_html_join(
                "\n",
                "<p><strong>{}, {}:</strong> {}</p>",
                ((n.get_kind_display(), local_time(n.created_at), n.text) for n in notes),
            )
            or "None yet."
        )

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_published() else None

    # Extra pages: preview, preview links, revisions

    def get_urls(self):
        views = admin_views.ArticleAdminViews(self)
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(views.preview), name="articles_article_preview"),
            path(
                "<int:pk>/preview-links/",
                wrap(views.preview_links),
                name="articles_article_preview_links",
            ),
            path("<int:pk>/revisions/", wrap(views.revisions), name="articles_article_revisions"),
            path(
                "<int:pk>/revisions/compare/",
                wrap(views.compare),
                name="articles_article_compare",
            ),
            path(
                "<int:pk>/revisions/<int:revision_pk>/restore/",
                wrap(views.restore),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    # Saving, and the buttons of the form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and EDITOR_BUTTONS & request.POST.keys():
            if not self.has_publish_permission(request):
                raise PermissionDenied
        extra_context = {**(extra_context or {}), "is_editor": is_editor(request.user)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor's import map is an inline script: under the admin's
        # Content-Security-Policy it runs only with this request's nonce (#7).
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        if form.cleaned_data.get("significant_update") and obj.is_published():
            obj.revised_at = timezone.now()
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
        changed = [f for f in form.changed_data if f in STORY_FIELDS]
        changed += [fs.model._meta.verbose_name for fs in formsets if fs.has_changed()]
        if not change:
            services.revision_record(article=article, by=request.user, comment="Created")
        elif changed:
            comment = "Edited " + ", ".join(changed)
            services.revision_record(article=article, by=request.user, comment=comment)
        if form.cleaned_data.get("correction_text"):
            self._call(
                request,
                article,
                services.article_correct,
                "Added the note to “{}”; readers now see a new “Updated” time.",
                kind=form.cleaned_data["correction_kind"] or Correction.Kind.CORRECTION,
                text=form.cleaned_data["correction_text"],
            )
        button = next((name for name in BUTTONS if name in request.POST), None)
        if button:
            self._run_button(request, article, button, form.cleaned_data.get("publish_at"))

    def _run_button(self, request, article, button, publish_at):
        if button == PUBLISH:
            self._publish(request, article, saved=True)
        elif button == SCHEDULE:
            if publish_at is None:
                self.message_user(
                    request,
                    "Saved, but not scheduled: fill in “Schedule for” with a date and time.",
                    messages.ERROR,
                )
                return
            self._call(
                request,
                article,
                services.article_schedule,
                "Scheduled “{}” for {}. It goes live by itself at that minute.",
                local_time(publish_at),
                at=publish_at,
            )
        else:
            service, success = STATE_CHANGES[button]
            self._call(request, article, service, success)

    def _call(self, request, article, service, success, *args, **kwargs):
        """Runs a service for one story and tells the user what happened, in plain words."""
        try:
            service(article=article, by=request.user, **kwargs)
        except ValidationError as error:
            self.message_user(
                request,
                format_html("“{}” was not changed: {}", article, " ".join(error.messages)),
                messages.ERROR,
            )
            return False
        except PermissionDenied as error:
            self.message_user(request, format_html("“{}”: {}", article, str(error)), messages.ERROR)
            return False
        self.message_user(request, format_html(success, article, *args), messages.SUCCESS)
        return True

    def _publish(self, request, article, saved=False):
        try:
            services.article_publish(article=article, by=request.user)
        except ValidationError as error:
            prefix = "Saved but not published" if saved else "Not published"
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

    def response_add(self, request, obj, post_url_continue=None):
        if _button_pressed(request):
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if _button_pressed(request) or request.POST.get("correction_text"):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_change(request, obj)

    # List actions. The list carries the time it was loaded: a story changed by someone else
    # since then is left alone, as a stale form would be (#3).

    def _stale(self, request, queryset):
        loaded_at = parse_datetime(request.POST.get("_loaded_at", ""))
        if loaded_at is None:
            return set()
        stale = [a for a in queryset if a.updated_at > loaded_at]
        for article in stale:
            self.message_user(
                request,
                format_html(
                    "“{}” was left alone: {} changed it at {}, after you loaded this list. "
                    "Check it and try again.",
                    article,
                    person(article.updated_by),
                    local_time(article.updated_at),
                ),
                messages.WARNING,
            )
        return {a.pk for a in stale}

    def _act(self, request, queryset, service, success):
        stale = self._stale(request, queryset)
        for article in queryset:
            if article.pk not in stale:
                self._call(request, article, service, success)

    @admin.action(description="Submit selected stories for review")
    def submit_selected(self, request, queryset):
        self._act(request, queryset, *STATE_CHANGES[SUBMIT])

    @admin.action(description="Publish selected stories", permissions=["publish"])
    def publish_selected(self, request, queryset):
        stale = self._stale(request, queryset)
        for article in queryset:
            if article.pk in stale:
                continue
            if article.is_published():
                self.message_user(
                    request, format_html("“{}” is already live.", article), messages.INFO
                )
            else:
                self._publish(request, article)

    @admin.action(description="Withdraw selected stories", permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        self._act(request, queryset, *STATE_CHANGES[WITHDRAW])

    @admin.action(description="Move selected stories to the trash", permissions=["delete"])
    def trash_selected(self, request, queryset):
        # The link is HTML of our own; format_html escapes only the headline put in its {}.
        moved = "Moved “{}” to " + trash_link() + ". You can restore it from there."
        self._act(request, queryset, services.article_trash, moved)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Django's "delete selected" would delete for good; trash_selected replaces it.
        actions.pop("delete_selected", None)
        return actions

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "loaded_at": timezone.now().isoformat()}
        return super().changelist_view(request, extra_context)

    # Deleting moves the story to the trash: nothing of it is deleted, so the confirmation
    # lists no related objects and needs no permission on them; the service logs the change.

    def get_deleted_objects(self, objs, request):
        return [str(obj) for obj in objs], {}, set(), []

    def log_deletions(self, request, queryset):
        pass

    def delete_model(self, request, obj):
        services.article_trash(article=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_trash(article=article, by=request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            format_html(
                "Moved “{}” to {}. You can restore it from there.", obj_display, trash_link()
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))


def _button_pressed(request) -> bool:
    return any(name in request.POST for name in BUTTONS)


@admin.register(TrashedArticle)
class TrashedArticleAdmin(admin.ModelAdmin):
    """The trash: stories deleted from the list of stories, kept until emptied.

    Whoever may delete a story may see it here and restore it; only editors delete for good
    (or `manage.py empty_trash` after a number of days).
    """

    list_display = ["headline", "byline", "on_restore", "trashed_at", "trashed_by"]
    list_select_related = ["trashed_by"]
    search_fields = ["headline"]
    fields = ["headline", "standfirst", "byline", "section", "on_restore", "trashed_at"]
    readonly_fields = fields
    actions = ["restore_selected", "delete_selected"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        stories = super().get_queryset(request).in_trash().with_bylines()
        return stories if is_editor(request.user) else stories.owned_by(request.user)

    def has_module_permission(self, request):
        return request.user.has_perm("articles.delete_article")

    def has_view_permission(self, request, obj=None):
        allowed = request.user.has_perm("articles.delete_article")
        return allowed and (obj is None or can_view(request.user, obj))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_restore_permission(self, request):
        return request.user.has_perm("articles.delete_article")

    def has_delete_permission(self, request, obj=None):
        allowed = is_editor(request.user) and request.user.has_perm("articles.delete_article")
        return allowed and (obj is None or can_delete(request.user, obj))

    def get_deleted_objects(self, objs, request):
        # A story's revisions, byline and notes go with it: deleting it needs no permission
        # on them of its own.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(author.name for author in article.byline_authors) or "—"

    @admin.display(description="If restored")
    def on_restore(self, article):
        if article.status != Article.Status.PUBLISHED:
            return f"{article.get_status_display()}, as before"
        if article.published_at > timezone.now():
            return f"Scheduled for {local_time(article.published_at)}"
        return "Live again at once, at its old address"

    @admin.action(description="Restore selected stories", permissions=["restore"])
    def restore_selected(self, request, queryset):
        # As stories, not as the trash's proxy rows: the story's history records the restore.
        for article in Article.objects.filter(pk__in=queryset.values("pk")):
            try:
                services.article_untrash(article=article, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                reason = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(
                    request,
                    format_html("“{}” was not restored: {}", article, reason),
                    messages.ERROR,
                )
                continue
            self.message_user(
                request,
                format_html(
                    'Restored “<a href="{}">{}</a>”.',
                    reverse("admin:articles_article_change", args=[article.pk]),
                    article,
                ),
                messages.SUCCESS,
            )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "in_navigation", "story_count"]
    list_editable = ["order", "in_navigation"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    # Explicit, because the story count annotation (a GROUP BY) drops Meta.ordering.
    ordering = ["order", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("articles"))

    @admin.display(description="Stories", ordering="story_count")
    def story_count(self, section):
        return section.story_count


# Stories use Newsroom's own Tag model; taggit's would be an empty, confusing second list.
admin.site.unregister(taggit.models.Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "story_count"]
    search_fields = ["name"]
    # Explicit, because the story count annotation (a GROUP BY) drops Meta.ordering.
    ordering = ["name"]

    def get_urls(self):
        names = path("names/", self.admin_site.admin_view(self.names), name="articles_tag_names")
        return [names, *super().get_urls()]

    def names(self, request):
        """Suggestions for the story form's tag field: existing tag names matching the term."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()[:100]
        tags = Tag.objects.filter(name__icontains=term).order_by("name")[:20]
        results = [{"id": tag.name, "text": tag.name} for tag in tags]
        return JsonResponse({"results": results, "pagination": {"more": False}})

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("tagged_articles"))

    @admin.display(description="Stories", ordering="story_count")
    def story_count(self, tag):
        return tag.story_count


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(admin.ModelAdmin):
    """The front page's lead and top stories; empty or expired slots show the latest."""

    list_display = ["slot", "article", "expires_at", "is_showing"]
    list_editable = ["article", "expires_at"]
    autocomplete_fields = ["article"]
    list_select_related = ["article"]

    @admin.display(description="On the front page now", boolean=True)
    def is_showing(self, slot):
        active = slot.expires_at is None or slot.expires_at > timezone.now()
        return active and slot.article.is_published()

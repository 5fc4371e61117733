"""The admin's pages for notes and notifications (#15).

Every staff member has notifications, whatever their permissions, so these are pages of their
own rather than Django's changelists (which need the model's permissions): the list of the
user's notifications, marking them read, email preferences, and adding a note to a story.
None appears on the admin's index; the header links to them on every page.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from articles.admin_views import as_pk
from articles.models import Article
from articles.permissions import can_view, is_editor

from . import services
from .models import EmailPreferences, Notification

PER_PAGE = 50


class OwnPagesAdmin(admin.ModelAdmin):
    """A model whose admin is only the pages it adds, open to every staff member."""

    def get_model_perms(self, request):
        return {}  # Not on the index.

    def has_module_permission(self, request):
        return False

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Also send me an email when",
        choices=Notification.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Every notification is in the admin; these also arrive by email.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_editor(user):  # Only editors are told of stories submitted for review.
            self.fields["kinds"].choices = [
                choice
                for choice in Notification.Kind.choices
                if choice[0] != Notification.Kind.SUBMITTED
            ]


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note",
        max_length=services.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Only people in the newsroom see notes. Mention a colleague with "
        "@username to tell them.",
        error_messages={"required": "Write the note first."},
    )


def mention_choices(article) -> list:
    """Who a note on the story can mention, listed below the note for the writer to pick
    from (and for note-mentions.js to suggest as they type "@"). At most 200."""
    return list(
        services.mentionable(article)
        .order_by("username")
        .only("username", "first_name", "last_name")[:200]
    )


@admin.register(Notification)
class NotificationAdmin(OwnPagesAdmin):
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.list_view), name="notifications_notification_changelist"),
            path("read/", view(self.read_view), name="notifications_notification_read"),
            path(
                "preferences/",
                view(self.preferences_view),
                name="notifications_notification_preferences",
            ),
            # A note on a story (its thread is on the story's form).
            path(
                "notes/story/<path:pk>/add/",
                view(self.add_note_view),
                name="notifications_note_add_to_story",
            ),
        ]

    def list_view(self, request):
        """The user's notifications, newest first, unread ones marked."""
        mine = Notification.objects.filter(recipient=request.user).select_related("article")
        page = Paginator(mine, PER_PAGE).get_page(request.GET.get("p"))
        context = self._context(
            request,
            "Notifications",
            page_obj=page,
            notifications=page.object_list,
            unread=services.unread_in(request),
        )
        return TemplateResponse(request, "admin/notifications/list.html", context)

    def read_view(self, request):
        """Marks one notification (`notification`) or all of them (`all`) as read (POST)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if "all" in request.POST:
            count = services.mark_read(user=request.user)
            messages.success(request, "Marked all as read." if count else "Nothing was unread.")
        else:
            try:
                pk = as_pk(request.POST.get("notification", ""))
            except Http404:
                return HttpResponseRedirect(reverse("admin:notifications_notification_changelist"))
            services.mark_read(user=request.user, pk=pk)
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:notifications_notification_changelist")
        return HttpResponseRedirect(target)

    def preferences_view(self, request):
        """Which kinds of notification also arrive by email."""
        saved = EmailPreferences.objects.filter(user=request.user).first()
        kinds = saved.kinds if saved else EmailPreferences.default_kinds()
        form = PreferencesForm(
            request.POST if request.method == "POST" else None,
            initial={"kinds": kinds},
            user=request.user,
        )
        if form.is_valid():
            EmailPreferences.objects.update_or_create(
                user=request.user, defaults={"kinds": form.cleaned_data["kinds"]}
            )
            messages.success(request, "Saved your email preferences.")
            return HttpResponseRedirect(reverse("admin:notifications_notification_preferences"))
        context = self._context(request, "Notification emails", form=form, email=request.user.email)
        return TemplateResponse(request, "admin/notifications/preferences.html", context)

    def add_note_view(self, request, pk):
        """Adds a note to a story's thread (POST from the story form). A note refused (too
        long) is shown again on a page of its own, with its text: nothing typed is lost."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article.objects.current(), pk=as_pk(pk))
        if not can_view(request.user, article):
            raise PermissionDenied
        story_url = reverse("admin:articles_article_change", args=[article.pk])
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.note_add(article=article, by=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error("text", error)
            else:
                messages.success(request, "Added your note.")
                return HttpResponseRedirect(f"{story_url}#notes")
        context = self._context(
            request,
            "Add a note",
            form=form,
            original=article,
            story_url=story_url,
            action=request.path,
            mentionable=mention_choices(article),
        )
        return TemplateResponse(request, "admin/notifications/note_form.html", context, status=400)

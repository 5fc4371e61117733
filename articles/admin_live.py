"""Live blogs in the admin (#18).

The live desk is the “Post a live update” form of a live blog (the updates' add form, with
`?article=<id>`): one action posts an update, which is in front of readers at once, and the
form comes back empty for the next one, with the blog's latest updates listed below it. An
update can be edited (a form opened before someone else's edit is refused with the text kept)
and, by editors, deleted.

The story's form links to the desk, and to `live_state`: the page that makes a story a live
blog, ends its coverage or reopens it (articles/live.py, `live_state_set`). Links, not buttons
in the story's form: the story's own unsaved text stays with its form, which warns before it is
left.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from js_asset import Media

from authors.models import Author
from images.chooser import Chooser
from images.widgets import ChooserMedia

from . import live
from .models import Article, LiveUpdate
from .permissions import can_edit, can_post_update, is_editor, live_blogs_for
from .services import local_time

# The updates listed under the desk's form.
DESK_UPDATES = 10


class LiveUpdateForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LiveUpdate
        fields = ["article", "title", "body", "authors", "key_event"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        update = self.instance
        if update.pk:
            current = LiveUpdate.objects.filter(pk=update.pk).values("version", "edited_at")
            current = current.first()
            expected = cleaned.get("expected_version")
            if current and expected is not None and current["version"] != expected:
                when = local_time(current["edited_at"]) if current["edited_at"] else "just now"
                raise ValidationError(
                    f"Someone else changed this update ({when}) after you opened it. Your text "
                    "is still below: copy what you want to keep, then open the update again."
                )
        else:
            article = cleaned.get("article")
            if article is not None and not article.is_taking_updates:
                raise ValidationError(
                    "This live blog's coverage has ended: reopen it to post an update. Your "
                    "text is still below."
                )
            if article is not None and article.is_held():
                raise ValidationError(
                    "Legal holds this story: nothing can be posted to it until the hold is "
                    "lifted. Your text is still below."
                )
        if cleaned.get("key_event") and not (cleaned.get("title") or "").strip():
            self.add_error("title", "A key event needs a title: it is its line in the list.")
        return cleaned


class LiveBlogFilter(admin.SimpleListFilter):
    title = "live blog"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        blogs = live_blogs_for(request.user).order_by("-published_at", "-pk")[:30]
        return [(str(blog.pk), blog.headline) for blog in blogs]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(article_id=int(value))
        return queryset


@admin.register(LiveUpdate)
class LiveUpdateAdmin(admin.ModelAdmin):
    form = LiveUpdateForm
    list_display = ["update", "article", "key_event", "posted_at", "created_by"]
    list_select_related = ["article", "created_by"]
    list_filter = [LiveBlogFilter, "key_event"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["authors"]
    list_per_page = 50
    show_full_result_count = False
    save_on_top = False

    class Media:
        # What is typed on the desk is kept in the browser until posted (#18); the picture
        # library's dialog, for pictures in updates as in stories (the desk names its
        # addresses: templates/admin/articles/liveupdate/change_form.html).
        js = ["js/live-desk.js", *ChooserMedia.js]
        css = ChooserMedia.css

    @admin.display(description="Update", ordering="posted_at")
    def update(self, update):
        return str(update)

    # Whose updates --------------------------------------------------------------------------

    def get_queryset(self, request):
        blogs = live_blogs_for(request.user).values("pk")
        return super().get_queryset(request).filter(article__in=blogs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_post_update(request.user, obj.article))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_post_update(request.user, obj.article))

    # The form ---------------------------------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj is not None else []

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "article" and field is not None:
            # A list of live blogs to choose from, without links to add or change stories.
            field.widget.can_add_related = field.widget.can_change_related = False
            field.widget.can_view_related = False
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            # Only live blogs taking updates that the user may post to.
            kwargs["queryset"] = live_blogs_for(request.user).filter(live=Article.Live.LIVE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # The reporter's own name in the byline: they post most of their updates themselves.
        mine = list(Author.objects.filter(user=request.user).values_list("pk", flat=True)[:1])
        if mine:
            initial.setdefault("authors", mine)
        return initial

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor's import map needs the page's nonce (as on the story form).
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        update = kwargs.get("obj")
        blog = update.article if update is not None else self._blog_asked(request)
        recent = live.updates_of(blog, DESK_UPDATES) if blog is not None else []
        context.update(
            blog=blog,
            recent_updates=recent,
            show_save_and_add_another=False,
            show_save_and_continue=False,
            save_label="Save changes" if update is not None else "Post update",
            can_change_state=blog is not None and can_change_live_state(request.user, blog),
            chooser_urls=Chooser.urls_for_widgets(),
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def _blog_asked(self, request):
        value = request.POST.get("article") or request.GET.get("article") or ""
        if not value.isdigit():
            return None
        return live_blogs_for(request.user).filter(pk=int(value)).first()

    # Saving -------------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            obj.edited_at = timezone.now()
            obj.version = F("version") + 1
        else:
            obj.created_by = request.user
            obj.posted_at = timezone.now()
        super().save_model(request, obj, form, change)
        if change:
            obj.refresh_from_db(fields=["version"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        live.update_saved(form.instance, by=request.user, created=not change)

    def delete_model(self, request, obj):
        live.update_removed(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for update in queryset.select_related("article"):
            live.update_removed(update)
        super().delete_queryset(request, queryset)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.article.is_published():
            words = "Posted at {}: it is on the live blog now."
        else:
            words = "Saved at {}: readers see it when the story is published."
        messages.success(request, format_html(words, timezone.localtime().strftime("%H:%M")))
        return HttpResponseRedirect(desk_url(obj.article_id))

    def response_change(self, request, obj):
        messages.success(request, "The update is saved: readers see the new version.")
        return HttpResponseRedirect(desk_url(obj.article_id))


def desk_url(article_id) -> str:
    """The live desk of a live blog: its “Post a live update” form."""
    return f"{reverse('admin:articles_liveupdate_add')}?article={article_id}"


def can_change_live_state(user, article) -> bool:
    """Whoever may edit the story (editors; a reporter their own draft), or post to its
    live blog (to end or reopen its coverage)."""
    return can_edit(user, article) or (article.is_live_blog and can_post_update(user, article))


LIVE_STATE_BUTTONS = {
    Article.Live.LIVE: "Make it a live blog",
    Article.Live.ENDED: "End the coverage",
    Article.Live.NO: "Make it a plain story again",
}


def live_state(model_admin, request, pk):
    """The page that makes a story a live blog, ends its coverage, or reopens it."""
    article = get_object_or_404(Article.objects.current(), pk=pk)
    if not can_change_live_state(request.user, article):
        raise PermissionDenied
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    if request.method == "POST":
        state = request.POST.get("state", "")
        try:
            live.live_state_set(article=article, state=state, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{live.STATE_WORDS[state]}: “{article.headline}”.")
            if state == Article.Live.LIVE:
                return HttpResponseRedirect(
                    f"{reverse('admin:articles_liveupdate_add')}?article={article.pk}"
                )
        return HttpResponseRedirect(change_url)
    offered = {
        Article.Live.NO: [Article.Live.LIVE],
        Article.Live.LIVE: [Article.Live.ENDED],
        Article.Live.ENDED: [Article.Live.LIVE],
    }[article.live]
    if article.live and not article.live_updates.exists():
        offered.append(Article.Live.NO)
    buttons = [
        (state, "Reopen the coverage" if state == "live" and article.live else label)
        for state in offered
        for label in [LIVE_STATE_BUTTONS[state]]
    ]
    return TemplateResponse(
        request,
        "admin/articles/article/live_state.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "title": "Live blog",
            "subtitle": article.headline,
            "change_url": change_url,
            "buttons": buttons,
            "desk_url": desk_url(article.pk),
            "editor": is_editor(request.user),
        },
    )

"""The newsroom's workspace: writing, reviewing, scheduling, publishing and correcting stories.

Every rule is enforced on the server, whatever the page showed: reporters change only their own
unpublished stories, and each button or list action is a row of workflow.TRANSITIONS that the
save service checks again (#3, #12). One click is one call of `services.article_save()`: the
story, its byline and its tags are saved together, with one revision and one log entry.
"""

import datetime
import functools
import uuid

import taggit.models
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, resolve, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.csrf import csrf_failure as django_csrf_failure
from js_asset import Media

from authors.models import Author
from images.admin import thumbnail_or_status
from images.widgets import ImageChooserWidget
from newsroom import timezones
from newsroom.admin_lists import StaleListEditsMixin

from . import (
    admin_live,
    admin_seo,
    admin_views,
    conflicts,
    editing,
    search,
    services,
    snapshots,
    story_picker,
    workflow,
)
from .admin_filters import AuthorFilter, RestrictionFilter, TagFilter, suggestions
from .form_fields import BylineField, OrderedAutocompleteSelectMultiple, TagNamesField
from .models import (
    Article,
    Breaking,
    Correction,
    FrontPageSlot,
    Section,
    StagedChange,
    Tag,
    TrashedArticle,
    WorkingCopy,
)
from .pagination import LIST_COUNT_CAP, SEARCH_COUNT_CAP, CappedPaginator, capped_count
from .permissions import (
    can_delete,
    can_edit,
    can_post_update,
    can_view,
    is_editor,
    is_legal,
    sees_every_story,
    stories_seen_by,
    tags_seen_by,
)
from .services import local_time, person, short_time
from .text import HEADLINE_SHOWN, WORDS_PER_MINUTE, sanitize_html, text_to_html

# The parts of the story in the form, in the order editors write them.
STORY_FIELDS = ["headline", "slug", "standfirst", "body", "byline", "lead_image", "section", "tags"]
MODEL_FIELDS = [name for name in STORY_FIELDS if name != "byline"]
# Where a save's refusal sends the editor to fix it (services.Problem.field): the first input of
# the field's widget.
FIELD_ANCHORS = {"publish_at": "id_publish_at_0"}
# The form carries who opened it, signed: a save that arrives after the session ended is kept
# for that person (ArticleAdmin._keep_unsent).
EDITOR_SALT, EDITOR_TOKEN_AGE = editing.EDITOR_SALT, editing.EDITOR_TOKEN_AGE
# The box an editor ticks once they merged the paragraphs both they and someone else changed
# (#16): a control, not typed text (editing.typed() leaves it out).
MERGED_FIELD = "_merged"


class StoryRefused(Exception):
    """The save service refused the save as a whole; the form is shown again, with the reason
    and with everything typed (ArticleAdmin.changeform_view)."""

    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


class ArticleAdminForm(forms.ModelForm):
    byline = BylineField(
        queryset=Author.objects.all(),
        required=False,
        widget=OrderedAutocompleteSelectMultiple(Article._meta.get_field("authors"), admin.site),
        help_text="The authors in the order readers see them. Type a name to add one; remove "
        "one with its ×. A story needs at least one to go to review or be published.",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # This form's own id: its autosaved copy, and a save kept when the session ended.
    form_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    publish_at = forms.SplitDateTimeField(
        label="Schedule for",
        required=False,
        widget=AdminSplitDateTime,
        # The button's own label, from the workflow table: help names what the editor sees (#14).
        help_text=f"Date and time in the newsroom's time zone; then press "
        f"“{workflow.first('schedule').label}”. It goes live by itself at that minute.",
    )
    significant_update = forms.BooleanField(
        required=False,
        label="Significant update",
        help_text="Tick to show readers a new “Updated” time when the changes are published. "
        "Leave it for typo fixes.",
    )
    correction_kind = forms.ChoiceField(
        label="Add a note",
        choices=Correction.NOTE_KINDS,
        initial=Correction.Kind.CORRECTION,
        required=False,
    )
    correction_text = forms.CharField(
        label="Note text",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 90}),
        help_text="Published with the changes: shown at the end of the story and on the "
        "corrections page, with the date.",
    )

    # Set by ArticleAdmin.get_form(): the request the form answers.
    request = None

    class Meta:
        model = Article
        fields = [*MODEL_FIELDS, *admin_seo.SEO_FIELDS, "embargo_until"]
        field_classes = {"tags": TagNamesField}
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "slug": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "standfirst": forms.Textarea(attrs={"rows": 3, "cols": 90}),
            "seo_title": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "seo_description": forms.Textarea(attrs={"rows": 3, "cols": 90}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("form_key", uuid.uuid4())
        restore = getattr(self.request, "newsroom_restore", None)
        if restore is not None and not self.is_bound:
            # Unsaved work brought back: the form shows it as it was typed, as after a post.
            data = {k: v for k, v in restore.data.items() if not k.startswith("_")}
            self.data, self.is_bound = MultiValueDict(data), True
        if "slug" in self.fields:
            # Filled in from the headline when left empty, so a headline of emoji saves too.
            self.fields["slug"].required = False
        article = self.instance
        user = getattr(self.request, "user", None)
        if not article.pk and "byline" not in self.initial and hasattr(user, "author_profile"):
            # A new story is the writer's own: their byline is there to start with.
            self.initial["byline"] = [user.author_profile.pk]
        if article.pk and article.is_published() and "publish_at" in self.fields:
            self.fields["publish_at"].label = "Publish the changes at"
            self.fields["publish_at"].help_text = (
                "Date and time in the newsroom's time zone; then press "
                f"“{workflow.first('schedule_changes').label}”. Readers see them by themselves "
                "at that minute."
            )
        if article.pk:
            self.initial["expected_version"] = article.version
            self.initial["byline"] = [a.pk for a in article.byline_authors]
            if article.is_scheduled():
                # Its time, or its embargo's when that is later (#15).
                self.initial["publish_at"] = timezone.localtime(article.goes_live_at)
            staged = StagedChange.objects.filter(article=article).first()
            if staged is not None:
                self._show_staged(staged)
        # Its date and time inputs say which zone they are in (#15).
        timezones.name_the_zone(self)

    def _show_staged(self, staged):
        """A live story's form shows its unpublished changes, to go on working on them."""
        snap = staged.snapshot
        for name in snapshots.TEXT_PARTS:
            if name in snap:
                self.initial[name] = snap[name]
        for name in ("section", "lead_image"):
            if name in snap:
                self.initial[name] = snap[name]["id"] if snap[name] else None
        self.initial["byline"] = [entry["id"] for entry in snap["authors"]]
        self.initial["tags"] = list(snap["tags"])
        self.initial["significant_update"] = staged.significant
        if staged.note_text:
            self.initial["correction_kind"] = staged.note_kind
            self.initial["correction_text"] = staged.note_text
        if staged.publish_at:
            self.initial["publish_at"] = timezone.localtime(staged.publish_at)

    def clean_body(self):
        # The editor sends HTML; plain text (a script, an old client) becomes paragraphs.
        body = self.cleaned_data["body"]
        if body.strip() and not body.lstrip().startswith("<"):
            body = text_to_html(body)
        return sanitize_html(body)

    def clean(self):
        cleaned = super().clean()
        refusal = getattr(self.request, "newsroom_refusal", None)
        if refusal is not None:
            self._show_refusal(refusal)
        # Only a save is held back: the form brought back after "Apply my changes" is not
        # an error yet.
        pending = self.pending_clash() if getattr(self.request, "method", "") == "POST" else None
        if conflicts.unresolved(pending) and not self.data.get(MERGED_FIELD):
            # Both editors changed the same paragraph: the form holds theirs, and a plain
            # save would drop the editor's own words (#16).
            raise ValidationError(conflicts.resolve_error(pending), code="unmerged")
        return cleaned

    def pending_clash(self) -> dict | None:
        """The kept copy of this form after "Apply my changes", while it holds parts both
        editors changed (conflicts.merged); None otherwise."""
        request, article = self.request, self.instance
        if request is None or not article.pk or "_reapply" in self.data:
            return None
        key = self.data.get("form_key") if self.is_bound else self.initial.get("form_key")
        try:
            key = uuid.UUID(str(key))
        except ValueError:
            return None
        copy = WorkingCopy.objects.filter(
            user_id=getattr(request.user, "pk", None), article=article, key=key
        ).first()
        return copy.data if copy is not None else None

    def _show_refusal(self, error):
        """The service's reason for refusing the save, where the editor will look for it."""
        if isinstance(error, services.AddressTaken):
            # The free address is typed in for them: saving again takes it.
            self.data = self.data.copy()
            self.data["slug"] = error.free
        if isinstance(error, services.TrashedMeanwhile):
            raise ValidationError(
                format_html(
                    '{} Your text is still below: copy what you need, or <a href="{}">restore '
                    "the story from the trash</a> and make your changes again.",
                    error.message,
                    reverse("admin:articles_trashedarticle_changelist"),
                ),
                code="trashed",
            )
        if isinstance(error, services.StaleSave):
            raise ValidationError(self._conflict_html(error), code="conflict")
        if isinstance(error, services.HeldByOther):
            raise ValidationError(error.message, code="locked")
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            raise error

    def _conflict_html(self, error):
        """Who saved, what they changed, which of your changes clash: and one button to put
        yours back on the latest version (#12)."""
        article = error.article
        mine = conflicts.from_form(self.cleaned_data, article)
        found = conflicts.conflict(article, error.expected_version, mine)
        return render_to_string(
            "admin/articles/article/conflict.html",
            {
                "message": error.message,
                "who": error.who,
                "found": found,
                "names": found.names,
                "comparison": found.theirs,
                "latest_url": reverse("admin:articles_article_change", args=[article.pk]),
            },
        )


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # Stories in the trash have their own list (TrashedArticleAdmin). Reporters see only
        # their own stories: ArticleAdmin.get_search_results, which the list calls too. The
        # lead pictures' thumbnails come with their renditions: one query for the page (#14).
        stories = super().get_queryset(request, exclude_parameters).current()
        return stories.select_related("lead_image").prefetch_related("lead_image__renditions")

    def get_results(self, request):
        super().get_results(request)
        # Who has each story of the page open now: one query for the page (#12).
        people = editing.people_in(story.pk for story in self.result_list)
        for story in self.result_list:
            story.newsroom_people = people.get(story.pk, [])


def trash_link(text="the trash") -> str:
    return format_html(
        '<a href="{}">{}</a>', reverse("admin:articles_trashedarticle_changelist"), text
    )


def _bulk_action(transition):
    """A list action for a transition of the table: the same service, story by story."""

    def action(model_admin, request, queryset):
        return model_admin.act(request, queryset, transition)

    action.__name__ = action.__qualname__ = f"{transition.name}_selected"
    permissions = ["publish"] if transition.roles == workflow.EDITORS else ["change"]
    return admin.action(description=transition.action, permissions=permissions)(action)


def _is_autocomplete(request):
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "autocomplete")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":
            # The library's thumbnails in a dialog, with search and uploads (#14): no popup.
            return db_field.formfield(widget=ImageChooserWidget(label="Lead image"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    class Media:
        # Autosave, the warning before leaving, presence and locks (#12); the word count,
        # reading time and headline length, lists pasted from Word, the byline reordered by
        # dragging or from the keyboard (#14).
        js = [
            "js/story-form.js",
            "js/story-measures.js",
            "js/story-paste.js",
            "js/byline-order.js",
            # The SEO fields' lengths and the preview of the search result and card (#14).
            "js/story-seo.js",
        ]

    # Fits 1280 px without scrolling sideways (#14): the headline takes the room; the rest
    # is short (dates without the year of this year, the zone in the tooltip).
    list_display = ["picture", "story", "state", "published", "edited"]
    list_display_links = ["story"]
    # Authors and tags are typed, with suggestions, not listed in full (#14): see
    # articles/admin_filters.py. Sections and states are few, and stay lists.
    list_filter = ["status", RestrictionFilter, "section", AuthorFilter, TagFilter, "published_at"]
    autocomplete_fields = ["section"]
    search_fields = ["headline", "standfirst", "body", "authors__name"]
    # No date_hierarchy (#14): its year links cost a DISTINCT over every matching story and
    # its range a MIN/MAX, on every request; the "Published" filter picks dates without them.
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
        "seo_preview",
        "body_as_read",
        "live_blog",
    ]
    # One action for each transition the table offers to the list (added below the class).
    actions = [*(f"{t.name}_selected" for t in workflow.bulk_actions()), "trash_selected"]
    # Deleting a story moves it to the trash (TrashedArticleAdmin below): this page says so.
    delete_confirmation_template = "admin/articles/article/trash_confirmation.html"
    list_per_page = 50
    # The list counts the stories it pages through once; Django's second count, of every
    # story ("3 of 100,000 selected"), would scan the whole table on each filtered request.
    show_full_result_count = False
    # At archive scale (#14): the list counts 10,000 stories at most ("10,000+"), and never
    # counts each filter's values (Django's "Show counts" would, for every value at once).
    paginator = CappedPaginator
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        stories = super().get_queryset(request)
        return stories.select_related("updated_by", "section", "staged_change").with_bylines()

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None and article.trashed_at is not None:
            # Stories in the trash are seen from the trash. A save posted from a form opened
            # before the story went there reaches the service, which refuses it with the
            # reason; the text typed is shown again, not lost.
            saving = request.method == "POST" and request.resolver_match.url_name.endswith(
                "_change"
            )
            return article if saving else None
        return article

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request = request
        return form

    def get_fieldsets(self, request, obj=None):
        editor = is_editor(request.user)
        live = obj is not None and obj.is_published()
        publishing = ["publishing_state", "publication_time"]
        if not live:
            # An embargo is for a story readers haven't seen (#15): whoever may change the
            # story sets it, reporters on their own drafts too (they get the press release).
            publishing.append("embargo_until")
        if editor:
            publishing.append("publish_at")
        if editor and live:
            publishing.append("significant_update")
        publishing += ["revised_at", "public_link"]
        if obj is not None:
            publishing.append("live_blog")
        story_fields = [*STORY_FIELDS, "expected_version", "form_key"]
        if obj is not None and not self.has_change_permission(request, obj):
            # Read, not edited (Legal, #15; a story someone else holds): the body as a reader
            # sees its paragraphs, not as HTML source.
            story_fields[story_fields.index("body")] = "body_as_read"
        fieldsets = [
            (None, {"fields": story_fields}),
            admin_seo.fieldset(obj),
            ("Publishing", {"fields": publishing}),
        ]
        if obj is not None and (live or obj.corrections.exists()):
            fields = ["corrections_list"]
            if editor and live:
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
        allowed = allowed and (obj is None or can_edit(request.user, obj))
        if allowed and obj is not None and request.method == "GET" and editing.locks_on():
            # Someone else holds the story: it opens to read (a save is refused with the
            # reason, never with a 403 that loses the text).
            allowed = self._lock_of(request, obj) is None
        return allowed

    def _lock_of(self, request, article):
        """The lock someone else holds on the story, asked once a request."""
        cache = request.__dict__.setdefault("newsroom_locks", {})
        if article.pk not in cache:
            cache[article.pk] = editing.held_by_other(article, request.user)
        return cache[article.pk]

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        # A held story offers no "Move to the trash" (#15); delete_view says why if asked.
        return allowed and (obj is None or (can_delete(request.user, obj) and not obj.is_held()))

    def has_publish_permission(self, request):
        return is_editor(request.user)

    def get_search_fields(self, request):
        # The autocomplete of other lists (front page slots) matches what is typed so far in
        # headlines; the story list's search uses the full-text index (get_search_results).
        if _is_autocomplete(request):
            return ["headline"]
        return super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        # The story list searches with the site's full-text index, in every state (#14):
        # headline, standfirst, body, authors and tags, without scanning every body.
        matching = None
        if not _is_autocomplete(request):
            matching = search.matching_any_state(search_term, using=queryset.db)
        if matching is not None:
            queryset, may_have_duplicates = queryset.filter(pk__in=matching), False
        else:
            queryset, may_have_duplicates = super().get_search_results(
                request, queryset, search_term
            )
        # The autocomplete of other lists (front page slots) searches stories here, outside
        # the list of stories: reporters find only their own there too (#7).
        if not sees_every_story(request.user):
            queryset = queryset.owned_by(request.user)
        return queryset, may_have_duplicates

    # Displays

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(author.name for author in article.byline_authors) or "—"

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        """The state, and under it who has the story open now (#12)."""
        people = getattr(article, "newsroom_people", [])
        if not people:
            return self.status_of(article)
        names = ", ".join(editing.name_of(p.user) for p in people)
        return format_html(
            '{}<span class="story-meta">Open now: {}</span>', self.status_of(article), names
        )

    @staticmethod
    def status_of(article):
        """The state in a word or two, with the hold (#15) and the live blog (#18) beside it."""
        badges = []
        if article.is_held():
            badges.append(
                format_html('<span class="story-badge story-badge--hold">{}</span>', "Legal hold")
            )
        if article.is_live_blog:
            words = "Live blog" if article.is_taking_updates else "Live blog ended"
            badges.append(
                format_html('<span class="story-badge story-badge--live">{}</span>', words)
            )
        if not badges:
            return ArticleAdmin._state_word(article)
        return format_html(
            "{} {}",
            ArticleAdmin._state_word(article),
            format_html_join(" ", "{}", ((b,) for b in badges)),
        )

    @staticmethod
    def _state_word(article):
        if article.is_scheduled():
            return "Scheduled"
        if article.is_published():
            try:
                waiting = article.staged_change is not None
            except StagedChange.DoesNotExist:
                waiting = False
            return "Live, with unpublished changes" if waiting else "Live"
        return article.get_status_display()

    @admin.display(description="Status")
    def publishing_state(self, article):
        if article.is_scheduled() and article.is_embargoed():
            return (
                f"Scheduled: it goes live at {local_time(article.goes_live_at)}, when the "
                "embargo lifts."
                if article.goes_live_at == article.embargo_until
                else f"Scheduled for {local_time(article.published_at)}"
            )
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

    @admin.display(description="Picture", empty_value="")
    def picture(self, article):
        """The lead picture, small: the headline beside it says what it is (no alt text)."""
        image = article.lead_image
        if image is None or not image.file:
            return ""
        return thumbnail_or_status(image, near=160, max_width=64, alt="")

    @admin.display(description="Story", ordering="headline")
    def story(self, article):
        """The headline, and under it the byline, the section and the embargo (#15: in the
        widest column, so that its time doesn't widen the list past 1280 px)."""
        meta = " · ".join(filter(None, [self.byline(article), str(article.section or "")]))
        embargo = ""
        if article.is_embargoed():
            embargo = format_html(
                ' <span class="story-badge story-badge--embargo">Embargoed until {}</span>',
                short_time(article.embargo_until),  # The whole time in its tooltip.
            )
        return format_html(
            '{}<span class="story-meta">{}{}</span>', article.headline, meta, embargo
        )

    @admin.display(description="Published", ordering="published_at")
    def published(self, article):
        return short_time(article.published_at)

    @admin.display(description="Last edited", ordering="updated_at")
    def edited(self, article):
        if article.updated_by is None:
            return short_time(article.updated_at)
        return format_html("{} by {}", short_time(article.updated_at), person(article.updated_by))

    @admin.display(description="Last edited", ordering="updated_at")
    def last_edited(self, article):
        return local_time(article.updated_at) if article.updated_at else "—"

    @admin.display(description="Public address")
    def public_link(self, article):
        if article.pk and article.is_published():
            url = article.get_absolute_url()
            return format_html('<a href="{}">{}</a>', url, url)
        return "Not on the site: readers can't see this story."

    @admin.display(description="Live blog")
    def live_blog(self, article):
        """The story's live blog (#18): its state, and links to its desk and to the page that
        starts or ends it (links: this form's unsaved text stays here, and it warns)."""
        # Who reads the form: set by render_change_form (a read-only field is given the story
        # only).
        user = getattr(article, "viewer", None)
        may_change = user is not None and admin_live.can_change_live_state(user, article)
        state_url = reverse("admin:articles_article_live_state", args=[article.pk])
        if not article.is_live_blog:
            if not may_change:
                return "No"
            return format_html('No. <a href="{}">Make it a live blog…</a>', state_url)
        count = article.live_updates.count()
        parts = [
            "Live: taking updates" if article.is_taking_updates else "Coverage ended",
            f"{count} update{'' if count == 1 else 's'}",
        ]
        links = []
        if article.is_taking_updates and user is not None and can_post_update(user, article):
            desk = admin_live.desk_url(article.pk)
            links.append(format_html('<a href="{}">Post a live update</a>', desk))
        if may_change:
            words = "End the coverage…" if article.is_taking_updates else "Reopen the coverage…"
            links.append(format_html('<a href="{}">{}</a>', state_url, words))
        return format_html(
            "{}. {}", "; ".join(parts), format_html_join(" · ", "{}", ((link,) for link in links))
        )

    @admin.display(description="Body")
    def body_as_read(self, article):
        # The body was sanitised against the allowlist when it was saved (Article.save()), and
        # again here, as the public page's rendering does before it marks it safe.
        return mark_safe(sanitize_html(article.body or ""))

    @admin.display(description="Preview")
    def seo_preview(self, article):
        return admin_seo.preview_html(article)

    # Not "notes": those are the internal thread below the form (#15); these are public.
    @admin.display(description="Published so far")
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

    # Extra pages: preview, preview links, revisions, withdrawing, sending back, unpublished
    # changes

    def get_urls(self):
        views = admin_views.ArticleAdminViews(self)
        wrap = self.admin_site.admin_view

        def story(route, view, name):
            return path(f"<int:pk>/{route}", wrap(view), name=f"articles_article_{name}")

        live = admin_views.EditingViews(self)
        urls = super().get_urls()
        for pattern in urls:
            if pattern.name in ("articles_article_add", "articles_article_change"):
                pattern.callback = self._keeps_text(pattern.callback)
        return [
            # The form's script: JSON answers, 401 (not the login page) once the session ended.
            path("autosave/", live.autosave, name="articles_article_autosave_new"),
            path("<int:pk>/autosave/", live.autosave, name="articles_article_autosave"),
            path("<int:pk>/presence/", live.presence, name="articles_article_presence"),
            path("csrf-token/", live.csrf_token, name="articles_article_csrf_token"),
            path(
                "filter-suggestions/",
                wrap(self.filter_suggestions),
                name="articles_article_filter_suggestions",
            ),
            # The body editor's story search: links and related boxes (#14).
            path(
                "stories/",
                functools.partial(story_picker.stories, model_admin=self),
                name="articles_article_stories",
            ),
            story("take-over/", live.take_over, "take_over"),
            story("unsaved/discard/", live.discard_copy, "discard_copy"),
            path(
                "unsaved/discard/",
                wrap(live.discard_copy),
                name="articles_article_discard_new_copy",
            ),
            path(
                "social-image/",
                wrap(admin_seo.social_image),
                name="articles_article_social_image",
            ),
            story("preview/", views.preview, "preview"),
            story("preview-links/", views.preview_links, "preview_links"),
            story("revisions/", views.revisions, "revisions"),
            story("revisions/compare/", views.compare, "compare"),
            story("revisions/<int:revision_pk>/restore/", views.restore, "restore"),
            story("withdraw/", views.withdraw, "withdraw"),
            story("hold/", views.hold, "hold"),
            story("hold/lift/", views.release, "release"),
            story("send-back/", views.send_back, "send_back"),
            story("live/", functools.partial(admin_live.live_state, self), "live_state"),
            story("changes/discard/", views.discard_changes, "discard_changes"),
            *urls,
        ]

    def _keeps_text(self, view):
        """Wraps the add and change views: a save posted after the session ended (a logout in
        another tab, a password change, an expired cookie) is kept, not lost (#12)."""

        @functools.wraps(view)
        def keeping(request, *args, **kwargs):
            if request.method == "POST":
                kept = self._keep_unsent(request, kwargs.get("object_id"))
                if kept is not None:
                    return kept
            return view(request, *args, **kwargs)

        return keeping

    def _keep_unsent(self, request, object_id, *, stale_form=False):
        """When the form's sender is no longer its opener (logged out, or someone else logged
        in since), keeps the text as the opener's unsaved work and says what to do. With
        `stale_form` (the CSRF check refused the post: the opener logged in again since the
        form opened), the opener's text goes back into a fresh form."""
        try:
            signed = signing.loads(
                request.POST.get("_editor", ""),
                salt=EDITOR_SALT,
                max_age=EDITOR_TOKEN_AGE.total_seconds(),
            )
            opener_pk, key = signed["user"], uuid.UUID(signed["form"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None
        if request.POST.get("form_key") != str(key):
            return None  # The signature is of another form.
        user = request.user
        same = user.is_authenticated and user.pk == opener_pk
        if same and self.admin_site.has_permission(request) and not stale_form:
            return None  # The normal case.
        opener = get_user_model().objects.filter(pk=opener_pk, is_active=True).first()
        if opener is None:
            return None
        try:
            article = (
                Article.objects.filter(pk=admin_views.as_pk(object_id)).first()
                if object_id
                else None
            )
        except Http404:
            return None
        if article is not None and not can_view(opener, article):
            return None  # Only a story the opener may read keeps their text.
        copy = editing.working_copy_keep(
            user=opener,
            article=article,
            key=key,
            data=editing.typed(request.POST),
            reason=WorkingCopy.Reason.SESSION,
        )
        form_url = (
            reverse("admin:articles_article_change", args=[article.pk])
            if article
            else reverse("admin:articles_article_add")
        )
        target = f"{form_url}?restore={copy.key}"
        if same and self.admin_site.has_permission(request):
            messages.warning(
                request,
                "The page was out of date (you logged in again after opening it), so nothing "
                "was saved yet. Your text is back in the form: check it, then save again.",
            )
            return HttpResponseRedirect(target)
        if user.is_authenticated and self.admin_site.has_permission(request):
            messages.warning(
                request,
                f"This form was opened by {editing.name_of(opener)}, and you are logged in as "
                f"{editing.name_of(user)} now, so nothing was saved. The text is kept for "
                f"{editing.name_of(opener)}: it opens with the story when they log in.",
            )
            return HttpResponseRedirect(form_url)
        messages.warning(
            request,
            "Your session ended before your save arrived, so nothing is saved yet, and nothing "
            "is lost: log in again and the story opens with your text, ready to save.",
        )
        return redirect_to_login(target, reverse("admin:login"))

    # Saving: one click, one call of the save service

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and not is_editor(request.user):
            # A reporter posting an editor's button by hand is refused before anything is read.
            if any(f"_{name}" in request.POST for name in workflow.EDITOR_ONLY):
                raise PermissionDenied
        extra_context = {**(extra_context or {}), "is_editor": is_editor(request.user)}
        if request.method == "GET" and request.GET.get("restore"):
            self._restore(request, object_id, request.GET["restore"])
        if request.method == "POST" and "_reapply" in request.POST and object_id:
            reapplied = self._reapply(request, object_id)
            if reapplied is not None:
                return reapplied
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PermissionDenied:
            # The story moved on while the form was open (published, so its reporter may no
            # longer change it): the text is kept, not lost with a 403.
            kept = self._kept_when_refused(request, object_id)
            if kept is None:
                raise
            return kept
        except StoryRefused as refused:
            # Nothing was saved (the transaction rolled back). The form is shown again, bound
            # to what was posted, with the service's reason (ArticleAdminForm.clean()), and the
            # text is kept as the user's unsaved work too, in case the page goes.
            request.newsroom_refusal = refused.error
            self._keep_as_unsaved(request, object_id)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _kept_when_refused(self, request, object_id):
        """A save refused for rights the user had when the form opened: their text is kept as
        their unsaved work, shown on the story's page (read-only for them now)."""
        if request.method != "POST" or object_id is None:
            return None
        if not request.user.has_perm("articles.change_article"):
            return None  # Never had the right (Legal reads stories, #15): a plain 403.
        article = Article.objects.current().filter(pk=object_id).first()
        if article is None or not can_view(request.user, article):
            return None
        copy = self._keep_as_unsaved(request, object_id)
        if copy is None:
            return None
        messages.warning(
            request,
            format_html(
                "“{}” changed while your form was open ({}), and you can't change it any "
                "more, so your changes weren't saved. Nothing is lost: your text is below, "
                "kept as your unsaved work; ask an editor to apply it.",
                article,
                self.publishing_state(article).rstrip("."),
            ),
        )
        url = reverse("admin:articles_article_change", args=[article.pk])
        return HttpResponseRedirect(f"{url}?restore={copy.key}")

    def _keep_as_unsaved(self, request, object_id):
        try:
            key = uuid.UUID(request.POST.get("form_key", ""))
        except ValueError:
            return None
        article = Article.objects.filter(pk=object_id).first() if object_id else None
        return editing.working_copy_keep(
            user=request.user, article=article, key=key, data=editing.typed(request.POST)
        )

    def _restore(self, request, object_id, key):
        """Opens the form with the user's unsaved work (`?restore=<key>`)."""
        try:
            copy = editing.working_copy_of(request.user, key=uuid.UUID(key))
        except ValueError:
            copy = None
        same_story = copy is not None and (
            str(copy.article_id) == str(object_id) if object_id else copy.article_id is None
        )
        if not same_story:
            messages.info(request, "There is no unsaved work of yours to bring back here.")
            return
        request.newsroom_restore = copy
        if copy.article is not None and not self.has_change_permission(request, copy.article):
            return  # Read-only for them now: the page shows the text to copy from.
        if request.GET.get("combined"):
            return  # "Apply my changes" said what the form holds.
        saved = local_time(copy.saved_at)
        if copy.reason == WorkingCopy.Reason.SESSION:
            text = f"Your text from {saved}, when your session ended, is back in the form."
        else:
            text = f"Your unsaved changes from {saved} are back in the form."
        messages.success(request, f"{text} Nothing is saved until you save.")

    def _reapply(self, request, object_id):
        """After a refused stale save: the editor's changes on the latest version (#12)."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_change_permission(request, article):
            return None
        form_class = self.get_form(request, article, change=True)
        # Validating puts the posted values on its instance: the story stays as it is.
        form = form_class(request.POST, instance=Article.objects.get(pk=article.pk))
        if not form.is_valid():
            return None  # The usual page, with the form's own errors.
        mine = conflicts.from_form(form.cleaned_data, article)
        found = conflicts.conflict(article, form.cleaned_data.get("expected_version"), mine)
        who, _ = services.last_save(article)
        data = conflicts.merged(article, editing.typed(request.POST), found, who)
        key = form.cleaned_data.get("form_key") or uuid.uuid4()
        copy = editing.working_copy_keep(user=request.user, article=article, key=key, data=data)
        # One message says what was combined and what is left (#16): the restore says nothing.
        text = conflicts.combined_message(found, who)
        (messages.warning if found.clashes else messages.success)(request, text)
        url = reverse("admin:articles_article_change", args=[article.pk])
        return HttpResponseRedirect(f"{url}?restore={copy.key}&combined=1")

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor's import map is an inline script: under the admin's
        # Content-Security-Policy it runs only with this request's nonce (#7).
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        article = kwargs.get("obj")
        if article is not None:
            article.viewer = request.user  # For the live blog's links (live_blog()).
        live = article is not None and article.is_published()
        transitions = workflow.offered(request.user, article or Article())
        if article is not None and article.is_held():
            # Held (#15): no button that would put it, or changes to it, in front of readers.
            transitions = [t for t in transitions if t.target not in services.PUBLIC_STATES]
        context.update(
            transitions=transitions,
            story_is_live=live,
            **self._restriction_context(request, article),
            staged_change=StagedChange.objects.filter(article=article).first() if live else None,
            save_label="Save draft of changes" if live else "Save",
            **self._editing_context(request, article, context),
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def _restriction_context(self, request, article):
        """The embargo and hold banners above the form, and Legal's buttons (#15)."""
        if article is None:
            return {}
        found = {"may_hold": is_legal(request.user)}
        if article.embargo_until is not None and not article.is_published():
            if article.is_embargoed():
                found["embargo_banner"] = (
                    f"Embargoed until {local_time(article.embargo_until)}, in the newsroom's "
                    "time zone. Until then it can't be published, and it can be scheduled "
                    "for that minute or later; it goes live by itself then."
                )
            else:
                found["embargo_banner"] = (
                    f"The embargo lifted at {local_time(article.embargo_until)}: the story "
                    "may be published."
                )
        if article.is_held():
            found["hold_banner"] = services.hold_words(article)
        return found

    def _editing_context(self, request, article, context):
        """What the form needs to keep the text safe and show who else is at work (#12)."""
        form = context["adminform"].form
        may_edit = (
            self.has_change_permission(request, article)
            if article
            else self.has_add_permission(request)
        )
        key = form.data.get("form_key") if form.is_bound else form.initial.get("form_key")
        found = {
            "editor_token": signing.dumps(
                {"user": request.user.pk, "form": str(key)}, salt=EDITOR_SALT
            ),
            # A form shown again with what was posted (a refused save, unsaved work brought
            # back) holds words no save has kept yet: the script treats them as unsaved.
            "unsaved": form.is_bound,
            "may_edit": may_edit,
            "autosave_seconds": editing.autosave_seconds(),
            "heartbeat_seconds": editing.heartbeat_seconds(),
            "words_per_minute": WORDS_PER_MINUTE,
            "headline_shown": HEADLINE_SHOWN,
            "autosave_url": (
                reverse("admin:articles_article_autosave", args=[article.pk])
                if article
                else reverse("admin:articles_article_autosave_new")
            ),
            "kept_versions": [],
        }
        restored = getattr(request, "newsroom_restore", None)
        if restored is not None:
            found["kept_versions"] = conflicts.clash_labels(restored.data)
            if not may_edit:
                # The form can't hold it (read-only): the text is shown to copy from.
                found["kept_versions"] = conflicts.typed_text(restored.data)
        elif form.is_bound and article is not None:
            # A save refused until the editor merges what both changed: still shown (#16).
            found["kept_versions"] = conflicts.clash_labels(form.pending_clash() or {})
        if found["kept_versions"] and may_edit:
            pending = restored.data if restored is not None else form.pending_clash()
            found["clash_with"] = (pending or {}).get("_who") or "someone else"
            found["merged_field"] = MERGED_FIELD
        if article is None:
            return found
        found["presence_url"] = reverse("admin:articles_article_presence", args=[article.pk])
        if request.method == "GET":
            editing.beat(user=request.user, article=article)
            if may_edit:
                editing.hold(user=request.user, article=article)
        found["others"] = [
            {"name": editing.name_of(p.user), "since": p.since}
            for p in editing.others_in(article, request.user)
        ]
        lock = editing.holder(article)
        found["lock"] = lock
        found["lock_is_other"] = lock is not None and lock.user_id != request.user.pk
        found["may_take_over"] = found["lock_is_other"] and is_editor(request.user)
        if request.method == "GET" and restored is None and not form.is_bound:
            copy = editing.working_copy_of(request.user, article=article)
            if copy is not None and self._differs(request, article, copy):
                found["working_copy"] = copy
        return found

    def _differs(self, request, article, copy) -> bool:
        """Whether unsaved work holds anything the form doesn't show already."""
        form_class = self.get_form(request, article, change=True)
        data = {k: v for k, v in copy.data.items() if not k.startswith("_")}
        # Validating puts the copy's values on its instance: the page's story stays as it is.
        form = form_class(MultiValueDict(data), instance=Article.objects.get(pk=article.pk))
        if not form.is_valid():
            return True
        mine = conflicts.from_form(form.cleaned_data, article)
        return bool(snapshots.changed_parts(conflicts.latest(article), mine)) or any(
            form.cleaned_data.get(name) for name in ("correction_text", "publish_at")
        )

    def save_model(self, request, obj, form, change):
        """Nothing here: save_related() saves the story, its byline and its tags at once."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        pressed = next((name for name in workflow.NAMES if f"_{name}" in request.POST), "")
        live = change and Article.objects.filter(pk=form.instance.pk).published().exists()
        note = None
        if data.get("correction_text", "").strip():
            note = services.Note(
                kind=data.get("correction_kind") or Correction.Kind.CORRECTION,
                text=data["correction_text"],
            )
        try:
            result = services.article_save(
                article=form.instance if change else None,
                by=request.user,
                changes={name: data[name] for name in services.EDITABLE if name in data},
                authors=data.get("byline", []),
                tags=data.get("tags", []),
                transition=pressed,
                at=data.get("publish_at"),
                note=note,
                significant=bool(data.get("significant_update")),
                expected_version=data.get("expected_version") if change else None,
                stage=live and not pressed,
            )
        except ValidationError as error:
            raise StoryRefused(error) from error
        services.copy_back(form.instance, result.article)
        request.newsroom_result = result
        # Saved: the autosaved copy of this form (and any older one of the story) is done with.
        editing.working_copy_forget(request.user, article=result.article, key=data.get("form_key"))
        editing.form_saved(data.get("form_key"))

    # The service logs each save once, in editors' words; the admin's own log would be a second.

    def log_addition(self, request, obj, message):
        pass

    def log_change(self, request, obj, message):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        return self._respond(request, obj)

    def response_change(self, request, obj):
        return self._respond(request, obj)

    def _respond(self, request, obj):
        result = request.newsroom_result
        level, text = self.describe(request, result)
        self.message_user(request, text, level)
        plain_save = "_save" in request.POST and result.asked is None and not result.staged
        if plain_save and self.has_view_or_change_permission(request):
            url = reverse("admin:articles_article_changelist")
            filters = self.get_preserved_filters(request)
            url = add_preserved_filters({"preserved_filters": filters, "opts": self.opts}, url)
            return HttpResponseRedirect(url)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def describe(self, request, result):
        """What the user is told about a save, in plain words: (message level, HTML)."""
        article = result.article
        if result.refused:
            # A fix made in one field links to it, so the editor lands on it (the time, say).
            parts = [services.refusal_message(result)] + [
                format_html('<a href="#{}">{}</a>', FIELD_ANCHORS[name], fix) if name else fix
                for fix, name in zip(result.fixes, result.fix_fields, strict=True)
            ]
            return messages.WARNING, format_html_join(" ", "{}", ((part,) for part in parts))
        if not result.saved:
            return messages.INFO, format_html("Nothing to save: “{}” is as it was.", article)
        note = " Added the note; readers now see a new “Updated” time." if result.note else ""
        made = result.made
        if made is None:
            if result.discarded:
                text = format_html(
                    "Discarded the unpublished changes to “{}”: readers see the published version.",
                    article,
                )
            elif result.staged:
                text = format_html(
                    "Saved the changes to “{}” as a draft: readers still see the published "
                    'version. <a href="{}">Preview the changes</a>, then press “Publish '
                    "changes”.",
                    article,
                    reverse("admin:articles_article_preview", args=[article.pk]),
                )
            elif result.created:
                text = format_html("Saved “{}” as a draft.", article)
            else:
                text = format_html("Saved the changes to “{}”.", article)
            return messages.SUCCESS, format_html("{}{}", text, note)
        url = request.build_absolute_uri(article.get_absolute_url() or "")
        staged = StagedChange.objects.filter(article=article).first()
        when = staged.publish_at if made.name == "schedule_changes" and staged else None
        text = format_html(
            made.done,
            story=article,
            url=format_html('<a href="{}">{}</a>', url, url),
            time=local_time(when or article.published_at) if (when or article.published_at) else "",
        )
        return messages.SUCCESS, format_html("{}{}", text, note)

    # List actions, read from the workflow table. The list carries the time it was loaded: a
    # story changed by someone else since then is left alone, as a stale form would be (#3).

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

    def act(self, request, queryset, transition):
        """Runs a transition on each selected story; asks first when the table says so."""
        if transition.confirm and "_confirmed" not in request.POST:
            return admin_views.confirm_withdrawal(self, request, list(queryset))
        stale = self._stale(request, queryset)
        reason = request.POST.get("reason", "")
        for article in queryset:
            if article.pk in stale:
                continue
            self.run(request, article, transition.name, reason=reason)
        return None

    def run(self, request, article, name, **kwargs):
        """One transition on one story, with the outcome told in plain words."""
        t = workflow.find(name, workflow.state_of(article))
        if t is None:
            verb = workflow.first(name).verb
            state = workflow.state_of(article)
            self.message_user(
                request,
                format_html("“{}” was not {}: it is {}.", article, verb, _state_words(state)),
                messages.INFO if name == "publish" and state == "live" else messages.ERROR,
            )
            return None
        try:
            result = services.article_transition(
                article=article, by=request.user, name=name, **kwargs
            )
        except ValidationError as error:
            self.message_user(
                request,
                format_html("“{}”: {}", article, " ".join(error.messages)),
                messages.ERROR,
            )
            return None
        except PermissionDenied as error:
            self.message_user(request, format_html("“{}”: {}", article, str(error)), messages.ERROR)
            return None
        level, text = self.describe(request, result)
        self.message_user(request, text, level)
        return result

    @admin.action(description="Move selected stories to the trash", permissions=["delete"])
    def trash_selected(self, request, queryset):
        stale = self._stale(request, queryset)
        for article in queryset:
            if article.pk in stale:
                continue
            try:
                services.article_trash(article=article, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                reason = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, format_html("“{}”: {}", article, reason), messages.ERROR)
                continue
            # The link is HTML of our own; format_html escapes only the headline.
            moved = "Moved “{}” to " + trash_link() + ". You can restore it from there."
            self.message_user(request, format_html(moved, article), messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Django's "delete selected" would delete for good; trash_selected replaces it.
        actions.pop("delete_selected", None)
        return actions

    # The story list at archive scale (#14) ---------------------------------------------------

    def filter_suggestions(self, request):
        """The author and tag filters' suggestions, as the user types (admin_filters.py)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = suggestions(request.GET.get("field", ""), request.GET.get("q", ""), request.user)
        if found is None:
            return JsonResponse({"error": "Unknown filter."}, status=400)
        return JsonResponse({"results": [{"value": v, "label": label} for v, label in found]})

    def count_cap(self, request):
        """How far the list counts: less when searching (articles/pagination.py)."""
        return SEARCH_COUNT_CAP if request.GET.get(SEARCH_VAR, "").strip() else LIST_COUNT_CAP

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        paginator.cap = self.count_cap(request)
        return paginator

    def response_action(self, request, queryset):
        # "Select all" stops where the list's count does: an action over more stories than
        # that would run for minutes and touch stories nobody saw listed.
        cap = self.count_cap(request)
        if request.POST.get("select_across") == "1" and capped_count(queryset, cap) > cap:
            self.message_user(
                request,
                f"More than {cap:,} stories match: narrow the list with the filters "
                "or a search to act on all of them at once.",
                messages.ERROR,
            )
            return None
        return super().response_action(request, queryset)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "loaded_at": timezone.now().isoformat()}
        return super().changelist_view(request, extra_context)

    # Deleting moves the story to the trash: nothing of it is deleted, so the confirmation
    # lists no related objects and needs no permission on them; the service logs the change.

    def get_deleted_objects(self, objs, request):
        return [str(obj) for obj in objs], {}, set(), []

    def log_deletions(self, request, queryset):
        pass

    def delete_view(self, request, object_id, extra_context=None):
        """A held story stays out of the trash (#15): its form says why, instead of a 403
        (or a 500 should the hold come between the confirmation page and its POST)."""
        article = self.get_object(request, unquote(object_id))
        try:
            if article is not None and article.is_held():
                raise ValidationError(services.trash_refusal(article))
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[object_id]))

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


for _transition in workflow.bulk_actions():
    setattr(ArticleAdmin, f"{_transition.name}_selected", _bulk_action(_transition))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a story form posted with an outdated token (its opener logged out and
    in again in another tab) keeps its text; every other refusal is Django's 403 page."""
    try:
        match = resolve(request.path_info)
    except Http404:
        match = None
    if match is not None and match.url_name in admin_views.SCRIPT_URL_NAMES:
        # The form's script: it fetches a fresh token and tries again (story-form.js).
        return JsonResponse({"error": "csrf"}, status=403)
    if match is not None and match.url_name in ("articles_article_add", "articles_article_change"):
        model_admin = admin.site._registry[Article]
        kept = model_admin._keep_unsent(request, match.kwargs.get("object_id"), stale_form=True)
        if kept is not None:
            return kept
    return django_csrf_failure(request, reason)


def _state_words(state) -> str:
    return {
        "draft": "a draft",
        "review": "in review",
        "scheduled": "scheduled",
        "live": "already live",
        "withdrawn": "withdrawn",
    }[state]


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
        held = obj is not None and obj.is_held()  # Never in the trash; if one were, kept (#15).
        return allowed and (obj is None or (can_delete(request.user, obj) and not held))

    def delete_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None and article.is_held():  # Kept, with the reason (#15).
            self.message_user(request, services.trash_refusal(article), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_trashedarticle_changelist"))
        return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        # Deleting for good passes over a held story (#15): the hold preserves it.
        for article in queryset.filter(held_at__isnull=False):
            self.message_user(
                request, f"“{article}”: {services.trash_refusal(article)}", messages.ERROR
            )
        super().delete_queryset(request, queryset.filter(held_at__isnull=True))

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
        if article.goes_live_at > timezone.now():  # Its time, or its embargo's (#15).
            return f"Scheduled for {local_time(article.goes_live_at)}"
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
class SectionAdmin(StaleListEditsMixin, admin.ModelAdmin):
    list_display = ["name", "order", "in_navigation", "front_page_position", "story_count"]
    list_editable = ["order", "in_navigation", "front_page_position"]
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
        tags = tags_seen_by(request.user).filter(name__icontains=term).order_by("name")[:20]
        results = [{"id": tag.name, "text": tag.name} for tag in tags]
        return JsonResponse({"results": results, "pagination": {"more": False}})

    def get_queryset(self, request):
        # Reporters see the tags, and count the stories, that they may know of (#13).
        tags = super().get_queryset(request)
        if is_editor(request.user):
            return tags.annotate(story_count=Count("tagged_articles"))
        seen = stories_seen_by(request.user).values("pk")
        counted = Q(tagged_articles__content_object__in=seen)
        tags = tags.filter(pk__in=tags_seen_by(request.user).values("pk"))
        return tags.annotate(story_count=Count("tagged_articles", filter=counted))

    @admin.display(description="Stories", ordering="story_count")
    def story_count(self, tag):
        return tag.story_count


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(StaleListEditsMixin, admin.ModelAdmin):
    """The front page's lead and top stories; empty or expired slots show the latest."""

    list_display = ["slot", "article", "expires_at", "is_showing"]
    list_editable = ["article", "expires_at"]
    autocomplete_fields = ["article"]
    list_select_related = ["article"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "expires_at" and field is not None:
            # Which zone the boxes are in (#15), named as it is today.
            field.help_text = f"{field.help_text} {timezones.zone_help()}".strip()
        return field

    @admin.display(description="On the front page now", boolean=True)
    def is_showing(self, slot):
        active = slot.expires_at is None or slot.expires_at > timezone.now()
        return active and slot.article.is_published()


@admin.register(Breaking)
class BreakingAdmin(admin.ModelAdmin):
    """The breaking-news banner (#18): it goes up and comes down by itself at its minutes;
    deleting it takes it down at once. Only the newest of those up is shown."""

    list_display = ["text", "link", "starts_at", "expires_at", "state", "created_by"]
    list_select_related = ["created_by"]
    fields = ["text", "link", "starts_at", "expires_at"]
    search_fields = ["text"]
    date_hierarchy = "starts_at"

    # How long a new banner stays up unless the editor says otherwise.
    SUGGESTED_HOURS = 2

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        now = timezone.localtime()
        initial.setdefault("starts_at", now)
        initial.setdefault("expires_at", now + datetime.timedelta(hours=self.SUGGESTED_HOURS))
        return initial

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("starts_at", "expires_at") and field is not None:
            # Which zone the boxes are in (#15), named as it is today.
            field.help_text = f"{field.help_text} {timezones.zone_help()}".strip()
        return field

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="State")
    def state(self, banner):
        return banner.state()

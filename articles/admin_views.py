"""The story pages the admin adds (#3, #12): preview, shareable preview links, revisions and
their comparison, withdrawing (with a reason), sending a story back to its reporter (with a
note, #15) and the unpublished changes of a live story.

Each view loads the story and checks the user's permission for that story before anything else.
"""

import functools
import uuid

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from . import editing, services, snapshots, workflow
from .models import Article, ArticleRevision, PreviewLink, StagedChange
from .permissions import can_add, can_edit, can_view, is_editor, is_legal
from .previews import preview_response, preview_url
from .services import local_time

MAX_PK = 2**63 - 1


def as_pk(value) -> int:
    """A primary key from user input, or 404: databases refuse numbers beyond 64 bits."""
    text = str(value)
    if not text.isdigit() or not 0 < int(text) <= MAX_PK:
        raise Http404("No such record.")
    return int(text)


class ArticleAdminViews:
    def __init__(self, model_admin):
        self.model_admin = model_admin

    def _article(self, request, pk, *, edit: bool) -> Article:
        # A story in the trash can be looked at (preview, revisions) but not changed.
        stories = Article.objects.current() if edit else Article.objects.all()
        article = get_object_or_404(stories, pk=as_pk(pk))
        allowed = can_edit(request.user, article) if edit else can_view(request.user, article)
        if not allowed:
            raise PermissionDenied
        return article

    def _context(self, request, article, title, **extra):
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "title": title,
            "subtitle": article.headline,
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            **extra,
        }

    def preview(self, request, pk):
        """The story as readers will see it, for the staff who may edit it: a live story's
        unpublished changes, or the draft."""
        article = self._article(request, pk, edit=True)
        if article.is_published():
            staged = services.staged_story(article)
            if staged is None:
                return HttpResponseRedirect(article.get_absolute_url())
            return preview_response(request, article, banner="admin-changes", shown=staged)
        return preview_response(request, article, banner="admin")

    def preview_links(self, request, pk):
        article = self._article(request, pk, edit=True)
        if request.method == "POST":
            if "revoke" in request.POST:
                link_pk = as_pk(request.POST["revoke"])
                link = get_object_or_404(PreviewLink, pk=link_pk, article=article)
                services.preview_link_revoke(link=link, by=request.user)
                messages.success(request, "The link is revoked: it no longer opens the story.")
            else:
                link = services.preview_link_create(article=article, by=request.user)
                url = request.build_absolute_uri(preview_url(link))
                messages.success(
                    request,
                    format_html(
                        'New preview link, valid until {}: <a href="{}">{}</a>',
                        local_time(link.expires_at),
                        url,
                        url,
                    ),
                )
            return HttpResponseRedirect(request.path)
        links = [
            {"link": link, "url": request.build_absolute_uri(preview_url(link))}
            for link in article.preview_links.select_related("created_by")
        ]
        return TemplateResponse(
            request,
            "admin/articles/article/preview_links.html",
            self._context(
                request,
                article,
                "Preview links",
                links=links,
                shares_changes=article.is_published(),
            ),
        )

    def revisions(self, request, pk):
        article = self._article(request, pk, edit=False)
        revisions = list(article.revisions.select_related("created_by"))
        return TemplateResponse(
            request,
            "admin/articles/article/revisions.html",
            self._context(
                request,
                article,
                "Revisions",
                revisions=revisions,
                can_restore=can_edit(request.user, article),
                live=article.is_published(),
            ),
        )

    def compare(self, request, pk):
        article = self._article(request, pk, edit=False)
        ids = [as_pk(request.GET.get("a", "")), as_pk(request.GET.get("b", ""))]
        found = ArticleRevision.objects.filter(article=article, pk__in=ids).select_related(
            "created_by"
        )
        by_pk = {revision.pk: revision for revision in found}
        if len(by_pk) != len(set(ids)):
            raise Http404("No such revision of this story.")
        ordered = sorted(by_pk.values(), key=lambda revision: (revision.created_at, revision.pk))
        older, newer = ordered[0], ordered[-1]
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            self._context(
                request,
                article,
                "Compare revisions",
                older=older,
                newer=newer,
                comparison=snapshots.comparison(older.snapshot, newer.snapshot),
                can_restore=can_edit(request.user, article),
                live=article.is_published(),
            ),
        )

    def restore(self, request, pk, revision_pk):
        """Brings back an earlier revision. Onto a live story only after a page that asks:
        as unpublished changes to check first, or published at once (editors)."""
        article = self._article(request, pk, edit=True)
        revision = get_object_or_404(ArticleRevision, pk=as_pk(revision_pk), article=article)
        live = article.is_published()
        if request.method == "GET" and live:
            return TemplateResponse(
                request,
                "admin/articles/article/restore_confirmation.html",
                self._context(
                    request,
                    article,
                    "Restore a revision",
                    revision=revision,
                    comparison=snapshots.comparison(
                        services.snapshots.snapshot(article), revision.snapshot
                    ),
                    may_publish=is_editor(request.user),
                ),
            )
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        publish = live and "_publish" in request.POST
        if publish and not is_editor(request.user):
            raise PermissionDenied
        try:
            result = services.article_restore(
                article=article, revision=revision, by=request.user, publish=publish
            )
        except ValidationError as error:
            messages.error(request, "Not restored: " + " ".join(error.messages))
        else:
            when = local_time(revision.created_at)
            if result.staged:
                messages.success(
                    request,
                    f"Restored the text, byline and tags of {when} as unpublished changes: "
                    "readers still see the published version. Preview them, then publish them.",
                )
            elif not result.saved:
                messages.info(request, f"Nothing to restore: the story is as it was at {when}.")
            else:
                messages.success(
                    request,
                    f"Restored the text, byline and tags of {when}"
                    + (" and published them." if publish else ".")
                    + " The version before the restore is kept as a revision too.",
                )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def withdraw(self, request, pk):
        """Withdrawing a live story: a page that asks for the reason, then does it."""
        article = self._article(request, pk, edit=True)
        if not is_editor(request.user):
            raise PermissionDenied
        return confirm_withdrawal(self.model_admin, request, [article])

    def hold(self, request, pk):
        """Legal places a hold (#15): a page that asks why; on a live story it offers to
        withdraw it too ("Place hold and withdraw" or "Place hold only")."""
        article = self._article(request, pk, edit=False)
        if not is_legal(request.user):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if article.is_held():
            messages.info(request, "The story is already held.")
            return HttpResponseRedirect(change_url)
        live = article.is_published()
        form = HoldForm(request.POST if request.method == "POST" else None, live=live)
        if form.is_bound and form.is_valid():
            withdraw = live and "_withdraw" in request.POST
            if withdraw and not form.cleaned_data["withdraw_reason"].strip():
                form.add_error(
                    "withdraw_reason", "Say why it is withdrawn: readers see this reason."
                )
            else:
                try:
                    services.article_hold(
                        article=article,
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                        withdraw_reason=form.cleaned_data["withdraw_reason"] if withdraw else "",
                    )
                except ValidationError as error:
                    messages.error(request, "Not held: " + " ".join(error.messages))
                else:
                    messages.success(request, _held_message(article, live, withdraw))
                return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/articles/article/hold_confirmation.html",
            self._context(
                request,
                article,
                "Place a legal hold",
                form=form,
                live=live,
                scheduled=article.is_scheduled(),
                scheduled_changes=StagedChange.objects.filter(
                    article=article, publish_at__isnull=False
                ).first(),
            ),
        )

    def release(self, request, pk):
        """Legal lifts its hold, saying why (#15)."""
        article = self._article(request, pk, edit=False)
        if not is_legal(request.user):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if not article.is_held():
            messages.info(request, "The story is not held.")
            return HttpResponseRedirect(change_url)
        form = ReleaseForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                services.article_release(
                    article=article, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                messages.error(request, "The hold is still on: " + " ".join(error.messages))
            else:
                messages.success(
                    request,
                    format_html(
                        "Lifted the legal hold on “{}”. Editors may publish or schedule it "
                        "again; nothing was scheduled by lifting it.",
                        article,
                    ),
                )
            return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/articles/article/release_confirmation.html",
            self._context(
                request,
                article,
                "Lift the legal hold",
                form=form,
                hold=services.hold_words(article),
            ),
        )

    def send_back(self, request, pk):
        """Sending a story in review back to its reporter (#15): a page that asks what should
        change, then does it. The words become the first note of the story's thread."""
        article = self._article(request, pk, edit=True)
        if not is_editor(request.user):
            raise PermissionDenied
        transition = workflow.first("send_back")
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if workflow.state_of(article) not in transition.sources:
            self.model_admin.run(request, article, "send_back")  # Says why it can't be.
            return HttpResponseRedirect(change_url)
        form = SendBackForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            self.model_admin.run(request, article, "send_back", reason=form.cleaned_data["reason"])
            return HttpResponseRedirect(change_url)
        context = self._context(
            request, article, "Send back to the reporter", form=form, transition=transition
        )
        return TemplateResponse(
            request, "admin/articles/article/send_back_confirmation.html", context
        )

    def discard_changes(self, request, pk):
        article = self._article(request, pk, edit=True)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if services.article_discard_changes(article=article, by=request.user):
            messages.success(
                request,
                format_html(
                    "Discarded the unpublished changes to “{}”: readers see the published "
                    "version, and so does the form.",
                    article,
                ),
            )
        else:
            messages.info(request, "There were no unpublished changes to discard.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label="Why is it withdrawn?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Readers see this on the corrections page, with the date, instead of the "
        "story: e.g. “It named the wrong person as the driver.”",
    )


class HoldForm(forms.Form):
    reason = forms.CharField(
        label="Why is it held?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="For the newsroom only: editors see it on the story and in its history. It "
        "is never shown to readers.",
    )
    withdraw_reason = forms.CharField(
        label="If you withdraw it: what readers are told",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Shown on the corrections page, with the date, instead of the story: e.g. "
        "“This story has been removed while we review it.”",
    )

    def __init__(self, *args, live=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not live:
            del self.fields["withdraw_reason"]

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("withdraw_reason", "")
        return cleaned


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label="Why is the hold lifted?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Kept in the story's history: e.g. “Cleared by counsel after the changes.”",
    )


def _held_message(article, live, withdrew) -> str:
    if withdrew:
        return format_html(
            "Placed a legal hold on “{}” and withdrew it: its address tells readers it was "
            "taken down, and the corrections page gives your words for readers.",
            article,
        )
    if live:
        return format_html(
            "Placed a legal hold on “{}”. It is still live; no changes to it can be "
            "published until the hold is lifted.",
            article,
        )
    return format_html(
        "Placed a legal hold on “{}”. It can't be published or scheduled until the hold is lifted.",
        article,
    )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label="What should the reporter change?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text="The reporter reads this as a note on the story, and is told it came back. "
        "Only people in the newsroom see notes; readers never do.",
        error_messages={"required": workflow.first("send_back").reason_missing},
    )


def confirm_withdrawal(model_admin, request, stories):
    """Asks for the reason before withdrawing stories (from the story's page or the list).

    The form posts back to the same address; with `_confirmed` and a reason the stories are
    withdrawn and the user goes back to where they came from."""
    for story in stories:
        if not story.is_published():
            model_admin.run(request, story, "withdraw")  # Says why it can't be.
    stories = [story for story in stories if story.is_published()]
    form = WithdrawalForm(request.POST if "_confirmed" in request.POST else None)
    if form.is_bound and form.is_valid():
        for story in stories:
            model_admin.run(request, story, "withdraw", reason=form.cleaned_data["reason"])
        if len(stories) == 1 and "action" not in request.POST:
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[stories[0].pk])
            )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
    if not stories:
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": "Withdraw " + ("this story" if len(stories) == 1 else "these stories"),
        "stories": stories,
        "form": form,
        "transition": workflow.first("withdraw"),
        "from_list": "action" in request.POST,
        "selected": request.POST.getlist("_selected_action"),
        "action": request.POST.get("action", ""),
    }
    return TemplateResponse(request, "admin/articles/article/withdraw_confirmation.html", context)


# --- The story form's background requests (#12): autosave, presence, taking over ----------------


# The story form's script's endpoints (their CSRF refusals answer JSON: admin.csrf_failure).
SCRIPT_URL_NAMES = {
    "articles_article_autosave",
    "articles_article_autosave_new",
    "articles_article_presence",
}


def staff_json(view):
    """For the form's script: JSON, never a login page. A session that ended answers 401, so
    the form can say so and keep the text (a save then keeps it too: ArticleAdmin)."""

    @functools.wraps(view)
    def wrapped(self, request, *args, **kwargs):
        user = request.user
        # The page asks by itself: that is no sign of life for an idle session (#13).
        request.session.passive = view.__name__ == "presence"
        if not (user.is_active and user.is_staff):
            return JsonResponse({"error": "session", "login": reverse("admin:login")}, status=401)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not _opened_by(request, user):
            # Someone else logged in in this browser since the form opened: nothing of the
            # form may go into their name (a save keeps it for its opener: ArticleAdmin).
            return JsonResponse({"error": "other-user"}, status=401)
        response = view(self, request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapped


def _opened_by(request, user) -> bool:
    """Whether the form posting was opened by this user (its signed `_editor`, if sent)."""
    token = request.POST.get("_editor")
    if not token:
        return True
    try:
        return signing.loads(token, salt=editing.EDITOR_SALT)["user"] == user.pk
    except (signing.BadSignature, KeyError, TypeError):
        return False


def _people(presences) -> list[dict]:
    return [
        {
            "name": editing.name_of(p.user),
            "since": timezone.localtime(p.since).strftime("%H:%M %Z"),
        }
        for p in presences
    ]


def _lock_state(article, user) -> dict | None:
    lock = editing.holder(article)
    if lock is None:
        return None
    return {
        "mine": lock.user_id == user.pk,
        "holder": editing.name_of(lock.user),
        "since": timezone.localtime(lock.since).strftime("%H:%M %Z"),
        "taken_from_me": lock.taken_from_id == user.pk,
    }


def _newer(article, version: str) -> dict | None:
    """Who saved a version newer than the form's (`version`, the one it was opened at), and
    when: the form says so at its next beat, before a save is refused (#16)."""
    if not version.isdigit() or int(version) >= article.version:
        return None
    who, when = services.last_save(article)
    return {"who": who, "at": timezone.localtime(when).strftime("%H:%M %Z")}


class EditingViews:
    """Views the story form's script calls; each checks the user's rights on the story."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def _story(self, request, pk):
        article = Article.objects.current().filter(pk=as_pk(pk)).first()
        if article is None or not can_view(request.user, article):
            raise Http404("No such story.")
        return article

    @staff_json
    def autosave(self, request, pk=None):
        """Keeps what the user typed as their working copy (never public, never a revision)."""
        article = self._story(request, pk) if pk is not None else None
        allowed = can_edit(request.user, article) if article else can_add(request.user)
        if not allowed:
            raise PermissionDenied
        try:
            key = uuid.UUID(request.POST.get("form_key", ""))
        except ValueError:
            return JsonResponse({"error": "The form has no key: reload it."}, status=400)
        if editing.was_saved(key):
            return JsonResponse({"saved": True})  # It arrived after the form was saved.
        copy = editing.working_copy_keep(
            user=request.user, article=article, key=key, data=editing.typed(request.POST)
        )
        saved = timezone.localtime(copy.saved_at)
        return JsonResponse(
            {"saved_at": saved.isoformat(), "saved_at_text": saved.strftime("%H:%M:%S %Z")}
        )

    @staff_json
    def presence(self, request, pk):
        """The form's heartbeat: the user is here (or, with `left`, has gone); who else is."""
        article = self._story(request, pk)
        if request.POST.get("left"):
            editing.leave(user=request.user, article=article)
            return JsonResponse({"left": True})
        editing.beat(user=request.user, article=article)
        if can_edit(request.user, article):
            editing.hold(user=request.user, article=article)
        return JsonResponse(
            {
                "others": _people(editing.others_in(article, request.user)),
                "lock": _lock_state(article, request.user),
                "newer": _newer(article, request.POST.get("version", "")),
            }
        )

    def csrf_token(self, request):
        """A fresh CSRF token for a form open since before a new login in another tab: its
        script's next request goes through (the form keeps the text either way)."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return JsonResponse({"error": "session"}, status=401)
        response = JsonResponse({"token": get_token(request)})
        add_never_cache_headers(response)
        return response

    def take_over(self, request, pk):
        """An editor takes a locked story from whoever holds it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._story(request, pk)
        if not (is_editor(request.user) and can_edit(request.user, article)):
            raise PermissionDenied
        editing.beat(user=request.user, article=article)
        lock = editing.take_over(user=request.user, article=article)
        if lock.taken_from is not None:
            messages.info(
                request,
                f"You are editing the story now. {editing.name_of(lock.taken_from)} is told, "
                "and what they typed is kept as their unsaved work.",
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def discard_copy(self, request, pk=None):
        """Throws away the user's own unsaved work on a story (or a new-story form); only
        their own, so no check of the story is needed (they may no longer see it)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            key = uuid.UUID(request.POST.get("key", ""))
        except ValueError:
            key = None
        if pk is not None:
            request.user.working_copies.filter(article_id=as_pk(pk)).delete()
            target = reverse("admin:articles_article_change", args=[pk])
            if not Article.objects.current().filter(pk=pk).exists():
                target = reverse("admin:index")
        else:
            editing.working_copy_forget(request.user, key=key)
            target = reverse("admin:index")
        messages.info(request, "Your unsaved changes are discarded.")
        return HttpResponseRedirect(target)

"""Every admin view that touches a story checks the user's permission for that story (#7).

A matrix of the story's admin operations (every URL ArticleAdmin and the trash add, and every
list action) × the people who must be refused: a reporter on another reporter's story, a staff
member with no role, the story's own reporter once their account is deactivated, a visitor
without an account, and, for editors' operations, the story's own reporter; for Legal's (#15),
editors too, and Legal is refused what changes a story's text or state. Each is refused
(403, 404, the login page, or a list that leaves the story alone) and the database is left as
it was; the permitted person (the story's reporter, or an editor) succeeds, so every check
can fail.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services, snapshots
from articles.models import (
    Article,
    EditLock,
    Presence,
    PreviewLink,
    StagedChange,
    TrashedArticle,
    WorkingCopy,
)
from notifications.models import Note
from planning.models import Plan
from tests.articles.workflow_http import page_form, submit
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    LegalFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ReviewArticleFactory,
    UserFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
CHANGELIST = reverse("admin:articles_article_changelist")
TRASH_CHANGELIST = "admin:articles_trashedarticle_changelist"


@dataclass
class Desk:
    """The people, and the story of `owner` every operation is tried on."""

    owner: object
    story: Article
    users: dict


def _reporter(name):
    user = ReporterFactory(username=name)
    AuthorFactory(name=name.title(), user=user)
    return user


def _desk(factory=DraftArticleFactory, trashed=False) -> Desk:
    owner, other, editor = _reporter("rita"), _reporter("omar"), EditorFactory()
    # A reporter whose account was switched off: they wrote the story, and may no longer touch it.
    inactive = _reporter("ines")
    story = factory(
        headline="Owner story v1",
        created_by=owner,
        authors=[owner.author_profile, inactive.author_profile],
    )
    services.revision_record(article=story, by=owner, comment="Created")
    story.headline = "Owner story v2"
    story.save()
    services.revision_record(article=story, by=owner, comment="Edited headline")
    PreviewLink.objects.create(
        article=story, created_by=owner, expires_at=story.created_at.replace(year=2100)
    )
    if trashed:
        services.article_trash(article=story, by=owner)
    inactive.is_active = False
    inactive.save()
    users = {
        "owner": owner,
        "other-reporter": other,
        "no-role-staff": UserFactory(username="staffonly", is_staff=True),
        "inactive-owner": inactive,
        "anonymous": None,
        "editor": editor,
        "legal": LegalFactory(username="lena"),
    }
    return Desk(owner, Article.objects.get(pk=story.pk), users)


def state(story) -> dict:
    """All a refused request must leave as it was."""
    found = Article.objects.filter(pk=story.pk).first()
    if found is None:
        return {"exists": False}
    return {
        "exists": True,
        "headline": found.headline,
        "status": found.status,
        "published_at": found.published_at,
        "version": found.version,
        "trashed_at": found.trashed_at,
        "held_at": found.held_at,
        "live": found.live,
        "revisions": found.revisions.count(),
        "links": list(found.preview_links.values_list("pk", "revoked_at")),
        "log": LogEntry.objects.filter(object_id=str(story.pk)).count(),
        "staged": StagedChange.objects.filter(article=story).exists(),
        "working copies": WorkingCopy.objects.count(),
        "presences": Presence.objects.count(),
        "locks": list(EditLock.objects.values_list("user_id", flat=True)),
        "notes": Note.objects.filter(article=found).count(),
        "plan": list(
            Plan.objects.filter(pk=story.pk).values_list("priority", "brief", "assignees")
        ),
    }


# Operations -------------------------------------------------------------------------------


def _url(name):
    return lambda d: reverse(f"admin:articles_article_{name}", args=[d.story.pk])


def _compare(d):
    older, newer = d.story.revisions.order_by("pk")
    return _url("compare")(d) + f"?a={older.pk}&b={newer.pk}"


def _restore(d):
    older = d.story.revisions.order_by("pk").first()
    return reverse("admin:articles_article_restore", args=[d.story.pk, older.pk])


def _edited_form(d):
    """The story form as its reporter got it, with a new headline typed in; without the
    form's signature of who opened it, which only the opener's own browser has (a save
    from it after the session ended is kept for them: tests/articles/test_editing.py)."""
    owner = Client()
    owner.force_login(d.owner)
    change = reverse("admin:articles_article_change", args=[d.story.pk])
    return page_form(owner.get(change), headline="Defaced", _submit="1", _editor=None)


def _action(name, changelist=CHANGELIST):
    """A list action on the story, as the list's form posts it."""
    return {
        "url": lambda d: changelist if changelist.startswith("/") else reverse(changelist),
        "method": "POST",
        "data": lambda d: {"action": name, "index": "0", "_selected_action": [d.story.pk]},
    }


def live_with_changes(**kwargs):
    """A live story with unpublished changes waiting (#12)."""
    story = PublishedArticleFactory(**kwargs)
    snap = {**snapshots.snapshot(story), "headline": "Owner story v3"}
    StagedChange.objects.create(article=story, snapshot=snap)
    return story


def held_draft(**kwargs):
    """A draft Legal holds (#15)."""
    story = DraftArticleFactory(**kwargs)
    story.held_at, story.hold_reason = story.created_at, "Names a witness."
    story.save()
    return story


def _trash_url(name):
    return lambda d: reverse(f"admin:articles_trashedarticle_{name}", args=[d.story.pk])


def _autocomplete(d):
    query = "app_label=articles&model_name=frontpageslot&field_name=article&term=Owner"
    return reverse("admin:autocomplete") + "?" + query


@dataclass
class Op:
    url: Callable
    method: str = "GET"
    data: Callable | None = None
    # Who may: the story's own reporter, only an editor, or only Legal (#15).
    permitted: str = "owner"
    # What success looks like, given the story afterwards and the response.
    done: Callable = lambda story, response: response.status_code == 200
    # The story to try it on.
    factory: Callable = DraftArticleFactory
    trashed: bool = False
    # A list (not a page of the story): refused means the story is not in it.
    listing: bool = False
    # Where these live: the URL names and action names they cover (see the coverage test).
    covers: tuple = ()
    # The form's script's endpoints answer a session that ended with 401, not the login page.
    json: bool = False
    # Who must be refused, when not everyone but the permitted (see _refused_people).
    refused: tuple | None = None


def _headline_shown(story, response):
    return response.status_code == 200 and "Owner story v2" in response.content.decode()


def _gone_to_trash(story, response):
    return story is not None and story.trashed_at is not None


def planned_draft(**kwargs):
    """A draft planned for today, assigned to its reporter (#15: planning's pages)."""
    story = DraftArticleFactory(**kwargs)
    deadline = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
    plan = Plan.objects.create(article=story, deadline=deadline, brief="Owner story brief")
    plan.assignees.add(kwargs["created_by"])
    return story


def _plan_url(name):
    return lambda d: reverse(f"admin:planning_plan_{name}", args=[d.story.pk])


def _plan_changed(story, response):
    plan = Plan.objects.get(pk=story.pk)
    return plan.priority == Plan.Priority.URGENT and plan.brief == "Defaced"


def _reassigned(story, response):
    return not Plan.objects.get(pk=story.pk).assignees.exists()


# Who must be refused a plan's page: the assignee (the story's reporter) may read it.
NOT_THE_ASSIGNEE = ("other-reporter", "no-role-staff", "inactive-owner", "anonymous")

OPS = {
    "change-page": Op(_url("change"), done=_headline_shown, covers=("change",)),
    "change-save": Op(
        _url("change"),
        "POST",
        _edited_form,
        done=lambda s, r: s.headline == "Defaced" and s.status == "review",
        covers=("change",),
    ),
    "history": Op(_url("history"), done=_headline_shown, covers=("history",)),
    "delete-page": Op(_url("delete"), done=_headline_shown, covers=("delete",)),
    "delete": Op(_url("delete"), "POST", lambda d: {"post": "yes"}, done=_gone_to_trash),
    "revisions": Op(_url("revisions"), done=_headline_shown, covers=("revisions",)),
    "compare": Op(_compare, done=_headline_shown, covers=("compare",)),
    "restore": Op(
        _restore,
        "POST",
        lambda d: {},
        done=lambda s, r: s.headline == "Owner story v1",
        covers=("restore",),
    ),
    "preview": Op(_url("preview"), done=_headline_shown, covers=("preview",)),
    "preview-links": Op(_url("preview_links"), done=_headline_shown, covers=("preview_links",)),
    "preview-link-create": Op(
        _url("preview_links"), "POST", lambda d: {}, done=lambda s, r: s.preview_links.count() == 2
    ),
    "preview-link-revoke": Op(
        _url("preview_links"),
        "POST",
        lambda d: {"revoke": str(d.story.preview_links.get().pk)},
        done=lambda s, r: s.preview_links.get().revoked_at is not None,
    ),
    "submit": Op(
        **_action("submit_selected"),
        done=lambda s, r: s.status == "review",
        covers=("submit_selected",),
    ),
    "trash": Op(**_action("trash_selected"), done=_gone_to_trash, covers=("trash_selected",)),
    "publish": Op(
        **_action("publish_selected"),
        permitted="editor",
        factory=ReviewArticleFactory,
        done=lambda s, r: s.is_published(),
        covers=("publish_selected",),
    ),
    "withdraw": Op(
        **{
            **_action("withdraw_selected"),
            "data": lambda d: {
                "action": "withdraw_selected",
                "index": "0",
                "_selected_action": [d.story.pk],
                "_confirmed": "yes",
                "reason": "Legal advice.",
            },
        },
        permitted="editor",
        factory=PublishedArticleFactory,
        done=lambda s, r: s.status == "withdrawn",
        covers=("withdraw_selected",),
    ),
    "withdraw-page": Op(
        _url("withdraw"),
        permitted="editor",
        factory=PublishedArticleFactory,
        done=_headline_shown,
        covers=("withdraw",),
    ),
    "withdraw-confirmed": Op(
        _url("withdraw"),
        "POST",
        lambda d: {"_confirmed": "yes", "reason": "Legal advice."},
        permitted="editor",
        factory=PublishedArticleFactory,
        done=lambda s, r: s.status == "withdrawn",
    ),
    # Sending a story back asks why first (#15); the words become a note in its thread.
    "send-back-page": Op(
        _url("send_back"),
        permitted="editor",
        factory=ReviewArticleFactory,
        done=_headline_shown,
        covers=("send_back",),
    ),
    "send-back-confirmed": Op(
        _url("send_back"),
        "POST",
        lambda d: {"reason": "Needs a second source."},
        permitted="editor",
        factory=ReviewArticleFactory,
        # The note follows the commit (notifications, tested in tests/notifications/).
        done=lambda s, r: s.status == "draft",
    ),
    # Making a published story a live blog (#18): editors; a reporter may on their own draft.
    "live-state-page": Op(
        _url("live_state"),
        permitted="editor",
        factory=PublishedArticleFactory,
        done=_headline_shown,
        covers=("live_state",),
    ),
    "live-state-confirmed": Op(
        _url("live_state"),
        "POST",
        lambda d: {"state": "live"},
        permitted="editor",
        factory=PublishedArticleFactory,
        done=lambda s, r: s.live == "live",
    ),
    # A note in the story's thread (notifications app): whoever may open the story.
    "add-note": Op(
        lambda d: reverse("admin:notifications_note_add_to_story", args=[d.story.pk]),
        "POST",
        lambda d: {"text": "Check the quote with @rita."},
        done=lambda s, r: s.notes.exists(),
    ),
    "discard-changes": Op(
        _url("discard_changes"),
        "POST",
        lambda d: {},
        permitted="editor",
        factory=live_with_changes,
        done=lambda s, r: not StagedChange.objects.filter(article=s).exists(),
        covers=("discard_changes",),
    ),
    "restore-on-live-page": Op(
        _restore,
        permitted="editor",
        factory=PublishedArticleFactory,
        done=_headline_shown,
    ),
    "autosave": Op(
        _url("autosave"),
        "POST",
        lambda d: {"form_key": "0b0e6a3e-7b5f-4a52-9d0c-5a8f3c1f7e21", "headline": "Defaced"},
        done=lambda s, r: r.status_code == 200 and WorkingCopy.objects.count() == 1,
        json=True,
        covers=("autosave",),
    ),
    "autosave-new": Op(
        lambda d: reverse("admin:articles_article_autosave_new"),
        "POST",
        lambda d: {"form_key": "0b0e6a3e-7b5f-4a52-9d0c-5a8f3c1f7e21", "headline": "New"},
        done=lambda s, r: r.status_code == 200 and WorkingCopy.objects.count() == 1,
        json=True,
        refused=("no-role-staff", "inactive-owner", "anonymous"),
        covers=("autosave_new",),
    ),
    "presence": Op(
        _url("presence"),
        "POST",
        lambda d: {},
        done=lambda s, r: r.status_code == 200 and Presence.objects.filter(article=s).exists(),
        json=True,
        covers=("presence",),
    ),
    # A fresh CSRF token for the story form's script, for any staff member (never a story).
    "csrf-token": Op(
        lambda d: reverse("admin:articles_article_csrf_token"),
        done=lambda s, r: r.status_code == 200 and "token" in r.json(),
        json=True,
        refused=("inactive-owner", "anonymous"),
        covers=("csrf_token",),
    ),
    # The story list's author and tag suggestions (#14), for staff who may see stories: a
    # reporter is told only the tags they may know of (tests/test_tag_visibility.py).
    "filter-suggestions": Op(
        lambda d: reverse("admin:articles_article_filter_suggestions") + "?field=author&q=a",
        done=lambda s, r: r.status_code == 200 and "results" in r.json(),
        refused=("no-role-staff", "inactive-owner", "anonymous"),
        covers=("filter_suggestions",),
    ),
    # The SEO preview's social crop of a picture (#14): anyone who may pick pictures.
    "social-image": Op(
        lambda d: (
            reverse("admin:articles_article_social_image")
            + f"?image={make_image(jpeg((240, 160))).pk}"
        ),
        done=lambda s, r: r.status_code == 200 and "url" in r.json(),
        refused=("no-role-staff", "inactive-owner", "anonymous"),
        covers=("social_image",),
    ),
    # The body editor's story search (#14): published stories, for anyone with a role...
    "story-search": Op(
        lambda d: reverse("admin:articles_article_stories") + "?q=owner",
        done=lambda s, r: r.status_code == 200 and "Owner story v2" in r.content.decode(),
        factory=PublishedArticleFactory,
        json=True,
        refused=("no-role-staff", "inactive-owner", "anonymous"),
        covers=("stories",),
    ),
    # ...and never a story that isn't, not even to its own reporter or an editor.
    "story-search-draft": Op(
        lambda d: reverse("admin:articles_article_stories") + "?q=owner",
        done=lambda s, r: r.status_code == 200 and "Owner story" not in r.content.decode(),
        permitted="editor",
        listing=True,
        json=True,
    ),
    "take-over": Op(
        _url("take_over"),
        "POST",
        lambda d: {},
        permitted="editor",
        done=lambda s, r: EditLock.objects.filter(article=s).exists(),
        covers=("take_over",),
    ),
    # Discards only the user's own unsaved work: anyone staff may ask, and no one else's goes.
    "discard-copy": Op(
        _url("discard_copy"),
        "POST",
        lambda d: {},
        done=lambda s, r: r.status_code == 302,
        refused=("inactive-owner", "anonymous"),
        covers=("discard_copy",),
    ),
    "discard-new-copy": Op(
        lambda d: reverse("admin:articles_article_discard_new_copy"),
        "POST",
        lambda d: {"key": "0b0e6a3e-7b5f-4a52-9d0c-5a8f3c1f7e21"},
        done=lambda s, r: r.status_code == 302,
        refused=("inactive-owner", "anonymous"),
        covers=("discard_new_copy",),
    ),
    # Legal's (#15): placing and lifting a hold, and nothing that changes a story otherwise.
    "hold-page": Op(_url("hold"), permitted="legal", done=_headline_shown, covers=("hold",)),
    "hold": Op(
        _url("hold"),
        "POST",
        lambda d: {"reason": "Names a witness.", "_hold": "Place hold"},
        permitted="legal",
        done=lambda s, r: s.held_at is not None,
    ),
    "release-page": Op(
        _url("release"),
        permitted="legal",
        factory=held_draft,
        done=_headline_shown,
        covers=("release",),
    ),
    "release": Op(
        _url("release"),
        "POST",
        lambda d: {"reason": "Cleared by counsel."},
        permitted="legal",
        factory=held_draft,
        done=lambda s, r: s.held_at is None,
    ),
    "change-save-by-legal": Op(
        _url("change"),
        "POST",
        _edited_form,
        done=lambda s, r: s.headline == "Defaced",
        refused=("legal",),
    ),
    "publish-by-legal": Op(
        **_action("publish_selected"),
        permitted="editor",
        factory=ReviewArticleFactory,
        done=lambda s, r: s.is_published(),
        refused=("legal",),
    ),
    "changelist": Op(
        lambda d: CHANGELIST, done=_headline_shown, listing=True, covers=("changelist",)
    ),
    "desk": Op(lambda d: reverse("admin:index"), done=_headline_shown, listing=True),
    # Other lists' pickers search stories too; reporters find only their own there.
    "autocomplete": Op(
        _autocomplete,
        done=lambda s, r: r.status_code == 200 and "Owner story v2" in r.content.decode(),
        listing=True,
    ),
    # The trash (stories deleted from the list): seen and restored by whoever may delete the
    # story, deleted for good only by editors.
    "trash-list": Op(
        lambda d: reverse(TRASH_CHANGELIST),
        done=_headline_shown,
        trashed=True,
        listing=True,
        covers=("trash:changelist",),
    ),
    "trash-page": Op(
        _trash_url("change"), done=_headline_shown, trashed=True, covers=("trash:change",)
    ),
    "trash-history": Op(
        _trash_url("history"), done=_headline_shown, trashed=True, covers=("trash:history",)
    ),
    "trash-restore": Op(
        **_action("restore_selected", TRASH_CHANGELIST),
        done=lambda s, r: s is not None and s.trashed_at is None,
        trashed=True,
        covers=("trash:restore_selected",),
    ),
    "trash-delete-page": Op(
        _trash_url("delete"),
        permitted="editor",
        done=_headline_shown,
        trashed=True,
        covers=("trash:delete",),
    ),
    "trash-delete": Op(
        _trash_url("delete"),
        "POST",
        lambda d: {"post": "yes"},
        permitted="editor",
        done=lambda s, r: s is None,
        trashed=True,
    ),
    "trash-delete-selected": Op(
        **{
            **_action("delete_selected", TRASH_CHANGELIST),
            "data": lambda d: {
                "action": "delete_selected",
                "index": "0",
                "_selected_action": [d.story.pk],
                "post": "yes",
            },
        },
        permitted="editor",
        done=lambda s, r: s is None,
        trashed=True,
        covers=("trash:delete_selected",),
    ),
    # Planning (#15): the day's plan, a story's plan, reassigning, planning a story.
    "plan:day": Op(
        lambda d: reverse("admin:planning_plan_changelist"),
        permitted="editor",
        done=_headline_shown,
        factory=planned_draft,
        covers=("plan:changelist",),
    ),
    "plan:read": Op(
        _plan_url("change"),
        done=lambda story, r: r.status_code == 200 and "Owner story brief" in r.content.decode(),
        factory=planned_draft,
        refused=NOT_THE_ASSIGNEE,
        covers=("plan:change",),
    ),
    "plan:change": Op(
        _plan_url("change"),
        method="POST",
        data=lambda d: {"priority": "40", "brief": "Defaced", "assignees": [d.owner.pk]},
        permitted="editor",
        done=_plan_changed,
        factory=planned_draft,
        covers=("plan:change",),
    ),
    "plan:reassign": Op(
        lambda d: reverse("admin:planning_plan_reassign"),
        method="POST",
        data=lambda d: {"plan": d.story.pk},
        permitted="editor",
        done=_reassigned,
        factory=planned_draft,
        covers=("plan:reassign",),
    ),
    "plan:add": Op(
        lambda d: reverse("admin:planning_plan_add"),
        permitted="editor",
        done=lambda story, r: r.status_code == 200 and "Plan a story" in r.content.decode(),
        factory=planned_draft,
        covers=("plan:add",),
    ),
}


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _run(op, desk, who, data=None):
    client = _client(desk.users[who])
    url = op.url(desk)
    if op.method == "GET":
        return url, client.get(url)
    if data is None:
        data = op.data(desk) if op.data else {}
    return url, submit(client, url, data)


def _refused_people(op):
    if op.refused is not None:
        return list(op.refused)
    people = ["other-reporter", "no-role-staff", "inactive-owner", "anonymous"]
    if op.permitted == "legal":
        return [*people, "owner", "editor"]
    return people + (["owner"] if op.permitted == "editor" else [])


MATRIX = [(name, who) for name, op in OPS.items() for who in _refused_people(op)]


@pytest.mark.parametrize(("name", "who"), MATRIX)
def test_refused_and_nothing_changes(name, who):
    op = OPS[name]
    desk = _desk(op.factory, op.trashed)
    data = op.data(desk) if op.data else None  # (Made as the owner: before the "before".)
    before = state(desk.story)
    url, response = _run(op, desk, who, data)
    status = response.status_code
    if who in {"anonymous", "inactive-owner"} and op.json:
        assert status == 401, status
    elif who in {"anonymous", "inactive-owner"}:
        assert status == 302 and response["Location"].startswith(f"{LOGIN}?next="), status
    elif op.listing:
        assert "Owner story" not in response.content.decode(), status
    elif op.data is not None and "action" in op.data(desk):
        # A list action: refused outright, or the list leaves a story it doesn't show alone.
        # Legal's list offers no action at all (#15): Django shows the list again.
        assert status in {302, 403} or (who == "legal" and status == 200), status
    elif status == 302:
        # Django's answer for a record outside the user's list: "doesn't exist", to the index.
        assert response["Location"] == reverse("admin:index"), response["Location"]
    else:
        assert status in {403, 404}, status
    assert state(desk.story) == before


@pytest.mark.parametrize("name", OPS)
def test_permitted_person_succeeds(name):
    op = OPS[name]
    desk = _desk(op.factory, op.trashed)
    url, response = _run(op, desk, op.permitted)
    assert response.status_code in {200, 302}, response.status_code
    if response.status_code == 302:
        assert not response["Location"].startswith(LOGIN)
    story = Article.objects.filter(pk=desk.story.pk).first()
    assert op.done(story, response)


def _admin_names(model, prefix=""):
    """The URL names (add aside) and action names of a model's admin."""
    model_admin = admin.site._registry[model]
    opts = model._meta
    names = {
        pattern.name.removeprefix(f"{opts.app_label}_{opts.model_name}_")
        for pattern in model_admin.get_urls()
        if pattern.name and not pattern.name.endswith("_add")
    }
    return {prefix + name for name in names | set(model_admin.actions)}


def test_every_story_view_and_action_is_in_the_matrix():
    """A new admin page or action on stories must join the matrix above."""
    covered = {name for op in OPS.values() for name in op.covers}
    names = _admin_names(Article) | _admin_names(TrashedArticle, "trash:")
    names |= _admin_names(Plan, "plan:")
    assert names <= covered, names - covered

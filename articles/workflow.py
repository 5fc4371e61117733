"""A story's life, written once as data (#12).

A story is in one of five states, derived from its status and publication time: a draft, in
review, scheduled, live or withdrawn. `TRANSITIONS` lists every move between them: its name
(the form's button is `_<name>`, the list's action `<name>_selected`), the words on the button,
the states it starts from, the state it leads to, who may make it, and whether it needs a
time, a reason or a confirmation page. The admin's buttons and list actions, the services, the
importer and the permission checks all read this table; nothing else restates a transition.

Who may: `REPORTER` means the story's own reporters (whoever started it or is in its byline);
`EDITOR` means anyone with the publish permission, and the system itself (`SYSTEM`: imports,
demo content, scheduled changes).
"""

from dataclasses import dataclass
from enum import StrEnum

from .models import Article
from .permissions import SYSTEM, is_editor, owns


class State(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    SCHEDULED = "scheduled"
    LIVE = "live"
    WITHDRAWN = "withdrawn"


REPORTER, EDITOR = "reporter", "editor"
EVERYONE = frozenset({REPORTER, EDITOR})
EDITORS = frozenset({EDITOR})
REPORTERS = frozenset({REPORTER})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button on the story form
    sources: frozenset[State]
    target: State
    roles: frozenset[str]
    # In messages: "not submitted because …", "Submitted “X” for review."
    verb: str
    log: str  # the words in the story's history: "Submitted for review"
    # What the user is told once it is done; {story}, {time} and {url} are filled in.
    done: str = ""
    action: str = ""  # the list action's words, if the list of stories offers it
    needs_time: bool = False
    needs_reason: bool = False
    # Asks on a page of its own before it happens (and there asks for the reason).
    confirm: bool = False
    # Checks that the story is complete (headline, body, byline, picture's alt text) first.
    checks_story: bool = False
    # When a reason is needed and none was given: "Say why: …", in the words of who reads it.
    reason_missing: str = "Say why."

    @property
    def page(self) -> str:
        """The admin page that asks first (`confirm`): admin:articles_article_<name>."""
        return f"admin:articles_article_{self.name}"

    @property
    def button(self) -> str:
        return f"_{self.name}"


TRANSITIONS = (
    Transition(
        "submit",
        "Save and submit for review",
        frozenset({State.DRAFT}),
        State.REVIEW,
        EVERYONE,
        verb="submitted",
        log="Submitted for review",
        done="Submitted “{story}” for review. An editor will take it from here.",
        action="Submit selected stories for review",
        checks_story=True,
    ),
    Transition(
        "publish",
        "Save and publish now",
        frozenset({State.DRAFT, State.REVIEW, State.SCHEDULED, State.WITHDRAWN}),
        State.LIVE,
        EDITORS,
        verb="published",
        log="Published",
        done="Published “{story}”. It is live at {url}.",
        action="Publish selected stories",
        checks_story=True,
    ),
    Transition(
        "schedule",
        "Save and schedule",
        frozenset({State.DRAFT, State.REVIEW, State.SCHEDULED, State.WITHDRAWN}),
        State.SCHEDULED,
        EDITORS,
        verb="scheduled",
        log="Scheduled",
        done="Scheduled “{story}” for {time}. It goes live by itself at that minute.",
        needs_time=True,
        checks_story=True,
    ),
    Transition(
        "publish_changes",
        "Publish changes",
        frozenset({State.LIVE}),
        State.LIVE,
        EDITORS,
        verb="published",
        log="Published the changes",
        done="Published the changes to “{story}”. Readers see them now at {url}.",
        checks_story=True,
    ),
    Transition(
        "schedule_changes",
        "Schedule changes",
        frozenset({State.LIVE}),
        State.LIVE,
        EDITORS,
        verb="scheduled",
        log="Scheduled the changes",
        done="Scheduled the changes to “{story}” for {time}. Until then readers see the "
        "published version.",
        needs_time=True,
        checks_story=True,
    ),
    Transition(
        "withdraw",
        "Withdraw…",
        frozenset({State.LIVE}),
        State.WITHDRAWN,
        EDITORS,
        verb="withdrawn",
        log="Withdrawn",
        done="Withdrew “{story}”. Its address now tells readers it was taken down, and the "
        "corrections page says why.",
        action="Withdraw selected stories",
        needs_reason=True,
        confirm=True,
        reason_missing="Say why: readers see the reason on the corrections page.",
    ),
    # An editor hands a story in review back to its reporter, saying why (#15): the reason
    # becomes the first note of the story's thread (the notifications app), and the reporter
    # is told.
    Transition(
        "send_back",
        "Send back to the reporter…",
        frozenset({State.REVIEW}),
        State.DRAFT,
        EDITORS,
        verb="sent back",
        log="Sent back to the reporter",
        done="Sent “{story}” back to its reporter as a draft. They are told, with your note.",
        needs_reason=True,
        confirm=True,
        reason_missing="Say why it goes back: the reporter reads your note in the story's notes.",
    ),
    # Back to draft: reporters take back their own story from review; editors unschedule a
    # story or take a withdrawn one back to draft. A live story is withdrawn instead. An editor
    # hands a story in review back with send_back, which says why (#15): never silently.
    Transition(
        "to_draft",
        "Save and return to draft",
        frozenset({State.REVIEW}),
        State.DRAFT,
        REPORTERS,
        verb="returned to draft",
        log="Returned to draft",
        done="“{story}” is a draft again and off the site.",
    ),
    Transition(
        "to_draft",
        "Save and return to draft",
        frozenset({State.SCHEDULED, State.WITHDRAWN}),
        State.DRAFT,
        EDITORS,
        verb="returned to draft",
        log="Returned to draft",
        done="“{story}” is a draft again and off the site.",
    ),
)
NAMES = frozenset(t.name for t in TRANSITIONS)
BUTTONS = frozenset(t.button for t in TRANSITIONS)
# Transitions that only an editor can make from any state: a reporter posting one by hand is
# refused before anything is read.
EDITOR_ONLY = frozenset(
    name for name in NAMES if all(t.roles == EDITORS for t in TRANSITIONS if t.name == name)
)


def state_of(article: Article) -> State:
    """The story's state as the newsroom speaks of it; a story not saved yet is a draft."""
    if article.status == Article.Status.PUBLISHED:
        return State.SCHEDULED if article.is_scheduled() else State.LIVE
    return State(article.status)


def role_of(user) -> str | None:
    if user is SYSTEM or is_editor(user):
        return EDITOR
    if user.has_perm("articles.change_article"):
        return REPORTER
    return None


def find(name: str, state: State) -> Transition | None:
    """The transition of that name from that state, if there is one."""
    return next((t for t in TRANSITIONS if t.name == name and state in t.sources), None)


def may(user, transition: Transition, article: Article) -> bool:
    """Whether the user may make this transition on this story (its state aside)."""
    role = role_of(user)
    if role not in transition.roles:
        return False
    return role == EDITOR or owns(user, article)


def offered(user, article: Article) -> list[Transition]:
    """The transitions the user may make from the story's state now, in table order, once
    each (the story form's buttons)."""
    state = state_of(article)
    found = [t for t in TRANSITIONS if state in t.sources and may(user, t, article)]
    return [t for i, t in enumerate(found) if t.name not in {o.name for o in found[:i]}]


def bulk_actions() -> list[Transition]:
    """Transitions the list of stories offers as actions, once each."""
    seen, actions = set(), []
    for t in TRANSITIONS:
        if t.action and t.name not in seen:
            seen.add(t.name)
            actions.append(t)
    return actions


def first(name: str) -> Transition:
    """The first row of the table with this name (for its labels)."""
    return next(t for t in TRANSITIONS if t.name == name)

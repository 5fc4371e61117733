"""Who may do what with a story (#3). The admin, previews and services all ask these.

Reporters (the "Reporter" group) write stories and submit them for review; they may change only
their own stories, and only until the stories are published. Editors (anyone with the
`articles.publish_article` permission) may change, publish, schedule, withdraw, correct and
restore any story. Legal (anyone with `articles.hold_article`, #15) may read every story and
place and lift legal holds, and change none. Which state changes each may make is in
workflow.py.

The newsroom itself acts as `SYSTEM` (imports, demo content, scheduled changes): an explicit
actor with an editor's rights, never a missing user (#12).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q

from .models import OWNER_SOURCES, Article, Tag, TaggedArticle

PUBLISH_PERMISSION = "articles.publish_article"
HOLD_PERMISSION = "articles.hold_article"
UNPUBLISHED = {Article.Status.DRAFT, Article.Status.REVIEW}


class SystemActor:
    """The newsroom itself, acting from the command line or on a schedule: may do what an
    editor may. Its revisions and notes name no person; it writes no admin log entry."""

    pk = None
    is_active = is_staff = True

    def __str__(self):
        return "Newsroom"

    def __repr__(self):
        return "SYSTEM"

    def get_full_name(self):
        return "Newsroom"

    def get_username(self):
        return "system"

    def has_perm(self, perm, obj=None):
        return True


SYSTEM = SystemActor()


def actor_user(by):
    """The user to record as having done something: None for the system."""
    return None if by is SYSTEM else by


def is_editor(user: AbstractBaseUser | SystemActor) -> bool:
    if user is None:
        raise TypeError("Say who acts: a user, or permissions.SYSTEM for the newsroom itself.")
    return user is SYSTEM or user.has_perm(PUBLISH_PERMISSION)


def is_legal(user: AbstractBaseUser | SystemActor) -> bool:
    """Whether the user may place and lift legal holds (#15): Legal, not editors."""
    if user is None:
        raise TypeError("Say who acts: a user, or permissions.SYSTEM for the newsroom itself.")
    return user is SYSTEM or user.has_perm(HOLD_PERMISSION)


def sees_every_story(user: AbstractBaseUser | SystemActor) -> bool:
    """Editors and Legal read every story; reporters, their own and the live ones."""
    return is_editor(user) or is_legal(user)


def owns(user: AbstractBaseUser, article: Article) -> bool:
    if user is SYSTEM or article.pk is None:
        return True
    if article.created_by_id == user.pk:
        return True
    if article.bylines.filter(author__user=user).exists():
        return True
    # A story another app makes theirs (a planned story's assignee, #15).
    return any(source(user).filter(article_id=article.pk).exists() for source in OWNER_SOURCES)


def can_add(user) -> bool:
    return is_editor(user) or user.has_perm("articles.add_article")


def can_view(user: AbstractBaseUser | SystemActor, article: Article) -> bool:
    if sees_every_story(user):
        return True
    return user.has_perm("articles.view_article") and owns(user, article)


def can_edit(user: AbstractBaseUser | SystemActor, article: Article) -> bool:
    if is_editor(user):
        return True
    return (
        user.has_perm("articles.change_article")
        and article.status in UNPUBLISHED
        and owns(user, article)
    )


def can_delete(user: AbstractBaseUser | SystemActor, article: Article) -> bool:
    if is_editor(user):
        return user.has_perm("articles.delete_article")
    return user.has_perm("articles.delete_article") and can_edit(user, article)


def stories_seen_by(user: AbstractBaseUser | SystemActor):
    """The stories whose details the user may know of: every one for an editor; for anyone
    else the live ones and those they may open (their own). Legal sees them all (#15)."""
    if sees_every_story(user):
        return Article.objects.all()
    seen = Q(pk__in=Article.objects.published().values("pk"))
    if user.has_perm("articles.view_article"):
        seen |= Q(pk__in=Article.objects.owned_by(user).values("pk"))
    return Article.objects.filter(seen)


def tags_seen_by(user: AbstractBaseUser | SystemActor):
    """The tags the user may know of (#13): a tag carried only by other reporters'
    unpublished stories (an embargoed "merger-acme") names what they are working on. Every tag
    for an editor or Legal; for anyone else those of the stories in `stories_seen_by()`."""
    if sees_every_story(user):
        return Tag.objects.all()
    carried = TaggedArticle.objects.filter(
        tag=OuterRef("pk"), content_object__in=stories_seen_by(user).values("pk")
    )
    return Tag.objects.filter(Exists(carried))


def live_blogs_for(user: AbstractBaseUser | SystemActor):
    """The live blogs the user may post updates to (#18): any for an editor; for a reporter,
    those they own (started, bylined or assigned), published or not. Posting an update is
    publishing it: it is the live blog's own workflow, a story's review having come first."""
    if not user.has_perm("articles.add_liveupdate"):
        return Article.objects.none()
    blogs = Article.objects.current().exclude(live="")
    return blogs if is_editor(user) else blogs.owned_by(user)


def can_post_update(user: AbstractBaseUser | SystemActor, article: Article) -> bool:
    return live_blogs_for(user).filter(pk=article.pk).exists()

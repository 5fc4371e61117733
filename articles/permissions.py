"""Who may do what with a story (#3). The admin, previews and services all ask these.

Reporters (the "Reporter" group) write stories and submit them for review; they may change only
their own stories, and only until the stories are published. Editors (anyone with the
`articles.publish_article` permission) may change, publish, schedule, withdraw, correct and
restore any story.
"""

from django.contrib.auth.models import AbstractBaseUser

from .models import Article

PUBLISH_PERMISSION = "articles.publish_article"
UNPUBLISHED = {Article.Status.DRAFT, Article.Status.REVIEW}


def is_editor(user: AbstractBaseUser | None) -> bool:
    """`None` is the system itself (management commands), which may do anything."""
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def owns(user: AbstractBaseUser, article: Article) -> bool:
    if article.pk is None:
        return True
    if article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def can_view(user: AbstractBaseUser | None, article: Article) -> bool:
    if is_editor(user):
        return True
    return user.has_perm("articles.view_article") and owns(user, article)


def can_edit(user: AbstractBaseUser | None, article: Article) -> bool:
    if is_editor(user):
        return True
    return (
        user.has_perm("articles.change_article")
        and article.status in UNPUBLISHED
        and owns(user, article)
    )


def can_delete(user: AbstractBaseUser | None, article: Article) -> bool:
    if is_editor(user):
        return user is None or user.has_perm("articles.delete_article")
    return user.has_perm("articles.delete_article") and can_edit(user, article)

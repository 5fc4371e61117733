"""Everything that changes a story's state goes through these functions.

The admin (actions and the edit form), the import command and the demo loader all call them, so
the rules (who may publish, what a publishable story needs) live in one place. `by=None` means
the system itself acting from the command line, which needs no permission.
"""

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from authors.models import Author

from .models import Article, ArticleAuthor, slug_for
from .text import paragraphs_to_html

PUBLISH_PERMISSION = "articles.publish_article"


def can_publish(user: AbstractBaseUser | None) -> bool:
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def _require_publish_permission(user: AbstractBaseUser | None) -> None:
    if not can_publish(user):
        raise PermissionDenied("You don't have permission to publish or unpublish stories.")


def publish_problems(article: Article) -> list[str]:
    """What stops the story from being published, in words an editor understands."""
    problems = []
    if not article.headline.strip():
        problems.append("Write a headline.")
    if not article.body.strip():
        problems.append("Write the story: the body is empty.")
    if not article.pk or not article.bylines.exists():
        problems.append("Add at least one author to the byline.")
    return problems


@transaction.atomic
def article_publish(
    *, article: Article, by: AbstractBaseUser | None, at: datetime | None = None
) -> Article:
    """Makes the story public. It keeps an earlier publication time, so its address stays."""
    _require_publish_permission(by)
    problems = publish_problems(article)
    if problems:
        raise ValidationError(problems)
    before = article.status, article.published_at, article.publication_date
    article.status = Article.Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    try:
        article.full_clean()
    except ValidationError:
        # Leave the caller's instance as it was: it may be shown again in a form.
        article.status, article.published_at, article.publication_date = before
        raise
    if by is not None:
        article.updated_by = by
    article.save()
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by: AbstractBaseUser | None) -> Article:
    """Takes the story off the public site; it becomes a draft again with its address kept."""
    _require_publish_permission(by)
    article.status = Article.Status.DRAFT
    if by is not None:
        article.updated_by = by
    article.save()
    return article


def _free_slug(headline: str, at: datetime) -> str:
    """A slug from the headline that no story published on that date uses yet."""
    day = timezone.localdate(at, timezone.get_default_timezone())
    base = slug_for(headline)
    slug, n = base, 2
    while Article.objects.filter(publication_date=day, slug=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: 200 - len(suffix)].rstrip("-") + suffix, n + 1
    return slug


@transaction.atomic
def article_create(
    *,
    headline: str,
    paragraphs: Sequence[str],
    authors: Sequence[Author],
    by: AbstractBaseUser | None,
    standfirst: str = "",
    tags: Sequence[str] = (),
    publish: bool = False,
    published_at: datetime | None = None,
) -> Article:
    """Creates a story from plain paragraphs, with its byline in the given order."""
    if publish:
        _require_publish_permission(by)
    at = published_at or timezone.now()
    article = Article(
        headline=headline,
        slug=_free_slug(headline, at),
        standfirst=standfirst,
        body=paragraphs_to_html(paragraphs),
        created_by=by,
        updated_by=by,
    )
    article.full_clean()
    article.save()
    for position, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.set(list(tags))
    if publish:
        article_publish(article=article, by=by, at=at)
    return article

"""factory_boy factories with the states a story can be in."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from faker import Faker

from articles.models import Article, ArticleAuthor, Section
from articles.roles import ensure_groups
from articles.text import paragraphs_to_html
from authors.models import Author

fake = Faker()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def role(name):
    """The group of a role. A transactional test (the browser tests) empties every table when
    it ends, data migrations' rows included, so the groups are made again when missing. Only
    then: giving them their permissions takes some 60 queries, once for every staff member a
    test made (#13: a fifth of the suite's time went there)."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        ensure_groups(Group, Permission)
        group = Group.objects.get(name=name)
    return group


class ReporterFactory(UserFactory):
    """A staff member in the Reporter group: writes stories, submits them for review."""

    is_staff = True

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create:
            user.groups.add(role("Reporter"))


class EditorFactory(UserFactory):
    """A staff member in the Editor group: publishes, schedules, withdraws, corrects."""

    is_staff = True

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create:
            user.groups.add(role("Editor"))


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")
    job_title = "Staff reporter"
    bio = factory.Faker("sentence", nb_words=20)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda s: s.name.lower().replace(" ", "-"))
    description = "Stories from around the city."


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft story with one author."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Faker("sentence", nb_words=8)
    slug = factory.Sequence(lambda n: f"story-{n}")
    standfirst = factory.Faker("sentence", nb_words=18)
    body = factory.LazyFunction(
        lambda: paragraphs_to_html([fake.paragraph(nb_sentences=5) for _ in range(3)])
    )
    status = Article.Status.DRAFT

    @factory.post_generation
    def authors(article, create, extracted, **kwargs):
        if not create:
            return
        authors = extracted if extracted is not None else [AuthorFactory()]
        for position, author in enumerate(authors):
            ArticleAuthor.objects.create(article=article, author=author, position=position)


class DraftArticleFactory(ArticleFactory):
    pass


class PublishedArticleFactory(ArticleFactory):
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


class ReviewArticleFactory(ArticleFactory):
    """Submitted for review."""

    status = Article.Status.REVIEW


class WithdrawnArticleFactory(ArticleFactory):
    """Published once, then taken down."""

    status = Article.Status.WITHDRAWN
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class ScheduledArticleFactory(ArticleFactory):
    """Published, but with a publication time still to come."""

    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))


class LegalFactory(UserFactory):
    """A staff member in the Legal group (#15): reads every story, places and lifts holds."""

    is_staff = True

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create:
            user.groups.add(role("Legal"))


class EmbargoedArticleFactory(ArticleFactory):
    """A draft under an embargo three hours away (#15)."""

    embargo_until = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=3))

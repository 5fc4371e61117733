"""Migrations go backwards as well as forwards (#7), with data present, and give back the same
schema; and the models have no change without its migration.

These tests migrate the test database itself, outside any transaction, and always leave it
fully migrated for the tests after them.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from articles.models import ArticleAuthor, FrontPageSlot, TaggedArticle
from articles.search import search_articles
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)
from tests.images.samples import make_image

APPS = ["articles", "authors", "images"]


@pytest.fixture
def migrated_back_at_the_end(transactional_db):
    try:
        yield
    finally:
        call_command("migrate", verbosity=0)


def migrate(*args):
    call_command("migrate", *args, verbosity=0)


def schema():
    """Tables with their columns and constraints (indexes included), triggers, and on
    PostgreSQL the functions the triggers run."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        tables = {
            table: (
                [tuple(column) for column in introspection.get_table_description(cursor, table)],
                introspection.get_constraints(cursor, table),
            )
            for table in introspection.table_names(cursor)
        }
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal"
            )
            triggers = set(cursor.fetchall())
            cursor.execute(
                "SELECT proname, pg_get_functiondef(oid) FROM pg_proc "
                "WHERE pronamespace = 'public'::regnamespace"
            )
            functions = set(cursor.fetchall())
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers, functions = set(cursor.fetchall()), set()
    return tables, triggers, functions


def project_tables():
    return sorted(
        table for table in connection.introspection.table_names() if table.split("_")[0] in APPS
    )


def roles():
    return {
        group.name: sorted(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }


def newsroom_content():
    """A story of every kind of row the apps hold: picture, author with photo, section,
    tags, front-page slot; and an editor, in a group the data migrations made."""
    EditorFactory()
    picture = make_image(alt_text="The harbour at dawn")
    author = AuthorFactory(photo=picture)
    story = PublishedArticleFactory(
        headline="Zeppelinfield harbour reopens",
        section=SectionFactory(),
        lead_image=picture,
        authors=[author],
    )
    story.tags.add("Harbour")
    FrontPageSlot.objects.create(slot=0, article=story)
    return story


class MigrationTests:
    @pytest.mark.slow
    def test_every_app_migrates_to_zero_and_forward_again(self, migrated_back_at_the_end):
        newsroom_content()
        assert search_articles("zeppelinfield").count() == 1
        before, groups = schema(), roles()
        assert groups and project_tables()
        for app in APPS:
            # Each app goes back with its own rows still present.
            migrate(app, "zero")
        assert project_tables() == []
        migrate()
        assert schema() == before
        assert roles() == groups

    @pytest.mark.slow
    def test_the_search_index_goes_and_comes_back_with_the_stories(self, migrated_back_at_the_end):
        story = newsroom_content()
        before = schema()
        migrate("articles", "0009")
        assert "articles_search_pending" not in connection.introspection.table_names()
        migrate()
        assert schema() == before
        # Migration 0010 indexed the stories already there.
        assert list(search_articles("zeppelinfield")) == [story]

    @pytest.mark.slow
    def test_links_get_their_story_time_from_the_backfill(self, migrated_back_at_the_end):
        story = newsroom_content()
        draft = ArticleFactory(authors=[AuthorFactory()])
        draft.tags.add("Harbour")
        migrate("articles", "0027")  # Before the links carried their story's time (#17).
        migrate()
        links = [
            *TaggedArticle.objects.values_list("content_object_id", "published_at"),
            *ArticleAuthor.objects.values_list("article_id", "published_at"),
        ]
        assert sorted(links, key=str) == sorted(
            [(story.pk, story.published_at)] * 2 + [(draft.pk, None)] * 2, key=str
        )


@pytest.mark.django_db  # It checks the applied migrations' history.
def test_every_model_change_has_its_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)

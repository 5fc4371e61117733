"""Derived text kept with the story (#17): the word count is counted when the body changes,
on every path that writes a body, instead of on every view; the summary is worked out once
per instance and forgotten when the text may have changed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from articles import models, services
from articles.models import Article
from articles.text import word_count
from tests.factories import EditorFactory, PublishedArticleFactory

from .workflow_http import admin_preview_url, login

pytestmark = pytest.mark.django_db

BODY = "<p>The council’s “long-term” plan — <em>again</em>.</p><p>Two more.</p>"


def stored_count(story):
    return Article.objects.values_list("word_count", flat=True).get(pk=story.pk)


class WordCountTests:
    def test_a_new_story_stores_the_count_of_its_sanitised_body(self):
        story = PublishedArticleFactory(body=BODY + "<script>one two three</script>")
        assert stored_count(story) == word_count(story.body) == 7

    def test_an_edit_through_the_services_recounts(self):
        story = PublishedArticleFactory(body=BODY)
        services.article_save(
            article=story, by=EditorFactory(), changes={"body": "<p>Only three words.</p>"}
        )
        assert stored_count(story) == 3

    def test_a_save_of_named_fields_recounts_the_body(self):
        story = PublishedArticleFactory(body=BODY)
        story.body = "<p>Four words this time.</p>"
        story.save(update_fields=["body"])
        assert stored_count(story) == 4

    def test_the_page_and_its_structured_data_show_the_stored_count(self, client):
        story = PublishedArticleFactory(body=BODY)
        html = client.get(story.get_absolute_url()).content.decode()
        assert "7 words" in html and '"wordCount":7' in html

    def test_an_imported_story_counts_its_words(self, tmp_path):
        path = tmp_path / "story.txt"
        path.write_text(
            "Harbour reopens\n\nThe harbour reopened today.\n\nShips are back.\n\nBy Ann Ames\n"
        )
        call_command("import_article", str(path), "--publish", stdout=StringIO())
        story = Article.objects.get()
        assert story.word_count == word_count(story.body) == 7

    def test_a_preview_of_unpublished_changes_counts_the_changed_body(self):
        story = PublishedArticleFactory(body=BODY)
        editor = EditorFactory()
        services.article_save(
            article=story, by=editor, changes={"body": "<p>Staged words here.</p>"}, stage=True
        )
        assert stored_count(story) == 7  # readers keep the published version
        html = login(editor).get(admin_preview_url(story)).content.decode()
        assert "3 words" in html

    @pytest.mark.slow
    def test_seeded_stories_store_their_count(self):
        call_command("seed_articles", count=20, stdout=StringIO(), stderr=StringIO())
        stories = list(Article.objects.all())
        assert stories and all(story.word_count == word_count(story.body) for story in stories)


class SummaryTests:
    def test_worked_out_once_per_text_and_again_when_the_text_changes(self, monkeypatch):
        story = PublishedArticleFactory(standfirst="", body="<p>First words.</p>")
        made = []
        real = models.html_to_plain
        monkeypatch.setattr(models, "html_to_plain", lambda html: made.append(html) or real(html))
        assert story.summary == story.summary == story.meta_description == "First words."
        assert made == ["<p>First words.</p>"]
        story.body = "<p>Other words.</p>"
        assert story.summary == "Other words."
        story.standfirst = "A standfirst."
        assert story.summary == "A standfirst."
        assert len(made) == 2


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_words_of_stories_already_written():
    story = PublishedArticleFactory(body=BODY)
    try:
        call_command("migrate", "articles", "0023", verbosity=0)
        columns = connection.introspection.get_table_description(
            connection.cursor(), "articles_article"
        )
        assert "word_count" not in {column.name for column in columns}
        call_command("migrate", "articles", "0024", verbosity=0)
        assert stored_count(story) == word_count(story.body) == 7
    finally:
        call_command("migrate", verbosity=0)

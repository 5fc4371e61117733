"""The story search of the body editor (#14, articles/story_picker.py) matches headlines word
by word; at 300,000 stories only an index on the same expression keeps it fast. PostgreSQL
only: elsewhere the search is a substring match with no index to use."""

from django.db import migrations

INDEX = "articles_article_headline_words"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article "
    "USING gin (to_tsvector('simple'::regconfig, headline))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_story_list_indexes")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]

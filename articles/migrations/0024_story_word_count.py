"""Each story keeps its body's word count, counted when the body changes (#17): the story
page showed it (and the reading time) by parsing the body on every view.

The backfill counts the words of every story already written, with the same function the
model uses (articles/text.py), a batch at a time."""

from django.db import migrations, models

from articles.text import word_count

BATCH = 500


def count_words(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    stories = Article.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(stories.filter(pk__gt=last).only("pk", "body")[:BATCH])
        if not batch:
            return
        for story in batch:
            story.word_count = word_count(story.body)
        Article.objects.using(schema_editor.connection.alias).bulk_update(batch, ["word_count"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_scale_latest_stories"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="word_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        # Backwards, the column goes with the field: nothing to undo.
        migrations.RunPython(count_words, migrations.RunPython.noop, elidable=True),
    ]

"""Each story's count of the notes readers see under it (#17), counted for the stories there
are."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_reader_notes(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Correction = apps.get_model("articles", "Correction")
    notes = (
        Correction.objects.filter(article=OuterRef("pk"))
        .exclude(kind="withdrawal")
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    Article.objects.using(schema_editor.connection.alias).update(
        reader_note_count=Coalesce(Subquery(notes), 0)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0024_story_word_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="reader_note_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_reader_notes, migrations.RunPython.noop),
    ]

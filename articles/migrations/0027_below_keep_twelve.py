"""Each section, tag and author keeps its 12 newest live stories in LatestStory, not 8 (#17):
the story page's "more from" lists are then always found among them (articles/latest.py,
`below()`). The rows are written again as 0023 first wrote them, with the new number."""

from importlib import import_module

from django.db import migrations

first_fill = import_module("articles.migrations.0023_scale_latest_stories")


def refill(keep):
    def run(apps, schema_editor):
        LatestStory = apps.get_model("articles", "LatestStory")
        LatestStory.objects.using(schema_editor.connection.alias).all().delete()
        first_fill.fill(apps, schema_editor, keep=keep)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0026_search_model_search_index")]

    operations = [migrations.RunPython(refill(12), refill(first_fill.KEEP))]

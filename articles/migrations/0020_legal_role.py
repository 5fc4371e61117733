"""The Legal group (#15): reads every story, places and lifts legal holds (articles/roles.py)."""

from django.db import migrations

from articles.migrations import _roles


def remove_legal(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Legal").delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_embargo_and_legal_hold")]

    operations = [migrations.RunPython(_roles.create_groups, remove_legal)]

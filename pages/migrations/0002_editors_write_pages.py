"""Editors write the footer pages (#16, articles/roles.py)."""

from django.db import migrations

from articles.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_page"),
        ("articles", "0021_editors_see_jobs"),
    ]

    # Reversing leaves the permissions with the group; the pages' table goes with 0001.
    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]

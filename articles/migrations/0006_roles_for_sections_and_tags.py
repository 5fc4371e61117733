"""Gives the roles the section and tag permissions (#4), as articles/roles.py now defines them."""

from django.db import migrations

from articles.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_sections_and_tags")]

    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]

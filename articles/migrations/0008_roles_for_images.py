"""Reporters and editors may add and describe pictures (#4), as articles/roles.py defines."""

from django.db import migrations

from articles.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_article_lead_image"), ("images", "0001_initial")]

    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]

"""Editors register webhook endpoints and re-send deliveries (#18, articles/roles.py)."""

from django.db import migrations

from articles.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("articles", "0029_sitemap_latest_newest"),
        ("pages", "0002_editors_write_pages"),
    ]

    # Reversing leaves the permissions with the group; the tables go with 0001.
    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]

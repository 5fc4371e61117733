"""Reporters and editors make their own API tokens (#18, articles/roles.py)."""

from django.db import migrations

from articles.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("articles", "0029_sitemap_latest_newest"),
        ("pages", "0002_editors_write_pages"),
        # The last of the migrations that set the groups: it sees every app's permissions.
        ("webhooks", "0002_editors_manage_webhooks"),
    ]

    # Reversing leaves the permissions with the groups; the table goes with 0001.
    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]

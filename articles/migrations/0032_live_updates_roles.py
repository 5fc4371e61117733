"""Reporters and editors post live updates; editors delete them (#18, articles/roles.py)."""

from django.db import migrations

from articles.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0031_live_blogs"),
        # The last of the migrations that set the groups: it sees every app's permissions.
        ("api", "0002_reporters_and_editors_make_tokens"),
    ]

    # Reversing leaves the permissions with the groups; the table goes with 0031.
    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]

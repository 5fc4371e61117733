"""Editors see the background jobs, read-only (#15, articles/roles.py)."""

from django.db import migrations

from articles.migrations import _roles


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_legal_role"),
        ("django_tasks_database", "0001_initial"),
    ]

    # Reversing leaves the permission with the group: the jobs' app may be gone by then.
    operations = [migrations.RunPython(_roles.create_groups, migrations.RunPython.noop)]

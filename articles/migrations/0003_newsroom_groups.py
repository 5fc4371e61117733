"""The Reporter and Editor groups (#3), as articles/roles.py defines them."""

from django.db import migrations

from articles.migrations import _roles
from articles.roles import ROLES


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("authors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(_roles.create_groups, remove_groups)]

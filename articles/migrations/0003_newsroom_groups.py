"""The Reporter and Editor groups (#3), as articles/roles.py defines them.

Permissions are created after migrations run, so on a new database they don't exist yet here:
create them first for the apps the groups need.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from articles.roles import ROLES, ensure_groups


def create_groups(apps, schema_editor):
    for app_label in ("articles", "authors", "taggit"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # create_permissions() skips stubs without models.
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    ensure_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("authors", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

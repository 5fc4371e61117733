"""The Reporter and Editor groups (#3).

Permissions are created after migrations run, so on a new database they don't exist yet here:
create them first for the apps the groups need.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = {
    "articles": ["view_article", "add_article", "change_article", "delete_article"],
    "articles.articleauthor": ["view", "add", "change", "delete"],
    "authors": ["view_author", "add_author"],
}
EDITOR = {
    "articles": [
        "view_article",
        "add_article",
        "change_article",
        "delete_article",
        "publish_article",
    ],
    "articles.articleauthor": ["view", "add", "change", "delete"],
    "articles.correction": ["view", "add", "change"],
    "authors": ["view_author", "add_author", "change_author", "delete_author"],
    "taggit.tag": ["view", "add", "change", "delete"],
}


def codenames(spec):
    for key, names in spec.items():
        app_label, _, model = key.partition(".")
        for name in names:
            yield app_label, f"{name}_{model}" if model else name


def create_groups(apps, schema_editor):
    for app_label in ("articles", "authors", "taggit"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # create_permissions() skips stubs without models.
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in (("Reporter", REPORTER), ("Editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames(spec):
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporter", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("authors", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

"""Shared by the migrations that (re)create the newsroom's groups from articles/roles.py."""

from django.contrib.auth.management import create_permissions

from articles.roles import ensure_groups


def create_groups(apps, schema_editor):
    # Permissions are created after migrations run, so on a new database they don't exist yet
    # here: create them first for the apps the groups need.
    for app_label in (
        "articles",
        "authors",
        "images",
        "django_tasks_database",
        "pages",
        "webhooks",
        "api",
    ):
        try:
            app_config = apps.get_app_config(app_label)
        except LookupError:  # An app not migrated yet at this point of the history.
            continue
        app_config.models_module = True  # create_permissions() skips stubs without models.
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    ensure_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), strict=False
    )

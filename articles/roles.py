"""The newsroom's roles as groups of permissions (#3).

Reporters write stories and submit them for review; editors also publish, schedule, withdraw,
correct and restore. The object-level rules (whose stories) are in permissions.py.

The groups are created by a data migration that calls `ensure_groups()` with the historical
models. When these lists change, add a migration that calls it again.
"""

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
ROLES = {"Reporter": REPORTER, "Editor": EDITOR}


def codenames(spec):
    """(app label, codename) pairs: "app.model": ["view"] means view_model in that app."""
    for key, names in spec.items():
        app_label, _, model = key.partition(".")
        for name in names:
            yield app_label, f"{name}_{model}" if model else name


def ensure_groups(group_model, permission_model):
    """Creates the groups if missing and gives them exactly their permissions."""
    for name, spec in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.set(
            [
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in codenames(spec)
            ]
        )

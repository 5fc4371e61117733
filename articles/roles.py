"""The newsroom's roles as groups of permissions (#3).

Reporters write stories and submit them for review; editors also publish, schedule, withdraw,
correct and restore. Legal (#15) reads every story and places and lifts legal holds, and
changes no text. The object-level rules (whose stories) are in permissions.py.

The groups are created by data migrations that call `ensure_groups()` with the historical
models. When these lists change, add a migration that calls it again
(articles/migrations/_roles.py).
"""

REPORTER = {
    "articles": ["view_article", "add_article", "change_article", "delete_article"],
    "articles.articleauthor": ["view", "add", "change", "delete"],
    "articles.section": ["view"],
    "articles.tag": ["view", "add"],
    # Updates to the live blogs they write for (#18, permissions.can_post_update).
    "articles.liveupdate": ["view", "add", "change"],
    "authors": ["view_author", "add_author"],
    "images.image": ["view", "add", "change"],
    # Their own Content API tokens (#18), which read what the admin shows them.
    "api.apitoken": ["view", "add", "change", "delete"],
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
    # Live blogs' updates (#18): any live blog's, and taking one down.
    "articles.liveupdate": ["view", "add", "change", "delete"],
    "authors": ["view_author", "add_author", "change_author", "delete_author"],
    "articles.section": ["view", "add", "change", "delete"],
    "articles.tag": ["view", "add", "change", "delete"],
    "images.image": ["view", "add", "change", "delete"],
    "articles.frontpageslot": ["view", "add", "change", "delete"],
    # The breaking-news banner on every page (#18).
    "articles.breaking": ["view", "add", "change", "delete"],
    # The newsroom's own pages: about, contact, policies (#16).
    "pages.page": ["view", "add", "change", "delete"],
    # The background jobs, read-only (#15): a job that keeps failing is the desk's to notice.
    "django_tasks_database.dbtaskresult": ["view"],
    # Webhooks to other systems (#18): editors register endpoints and re-send deliveries.
    "webhooks.endpoint": ["view", "add", "change", "delete"],
    "webhooks.delivery": ["view", "change"],
    # Their own Content API tokens (#18), which read what the admin shows them.
    "api.apitoken": ["view", "add", "change", "delete"],
}
# Legal reads every story (the admin's form shows it read-only) and places and lifts holds
# (#15); it changes no text and publishes nothing. Editors don't get `hold_article`: a hold is
# Legal's decision, and an editor may not lift one Legal placed.
LEGAL = {
    "articles": ["view_article", "hold_article"],
    "articles.articleauthor": ["view"],
    "articles.section": ["view"],
    "articles.tag": ["view"],
    "authors": ["view_author"],
    "images.image": ["view"],
}
ROLES = {"Reporter": REPORTER, "Editor": EDITOR, "Legal": LEGAL}


def codenames(spec):
    """(app label, codename) pairs: "app.model": ["view"] means view_model in that app."""
    for key, names in spec.items():
        app_label, _, model = key.partition(".")
        for name in names:
            yield app_label, f"{name}_{model}" if model else name


def ensure_groups(group_model, permission_model, *, strict=True):
    """Creates the groups if missing and gives them exactly their permissions.

    An early migration runs before later models exist; there (strict=False) permissions not
    created yet are left for the later migration that calls this again.
    """
    for name, spec in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = list(codenames(spec))
        found = [
            permission
            for app_label, codename in wanted
            for permission in permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        ]
        if strict and len(found) != len(wanted):
            raise LookupError(f"Some permissions of the {name} group don't exist: run migrate.")
        group.permissions.set(found)

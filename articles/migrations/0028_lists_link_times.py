"""Tag links and bylines carry their story's publication time, with an index per tag and per
author in the order of the story lists (#17): see articles/link_times.py.

The backfill copies each story's time onto its links, a range of stories at a time, in one
UPDATE per link table and range; the indexes are built after it."""

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery

BATCH = 20_000  # stories


def copy_times(apps, schema_editor):
    alias = schema_editor.connection.alias
    Article = apps.get_model("articles", "Article")
    links = [
        (apps.get_model("articles", "TaggedArticle"), "content_object"),
        (apps.get_model("articles", "ArticleAuthor"), "article"),
    ]
    last = Article.objects.using(alias).aggregate(last=Max("pk"))["last"] or 0
    for start in range(0, last, BATCH):
        for model, story in links:
            times = Article.objects.using(alias).filter(pk=OuterRef(story))
            model.objects.using(alias).filter(
                **{f"{story}__gt": start, f"{story}__lte": start + BATCH}
            ).update(published_at=Subquery(times.values("published_at")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0027_below_keep_twelve"),
        ("authors", "0003_slug_help_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="articleauthor",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="taggedarticle",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        # Backwards, the columns go with the fields: nothing to undo.
        migrations.RunPython(copy_times, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="articleauthor",
            index=models.Index(
                fields=["author", "-published_at", "-article"], name="byline_author_newest_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="taggedarticle",
            index=models.Index(
                fields=["tag", "-published_at", "-content_object"], name="tagged_tag_newest_idx"
            ),
        ),
    ]

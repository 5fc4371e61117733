"""Indexes for the story list at archive scale (#14): the section filter newest first, and
the matches of the author and tag filters, search and a reporter's list put in order from an
index alone (articles/pagination.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_seo_fields")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["section", "-published_at", "-id"], name="article_section_newest_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("trashed_at__isnull", True)),
                fields=["id", "published_at"],
                name="article_order_idx",
            ),
        ),
    ]

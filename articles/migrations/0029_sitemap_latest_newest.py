from django.db import migrations, models


class Migration(migrations.Migration):
    """The sitemaps' newest live stories of each tag and author, and of each kind, read newest
    first from the kept rows (#17)."""

    dependencies = [
        ("articles", "0028_lists_link_times"),
        ("authors", "0003_slug_help_text"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="lateststory",
            index=models.Index(fields=["tag", "-published_at"], name="latest_tag_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="lateststory",
            index=models.Index(fields=["author", "-published_at"], name="latest_author_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="lateststory",
            index=models.Index(fields=["-published_at"], name="latest_newest_idx"),
        ),
    ]

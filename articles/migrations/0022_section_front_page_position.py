"""Editors choose which sections have a block on the front page, and in which order (#16)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_editors_see_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="section",
            name="front_page_position",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Gives the section a block of its latest stories on the front page, in this order (smallest first). Leave it empty to keep the section off the front page.",
                null=True,
                verbose_name="place on the front page",
            ),
        ),
    ]

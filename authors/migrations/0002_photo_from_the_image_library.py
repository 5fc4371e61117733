"""Author photos go through the image pipeline (#4): the photo becomes a link to an Image.

A file path can't become a foreign key in place (PostgreSQL can't cast '' to a number), so the
old column is dropped and a new one added. No deployment had author photos yet.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("authors", "0001_initial"),
        ("images", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="author", name="photo"),
        migrations.AddField(
            model_name="author",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="A head-and-shoulders portrait; the author page shows a square crop "
                "around its focal point.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="images.image",
            ),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="LookupVersion",
            fields=[
                ("name", models.CharField(max_length=60, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
            ],
        ),
    ]

"""The full-text search index: PostgreSQL tsvector table or SQLite FTS5 table, plus triggers.

Nothing here is a Django model, so the autodetector has nothing to say about it; see
articles/search.py for the design. Other databases get no index (search falls back to
icontains there).
"""

from django.db import migrations

from articles import search


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_front_page_slots"),
        ("authors", "0002_photo_from_the_image_library"),
    ]

    operations = [migrations.RunPython(search.migrate_forwards, search.migrate_backwards)]

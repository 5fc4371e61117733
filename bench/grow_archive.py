"""Grows a seeded archive to benchmark size by copying its stories further back in time (#17).

Seeding a million stories one by one takes an hour or more; copying them in SQL takes
minutes. Seed a base archive, then copy it: each copy is the whole archive moved back by its
own span (copy 1 just before the oldest story, copy 2 before that, ...), so the copies
neither overlap each other nor the base in time, and every slug stays unique on its date.

    createdb -h 127.0.0.1 -U postgres newsroom_scale
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_scale
    .venv/bin/python manage.py migrate --no-input
    .venv/bin/python manage.py seed_articles --count 50000   # 15-30k stories a minute here
    .venv/bin/python -m bench.grow_archive --copies 19        # 1,000,000 stories

Each copy gets new ids (the story's id plus the copy's number times the highest id), its
times (publication, "Updated", embargo, hold, trash, creation, last save) and publication
date moved back by whole days of the site's time zone, the same section, lead picture and
state, and copies of the story's tags and bylines with their publication times
(articles/link_times.py) moved with it. Stories scheduled in the base are in the past in
every copy, so live there. Then the newest stories of each section, tag and author are
rebuilt (articles/latest.py `rebuild()`), the link times checked (`sync()`, which should
find nothing to change) and the tables vacuumed and analysed.

The copies' ids don't follow their times: older than the stories they copy, they have higher
ids, where a newsroom's ids grow with time. A plan that walks the stories' primary key may read
less of this archive than of a real one; one that probes stories by id doesn't care.

The copies are left out of the search index: their search triggers are switched off while
they are written (in the same transaction, so a failure leaves them on). PostgreSQL only;
run it once, on a database seed_articles filled and nothing else wrote to.
"""

import argparse
import sys
import time

from bench import inprocess

inprocess.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import DateTimeField  # noqa: E402

from articles import latest, link_times  # noqa: E402
from articles.models import Article, ArticleAuthor, TaggedArticle  # noqa: E402

# The search index's triggers on the tables written here (articles/migrations/0026).
SEARCH_TRIGGERS = {
    Article: "articles_searchupdate_article",
    ArticleAuthor: "articles_searchupdate_byline",
    TaggedArticle: "articles_searchupdate_tagged",
}


def _columns(model, exprs: dict[str, str]) -> tuple[str, str]:
    """The model's columns, and what to select for each: `exprs` by column, else itself.
    Every time moves back by `%(days)s` whole days of the session's time zone."""
    names, values = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        if column == "id" and column not in exprs:
            continue  # a new id from the sequence
        names.append(connection.ops.quote_name(column))
        if column in exprs:
            values.append(exprs[column])
        elif isinstance(field, DateTimeField):
            values.append(f"{column} - make_interval(days => %(days)s)")
        else:
            values.append(column)
    return ", ".join(names), ", ".join(values)


def copy(number: int, *, days: int, offset: int, last_id: int) -> int:
    """Writes copy `number`: the stories with ids up to `last_id`, `number * days` days
    earlier, ids moved up by `number * offset`. Returns how many stories it wrote."""
    params = {"days": number * days, "shift": number * offset, "last": last_id}
    story = _columns(
        Article,
        {
            "id": "id + %(shift)s",
            "publication_date": "publication_date - %(days)s",
        },
    )
    byline = _columns(ArticleAuthor, {"article_id": "article_id + %(shift)s"})
    tagged = _columns(TaggedArticle, {"content_object_id": "content_object_id + %(shift)s"})
    article_table = Article._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # SET LOCAL: the times move by days of the site's calendar, as publication_date does.
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [settings.TIME_ZONE])
        # Foreign keys checked by each statement, not at the commit: ALTER TABLE refuses a
        # table with checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model, trigger in SEARCH_TRIGGERS.items():
            cursor.execute(f"ALTER TABLE {model._meta.db_table} DISABLE TRIGGER {trigger}")
        cursor.execute(
            f"INSERT INTO {article_table} ({story[0]}) SELECT {story[1]} "
            f"FROM {article_table} WHERE id <= %(last)s",
            params,
        )
        written = cursor.rowcount
        for model, columns, story_column in (
            (ArticleAuthor, byline, "article_id"),
            (TaggedArticle, tagged, "content_object_id"),
        ):
            table = model._meta.db_table
            cursor.execute(
                f"INSERT INTO {table} ({columns[0]}) SELECT {columns[1]} "
                f"FROM {table} WHERE {story_column} <= %(last)s ORDER BY id",
                params,
            )
        for model, trigger in SEARCH_TRIGGERS.items():
            cursor.execute(f"ALTER TABLE {model._meta.db_table} ENABLE TRIGGER {trigger}")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, required=True, help="How many copies to add.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("grow_archive: PostgreSQL only (DATABASE_URL=postgres://...).")
    started = time.monotonic()
    stories = Article.objects.order_by()
    last_id = stories.order_by("-pk").values_list("pk", flat=True).first()
    if last_id is None:
        sys.exit("grow_archive: no stories to copy; run seed_articles first.")
    dated = stories.filter(publication_date__isnull=False).order_by("publication_date")
    first = dated.values_list("publication_date", flat=True).first()
    last = dated.reverse().values_list("publication_date", flat=True).first()
    days = (last - first).days + 1 if first else 1
    base = stories.count()
    for number in range(1, args.copies + 1):
        written = copy(number, days=days, offset=last_id, last_id=last_id)
        sys.stderr.write(
            f"copy {number}/{args.copies}: {written:,} stories, "
            f"{number * days} days back ({time.monotonic() - started:.0f} s)\n"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM "
            f"{Article._meta.db_table}))",
            [Article._meta.db_table],
        )
    sys.stderr.write("rebuilding the newest stories of each section, tag and author...\n")
    latest.rebuild()
    changed = link_times.sync()
    sys.stderr.write(f"link times out of step, now fixed: {changed}\n")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    sys.stdout.write(
        f"{base:,} stories copied {args.copies} times: {Article.objects.count():,} stories "
        f"in {time.monotonic() - started:.0f} s\n"
    )


if __name__ == "__main__":
    main()

"""The body editor's story search at archive scale (#14): timings with and without the headline
word index of migration 0017.

Runs against an existing PostgreSQL database that `manage.py seed_articles --count N` filled
(the database named by DATABASE_URL; nothing is written to it: the index is dropped inside a
transaction that is rolled back). For each query a writer might type, it runs the picker's own
queryset (articles.story_picker.matching) REPEAT times and prints the median, with the index
and without it, and whether PostgreSQL's plan used the index.

    DATABASE_URL=postgres://…/db DJANGO_DEBUG=true python -m bench.story_picker

Settings from the environment: REPEAT (default 15), QUERIES (comma-separated).
"""

import os
import statistics
import sys
import time

import django

REPEAT = int(os.environ.get("REPEAT", "15"))
QUERIES = os.environ.get(
    "QUERIES", "harbour,council budget,fire st,election night live,the,zzzz"
).split(",")
INDEX = "articles_article_headline_words"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _median_ms(run) -> float:
    run()  # Warm the cache: the figures are for a running server.
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.db import connection, transaction

    from articles.models import Article
    from articles.story_picker import LIMIT, matching

    if connection.vendor != "postgresql":
        sys.stderr.write("PostgreSQL only: the index exists there alone.\n")
        return 2
    total = Article.objects.count()
    say(f"{total:,} stories, {Article.objects.published().count():,} published")
    say(f"{'query':<22} {'found':>6} {'index ms':>9} {'no index ms':>12}  plan uses index")

    def fetch(query):
        return lambda: list(matching(query).values_list("pk", "headline")[:LIMIT])

    for query in QUERIES:
        found = len(fetch(query)())
        plan = matching(query)[:LIMIT].explain()
        with_index = _median_ms(fetch(query))
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DROP INDEX {INDEX}")
            without_index = _median_ms(fetch(query))
            transaction.set_rollback(True)
        used = INDEX in plan
        say(f"{query!r:<22} {found:>6} {with_index:>9.1f} {without_index:>12.1f}  {used}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

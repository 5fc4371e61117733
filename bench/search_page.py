"""The cost of one uncached search page at archive scale (#17): the application's CPU and the
database's time for each query, per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_scale \\
        .venv/bin/python -m bench.search_page [--repeat 50] [--profile] ["some words" ...]

Without queries it searches for what bench/run.py searches for (the longest word of the
headline of the sixth newest story), for the word found in most of the newest 2,000 stories,
and for the two together. Each page is requested through Django's test client with the
production settings and no page cache (bench/inprocess.py): a few times to warm the
process, then --repeat times timed with time.process_time (this process's CPU only: the
database's work is not in it); then once with its queries captured, each SELECT timed with
EXPLAIN (ANALYZE, BUFFERS), the best of three. "total" adds the two: the CPU one request
costs the site. A search's cards are kept between requests (articles/templatetags/cards.py):
--cold-cards forgets them before each request, as for stories no search has shown lately.
--profile prints where the application's time goes (cProfile).
docs/scale.md records the figures.
"""

import argparse
import cProfile
import logging
import pstats
import sys
import time
from urllib.parse import urlencode

from bench import inprocess
from bench.inprocess import explained

inprocess.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article  # noqa: E402

WARM = 5


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def default_queries() -> list[str]:
    """bench/run.py's word, the commonest word of recent stories, and both together."""
    story = Article.objects.published().order_by("-published_at")[5]
    word = max(story.headline.split(), key=len).strip(".,:;?!")
    with connection.cursor() as cursor:
        # ts_stat gives stems ("citi"): take a word of the text that the stem begins.
        cursor.execute(
            "SELECT word FROM ts_stat('SELECT document FROM articles_searchdocument "
            "ORDER BY article_id DESC LIMIT 2000') WHERE length(word) > 3 "
            "ORDER BY ndoc DESC, word LIMIT 1"
        )
        (stem,) = cursor.fetchone()
        cursor.execute(
            "SELECT substring(body FROM %s) FROM articles_searchdocument "
            "WHERE body ~ %s ORDER BY article_id DESC LIMIT 1",
            [rf"(?i)\m({stem}\w*)", rf"(?i)\m{stem}"],
        )
        row = cursor.fetchone()
    common = (row[0] if row else stem).lower()
    return [word, common, f"{word} {common}"]


def forget_cards() -> None:
    """Empties the kept cards of this process (articles/templatetags/cards.py)."""
    from articles.templatetags import cards

    cards.cards.clear()


def measure(
    client: Client, path: str, repeat: int, profile: bool, cold: bool
) -> tuple[float, list]:
    for _ in range(WARM):
        assert client.get(path).status_code == 200, path
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    spent = 0.0
    for _ in range(repeat):
        if cold:
            forget_cards()
        started = time.process_time()
        client.get(path)
        spent += time.process_time() - started
    cpu = spent * 1000 / repeat
    if profiler:
        profiler.disable()
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = [query["sql"] for query in captured]
    timed = [
        (explained(sql) if sql.startswith(("SELECT", "DECLARE")) else None, sql) for sql in queries
    ]
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(
            r"/(articles|newsroom|images|authors|templates)/", 40
        )
        stats.sort_stats("tottime").print_stats(25)
    return cpu, timed


def main() -> None:
    logging.disable(logging.INFO)  # the request log, one line a request
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("queries", nargs="*", help="What to search for (default: see above).")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="cProfile the timed requests.")
    parser.add_argument(
        "--cold-cards",
        action="store_true",
        help="Forget the kept cards before each request: stories no search has shown lately.",
    )
    parser.add_argument("--sql", action="store_true", help="Print each query and its time.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/search_page.py measures PostgreSQL: set DATABASE_URL to a seeded one.")
    say(f"Search page at {Article.objects.count():,} stories (app CPU: mean of {args.repeat})")
    client = Client()
    rows = []
    for query in args.queries or default_queries():
        path = f"/search/?{urlencode({'q': query})}"
        cpu, timed = measure(client, path, args.repeat, args.profile, args.cold_cards)
        db = sum(ms for ms, _ in timed if ms is not None)
        rows.append((query, cpu, db, len(timed)))
        say(f"{query!r:32} app {cpu:6.2f} ms  db {db:6.2f} ms  total {cpu + db:6.2f} ms")
        for ms, sql in timed:
            shown = f"{ms:7.2f} ms" if ms is not None else "      - ms"
            say(f"    {shown}  {sql[:150] if not args.sql else sql}")
    say()
    say(f"| {'query':30} | app CPU ms | DB ms | total ms | queries |")
    say(f"|{'-' * 32}|-----------:|------:|---------:|--------:|")
    for query, cpu, db, count in rows:
        say(f"| {query:30} | {cpu:10.1f} | {db:5.1f} | {cpu + db:8.1f} | {count:7} |")


if __name__ == "__main__":
    main()

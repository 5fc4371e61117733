"""The database time of tag and author pages at archive scale (#17): each SELECT a page runs,
timed with EXPLAIN (ANALYZE, BUFFERS), the best of three, summed per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_scale \\
        .venv/bin/python -m bench.owner_pages /tags/some-tag/ "/authors/someone/?page=100"

Each page is requested once to warm the process's lookups, then once more with its queries
captured; --each prints each query's time, in the order the page ran them, and --explain the
plan of each page's slowest query. docs/scale.md records the figures.
"""

import argparse
import sys

from bench import inprocess
from bench.inprocess import explained

inprocess.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="Pages to time, e.g. /tags/trams/?page=100")
    parser.add_argument("--explain", action="store_true", help="Print each slowest plan.")
    parser.add_argument("--each", action="store_true", help="Print each query's time.")
    args = parser.parse_args()
    client = Client()
    for path in args.paths:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        selects = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
        each = [(explained(sql), sql) for sql in selects]
        timed = sorted(each)
        total = sum(ms for ms, _ in timed)
        slowest = timed[-1] if timed else (0.0, "")
        sys.stdout.write(
            f"{path:40} {status}  {len(captured)} queries  {total:8.2f} ms"
            f"  slowest {slowest[0]:8.2f} ms\n"
        )
        if args.each:
            for ms, sql in each:
                sys.stdout.write(f"    {ms:8.2f} ms  {sql[:110]}\n")
        if args.explain and slowest[1]:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest[1]}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                sys.stdout.write(f"{plan}\n\n")


if __name__ == "__main__":
    main()

"""What a live blog costs its readers' open pages (#18): app CPU per request, in-process, each
pair measured in alternating rounds in one run, so that the ratios hold on a shared, noisy
machine.

    .venv/bin/python -m bench.live_pages [--rounds 5] [--requests 50] [--updates 0]

- the poll (/live/<id>/updates.json) rendered, beside the blog's page rendered;
- the poll answered from the page cache with a 304 (what an open page costs between updates),
  beside the poll rendered.

It reads the database the settings name (DATABASE_URL, else the checkout's SQLite file with
its demo content: `make run` once first), and its demo live blog. `--updates N` posts N more
updates first, in a transaction rolled back at the end.
"""

import argparse
import statistics
import sys
import time

from bench import inprocess

inprocess.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article, LiveUpdate  # noqa: E402


class Rollback(Exception):
    pass


def cpu_per_request(client, path, requests, status=200, **headers):
    client.get(path, headers=headers)  # Warms the process's lookups (and the page cache).
    start = time.process_time()
    for _ in range(requests):
        response = client.get(path, headers=headers)
    assert response.status_code == status, (path, response.status_code)
    return (time.process_time() - start) / requests * 1000, len(response.content)


def side_by_side(client, rounds, requests, first, second):
    """Median CPU per request of two (path, status, headers) requests, alternating."""
    times = ([], [])
    sizes = [0, 0]
    for round_ in range(rounds):
        order = [0, 1] if round_ % 2 == 0 else [1, 0]
        for index in order:
            path, status, headers = (first, second)[index]
            ms, sizes[index] = cpu_per_request(client, path, requests, status, **headers)
            times[index].append(ms)
    return statistics.median(times[0]), statistics.median(times[1]), sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--updates", type=int, default=0)
    args = parser.parse_args()
    blog = Article.objects.published().filter(live=Article.Live.LIVE).first()
    if blog is None:
        sys.exit("No live blog: run `make run` once (it loads the demo), or make one.")
    try:
        with transaction.atomic():
            for number in range(args.updates):
                LiveUpdate.objects.create(article=blog, body=f"<p>Update {number}.</p>")
            run(blog, args)
            raise Rollback
    except Rollback:
        pass


def run(blog, args) -> None:
    client = Client()
    poll = f"/live/{blog.pk}/updates.json"
    count = blog.live_updates.count()
    rendering = {**settings.PAGE_CACHE, "SECONDS": 0}  # Every request renders.
    # The page cache on, in this process's memory (in production, Redis shared by the app
    # servers; Varnish in front answers the same 304 without the app).
    cached = {**settings.PAGE_CACHE, "SECONDS": 300}
    settings.PAGE_CACHE = rendering
    page_ms, poll_ms, sizes = side_by_side(
        client, args.rounds, args.requests, (blog.get_absolute_url(), 200, {}), (poll, 200, {})
    )
    sys.stdout.write(
        f"live blog of {count} updates: page {page_ms:6.2f} ms ({sizes[0]} B)   "
        f"poll {poll_ms:6.2f} ms ({sizes[1]} B)   poll/page {poll_ms / page_ms:5.2f}\n"
    )
    settings.PAGE_CACHE = cached
    etag = client.get(poll)["ETag"]
    settings.PAGE_CACHE = rendering
    fresh_ms, _, _ = side_by_side(
        client, args.rounds, args.requests, (poll, 200, {}), (poll, 200, {})
    )
    settings.PAGE_CACHE = cached
    not_modified_ms, _, size = side_by_side(
        client,
        args.rounds,
        args.requests,
        (poll, 304, {"if-none-match": etag}),
        (poll, 304, {"if-none-match": etag}),
    )
    sys.stdout.write(
        f"poll unchanged: 304 from the page cache {not_modified_ms:6.2f} ms ({size[0]} B)   "
        f"rendered {fresh_ms:6.2f} ms   304/rendered {not_modified_ms / fresh_ms:5.2f}\n"
    )


if __name__ == "__main__":
    main()

"""What a Content API answer costs beside the page that shows the same thing (#18): app CPU per
uncached request, in-process, each pair measured in alternating rounds in one run, so that the
ratios hold on a shared, noisy machine.

    .venv/bin/python -m bench.api_pages [--rounds 5] [--requests 50]

It reads the database the settings name (DATABASE_URL, else the checkout's SQLite file with
its demo content: `make run` once first). Prints each page's median CPU per request, the
API's, and their ratio.
"""

import argparse
import statistics
import sys
import time

from bench import inprocess

inprocess.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402


def cpu_per_request(client, path, requests):
    client.get(path)  # Warms the process's lookups.
    start = time.process_time()
    for _ in range(requests):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return (time.process_time() - start) / requests * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 0}  # Every request renders.
    settings.NEWSROOM_API_ANON_RATE = "1000000/min"
    story = Article.objects.published().order_by("-published_at").first()
    if story is None:
        sys.exit("No live story: run `make run` once (it loads the demo), or seed some.")
    pairs = [
        ("story page", story.get_absolute_url(), "story", f"/api/v1/stories/{story.pk}"),
        ("story page", story.get_absolute_url(), "ninjs", f"/api/v1/stories/{story.pk}/ninjs"),
        ("front page", "/", "20 stories", "/api/v1/stories?limit=20"),
    ]
    client = Client()
    for name, page, api_name, api in pairs:
        pages, apis = [], []
        for round_ in range(args.rounds):
            order = [(page, pages), (api, apis)]
            for path, into in order if round_ % 2 == 0 else reversed(order):
                into.append(cpu_per_request(client, path, args.requests))
        page_ms, api_ms = statistics.median(pages), statistics.median(apis)
        sys.stdout.write(
            f"{name:11} {page_ms:6.2f} ms   API {api_name:11} {api_ms:6.2f} ms"
            f"   API/page {api_ms / page_ms:5.2f}\n"
        )


if __name__ == "__main__":
    main()

"""Settings for `make bench` (bench/run.py): the site's own, plus the Python floor's URL.

With BENCH_FLOOR set, the page cache's middleware is left out, so that the floor measures
Django and the rest of the site's middleware answering a trivial view, and nothing else.
"""

import os

from newsroom.settings import *  # noqa: F403
from newsroom.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_FLOOR"):
    MIDDLEWARE = [name for name in MIDDLEWARE if name != "newsroom.pagecache.PageCacheMiddleware"]

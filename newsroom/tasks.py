"""The core's background jobs (#15): purging the caching proxies.

A purge's first half, marking the keys purged in the page cache, stays in the request that
changed something: it is one cache write, and readers of this site must not see the old page
again. The second half, telling each caching proxy (NEWSROOM_PURGE_URLS) to drop the pages,
waited up to 2 s per proxy inside the editor's save; it is a job now, one per proxy, retried
with backoff while a proxy doesn't answer (newsroom/jobs.py). Sending the same PURGE twice
bans the same pages twice: the job is idempotent.
"""

from . import pagecache
from .jobs import retried


# Six attempts over about five minutes (5, 10, 20, 40, 80 s apart at most): a proxy restarting
# is back by then, and its copies expire with s-maxage (300 s by default) anyway.
@retried(attempts=6, backoff_seconds=5, max_backoff_seconds=80)
def purge_edge(url: str, keys: list[str]) -> str:
    """Tells the caching proxy at `url` to drop every page carrying one of `keys`."""
    pagecache.edge_purge_started(url, keys)
    pagecache.send_edge_purge(url, keys)
    return f"Purged {len(keys)} key(s) at {url}"

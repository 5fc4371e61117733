"""Gunicorn's settings for `make serve`: `gunicorn --config newsroom/gunicorn.conf.py`.

Read from the environment (docs/deploy.md):

- `WEB_CONCURRENCY`: the number of worker processes. Default: 2 per CPU this process may use,
  plus one.
- `BIND`: the address to listen on, e.g. `0.0.0.0:8000` or `unix:/run/newsroom.sock`. Default:
  `HOST:PORT`, where `HOST` defaults to 127.0.0.1 and `PORT` to 8000.
- `FORWARDED_ALLOW_IPS`: the proxies trusted to set X-Forwarded-* headers (Gunicorn's own
  variable). Default: 127.0.0.1,::1.
- `GUNICORN_CMD_ARGS`: any other Gunicorn option; it wins over this file, e.g.
  `GUNICORN_CMD_ARGS="--access-logfile -"` to turn the access log on.
"""

import os


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may run on
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


wsgi_app = "newsroom.wsgi:application"

bind = os.environ.get("BIND") or (
    f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
)
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cpu_count() + 1)

# Load the app once, before forking: an import error stops the start, and workers share memory.
preload_app = True

# Replace each worker after about 20,000 requests, so no slow leak can grow for ever. Not
# sooner: a worker answers a thousand cached pages a second, and a new one starts cold.
max_requests = 20000
max_requests_jitter = 2000

# The caching proxy (or load balancer) in front logs requests; errors go to stderr.
accesslog = None
errorlog = "-"

# No control socket (Gunicorn 25.1+'s `gunicornc`): its default path is one per user, under
# $HOME, shared by every Gunicorn that user runs. The process manager's signals do the same.
control_socket_disable = True

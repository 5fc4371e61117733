#!/usr/bin/env bash
# The project's floor: its own settings and middleware answering a trivial view
# (/bench/floor/, bench/urls.py) without the page cache, on 127.0.0.1:${NEWSROOM_FLOOR_PORT:-8261}.
# What a page-cache hit is measured against: no Django page can be cheaper.
# Usage: bash peers/newsroom-floor/serve.sh start|stop|pids|querycount|versions|listpath|detailpath [N]
NEWSROOM_VARIANT=floor exec bash "$(dirname "$0")/../newsroom/serve.sh" "$@"

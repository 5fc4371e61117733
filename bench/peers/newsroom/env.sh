# The real project ("Newsroom") as a peer: where it is, and the environment it runs under.
# Source this file after lib/common.sh and after setting PEER_N; do not execute it.
#   NEWSROOM_DIR      the project checkout (default: the one holding this harness, ../../..);
#                     read-only: nothing is written into it (bytecode goes to PEER_ROOT too)
#   NEWSROOM_VENV     its virtualenv (default: NEWSROOM_DIR/.venv, which `make` builds)
#   NEWSROOM_VARIANT  plain (default): no REDIS_URL, so the page cache is off and every request
#                     renders; cached: REDIS_URL=NEWSROOM_REDIS_URL, the page cache on
#                     floor: the project's settings and middleware, without the page cache,
#                     answering the trivial view /bench/floor/ (bench/settings.py, BENCH_FLOOR)
#   NEWSROOM_PORT / NEWSROOM_CACHED_PORT / NEWSROOM_FLOOR_PORT (8104 / 8105 / 8261),
#   NEWSROOM_REDIS_URL (redis://127.0.0.1:6379/7)
NEWSROOM_DIR="${NEWSROOM_DIR:-$(cd "$PEERS_DIR/../.." && pwd)}"
NEWSROOM_VENV="${NEWSROOM_VENV:-$NEWSROOM_DIR/.venv}"
NEWSROOM_VARIANT="${NEWSROOM_VARIANT:-plain}"
[[ -f "$NEWSROOM_DIR/newsroom/settings.py" ]] || die "no Newsroom checkout at $NEWSROOM_DIR: set NEWSROOM_DIR"
[[ -x "$NEWSROOM_VENV/bin/gunicorn" ]] || die "no virtualenv with gunicorn at $NEWSROOM_VENV: run make in the project or set NEWSROOM_VENV"

NEWSROOM_DB_NAME="newsroom_n$PEER_N"   # one database for both variants
if [[ "$NEWSROOM_VARIANT" == cached ]]; then
  NEWSROOM_NAME=cmsc; NEWSROOM_PORT="${NEWSROOM_CACHED_PORT:-8105}"
elif [[ "$NEWSROOM_VARIANT" == floor ]]; then
  NEWSROOM_NAME=floor; NEWSROOM_PORT="${NEWSROOM_FLOOR_PORT:-8261}"
else
  NEWSROOM_NAME=cms; NEWSROOM_PORT="${NEWSROOM_PORT:-8104}"
fi

# The project's production settings (docs/deploy.md, .env.example), pointed at the harness's
# PostgreSQL. Plain HTTP: wrk talks to gunicorn directly, with no TLS proxy in front.
export DJANGO_SETTINGS_MODULE=newsroom.settings
if [[ "$NEWSROOM_VARIANT" == floor ]]; then
  export DJANGO_SETTINGS_MODULE=bench.settings BENCH_FLOOR=1
fi
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="peer-benchmark-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export NEWSROOM_HTTPS=false
export DJANGO_CONN_MAX_AGE="$PEER_CONN_MAX_AGE"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$NEWSROOM_DB_NAME"
export TIME_ZONE=UTC
export NEWSROOM_SITE_URL="http://127.0.0.1:$NEWSROOM_PORT"
export DJANGO_STATIC_ROOT="$PEER_ROOT/newsroom-static"
export DJANGO_MEDIA_ROOT="$PEER_ROOT/newsroom-media"
export PYTHONPYCACHEPREFIX="$PEER_ROOT/newsroom-pycache"
export PYTHONPATH="$NEWSROOM_DIR:$PEERS_DIR/lib"
unset REDIS_URL NEWSROOM_PAGE_CACHE_SECONDS
if [[ "$NEWSROOM_VARIANT" == cached ]]; then
  export REDIS_URL="${NEWSROOM_REDIS_URL:-redis://127.0.0.1:6379/7}"
  # Its own keys per data set: the page cache keys pages by host and path only.
  export NEWSROOM_CACHE_KEY_PREFIX="peerbench-n$PEER_N"
fi
# gunicorn's settings come from the project's own newsroom/gunicorn.conf.py.
export WEB_CONCURRENCY=2 HOST=127.0.0.1 PORT="$NEWSROOM_PORT"

# The fixed headline article's address: /YYYY/MM/DD/<slug>/ (its date in TIME_ZONE=UTC); the
# floor's only page for both.
newsroom_list_path() {
  if [[ "$NEWSROOM_VARIANT" == floor ]]; then echo /bench/floor/; else echo /; fi
}
newsroom_detail_path() {
  [[ "$NEWSROOM_VARIANT" == floor ]] && { echo /bench/floor/; return; }
  python3 -c 'import newsdata as d; print(d.BASE_DATE.strftime("/%Y/%m/%d/") + d.HEADLINE_SLUG + "/")'
}

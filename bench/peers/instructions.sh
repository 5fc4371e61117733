#!/usr/bin/env bash
# Instructions per request of each app's list and detail page, counted by callgrind in one
# process (lib/instructions.py): steady where CPU seconds are noisy.
# Usage: bash bench/peers/instructions.sh [N]   after run-all.sh (or setup.sh of each app) has
# seeded the databases; PG must be running (lib/pg.sh start). Needs valgrind.
# Another checkout of the project: NEWSROOM_DIR=/path [NEWSROOM_DB_NAME_OVERRIDE=its database].
source "$(dirname "$0")/lib/common.sh"
PEER_N="${1:-$PEER_N}"
REQUESTS="${REQUESTS:-20}"
command -v valgrind >/dev/null || die "valgrind is needed (apt-get install valgrind)"
out_dir="$PEER_ROOT/instructions"; mkdir -p "$out_dir"

count() {  # count NAME PAGE PYTHON DIR PATH
  local name="$1" page="$2" python="$3" dir="$4" path="$5" out
  out="$out_dir/$name-$page.out"
  (cd "$dir" && PYTHONHASHSEED=0 PYTHONPATH="$dir" valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$out" "$python" "$PEERS_DIR/lib/instructions.py" "$path" "$REQUESTS" \
    >"$out_dir/$name-$page.log" 2>&1) || die "$name $page failed: see $out_dir/$name-$page.log"
  local total; total="$(awk '/^totals:/ {print $2}' "$out")"
  printf '| %s | %s | %s | %s |\n' "$name" "$page" "$((total / REQUESTS))" \
    "$(awk '/^bytes/ {print $2}' "$out_dir/$name-$page.log")"
}

echo "| app | page | instructions per request | HTML bytes |"
echo "|---|---|---:|---:|"
(
  export DJANGO_SETTINGS_MODULE=plainnews.settings PEER_DB_NAME="plain_n$PEER_N"
  for page in list detail; do
    [[ $page == list ]] && path=/ || path="/$HEADLINE_SLUG/"
    count plain "$page" "$PEER_ROOT/plain-venv/bin/python" "$PEER_ROOT/plain-site" "$path"
  done
)
(
  export DJANGO_SETTINGS_MODULE=newsroom.settings PEER_DB_NAME="wagtail_n$PEER_N"
  for page in list detail; do
    [[ $page == list ]] && path=/ || path="/$HEADLINE_SLUG/"
    count wagtail "$page" "$PEER_ROOT/wagtail-venv/bin/python" "$PEER_ROOT/wagtail-site" "$path"
  done
)
(
  source "$PEERS_DIR/newsroom/env.sh"
  [[ -n "${NEWSROOM_DB_NAME_OVERRIDE:-}" ]] && export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$NEWSROOM_DB_NAME_OVERRIDE"
  count cms list "$NEWSROOM_VENV/bin/python" "$NEWSROOM_DIR" "$(newsroom_list_path)"
  count cms detail "$NEWSROOM_VENV/bin/python" "$NEWSROOM_DIR" "$(newsroom_detail_path)"
)

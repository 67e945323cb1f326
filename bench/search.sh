#!/usr/bin/env bash
# Search latency: plenary against notmuch and mu (maildir-utils) on the same
# generated Maildir (1,000,000 messages by default) with the same 200
# realistic queries written in each tool's syntax (bench/search_queries.py).
#
# Prints a Markdown table: p50 and p99 latency per query, medians over RUNS
# passes after one warm-up pass, and the ratios against plenary:
#   * per process: `plenary search --json`, `notmuch search --output=messages`,
#     `mu find`, each started once per query (what a shell user waits for);
#   * in process: `plenary bench search` (the index opened once, as the web
#     server holds it).
# Peers come from Debian; installed here if missing. Building the corpus and
# the three indexes takes about an hour at 1M messages; they are reused when
# WORK points at an earlier run.
#
#   bench/search.sh                       # 1,000,000 messages, 3 passes
#   N=100000 RUNS=5 WORK=/tmp/sb bench/search.sh
#   SETUP_ONLY=1 WORK=/tmp/sb bench/search.sh   # build corpus and indexes only
set -euo pipefail
N=${N:-1000000}
RUNS=${RUNS:-3}
SEED=${SEED:-42}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/plenary-search-bench.XXXXXX)}
mkdir -p "$WORK"

need=()
command -v notmuch >/dev/null || need+=(notmuch)
command -v mu >/dev/null || need+=(maildir-utils)
command -v python3 >/dev/null || need+=(python3)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} from Debian" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq >&2 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

(cd "$ROOT" && cargo build --release -q)
BIN="$ROOT/target/release/plenary"
CORPUS="$WORK/corpus"
MD="$CORPUS/maildir"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if [ ! -f "$CORPUS/truth.jsonl" ]; then
  log "generating $N messages"
  "$BIN" gen-corpus "$CORPUS" --messages "$N" --seed "$SEED" --format maildir >&2
fi

if [ ! -f "$WORK/pdata/.done" ]; then
  log "plenary import"
  rm -rf "$WORK/pdata"
  /usr/bin/time -f '%U %S %e %M' -o "$WORK/plenary-import.time" \
    "$BIN" --data "$WORK/pdata" import --json "$MD" > "$WORK/plenary-import.log"
  touch "$WORK/pdata/.done"
fi

cat > "$WORK/notmuch-config" <<CFG
[database]
path=$WORK/nmdb
mail_root=$MD
[new]
tags=
[maildir]
synchronize_flags=false
CFG
export NOTMUCH_CONFIG="$WORK/notmuch-config"
if [ ! -f "$WORK/nmdb/.done" ]; then
  log "notmuch new"
  rm -rf "$WORK/nmdb" "$MD/.notmuch"; mkdir -p "$WORK/nmdb"
  /usr/bin/time -f '%U %S %e %M' -o "$WORK/notmuch-index.time" notmuch new --quiet
  touch "$WORK/nmdb/.done"
fi

if [ ! -f "$WORK/mu/.done" ]; then
  log "mu index"
  rm -rf "$WORK/mu"
  mu init --quiet --muhome="$WORK/mu" --maildir="$MD" >/dev/null
  /usr/bin/time -f '%U %S %e %M' -o "$WORK/mu-index.time" mu index --quiet --muhome="$WORK/mu"
  touch "$WORK/mu/.done"
fi

if [ -n "${SETUP_ONLY:-}" ]; then
  log "setup done in $WORK"
  exit 0
fi

python3 "$ROOT/bench/search_queries.py" "$CORPUS" > "$WORK/queries.tsv"
log "$(wc -l < "$WORK/queries.tsv") queries"
python3 "$ROOT/bench/search_run.py" "$WORK" "$BIN" "$RUNS" "$N"

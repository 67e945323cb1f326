#!/usr/bin/env bash
# Import throughput and memory: plenary against notmuch, mu (maildir-utils) and
# public-inbox on the same generated mail. notmuch and mu index the Maildir; the same
# messages are committed once (not timed) into a public-inbox v2 archive, which both
# `public-inbox-index` and plenary (`plenary import INBOX`) then read. Prints a
# Markdown table of medians over RUNS runs: messages per CPU-second (user+sys), wall
# seconds, peak RSS, and the ratios against plenary. Peers come from Debian;
# installed here if missing.
#
#   bench/import.sh                 # 100,000 messages, 3 runs each
#   N=20000 RUNS=5 bench/import.sh
set -euo pipefail
N=${N:-100000}
RUNS=${RUNS:-3}
SEED=${SEED:-42}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/plenary-bench.XXXXXX)}

need=()
command -v notmuch >/dev/null || need+=(notmuch)
command -v mu >/dev/null || need+=(maildir-utils)
command -v public-inbox-index >/dev/null || need+=(public-inbox)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} from Debian" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq >&2 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

(cd "$ROOT" && cargo build --release -q)
BIN="$ROOT/target/release/plenary"
CORPUS="$WORK/corpus"
if [ ! -f "$CORPUS/truth.jsonl" ]; then
  "$BIN" gen-corpus "$CORPUS" --messages "$N" --seed "$SEED" --format maildir >&2
fi
MD="$CORPUS/maildir"
BYTES=$(du -sb "$MD" | cut -f1)

# measure NAME SETUP-CMD CMD... : appends "cpu wall rss_kb" per run to $WORK/NAME.runs
measure() {
  local name=$1 setup=$2; shift 2
  : > "$WORK/$name.runs"
  for _ in $(seq "$RUNS"); do
    eval "$setup"
    sync
    /usr/bin/time -f '%U %S %e %M' -o "$WORK/time.out" "$@" > "$WORK/$name.log" 2>&1
    awk '{printf "%.3f %.3f %d\n", $1+$2, $3, $4}' "$WORK/time.out" >> "$WORK/$name.runs"
  done
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$WORK/$1.runs" | median; }

measure plenary 'rm -rf "$WORK/pdata"' "$BIN" --data "$WORK/pdata" import --json "$MD"

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
measure notmuch 'rm -rf "$WORK/nmdb" "$MD/.notmuch"; mkdir -p "$WORK/nmdb"' notmuch new --quiet

measure mu 'rm -rf "$WORK/mu"; mu init --quiet --muhome="$WORK/mu" --maildir="$MD" >/dev/null' mu index --quiet --muhome="$WORK/mu"

# public-inbox v2: init once, commit the Maildir's messages with git fast-import
# (setup, not timed), then time a full index from scratch each run.
export PI_CONFIG="$WORK/pi-config"
INBOX="$WORK/inbox"
if [ ! -d "$INBOX/git/0.git" ]; then
  HOME="$WORK" public-inbox-init -V2 bench "$INBOX" http://localhost/bench bench@localhost >&2
  python3 "$ROOT/bench/pi_fast_import.py" "$MD" | git --git-dir="$INBOX/git/0.git" fast-import --quiet
fi
measure public-inbox 'rm -rf "$INBOX/xap15" "$INBOX"/msgmap.sqlite3*' env HOME="$WORK" public-inbox-index "$INBOX"
# plenary on the same public-inbox archive
measure plenary-pi 'rm -rf "$WORK/pdata-pi"' "$BIN" --data "$WORK/pdata-pi" import --json "$INBOX"

P_CPU=$(col plenary 1)
printf '\n%s messages (%s MB Maildir), %s runs each, medians; %s\n\n' "$N" "$((BYTES / 1000000))" "$RUNS" "$(nproc) cores"
echo "| tool | CPU s | wall s | messages per CPU-second | peak RSS MB | CPU-throughput vs plenary | RSS vs plenary |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
P_RSS=$(col plenary 3)
for t in plenary notmuch mu plenary-pi public-inbox; do
  cpu=$(col $t 1); wall=$(col $t 2); rss=$(col $t 3)
  awk -v t="$t" -v n="$N" -v cpu="$cpu" -v wall="$wall" -v rss="$rss" -v pcpu="$P_CPU" -v prss="$P_RSS" 'BEGIN {
    printf "| %s | %.1f | %.1f | %.0f | %.0f | %.2f× | %.2f× |\n", t, cpu, wall, n/cpu, rss/1024, pcpu/cpu, rss/prss }'
done
echo
echo "plenary-pi and public-inbox read the public-inbox v2 archive of the same messages; their ratio: $(awk -v a="$(col plenary-pi 1)" -v b="$(col public-inbox 1)" 'BEGIN {printf "%.2f×", b/a}') (public-inbox CPU / plenary CPU)"
echo "plenary's own summary (last run): $(tail -c 400 "$WORK/plenary.log" | tr -d '\n' | tr -s ' ')"
echo "work folder: $WORK"

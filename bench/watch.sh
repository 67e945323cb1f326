#!/usr/bin/env bash
# Watch latency: how long from a message delivered into a watched Maildir (written in
# tmp/, renamed into new/, as an MTA does) until the server serves it
# (`GET /api/v1/stats` counts it), with `plenary serve --watch` over a store of N
# generated messages. Prints a Markdown table: median, min and max over DROPS drops
# per store size.
#
#   bench/watch.sh                       # release build, stores of 0 and 5,000 messages, 10 drops
#   BIN=target/debug/plenary SIZES="0 2000" DROPS=5 bench/watch.sh
# PAUSE (2 s) is the wait after each drop is served, so the batch finishes deriving
# (threads, tags, people, index) before the next: each drop meets an idle watcher.
# VERBOSE=1 prints each drop; RUST_LOG=plenary_watch=debug logs events in WORK/serve-N.log.
set -euo pipefail
SIZES=${SIZES:-"0 5000"}
DROPS=${DROPS:-10}
PAUSE=${PAUSE:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/plenary-watch.XXXXXX)}
if [ -z "${BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release -q)
  BIN="$ROOT/target/release/plenary"
fi
command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.0f\n", (a[NR/2]+a[NR/2+1])/2}'; }
count() { curl -s "http://$ADDR/api/v1/stats" | sed -n 's/.*"messages":\([0-9]*\).*/\1/p'; }

echo "| store (messages) | drops | median ms | min ms | max ms |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for N in $SIZES; do
  DATA="$WORK/data-$N"; MD="$WORK/maildir-$N"
  rm -rf "$DATA" "$MD"; mkdir -p "$MD"/{tmp,new,cur}
  if [ "$N" -gt 0 ]; then
    "$BIN" gen-corpus "$WORK/corpus-$N" --messages "$N" --seed 7 >/dev/null 2>&1
    "$BIN" --data "$DATA" import "$WORK/corpus-$N/mbox" >/dev/null 2>&1
  else
    "$BIN" --data "$DATA" stats >/dev/null
  fi
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ADDR="127.0.0.1:$PORT"
  "$BIN" --data "$DATA" serve --addr "$ADDR" --watch "$MD" >/dev/null 2>"$WORK/serve-$N.log" &
  PID=$!
  trap 'kill $PID 2>/dev/null || true' EXIT
  until curl -s -o /dev/null "http://$ADDR/api/v1/stats"; do sleep 0.1; done
  BASE=$(count)
  TIMES=()
  for i in $(seq 1 "$DROPS"); do
    NAME="1765000000.bench$i.host"
    printf 'From: Bench <bench@example.org>\nTo: wg@example.org\nSubject: drop %s\nDate: Mon, 1 Jun 2026 10:00:00 +0000\nMessage-ID: <drop%s-%s@example.org>\n\nDrop %s.\n' \
      "$i" "$i" "$N" "$i" > "$MD/tmp/$NAME"
    T0=$(date +%s%N); [ -n "${VERBOSE:-}" ] && echo "T0 $T0" >&2
    mv "$MD/tmp/$NAME" "$MD/new/$NAME"
    until [ "$(count)" -ge $((BASE + i)) ]; do sleep 0.01; done
    T1=$(date +%s%N)
    TIMES+=($(( (T1 - T0) / 1000000 )))
    [ -n "${VERBOSE:-}" ] && echo "drop $i: ${TIMES[-1]} ms (count $(count))" >&2
    sleep "$PAUSE"   # let the batch finish deriving (people, index): drops into an idle watcher
  done
  kill $PID; wait $PID 2>/dev/null || true
  MED=$(printf '%s\n' "${TIMES[@]}" | median)
  MIN=$(printf '%s\n' "${TIMES[@]}" | sort -n | head -1)
  MAX=$(printf '%s\n' "${TIMES[@]}" | sort -n | tail -1)
  echo "| $N | $DROPS | $MED | $MIN | $MAX |"
done

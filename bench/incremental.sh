#!/usr/bin/env bash
# Incremental import: the CPU and memory one new reply, then 100 new messages, cost
# when imported into a store of N generated messages (everything derived included:
# threads, footers, reconstructions, tags, people, search index). Two kinds of input:
# replies dated now, to the latest messages (`reply1-latest`, `hundred-latest`: what a
# live archive receives), and replies dated two hours after parents spread over the
# corpus's span (`reply1`, `hundred`: an archive filled in late, whose new messages
# come before earlier ones in a list's order). Each run imports
# into a fresh copy of the store. Prints a Markdown table of medians over RUNS runs
# (CPU-s = user + sys, peak RSS) for this checkout's release binary and, when BEFORE
# names another plenary binary, for that one too (each imports its own base store:
# a newer schema would be refused by an older binary).
#
#   bench/incremental.sh                                  # 20,000 messages, 3 runs
#   N=100000 BEFORE=/path/to/old/plenary bench/incremental.sh
#   INPUTS="reply1-latest" RUNS=5 bench/incremental.sh     # one kind of input
set -euo pipefail
N=${N:-20000}
RUNS=${RUNS:-3}
SEED=${SEED:-7}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/plenary-incremental.XXXXXX)}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: time)" >&2; exit 1; }

(cd "$ROOT" && cargo build --release -q)
AFTER="$ROOT/target/release/plenary"
CORPUS="$WORK/corpus"
if [ ! -f "$CORPUS/truth.jsonl" ]; then
  "$AFTER" gen-corpus "$CORPUS" --messages "$N" --seed "$SEED" >&2
fi
# one reply to the corpus's first message, and 100 replies spread over it
python3 "$ROOT/bench/incremental_replies.py" "$CORPUS" 1 "$WORK/reply1.mbox"
python3 "$ROOT/bench/incremental_replies.py" "$CORPUS" 100 "$WORK/hundred.mbox"
python3 "$ROOT/bench/incremental_replies.py" "$CORPUS" 1 "$WORK/reply1-latest.mbox" latest
python3 "$ROOT/bench/incremental_replies.py" "$CORPUS" 100 "$WORK/hundred-latest.mbox" latest

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

echo "| binary | input | CPU-s (runs) | median CPU-s | peak RSS (MB) |"
echo "| --- | --- | --- | ---: | ---: |"
for which in before after; do
  if [ "$which" = before ]; then BIN=${BEFORE:-}; else BIN=$AFTER; fi
  [ -n "$BIN" ] || continue
  BASE="$WORK/base-$which"
  if [ ! -f "$BASE/plenary.sqlite3" ]; then
    "$BIN" --data "$BASE" import "$CORPUS" > "$WORK/base-$which.log" 2>&1
  fi
  for input in ${INPUTS:-reply1-latest hundred-latest reply1 hundred}; do
    : > "$WORK/$which-$input.runs"
    for _ in $(seq "$RUNS"); do
      rm -rf "$WORK/copy" && cp -r "$BASE" "$WORK/copy" && sync
      /usr/bin/time -f '%U %S %M' -o "$WORK/time.out" \
        "$BIN" --data "$WORK/copy" import "$WORK/$input.mbox" > "$WORK/$which-$input.log" 2>&1
      awk '{printf "%.2f %d\n", $1+$2, $3/1024}' "$WORK/time.out" >> "$WORK/$which-$input.runs"
    done
    runs=$(awk '{print $1}' "$WORK/$which-$input.runs" | tr '\n' ' ')
    cpu=$(awk '{print $1}' "$WORK/$which-$input.runs" | median)
    rss=$(awk '{print $2}' "$WORK/$which-$input.runs" | sort -n | tail -1)
    echo "| $which | $input | $runs| $cpu | $rss |"
  done
done

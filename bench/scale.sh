#!/usr/bin/env bash
# Scaling: a full import (threads, footers, reconstruction, tags, people, search index)
# of generated corpora of growing size into an empty store. Prints a Markdown table:
# CPU-s (user + sys), messages per CPU-second, peak RSS, store on disk, and each size's
# cost against the smallest (the issue's 1M/100k ratio), plus, per size, the phase that
# raised the peak (from PLENARY_PHASES, whose lines carry the CPU used so far, the resident
# set and its peak), then, per size, the CPU-s between consecutive phase lines, largest
# first: where the cost that grows faster than the corpus goes.
#
#   bench/scale.sh                                   # 100,000 and 400,000 messages
#   SIZES="100000 400000 1000000" bench/scale.sh      # add 1M (about 40 minutes here)
#   BIN=/path/to/plenary WORK=/tmp/scale bench/scale.sh
#
# Corpora are kept under WORK (generated once per size); stores are made afresh.
set -euo pipefail
SIZES=${SIZES:-"100000 400000"}
SEED=${SEED:-42}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/plenary-scale.XXXXXX)}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: time)" >&2; exit 1; }
if [ -z "${BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release -q)
  BIN="$ROOT/target/release/plenary"
fi

rows=()
steps=()
base_cpu=""
base_n=""
for n in $SIZES; do
  corpus="$WORK/g$n"
  if [ ! -f "$corpus/truth.jsonl" ]; then
    "$BIN" gen-corpus "$corpus" --messages "$n" --seed "$SEED" >&2
  fi
  store="$WORK/s$n"
  rm -rf "$store"
  PLENARY_PHASES=1 /usr/bin/time -f '%U %S %M' -o "$WORK/time-$n" \
    "$BIN" --data "$store" import "$corpus/mbox" "$corpus/agenda" \
    > "$WORK/import-$n.log" 2> "$WORK/phases-$n.log"
  read -r user sys rss_kb < "$WORK/time-$n"
  cpu=$(echo "$user + $sys" | bc)
  disk=$(du -sm "$store" | cut -f1)
  # the peak rose between two phase lines ("A → B": phases print as they start, steps
  # within them as they end)
  peak_step=$(grep -v 'read so far' "$WORK/phases-$n.log" | awk '
    { name = $0; sub(/^phase: /, "", name); sub(/ \((CPU|resident).*/, "", name) }
    match($0, /peak [0-9]+ MiB/) {
      p = substr($0, RSTART + 5, RLENGTH - 9) + 0
      if (p > best) { best = p; step = prev " → " name }
    }
    { prev = name }
    END { print step }')
  if [ -z "$base_cpu" ]; then base_cpu=$cpu; base_n=$n; fi
  ratio=$(echo "scale=2; $cpu / $base_cpu" | bc)
  rate=$(echo "$n / $cpu" | bc)
  rows+=("| $n | $cpu | $rate | $((rss_kb / 1024)) | $disk | ${ratio}× | $peak_step |")
  # CPU-s between consecutive phase lines ("A → B"), the eight largest
  steps+=("" "CPU-s by step at $n messages:" "")
  while IFS= read -r l; do steps+=("$l"); done < <(grep -v 'read so far' "$WORK/phases-$n.log" | awk '
    match($0, /CPU [0-9.]+ s/) {
      c = substr($0, RSTART + 4, RLENGTH - 6) + 0
      name = $0; sub(/^phase: /, "", name); sub(/ \(CPU.*/, "", name)
      if (prev != "") printf "%.1f\t%s → %s\n", c - last, prev, name
      prev = name; last = c
    }' | sort -rn -k1,1 | head -8 | awk -F'\t' '{printf "- %s: %s\n", $2, $1}')
done

echo "| messages | CPU-s | messages per CPU-s | peak RSS (MiB) | store (MB) | cost vs $base_n | peak raised during |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | --- |"
printf '%s\n' "${rows[@]}"
printf '%s\n' "${steps[@]}"

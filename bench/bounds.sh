#!/usr/bin/env bash
# Bounded resources on bad input (issue 16.3): runs `plenary import` on each
# generated bad input under /usr/bin/time -v and prints a Markdown table of
# peak RSS and wall seconds, with what the import made of it. Every row must
# stay under 512 MiB and finish in seconds.
#
#   bench/bounds.sh                  # the debug binary (cargo build --bin plenary)
#   BIN=target/release/plenary bench/bounds.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/plenary}
WORK=${WORK:-$(mktemp -d /tmp/plenary-bounds.XXXXXX)}
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --bin plenary -q)
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
mkdir -p "$WORK/in"
IN="$WORK/in"
HEAD='From a@b.example Mon Jan  1 00:00:00 2024
From: a@b.example
Subject: bad input
Message-ID: <bad@b.example>
'

# 1. gzip bomb: a few MB of gzip that expands to 4 GiB of one line.
if [ ! -f "$IN/bomb/2024-January.txt.gz" ]; then
  mkdir -p "$IN/bomb"
  { printf '%s\n' "$HEAD"; head -c 4G /dev/zero | tr '\0' a; } | gzip -9 > "$IN/bomb/2024-January.txt.gz"
fi
# 2. endless stream: /dev/zero given as a path; 3. a FIFO inside a folder, fed forever.
mkdir -p "$IN/fifo"
[ -p "$IN/fifo/list.mbox" ] || mkfifo "$IN/fifo/list.mbox"
printf 'From: a@b\nSubject: ok\nMessage-ID: <ok@b>\n\nfine\n' > "$IN/fifo/ok.eml"
# 4. one 100 MB message inside an mbox, a normal message after it.
if [ ! -f "$IN/big.mbox" ]; then
  python3 - "$IN/big.mbox" "$HEAD" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write(sys.argv[2] + "\n")
    line = "x" * 75 + "\n"
    f.write(line * (100_000_000 // len(line)))
    f.write("\nFrom c@d Tue Jan  2 00:00:00 2024\nFrom: c@d\nSubject: after\nMessage-ID: <after@d>\n\nstill read\n")
PY
fi
# 5. 100,000 nested blockquotes in an HTML-only message; 6. 20,000 nested multiparts.
python3 - "$IN" <<'PY'
import sys
d = sys.argv[1]
n = 100_000
with open(d + "/blockquotes.eml", "w") as f:
    f.write("From: a@b\nSubject: deep html\nMessage-ID: <bq@b>\nContent-Type: text/html\n\n")
    f.write("<p>top</p>" + "<blockquote>" * n + "deepest" + "</blockquote>" * n + "\n")
n = 20_000
with open(d + "/multiparts.eml", "w") as f:
    f.write("From: a@b\nSubject: deep mime\nMessage-ID: <mp@b>\nMIME-Version: 1.0\n")
    for i in range(n):
        f.write(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n')
    f.write("Content-Type: text/plain\n\ninnermost\n")
    for i in reversed(range(n)):
        f.write(f"--b{i}--\n")
PY

# run NAME PATH: one import into a fresh data folder under /usr/bin/time -v
run() {
  local name=$1 path=$2 data="$WORK/data-$1"
  rm -rf "$data"
  local rc=0
  /usr/bin/time -v -o "$WORK/$name.time" timeout 600 "$BIN" --data "$data" import --json "$path" \
    > "$WORK/$name.json" 2> "$WORK/$name.err" || rc=$?
  local rss secs
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); printf "%.0f", $2 / 1024}' "$WORK/$name.time")
  secs=$(awk '/Elapsed \(wall clock\)/ {n = split($NF, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.1f", s}' "$WORK/$name.time")
  local what
  what=$(python3 - "$WORK/$name.json" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))
    print(f"new {s.get('new')}, rejected {s.get('rejected')}, skipped files {s.get('skipped_files')}")
except Exception as e:
    print("no summary")
PY
)
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$rss" "$secs" "$rc" "$what"
}

printf '\nbinary: %s; %s cores\n\n' "$BIN" "$(nproc)"
echo "| input | peak RSS MiB | wall s | exit | import summary |"
echo "| --- | ---: | ---: | ---: | --- |"
run gzip-bomb-4GiB "$IN/bomb"
run dev-zero /dev/zero
cat /dev/zero 1<>"$IN/fifo/list.mbox" 2>/dev/null &
FEEDER=$!
run fifo-in-folder "$IN/fifo"
kill "$FEEDER" 2>/dev/null || true
run message-100MB "$IN/big.mbox"
run blockquotes-100k "$IN/blockquotes.eml"
run multiparts-20k "$IN/multiparts.eml"
echo
echo "rejects as stored (origin, reason):"
for n in gzip-bomb-4GiB dev-zero fifo-in-folder message-100MB blockquotes-100k multiparts-20k; do
  "$BIN" --data "$WORK/data-$n" rejects 2>/dev/null | head -5 | sed "s/^/  $n: /" || true
done
echo "work folder: $WORK"

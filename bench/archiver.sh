#!/usr/bin/env bash
# The Mailman archiver endpoint's latency: a store of N generated messages is served
# with an archiver key, then K new replies are POSTed one by one as the
# mailman-hyperkitty plugin posts them (multipart, `mlist` + `message`). A POST
# answers once the message is stored, everything derived from it is up to date
# (thread, reconstruction, tags, people) and the search index has committed it, so
# its wall time is the time from delivery to visible. Prints a Markdown table:
# median and worst POST over K, and the target (2 s).
#
#   bench/archiver.sh                      # N=20000, K=20
set -euo pipefail
N=${N:-20000}
K=${K:-20}
SEED=${SEED:-7}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/plenary-archiver.XXXXXX)}
(cd "$ROOT" && cargo build --release -q)
BIN="$ROOT/target/release/plenary"
CORPUS="$WORK/corpus"
if [ ! -f "$CORPUS/truth.jsonl" ]; then
  "$BIN" gen-corpus "$CORPUS" --messages "$N" --seed "$SEED" >&2
fi
DATA="$WORK/data"
if [ ! -f "$DATA/plenary.sqlite3" ]; then
  "$BIN" --data "$DATA" import "$CORPUS/mbox" >&2
fi
python3 "$ROOT/bench/incremental_replies.py" "$CORPUS" "$K" "$WORK/replies.mbox"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" --archiver-key bench >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/stats" >/dev/null && break; sleep 0.2; done
python3 - "$WORK/replies.mbox" "http://127.0.0.1:$PORT" "$N" <<'PY'
import mailbox, statistics, subprocess, sys, time, tempfile, os
mbox, base, n = sys.argv[1], sys.argv[2], sys.argv[3]
times = []
for msg in mailbox.mbox(mbox):
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(msg.as_bytes())
    t = time.monotonic()
    out = subprocess.run(["curl", "-sf", "-X", "POST", f"{base}/api/mailman/archive",
                          "-H", "Authorization: Token bench", "-F", "mlist=bench@lists.example.org",
                          "-F", f"message=@{f.name}"], capture_output=True, text=True)
    times.append(time.monotonic() - t)
    os.unlink(f.name)
    if out.returncode != 0 or '"url"' not in out.stdout:
        sys.exit(f"POST failed: {out.stdout} {out.stderr}")
print(f"| store | POSTs | median delivery → visible | worst | target |")
print(f"|---|---:|---:|---:|---:|")
print(f"| {int(n):,} generated messages | {len(times)} | {statistics.median(times)*1000:.0f} ms | {max(times)*1000:.0f} ms | 2,000 ms |")
PY

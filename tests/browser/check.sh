#!/usr/bin/env bash
# Loads the pages that matter in a real browser (Debian's chromium, installed here if
# missing) against the demo data: home, a list, a thread (folded quotes, reconstructed
# marks), a session, the timetable with a filter, a person, a balance chart, a framework
# page, a search with facets and a bad query, the balance entry page. Fails when a page does not load or lacks its key
# elements, when axe-core finds a serious or critical violation on any page type, or when a page is wider
# than the window at 1280 px or 400 px (tests/browser/axe.cjs); saves screenshots to
# $OUT (default target/browser-check).
#
#   tests/browser/check.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/target/browser-check}
WORK=$(mktemp -d /tmp/plenary-browser.XXXXXX)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

if ! command -v chromium >/dev/null || ! command -v curl >/dev/null; then
  echo "installing chromium and curl from Debian" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq >&2 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium curl >&2
fi
# PLENARY_BIN: a binary already built (CI passes the test build's).
if [ -n "${PLENARY_BIN:-}" ]; then BIN=$PLENARY_BIN; else
  (cd "$ROOT" && cargo build --release -q); BIN="$ROOT/target/release/plenary"; fi
mkdir -p "$OUT"
(cd "$WORK" && "$BIN" demo --no-serve --messages 600 >/dev/null 2>&1)
DATA="$WORK/plenary-data"
SEED="$ROOT/../shared/seeds"
if [ -d "$SEED" ]; then "$BIN" --data "$DATA" import "$SEED" >/dev/null 2>&1; else echo "SKIPPED: seeds not present; demo data only" >&2; fi
# a session with its captioning transcript (hand-written fixtures)
FIX="$ROOT/crates/plenary-agenda/fixtures"
"$BIN" --data "$DATA" import "$FIX/igf-2024-ws-58.txt" "$FIX/igf-2024-transcript-ws-58.txt" >/dev/null 2>&1
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
SERVER=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 50); do curl -sf "$BASE/" >/dev/null && break; sleep 0.2; done

json() { curl -sf "$BASE$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }
LIST=$(json /api/v1/lists "d[0]['slug']")
THREAD=$(json "/api/v1/lists/$LIST/threads" "d[0]['id']")
PERSON=$(json /api/v1/people "d[0]['id']")
EVENT=$(json /api/v1/events "d[0]['id']")
SESSION=$(json "/api/v1/events/$EVENT/sessions" "__import__('re').sub(r'[^a-z0-9]+','-',(d[0]['event']+' '+d[0]['number']).lower()).strip('-')")
TRANSCRIPT=$(json "/api/v1/search?q=kind%3Aturn" "d['hits'][0]['id'].rsplit('#', 1)[0]")
if [ -d "$SEED" ]; then
  SEEDTHREAD=$(json "/api/v1/lists/wg-strategy/threads?limit=100000" "[t['id'] for t in d if 'Text on Enhanced Cooperation' in t['subject']][0]" 2>/dev/null || true)
fi

fail=0
# page NAME PATH NEEDLE... : no console errors, and the DOM after scripts (there are none)
# must hold every needle
page() {
  local name=$1 path=$2; shift 2
  local dom="$WORK/$name.html"
  chromium --headless=new --no-sandbox --disable-gpu --virtual-time-budget=3000 \
    --enable-logging=stderr --v=0 \
    --dump-dom "$BASE$path" >"$dom" 2>"$WORK/$name.log" || { echo "FAIL $name: chromium could not load $path"; fail=1; return; }
  # console errors (the pages have no scripts, but a CSP or resource error shows here)
  if grep -E 'CONSOLE.*(Error|error)|Refused to|Failed to load resource' "$WORK/$name.log" >/dev/null; then
    echo "FAIL $name: console errors:"; grep -E 'CONSOLE|Refused to|Failed to load resource' "$WORK/$name.log" | head -3; fail=1
  fi
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1600 \
    --screenshot="$OUT/$name.png" "$BASE$path" >/dev/null 2>&1 || true
  for needle in "$@"; do
    if ! grep -q -- "$needle" "$dom"; then echo "FAIL $name ($path): no $needle"; fail=1; fi
  done
  # every local link on the page answers
  python3 - "$dom" "$BASE" "$name" <<'PY' || fail=1
import re, sys, urllib.request, html
dom, base, name = sys.argv[1], sys.argv[2], sys.argv[3]
links = sorted(set(html.unescape(h) for h in re.findall(r'href="(/[^"#]*)"', open(dom, encoding="utf-8").read())))
bad = []
for h in links[:80]:
    try:
        urllib.request.urlopen(base + h, timeout=10).read(1)
    except Exception as e:
        bad.append(f"{h}: {e}")
if bad:
    print(f"FAIL {name}: broken links: " + "; ".join(bad[:5]))
    sys.exit(1)
PY
  echo "ok   $name ($path)"
}

page home / '<main' 'Latest threads' 'Sessions'
page list "/lists/$LIST" '<h1>'
page thread "/threads/$THREAD" 'class="tree"'
page session "/sessions/$SESSION" 'id="sp-h"' 'calendar.ics'
page timetable "/events/$EVENT?sdg=16" '<form class="filters"' 'Filter'
page person "/people/$PERSON" 'Affiliations'
page balance "/balance?list=$LIST&by=stakeholder-group" '<svg' 'Unknown'
page framework "/action-lines" 'WSIS Action Lines'
page search "/search?q=governance+OR+cooperation" 'Refine' '<mark>' 'class="hits"' 'Stakeholder group' 'How to search'
page search-error "/search?q=colour%3Ared" 'Unknown field' 'role="alert"'
# the same search on a phone-sized screen
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=390,1400 \
  --screenshot="$OUT/search-phone.png" "$BASE/search?q=governance" >/dev/null 2>&1 || true
if [ -n "${SEEDTHREAD:-}" ]; then
  page seed-thread "/threads/$SEEDTHREAD" '<details class="quoted">' 'Reconstructed</strong> from a quote'
  page seed-session "/sessions/wsis-forum-2025-400" 'Anriette Esterhuysen' 'GDC objectives'
  page seed-search "/search?q=enhanced+cooperation" 'wsis-forum-2025-400' 'Refine'
fi
page balance-entry "/balance" 'A mailing list'
page transcript "/transcripts/$TRANSCRIPT" 'id="turns-h"' 'CARLOS RUIZ' 'not an authoritative record'
page speaking "/balance?sessions=igf-2024-ws-58" 'Speaking share'

# Accessibility (axe-core, no serious or critical violation) and layout (no
# horizontal overflow of the page body) of every page type at 1280 px and
# 400 px, through puppeteer-core driving this same Debian chromium.
NODE_DIR="$ROOT/target/node-axe"
if ! command -v npm >/dev/null; then
  echo "installing npm from Debian" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq >&2 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >&2
fi
if [ ! -d "$NODE_DIR/node_modules/axe-core" ] || [ ! -d "$NODE_DIR/node_modules/puppeteer-core" ]; then
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --silent axe-core@4 puppeteer-core@23 >&2)
fi
MSG=$(json "/api/v1/threads/$THREAD" "[m['id'] for m in d['messages'] if not m['reconstructed']][0]")
MONTH=$(json "/api/v1/lists/$LIST" "d['months'][0]['month']")
ORG=$(curl -sf "$BASE/people/$PERSON" | grep -o 'href="/organizations/[^"]*"' | head -1 | cut -d'"' -f2 || true)
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="@-._~"))' "$1"; }
PAGES=(home=/ lists=/lists "list=/lists/$LIST" "month=/lists/$LIST/$MONTH" "month-by-author=/lists/$LIST/$MONTH?by=author" "thread=/threads/$THREAD"
  "message=/messages/$(enc "$MSG")" "session=/sessions/$SESSION" events=/events "event=/events/$EVENT"
  people=/people "person=/people/$PERSON" "balance=/balance?list=$LIST&by=region" balance-entry=/balance
  "network=/network?list=$LIST" frameworks=/frameworks framework=/action-lines item=/action-lines/C5
  "search=/search?q=governance+OR+cooperation" "search-error=/search?q=colour%3Ared" not-found=/no-such-page)
[ -n "$ORG" ] && PAGES+=("organization=$ORG")
PAGES+=("transcript=/transcripts/$TRANSCRIPT" "speaking=/balance?sessions=igf-2024-ws-58")
if [ -n "${SEEDTHREAD:-}" ]; then
  PAGES+=("seed-thread=/threads/$SEEDTHREAD" "seed-session=/sessions/wsis-forum-2025-400" "seed-balance=/balance?thread=$SEEDTHREAD")
fi
NODE_PATH="$NODE_DIR/node_modules" CHROMIUM=$(command -v chromium) node "$ROOT/tests/browser/axe.cjs" "$BASE" "${PAGES[@]}" || fail=1

[ "$fail" -eq 0 ] && echo "browser check passed; screenshots in $OUT" || { echo "browser check FAILED"; exit 1; }

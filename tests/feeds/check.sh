#!/usr/bin/env bash
# Validates every kind of Atom feed the site serves (list, thread, person,
# framework item, search) on demo data (plus the seeds when ../shared is
# present): against RFC 4287's RELAX NG schema (tests/feeds/atom.rnc) with jing
# (Debian's, installed here if missing), and against the RFC's rules a schema
# cannot say — an author with a name on every entry (§4.1.2, which we require
# of each entry itself), an alternate link on every entry (§4.1.2), absolute
# ids (§4.2.6) unique within the feed, dates with a time zone (§3.3), one
# alternate link per type (§4.1.1). A thread's feed must hold every message of
# the thread, recovered ones included (up to the feed's 50). Skips, saying so,
# when jing cannot be installed.
#
#   tests/feeds/check.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCHEMA="$ROOT/tests/feeds/atom.rnc"
WORK=$(mktemp -d /tmp/plenary-feeds.XXXXXX)
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT

if ! command -v jing >/dev/null || ! command -v curl >/dev/null; then
  echo "installing jing (RELAX NG validator) and curl from Debian" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  if ! { $SUDO apt-get update -qq >&2 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jing curl >&2; } \
     || ! command -v jing >/dev/null; then
    echo "SKIPPED: jing could not be installed from Debian; no feed was validated" >&2
    exit 0
  fi
fi
# PLENARY_BIN: a binary already built (CI passes the test build's).
if [ -n "${PLENARY_BIN:-}" ]; then BIN=$PLENARY_BIN; else
  (cd "$ROOT" && cargo build --release -q); BIN="$ROOT/target/release/plenary"; fi
(cd "$WORK" && "$BIN" demo --no-serve --messages 300 >/dev/null 2>&1)
DATA="$WORK/plenary-data"
SEED="$ROOT/../shared/seeds"
if [ -d "$SEED" ]; then "$BIN" --data "$DATA" import "$SEED" >/dev/null 2>&1; else echo "SKIPPED: seeds not present; demo data only" >&2; fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$BASE/api/v1/stats" >/dev/null && break; sleep 0.2; done

# Fetch the feeds: every list's, a few threads' (the seed thread with its
# recovered messages among them), a few people's, framework items with
# threads and with sessions, and searches that hit messages, sessions and people.
mkdir -p "$WORK/feeds"
python3 - "$BASE" "$WORK/feeds" <<'PY'
import json, re, sys, urllib.parse, urllib.request
base, out = sys.argv[1], sys.argv[2]
q = lambda s: urllib.parse.quote(s, safe="")
def get(path):
    with urllib.request.urlopen(base + path, timeout=60) as r:
        return r.read()
def api(path):
    return json.loads(get(path))
feeds = []  # (kind, name, path, expected entry count or None)
for l in api("/api/v1/lists"):
    feeds.append(("list", l["slug"], f"/lists/{q(l['slug'])}/feed.atom", None))
    threads = api(f"/api/v1/lists/{q(l['slug'])}/threads?limit=100000")
    # the longest threads (recovered messages are where a feed can fall short)
    threads.sort(key=lambda t: -t.get("messages", t.get("count", 0)))
    for t in threads[:3] + [t for t in threads if "Text on Enhanced Cooperation" in t["subject"]][:1]:
        n = len(api(f"/api/v1/threads/{q(t['id'])}")["messages"])
        feeds.append(("thread", t["id"], f"/threads/{q(t['id'])}/feed.atom", min(n, 50)))
for p in api("/api/v1/people")[:5]:
    feeds.append(("person", p["id"], f"/people/{q(p['id'])}/feed.atom", None))
with_threads = with_sessions = 0
for fw in api("/api/v1/frameworks"):
    for it in api(f"/api/v1/frameworks/{q(fw['id'])}")["items"]:
        d = api(f"/api/v1/frameworks/{q(fw['id'])}/{q(it['code'])}")
        has_t, has_s = bool(d["threads"]), bool(d["sessions_declared"] or d["sessions_tagged"])
        if (has_t and with_threads < 3) or (has_s and with_sessions < 3):
            with_threads += has_t
            with_sessions += has_s
            feeds.append(("framework", f"{fw['id']}/{it['code']}", f"/frameworks/{q(fw['id'])}/{q(it['code'])}/feed.atom", None))
for query in ["the", "kind:session", "kind:person", "kind:organization", "kind:reconstructed", "zzzznothingmatches"]:
    feeds.append(("search", query, "/search/feed.atom?q=" + q(query), None))
manifest = []
for i, (kind, name, path, expected) in enumerate(feeds):
    f = f"{out}/{i:03d}-{kind}.xml"
    open(f, "wb").write(get(path))
    manifest.append({"file": f, "kind": kind, "name": name, "path": path, "expected": expected})
json.dump(manifest, open(f"{out}/manifest.json", "w"))
print(f"fetched {len(manifest)} feeds: " + ", ".join(
    f"{k} {sum(m['kind'] == k for m in manifest)}" for k in ["list", "thread", "person", "framework", "search"]))
PY

# The RFC's rules beyond the schema, over a manifest of fetched feeds.
cat >"$WORK/rules.py" <<'PY'
import json, re, sys, collections
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
manifest = json.load(open(sys.argv[1]))
date_re = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
problems, entries_by_kind = [], collections.Counter()
for m in manifest:
    where = f"{m['kind']} feed {m['path']}"
    root = ET.parse(m["file"]).getroot()
    def bad(msg):
        problems.append(f"{where}: {msg}")
    def check_dates(el, what):
        for d in el.findall(f"{A}updated") + el.findall(f"{A}published"):
            if not date_re.match((d.text or "").strip()):
                bad(f"{what}: date {d.text!r} is not RFC 3339 with a zone")
    def absolute(iri):
        return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri or "") is not None
    check_dates(root, "feed")
    if not absolute(root.findtext(f"{A}id")):
        bad("feed id is not an absolute IRI")
    alts = collections.Counter((l.get("type"), l.get("hreflang")) for l in root.findall(f"{A}link") if l.get("rel", "alternate") == "alternate")
    if any(n > 1 for n in alts.values()):
        bad("more than one alternate link of the same type")
    entries = root.findall(f"{A}entry")
    entries_by_kind[m["kind"]] += len(entries)
    ids = collections.Counter(e.findtext(f"{A}id") for e in entries)
    for i, n in ids.items():
        if n > 1:
            bad(f"entry id {i} appears {n} times")
    for e in entries:
        title = e.findtext(f"{A}title") or "(untitled)"
        what = f"entry {e.findtext(f'{A}id')} ({title[:50]})"
        authors = e.findall(f"{A}author")
        if not authors:
            bad(f"{what}: no author")
        for a in authors:
            if not (a.findtext(f"{A}name") or "").strip():
                bad(f"{what}: an author without a name")
        if not absolute(e.findtext(f"{A}id")):
            bad(f"{what}: id is not an absolute IRI")
        if not any(l.get("rel", "alternate") == "alternate" for l in e.findall(f"{A}link")) and e.find(f"{A}content") is None:
            bad(f"{what}: neither an alternate link nor content")
        check_dates(e, what)
    if m["expected"] is not None and len(entries) != m["expected"]:
        bad(f"{len(entries)} entries, the thread has {m['expected']} messages")
for kind in ["list", "thread", "person", "framework", "search"]:
    if entries_by_kind[kind] == 0:
        problems.append(f"no {kind} feed had any entry: nothing of that kind was checked")
for p in problems[:30]:
    print("FAIL " + p)
total = sum(entries_by_kind.values())
print(f"{len(manifest)} feeds, {total} entries (" + ", ".join(f"{k} {n}" for k, n in sorted(entries_by_kind.items())) + f"): {len(problems)} problems")
sys.exit(1 if problems else 0)
PY

# First, the checks must bite: a feed with an entry lacking its author and its
# date must fail both the schema and the rules (a validator that cannot read
# its schema, or rules that find nothing, would pass everything).
mkdir -p "$WORK/selftest"
cat >"$WORK/selftest/bad.xml" <<'XML'
<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>http://example.org/f</id>
<updated>2025-01-01T00:00:00+00:00</updated>
<entry><title>e</title><id>http://example.org/e</id><link href="http://example.org/e"/></entry></feed>
XML
echo '[{"file": "'"$WORK/selftest/bad.xml"'", "kind": "selftest", "name": "bad", "path": "bad.xml", "expected": null}]' >"$WORK/selftest/manifest.json"
if jing -c "$SCHEMA" "$WORK/selftest/bad.xml" >/dev/null 2>&1; then
  echo "FAIL: jing accepted a feed whose entry has no updated date: the schema check is broken"; exit 1
fi
python3 "$WORK/rules.py" "$WORK/selftest/manifest.json" >"$WORK/selftest/rules.out" || true
if ! grep -q "no author" "$WORK/selftest/rules.out"; then
  echo "FAIL: the rules did not flag an entry without an author: the rules check is broken"; exit 1
fi

fail=0
# RELAX NG (RFC 4287 Appendix B): jing prints one line per error.
if ! jing -c "$SCHEMA" "$WORK"/feeds/*.xml >"$WORK/jing.out" 2>"$WORK/jing.err"; then
  echo "FAIL: feeds do not validate against RFC 4287's schema:"; head -20 "$WORK/jing.out"; fail=1
fi
if grep -v '^\[warning\]' "$WORK/jing.err" | grep -q .; then
  echo "FAIL: jing could not run:"; grep -v '^\[warning\]' "$WORK/jing.err" | head -5; fail=1
fi

python3 "$WORK/rules.py" "$WORK/feeds/manifest.json" || fail=1
if [ "$fail" -ne 0 ]; then echo "feeds: FAILED"; exit 1; fi
echo "feeds: every feed validates against RFC 4287, every entry has an author"

#!/usr/bin/env bash
# Checks the JSON API against its own OpenAPI document with schemathesis (from
# PyPI, into a virtualenv under target/): generated requests to every
# operation must never get a server error, and every response must match the
# documented status codes, content types and schemas. Then every JSON route is
# called once with identifiers that exist (generated ones mostly get 404s) and
# its real body validated against its documented schema (jsonschema_rs, which
# schemathesis brings).
#
#   tests/api/schemathesis.sh            # MAX_EXAMPLES=40 per operation
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-$ROOT/target/venv-schemathesis}
WORK=$(mktemp -d /tmp/plenary-api.XXXXXX)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

if ! python3 -c 'import venv, ensurepip' 2>/dev/null || ! command -v curl >/dev/null; then
  echo "installing python3-venv and curl from Debian" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq >&2 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv curl >&2
fi
if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'schemathesis>=4,<5'
fi
# PLENARY_BIN: a binary already built (CI passes the test build's).
if [ -n "${PLENARY_BIN:-}" ]; then BIN=$PLENARY_BIN; else
  (cd "$ROOT" && cargo build --release -q); BIN="$ROOT/target/release/plenary"; fi
(cd "$WORK" && "$BIN" demo --no-serve --messages 300 >/dev/null 2>&1)
DATA="$WORK/plenary-data"
SEED="$ROOT/../shared/seeds"
if [ -d "$SEED" ]; then "$BIN" --data "$DATA" import "$SEED" >/dev/null 2>&1; fi
# a session with its captioning transcript (hand-written fixtures)
FIX="$ROOT/crates/plenary-agenda/fixtures"
"$BIN" --data "$DATA" import "$FIX/igf-2024-ws-58.txt" "$FIX/igf-2024-transcript-ws-58.txt" >/dev/null 2>&1
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/stats" >/dev/null && break; sleep 0.2; done

cd "$WORK" && "$VENV/bin/st" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --url "http://127.0.0.1:$PORT" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "${MAX_EXAMPLES:-40}" \
  --no-color

# Real bodies against their schemas: one request per documented JSON route.
"$VENV/bin/python" - "http://127.0.0.1:$PORT" <<'PY'
import json, sys, urllib.parse, urllib.request
import jsonschema_rs
base = sys.argv[1]
def get(path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return json.load(r)
q = lambda s: urllib.parse.quote(s, safe="")
doc = get("/api/v1/openapi.json")
lists = get("/api/v1/lists")
lst = lists[0]["slug"]
thread = get(f"/api/v1/lists/{q(lst)}/threads")[0]["id"]
message = get(f"/api/v1/threads/{q(thread)}")["messages"][0]["id"]
event = get("/api/v1/events")[0]["id"]
session = get(f"/api/v1/events/{q(event)}/sessions")[0]
people = get("/api/v1/people")
orgs = [a["organization_id"] for p in people for a in p.get("affiliations", []) if a.get("organization_id")]
item = get("/api/v1/frameworks/action-lines")["items"][0]["code"]
concrete = {
    "/api/v1/lists/{list}": f"/api/v1/lists/{q(lst)}",
    "/api/v1/lists/{list}/threads": f"/api/v1/lists/{q(lst)}/threads",
    "/api/v1/threads/{id}": f"/api/v1/threads/{q(thread)}",
    "/api/v1/messages/{id}": f"/api/v1/messages/{q(message)}",
    "/api/v1/events/{id}/sessions": f"/api/v1/events/{q(event)}/sessions",
    "/api/v1/frameworks/{id}": "/api/v1/frameworks/action-lines",
    "/api/v1/frameworks/{id}/{code}": f"/api/v1/frameworks/action-lines/{q(item)}",
    "/api/v1/people/{id}": f"/api/v1/people/{q(people[0]['id'])}",
    "/api/v1/balance": f"/api/v1/balance?list={q(lst)}",
    "/api/v1/network": f"/api/v1/network?list={q(lst)}",
    "/api/v1/search": "/api/v1/search?q=the",
}
# A session's id is the slug of its event and number (the site's rule).
import re
slug = re.sub(r"[^a-z0-9]+", "-", (session["event"] + " " + session["number"]).lower()).strip("-")
concrete["/api/v1/sessions/{id}"] = f"/api/v1/sessions/{q(slug)}"
turns = [h for h in get("/api/v1/search?q=" + q('speaker:"Carlos Ruiz"'))["hits"] if h["kind"] == "turn"]
if turns:
    tid = turns[0]["id"].rsplit("#", 1)[0]
    concrete["/api/v1/transcripts/{id}"] = f"/api/v1/transcripts/{q(tid)}"
if orgs:
    concrete["/api/v1/organizations/{id}"] = f"/api/v1/organizations/{q(orgs[0])}"
checked, failed = 0, 0
for path, op in doc["paths"].items():
    content = op["get"]["responses"]["200"]["content"]
    if "application/json" not in content:
        continue
    url = concrete.get(path, path if "{" not in path else None)
    if url is None:
        print(f"SKIPPED {path}: no identifier in the demo data")
        continue
    body = get(url)
    errors = list(jsonschema_rs.Draft202012Validator(content["application/json"]["schema"]).iter_errors(body))
    for e in errors[:3]:
        print(f"FAIL {url}: {e.message} at {list(e.instance_path)}")
    failed += bool(errors)
    checked += not errors
print(f"real bodies against their schemas: {checked} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY

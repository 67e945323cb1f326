#!/usr/bin/env bash
# Checks the JSON API against its own OpenAPI document with schemathesis (from
# PyPI, into a virtualenv under target/): generated requests to every
# operation must never get a server error, and every response must match the
# documented status codes, content types and schemas.
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
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/stats" >/dev/null && break; sleep 0.2; done

cd "$WORK" && "$VENV/bin/st" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --url "http://127.0.0.1:$PORT" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "${MAX_EXAMPLES:-40}" \
  --no-color

#!/usr/bin/env bash
# The Mailman 3 archiver endpoint against the real client: `mailman-hyperkitty`
# (and Mailman core, which it imports) from PyPI, into a virtualenv under target/,
# its `Archiver` driven the way Mailman's archive runner drives it (a list object
# with `fqdn_listname`, an `email.message.Message`) against a running
# `plenary serve --archiver-key`. See drive.py for what is checked.
#
#   tests/mailman/check.sh               # PLENARY_BIN=path to use a built binary
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-$ROOT/target/venv-mailman}
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  echo "installing python3-venv from Debian" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq >&2 && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import mailman_hyperkitty' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'mailman-hyperkitty>=1.2,<2' 'mailman>=3.3,<3.4' requests
fi
if [ -n "${PLENARY_BIN:-}" ]; then BIN=$PLENARY_BIN; else
  (cd "$ROOT" && cargo build --release -q); BIN="$ROOT/target/release/plenary"; fi
exec "$VENV/bin/python" "$ROOT/tests/mailman/drive.py" "$BIN"

#!/usr/bin/env bash
# The guides' examples with real client libraries, against the server binary given (default: the
# debug binary that `cargo test` built): Apollo Client + apollo-upload-client and Python gql
# uploading evidence (docs/guide-citizen-app.md), authlib fetching a client-credentials token and a
# standardwebhooks receiver verifying a real delivery (docs/guide-platform.md). The code run is the
# guides' own, extracted from their `<!-- example: NAME -->` blocks by drive.py, so the guides stay
# true. Packages are pinned: npm by package-lock.json, Python by requirements.txt (exact versions,
# installed into .venv here).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary=${1:-${CARGO_TARGET_DIR:-$here/../../target}/debug/laporlapak}
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
# shellcheck source=../serve.sh
source "$here/../serve.sh"

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --require-virtualenv -r "$here/requirements.txt"

# The server may deliver webhooks to the example receiver over plain HTTP on loopback.
export LAPORLAPAK_WEBHOOK_ALLOW_HOSTS=127.0.0.1
serve "$binary"
SERVE_DIR="$SERVE_DIR" BINARY="$binary" SERVER_URL="$SERVER_URL" \
  "$here/.venv/bin/python" "$here/drive.py"

#!/usr/bin/env bash
# Subscriptions with the graphql-ws reference client (graphql-transport-ws) against the server
# binary given (default: the debug binary that `cargo test` built). Packages pinned by
# package-lock.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary=${1:-${CARGO_TARGET_DIR:-$here/../../target}/debug/laporlapak}
# shellcheck source=../serve.sh
source "$here/../serve.sh"

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
serve "$binary"
node "$here/live.mjs" "$SERVER_URL"

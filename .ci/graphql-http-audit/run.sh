#!/usr/bin/env bash
# The GraphQL-over-HTTP reference audit against the server binary given (default: the debug binary
# that `cargo test` built): fails on any error or warning.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary=${1:-${CARGO_TARGET_DIR:-$here/../../target}/debug/laporlapak}
# shellcheck source=../serve.sh
source "$here/../serve.sh"

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
serve "$binary"
node "$here/audit.mjs" "$SERVER_URL/graphql"

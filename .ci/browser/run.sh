#!/usr/bin/env bash
# The browser test of the GraphQL IDE (ide.mjs) against the server binary given (default: the
# debug binary that `cargo test` built), with Debian's Chromium (installed when missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary=${1:-${CARGO_TARGET_DIR:-$here/../../target}/debug/laporlapak}
# shellcheck source=../serve.sh
source "$here/../serve.sh"

if [ ! -x "${CHROMIUM:=/usr/bin/chromium}" ]; then
  echo "ci: Chromium is missing; installing it" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
export CHROMIUM
(cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
serve "$binary"
node "$here/ide.mjs" "$SERVER_URL"

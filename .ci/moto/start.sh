#!/usr/bin/env bash
# Starts moto in server mode: a local S3-compatible server from PyPI, for the S3 variants of the
# evidence-store tests. Installs it into a virtualenv on first use, waits until it answers, and
# prints the `export` lines to use it:
#
#   moto_env=$(bash .ci/moto/start.sh)   # fails (and so stops a `set -e` script) when moto cannot start
#   eval "$moto_env"                     # sets TEST_S3_ENDPOINT and MOTO_PID
#   cargo test ...                       # the *_s3 tests now run instead of being ignored
#   kill "$MOTO_PID"
#
# The tests read TEST_S3_ENDPOINT when they are built (build.rs): without it the S3 variants are
# compiled as #[ignore], so `cargo test` lists them as ignored rather than passing them silently.
set -euo pipefail
cd "$(dirname "$0")/../.."

MOTO_VERSION=5.2.5
VENV=${MOTO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/laporlapak-moto-$MOTO_VERSION}
PORT=${MOTO_PORT:-5055}
LOG=${MOTO_LOG:-${TMPDIR:-/tmp}/laporlapak-moto.log}

if [ ! -x "$VENV/bin/moto_server" ]; then
  echo "moto: installing moto[server]==$MOTO_VERSION into $VENV" >&2
  if ! python3 -m venv "$VENV" >&2; then
    echo "moto: python3 -m venv failed; installing python3-venv" >&2
    rm -rf "$VENV"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
    python3 -m venv "$VENV" >&2
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
fi

"$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" >"$LOG" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  if python3 - "$PORT" <<'PY' 2>/dev/null
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=1).read()
PY
  then
    echo "export TEST_S3_ENDPOINT=http://127.0.0.1:$PORT"
    echo "export MOTO_PID=$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "moto: the server exited; see $LOG" >&2
    exit 1
  fi
  sleep 0.5
done
echo "moto: no answer on port $PORT after 30 s; see $LOG" >&2
kill "$pid" 2>/dev/null || true
exit 1

#!/usr/bin/env bash
# Starts aiosmtpd, a local SMTP server from PyPI, for the notification-mail tests: it accepts every
# message and writes it to a Maildir. Installs it into a virtualenv on first use, waits until it
# answers, and prints the `export` lines to use it:
#
#   smtp_env=$(bash .ci/smtp/start.sh)   # fails (and so stops a `set -e` script) when it cannot start
#   eval "$smtp_env"                     # sets TEST_SMTP_URL, TEST_SMTP_MAILDIR and SMTP_PID
#   cargo test ...                       # the mail tests now run instead of being ignored
#   kill "$SMTP_PID"
#
# The tests read TEST_SMTP_URL when they are built (build.rs): without it they are compiled as
# #[ignore], so `cargo test` lists them as ignored rather than passing them silently.
set -euo pipefail
cd "$(dirname "$0")/../.."

AIOSMTPD_VERSION=1.4.6
VENV=${SMTP_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/laporlapak-aiosmtpd-$AIOSMTPD_VERSION}
PORT=${SMTP_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
MAILDIR=${SMTP_MAILDIR:-$(mktemp -d "${TMPDIR:-/tmp}/laporlapak-maildir.XXXXXX")}
LOG=${SMTP_LOG:-${TMPDIR:-/tmp}/laporlapak-smtp-$PORT.log}

if [ ! -x "$VENV/bin/aiosmtpd" ]; then
  echo "smtp: installing aiosmtpd==$AIOSMTPD_VERSION into $VENV" >&2
  if ! python3 -m venv "$VENV" >&2; then
    echo "smtp: python3 -m venv failed; installing python3-venv" >&2
    rm -rf "$VENV"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
    python3 -m venv "$VENV" >&2
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION" >&2
fi

# -n: no setuid; Mailbox: every message into the Maildir (new/, one file a message).
"$VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:$PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
  >"$LOG" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  if python3 - "$PORT" <<'PY' 2>/dev/null
import smtplib, sys
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=1) as smtp:
    smtp.noop()
PY
  then
    echo "export TEST_SMTP_URL=smtp://127.0.0.1:$PORT"
    echo "export TEST_SMTP_MAILDIR=$MAILDIR"
    echo "export SMTP_PID=$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "smtp: the server exited; see $LOG" >&2
    exit 1
  fi
  sleep 0.5
done
echo "smtp: no answer on port $PORT after 30 s; see $LOG" >&2
kill "$pid" 2>/dev/null || true
exit 1

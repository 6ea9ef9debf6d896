# Sourced by the CI steps that need a running server (the GraphQL-over-HTTP audit, the browser
# test). `serve BINARY` starts it in development mode on a free loopback port, over a fresh SQLite
# database in a temporary directory, waits until /healthz answers and sets SERVER_URL; the server
# is stopped and the directory removed when the sourcing shell exits.

serve() {
  local binary=$1
  SERVE_DIR=$(mktemp -d)
  trap stop_server EXIT
  env LAPORLAPAK_ENV=development \
    LAPORLAPAK_BIND=127.0.0.1:0 \
    LAPORLAPAK_DATA_DIR="$SERVE_DIR" \
    DATABASE_URL="sqlite://$SERVE_DIR/laporlapak.db" \
    RUST_LOG="${RUST_LOG:-warn}" \
    "$binary" serve >"$SERVE_DIR/stdout" 2>"$SERVE_DIR/stderr" &
  SERVER_PID=$!
  SERVER_URL=
  for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "ci: the server exited:" >&2
      cat "$SERVE_DIR/stdout" "$SERVE_DIR/stderr" >&2
      return 1
    fi
    SERVER_URL=$(sed -nE 's#^laporlapak is serving on (http://[^ ]+) .*#\1#p' "$SERVE_DIR/stdout")
    if [ -n "$SERVER_URL" ] && curl -fsS -o /dev/null "$SERVER_URL/healthz"; then
      return 0
    fi
    sleep 0.1
  done
  echo "ci: the server did not answer /healthz within 30 s" >&2
  return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
  if [ -n "${SERVE_DIR:-}" ]; then
    rm -rf "$SERVE_DIR"
    SERVE_DIR=
  fi
}

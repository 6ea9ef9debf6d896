#!/usr/bin/env bash
# Fuzzes the GraphQL API with schemathesis (from PyPI) against a live server, once per caller:
# anonymous, a citizen, a reviewer, a platform representative and an admin. Every generated
# operation must answer without a 5xx, with GraphQL-shaped JSON and without an INTERNAL error — also
# one inside a 200 answer, which schemathesis files among its ST113 tallies: the server's own count
# of INTERNAL answers (`laporlapak_graphql_errors_total{code="INTERNAL"}` in /metrics) must not move
# during a role's run — and the server must log no internal error and no panic. Refusals by design (FORBIDDEN, NOT_FOUND,
# BAD_USER_INPUT, CONFLICT…) are most of what a fuzzer meets here: schemathesis reports them as
# ST113 "GraphQL server error", because it expects failures inside `data`, so they are tallied,
# not failed on. Not part of CI; run it after a change to the API:
#
#   bash .ci/fuzz/run.sh [seconds per role, default 60]
#
# It builds the debug binary, starts it on a fresh SQLite database in a temporary directory (rate
# limits off, so the fuzzer reaches past them), creates the accounts, and installs schemathesis into
# a virtualenv under /tmp the first time.
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_PER_ROLE=${1:-60}
PORT=${FUZZ_PORT:-18181}
VENV=${FUZZ_VENV:-/tmp/laporlapak-fuzz-venv}
WORK=$(mktemp -d /tmp/laporlapak-fuzz.XXXXXX)
URL="http://127.0.0.1:$PORT/graphql"
PASSWORD='kopi susu gula aren fuzz'

if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet schemathesis
fi
cargo build --quiet
BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/laporlapak"
SCHEMA="$PWD/schema.graphql"

export LAPORLAPAK_DATA_DIR="$WORK/data" LAPORLAPAK_BIND="127.0.0.1:$PORT" \
  LAPORLAPAK_RATE_LIMITS=false RUST_LOG=error
"$BIN" migrate >/dev/null
for spec in "admin@fuzz.example.go.id ADMIN" "reviewer@fuzz.example.go.id REVIEWER" \
            "trust@fuzz.example.com PLATFORM instagram"; do
  set -- $spec
  LAPORLAPAK_ADMIN_PASSWORD="$PASSWORD" "$BIN" admin create --email "$1" --role "$2" \
    ${3:+--platform "$3"} >/dev/null
done
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

gql() { curl -sf "$URL" -H 'Content-Type: application/json' -d "$1"; }
token() { sed -E 's/.*"token":"([^"]+)".*/\1/'; }
gql '{"query":"mutation { register(input: {email: \"citizen@fuzz.example.id\", password: \"'"$PASSWORD"'\", displayName: \"Warga\"}) { token } }"}' >/dev/null
declare -A TOKENS=([anonymous]="")
for pair in "citizen citizen@fuzz.example.id" "reviewer reviewer@fuzz.example.go.id" \
            "platform trust@fuzz.example.com" "admin admin@fuzz.example.go.id"; do
  set -- $pair
  TOKENS[$1]=$(gql '{"query":"mutation { login(email: \"'"$2"'\", password: \"'"$PASSWORD"'\") { token } }"}' | token)
done

# schemathesis keeps its state in the working directory: run it in the scratch directory.
cd "$WORK"
status=0
# INTERNAL errors the server has answered so far, over every operation.
internal_answers() {
  curl -sf "http://127.0.0.1:$PORT/metrics" |
    awk '/^laporlapak_graphql_errors_total\{/ && /code="INTERNAL"/ { n += $NF } END { print n + 0 }'
}
for role in anonymous citizen reviewer platform admin; do
  internal_before=$(internal_answers)
  echo "== $role (${SECONDS_PER_ROLE}s)"
  auth=()
  [ -n "${TOKENS[$role]}" ] && auth=(-H "Authorization: Bearer ${TOKENS[$role]}")
  timeout --signal=INT "$SECONDS_PER_ROLE" "$VENV/bin/schemathesis" run "$SCHEMA" \
    --url "$URL" "${auth[@]}" --checks not_a_server_error --max-examples 200 \
    --no-color >"$WORK/$role.log" 2>&1 || true
  grep -E "generated|Tested:" "$WORK/$role.log" | sed 's/^/   /' || true
  echo "   refusals by design (ST113): $(grep -c '^- ST113' "$WORK/$role.log" || true)"
  if grep -qE '^\[5[0-9][0-9]\]|"code": ?"INTERNAL"|not valid JSON|ST10[0-9]' "$WORK/$role.log"; then
    echo "!! $role: a 5xx, a non-GraphQL answer or an INTERNAL error (see $WORK/$role.log)"
    status=1
  fi
  internal=$(( $(internal_answers) - internal_before ))
  echo "   INTERNAL answers (any status, 200 included): $internal"
  if [ "$internal" -ne 0 ]; then
    echo "!! $role: $internal answers held an INTERNAL error (by operation: /metrics, and $WORK/server.log)"
    status=1
  fi
done
if grep -qE "panicked|internal error|error without a code" "$WORK/server.log"; then
  echo "!! the server logged an internal error or a panic: $WORK/server.log"
  status=1
fi
echo "logs: $WORK"
exit $status

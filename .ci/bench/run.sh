#!/usr/bin/env bash
# Reproducible load benchmark: a freshly seeded database of realistic size, the release server on
# loopback, and wrk against five GraphQL scenarios. See .ci/bench/README.md.
#
#   bash .ci/bench/run.sh sqlite|postgres [complaints]      (complaints default: 1000000)
#
# Knobs (environment): BENCH_DURATION (20s per scenario), BENCH_WARMUP (3s, not measured),
# BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_PORT (18080), BENCH_PG_URL
# (postgres://postgres@127.0.0.1:5432, a role that may drop and create databases), BENCH_PG_DB
# (laporlapak_bench; the database dropped and re-created), BENCH_KEEP_DB=1 (leave the database in
# place afterwards; by default a PostgreSQL database of more than 4 M complaints is dropped),
# BENCH_REUSE_DB=1 (PostgreSQL: measure the database BENCH_PG_DB as it is, seeded earlier with
# `laporlapak seed --complaints N`, instead of re-creating and seeding it; N must be given),
# BENCH_RUST_LOG (warn), BENCH_SKIP_BUILD=1 (use the existing target/release binary),
# BENCH_SCENARIOS (space-separated subset of: queue overdue tracking submit transparency),
# BENCH_LOADGEN=python (use loadgen.py, the fallback when wrk cannot be installed),
# BENCH_RATE_LIMITS=false (serve without the per-address rate limits),
# BENCH_BASELINE=<git revision> (also build that revision and measure it in the same run, on the
# same database, alternating with the current code), BENCH_PASSES (passes over the scenarios per
# binary: 1, or 2 with a baseline; the table shows each binary's median).
set -euo pipefail

# The whole script is one function, read before it runs: editing this file during a run cannot
# change what the running script does.
main() {

usage() { echo "usage: bash .ci/bench/run.sh sqlite|postgres [complaints]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
BACKEND=$1
COMPLAINTS=${2:-1000000}
case "$BACKEND" in sqlite | postgres) ;; *) usage ;; esac
[[ "$COMPLAINTS" =~ ^[0-9]+$ ]] && [ "$COMPLAINTS" -ge 3 ] && [ "$COMPLAINTS" -le 100000000 ] ||
  { echo "bench: complaints must be a number between 3 and 100000000" >&2; exit 2; }

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BENCH_DIR=$ROOT/.ci/bench
WORK=/tmp/laporlapak-bench
RUN_DIR=$WORK/$BACKEND
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/laporlapak
PORT=${BENCH_PORT:-18080}
ADDR=127.0.0.1:$PORT
URL=http://$ADDR/graphql
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-3s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
PG_DB=${BENCH_PG_DB:-laporlapak_bench}
SCENARIOS=${BENCH_SCENARIOS:-queue overdue tracking submit transparency}
REVIEWER_EMAIL=bench-reviewer@kemenkop.go.id
REVIEWER_PASSWORD=bench-reviewer-sandi-2026

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
human_bytes() { awk -v b="$1" 'BEGIN { split("B KiB MiB GiB TiB", u, " "); i = 1; while (b >= 1024 && i < 5) { b /= 1024; i++ } printf "%.1f %s", b, u[i] }'; }

install_pkg() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2"
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1; }; } || true
  command -v "$1" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
install_pkg curl curl || die "curl is missing and could not be installed"
LOADGEN=${BENCH_LOADGEN:-wrk}
if [ "$LOADGEN" = wrk ] && ! install_pkg wrk wrk; then
  command -v python3 >/dev/null 2>&1 || die "neither wrk nor python3 is available"
  log "wrk could not be installed; falling back to the Python asyncio load generator (slower client)"
  LOADGEN=python
fi
if [ "$BACKEND" = sqlite ]; then
  install_pkg sqlite3 sqlite3 || die "the sqlite3 shell is missing and could not be installed"
else
  install_pkg psql postgresql-client || die "psql is missing and could not be installed"
fi

mkdir -p "$RUN_DIR"
rm -f "$RUN_DIR"/*.txt "$RUN_DIR"/*.log
SERVER_PID=
cleanup() {
  local code=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    log "stopping the server (pid $SERVER_PID)"
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # A very large database is disk the machine needs back, unless asked to keep it.
  if [ "$BACKEND" = postgres ] && [ "$COMPLAINTS" -gt 4000000 ] && [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
    log "dropping database $PG_DB (BENCH_KEEP_DB=1 keeps it)"
    psql "$PG_URL/postgres" -q -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if curl -s -o /dev/null --max-time 2 "http://$ADDR/healthz"; then
  die "something already listens on $ADDR (set BENCH_PORT)"
fi

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------
BASELINE=${BENCH_BASELINE:-}
BASELINE_BIN=$WORK/laporlapak-baseline
if [ -n "$BASELINE" ]; then
  BASELINE_REV=$(git -C "$ROOT" rev-parse --short "$BASELINE^{commit}") || die "unknown revision $BASELINE"
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -x "$BASELINE_BIN" ]; then
    # Built in a scratch checkout with the project's own target directory: the dependencies are
    # shared, only the crate itself is rebuilt.
    log "building the baseline $BASELINE_REV"
    rm -rf "$WORK/baseline-src"
    mkdir -p "$WORK/baseline-src"
    git -C "$ROOT" archive "$BASELINE_REV" | tar -x -C "$WORK/baseline-src"
    (cd "$WORK/baseline-src" && CARGO_TARGET_DIR=$ROOT/target cargo build --release --locked)
    cp "$ROOT/target/release/laporlapak" "$BASELINE_BIN"
    touch "$ROOT/src/main.rs" # the next build of the current code must relink its own binary
  fi
fi
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ -n "$BASELINE" ]; then
  log "cargo build --release"
  (cd "$ROOT" && cargo build --release)
fi
[ -x "$BIN" ] || die "$BIN is missing (build failed?)"
PASSES=${BENCH_PASSES:-$([ -n "$BASELINE" ] && echo 2 || echo 1)}

# ---------------------------------------------------------------------------------------------
# Fresh database, migrated by the server itself, then seeded
# ---------------------------------------------------------------------------------------------
DATA_DIR=$RUN_DIR/data
rm -rf "$DATA_DIR"
mkdir -p "$DATA_DIR"
case "$BACKEND" in
  sqlite)
    DB_FILE=$RUN_DIR/laporlapak.db
    rm -f "$DB_FILE" "$DB_FILE-wal" "$DB_FILE-shm"
    export DATABASE_URL=sqlite://$DB_FILE
    db_size() {
      local total=0 f
      for f in "$DB_FILE" "$DB_FILE-wal"; do [ -f "$f" ] && total=$((total + $(stat -c %s "$f"))); done
      echo "$total"
    }
    ;;
  postgres)
    pg_ready() { pg_isready -d "$PG_URL/postgres" -q 2>/dev/null; }
    if command -v pg_isready >/dev/null 2>&1 && ! pg_ready; then
      version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
      if [ -n "$version" ]; then
        log "starting PostgreSQL $version"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
      fi
    fi
    psql "$PG_URL/postgres" -qtAc 'SELECT 1' >/dev/null 2>&1 || die "PostgreSQL is not reachable at $PG_URL"
    if [ "${BENCH_REUSE_DB:-0}" != 1 ]; then
    log "recreating database $PG_DB"
    PGOPTIONS=--client-min-messages=warning psql "$PG_URL/postgres" -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" \
      -c "CREATE DATABASE $PG_DB"
    fi
    # Loopback: no TLS, as a peer on the same host would connect (libpq's default `prefer`
    # negotiates TLS whenever the server offers it). Across a network, require it (README).
    export DATABASE_URL="$PG_URL/$PG_DB?sslmode=disable"
    export PGSSLMODE=disable
    sql() { psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 "$@"; }
    db_size() { psql "$DATABASE_URL" -X -tAc "SELECT pg_database_size(current_database())"; }
    ;;
esac

log "migrating ($BACKEND)"
LAPORLAPAK_DATA_DIR=$DATA_DIR RUST_LOG=warn "$BIN" migrate

if [ "${BENCH_REUSE_DB:-0}" = 1 ] && [ "$BACKEND" = postgres ]; then
  log "reusing the seeded database $PG_DB"
  SEED_SECONDS=reused
else
  log "seeding $COMPLAINTS complaints (laporlapak seed)"
  SEED_START=$(now)
  LAPORLAPAK_DATA_DIR=$DATA_DIR RUST_LOG=warn "$BIN" seed --complaints "$COMPLAINTS" >"$RUN_DIR/seed.log" 2>&1 ||
    { cat "$RUN_DIR/seed.log" >&2; die "laporlapak seed failed"; }
  SEED_SECONDS=$(elapsed "$SEED_START" "$(now)")
  log "seeded in ${SEED_SECONDS}s: $(grep -m 1 '^seeded' "$RUN_DIR/seed.log")"
fi

log "verifying the seed"
case "$BACKEND" in
  sqlite) CHECK=$(sqlite3 -batch "$DB_FILE" <"$BENCH_DIR/verify.sql") ;;
  postgres) CHECK=$(psql "$DATABASE_URL" -X -tA -F'|' -f "$BENCH_DIR/verify.sql") ;;
esac
printf '%s\n' "$CHECK" >"$RUN_DIR/verify.txt"
FIRST=$(head -n 1 <<<"$CHECK")
[ "$FIRST" = "0|0|0|0|0" ] || die "seed verification failed (orphans|bad_counts|bad_due|duplicate_open_targets|bad_codes = $FIRST)"
SIZE_SEEDED=$(db_size)

# ---------------------------------------------------------------------------------------------
# Query plans of the two queue shapes. On SQLite the plans come from the SQLite the server bundles
# (sqlite-plan.c compiled against libsqlite3-sys's sqlite3.c), with the statuses bound as
# parameters and spelled as literals: which of the two the server sends decides whether a partial
# index can serve the query (since 7d52e3c the default queue spells its statuses literally). PostgreSQL plans an unnamed statement with its parameter values, so a
# literal EXPLAIN shows what the server gets.
# ---------------------------------------------------------------------------------------------
NOW_UTC=$(date -u '+%Y-%m-%d %H:%M:%S')
QUEUE_STATUSES="'OPEN', 'IN_REVIEW', 'AWAITING_INFO'"
NON_FINAL="'OPEN', 'IN_REVIEW', 'AWAITING_INFO', 'FORWARDED', 'PLATFORM_DECLINED', 'ESCALATED'"
Q_DEFAULT="SELECT * FROM cases WHERE status IN ($QUEUE_STATUSES) ORDER BY priority DESC, id ASC LIMIT 51"
Q_OVERDUE="SELECT * FROM cases WHERE status IN ($NON_FINAL) AND takedown_due_at < '$NOW_UTC' ORDER BY priority DESC, id ASC LIMIT 51"

sqlite_plan_tool() { # prints the path of sqlite-plan built against the bundled SQLite, or fails
  local version src tool
  version=$(awk '/^name = "libsqlite3-sys"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")
  [ -n "$version" ] || return 1
  src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/libsqlite3-sys-"$version"/sqlite3 2>/dev/null | head -n 1)
  [ -n "$src" ] && [ -f "$src/sqlite3.c" ] || return 1
  tool=$WORK/sqlite-plan-$version
  if [ ! -x "$tool" ] || [ "$BENCH_DIR/sqlite-plan.c" -nt "$tool" ]; then
    command -v cc >/dev/null 2>&1 || return 1
    log "compiling sqlite-plan against SQLite from libsqlite3-sys $version (once)"
    cc -O1 -DSQLITE_ENABLE_STAT4 -DSQLITE_THREADSAFE=1 -DSQLITE_DEFAULT_FOREIGN_KEYS=1 \
      -DSQLITE_ENABLE_COLUMN_METADATA -I"$src" "$BENCH_DIR/sqlite-plan.c" "$src/sqlite3.c" \
      -o "$tool.tmp" -lpthread -ldl -lm >/dev/null 2>&1 || return 1
    mv "$tool.tmp" "$tool"
  fi
  echo "$tool"
}

TOOL=
[ "$BACKEND" = sqlite ] && { TOOL=$(sqlite_plan_tool) || TOOL=; }
{
  case "$BACKEND" in
    sqlite)
      if [ -n "$TOOL" ]; then
        echo "== default queue, statuses as bound parameters"
        "$TOOL" "$DB_FILE" "SELECT * FROM cases WHERE status IN (?, ?, ?) ORDER BY priority DESC, id ASC LIMIT ?" \
          OPEN IN_REVIEW AWAITING_INFO i:51
        echo "== default queue, literals: $Q_DEFAULT"
        "$TOOL" "$DB_FILE" "$Q_DEFAULT"
        echo "== overdue queue, statuses and time as bound parameters (as the server sends it)"
        "$TOOL" "$DB_FILE" "SELECT * FROM cases WHERE status IN (?, ?, ?, ?, ?, ?) AND takedown_due_at < ? ORDER BY priority DESC, id ASC LIMIT ?" \
          OPEN IN_REVIEW AWAITING_INFO FORWARDED PLATFORM_DECLINED ESCALATED "$NOW_UTC" i:51
        echo "== overdue queue, literals: $Q_OVERDUE"
        "$TOOL" "$DB_FILE" "$Q_OVERDUE"
      else
        echo "(the bundled SQLite could not be compiled; plans from the sqlite3 shell $(sqlite3 -version | cut -d' ' -f1), literals)"
        for q in "$Q_DEFAULT" "$Q_OVERDUE"; do
          echo "== $q"
          printf '.timer on\nEXPLAIN QUERY PLAN %s;\n.output /dev/null\n%s;\n' "$q" "$q" | sqlite3 -batch "$DB_FILE"
        done
      fi
      ;;
    postgres)
      for q in "$Q_DEFAULT" "$Q_OVERDUE"; do
        echo "== $q"
        psql "$DATABASE_URL" -X -c "EXPLAIN (ANALYZE, BUFFERS) $q"
      done
      ;;
  esac
} >"$RUN_DIR/plans.txt" 2>&1
log "query plans written to $RUN_DIR/plans.txt"

# ---------------------------------------------------------------------------------------------
# Reviewer account, server, token, tracking codes
# ---------------------------------------------------------------------------------------------
LAPORLAPAK_DATA_DIR=$DATA_DIR LAPORLAPAK_ADMIN_PASSWORD=$REVIEWER_PASSWORD RUST_LOG=warn \
  "$BIN" admin create --email "$REVIEWER_EMAIL" --role REVIEWER --display-name "Bench Reviewer" >/dev/null ||
  [ "${BENCH_REUSE_DB:-0}" = 1 ] # reused: the reviewer exists from the last run

start_server() { # binary
  log "starting $(basename "$1") on $ADDR"
  # The load generator sends a random X-Forwarded-For per public request: real traffic comes from
  # many addresses, so the per-address rate limits are counted but not hit.
  LAPORLAPAK_BIND=$ADDR LAPORLAPAK_DATA_DIR=$DATA_DIR LAPORLAPAK_ENV=production \
    LAPORLAPAK_TRUST_PROXY=true LAPORLAPAK_RATE_LIMITS=${BENCH_RATE_LIMITS:-true} \
    RUST_LOG=${BENCH_RUST_LOG:-warn} "$1" serve >>"$RUN_DIR/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    curl -s -o /dev/null --max-time 2 "http://$ADDR/readyz" && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited: $(tail -n 5 "$RUN_DIR/server.log")"
    sleep 0.5
  done
  curl -sf -o /dev/null --max-time 5 "http://$ADDR/readyz" || die "the server did not become ready"
  sleep 2
}
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
rss_kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$SERVER_PID/status"; }

: >"$RUN_DIR/server.log"
start_server "$BIN"
LOGIN=$(curl -s --max-time 30 "$URL" -H 'Content-Type: application/json' -d "{\"query\":\"mutation { login(email: \\\"$REVIEWER_EMAIL\\\", password: \\\"$REVIEWER_PASSWORD\\\") { token } }\"}")
TOKEN=$(sed -nE 's/.*"token":"([^"]+)".*/\1/p' <<<"$LOGIN")
[ -n "$TOKEN" ] || die "login failed: $LOGIN"
stop_server

STEP=$((COMPLAINTS / 20000))
[ "$STEP" -ge 1 ] || STEP=1
CODES=$RUN_DIR/codes.txt
case "$BACKEND" in
  sqlite) sqlite3 -batch "$DB_FILE" "SELECT tracking_code FROM complaints WHERE id % $STEP = 0" >"$CODES" ;;
  postgres) psql "$DATABASE_URL" -X -tAc "SELECT tracking_code FROM complaints WHERE id % $STEP = 0" >"$CODES" ;;
esac
log "$(wc -l <"$CODES") tracking codes sampled for the lookup scenario"

# ---------------------------------------------------------------------------------------------
# Load: each binary (the baseline, then the current code) runs every scenario once per pass, on
# the same database, passes alternating, so both meet the same machine.
# ---------------------------------------------------------------------------------------------
declare -A TITLE SCRIPT AUTH RESULT SAMPLE RSS_AFTER RSS_IDLE RSS_PEAK COLD_REPORT
TITLE[queue]="(a) reviewQueue(first: 50)"
TITLE[overdue]="(b) reviewQueue overdue"
TITLE[tracking]="(c) complaintByTrackingCode"
TITLE[submit]="(d) submitComplaint (anon)"
TITLE[transparency]="(e) transparencyReport"
SCRIPT[queue]=review-queue.lua
SCRIPT[overdue]=review-queue-overdue.lua
SCRIPT[tracking]=tracking-code.lua
SCRIPT[submit]=submit-complaint.lua
SCRIPT[transparency]=transparency-report.lua
AUTH[queue]=1
AUTH[overdue]=1
AUTH[tracking]=0
AUTH[submit]=0
AUTH[transparency]=0

load() { # scenario threads connections duration -> output of the load generator
  local name=$1 token=
  [ "${AUTH[$name]}" = 1 ] && token=$TOKEN
  if [ "$LOADGEN" = wrk ]; then
    BENCH_TOKEN=$token BENCH_CODES=$CODES BENCH_LUA_DIR=$BENCH_DIR \
      wrk -t"$2" -c"$3" -d"$4" --timeout 30s -s "$BENCH_DIR/${SCRIPT[$name]}" "$URL"
  else
    python3 "$BENCH_DIR/loadgen.py" --url "$URL" --script "$BENCH_DIR/${SCRIPT[$name]}" \
      --connections "$3" --duration "$4" --token "$token" --codes "$CODES"
  fi
}

LABELS=current
[ -n "$BASELINE" ] && LABELS="baseline current"
declare -A LABEL_BIN
LABEL_BIN[baseline]=$BASELINE_BIN
LABEL_BIN[current]=$BIN

run_pass() { # label pass
  local label=$1 pass=$2 key name out
  start_server "${LABEL_BIN[$label]}"
  RSS_IDLE[$label:$pass]=$(rss_kb VmRSS)
  for name in $SCENARIOS; do
    [ -n "${SCRIPT[$name]:-}" ] || die "unknown scenario $name"
    key=$label:$pass:$name
    if [ "$name" = transparency ]; then
      # The server may cache the report: time one request first (a miss on a fresh server).
      COLD_REPORT[$label:$pass]=$(curl -s -o /dev/null -w '%{time_total}' --max-time 120 "$URL" -H 'Content-Type: application/json' \
        -H 'X-Forwarded-For: 100.64.0.1' \
        -d '{"query":"{ transparencyReport { platforms { platform { slug } requestsIssued answered overdue medianHoursToAnswer p90HoursToAnswer complianceRate } categories { complaints } } }"}') || COLD_REPORT[$label:$pass]=failed
    fi
    out=$(load "$name" 1 4 "$WARMUP" 2>&1) || true
    printf '%s\n' "$out" >"$RUN_DIR/$label-$pass-$name.warmup.txt"
    if grep -q 'BENCH_SAMPLE_ERROR|.*[Uu]nknown field' <<<"$out"; then
      RESULT[$key]=unavailable
      SAMPLE[$key]=$(sed -n 's/^BENCH_SAMPLE_ERROR|//p' <<<"$out" | head -n 1)
      log "$label pass $pass ${TITLE[$name]}: unavailable (${SAMPLE[$key]:0:160})"
      continue
    fi
    out=$(load "$name" "$THREADS" "$CONNECTIONS" "$DURATION" 2>&1) || true
    printf '%s\n' "$out" >"$RUN_DIR/$label-$pass-$name.txt"
    RESULT[$key]=$(sed -n 's/^BENCH_RESULT|//p' <<<"$out" | tail -n 1)
    SAMPLE[$key]=$(sed -n 's/^BENCH_SAMPLE_ERROR|//p' <<<"$out" | head -n 1)
    [ -n "${RESULT[$key]}" ] || { RESULT[$key]=failed; SAMPLE[$key]=$(tail -n 3 <<<"$out" | tr '\n' ' '); }
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during ${TITLE[$name]}: $(tail -n 5 "$RUN_DIR/server.log")"
    RSS_AFTER[$key]=$(rss_kb VmRSS)
    log "$label pass $pass ${TITLE[$name]}: $(cut -d'|' -f2 <<<"${RESULT[$key]}") req/s, p99 $(cut -d'|' -f5 <<<"${RESULT[$key]}") ms"
  done
  RSS_PEAK[$label:$pass]=$(rss_kb VmHWM)
  stop_server
}

for pass in $(seq 1 "$PASSES"); do
  for label in $LABELS; do
    run_pass "$label" "$pass"
  done
done
SIZE_AFTER=$(db_size)
WAL_NOTE=
if [ "$BACKEND" = sqlite ] && [ -f "$DB_FILE-wal" ]; then
  WAL_NOTE=" (of which WAL $(human_bytes "$(stat -c %s "$DB_FILE-wal")"))"
fi

# ---------------------------------------------------------------------------------------------
# The database's own limit (PostgreSQL): pgbench runs the SQL the current server sends for a queue
# page and for a tracking-code look-up, prepared, with the same threads and connections.
# ---------------------------------------------------------------------------------------------
declare -A PGBENCH
if [ "$BACKEND" = postgres ] && install_pkg pgbench postgresql-contrib; then
  # The reviewer's id from its token's subject: accounts.email is sealed, so it cannot be matched
  # in SQL.
  REVIEWER_ID=$(python3 -c 'import base64, json, sys
p = sys.argv[1].split(".")[1]
print(json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))["sub"])' "$TOKEN")
  [[ "$REVIEWER_ID" =~ ^[0-9]+$ ]] || die "no reviewer id in the token: $REVIEWER_ID"
  MAX_COMPLAINT=$(psql "$DATABASE_URL" -X -tAc "SELECT max(id) FROM complaints")
  cat >"$RUN_DIR/pgbench-queue.sql" <<SQL
SELECT * FROM accounts WHERE id = $REVIEWER_ID;
$Q_DEFAULT;
SQL
  cat >"$RUN_DIR/pgbench-tracking.sql" <<SQL
\set id random(1, $MAX_COMPLAINT)
SELECT c.*, k.status AS case_status FROM complaints c JOIN cases k ON k.id = c.case_id WHERE c.id = :id \gset
SELECT * FROM events WHERE (subject_type = 'complaint' AND subject_id = :id) OR (case_id = :case_id AND subject_type = 'case' AND case_status IS NOT NULL AND at >= :created_at) ORDER BY id;
SELECT * FROM messages WHERE case_id = :case_id AND (complaint_id IS NULL OR complaint_id = :id) ORDER BY id;
SQL
  # The replay must do the look-up's real work: how many timeline rows its events statement returns
  # per complaint (complaint events, and case status changes after it), over 1,000 complaints spread
  # through the table. A spelling that matches nothing shows here as 0 status changes.
  TIMELINE_ROWS=$(psql "$DATABASE_URL" -X -tA -F ' ' -c "
    SELECT round(avg(own), 2), round(avg(changes), 2)
    FROM (SELECT c.id,
                 (SELECT count(*) FROM events e WHERE e.subject_type = 'complaint' AND e.subject_id = c.id) AS own,
                 (SELECT count(*) FROM events e WHERE e.case_id = c.case_id AND e.subject_type = 'case'
                    AND e.case_status IS NOT NULL AND e.at >= c.created_at) AS changes
          FROM complaints c
          WHERE c.id IN (SELECT g * ($MAX_COMPLAINT / 1000) FROM generate_series(1, 1000) g)) s")
  read -r TIMELINE_OWN TIMELINE_CHANGES <<<"$TIMELINE_ROWS"
  log "look-up replay: $TIMELINE_OWN complaint events and $TIMELINE_CHANGES case status changes per timeline"
  awk -v n="$TIMELINE_CHANGES" 'BEGIN { exit !(n > 0) }' ||
    die "the look-up replay finds no case status change: its SQL no longer matches the stored values"
  for name in queue tracking; do
    log "pgbench: the $name SQL, $THREADS threads x $CONNECTIONS connections, $DURATION"
    out=$(pgbench -n -M prepared -j "$THREADS" -c "$CONNECTIONS" -T "${DURATION%s}" \
      -f "$RUN_DIR/pgbench-$name.sql" "$DATABASE_URL" 2>&1) || true
    printf '%s\n' "$out" >"$RUN_DIR/pgbench-$name.txt"
    PGBENCH[$name]=$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' <<<"$out" | head -n 1)
    failed=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' <<<"$out" | head -n 1)
    if ! awk -v t="${PGBENCH[$name]:-0}" 'BEGIN { exit !(t > 0) }' || [ "${failed:-0}" != 0 ]; then
      die "pgbench's $name replay did no work (tps ${PGBENCH[$name]:-none}, failed ${failed:-?}): $(tail -n 5 <<<"$out" | tr '\n' ' ')"
    fi
  done
fi

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { # label name field-number -> median over passes
  local pass r
  for pass in $(seq 1 "$PASSES"); do
    r=${RESULT[$1:$pass:$2]:-}
    case "$r" in unavailable | failed | "") ;; *) cut -d'|' -f"$3" <<<"$r" ;; esac
  done | median
}
{
  echo
  echo "laporlapak benchmark — $BACKEND, $COMPLAINTS complaints — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')${BASELINE:+, baseline $BASELINE_REV}, $(nproc) CPUs, load: $LOADGEN, $THREADS threads x $CONNECTIONS connections, $DURATION per scenario, $PASSES pass(es) per binary"
  echo
  echo "seed: $([ "$SEED_SECONDS" = reused ] && echo reused || echo "${SEED_SECONDS}s"); database: $(human_bytes "$SIZE_SEEDED") after seed, $(human_bytes "$SIZE_AFTER") after load$WAL_NOTE"
  echo "rate limits: ${BENCH_RATE_LIMITS:-true} (random X-Forwarded-For per public request)"
  [ "$BACKEND" = postgres ] && echo "PostgreSQL over loopback with sslmode=disable"
  for label in $LABELS; do
    for pass in $(seq 1 "$PASSES"); do
      echo "$label pass $pass: server RSS $(mib "${RSS_IDLE[$label:$pass]}") idle after start, peak $(mib "${RSS_PEAK[$label:$pass]}")$([ -n "${COLD_REPORT[$label:$pass]:-}" ] && echo "; first transparencyReport ${COLD_REPORT[$label:$pass]}s")"
    done
  done
  echo
  printf '%-30s %-9s %10s %10s %10s %10s %10s %8s %12s\n' scenario binary 'req/s' 'p50 ms' 'p90 ms' 'p99 ms' 'max ms' errors 'RSS after'
  for name in $SCENARIOS; do
    for label in $LABELS; do
      for pass in $(seq 1 "$PASSES"); do
        r=${RESULT[$label:$pass:$name]:-}
        case "$r" in
          unavailable | failed | "") printf '%-30s %-9s %s\n' "${TITLE[$name]}" "$label" "${r:-missing}" ;;
          *)
            IFS='|' read -r requests rps p50 p90 p99 max errors gql http sock <<<"$r"
            printf '%-30s %-9s %10s %10s %10s %10s %10s %8s %12s\n' "${TITLE[$name]}" "$label" "$rps" "$p50" "$p90" "$p99" "$max" "$errors" "$(mib "${RSS_AFTER[$label:$pass:$name]}")"
            ;;
        esac
      done
    done
  done
  echo
  echo "medians over passes (req/s, p99 ms)$([ -n "$BASELINE" ] && echo ' and current/baseline')"
  for name in $SCENARIOS; do
    line=$(printf '%-30s' "${TITLE[$name]}")
    for label in $LABELS; do
      line="$line $(printf '%-9s %9s %8s' "$label" "$(field "$label" "$name" 2)" "$(field "$label" "$name" 5)")"
    done
    if [ -n "$BASELINE" ]; then
      line="$line $(awk -v a="$(field baseline "$name" 2)" -v b="$(field current "$name" 2)" 'BEGIN { if (a > 0) printf "x%.2f", b / a }')"
    fi
    case "$name" in queue | tracking)
      if [ -n "${PGBENCH[$name]:-}" ]; then
        line="$line $(awk -v p="${PGBENCH[$name]}" -v b="$(field current "$name" 2)" 'BEGIN { printf "pgbench %.0f tps: %.0f%% of it", p, 100 * b / p }')"
      fi
      ;;
    esac
    echo "$line"
  done
  echo
  for key in "${!SAMPLE[@]}"; do
    [ -n "${SAMPLE[$key]}" ] && echo "$key first error: ${SAMPLE[$key]:0:300}"
  done
  [ -n "${TIMELINE_CHANGES:-}" ] && echo "look-up timelines (1,000 complaints): $TIMELINE_OWN complaint events and $TIMELINE_CHANGES case status changes each, on average"
  echo "query plans: $RUN_DIR/plans.txt; raw load-generator output: $RUN_DIR/*.txt; server log: $RUN_DIR/server.log"
} | tee "$RUN_DIR/results.txt"
}

main "$@"

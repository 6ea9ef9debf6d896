#!/usr/bin/env bash
# Schema compatibility (CHANGELOG.md, "Breaking-change policy"): the schema this build serves,
# compared with schema.graphql at the base commit. Fails on a change that breaks clients, unless the
# base schema deprecated the element with a removal date now past, and on a schema change that
# CHANGELOG.md does not record.
#
# The base: $SCHEMA_BASE_REF when set; on a branch, its merge-base with `main`; on `main`, the
# first parent of HEAD. Without one (the first commit, a shallow clone, no schema.graphql there
# yet) there is nothing to compare with, and the check says so and passes.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "schema-diff: $*"; }

if ! git rev-parse --git-dir >/dev/null 2>&1; then
  say "not a git checkout; nothing to compare with"
  exit 0
fi
head=$(git rev-parse HEAD)
base=${SCHEMA_BASE_REF:-}
if [ -z "$base" ]; then
  branch=$(git rev-parse --abbrev-ref HEAD)
  if [ "$branch" != main ] && git rev-parse -q --verify refs/heads/main >/dev/null; then
    base=$(git merge-base HEAD refs/heads/main || true)
  fi
  if [ -z "$base" ] || [ "$base" = "$head" ]; then
    base=$(git rev-parse -q --verify 'HEAD^1' || true)
  fi
fi
if [ -z "$base" ]; then
  say "HEAD has no parent (first commit or shallow clone); nothing to compare with"
  exit 0
fi
base=$(git rev-parse "$base")
if ! git cat-file -e "$base:schema.graphql" 2>/dev/null; then
  say "$(git rev-parse --short "$base") has no schema.graphql; nothing to compare with"
  exit 0
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
old="$dir/schema.graphql@$(git rev-parse --short "$base")"
git show "$base:schema.graphql" >"$old"
say "comparing with schema.graphql at $(git log -1 --format='%h (%s)' "$base")"

# The binary's own schema (a test keeps schema.graphql equal to it).
status=0
# SCHEMA_DIFF_TODAY=YYYY-MM-DD judges deprecation dates as on that day (to try the policy out).
cargo run --locked --quiet -- schema-diff "$old" ${SCHEMA_DIFF_TODAY:+--today "$SCHEMA_DIFF_TODAY"} 2>&1 |
  tee "$dir/report" || status=$?
if [ "$status" -ne 0 ]; then
  echo >&2
  echo "schema-diff: FAILED — the schema would break clients written against $(git rev-parse --short "$base")." >&2
  echo "schema-diff: rename by adding the new element and deprecating the old one with" >&2
  echo "schema-diff:   @deprecated(reason: \"Use \`new\`. Removal after YYYY-MM-DD.\")" >&2
  echo "schema-diff: then remove it after that date (see CHANGELOG.md)." >&2
  exit "$status"
fi
if grep -qE '^(allowed|dangerous|safe) ' "$dir/report" && git diff --quiet "$base" -- CHANGELOG.md; then
  say "FAILED — the schema changed but CHANGELOG.md did not: add a dated entry for the change." >&2
  exit 1
fi

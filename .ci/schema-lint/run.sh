#!/usr/bin/env bash
# Lints schema.graphql with graphql-schema-linter (pinned by package-lock.json), with the rules
# listed in .graphql-schema-linterrc: every type, field, argument, input field and enum value is
# described, deprecations give a reason, names follow GraphQL conventions, connections and PageInfo
# follow the Relay specification, every type defined is used. Left out, on purpose: the four
# "sorted alphabetically" rules (type fields, input fields, enum values, interface fields) — the
# schema lists fields in the order a reader needs them (`id` first, statuses in lifecycle order),
# async-graphql prints them in declaration order, and reordering would only churn schema.graphql.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
cd "$here"
npx --no-install graphql-schema-linter --config-directory "$here" ../../schema.graphql

// The GraphQL-over-HTTP reference audit (graphql-http's `auditServer`) against a running server:
// prints every result and exits non-zero on any error (a failed MUST) or warning (a failed SHOULD).
// Notices (failed MAYs) are printed but do not fail.
//
// usage: node audit.mjs http://127.0.0.1:8080/graphql

import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  const reason = result.status === 'ok' ? '' : ` (${result.reason})`;
  console.log(`${result.status.padEnd(6)} ${result.id} ${result.name}${reason}`);
}
console.log(
  `graphql-http audit: ${counts.ok} ok, ${counts.notice} notices, ${counts.warn} warnings, ${counts.error} errors`,
);
process.exit(counts.warn + counts.error === 0 ? 0 : 1);

-- Retention covers what a complaint's evidence leaves behind (issue 28 item 16): when a case has
-- been final for the retention period, its complaints' evidence file names are blanked, the
-- originals of files that have a redacted variant are dropped (the redacted variant stays), and
-- the seller identifiers read from the reporter's words go. `evidence_retained_at` says when that
-- was done for a complaint; `original_erased_at` when a blob's original bytes were dropped (its
-- `sha256` stays, as the record of what was received).
ALTER TABLE complaints ADD COLUMN evidence_retained_at TIMESTAMP;
ALTER TABLE evidence_blobs ADD COLUMN original_erased_at TIMESTAMP;

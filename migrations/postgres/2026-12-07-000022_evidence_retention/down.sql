ALTER TABLE evidence_blobs DROP COLUMN original_erased_at;
ALTER TABLE complaints DROP COLUMN evidence_retained_at;

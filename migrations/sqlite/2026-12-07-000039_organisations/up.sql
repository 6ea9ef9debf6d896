-- Organisations as trusted flaggers: an ADMIN registers an organisation (an UMKM association, a
-- brand owner, a consumer group) and its member accounts (citizen accounts, each in at most one
-- organisation). A member's named report carries the organisation (`complaints.organisation_id`)
-- and the priority boost its record earned when it was filed (`complaints.flagger_boost`); a case
-- keeps the largest boost of the complaints that still count (`cases.flagger_boost`). A
-- SUSPENDED or REVOKED organisation's members report as ordinary citizens. The bulk-intake limits
-- of each organisation live on its row: items per batch, batches per hour, bytes of a CSV file.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('UMKM_ASSOCIATION', 'BRAND_OWNER', 'CONSUMER_GROUP')),
    contact TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED')),
    status_reason TEXT,
    max_batch_items INTEGER NOT NULL DEFAULT 100 CHECK (max_batch_items BETWEEN 1 AND 100),
    batches_per_hour INTEGER NOT NULL DEFAULT 30 CHECK (batches_per_hour >= 1),
    max_csv_bytes INTEGER NOT NULL DEFAULT 1048576 CHECK (max_csv_bytes >= 1024),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (lower(name));

CREATE TABLE organisation_members (
    account_id BIGINT NOT NULL PRIMARY KEY REFERENCES accounts (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    added_by BIGINT REFERENCES accounts (id),
    added_at TIMESTAMP NOT NULL
);
CREATE INDEX organisation_members_organisation ON organisation_members (organisation_id);

ALTER TABLE complaints ADD COLUMN organisation_id BIGINT;
ALTER TABLE complaints ADD COLUMN flagger_boost INTEGER NOT NULL DEFAULT 0;
CREATE INDEX complaints_organisation ON complaints (organisation_id, id) WHERE organisation_id IS NOT NULL;
ALTER TABLE cases ADD COLUMN flagger_boost INTEGER NOT NULL DEFAULT 0;

-- Sellers across platforms (issue 17): the identifiers found in complaints (handles, phone
-- numbers, WhatsApp links) and entered by reviewers (bank accounts), the reviewers' decisions on
-- suggested links between cases, the seller a confirmed link makes, re-listings, and what a
-- takedown request tells its platform about the seller.

CREATE TABLE sellers (
    id INTEGER PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The confirmed seller of the case; its repeat-offender score (kept on every case of the seller,
-- for the queue's order and the priority boost); the earlier case whose removal it re-lists.
-- (No REFERENCES on added columns: SQLite cannot drop a foreign-key column in down.sql.)
ALTER TABLE cases ADD COLUMN seller_id INTEGER;
ALTER TABLE cases ADD COLUMN seller_score INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN relisted_from_id INTEGER;
CREATE INDEX cases_seller ON cases (seller_id, id) WHERE seller_id IS NOT NULL;
CREATE INDEX cases_relisted ON cases (created_at, platform_id) WHERE relisted_from_id IS NOT NULL;
-- The queue sorted by the seller's record, spelled like cases_queue.
CREATE INDEX cases_queue_seller_record ON cases (seller_score DESC, priority DESC, id)
    WHERE status IN ('OPEN', 'IN_REVIEW', 'AWAITING_INFO');

-- One row per identifier found in a complaint (or entered by a reviewer) of a case. `value` is the
-- normalised linking key: cases with the same value are suggested as one seller. `platform_id` is
-- the platform of the case it was found on: what decides which platform may see it.
CREATE TABLE seller_identifiers (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    complaint_id INTEGER REFERENCES complaints (id),
    platform_id INTEGER NOT NULL REFERENCES platforms (id),
    kind TEXT NOT NULL CHECK (kind IN ('HANDLE', 'PHONE', 'WHATSAPP', 'BANK_ACCOUNT')),
    value TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('LISTING_URL', 'ACCOUNT_HANDLE', 'DESCRIPTION', 'REPLY',
        'REVIEWER')),
    added_by INTEGER REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL
);
-- Each identifier once per case (its first sighting): a case reported ten thousand times from the
-- same shop has one row for the shop, not ten thousand.
CREATE UNIQUE INDEX seller_identifiers_case_value ON seller_identifiers (case_id, kind, value);
CREATE INDEX seller_identifiers_value ON seller_identifiers (value, case_id);

-- A reviewer's decision on a link between two cases (the lower id first): CONFIRMED puts both in
-- one seller; REJECTED keeps the pair from being suggested again.
CREATE TABLE seller_links (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    other_case_id INTEGER NOT NULL REFERENCES cases (id),
    decision TEXT NOT NULL CHECK (decision IN ('CONFIRMED', 'REJECTED')),
    decided_by INTEGER NOT NULL REFERENCES accounts (id),
    decided_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, other_case_id),
    CHECK (case_id < other_case_id)
);
CREATE INDEX seller_links_other ON seller_links (other_case_id);

-- A re-listing's takedown request names the request whose removal did not stick.
ALTER TABLE takedown_requests ADD COLUMN relisting_of_id INTEGER;
-- Re-listings are found from removals answered within the configured window.
CREATE INDEX takedown_requests_removed ON takedown_requests (responded_at)
    WHERE action = 'REMOVED';

-- What a takedown request told its platform about the seller, as sent: the identifiers found on
-- that platform, and those of other platforms a reviewer attached deliberately (`attached`).
CREATE TABLE takedown_identifiers (
    takedown_request_id INTEGER NOT NULL REFERENCES takedown_requests (id),
    kind TEXT NOT NULL CHECK (kind IN ('HANDLE', 'PHONE', 'WHATSAPP', 'BANK_ACCOUNT')),
    value TEXT NOT NULL,
    attached BOOLEAN NOT NULL,
    PRIMARY KEY (takedown_request_id, kind, value)
);

-- Complaint intake: cases (one per open platform target), complaints, evidence, keyword rules and
-- idempotency keys.

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    platform_id INTEGER NOT NULL REFERENCES platforms (id),
    category_id INTEGER NOT NULL REFERENCES categories (id),
    -- The canonical URL every complaint of this case points at.
    target TEXT NOT NULL,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('LISTING', 'ACCOUNT', 'OTHER')),
    status TEXT NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'IN_REVIEW', 'AWAITING_INFO',
        'FORWARDED', 'RESOLVED', 'PLATFORM_DECLINED', 'ESCALATED', 'REJECTED', 'CLOSED')),
    report_count INTEGER NOT NULL DEFAULT 0,
    umkm_report_count INTEGER NOT NULL DEFAULT 0,
    -- Matched keyword phrases, one per line, sorted.
    flags TEXT NOT NULL DEFAULT '',
    priority INTEGER NOT NULL DEFAULT 0,
    assignee_id INTEGER REFERENCES accounts (id),
    -- Bumped by every change: conditional updates compare it, and bumping it takes the row lock.
    version INTEGER NOT NULL DEFAULT 0,
    merged_into_id INTEGER REFERENCES cases (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- At most one non-final case per target: the loser of a race to open it gets a unique violation
-- and joins the winner's case.
CREATE UNIQUE INDEX cases_open_target ON cases (platform_id, target)
    WHERE status NOT IN ('REJECTED', 'RESOLVED', 'CLOSED');
CREATE INDEX cases_target ON cases (target);

CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    tracking_code TEXT NOT NULL UNIQUE,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    category_id INTEGER NOT NULL REFERENCES categories (id),
    platform_id INTEGER NOT NULL REFERENCES platforms (id),
    listing_url TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    account_handle TEXT,
    description TEXT NOT NULL,
    province TEXT,
    city TEXT,
    anonymous BOOLEAN NOT NULL,
    reporter_account_id INTEGER REFERENCES accounts (id),
    reporter_umkm BOOLEAN NOT NULL DEFAULT 0,
    contact_email TEXT,
    flags TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP
);
CREATE INDEX complaints_case ON complaints (case_id, id);
CREATE INDEX complaints_reporter ON complaints (reporter_account_id, id);

CREATE TABLE complaint_evidence (
    id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    url TEXT NOT NULL,
    added_at TIMESTAMP NOT NULL
);
CREATE INDEX complaint_evidence_complaint ON complaint_evidence (complaint_id, id);

-- Words sellers and creators use for banned goods; data an admin edits, not code.
CREATE TABLE keyword_rules (
    id INTEGER PRIMARY KEY,
    phrase TEXT NOT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
INSERT INTO keyword_rules (phrase) VALUES
    ('thrifting'), ('thrift'), ('hidden gem'), ('bal'), ('ball press'), ('preloved impor'),
    ('bekas impor'), ('second impor'), ('import bekas'), ('karungan'), ('bal press'),
    ('impor bekas'), ('second import');

-- A retried submission returns its first result. Keys are scoped to an account or a contact e-mail
-- and expire after 24 hours; the request hash tells a retry from a different request.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    joined_existing_case BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

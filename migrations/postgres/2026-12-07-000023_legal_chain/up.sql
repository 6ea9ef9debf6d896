-- The legal chain (issue 30): notices and Komdigi orders, recommendations, sanctions, objections.
--
-- * A takedown request is a NOTICE (the ministry to the platform, due after the platform's own
--   committed response time) or an ORDER (Komdigi's order letter, due 1x24 h or 4 h after receipt
--   under Permenkominfo 5/2020 Art. 14-15). Every request issued before this migration was a
--   notice. An order carries its letter's number, date (ISO yyyy-mm-dd) and the article it rests on.
-- * paused_at: an objection (sanggah) is pending since then; due_at moves on by the paused time
--   when it is rejected. withdrawn_at: an objection was upheld, the request no longer stands.
-- * categories.urgent_track: whether the 4-hour track may apply to the category's content (the
--   kinds the regulation lists: terrorism, child sexual abuse material, public order). None of
--   the seeded trade categories is of those kinds.
ALTER TABLE takedown_requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'NOTICE' CHECK (kind IN ('NOTICE', 'ORDER'));
ALTER TABLE takedown_requests ADD COLUMN order_number TEXT;
ALTER TABLE takedown_requests ADD COLUMN order_date TEXT;
ALTER TABLE takedown_requests ADD COLUMN order_article TEXT;
ALTER TABLE takedown_requests ADD COLUMN paused_at TIMESTAMP;
ALTER TABLE takedown_requests ADD COLUMN withdrawn_at TIMESTAMP;
CREATE INDEX takedown_requests_kind_issued ON takedown_requests (kind, issued_at, id);

ALTER TABLE categories ADD COLUMN urgent_track BOOLEAN NOT NULL DEFAULT FALSE;

-- accounts.role gains REGULATOR (Komdigi's officers).
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check
    CHECK (role IN ('CITIZEN', 'REVIEWER', 'PLATFORM', 'ADMIN', 'REGULATOR'));

-- A reviewer's recommendation to Komdigi to order access terminated, for one case or a batch;
-- Komdigi's officer (REGULATOR) orders (ORDERED, one ORDER request per case) or declines.
CREATE TABLE recommendations (
    id BIGSERIAL PRIMARY KEY,
    letter_number TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    reasons TEXT NOT NULL,
    urgency TEXT NOT NULL CHECK (urgency IN ('NORMAL', 'URGENT')),
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'ORDERED', 'DECLINED')),
    created_by BIGINT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    decided_by BIGINT REFERENCES accounts (id),
    decided_at TIMESTAMP,
    decision_reasons TEXT
);
CREATE INDEX recommendations_status ON recommendations (status, id);

CREATE TABLE recommendation_cases (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id),
    case_id BIGINT NOT NULL REFERENCES cases (id),
    takedown_request_id BIGINT REFERENCES takedown_requests (id),
    PRIMARY KEY (recommendation_id, case_id)
);
CREATE INDEX recommendation_cases_case ON recommendation_cases (case_id);

-- The evidence (URLs of the case's complaints) the reviewer lets the regulator see.
CREATE TABLE recommendation_evidence (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id),
    case_id BIGINT NOT NULL REFERENCES cases (id),
    url TEXT NOT NULL,
    PRIMARY KEY (recommendation_id, case_id, url)
);

-- Komdigi's administrative sanctions against a platform, a ladder of letters.
CREATE TABLE sanctions (
    id BIGSERIAL PRIMARY KEY,
    platform_id BIGINT NOT NULL REFERENCES platforms (id),
    step TEXT NOT NULL CHECK (step IN ('WRITTEN_WARNING_1', 'WRITTEN_WARNING_2', 'WRITTEN_WARNING_3', 'FINE', 'ACCESS_BLOCKING')),
    letter_number TEXT NOT NULL,
    letter_date TEXT NOT NULL,
    reasons TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES accounts (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX sanctions_platform ON sanctions (platform_id, recorded_at);

CREATE TABLE sanction_orders (
    sanction_id BIGINT NOT NULL REFERENCES sanctions (id),
    takedown_request_id BIGINT NOT NULL REFERENCES takedown_requests (id),
    PRIMARY KEY (sanction_id, takedown_request_id)
);

-- A platform's objection (sanggah) to a request, decided by the regulator (orders) or a reviewer
-- (notices). At most one pending per request (the service checks paused_at).
CREATE TABLE objections (
    id BIGSERIAL PRIMARY KEY,
    takedown_request_id BIGINT NOT NULL REFERENCES takedown_requests (id),
    reasons TEXT NOT NULL,
    filed_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'UPHELD', 'REJECTED')),
    decided_by BIGINT REFERENCES accounts (id),
    decided_at TIMESTAMP,
    decision_reasons TEXT
);
CREATE INDEX objections_request ON objections (takedown_request_id, id);
CREATE INDEX objections_status ON objections (status, id);

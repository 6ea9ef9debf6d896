-- Foundation: reference data (platforms, categories), accounts and the append-only audit trail.
-- Timestamps are UTC, stored as TEXT by diesel's Timestamp mapping for SQLite.

CREATE TABLE platforms (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    response_hours INTEGER NOT NULL DEFAULT 24 CHECK (response_hours BETWEEN 1 AND 720),
    urgent_response_hours INTEGER NOT NULL DEFAULT 4 CHECK (urgent_response_hours BETWEEN 1 AND 720),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

-- A host belongs to exactly one platform, so a URL can never be claimed by two.
CREATE TABLE platform_hosts (
    host TEXT PRIMARY KEY NOT NULL,
    platform_id INTEGER NOT NULL REFERENCES platforms (id)
);
CREATE INDEX platform_hosts_platform ON platform_hosts (platform_id);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label_id TEXT NOT NULL,
    label_en TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5),
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('CITIZEN', 'REVIEWER', 'PLATFORM', 'ADMIN')),
    platform_id INTEGER REFERENCES platforms (id),
    umkm_nib TEXT,
    umkm_business_name TEXT,
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP,
    CHECK ((role = 'PLATFORM') = (platform_id IS NOT NULL)),
    CHECK ((umkm_nib IS NULL) = (umkm_business_name IS NULL))
);

-- Append-only audit trail: the triggers below refuse every UPDATE and DELETE.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_account_id INTEGER REFERENCES accounts (id),
    actor_role TEXT,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    case_id INTEGER,
    -- The case's status after this event, for events that change it: the public timeline.
    case_status TEXT,
    details TEXT
);
CREATE INDEX events_case ON events (case_id, id);
CREATE INDEX events_subject ON events (subject_type, subject_id, id);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- One row, written first in every write transaction so that SQLite takes its write lock up front
-- (the equivalent of BEGIN IMMEDIATE) instead of failing a deferred read-then-write with SQLITE_BUSY.
CREATE TABLE write_gate (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO write_gate (id, n) VALUES (1, 0);

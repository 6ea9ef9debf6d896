-- Foundation: reference data (platforms, categories), accounts and the append-only audit trail.
-- Timestamps are UTC in `timestamp` columns (no time zone: the application only ever writes UTC).

CREATE TABLE platforms (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    response_hours INTEGER NOT NULL DEFAULT 24 CHECK (response_hours BETWEEN 1 AND 720),
    urgent_response_hours INTEGER NOT NULL DEFAULT 4 CHECK (urgent_response_hours BETWEEN 1 AND 720),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

-- A host belongs to exactly one platform, so a URL can never be claimed by two.
CREATE TABLE platform_hosts (
    host TEXT PRIMARY KEY NOT NULL,
    platform_id BIGINT NOT NULL REFERENCES platforms (id)
);
CREATE INDEX platform_hosts_platform ON platform_hosts (platform_id);

CREATE TABLE categories (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label_id TEXT NOT NULL,
    label_en TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5),
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('CITIZEN', 'REVIEWER', 'PLATFORM', 'ADMIN')),
    platform_id BIGINT REFERENCES platforms (id),
    umkm_nib TEXT,
    umkm_business_name TEXT,
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP,
    CHECK ((role = 'PLATFORM') = (platform_id IS NOT NULL)),
    CHECK ((umkm_nib IS NULL) = (umkm_business_name IS NULL))
);

-- Append-only audit trail: the trigger below refuses every UPDATE and DELETE.
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_account_id BIGINT REFERENCES accounts (id),
    actor_role TEXT,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    case_id BIGINT,
    -- The case's status after this event, for events that change it: the public timeline.
    case_status TEXT,
    details TEXT
);
CREATE INDEX events_case ON events (case_id, id);
CREATE INDEX events_subject ON events (subject_type, subject_id, id);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();

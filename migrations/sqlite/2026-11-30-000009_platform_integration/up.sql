-- Platform integration: API clients (OAuth 2.0 client credentials) acting for one platform, signed
-- webhooks delivered from a transactional outbox, and the takedown-request columns that serve the
-- changes feed and the reminder and overdue events.

CREATE TABLE api_clients (
    id INTEGER PRIMARY KEY,
    -- The public identifier a client presents (`client_id` of RFC 6749), e.g. `llc_…`.
    client_id TEXT NOT NULL UNIQUE,
    platform_id INTEGER NOT NULL REFERENCES platforms (id),
    name TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    -- When the client last obtained an access token.
    last_used_at TIMESTAMP
);
CREATE INDEX api_clients_platform ON api_clients (platform_id, id);

-- A client's secrets: SHA-256 of each (the secrets are 256-bit random, so a fast hash suffices);
-- two are live between a rotation and the revocation of the old one.
CREATE TABLE api_client_secrets (
    id INTEGER PRIMARY KEY,
    api_client_id INTEGER NOT NULL REFERENCES api_clients (id),
    secret_hash TEXT NOT NULL,
    -- The secret's last four characters, so an operator can tell secrets apart.
    hint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_client_secrets_client ON api_client_secrets (api_client_id, id);

-- An event done by an API client names it (actor_account_id is then NULL, actor_role PLATFORM).
ALTER TABLE events ADD COLUMN actor_api_client_id INTEGER REFERENCES api_clients (id);

CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY,
    platform_id INTEGER NOT NULL REFERENCES platforms (id),
    url TEXT NOT NULL,
    -- The signing secret (`whsec_…`); the server needs it to sign, so it cannot be a hash.
    secret TEXT NOT NULL,
    description TEXT,
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP
);
CREATE INDEX webhook_endpoints_platform ON webhook_endpoints (platform_id, id);

-- The outbox: one row per event, written in the transaction of the change that causes it.
CREATE TABLE webhook_messages (
    id INTEGER PRIMARY KEY,
    -- `webhook-id`: the same for every attempt and every endpoint, so receivers can deduplicate.
    message_id TEXT NOT NULL UNIQUE,
    platform_id INTEGER NOT NULL REFERENCES platforms (id),
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_message_id INTEGER NOT NULL REFERENCES webhook_messages (id),
    endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id),
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A replica working on the delivery holds it until then; a crash lets it lapse.
    lease_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    last_status_code INTEGER,
    last_error TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id),
    at TIMESTAMP NOT NULL,
    duration_ms INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    -- At most 1 KiB of the receiver's answer.
    response_excerpt TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- The changes feed (`takedownRequests(updatedSince:)`) and the reminder and overdue events.
-- SQLite cannot add a NOT NULL column without a default: the epoch, overwritten at once.
ALTER TABLE takedown_requests ADD COLUMN updated_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE takedown_requests SET updated_at = COALESCE(responded_at, acknowledged_at, issued_at);
-- Half-way to the deadline: when the reminder is due (NULL for requests issued before reminders).
ALTER TABLE takedown_requests ADD COLUMN remind_at TIMESTAMP;
ALTER TABLE takedown_requests ADD COLUMN reminder_sent_at TIMESTAMP;
ALTER TABLE takedown_requests ADD COLUMN overdue_sent_at TIMESTAMP;
CREATE INDEX takedown_requests_platform_updated ON takedown_requests (platform_id, updated_at, id);
CREATE INDEX takedown_requests_updated ON takedown_requests (updated_at, id);
CREATE INDEX takedown_requests_reminder_due ON takedown_requests (remind_at, id)
    WHERE responded_at IS NULL AND reminder_sent_at IS NULL;
CREATE INDEX takedown_requests_overdue_due ON takedown_requests (due_at, id)
    WHERE responded_at IS NULL AND overdue_sent_at IS NULL;

-- A webhook endpoint's signing secret can be rotated (`rotateWebhookSecret`): the secret it
-- replaced keeps signing beside the new one until `previous_secret_until`, so that a receiver can
-- switch without losing a delivery (Standard Webhooks: several `v1,…` entries in
-- `webhook-signature`). Both NULL when there is no overlap.
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret TEXT;
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_until TIMESTAMP;

-- The write `/readyz` tries while writes have been failing for lack of space: a row big enough
-- to need new pages, written and deleted in one transaction. Empty between probes.
CREATE TABLE write_probes (
    id BIGSERIAL PRIMARY KEY,
    payload TEXT NOT NULL
);
-- Stored out of line and uncompressed, so that a probe really needs the space it claims.
ALTER TABLE write_probes ALTER COLUMN payload SET STORAGE EXTERNAL;

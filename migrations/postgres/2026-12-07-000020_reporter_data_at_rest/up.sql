-- Reporter data at rest (issue 28, items 4 and 6).
--
-- Tracking codes are no longer stored: a complaint keeps an HMAC-SHA-256 of its code
-- (`tracking_code_hash`, hex) under the tracking-code index key, and a look-up hashes the code it
-- is given. The column is renamed with its values, which stay in clear until the first start of
-- this version hashes them (`service::privacy::keys`, which runs at every start); until then a
-- look-up also matches a stored clear code.
ALTER TABLE complaints RENAME COLUMN tracking_code TO tracking_code_hash;

-- The index keys: random 256-bit keys, stored sealed under the data key (`vault::Field::IndexKey`)
-- so that a key rotation re-seals this row and the hashes made with it stay valid. One row,
-- `tracking_code`, made by the first start.
CREATE TABLE index_keys (
    name TEXT PRIMARY KEY NOT NULL,
    sealed_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- The tracking code a submission issued, sealed, kept with its idempotency key only while that key
-- lives (24 hours): a replay of the same submission by the same caller shows it again.
ALTER TABLE idempotency_keys ADD COLUMN tracking_code TEXT;

-- complaint_files.file_name holds the name sealed (`vault::Field::FileName`) from now on; names
-- stored in clear are sealed by the first start of this version, like every sealed column.

-- Identifiers taken from replies to information requests: a reply is the reporter's own voice, and
-- a number in it ("hubungi saya di 0813…") may be the reporter's. From now on only the text a
-- reporter marks as the seller's (`sellerDetails`) is read; what was read from replies before is
-- removed, since nothing tells a seller's number from the reporter's.
DELETE FROM seller_identifiers WHERE source = 'REPLY';

-- Evidence files. One blob row per distinct content (SHA-256 of the original bytes), stored once
-- however many reports carry it; one complaint_files row per upload into a complaint, written in
-- the same transaction as the complaint or reply that carries it (the chain of custody: who, when,
-- which bytes). The bytes themselves live in the configured store under their hash.

CREATE TABLE evidence_blobs (
    id BIGSERIAL PRIMARY KEY,
    -- Hex SHA-256 of the original bytes, as received.
    sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size BIGINT NOT NULL CHECK (size > 0),
    -- Decided from the bytes (magic numbers), never from the name or the client's content type.
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp',
        'image/heic', 'application/pdf', 'video/mp4')),
    -- The derivative with EXIF, XMP and IPTC removed (JPEG, PNG and WebP); null for other types,
    -- which platforms then never receive.
    redacted_sha256 TEXT CHECK (redacted_sha256 IS NULL OR length(redacted_sha256) = 64),
    redacted_size BIGINT,
    created_at TIMESTAMP NOT NULL,
    CHECK ((redacted_sha256 IS NULL) = (redacted_size IS NULL))
);

CREATE TABLE complaint_files (
    id BIGSERIAL PRIMARY KEY,
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    blob_id BIGINT NOT NULL REFERENCES evidence_blobs (id),
    -- The name the client gave, cut to 255 characters; shown to the reporter and staff only.
    file_name TEXT NOT NULL,
    -- Null: uploaded without an account ("anonymous").
    uploader_account_id BIGINT REFERENCES accounts (id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX complaint_files_complaint ON complaint_files (complaint_id, id);
CREATE INDEX complaint_files_blob ON complaint_files (blob_id);

-- The audit trail as a hash chain (docs/audit-log.md). Events stay as they are written (the hot
-- path is untouched); a single sealer, in the worker loop of whichever replica holds the chain
-- head's row lock, gives committed events their place in the chain within seconds. Each day's
-- head is signed with an Ed25519 key derived from the data key.

-- One row per sealed event, in chain order. `salt` keeps the commitment to the private part of
-- the event (actor ids, details) from being guessed; `private_sha256` is that commitment, kept so
-- the chain still verifies if those fields are ever lawfully erased.
CREATE TABLE audit_chain (
    position BIGINT PRIMARY KEY,
    event_id BIGINT NOT NULL UNIQUE,
    sealed_at TIMESTAMP NOT NULL,
    salt TEXT NOT NULL,
    private_sha256 TEXT NOT NULL,
    leaf_hash TEXT NOT NULL,
    chain_hash TEXT NOT NULL
);
CREATE INDEX audit_chain_sealed_at ON audit_chain (sealed_at, position);

-- The chain's head: one row, locked by the sealer (FOR UPDATE SKIP LOCKED: one replica seals).
CREATE TABLE audit_chain_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    position BIGINT NOT NULL,
    chain_hash TEXT NOT NULL,
    max_event_id BIGINT NOT NULL
);
INSERT INTO audit_chain_head (id, position, chain_hash, max_event_id)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- One signed head per UTC day that sealed at least one event.
CREATE TABLE audit_heads (
    day TEXT PRIMARY KEY,
    first_position BIGINT NOT NULL,
    tree_size BIGINT NOT NULL,
    tree_root TEXT NOT NULL,
    previous_chain_hash TEXT NOT NULL,
    chain_hash TEXT NOT NULL,
    key_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature TEXT NOT NULL,
    signed_at TIMESTAMP NOT NULL
);

CREATE FUNCTION audit_chain_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit chain is append-only';
END;
$$;
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_chain_append_only();
CREATE TRIGGER audit_heads_append_only BEFORE UPDATE OR DELETE ON audit_heads
    FOR EACH ROW EXECUTE FUNCTION audit_chain_append_only();

-- The watchlist feed for platforms (`watchlist(since:)`): a log of changes, each row one version
-- (its id). A keyword rule's change concerns every platform (`platform_id` NULL); a handle of a
-- confirmed seller (a case of a seller a reviewer confirmed) concerns only the platform it was
-- found on. Never a reporter, never another platform's identifier. Seeded with the active rules
-- and the handles of the sellers confirmed so far.
CREATE TABLE watchlist_entries (
    id BIGSERIAL PRIMARY KEY,
    platform_id BIGINT REFERENCES platforms (id),
    kind TEXT NOT NULL CHECK (kind IN ('KEYWORD_RULE', 'SELLER_HANDLE')),
    change TEXT NOT NULL CHECK (change IN ('LISTED', 'CHANGED', 'DELISTED')),
    value TEXT NOT NULL,
    keyword_rule_id BIGINT REFERENCES keyword_rules (id),
    weight INTEGER,
    seller_id BIGINT REFERENCES sellers (id),
    at TIMESTAMP NOT NULL,
    CHECK ((kind = 'KEYWORD_RULE') = (platform_id IS NULL))
);
CREATE INDEX watchlist_entries_platform ON watchlist_entries (platform_id, id);
CREATE INDEX watchlist_entries_value ON watchlist_entries (platform_id, value) WHERE kind = 'SELLER_HANDLE';

INSERT INTO watchlist_entries (platform_id, kind, change, value, keyword_rule_id, weight, at)
SELECT NULL, 'KEYWORD_RULE', 'LISTED', phrase, id, weight, updated_at FROM keyword_rules WHERE active ORDER BY id;

INSERT INTO watchlist_entries (platform_id, kind, change, value, seller_id, at)
SELECT i.platform_id, 'SELLER_HANDLE', 'LISTED', i.value, MIN(c.seller_id), MIN(i.created_at)
FROM seller_identifiers i JOIN cases c ON c.id = i.case_id
WHERE c.seller_id IS NOT NULL AND i.kind = 'HANDLE' AND i.source IN ('LISTING_URL', 'ACCOUNT_HANDLE')
GROUP BY i.platform_id, i.value
ORDER BY MIN(i.created_at);

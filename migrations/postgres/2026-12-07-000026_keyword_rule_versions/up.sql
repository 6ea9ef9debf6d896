-- Keyword rules become editable through the API (`addKeywordRule`, `updateKeywordRule`,
-- `retireKeywordRule`): each rule gains the language it is written in (informative), the category
-- it is limited to (none: every category), a weight (1–4, what its match adds to the flags term
-- of a case's priority) and a version, bumped by every change. Every version of every rule is
-- kept in `keyword_rule_versions`, the change log staff read (`keywordRuleChanges`); the rows the
-- seed inserted are their version 1.
ALTER TABLE keyword_rules ADD COLUMN language TEXT CHECK (language IN ('id', 'en'));
ALTER TABLE keyword_rules ADD COLUMN category_id BIGINT REFERENCES categories (id);
ALTER TABLE keyword_rules ADD COLUMN weight INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 4);
ALTER TABLE keyword_rules ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE keyword_rules ADD COLUMN updated_at TIMESTAMP;
UPDATE keyword_rules SET updated_at = created_at;
ALTER TABLE keyword_rules ALTER COLUMN updated_at SET NOT NULL;

CREATE TABLE keyword_rule_versions (
    id BIGSERIAL PRIMARY KEY,
    rule_id BIGINT NOT NULL REFERENCES keyword_rules (id),
    version INTEGER NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('ADDED', 'CHANGED', 'RETIRED', 'RESTORED')),
    phrase TEXT NOT NULL,
    language TEXT,
    category_id BIGINT,
    weight INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    -- NULL for the rules the migrations seeded.
    changed_by BIGINT REFERENCES accounts (id),
    changed_at TIMESTAMP NOT NULL,
    UNIQUE (rule_id, version)
);
INSERT INTO keyword_rule_versions
    (rule_id, version, change, phrase, language, category_id, weight, active, changed_by, changed_at)
SELECT id, 1, 'ADDED', phrase, NULL, NULL, 1, active, NULL, created_at
FROM keyword_rules ORDER BY id;

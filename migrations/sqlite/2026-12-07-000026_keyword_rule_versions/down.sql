DROP TABLE keyword_rule_versions;
ALTER TABLE keyword_rules DROP COLUMN updated_at;
ALTER TABLE keyword_rules DROP COLUMN version;
ALTER TABLE keyword_rules DROP COLUMN weight;
ALTER TABLE keyword_rules DROP COLUMN category_id;
ALTER TABLE keyword_rules DROP COLUMN language;

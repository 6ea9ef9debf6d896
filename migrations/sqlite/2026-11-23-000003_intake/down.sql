DROP TABLE idempotency_keys;
DROP TABLE keyword_rules;
DROP TABLE complaint_evidence;
DROP TABLE complaints;
DROP TABLE cases;

DROP TABLE mail_outbox;
ALTER TABLE cases DROP COLUMN reply_reminded;
ALTER TABLE accounts DROP COLUMN mail_language;
ALTER TABLE accounts DROP COLUMN mail_consent_version;
ALTER TABLE complaints DROP COLUMN mail_language;
ALTER TABLE complaints DROP COLUMN mail_consent_version;

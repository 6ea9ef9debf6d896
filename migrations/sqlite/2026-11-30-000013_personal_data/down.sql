DROP INDEX events_subject_action;
ALTER TABLE complaints DROP COLUMN personal_data_erased_at;
DROP INDEX accounts_email_index;
ALTER TABLE accounts DROP COLUMN erased_at;
ALTER TABLE accounts DROP COLUMN privacy_accepted_at;
ALTER TABLE accounts DROP COLUMN privacy_notice_version;
ALTER TABLE accounts DROP COLUMN email_index;

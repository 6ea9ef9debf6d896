-- Personal data protection (UU 27/2022 PDP).
-- * The identifying columns (accounts.email, display_name, umkm_nib, umkm_business_name,
--   complaints.contact_email, messages.body) now hold values sealed with the data key; the first
--   start of this version seals the rows written before it (see src/vault.rs).
-- * Sign-in and uniqueness use email_index, a keyed hash of the normalised e-mail; an erased
--   account keeps none.
-- * An account records the privacy notice it accepted, and when it was erased.
-- * A complaint records when its link to a person was erased (by its reporter or by retention).
ALTER TABLE accounts ADD COLUMN email_index TEXT;
ALTER TABLE accounts ADD COLUMN privacy_notice_version TEXT;
ALTER TABLE accounts ADD COLUMN privacy_accepted_at TIMESTAMP;
ALTER TABLE accounts ADD COLUMN erased_at TIMESTAMP;
CREATE UNIQUE INDEX accounts_email_index ON accounts (email_index);

ALTER TABLE complaints ADD COLUMN personal_data_erased_at TIMESTAMP;

-- The access log a citizen reads in myData: events about the account, by kind.
CREATE INDEX events_subject_action ON events (subject_type, subject_id, action, id);

ALTER TABLE cases DROP COLUMN flagger_boost;
DROP INDEX complaints_organisation;
ALTER TABLE complaints DROP COLUMN flagger_boost;
ALTER TABLE complaints DROP COLUMN organisation_id;
DROP TABLE organisation_members;
DROP TABLE organisations;

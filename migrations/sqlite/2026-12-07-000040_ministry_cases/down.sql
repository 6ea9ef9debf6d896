DROP INDEX complaints_ministry;
ALTER TABLE cases DROP COLUMN source;
ALTER TABLE complaints DROP COLUMN source;

ALTER TABLE cases DROP COLUMN rejection_message;
ALTER TABLE cases DROP COLUMN rejection_reason;

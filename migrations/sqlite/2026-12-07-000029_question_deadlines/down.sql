DROP INDEX cases_reply_due;
ALTER TABLE cases DROP COLUMN closed_for_no_reply;
ALTER TABLE cases DROP COLUMN reply_due_at;

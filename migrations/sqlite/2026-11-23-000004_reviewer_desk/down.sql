DROP TABLE messages;
DROP TABLE takedown_requests;
DROP INDEX cases_overdue;
DROP INDEX cases_platform_status;
DROP INDEX cases_assignee;
DROP INDEX cases_status_priority;
DROP INDEX cases_queue;
ALTER TABLE cases DROP COLUMN takedown_due_at;
ALTER TABLE cases DROP COLUMN escalated_to;

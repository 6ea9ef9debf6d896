DROP INDEX cases_overdue_priority;
DROP INDEX cases_created;
DROP INDEX complaints_created;
DROP INDEX takedown_requests_issued;

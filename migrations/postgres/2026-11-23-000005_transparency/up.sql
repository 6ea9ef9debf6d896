-- Transparency report: its date ranges read these.
CREATE INDEX takedown_requests_issued ON takedown_requests (issued_at);
CREATE INDEX complaints_created ON complaints (created_at);
CREATE INDEX cases_created ON cases (created_at);
-- The overdue queue: cases with an unanswered takedown request, read in queue order.
CREATE INDEX cases_overdue_priority ON cases (priority DESC, id) WHERE takedown_due_at IS NOT NULL;

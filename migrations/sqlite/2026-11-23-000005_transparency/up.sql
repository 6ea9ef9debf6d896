-- Transparency report: its date ranges read these.
CREATE INDEX takedown_requests_issued ON takedown_requests (issued_at);
CREATE INDEX complaints_created ON complaints (created_at);
CREATE INDEX cases_created ON cases (created_at);

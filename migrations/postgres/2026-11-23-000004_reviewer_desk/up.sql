-- Reviewer desk: takedown requests with deadlines, the information loop, escalations, and the
-- indexes that serve the review queue.

ALTER TABLE cases ADD COLUMN escalated_to TEXT;
-- Due time of the case's unanswered takedown request, if any: what the `overdue` filter reads.
ALTER TABLE cases ADD COLUMN takedown_due_at TIMESTAMP;

-- The default queue (OPEN, IN_REVIEW, AWAITING_INFO by priority, oldest first) reads this index in
-- order; other status filters use cases_status_priority.
CREATE INDEX cases_queue ON cases (priority DESC, id)
    WHERE status IN ('OPEN', 'IN_REVIEW', 'AWAITING_INFO');
CREATE INDEX cases_status_priority ON cases (status, priority DESC, id);
CREATE INDEX cases_assignee ON cases (assignee_id, status, priority DESC, id);
CREATE INDEX cases_platform_status ON cases (platform_id, status, priority DESC, id);
CREATE INDEX cases_overdue ON cases (takedown_due_at) WHERE takedown_due_at IS NOT NULL;

CREATE TABLE takedown_requests (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    platform_id BIGINT NOT NULL REFERENCES platforms (id),
    legal_basis TEXT NOT NULL,
    urgency TEXT NOT NULL CHECK (urgency IN ('NORMAL', 'URGENT')),
    note TEXT,
    status TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'ACKNOWLEDGED', 'ANSWERED')),
    issued_by BIGINT NOT NULL REFERENCES accounts (id),
    issued_at TIMESTAMP NOT NULL,
    due_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    responded_at TIMESTAMP,
    action TEXT CHECK (action IN ('REMOVED', 'RESTRICTED', 'GEO_BLOCKED', 'DECLINED', 'NEEDS_MORE_INFO')),
    statement_of_reasons TEXT,
    acted_at TIMESTAMP
);
CREATE INDEX takedown_requests_case ON takedown_requests (case_id, id);
CREATE INDEX takedown_requests_platform_due ON takedown_requests (platform_id, status, due_at, id);
CREATE INDEX takedown_requests_due ON takedown_requests (status, due_at, id);

-- Information requests from a reviewer to a case's reporters (complaint_id NULL: addressed to all
-- of them) and each reporter's replies (complaint_id set).
CREATE TABLE messages (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    complaint_id BIGINT REFERENCES complaints (id),
    author TEXT NOT NULL CHECK (author IN ('REVIEWER', 'REPORTER')),
    author_account_id BIGINT REFERENCES accounts (id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX messages_case ON messages (case_id, id);
CREATE INDEX messages_complaint ON messages (complaint_id, id);

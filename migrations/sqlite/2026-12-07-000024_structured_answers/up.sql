-- Structured answers (issue 30, items 4 and 5): the history of a platform's answers to a takedown
-- request — the answer itself, then any later reinstatement or end of a restriction — each in the
-- shape of the DSA Transparency Database's statement of reasons: what was acted on (content or the
-- account), the decision (with the territory of a geo-block, the end of a suspension), the ground
-- (illegal under the cited law, or the platform's own terms) and its reference, whether detection
-- and decision were automated, the platform's own reference, the free-text reasons.
-- takedown_requests keeps the coarse action (REMOVED, RESTRICTED, …) that the case, the counters
-- and older clients read.
CREATE TABLE takedown_answers (
    id INTEGER PRIMARY KEY,
    takedown_request_id INTEGER NOT NULL REFERENCES takedown_requests (id),
    kind TEXT NOT NULL CHECK (kind IN ('ANSWER', 'REINSTATEMENT', 'RESTRICTION_ENDED')),
    decision TEXT CHECK (decision IN ('REMOVED', 'DISABLED', 'RESTRICTED', 'GEO_BLOCKED',
        'ACCOUNT_SUSPENDED', 'ACCOUNT_TERMINATED', 'DECLINED', 'NEEDS_MORE_INFO')),
    acted_on TEXT CHECK (acted_on IN ('CONTENT', 'ACCOUNT')),
    ground TEXT CHECK (ground IN ('ILLEGAL_CONTENT', 'INCOMPATIBLE_WITH_TERMS')),
    ground_reference TEXT,
    territory TEXT,
    suspended_until TIMESTAMP,
    automated_detection BOOLEAN,
    automated_decision BOOLEAN,
    platform_reference TEXT,
    statement_of_reasons TEXT NOT NULL,
    -- When it took effect: the platform's actedAt, reinstatedAt or endedAt.
    effective_at TIMESTAMP NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'ANSWER') = (decision IS NOT NULL))
);
CREATE INDEX takedown_answers_request ON takedown_answers (takedown_request_id, id);
-- One answer per request, and at most one later change (a reinstatement or the end of a
-- restriction): the unique indexes decide between two simultaneous reports.
CREATE UNIQUE INDEX takedown_answers_one_answer ON takedown_answers (takedown_request_id)
    WHERE kind = 'ANSWER';
CREATE UNIQUE INDEX takedown_answers_one_change ON takedown_answers (takedown_request_id)
    WHERE kind <> 'ANSWER';

-- The answers recorded before: their decision is their action, nothing else is known.
INSERT INTO takedown_answers (takedown_request_id, kind, decision, statement_of_reasons,
    effective_at, recorded_at)
SELECT id, 'ANSWER', action, COALESCE(statement_of_reasons, ''), COALESCE(acted_at, responded_at, updated_at),
    COALESCE(responded_at, updated_at)
FROM takedown_requests
WHERE action IS NOT NULL
ORDER BY id;

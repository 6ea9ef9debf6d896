-- Appeals against a rejection (`appealRejection`, `appealRejectionByTrackingCode`): a reporter
-- may appeal once per complaint, within 30 days of the rejection, with a text (sealed with the
-- data key, like replies); a reviewer other than the one who rejected (`rejected_by`) decides
-- (`decideAppeal`): UPHELD keeps the case REJECTED, GRANTED puts it back in the queue. The
-- decision's reason is written for the reporters, who read it with the appeal's status.
CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    complaint_id BIGINT NOT NULL UNIQUE REFERENCES complaints (id),
    body TEXT NOT NULL,
    rejected_by BIGINT REFERENCES accounts (id),
    filed_at TIMESTAMP NOT NULL,
    decision TEXT CHECK (decision IN ('UPHELD', 'GRANTED')),
    decision_reason TEXT,
    decided_by BIGINT REFERENCES accounts (id),
    decided_at TIMESTAMP,
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX appeals_case ON appeals (case_id);
CREATE INDEX appeals_pending ON appeals (filed_at, id) WHERE decision IS NULL;

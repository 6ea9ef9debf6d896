-- A reviewer's question (`requestInformation`) has a deadline: `reply_due_at` is set when the
-- case goes to AWAITING_INFO (now + LAPORLAPAK_INFORMATION_REPLY_DAYS, 14 by default) and cleared
-- when it leaves. At the deadline the server closes the case as "no reply"
-- (`closed_for_no_reply`), and a reporter's reply after it reopens the case for review.
ALTER TABLE cases ADD COLUMN reply_due_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN closed_for_no_reply BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX cases_reply_due ON cases (reply_due_at) WHERE reply_due_at IS NOT NULL;

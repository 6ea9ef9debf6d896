-- Notifications by e-mail (issue 31). A reporter opts in: an anonymous one at submission, with the
-- contact e-mail it gives (complaints.mail_consent_version), a citizen by a setting of its account
-- (accounts.mail_consent_version); each records the version of the consent text agreed to, and
-- the language the mails are written in. NULL: no mail (never asked, or unsubscribed).
ALTER TABLE complaints ADD COLUMN mail_consent_version TEXT;
ALTER TABLE complaints ADD COLUMN mail_language TEXT CHECK (mail_language IN ('id', 'en'));
ALTER TABLE accounts ADD COLUMN mail_consent_version TEXT;
ALTER TABLE accounts ADD COLUMN mail_language TEXT CHECK (mail_language IN ('id', 'en'));
-- The reminder at half-time of a reviewer's question went out (reset with each new question).
ALTER TABLE cases ADD COLUMN reply_reminded BOOLEAN NOT NULL DEFAULT FALSE;

-- The mail outbox, written in the transaction of the event. It holds no address: the recipient
-- is the complaint's contact (complaint_id) or the account (account_id), opened from its sealed
-- column at delivery, so an erasure or an unsubscribe reaches the outbox at once. What the mail
-- says is sealed in payload (it may hold a tracking code), and cleared once the mail is sent or
-- dropped. message_id is the stable Message-ID: a retry repeats it, so the mail is one message.
CREATE TABLE mail_outbox (
    id BIGSERIAL PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('OPENED', 'JOINED', 'QUESTION', 'REMINDER', 'REJECTED',
        'FORWARDED', 'PLATFORM_ANSWER', 'APPEAL_OUTCOME', 'STILL_ONLINE')),
    case_id BIGINT NOT NULL REFERENCES cases (id),
    complaint_id BIGINT REFERENCES complaints (id),
    account_id BIGINT REFERENCES accounts (id),
    language TEXT NOT NULL CHECK (language IN ('id', 'en')),
    payload TEXT,
    -- A keyed hash of the address a mail went to, for the bound per recipient per day.
    recipient_tag TEXT,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'DROPPED')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT,
    CHECK ((complaint_id IS NULL) <> (account_id IS NULL))
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE status = 'PENDING';
CREATE INDEX mail_outbox_complaint ON mail_outbox (complaint_id) WHERE complaint_id IS NOT NULL;
CREATE INDEX mail_outbox_account ON mail_outbox (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX mail_outbox_recipient ON mail_outbox (recipient_tag, sent_at) WHERE recipient_tag IS NOT NULL;

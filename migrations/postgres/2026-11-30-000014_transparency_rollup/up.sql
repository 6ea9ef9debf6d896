-- Per-day counters for the public transparency report (issue 16): the report adds up whole days
-- from these tables and counts only the partial days at either end of a period from the rows, so
-- it no longer reads every request, complaint and case of the period.
--
-- Triggers keep the counters in the same transaction as every insert, update and delete of a
-- counted row, whatever code path writes it (services, seed, manual SQL): each subtracts the old
-- row's contribution and adds the new row's, with an upsert (ON CONFLICT DO UPDATE SET n = n +
-- excluded.n), so the counters equal a full recount of the rows (`laporlapak transparency verify`).
-- Days are UTC calendar days (timestamps are stored in UTC). "overdue" depends on the time of
-- reading: it is pending minus the unanswered requests not yet due (report_unanswered_due).

-- Writers wait while the counters are filled, so none is missed or counted twice.
LOCK TABLE takedown_requests, cases, complaints IN SHARE MODE;

CREATE TABLE report_platform_days (
    -- Whole days since 1970-01-01 (UTC) of the request's issued_at (of the case's created_at for
    -- relistings).
    day BIGINT NOT NULL,
    platform_id BIGINT NOT NULL,
    issued BIGINT NOT NULL DEFAULT 0,
    acknowledged BIGINT NOT NULL DEFAULT 0,
    answered BIGINT NOT NULL DEFAULT 0,
    answered_on_time BIGINT NOT NULL DEFAULT 0,
    acted_on_time BIGINT NOT NULL DEFAULT 0,
    acted_late BIGINT NOT NULL DEFAULT 0,
    removed BIGINT NOT NULL DEFAULT 0,
    restricted BIGINT NOT NULL DEFAULT 0,
    geo_blocked BIGINT NOT NULL DEFAULT 0,
    declined BIGINT NOT NULL DEFAULT 0,
    needs_more_info BIGINT NOT NULL DEFAULT 0,
    relistings BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, platform_id)
);
CREATE TABLE report_category_days (
    -- Whole days since 1970-01-01 (UTC) of the complaint's / case's created_at.
    day BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    complaints BIGINT NOT NULL DEFAULT 0,
    cases_opened BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    forwarded BIGINT NOT NULL DEFAULT 0,
    resolved BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, category_id)
);
-- Answer times of the answered requests issued on a day: how many fell into each bucket and their
-- sum in whole seconds. Buckets (of whole minutes m of the answer time): m itself below 32, then 16
-- per doubling (width 2^(k-4) minutes for m in [2^k, 2^(k+1))), so a bucket is at most 1/16 of its
-- lower edge wide.
-- The unanswered requests issued on a day, by the hour (since 1970-01-01, UTC) they are due in:
-- those due after the current hour are not yet due, so overdue = pending - not yet due is read
-- from a few rows (the index on due_hour) and the current hour's requests.
CREATE TABLE report_unanswered_due (
    day BIGINT NOT NULL,
    platform_id BIGINT NOT NULL,
    due_hour BIGINT NOT NULL,
    requests BIGINT NOT NULL,
    PRIMARY KEY (day, platform_id, due_hour)
);
CREATE INDEX report_unanswered_due_hour ON report_unanswered_due (due_hour);
CREATE TABLE report_answer_times (
    day BIGINT NOT NULL,
    platform_id BIGINT NOT NULL,
    bucket INTEGER NOT NULL,
    answers BIGINT NOT NULL,
    seconds BIGINT NOT NULL,
    PRIMARY KEY (day, platform_id, bucket)
);

-- overdue = pending (counters) - unanswered requests not yet due: read from this index alone.
CREATE INDEX takedown_requests_unanswered ON takedown_requests (due_at, platform_id, issued_at)
    WHERE status <> 'ANSWERED';

-- The day of a timestamp: whole days since 1970-01-01 (timestamps are UTC).
CREATE FUNCTION report_day(at TIMESTAMP) RETURNS BIGINT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CAST(floor(EXTRACT(EPOCH FROM at) / 86400) AS BIGINT) $$;
-- The hour of a timestamp: whole hours since 1970-01-01 (UTC).
CREATE FUNCTION report_hour(at TIMESTAMP) RETURNS BIGINT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CAST(floor(EXTRACT(EPOCH FROM at) / 3600) AS BIGINT) $$;
-- An answer time in whole seconds: the difference of the two timestamps' whole seconds.
CREATE FUNCTION report_answer_seconds(issued TIMESTAMP, responded TIMESTAMP) RETURNS BIGINT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT GREATEST(0, CAST(floor(EXTRACT(EPOCH FROM responded)) AS BIGINT)
                          - CAST(floor(EXTRACT(EPOCH FROM issued)) AS BIGINT)) $$;
-- The histogram bucket of an answer time (src/service/transparency.rs: answer_bucket).
CREATE FUNCTION report_answer_bucket(s BIGINT) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CAST(CASE WHEN ((s) / 60) < 32 THEN ((s) / 60)
                           WHEN ((s) / 60) < 64 THEN 16 + (((s) / 60) >> 1)
                           WHEN ((s) / 60) < 128 THEN 32 + (((s) / 60) >> 2)
                           WHEN ((s) / 60) < 256 THEN 48 + (((s) / 60) >> 3)
                           WHEN ((s) / 60) < 512 THEN 64 + (((s) / 60) >> 4)
                           WHEN ((s) / 60) < 1024 THEN 80 + (((s) / 60) >> 5)
                           WHEN ((s) / 60) < 2048 THEN 96 + (((s) / 60) >> 6)
                           WHEN ((s) / 60) < 4096 THEN 112 + (((s) / 60) >> 7)
                           WHEN ((s) / 60) < 8192 THEN 128 + (((s) / 60) >> 8)
                           WHEN ((s) / 60) < 16384 THEN 144 + (((s) / 60) >> 9)
                           WHEN ((s) / 60) < 32768 THEN 160 + (((s) / 60) >> 10)
                           WHEN ((s) / 60) < 65536 THEN 176 + (((s) / 60) >> 11)
                           WHEN ((s) / 60) < 131072 THEN 192 + (((s) / 60) >> 12)
                           WHEN ((s) / 60) < 262144 THEN 208 + (((s) / 60) >> 13)
                           WHEN ((s) / 60) < 524288 THEN 224 + (((s) / 60) >> 14)
                           WHEN ((s) / 60) < 1048576 THEN 240 + (((s) / 60) >> 15)
                           WHEN ((s) / 60) < 2097152 THEN 256 + (((s) / 60) >> 16)
                           WHEN ((s) / 60) < 4194304 THEN 272 + (((s) / 60) >> 17)
                           WHEN ((s) / 60) < 8388608 THEN 288 + (((s) / 60) >> 18)
                           WHEN ((s) / 60) < 16777216 THEN 304 + (((s) / 60) >> 19)
                           WHEN ((s) / 60) < 33554432 THEN 320 + (((s) / 60) >> 20)
                           WHEN ((s) / 60) < 67108864 THEN 336 + (((s) / 60) >> 21)
                           WHEN ((s) / 60) < 134217728 THEN 352 + (((s) / 60) >> 22)
                           WHEN ((s) / 60) < 268435456 THEN 368 + (((s) / 60) >> 23)
                           WHEN ((s) / 60) < 536870912 THEN 384 + (((s) / 60) >> 24)
                           WHEN ((s) / 60) < 1073741824 THEN 400 + (((s) / 60) >> 25)
                           WHEN ((s) / 60) < 2147483648 THEN 416 + (((s) / 60) >> 26)
                           ELSE 432 END AS INTEGER) $$;

-- Backfill from the rows already there.
DELETE FROM report_platform_days;
DELETE FROM report_category_days;
DELETE FROM report_answer_times;
DELETE FROM report_unanswered_due;
INSERT INTO report_unanswered_due (day, platform_id, due_hour, requests)
SELECT report_day(issued_at), platform_id, report_hour(due_at), COUNT(*)
FROM takedown_requests WHERE status <> 'ANSWERED' GROUP BY 1, 2, 3;
INSERT INTO report_platform_days (day, platform_id, issued, acknowledged, answered, answered_on_time, acted_on_time, acted_late, removed, restricted, geo_blocked, declined, needs_more_info, relistings)
SELECT report_day(issued_at), platform_id,
       SUM(1),
       SUM(CASE WHEN acknowledged_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'ANSWERED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'ANSWERED' AND responded_at <= due_at THEN 1 ELSE 0 END),
       SUM(CASE WHEN action IN ('REMOVED', 'RESTRICTED', 'GEO_BLOCKED') AND responded_at <= due_at THEN 1 ELSE 0 END),
       SUM(CASE WHEN action IN ('REMOVED', 'RESTRICTED', 'GEO_BLOCKED') AND responded_at > due_at THEN 1 ELSE 0 END),
       SUM(CASE WHEN action = 'REMOVED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN action = 'RESTRICTED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN action = 'GEO_BLOCKED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN action = 'DECLINED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN action = 'NEEDS_MORE_INFO' THEN 1 ELSE 0 END),
       SUM(0)
FROM takedown_requests GROUP BY 1, 2;
INSERT INTO report_platform_days (day, platform_id, relistings)
SELECT report_day(created_at), platform_id, COUNT(*) FROM cases
WHERE relisted_from_id IS NOT NULL GROUP BY 1, 2
ON CONFLICT (day, platform_id) DO UPDATE SET relistings = report_platform_days.relistings + excluded.relistings;
INSERT INTO report_category_days (day, category_id, complaints)
SELECT report_day(created_at), category_id, COUNT(*) FROM complaints GROUP BY 1, 2;
INSERT INTO report_category_days (day, category_id, cases_opened, rejected, forwarded, resolved)
SELECT report_day(c.created_at), c.category_id, COUNT(*),
       SUM(CASE WHEN c.status = 'REJECTED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = c.id) THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.status = 'RESOLVED' THEN 1 ELSE 0 END)
FROM cases c GROUP BY 1, 2
ON CONFLICT (day, category_id) DO UPDATE SET cases_opened = report_category_days.cases_opened + excluded.cases_opened,
        rejected = report_category_days.rejected + excluded.rejected,
        forwarded = report_category_days.forwarded + excluded.forwarded,
        resolved = report_category_days.resolved + excluded.resolved;
INSERT INTO report_answer_times (day, platform_id, bucket, answers, seconds)
SELECT x.day, x.platform_id, report_answer_bucket(x.s) AS b, COUNT(*), SUM(x.s)
FROM (SELECT report_day(issued_at) AS day, platform_id, report_answer_seconds(issued_at, responded_at) AS s
      FROM takedown_requests WHERE status = 'ANSWERED' AND responded_at IS NOT NULL) x
GROUP BY 1, 2, 3;

CREATE FUNCTION report_count_takedown_request() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR OLD.case_id IS DISTINCT FROM NEW.case_id THEN
        -- Whether the case has another request is read after locking the case, so two
        -- transactions adding a case's first request concurrently cannot both count it.
        PERFORM 1 FROM cases WHERE id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.case_id END,
                                          CASE WHEN TG_OP <> 'DELETE' THEN NEW.case_id END) FOR UPDATE;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO report_platform_days (day, platform_id, issued, acknowledged, answered, answered_on_time, acted_on_time, acted_late, removed, restricted, geo_blocked, declined, needs_more_info)
            SELECT report_day(OLD.issued_at),
                   OLD.platform_id,
                   -1,
                   -(CASE WHEN OLD.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END),
                   -(CASE WHEN OLD.status = 'ANSWERED' THEN 1 ELSE 0 END),
                   -(CASE WHEN OLD.status = 'ANSWERED' AND OLD.responded_at <= OLD.due_at THEN 1 ELSE 0 END),
                   -(CASE WHEN OLD.action IN ('REMOVED', 'RESTRICTED', 'GEO_BLOCKED') AND OLD.responded_at <= OLD.due_at THEN 1 ELSE 0 END),
                   -(CASE WHEN OLD.action IN ('REMOVED', 'RESTRICTED', 'GEO_BLOCKED') AND OLD.responded_at > OLD.due_at THEN 1 ELSE 0 END),
                   -(CASE WHEN OLD.action = 'REMOVED' THEN 1 ELSE 0 END),
                   -(CASE WHEN OLD.action = 'RESTRICTED' THEN 1 ELSE 0 END),
                   -(CASE WHEN OLD.action = 'GEO_BLOCKED' THEN 1 ELSE 0 END),
                   -(CASE WHEN OLD.action = 'DECLINED' THEN 1 ELSE 0 END),
                   -(CASE WHEN OLD.action = 'NEEDS_MORE_INFO' THEN 1 ELSE 0 END)
            ON CONFLICT (day, platform_id) DO UPDATE SET issued = report_platform_days.issued + excluded.issued,
                acknowledged = report_platform_days.acknowledged + excluded.acknowledged,
                answered = report_platform_days.answered + excluded.answered,
                answered_on_time = report_platform_days.answered_on_time + excluded.answered_on_time,
                acted_on_time = report_platform_days.acted_on_time + excluded.acted_on_time,
                acted_late = report_platform_days.acted_late + excluded.acted_late,
                removed = report_platform_days.removed + excluded.removed,
                restricted = report_platform_days.restricted + excluded.restricted,
                geo_blocked = report_platform_days.geo_blocked + excluded.geo_blocked,
                declined = report_platform_days.declined + excluded.declined,
                needs_more_info = report_platform_days.needs_more_info + excluded.needs_more_info;
        INSERT INTO report_answer_times (day, platform_id, bucket, answers, seconds)
            SELECT x.day, x.platform_id, report_answer_bucket(x.s),
                   -1, -x.s
            FROM (SELECT report_day(OLD.issued_at) AS day, OLD.platform_id AS platform_id, report_answer_seconds(OLD.issued_at, OLD.responded_at) AS s) x
            WHERE OLD.status = 'ANSWERED' AND OLD.responded_at IS NOT NULL
            ON CONFLICT (day, platform_id, bucket) DO UPDATE SET answers = report_answer_times.answers + excluded.answers,
                seconds = report_answer_times.seconds + excluded.seconds;
        INSERT INTO report_unanswered_due (day, platform_id, due_hour, requests)
            SELECT report_day(OLD.issued_at), OLD.platform_id, report_hour(OLD.due_at), -1
            WHERE OLD.status <> 'ANSWERED'
            ON CONFLICT (day, platform_id, due_hour) DO UPDATE SET requests = report_unanswered_due.requests + excluded.requests;
        IF TG_OP = 'DELETE' OR OLD.case_id IS DISTINCT FROM NEW.case_id THEN
            INSERT INTO report_category_days (day, category_id, forwarded)
                SELECT report_day(c.created_at),
                       c.category_id,
                       -1
                FROM cases c
                WHERE c.id = OLD.case_id AND NOT EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = OLD.case_id AND t.id <> OLD.id)
                ON CONFLICT (day, category_id) DO UPDATE SET forwarded = report_category_days.forwarded + excluded.forwarded;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO report_platform_days (day, platform_id, issued, acknowledged, answered, answered_on_time, acted_on_time, acted_late, removed, restricted, geo_blocked, declined, needs_more_info)
            SELECT report_day(NEW.issued_at),
                   NEW.platform_id,
                   1,
                   CASE WHEN NEW.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END,
                   CASE WHEN NEW.status = 'ANSWERED' THEN 1 ELSE 0 END,
                   CASE WHEN NEW.status = 'ANSWERED' AND NEW.responded_at <= NEW.due_at THEN 1 ELSE 0 END,
                   CASE WHEN NEW.action IN ('REMOVED', 'RESTRICTED', 'GEO_BLOCKED') AND NEW.responded_at <= NEW.due_at THEN 1 ELSE 0 END,
                   CASE WHEN NEW.action IN ('REMOVED', 'RESTRICTED', 'GEO_BLOCKED') AND NEW.responded_at > NEW.due_at THEN 1 ELSE 0 END,
                   CASE WHEN NEW.action = 'REMOVED' THEN 1 ELSE 0 END,
                   CASE WHEN NEW.action = 'RESTRICTED' THEN 1 ELSE 0 END,
                   CASE WHEN NEW.action = 'GEO_BLOCKED' THEN 1 ELSE 0 END,
                   CASE WHEN NEW.action = 'DECLINED' THEN 1 ELSE 0 END,
                   CASE WHEN NEW.action = 'NEEDS_MORE_INFO' THEN 1 ELSE 0 END
            ON CONFLICT (day, platform_id) DO UPDATE SET issued = report_platform_days.issued + excluded.issued,
                acknowledged = report_platform_days.acknowledged + excluded.acknowledged,
                answered = report_platform_days.answered + excluded.answered,
                answered_on_time = report_platform_days.answered_on_time + excluded.answered_on_time,
                acted_on_time = report_platform_days.acted_on_time + excluded.acted_on_time,
                acted_late = report_platform_days.acted_late + excluded.acted_late,
                removed = report_platform_days.removed + excluded.removed,
                restricted = report_platform_days.restricted + excluded.restricted,
                geo_blocked = report_platform_days.geo_blocked + excluded.geo_blocked,
                declined = report_platform_days.declined + excluded.declined,
                needs_more_info = report_platform_days.needs_more_info + excluded.needs_more_info;
        INSERT INTO report_answer_times (day, platform_id, bucket, answers, seconds)
            SELECT x.day, x.platform_id, report_answer_bucket(x.s),
                   1, x.s
            FROM (SELECT report_day(NEW.issued_at) AS day, NEW.platform_id AS platform_id, report_answer_seconds(NEW.issued_at, NEW.responded_at) AS s) x
            WHERE NEW.status = 'ANSWERED' AND NEW.responded_at IS NOT NULL
            ON CONFLICT (day, platform_id, bucket) DO UPDATE SET answers = report_answer_times.answers + excluded.answers,
                seconds = report_answer_times.seconds + excluded.seconds;
        INSERT INTO report_unanswered_due (day, platform_id, due_hour, requests)
            SELECT report_day(NEW.issued_at), NEW.platform_id, report_hour(NEW.due_at), 1
            WHERE NEW.status <> 'ANSWERED'
            ON CONFLICT (day, platform_id, due_hour) DO UPDATE SET requests = report_unanswered_due.requests + excluded.requests;
        IF TG_OP = 'INSERT' OR OLD.case_id IS DISTINCT FROM NEW.case_id THEN
            INSERT INTO report_category_days (day, category_id, forwarded)
                SELECT report_day(c.created_at),
                       c.category_id,
                       1
                FROM cases c
                WHERE c.id = NEW.case_id AND NOT EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = NEW.case_id AND t.id <> NEW.id)
                ON CONFLICT (day, category_id) DO UPDATE SET forwarded = report_category_days.forwarded + excluded.forwarded;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER report_count_takedown_request_insert_delete AFTER INSERT OR DELETE ON takedown_requests
    FOR EACH ROW EXECUTE FUNCTION report_count_takedown_request();
CREATE TRIGGER report_count_takedown_request_update AFTER UPDATE ON takedown_requests
    FOR EACH ROW WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.platform_id IS DISTINCT FROM NEW.platform_id OR OLD.status IS DISTINCT FROM NEW.status OR OLD.issued_at IS DISTINCT FROM NEW.issued_at OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.acknowledged_at IS DISTINCT FROM NEW.acknowledged_at OR OLD.responded_at IS DISTINCT FROM NEW.responded_at OR OLD.action IS DISTINCT FROM NEW.action)
    EXECUTE FUNCTION report_count_takedown_request();

CREATE FUNCTION report_count_case() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO report_category_days (day, category_id, cases_opened, rejected, forwarded, resolved)
            SELECT report_day(OLD.created_at),
                   OLD.category_id,
                   -1,
                   -(CASE WHEN OLD.status = 'REJECTED' THEN 1 ELSE 0 END),
                   -(CASE WHEN EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = OLD.id) THEN 1 ELSE 0 END),
                   -(CASE WHEN OLD.status = 'RESOLVED' THEN 1 ELSE 0 END)
            ON CONFLICT (day, category_id) DO UPDATE SET cases_opened = report_category_days.cases_opened + excluded.cases_opened,
                rejected = report_category_days.rejected + excluded.rejected,
                forwarded = report_category_days.forwarded + excluded.forwarded,
                resolved = report_category_days.resolved + excluded.resolved;
        INSERT INTO report_platform_days (day, platform_id, relistings)
            SELECT report_day(OLD.created_at),
                   OLD.platform_id,
                   -1
            WHERE OLD.relisted_from_id IS NOT NULL
            ON CONFLICT (day, platform_id) DO UPDATE SET relistings = report_platform_days.relistings + excluded.relistings;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO report_category_days (day, category_id, cases_opened, rejected, forwarded, resolved)
            SELECT report_day(NEW.created_at),
                   NEW.category_id,
                   1,
                   CASE WHEN NEW.status = 'REJECTED' THEN 1 ELSE 0 END,
                   CASE WHEN EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = NEW.id) THEN 1 ELSE 0 END,
                   CASE WHEN NEW.status = 'RESOLVED' THEN 1 ELSE 0 END
            ON CONFLICT (day, category_id) DO UPDATE SET cases_opened = report_category_days.cases_opened + excluded.cases_opened,
                rejected = report_category_days.rejected + excluded.rejected,
                forwarded = report_category_days.forwarded + excluded.forwarded,
                resolved = report_category_days.resolved + excluded.resolved;
        INSERT INTO report_platform_days (day, platform_id, relistings)
            SELECT report_day(NEW.created_at),
                   NEW.platform_id,
                   1
            WHERE NEW.relisted_from_id IS NOT NULL
            ON CONFLICT (day, platform_id) DO UPDATE SET relistings = report_platform_days.relistings + excluded.relistings;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER report_count_case_insert_delete AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION report_count_case();
CREATE TRIGGER report_count_case_update AFTER UPDATE ON cases
    FOR EACH ROW WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.platform_id IS DISTINCT FROM NEW.platform_id OR OLD.status IS DISTINCT FROM NEW.status OR OLD.created_at IS DISTINCT FROM NEW.created_at
                       OR (OLD.relisted_from_id IS NULL) <> (NEW.relisted_from_id IS NULL))
    EXECUTE FUNCTION report_count_case();

CREATE FUNCTION report_count_complaint() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO report_category_days (day, category_id, complaints)
            SELECT report_day(OLD.created_at),
                   OLD.category_id,
                   -1
            ON CONFLICT (day, category_id) DO UPDATE SET complaints = report_category_days.complaints + excluded.complaints;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO report_category_days (day, category_id, complaints)
            SELECT report_day(NEW.created_at),
                   NEW.category_id,
                   1
            ON CONFLICT (day, category_id) DO UPDATE SET complaints = report_category_days.complaints + excluded.complaints;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER report_count_complaint_insert_delete AFTER INSERT OR DELETE ON complaints
    FOR EACH ROW EXECUTE FUNCTION report_count_complaint();
CREATE TRIGGER report_count_complaint_update AFTER UPDATE ON complaints
    FOR EACH ROW WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
    EXECUTE FUNCTION report_count_complaint();

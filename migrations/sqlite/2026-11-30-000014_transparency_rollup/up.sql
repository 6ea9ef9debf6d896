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

-- Backfill from the rows already there.
DELETE FROM report_platform_days;
DELETE FROM report_category_days;
DELETE FROM report_answer_times;
DELETE FROM report_unanswered_due;
INSERT INTO report_unanswered_due (day, platform_id, due_hour, requests)
SELECT (CAST(strftime('%s', issued_at) AS INTEGER) / 86400), platform_id, (CAST(strftime('%s', due_at) AS INTEGER) / 3600), COUNT(*)
FROM takedown_requests WHERE status <> 'ANSWERED' GROUP BY 1, 2, 3;
INSERT INTO report_platform_days (day, platform_id, issued, acknowledged, answered, answered_on_time, acted_on_time, acted_late, removed, restricted, geo_blocked, declined, needs_more_info, relistings)
SELECT (CAST(strftime('%s', issued_at) AS INTEGER) / 86400), platform_id,
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
SELECT (CAST(strftime('%s', created_at) AS INTEGER) / 86400), platform_id, COUNT(*) FROM cases
WHERE relisted_from_id IS NOT NULL GROUP BY 1, 2
ON CONFLICT (day, platform_id) DO UPDATE SET relistings = relistings + excluded.relistings;
INSERT INTO report_category_days (day, category_id, complaints)
SELECT (CAST(strftime('%s', created_at) AS INTEGER) / 86400), category_id, COUNT(*) FROM complaints GROUP BY 1, 2;
INSERT INTO report_category_days (day, category_id, cases_opened, rejected, forwarded, resolved)
SELECT (CAST(strftime('%s', c.created_at) AS INTEGER) / 86400), c.category_id, COUNT(*),
       SUM(CASE WHEN c.status = 'REJECTED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = c.id) THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.status = 'RESOLVED' THEN 1 ELSE 0 END)
FROM cases c GROUP BY 1, 2
ON CONFLICT (day, category_id) DO UPDATE SET cases_opened = cases_opened + excluded.cases_opened,
        rejected = rejected + excluded.rejected,
        forwarded = forwarded + excluded.forwarded,
        resolved = resolved + excluded.resolved;
INSERT INTO report_answer_times (day, platform_id, bucket, answers, seconds)
SELECT x.day, x.platform_id, CASE WHEN ((x.s) / 60) < 32 THEN ((x.s) / 60)
     WHEN ((x.s) / 60) < 64 THEN 16 + (((x.s) / 60) >> 1)
     WHEN ((x.s) / 60) < 128 THEN 32 + (((x.s) / 60) >> 2)
     WHEN ((x.s) / 60) < 256 THEN 48 + (((x.s) / 60) >> 3)
     WHEN ((x.s) / 60) < 512 THEN 64 + (((x.s) / 60) >> 4)
     WHEN ((x.s) / 60) < 1024 THEN 80 + (((x.s) / 60) >> 5)
     WHEN ((x.s) / 60) < 2048 THEN 96 + (((x.s) / 60) >> 6)
     WHEN ((x.s) / 60) < 4096 THEN 112 + (((x.s) / 60) >> 7)
     WHEN ((x.s) / 60) < 8192 THEN 128 + (((x.s) / 60) >> 8)
     WHEN ((x.s) / 60) < 16384 THEN 144 + (((x.s) / 60) >> 9)
     WHEN ((x.s) / 60) < 32768 THEN 160 + (((x.s) / 60) >> 10)
     WHEN ((x.s) / 60) < 65536 THEN 176 + (((x.s) / 60) >> 11)
     WHEN ((x.s) / 60) < 131072 THEN 192 + (((x.s) / 60) >> 12)
     WHEN ((x.s) / 60) < 262144 THEN 208 + (((x.s) / 60) >> 13)
     WHEN ((x.s) / 60) < 524288 THEN 224 + (((x.s) / 60) >> 14)
     WHEN ((x.s) / 60) < 1048576 THEN 240 + (((x.s) / 60) >> 15)
     WHEN ((x.s) / 60) < 2097152 THEN 256 + (((x.s) / 60) >> 16)
     WHEN ((x.s) / 60) < 4194304 THEN 272 + (((x.s) / 60) >> 17)
     WHEN ((x.s) / 60) < 8388608 THEN 288 + (((x.s) / 60) >> 18)
     WHEN ((x.s) / 60) < 16777216 THEN 304 + (((x.s) / 60) >> 19)
     WHEN ((x.s) / 60) < 33554432 THEN 320 + (((x.s) / 60) >> 20)
     WHEN ((x.s) / 60) < 67108864 THEN 336 + (((x.s) / 60) >> 21)
     WHEN ((x.s) / 60) < 134217728 THEN 352 + (((x.s) / 60) >> 22)
     WHEN ((x.s) / 60) < 268435456 THEN 368 + (((x.s) / 60) >> 23)
     WHEN ((x.s) / 60) < 536870912 THEN 384 + (((x.s) / 60) >> 24)
     WHEN ((x.s) / 60) < 1073741824 THEN 400 + (((x.s) / 60) >> 25)
     WHEN ((x.s) / 60) < 2147483648 THEN 416 + (((x.s) / 60) >> 26)
     ELSE 432 END AS b, COUNT(*), SUM(x.s)
FROM (SELECT (CAST(strftime('%s', issued_at) AS INTEGER) / 86400) AS day, platform_id, max(0, CAST(strftime('%s', responded_at) AS INTEGER) - CAST(strftime('%s', issued_at) AS INTEGER)) AS s
      FROM takedown_requests WHERE status = 'ANSWERED' AND responded_at IS NOT NULL) x
GROUP BY 1, 2, 3;

CREATE TRIGGER report_count_takedown_request_insert AFTER INSERT ON takedown_requests
BEGIN
    INSERT INTO report_platform_days (day, platform_id, issued, acknowledged, answered, answered_on_time, acted_on_time, acted_late, removed, restricted, geo_blocked, declined, needs_more_info)
        SELECT (CAST(strftime('%s', NEW.issued_at) AS INTEGER) / 86400),
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
        WHERE true
        ON CONFLICT (day, platform_id) DO UPDATE SET issued = issued + excluded.issued,
            acknowledged = acknowledged + excluded.acknowledged,
            answered = answered + excluded.answered,
            answered_on_time = answered_on_time + excluded.answered_on_time,
            acted_on_time = acted_on_time + excluded.acted_on_time,
            acted_late = acted_late + excluded.acted_late,
            removed = removed + excluded.removed,
            restricted = restricted + excluded.restricted,
            geo_blocked = geo_blocked + excluded.geo_blocked,
            declined = declined + excluded.declined,
            needs_more_info = needs_more_info + excluded.needs_more_info;
    INSERT INTO report_answer_times (day, platform_id, bucket, answers, seconds)
        SELECT x.day, x.platform_id, CASE WHEN ((x.s) / 60) < 32 THEN ((x.s) / 60)
                    WHEN ((x.s) / 60) < 64 THEN 16 + (((x.s) / 60) >> 1)
                    WHEN ((x.s) / 60) < 128 THEN 32 + (((x.s) / 60) >> 2)
                    WHEN ((x.s) / 60) < 256 THEN 48 + (((x.s) / 60) >> 3)
                    WHEN ((x.s) / 60) < 512 THEN 64 + (((x.s) / 60) >> 4)
                    WHEN ((x.s) / 60) < 1024 THEN 80 + (((x.s) / 60) >> 5)
                    WHEN ((x.s) / 60) < 2048 THEN 96 + (((x.s) / 60) >> 6)
                    WHEN ((x.s) / 60) < 4096 THEN 112 + (((x.s) / 60) >> 7)
                    WHEN ((x.s) / 60) < 8192 THEN 128 + (((x.s) / 60) >> 8)
                    WHEN ((x.s) / 60) < 16384 THEN 144 + (((x.s) / 60) >> 9)
                    WHEN ((x.s) / 60) < 32768 THEN 160 + (((x.s) / 60) >> 10)
                    WHEN ((x.s) / 60) < 65536 THEN 176 + (((x.s) / 60) >> 11)
                    WHEN ((x.s) / 60) < 131072 THEN 192 + (((x.s) / 60) >> 12)
                    WHEN ((x.s) / 60) < 262144 THEN 208 + (((x.s) / 60) >> 13)
                    WHEN ((x.s) / 60) < 524288 THEN 224 + (((x.s) / 60) >> 14)
                    WHEN ((x.s) / 60) < 1048576 THEN 240 + (((x.s) / 60) >> 15)
                    WHEN ((x.s) / 60) < 2097152 THEN 256 + (((x.s) / 60) >> 16)
                    WHEN ((x.s) / 60) < 4194304 THEN 272 + (((x.s) / 60) >> 17)
                    WHEN ((x.s) / 60) < 8388608 THEN 288 + (((x.s) / 60) >> 18)
                    WHEN ((x.s) / 60) < 16777216 THEN 304 + (((x.s) / 60) >> 19)
                    WHEN ((x.s) / 60) < 33554432 THEN 320 + (((x.s) / 60) >> 20)
                    WHEN ((x.s) / 60) < 67108864 THEN 336 + (((x.s) / 60) >> 21)
                    WHEN ((x.s) / 60) < 134217728 THEN 352 + (((x.s) / 60) >> 22)
                    WHEN ((x.s) / 60) < 268435456 THEN 368 + (((x.s) / 60) >> 23)
                    WHEN ((x.s) / 60) < 536870912 THEN 384 + (((x.s) / 60) >> 24)
                    WHEN ((x.s) / 60) < 1073741824 THEN 400 + (((x.s) / 60) >> 25)
                    WHEN ((x.s) / 60) < 2147483648 THEN 416 + (((x.s) / 60) >> 26)
                    ELSE 432 END,
               1, x.s
        FROM (SELECT (CAST(strftime('%s', NEW.issued_at) AS INTEGER) / 86400) AS day, NEW.platform_id AS platform_id, max(0, CAST(strftime('%s', NEW.responded_at) AS INTEGER) - CAST(strftime('%s', NEW.issued_at) AS INTEGER)) AS s) x
        WHERE NEW.status = 'ANSWERED' AND NEW.responded_at IS NOT NULL
        ON CONFLICT (day, platform_id, bucket) DO UPDATE SET answers = answers + excluded.answers,
            seconds = seconds + excluded.seconds;
    INSERT INTO report_unanswered_due (day, platform_id, due_hour, requests)
        SELECT (CAST(strftime('%s', NEW.issued_at) AS INTEGER) / 86400), NEW.platform_id, (CAST(strftime('%s', NEW.due_at) AS INTEGER) / 3600), 1
        WHERE NEW.status <> 'ANSWERED'
        ON CONFLICT (day, platform_id, due_hour) DO UPDATE SET requests = requests + excluded.requests;
    INSERT INTO report_category_days (day, category_id, forwarded)
        SELECT (CAST(strftime('%s', c.created_at) AS INTEGER) / 86400),
               c.category_id,
               1
        FROM cases c
        WHERE c.id = NEW.case_id AND NOT EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = NEW.case_id AND t.id <> NEW.id)
        ON CONFLICT (day, category_id) DO UPDATE SET forwarded = forwarded + excluded.forwarded;
END;

CREATE TRIGGER report_count_takedown_request_delete AFTER DELETE ON takedown_requests
BEGIN
    INSERT INTO report_platform_days (day, platform_id, issued, acknowledged, answered, answered_on_time, acted_on_time, acted_late, removed, restricted, geo_blocked, declined, needs_more_info)
        SELECT (CAST(strftime('%s', OLD.issued_at) AS INTEGER) / 86400),
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
        WHERE true
        ON CONFLICT (day, platform_id) DO UPDATE SET issued = issued + excluded.issued,
            acknowledged = acknowledged + excluded.acknowledged,
            answered = answered + excluded.answered,
            answered_on_time = answered_on_time + excluded.answered_on_time,
            acted_on_time = acted_on_time + excluded.acted_on_time,
            acted_late = acted_late + excluded.acted_late,
            removed = removed + excluded.removed,
            restricted = restricted + excluded.restricted,
            geo_blocked = geo_blocked + excluded.geo_blocked,
            declined = declined + excluded.declined,
            needs_more_info = needs_more_info + excluded.needs_more_info;
    INSERT INTO report_answer_times (day, platform_id, bucket, answers, seconds)
        SELECT x.day, x.platform_id, CASE WHEN ((x.s) / 60) < 32 THEN ((x.s) / 60)
                    WHEN ((x.s) / 60) < 64 THEN 16 + (((x.s) / 60) >> 1)
                    WHEN ((x.s) / 60) < 128 THEN 32 + (((x.s) / 60) >> 2)
                    WHEN ((x.s) / 60) < 256 THEN 48 + (((x.s) / 60) >> 3)
                    WHEN ((x.s) / 60) < 512 THEN 64 + (((x.s) / 60) >> 4)
                    WHEN ((x.s) / 60) < 1024 THEN 80 + (((x.s) / 60) >> 5)
                    WHEN ((x.s) / 60) < 2048 THEN 96 + (((x.s) / 60) >> 6)
                    WHEN ((x.s) / 60) < 4096 THEN 112 + (((x.s) / 60) >> 7)
                    WHEN ((x.s) / 60) < 8192 THEN 128 + (((x.s) / 60) >> 8)
                    WHEN ((x.s) / 60) < 16384 THEN 144 + (((x.s) / 60) >> 9)
                    WHEN ((x.s) / 60) < 32768 THEN 160 + (((x.s) / 60) >> 10)
                    WHEN ((x.s) / 60) < 65536 THEN 176 + (((x.s) / 60) >> 11)
                    WHEN ((x.s) / 60) < 131072 THEN 192 + (((x.s) / 60) >> 12)
                    WHEN ((x.s) / 60) < 262144 THEN 208 + (((x.s) / 60) >> 13)
                    WHEN ((x.s) / 60) < 524288 THEN 224 + (((x.s) / 60) >> 14)
                    WHEN ((x.s) / 60) < 1048576 THEN 240 + (((x.s) / 60) >> 15)
                    WHEN ((x.s) / 60) < 2097152 THEN 256 + (((x.s) / 60) >> 16)
                    WHEN ((x.s) / 60) < 4194304 THEN 272 + (((x.s) / 60) >> 17)
                    WHEN ((x.s) / 60) < 8388608 THEN 288 + (((x.s) / 60) >> 18)
                    WHEN ((x.s) / 60) < 16777216 THEN 304 + (((x.s) / 60) >> 19)
                    WHEN ((x.s) / 60) < 33554432 THEN 320 + (((x.s) / 60) >> 20)
                    WHEN ((x.s) / 60) < 67108864 THEN 336 + (((x.s) / 60) >> 21)
                    WHEN ((x.s) / 60) < 134217728 THEN 352 + (((x.s) / 60) >> 22)
                    WHEN ((x.s) / 60) < 268435456 THEN 368 + (((x.s) / 60) >> 23)
                    WHEN ((x.s) / 60) < 536870912 THEN 384 + (((x.s) / 60) >> 24)
                    WHEN ((x.s) / 60) < 1073741824 THEN 400 + (((x.s) / 60) >> 25)
                    WHEN ((x.s) / 60) < 2147483648 THEN 416 + (((x.s) / 60) >> 26)
                    ELSE 432 END,
               -1, -x.s
        FROM (SELECT (CAST(strftime('%s', OLD.issued_at) AS INTEGER) / 86400) AS day, OLD.platform_id AS platform_id, max(0, CAST(strftime('%s', OLD.responded_at) AS INTEGER) - CAST(strftime('%s', OLD.issued_at) AS INTEGER)) AS s) x
        WHERE OLD.status = 'ANSWERED' AND OLD.responded_at IS NOT NULL
        ON CONFLICT (day, platform_id, bucket) DO UPDATE SET answers = answers + excluded.answers,
            seconds = seconds + excluded.seconds;
    INSERT INTO report_unanswered_due (day, platform_id, due_hour, requests)
        SELECT (CAST(strftime('%s', OLD.issued_at) AS INTEGER) / 86400), OLD.platform_id, (CAST(strftime('%s', OLD.due_at) AS INTEGER) / 3600), -1
        WHERE OLD.status <> 'ANSWERED'
        ON CONFLICT (day, platform_id, due_hour) DO UPDATE SET requests = requests + excluded.requests;
    INSERT INTO report_category_days (day, category_id, forwarded)
        SELECT (CAST(strftime('%s', c.created_at) AS INTEGER) / 86400),
               c.category_id,
               -1
        FROM cases c
        WHERE c.id = OLD.case_id AND NOT EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = OLD.case_id AND t.id <> OLD.id)
        ON CONFLICT (day, category_id) DO UPDATE SET forwarded = forwarded + excluded.forwarded;
END;

CREATE TRIGGER report_count_takedown_request_update AFTER UPDATE OF case_id, platform_id, status, issued_at, due_at, acknowledged_at, responded_at, action ON takedown_requests
    WHEN OLD.case_id IS NOT NEW.case_id OR OLD.platform_id IS NOT NEW.platform_id OR OLD.status IS NOT NEW.status OR OLD.issued_at IS NOT NEW.issued_at OR OLD.due_at IS NOT NEW.due_at OR OLD.acknowledged_at IS NOT NEW.acknowledged_at OR OLD.responded_at IS NOT NEW.responded_at OR OLD.action IS NOT NEW.action
BEGIN
    INSERT INTO report_platform_days (day, platform_id, issued, acknowledged, answered, answered_on_time, acted_on_time, acted_late, removed, restricted, geo_blocked, declined, needs_more_info)
        SELECT (CAST(strftime('%s', OLD.issued_at) AS INTEGER) / 86400),
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
        WHERE true
        ON CONFLICT (day, platform_id) DO UPDATE SET issued = issued + excluded.issued,
            acknowledged = acknowledged + excluded.acknowledged,
            answered = answered + excluded.answered,
            answered_on_time = answered_on_time + excluded.answered_on_time,
            acted_on_time = acted_on_time + excluded.acted_on_time,
            acted_late = acted_late + excluded.acted_late,
            removed = removed + excluded.removed,
            restricted = restricted + excluded.restricted,
            geo_blocked = geo_blocked + excluded.geo_blocked,
            declined = declined + excluded.declined,
            needs_more_info = needs_more_info + excluded.needs_more_info;
    INSERT INTO report_answer_times (day, platform_id, bucket, answers, seconds)
        SELECT x.day, x.platform_id, CASE WHEN ((x.s) / 60) < 32 THEN ((x.s) / 60)
                    WHEN ((x.s) / 60) < 64 THEN 16 + (((x.s) / 60) >> 1)
                    WHEN ((x.s) / 60) < 128 THEN 32 + (((x.s) / 60) >> 2)
                    WHEN ((x.s) / 60) < 256 THEN 48 + (((x.s) / 60) >> 3)
                    WHEN ((x.s) / 60) < 512 THEN 64 + (((x.s) / 60) >> 4)
                    WHEN ((x.s) / 60) < 1024 THEN 80 + (((x.s) / 60) >> 5)
                    WHEN ((x.s) / 60) < 2048 THEN 96 + (((x.s) / 60) >> 6)
                    WHEN ((x.s) / 60) < 4096 THEN 112 + (((x.s) / 60) >> 7)
                    WHEN ((x.s) / 60) < 8192 THEN 128 + (((x.s) / 60) >> 8)
                    WHEN ((x.s) / 60) < 16384 THEN 144 + (((x.s) / 60) >> 9)
                    WHEN ((x.s) / 60) < 32768 THEN 160 + (((x.s) / 60) >> 10)
                    WHEN ((x.s) / 60) < 65536 THEN 176 + (((x.s) / 60) >> 11)
                    WHEN ((x.s) / 60) < 131072 THEN 192 + (((x.s) / 60) >> 12)
                    WHEN ((x.s) / 60) < 262144 THEN 208 + (((x.s) / 60) >> 13)
                    WHEN ((x.s) / 60) < 524288 THEN 224 + (((x.s) / 60) >> 14)
                    WHEN ((x.s) / 60) < 1048576 THEN 240 + (((x.s) / 60) >> 15)
                    WHEN ((x.s) / 60) < 2097152 THEN 256 + (((x.s) / 60) >> 16)
                    WHEN ((x.s) / 60) < 4194304 THEN 272 + (((x.s) / 60) >> 17)
                    WHEN ((x.s) / 60) < 8388608 THEN 288 + (((x.s) / 60) >> 18)
                    WHEN ((x.s) / 60) < 16777216 THEN 304 + (((x.s) / 60) >> 19)
                    WHEN ((x.s) / 60) < 33554432 THEN 320 + (((x.s) / 60) >> 20)
                    WHEN ((x.s) / 60) < 67108864 THEN 336 + (((x.s) / 60) >> 21)
                    WHEN ((x.s) / 60) < 134217728 THEN 352 + (((x.s) / 60) >> 22)
                    WHEN ((x.s) / 60) < 268435456 THEN 368 + (((x.s) / 60) >> 23)
                    WHEN ((x.s) / 60) < 536870912 THEN 384 + (((x.s) / 60) >> 24)
                    WHEN ((x.s) / 60) < 1073741824 THEN 400 + (((x.s) / 60) >> 25)
                    WHEN ((x.s) / 60) < 2147483648 THEN 416 + (((x.s) / 60) >> 26)
                    ELSE 432 END,
               -1, -x.s
        FROM (SELECT (CAST(strftime('%s', OLD.issued_at) AS INTEGER) / 86400) AS day, OLD.platform_id AS platform_id, max(0, CAST(strftime('%s', OLD.responded_at) AS INTEGER) - CAST(strftime('%s', OLD.issued_at) AS INTEGER)) AS s) x
        WHERE OLD.status = 'ANSWERED' AND OLD.responded_at IS NOT NULL
        ON CONFLICT (day, platform_id, bucket) DO UPDATE SET answers = answers + excluded.answers,
            seconds = seconds + excluded.seconds;
    INSERT INTO report_unanswered_due (day, platform_id, due_hour, requests)
        SELECT (CAST(strftime('%s', OLD.issued_at) AS INTEGER) / 86400), OLD.platform_id, (CAST(strftime('%s', OLD.due_at) AS INTEGER) / 3600), -1
        WHERE OLD.status <> 'ANSWERED'
        ON CONFLICT (day, platform_id, due_hour) DO UPDATE SET requests = requests + excluded.requests;
    INSERT INTO report_platform_days (day, platform_id, issued, acknowledged, answered, answered_on_time, acted_on_time, acted_late, removed, restricted, geo_blocked, declined, needs_more_info)
        SELECT (CAST(strftime('%s', NEW.issued_at) AS INTEGER) / 86400),
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
        WHERE true
        ON CONFLICT (day, platform_id) DO UPDATE SET issued = issued + excluded.issued,
            acknowledged = acknowledged + excluded.acknowledged,
            answered = answered + excluded.answered,
            answered_on_time = answered_on_time + excluded.answered_on_time,
            acted_on_time = acted_on_time + excluded.acted_on_time,
            acted_late = acted_late + excluded.acted_late,
            removed = removed + excluded.removed,
            restricted = restricted + excluded.restricted,
            geo_blocked = geo_blocked + excluded.geo_blocked,
            declined = declined + excluded.declined,
            needs_more_info = needs_more_info + excluded.needs_more_info;
    INSERT INTO report_answer_times (day, platform_id, bucket, answers, seconds)
        SELECT x.day, x.platform_id, CASE WHEN ((x.s) / 60) < 32 THEN ((x.s) / 60)
                    WHEN ((x.s) / 60) < 64 THEN 16 + (((x.s) / 60) >> 1)
                    WHEN ((x.s) / 60) < 128 THEN 32 + (((x.s) / 60) >> 2)
                    WHEN ((x.s) / 60) < 256 THEN 48 + (((x.s) / 60) >> 3)
                    WHEN ((x.s) / 60) < 512 THEN 64 + (((x.s) / 60) >> 4)
                    WHEN ((x.s) / 60) < 1024 THEN 80 + (((x.s) / 60) >> 5)
                    WHEN ((x.s) / 60) < 2048 THEN 96 + (((x.s) / 60) >> 6)
                    WHEN ((x.s) / 60) < 4096 THEN 112 + (((x.s) / 60) >> 7)
                    WHEN ((x.s) / 60) < 8192 THEN 128 + (((x.s) / 60) >> 8)
                    WHEN ((x.s) / 60) < 16384 THEN 144 + (((x.s) / 60) >> 9)
                    WHEN ((x.s) / 60) < 32768 THEN 160 + (((x.s) / 60) >> 10)
                    WHEN ((x.s) / 60) < 65536 THEN 176 + (((x.s) / 60) >> 11)
                    WHEN ((x.s) / 60) < 131072 THEN 192 + (((x.s) / 60) >> 12)
                    WHEN ((x.s) / 60) < 262144 THEN 208 + (((x.s) / 60) >> 13)
                    WHEN ((x.s) / 60) < 524288 THEN 224 + (((x.s) / 60) >> 14)
                    WHEN ((x.s) / 60) < 1048576 THEN 240 + (((x.s) / 60) >> 15)
                    WHEN ((x.s) / 60) < 2097152 THEN 256 + (((x.s) / 60) >> 16)
                    WHEN ((x.s) / 60) < 4194304 THEN 272 + (((x.s) / 60) >> 17)
                    WHEN ((x.s) / 60) < 8388608 THEN 288 + (((x.s) / 60) >> 18)
                    WHEN ((x.s) / 60) < 16777216 THEN 304 + (((x.s) / 60) >> 19)
                    WHEN ((x.s) / 60) < 33554432 THEN 320 + (((x.s) / 60) >> 20)
                    WHEN ((x.s) / 60) < 67108864 THEN 336 + (((x.s) / 60) >> 21)
                    WHEN ((x.s) / 60) < 134217728 THEN 352 + (((x.s) / 60) >> 22)
                    WHEN ((x.s) / 60) < 268435456 THEN 368 + (((x.s) / 60) >> 23)
                    WHEN ((x.s) / 60) < 536870912 THEN 384 + (((x.s) / 60) >> 24)
                    WHEN ((x.s) / 60) < 1073741824 THEN 400 + (((x.s) / 60) >> 25)
                    WHEN ((x.s) / 60) < 2147483648 THEN 416 + (((x.s) / 60) >> 26)
                    ELSE 432 END,
               1, x.s
        FROM (SELECT (CAST(strftime('%s', NEW.issued_at) AS INTEGER) / 86400) AS day, NEW.platform_id AS platform_id, max(0, CAST(strftime('%s', NEW.responded_at) AS INTEGER) - CAST(strftime('%s', NEW.issued_at) AS INTEGER)) AS s) x
        WHERE NEW.status = 'ANSWERED' AND NEW.responded_at IS NOT NULL
        ON CONFLICT (day, platform_id, bucket) DO UPDATE SET answers = answers + excluded.answers,
            seconds = seconds + excluded.seconds;
    INSERT INTO report_unanswered_due (day, platform_id, due_hour, requests)
        SELECT (CAST(strftime('%s', NEW.issued_at) AS INTEGER) / 86400), NEW.platform_id, (CAST(strftime('%s', NEW.due_at) AS INTEGER) / 3600), 1
        WHERE NEW.status <> 'ANSWERED'
        ON CONFLICT (day, platform_id, due_hour) DO UPDATE SET requests = requests + excluded.requests;
END;

CREATE TRIGGER report_count_takedown_request_move AFTER UPDATE OF case_id ON takedown_requests
    WHEN OLD.case_id IS NOT NEW.case_id
BEGIN
    INSERT INTO report_category_days (day, category_id, forwarded)
        SELECT (CAST(strftime('%s', c.created_at) AS INTEGER) / 86400),
               c.category_id,
               -1
        FROM cases c
        WHERE c.id = OLD.case_id AND NOT EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = OLD.case_id AND t.id <> OLD.id)
        ON CONFLICT (day, category_id) DO UPDATE SET forwarded = forwarded + excluded.forwarded;
    INSERT INTO report_category_days (day, category_id, forwarded)
        SELECT (CAST(strftime('%s', c.created_at) AS INTEGER) / 86400),
               c.category_id,
               1
        FROM cases c
        WHERE c.id = NEW.case_id AND NOT EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = NEW.case_id AND t.id <> NEW.id)
        ON CONFLICT (day, category_id) DO UPDATE SET forwarded = forwarded + excluded.forwarded;
END;

CREATE TRIGGER report_count_case_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO report_category_days (day, category_id, cases_opened, rejected, forwarded, resolved)
        SELECT (CAST(strftime('%s', NEW.created_at) AS INTEGER) / 86400),
               NEW.category_id,
               1,
               CASE WHEN NEW.status = 'REJECTED' THEN 1 ELSE 0 END,
               CASE WHEN EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = NEW.id) THEN 1 ELSE 0 END,
               CASE WHEN NEW.status = 'RESOLVED' THEN 1 ELSE 0 END
        WHERE true
        ON CONFLICT (day, category_id) DO UPDATE SET cases_opened = cases_opened + excluded.cases_opened,
            rejected = rejected + excluded.rejected,
            forwarded = forwarded + excluded.forwarded,
            resolved = resolved + excluded.resolved;
    INSERT INTO report_platform_days (day, platform_id, relistings)
        SELECT (CAST(strftime('%s', NEW.created_at) AS INTEGER) / 86400),
               NEW.platform_id,
               1
        WHERE NEW.relisted_from_id IS NOT NULL
        ON CONFLICT (day, platform_id) DO UPDATE SET relistings = relistings + excluded.relistings;
END;

CREATE TRIGGER report_count_case_delete AFTER DELETE ON cases
BEGIN
    INSERT INTO report_category_days (day, category_id, cases_opened, rejected, forwarded, resolved)
        SELECT (CAST(strftime('%s', OLD.created_at) AS INTEGER) / 86400),
               OLD.category_id,
               -1,
               -(CASE WHEN OLD.status = 'REJECTED' THEN 1 ELSE 0 END),
               -(CASE WHEN EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = OLD.id) THEN 1 ELSE 0 END),
               -(CASE WHEN OLD.status = 'RESOLVED' THEN 1 ELSE 0 END)
        WHERE true
        ON CONFLICT (day, category_id) DO UPDATE SET cases_opened = cases_opened + excluded.cases_opened,
            rejected = rejected + excluded.rejected,
            forwarded = forwarded + excluded.forwarded,
            resolved = resolved + excluded.resolved;
    INSERT INTO report_platform_days (day, platform_id, relistings)
        SELECT (CAST(strftime('%s', OLD.created_at) AS INTEGER) / 86400),
               OLD.platform_id,
               -1
        WHERE OLD.relisted_from_id IS NOT NULL
        ON CONFLICT (day, platform_id) DO UPDATE SET relistings = relistings + excluded.relistings;
END;

CREATE TRIGGER report_count_case_update AFTER UPDATE OF category_id, platform_id, status, created_at, relisted_from_id ON cases
    WHEN OLD.category_id IS NOT NEW.category_id OR OLD.platform_id IS NOT NEW.platform_id OR OLD.status IS NOT NEW.status OR OLD.created_at IS NOT NEW.created_at OR (OLD.relisted_from_id IS NULL) <> (NEW.relisted_from_id IS NULL)
BEGIN
    INSERT INTO report_category_days (day, category_id, cases_opened, rejected, forwarded, resolved)
        SELECT (CAST(strftime('%s', OLD.created_at) AS INTEGER) / 86400),
               OLD.category_id,
               -1,
               -(CASE WHEN OLD.status = 'REJECTED' THEN 1 ELSE 0 END),
               -(CASE WHEN EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = OLD.id) THEN 1 ELSE 0 END),
               -(CASE WHEN OLD.status = 'RESOLVED' THEN 1 ELSE 0 END)
        WHERE true
        ON CONFLICT (day, category_id) DO UPDATE SET cases_opened = cases_opened + excluded.cases_opened,
            rejected = rejected + excluded.rejected,
            forwarded = forwarded + excluded.forwarded,
            resolved = resolved + excluded.resolved;
    INSERT INTO report_platform_days (day, platform_id, relistings)
        SELECT (CAST(strftime('%s', OLD.created_at) AS INTEGER) / 86400),
               OLD.platform_id,
               -1
        WHERE OLD.relisted_from_id IS NOT NULL
        ON CONFLICT (day, platform_id) DO UPDATE SET relistings = relistings + excluded.relistings;
    INSERT INTO report_category_days (day, category_id, cases_opened, rejected, forwarded, resolved)
        SELECT (CAST(strftime('%s', NEW.created_at) AS INTEGER) / 86400),
               NEW.category_id,
               1,
               CASE WHEN NEW.status = 'REJECTED' THEN 1 ELSE 0 END,
               CASE WHEN EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = NEW.id) THEN 1 ELSE 0 END,
               CASE WHEN NEW.status = 'RESOLVED' THEN 1 ELSE 0 END
        WHERE true
        ON CONFLICT (day, category_id) DO UPDATE SET cases_opened = cases_opened + excluded.cases_opened,
            rejected = rejected + excluded.rejected,
            forwarded = forwarded + excluded.forwarded,
            resolved = resolved + excluded.resolved;
    INSERT INTO report_platform_days (day, platform_id, relistings)
        SELECT (CAST(strftime('%s', NEW.created_at) AS INTEGER) / 86400),
               NEW.platform_id,
               1
        WHERE NEW.relisted_from_id IS NOT NULL
        ON CONFLICT (day, platform_id) DO UPDATE SET relistings = relistings + excluded.relistings;
END;

CREATE TRIGGER report_count_complaint_insert AFTER INSERT ON complaints
BEGIN
    INSERT INTO report_category_days (day, category_id, complaints)
        SELECT (CAST(strftime('%s', NEW.created_at) AS INTEGER) / 86400),
               NEW.category_id,
               1
        WHERE true
        ON CONFLICT (day, category_id) DO UPDATE SET complaints = complaints + excluded.complaints;
END;

CREATE TRIGGER report_count_complaint_delete AFTER DELETE ON complaints
BEGIN
    INSERT INTO report_category_days (day, category_id, complaints)
        SELECT (CAST(strftime('%s', OLD.created_at) AS INTEGER) / 86400),
               OLD.category_id,
               -1
        WHERE true
        ON CONFLICT (day, category_id) DO UPDATE SET complaints = complaints + excluded.complaints;
END;

CREATE TRIGGER report_count_complaint_update AFTER UPDATE OF category_id, created_at ON complaints
    WHEN OLD.category_id IS NOT NEW.category_id OR OLD.created_at IS NOT NEW.created_at
BEGIN
    INSERT INTO report_category_days (day, category_id, complaints)
        SELECT (CAST(strftime('%s', OLD.created_at) AS INTEGER) / 86400),
               OLD.category_id,
               -1
        WHERE true
        ON CONFLICT (day, category_id) DO UPDATE SET complaints = complaints + excluded.complaints;
    INSERT INTO report_category_days (day, category_id, complaints)
        SELECT (CAST(strftime('%s', NEW.created_at) AS INTEGER) / 86400),
               NEW.category_id,
               1
        WHERE true
        ON CONFLICT (day, category_id) DO UPDATE SET complaints = complaints + excluded.complaints;
END;

-- Consistency checks on a seeded database; portable SQL (PostgreSQL and SQLite). run.sh runs it after
-- the seed and fails when any count in the first row is not 0. The second query is a summary.
SELECT
    (SELECT count(*) FROM complaints x LEFT JOIN cases c ON c.id = x.case_id WHERE c.id IS NULL)
  + (SELECT count(*) FROM complaints x LEFT JOIN accounts a ON a.id = x.reporter_account_id
     WHERE x.reporter_account_id IS NOT NULL AND a.id IS NULL)
  + (SELECT count(*) FROM complaints x JOIN cases c ON c.id = x.case_id
     WHERE c.platform_id <> x.platform_id OR c.category_id <> x.category_id OR c.target <> x.canonical_url)
  + (SELECT count(*) FROM cases c LEFT JOIN accounts a ON a.id = c.assignee_id
     WHERE c.assignee_id IS NOT NULL AND a.id IS NULL)
  + (SELECT count(*) FROM takedown_requests t LEFT JOIN cases c ON c.id = t.case_id WHERE c.id IS NULL)
  + (SELECT count(*) FROM complaint_evidence e LEFT JOIN complaints x ON x.id = e.complaint_id WHERE x.id IS NULL)
  + (SELECT count(*) FROM messages m LEFT JOIN cases c ON c.id = m.case_id WHERE c.id IS NULL)
  + (SELECT count(*) FROM events e LEFT JOIN accounts a ON a.id = e.actor_account_id
     WHERE e.actor_account_id IS NOT NULL AND a.id IS NULL)
    AS orphans,
    -- report_count / umkm_report_count as refresh_case computes them.
    (SELECT count(*) FROM cases c
     LEFT JOIN (SELECT case_id,
                       count(DISTINCT reporter_account_id)
                         + sum(CASE WHEN reporter_account_id IS NULL THEN 1 ELSE 0 END) AS reporters,
                       count(DISTINCT CASE WHEN reporter_umkm THEN reporter_account_id END) AS umkm
                FROM complaints WHERE withdrawn_at IS NULL GROUP BY case_id) g ON g.case_id = c.id
     WHERE g.case_id IS NULL OR g.reporters <> c.report_count OR g.umkm <> c.umkm_report_count)
    AS bad_counts,
    -- takedown_due_at is the due time of the case's unanswered request, NULL otherwise.
    (SELECT count(*) FROM cases c
     WHERE (c.takedown_due_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM takedown_requests t
                            WHERE t.case_id = c.id AND t.status <> 'ANSWERED' AND t.due_at = c.takedown_due_at))
        OR (c.takedown_due_at IS NULL AND c.status = 'FORWARDED'))
    AS bad_due,
    (SELECT count(*) FROM (SELECT platform_id, target FROM cases
                           WHERE status NOT IN ('REJECTED', 'RESOLVED', 'CLOSED')
                           GROUP BY platform_id, target HAVING count(*) > 1) d)
    AS duplicate_open_targets,
    (SELECT count(*) FROM complaints WHERE tracking_code NOT LIKE 'LL-____-____') AS bad_codes;

SELECT status, count(*) AS cases, min(priority) AS min_priority, max(priority) AS max_priority,
       sum(report_count) AS reports, max(report_count) AS max_reports,
       sum(CASE WHEN flags <> '' THEN 1 ELSE 0 END) AS flagged,
       sum(CASE WHEN takedown_due_at IS NOT NULL THEN 1 ELSE 0 END) AS awaiting_platform
FROM cases GROUP BY status ORDER BY count(*) DESC;

-- The public timeline of a complaint reads its case's status changes (events about the case itself
-- that set a status): this index finds them without walking the case's other events, of which a
-- case reported ten thousand times has ten thousand.
CREATE INDEX events_case_status_changes ON events (case_id, id)
    WHERE subject_type = 'CASE' AND case_status IS NOT NULL;

DROP INDEX events_case_status_changes;
CREATE INDEX events_case_status_changes ON events (case_id, id)
    WHERE subject_type = 'CASE' AND case_status IS NOT NULL;

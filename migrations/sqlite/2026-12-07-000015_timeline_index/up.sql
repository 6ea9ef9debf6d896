-- The index of migration hot_paths spelled the subject type as 'CASE', but it is stored as 'case'
-- (SubjectKind::Case): the index was empty and the public timeline's predicate, spelled the same,
-- matched nothing. Both now spell the stored value.
DROP INDEX events_case_status_changes;
CREATE INDEX events_case_status_changes ON events (case_id, id)
    WHERE subject_type = 'case' AND case_status IS NOT NULL;

-- Rate limits as GCRA cells instead of fixed windows: one row per bucket holding its theoretical
-- arrival time (microseconds since the Unix epoch). A budget of N per window refills smoothly, so
-- no caller gets twice the budget across a window boundary. Counters of the old windows are
-- short-lived and are not carried over.
DROP TABLE rate_limits;
CREATE TABLE rate_limit_cells (
    bucket TEXT PRIMARY KEY NOT NULL,
    tat BIGINT NOT NULL
);
CREATE INDEX rate_limit_cells_tat ON rate_limit_cells (tat);

//! The business gauges of `/metrics`: open cases by status, and takedown requests awaiting an
//! answer (and those past due) by platform. Each reads an index, never the whole table.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::DbConnection;
use crate::schema::{cases, takedown_requests};
use laporlapak_domain::{CaseStatus, TakedownStatus};

/// `(status, cases)` for each open (non-final) status that has any.
pub fn open_cases(conn: &mut DbConnection) -> QueryResult<Vec<(CaseStatus, i64)>> {
    cases::table
        .filter(cases::status.eq_any(CaseStatus::non_final().collect::<Vec<_>>()))
        .group_by(cases::status)
        .select((cases::status, count_star()))
        .load(conn)
}

/// `(platform_id, unanswered, of which past due at now)`.
pub fn unanswered_requests(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64, i64)>> {
    let overdue = sql::<BigInt>("COALESCE(SUM(CASE WHEN due_at < ")
        .bind::<diesel::sql_types::Timestamp, _>(now)
        .sql(" THEN 1 ELSE 0 END), 0)");
    takedown_requests::table
        .filter(takedown_requests::status.ne(TakedownStatus::Answered))
        .group_by(takedown_requests::platform_id)
        .select((takedown_requests::platform_id, count_star(), overdue))
        .load(conn)
}

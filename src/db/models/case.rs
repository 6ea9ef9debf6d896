//! Cases: one target (canonical URL) on one platform. Every open complaint about that target
//! belongs to the same case; the partial unique index `cases_open_target` guarantees there is at
//! most one non-final case per target, whatever the concurrency.

use chrono::NaiveDateTime;
use diesel::dsl::count;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{cases, complaints};
use crate::domain::CaseStatus;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = cases)]
pub struct Case {
    pub id: i64,
    pub platform_id: i64,
    pub category_id: i64,
    pub target: String,
    pub target_kind: String,
    pub status: String,
    pub report_count: i32,
    pub umkm_report_count: i32,
    pub flags: String,
    pub priority: i32,
    pub assignee_id: Option<i64>,
    pub version: i32,
    pub merged_into_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = cases)]
pub struct CaseInsertForm<'a> {
    pub platform_id: i64,
    pub category_id: i64,
    pub target: &'a str,
    pub target_kind: &'a str,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Counts derived from a case's complaints that still count (not withdrawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReporterCounts {
    pub reporters: i64,
    pub umkm_reporters: i64,
    pub complaints: i64,
}

fn non_final_statuses() -> Vec<&'static str> {
    CaseStatus::non_final().map(CaseStatus::as_str).collect()
}

impl Case {
    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        cases::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        cases::table
            .filter(cases::id.eq_any(ids))
            .select(Self::as_select())
            .load(conn)
    }

    pub fn status(&self) -> CaseStatus {
        CaseStatus::parse(&self.status).unwrap_or(CaseStatus::Open)
    }

    /// The non-final case for this target, if any.
    pub fn find_open_for_target(
        conn: &mut DbConnection,
        platform_id: i64,
        target: &str,
    ) -> QueryResult<Option<Self>> {
        cases::table
            .filter(cases::platform_id.eq(platform_id))
            .filter(cases::target.eq(target))
            .filter(cases::status.eq_any(non_final_statuses()))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Inserts a new OPEN case. Losing a race for the same target is a unique violation.
    pub fn insert(conn: &mut DbConnection, form: &CaseInsertForm<'_>) -> QueryResult<i64> {
        diesel::insert_into(cases::table)
            .values(form)
            .returning(cases::id)
            .get_result(conn)
    }

    /// Bumps the version of a case that is still non-final, taking its row lock (PostgreSQL) for
    /// the rest of the transaction. Returns false when the case became final meanwhile.
    pub fn lock_if_open(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(cases::table.find(id))
            .filter(cases::status.eq_any(non_final_statuses()))
            .set((
                cases::version.eq(cases::version + 1),
                cases::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    pub fn reporter_counts(conn: &mut DbConnection, id: i64) -> QueryResult<ReporterCounts> {
        let counting = complaints::table
            .filter(complaints::case_id.eq(id))
            .filter(complaints::withdrawn_at.is_null());
        let accounts: i64 = counting
            .filter(complaints::reporter_account_id.is_not_null())
            .select(count(complaints::reporter_account_id).aggregate_distinct())
            .get_result(conn)?;
        let anonymous: i64 = counting
            .filter(complaints::reporter_account_id.is_null())
            .count()
            .get_result(conn)?;
        let umkm: i64 = counting
            .filter(complaints::reporter_umkm.eq(true))
            .select(count(complaints::reporter_account_id).aggregate_distinct())
            .get_result(conn)?;
        let all: i64 = counting.count().get_result(conn)?;
        Ok(ReporterCounts {
            reporters: accounts + anonymous,
            umkm_reporters: umkm,
            complaints: all,
        })
    }

    /// The keyword flags of the complaints that still count, one per line in `flags` columns.
    pub fn complaint_flags(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<String>> {
        complaints::table
            .filter(complaints::case_id.eq(id))
            .filter(complaints::withdrawn_at.is_null())
            .filter(complaints::flags.ne(""))
            .select(complaints::flags)
            .distinct()
            .load(conn)
    }

    pub fn update_stats(
        conn: &mut DbConnection,
        id: i64,
        counts: ReporterCounts,
        flags: &str,
        priority: i32,
    ) -> QueryResult<()> {
        diesel::update(cases::table.find(id))
            .set((
                cases::report_count.eq(i32::try_from(counts.reporters).unwrap_or(i32::MAX)),
                cases::umkm_report_count
                    .eq(i32::try_from(counts.umkm_reporters).unwrap_or(i32::MAX)),
                cases::flags.eq(flags),
                cases::priority.eq(priority),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// Moves a case from `from` to `to` if it is still in `from` at `version`: the conditional
    /// update is the race arbiter. Returns whether this call made the change.
    pub fn transition(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        from: CaseStatus,
        to: CaseStatus,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(cases::table.find(id))
            .filter(cases::status.eq(from.as_str()))
            .filter(cases::version.eq(version))
            .set((
                cases::status.eq(to.as_str()),
                cases::version.eq(cases::version + 1),
                cases::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }
}

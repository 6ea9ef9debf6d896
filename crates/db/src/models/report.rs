//! Aggregates for the public transparency report, computed in the database with portable SQL
//! (`COUNT`, `SUM(CASE …)`, `GROUP BY`) so both backends give the same numbers.

use std::ops::AddAssign;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, sql};
use diesel::expression_methods::AggregateExpressionMethods as _;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::DbConnection;
use crate::schema::{cases, complaints, takedown_requests};
use laporlapak_domain::{CaseStatus, TakedownAction, TakedownStatus};

/// Per-platform counts of the takedown requests issued in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformCounts {
    pub platform_id: i64,
    pub issued: i64,
    pub acknowledged: i64,
    pub answered: i64,
    pub answered_on_time: i64,
    pub acted_on_time: i64,
    pub acted_late: i64,
    pub pending: i64,
    pub overdue: i64,
    pub removed: i64,
    pub restricted: i64,
    pub geo_blocked: i64,
    pub declined: i64,
    pub needs_more_info: i64,
    /// Cases opened in the period that re-list a listing this platform had removed (or another
    /// listing of a seller linked to it): removals that did not stick.
    pub relistings: i64,
    /// Requests issued in the period whose answer the platform later reversed
    /// (`reportReinstatement`), counted from the rows ([`reinstatements`]).
    pub reinstatements: i64,
    /// Requests issued in the period whose removal a reporter confirmed ("is it still online?":
    /// no), counted from the rows ([`reporter_checks`]); a disputed one is not counted here.
    pub removals_confirmed: i64,
    /// Requests issued in the period whose removal a reporter disputed (still online).
    pub removals_disputed: i64,
}

/// Adds every count of `other`; `platform_id` is an identifier, not a count, and is left alone.
/// The destructuring is exhaustive, so a new field does not compile until it is summed here.
impl AddAssign<&PlatformCounts> for PlatformCounts {
    fn add_assign(&mut self, other: &PlatformCounts) {
        let PlatformCounts {
            platform_id: _,
            issued,
            acknowledged,
            answered,
            answered_on_time,
            acted_on_time,
            acted_late,
            pending,
            overdue,
            removed,
            restricted,
            geo_blocked,
            declined,
            needs_more_info,
            relistings,
            reinstatements,
            removals_confirmed,
            removals_disputed,
        } = other;
        self.issued += issued;
        self.acknowledged += acknowledged;
        self.answered += answered;
        self.answered_on_time += answered_on_time;
        self.acted_on_time += acted_on_time;
        self.acted_late += acted_late;
        self.pending += pending;
        self.overdue += overdue;
        self.removed += removed;
        self.restricted += restricted;
        self.geo_blocked += geo_blocked;
        self.declined += declined;
        self.needs_more_info += needs_more_info;
        self.relistings += relistings;
        self.reinstatements += reinstatements;
        self.removals_confirmed += removals_confirmed;
        self.removals_disputed += removals_disputed;
    }
}

/// Per-category counts of complaints and cases opened in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategoryCounts {
    pub category_id: i64,
    pub complaints: i64,
    pub cases_opened: i64,
    pub rejected: i64,
    pub forwarded: i64,
    pub resolved: i64,
}

/// Adds every count of `other`; `category_id` is an identifier, not a count, and is left alone.
/// The destructuring is exhaustive, so a new field does not compile until it is summed here.
impl AddAssign<&CategoryCounts> for CategoryCounts {
    fn add_assign(&mut self, other: &CategoryCounts) {
        let CategoryCounts {
            category_id: _,
            complaints,
            cases_opened,
            rejected,
            forwarded,
            resolved,
        } = other;
        self.complaints += complaints;
        self.cases_opened += cases_opened;
        self.rejected += rejected;
        self.forwarded += forwarded;
        self.resolved += resolved;
    }
}

/// The half-open period `[from, to)`; either end may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

fn sum_when(condition: &str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!(
        "COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"
    ))
}

/// The columns of [`PlatformCounts`], in its field order.
type CountRow = (
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

/// `column = 'VALUE'` for one of our own enum spellings (constants, never user input).
fn is(column: &str, value: impl std::fmt::Display) -> String {
    format!("{column} = '{value}'")
}

/// The actions that count as acting on a request: those that resolve the case.
fn acted() -> String {
    let spelled: Vec<String> = TakedownAction::ALL
        .iter()
        .filter(|action| action.case_status() == CaseStatus::Resolved)
        .map(|action| format!("'{action}'"))
        .collect();
    format!("action IN ({})", spelled.join(", "))
}

pub fn platform_counts(
    conn: &mut DbConnection,
    period: Period,
    now: NaiveDateTime,
) -> QueryResult<Vec<PlatformCounts>> {
    let answered = is("status", TakedownStatus::Answered);
    let acted = acted();
    let overdue = sql::<BigInt>(&format!(
        "COALESCE(SUM(CASE WHEN NOT ({answered}) AND due_at < "
    ))
    .bind::<diesel::sql_types::Timestamp, _>(now)
    .sql(" THEN 1 ELSE 0 END), 0)");
    let mut query = takedown_requests::table
        .group_by(takedown_requests::platform_id)
        .select((
            takedown_requests::platform_id,
            count_star(),
            sum_when("acknowledged_at IS NOT NULL"),
            sum_when(&answered),
            sum_when(&format!("{answered} AND responded_at <= due_at")),
            sum_when(&format!("{acted} AND responded_at <= due_at")),
            sum_when(&format!("{acted} AND responded_at > due_at")),
            sum_when(&format!("NOT ({answered})")),
            overdue,
            sum_when(&is("action", TakedownAction::Removed)),
            sum_when(&is("action", TakedownAction::Restricted)),
            sum_when(&is("action", TakedownAction::GeoBlocked)),
            sum_when(&is("action", TakedownAction::Declined)),
            sum_when(&is("action", TakedownAction::NeedsMoreInfo)),
        ))
        .into_boxed();
    if let Some(from) = period.from {
        query = query.filter(takedown_requests::issued_at.ge(from));
    }
    if let Some(to) = period.to {
        query = query.filter(takedown_requests::issued_at.lt(to));
    }
    let rows: Vec<CountRow> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| PlatformCounts {
            platform_id: row.0,
            issued: row.1,
            acknowledged: row.2,
            answered: row.3,
            answered_on_time: row.4,
            acted_on_time: row.5,
            acted_late: row.6,
            pending: row.7,
            overdue: row.8,
            removed: row.9,
            restricted: row.10,
            geo_blocked: row.11,
            declined: row.12,
            needs_more_info: row.13,
            relistings: 0,
            reinstatements: 0,
            removals_confirmed: 0,
            removals_disputed: 0,
        })
        .collect())
}

/// `(platform_id, issued_at, responded_at)` of the answered requests issued in the period: the
/// input of the answer-time percentiles, which are computed the same way for both backends.
pub fn answer_times(
    conn: &mut DbConnection,
    period: Period,
) -> QueryResult<Vec<(i64, NaiveDateTime, Option<NaiveDateTime>)>> {
    let mut query = takedown_requests::table
        .filter(takedown_requests::status.eq(TakedownStatus::Answered))
        .select((
            takedown_requests::platform_id,
            takedown_requests::issued_at,
            takedown_requests::responded_at,
        ))
        .into_boxed();
    if let Some(from) = period.from {
        query = query.filter(takedown_requests::issued_at.ge(from));
    }
    if let Some(to) = period.to {
        query = query.filter(takedown_requests::issued_at.lt(to));
    }
    query.load(conn)
}

/// `(platform_id, re-listings)`: the cases opened in the period that re-list a removal, by the
/// platform they are on.
pub fn relistings(conn: &mut DbConnection, period: Period) -> QueryResult<Vec<(i64, i64)>> {
    let mut query = cases::table
        .filter(cases::relisted_from_id.is_not_null())
        .group_by(cases::platform_id)
        .select((cases::platform_id, count_star()))
        .into_boxed();
    if let Some(from) = period.from {
        query = query.filter(cases::created_at.ge(from));
    }
    if let Some(to) = period.to {
        query = query.filter(cases::created_at.lt(to));
    }
    query.load(conn)
}

/// `(platform_id, reinstatements)`: the requests issued in the period whose answer was later
/// reversed, by their platform. From the rows, also for whole days (there is no counter): one row
/// per reversed answer, which the partial unique index `takedown_answers_one_change` keeps apart.
pub fn reinstatements(conn: &mut DbConnection, period: Period) -> QueryResult<Vec<(i64, i64)>> {
    crate::models::takedown_answer::TakedownAnswer::reinstatements(conn, period.from, period.to)
}

/// `(platform_id, removals confirmed, removals disputed)` by reporters, over the requests issued
/// in the period (rows, no counter).
pub fn reporter_checks(
    conn: &mut DbConnection,
    period: Period,
) -> QueryResult<Vec<(i64, i64, i64)>> {
    let mut query = takedown_requests::table
        .filter(
            takedown_requests::confirmed_at
                .is_not_null()
                .or(takedown_requests::disputed_at.is_not_null()),
        )
        .select((
            takedown_requests::platform_id,
            takedown_requests::confirmed_at,
            takedown_requests::disputed_at,
        ))
        .into_boxed();
    if let Some(from) = period.from {
        query = query.filter(takedown_requests::issued_at.ge(from));
    }
    if let Some(to) = period.to {
        query = query.filter(takedown_requests::issued_at.lt(to));
    }
    let rows: Vec<(i64, Option<NaiveDateTime>, Option<NaiveDateTime>)> = query.load(conn)?;
    let mut counts: std::collections::BTreeMap<i64, (i64, i64)> = Default::default();
    for (platform_id, confirmed, disputed) in rows {
        let entry = counts.entry(platform_id).or_default();
        if disputed.is_some() {
            entry.1 += 1;
        } else if confirmed.is_some() {
            entry.0 += 1;
        }
    }
    Ok(counts
        .into_iter()
        .map(|(id, (confirmed, disputed))| (id, confirmed, disputed))
        .collect())
}

pub fn category_counts(
    conn: &mut DbConnection,
    period: Period,
) -> QueryResult<Vec<CategoryCounts>> {
    let mut complaint_query = complaints::table
        .group_by(complaints::category_id)
        .select((complaints::category_id, count_star()))
        .into_boxed();
    if let Some(from) = period.from {
        complaint_query = complaint_query.filter(complaints::created_at.ge(from));
    }
    if let Some(to) = period.to {
        complaint_query = complaint_query.filter(complaints::created_at.lt(to));
    }
    let complaint_rows: Vec<(i64, i64)> = complaint_query.load(conn)?;

    let mut case_query = cases::table
        .group_by(cases::category_id)
        .select((
            cases::category_id,
            count_star(),
            sum_when(&is("status", CaseStatus::Rejected)),
            sum_when(&is("status", CaseStatus::Resolved)),
        ))
        .into_boxed();
    if let Some(from) = period.from {
        case_query = case_query.filter(cases::created_at.ge(from));
    }
    if let Some(to) = period.to {
        case_query = case_query.filter(cases::created_at.lt(to));
    }
    let case_rows: Vec<(i64, i64, i64, i64)> = case_query.load(conn)?;

    // Cases of the period that were forwarded at least once: a join, not a per-case subquery.
    let mut forwarded_query = takedown_requests::table
        .inner_join(cases::table)
        .group_by(cases::category_id)
        .select((
            cases::category_id,
            diesel::dsl::count(takedown_requests::case_id).aggregate_distinct(),
        ))
        .into_boxed();
    if let Some(from) = period.from {
        forwarded_query = forwarded_query.filter(cases::created_at.ge(from));
    }
    if let Some(to) = period.to {
        forwarded_query = forwarded_query.filter(cases::created_at.lt(to));
    }
    let forwarded_rows: Vec<(i64, i64)> = forwarded_query.load(conn)?;

    let mut ids: Vec<i64> = complaint_rows
        .iter()
        .map(|r| r.0)
        .chain(case_rows.iter().map(|r| r.0))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids
        .into_iter()
        .map(|category_id| {
            let complaints = complaint_rows
                .iter()
                .find(|r| r.0 == category_id)
                .map_or(0, |r| r.1);
            let (cases_opened, rejected, resolved) = case_rows
                .iter()
                .find(|r| r.0 == category_id)
                .map_or((0, 0, 0), |r| (r.1, r.2, r.3));
            let forwarded = forwarded_rows
                .iter()
                .find(|r| r.0 == category_id)
                .map_or(0, |r| r.1);
            CategoryCounts {
                category_id,
                complaints,
                cases_opened,
                rejected,
                forwarded,
                resolved,
            }
        })
        .collect())
}

// ------------------------------------------------------------------------------------------------
// The per-day counters (migration 000014, kept by triggers in the transaction of every write of a
// counted row) and what cannot be kept in them.
// ------------------------------------------------------------------------------------------------

/// The day of a timestamp as the counters key it: whole days since 1970-01-01, UTC (timestamps are
/// stored in UTC). The same as the migration's `report_day` (PostgreSQL) and
/// `strftime('%s', …) / 86400` (SQLite).
pub fn day_of(at: NaiveDateTime) -> i64 {
    at.and_utc().timestamp().div_euclid(86_400)
}

/// Midnight (UTC) at the start of `day`.
pub fn start_of_day(day: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .unwrap_or_default()
        .naive_utc()
}

/// An answer time in whole seconds as the counters record it: the difference of the two
/// timestamps' whole seconds, never negative.
pub fn answer_seconds(issued: NaiveDateTime, responded: NaiveDateTime) -> i64 {
    (responded.and_utc().timestamp() - issued.and_utc().timestamp()).max(0)
}

/// The histogram bucket of an answer time: whole minutes `m` below 32 are their own bucket; above,
/// each doubling `[2^k, 2^(k+1))` minutes is cut into 16 buckets of `2^(k-4)` minutes, so a bucket
/// is never wider than 1/16 of its lower edge. The same as the migration's
/// `report_answer_bucket` (PostgreSQL) and the `CASE` in the SQLite triggers.
pub fn answer_bucket(seconds: i64) -> i32 {
    let minutes = seconds.max(0) / 60;
    if minutes < 32 {
        return minutes as i32;
    }
    let k = 63 - minutes.leading_zeros() as i64;
    if k > 30 {
        return 16 * 27;
    }
    (16 * (k - 4) + (minutes >> (k - 4))) as i32
}

/// Whole days `[first, end)`, either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Days {
    pub first: Option<i64>,
    pub end: Option<i64>,
}

fn sum_of(column: &str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"))
}

/// `platform_id` and the twelve counters of `report_platform_days`, in column order.
type RollupRow = (
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

/// Per-platform counts of the requests issued on the days `days`, from the counters: everything
/// but `overdue` (which depends on the time of reading, see [`overdue`]).
pub fn rollup_platform_counts(
    conn: &mut DbConnection,
    days: Days,
) -> QueryResult<Vec<PlatformCounts>> {
    use crate::schema::report_platform_days as r;
    let mut query = r::table
        .group_by(r::platform_id)
        .select((
            r::platform_id,
            sum_of("issued"),
            sum_of("acknowledged"),
            sum_of("answered"),
            sum_of("answered_on_time"),
            sum_of("acted_on_time"),
            sum_of("acted_late"),
            sum_of("removed"),
            sum_of("restricted"),
            sum_of("geo_blocked"),
            sum_of("declined"),
            sum_of("needs_more_info"),
            sum_of("relistings"),
        ))
        .into_boxed();
    if let Some(first) = days.first {
        query = query.filter(r::day.ge(first));
    }
    if let Some(end) = days.end {
        query = query.filter(r::day.lt(end));
    }
    let rows: Vec<RollupRow> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| PlatformCounts {
            platform_id: row.0,
            issued: row.1,
            acknowledged: row.2,
            answered: row.3,
            answered_on_time: row.4,
            acted_on_time: row.5,
            acted_late: row.6,
            pending: row.1 - row.3,
            overdue: 0,
            removed: row.7,
            restricted: row.8,
            geo_blocked: row.9,
            declined: row.10,
            needs_more_info: row.11,
            relistings: row.12,
            reinstatements: 0,
            removals_confirmed: 0,
            removals_disputed: 0,
        })
        .collect())
}

/// Per-category counts of the complaints and cases created on the days `days`, from the counters.
pub fn rollup_category_counts(
    conn: &mut DbConnection,
    days: Days,
) -> QueryResult<Vec<CategoryCounts>> {
    use crate::schema::report_category_days as r;
    let mut query = r::table
        .group_by(r::category_id)
        .select((
            r::category_id,
            sum_of("complaints"),
            sum_of("cases_opened"),
            sum_of("rejected"),
            sum_of("forwarded"),
            sum_of("resolved"),
        ))
        .into_boxed();
    if let Some(first) = days.first {
        query = query.filter(r::day.ge(first));
    }
    if let Some(end) = days.end {
        query = query.filter(r::day.lt(end));
    }
    let rows: Vec<(i64, i64, i64, i64, i64, i64)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| CategoryCounts {
            category_id: row.0,
            complaints: row.1,
            cases_opened: row.2,
            rejected: row.3,
            forwarded: row.4,
            resolved: row.5,
        })
        .collect())
}

/// `(platform_id, bucket, answers, seconds)`: the answer-time histogram of the requests issued on
/// the days `days`, from the counters (buckets without answers left out).
pub fn rollup_answer_times(
    conn: &mut DbConnection,
    days: Days,
) -> QueryResult<Vec<(i64, i32, i64, i64)>> {
    use crate::schema::report_answer_times as r;
    let mut query = r::table
        .group_by((r::platform_id, r::bucket))
        .select((
            r::platform_id,
            r::bucket,
            sum_of("answers"),
            sum_of("seconds"),
        ))
        .into_boxed();
    if let Some(first) = days.first {
        query = query.filter(r::day.ge(first));
    }
    if let Some(end) = days.end {
        query = query.filter(r::day.lt(end));
    }
    let rows: Vec<(i64, i32, i64, i64)> = query.load(conn)?;
    Ok(rows.into_iter().filter(|row| row.2 != 0).collect())
}

/// `(platform_id, requests)`: the unanswered requests issued on the days `days` that are due
/// after the hour `hour` (whole hours since 1970-01-01, UTC), from the counters — not yet due at
/// any time within that hour. `overdue` changes with the clock, so it is `pending` minus these
/// and [`due_within`] the current hour; the rows read are only those of future hours
/// (`report_unanswered_due_hour`).
pub fn rollup_due_after(
    conn: &mut DbConnection,
    days: Days,
    hour: i64,
) -> QueryResult<Vec<(i64, i64)>> {
    use crate::schema::report_unanswered_due as r;
    let mut query = r::table
        .filter(r::due_hour.gt(hour))
        .group_by(r::platform_id)
        .select((r::platform_id, sum_of("requests")))
        .into_boxed();
    if let Some(first) = days.first {
        query = query.filter(r::day.ge(first));
    }
    if let Some(end) = days.end {
        query = query.filter(r::day.lt(end));
    }
    let rows: Vec<(i64, i64)> = query.load(conn)?;
    Ok(rows.into_iter().filter(|row| row.1 != 0).collect())
}

/// `(platform_id, requests)`: the unanswered requests issued in the period that are due in
/// `[from, until)`, from the rows (`takedown_requests_unanswered`; the status is spelled
/// literally so that the partial index serves it on SQLite too).
pub fn due_within(
    conn: &mut DbConnection,
    period: Period,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64)>> {
    let unanswered = format!("NOT ({})", is("status", TakedownStatus::Answered));
    let mut query = takedown_requests::table
        .filter(sql::<diesel::sql_types::Bool>(&unanswered))
        .filter(takedown_requests::due_at.ge(from))
        .filter(takedown_requests::due_at.lt(until))
        .group_by(takedown_requests::platform_id)
        .select((takedown_requests::platform_id, count_star()))
        .into_boxed();
    if let Some(from) = period.from {
        query = query.filter(takedown_requests::issued_at.ge(from));
    }
    if let Some(to) = period.to {
        query = query.filter(takedown_requests::issued_at.lt(to));
    }
    query.load(conn)
}

/// The ministry's own findings in a period: complaints filed with source MINISTRY, and the cases
/// they opened (counted apart from the public's in the transparency report). Two statements.
pub fn ministry_counts(
    conn: &mut crate::DbConnection,
    period: Period,
) -> diesel::QueryResult<(i64, i64)> {
    use crate::schema::{cases, complaints};
    use diesel::prelude::*;
    use laporlapak_domain::ReportSource;
    let mut findings = complaints::table
        .filter(complaints::source.eq(ReportSource::Ministry))
        .into_boxed();
    let mut opened = cases::table
        .filter(cases::source.eq(ReportSource::Ministry))
        .into_boxed();
    if let Some(from) = period.from {
        findings = findings.filter(complaints::created_at.ge(from));
        opened = opened.filter(cases::created_at.ge(from));
    }
    if let Some(to) = period.to {
        findings = findings.filter(complaints::created_at.lt(to));
        opened = opened.filter(cases::created_at.lt(to));
    }
    Ok((
        findings.count().get_result(conn)?,
        opened.count().get_result(conn)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_contiguous_and_at_most_a_sixteenth_wide() {
        assert_eq!(answer_bucket(-5), 0);
        assert_eq!(answer_bucket(59), 0);
        assert_eq!(answer_bucket(60), 1);
        assert_eq!(answer_bucket(31 * 60), 31);
        assert_eq!(answer_bucket(32 * 60), 32);
        assert_eq!(answer_bucket(64 * 60), 48);
        // The same values as the migration's report_answer_bucket on PostgreSQL.
        assert_eq!(answer_bucket(7_200), 62);
        assert_eq!(answer_bucket(36_000), 98);
        assert_eq!(answer_bucket(108_000), 124);
        let mut previous = 0;
        let mut lower_edge = 0i64;
        for minutes in 0..2_000_000i64 {
            let bucket = answer_bucket(minutes * 60);
            assert!(bucket == previous || bucket == previous + 1, "{minutes}");
            if bucket != previous {
                let width = minutes - lower_edge;
                assert!(width == 1 || width * 16 <= lower_edge, "{minutes}: {width}");
                lower_edge = minutes;
                previous = bucket;
            }
        }
    }

    #[test]
    fn days_are_utc_calendar_days() {
        let at =
            |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap_or_default();
        assert_eq!(day_of(at("1970-01-01 23:59:59.999")), 0);
        assert_eq!(day_of(at("2026-11-30 00:00:00")), 20_787);
        assert_eq!(start_of_day(20_787), at("2026-11-30 00:00:00"));
        assert_eq!(
            answer_seconds(at("2026-11-30 10:00:00.9"), at("2026-11-30 12:00:00.1")),
            7_200
        );
    }
}

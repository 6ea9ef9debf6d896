//! Aggregates for the public transparency report, computed in the database with portable SQL
//! (`COUNT`, `SUM(CASE …)`, `GROUP BY`) so both backends give the same numbers.

use std::ops::AddAssign;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, sql};
use diesel::expression_methods::AggregateExpressionMethods as _;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::DbConnection;
use crate::db::schema::{cases, complaints, takedown_requests};
use crate::domain::{CaseStatus, TakedownAction, TakedownStatus};

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
#[derive(Debug, Clone, Copy, Default)]
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

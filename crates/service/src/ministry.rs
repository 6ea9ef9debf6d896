//! The ministry's own figures beside the platforms': per UTC calendar month, how fast it decides
//! the cases opened that month, how many it has not decided yet (the backlog, and now by age),
//! the questions it asked reporters and those left unanswered, its rejections by reason and the
//! appeals against them. Counted from the rows (no counter to drift), so a recount is the same
//! computation: the figures are exact.
//!
//! Definitions:
//! * a case belongs to the month it was opened in; its *triage decision* is the first time it was
//!   forwarded, rejected, escalated or recommended to Komdigi (the audit trail's
//!   `case.forwarded`, `case.rejected`, `case.escalated`, `case.recommended`); *hours to triage*
//!   run from the case's opening to that decision, in whole seconds; median and 90th percentile
//!   interpolate between the two nearest ranks (PostgreSQL's `percentile_cont`);
//! * *undecided*: of the month's cases, those still OPEN, IN_REVIEW or AWAITING_INFO now;
//! * *questions asked*: `case.information_requested` events in the month; *left unanswered*:
//!   cases closed in the month because the reporters did not answer in time
//!   (`case.closed_no_reply`);
//! * *rejected by reason*: of the month's cases, those REJECTED now, by reason code;
//! * *appeals*: filed in the month, by decision (pending, upheld, granted).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use laporlapak_db::models::ministry;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{AppealDecision, AuditAction, CaseStatus, RejectionReason};

/// Most months one request may ask for.
pub const MAX_MONTHS: i32 = 36;
/// Months shown when none are asked for.
pub const DEFAULT_MONTHS: i32 = 12;

/// The ministry's figures of one month.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonthFigures {
    /// The first instant of the month (UTC).
    pub month: NaiveDateTime,
    pub complaints: i64,
    pub cases_opened: i64,
    /// Of the month's cases, those with a triage decision.
    pub triaged: i64,
    pub median_hours_to_triage: Option<f64>,
    pub p90_hours_to_triage: Option<f64>,
    /// Of the month's cases, those undecided now.
    pub undecided: i64,
    pub questions_asked: i64,
    pub questions_unanswered: i64,
    /// Of the month's cases, those rejected now.
    pub rejected: i64,
    /// `rejected` by reason code (every code, zero included, in the codes' order); cases rejected
    /// before reasons were recorded count under OTHER.
    pub rejected_by_reason: Vec<(RejectionReason, i64)>,
    pub appeals_filed: i64,
    pub appeals_pending: i64,
    pub appeals_upheld: i64,
    pub appeals_granted: i64,
}

impl MonthFigures {
    /// `rejected` ÷ `triaged`, from 0 to 1; null when nothing was decided.
    pub fn rejection_rate(&self) -> Option<f64> {
        (self.triaged > 0).then(|| self.rejected as f64 / self.triaged as f64)
    }
}

/// The backlog now by age (from the case's opening): under 3 days, 3 to 7, 7 to 30, over 30.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backlog {
    pub under_3_days: i64,
    pub from_3_to_7_days: i64,
    pub from_7_to_30_days: i64,
    pub over_30_days: i64,
}

impl Backlog {
    pub fn total(&self) -> i64 {
        self.under_3_days + self.from_3_to_7_days + self.from_7_to_30_days + self.over_30_days
    }
}

#[derive(Debug, Clone)]
pub struct MinistryFigures {
    pub generated_at: NaiveDateTime,
    /// Oldest month first; the last is the current month (so far).
    pub months: Vec<MonthFigures>,
    pub backlog: Backlog,
}

/// The first instant of the month of `at`.
pub fn month_of(at: NaiveDateTime) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(at.year(), at.month(), 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or(at)
}

/// The first instant of the month after the one starting at `month`.
pub fn next_month(month: NaiveDateTime) -> NaiveDateTime {
    let (year, m) = if month.month() == 12 {
        (month.year() + 1, 1)
    } else {
        (month.year(), month.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, m, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or(month)
}

/// The first instants of the `count` months ending with the month of `now`, oldest first.
pub fn months_until(now: NaiveDateTime, count: i32) -> Vec<NaiveDateTime> {
    let mut months = vec![month_of(now)];
    for _ in 1..count {
        let first = months[0];
        let previous = month_of(first - chrono::TimeDelta::days(1));
        months.insert(0, previous);
    }
    months
}

/// The `p` quantile of `sorted` (ascending), interpolated linearly between the two nearest ranks.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = p.clamp(0.0, 1.0) * last as f64;
    let (lower, upper) = (position.floor() as usize, position.ceil() as usize);
    let (low, high) = (sorted[lower], sorted[upper]);
    Some(low + (high - low) * (position - lower as f64))
}

/// `months` months (1 to [`MAX_MONTHS`], [`DEFAULT_MONTHS`] when `None`) ending with the current
/// one; BAD_USER_INPUT on `months` otherwise.
pub fn months_asked(months: Option<i32>) -> ServiceResult<i32> {
    let months = months.unwrap_or(DEFAULT_MONTHS);
    if (1..=MAX_MONTHS).contains(&months) {
        Ok(months)
    } else {
        Err(ServiceError::bad_input(
            "months",
            Msg::OutOfRange {
                min: 1,
                max: i64::from(MAX_MONTHS),
            },
        ))
    }
}

/// The ministry's figures of the last `months` months.
pub async fn figures(
    services: &Services,
    months: Option<i32>,
) -> ServiceResult<Arc<MinistryFigures>> {
    let months = months_asked(months)?;
    let now = services.clock.now();
    services
        .db
        .run(move |conn| Ok(Arc::new(gather(conn, now, months)?)))
        .await
}

fn gather(
    conn: &mut laporlapak_db::DbConnection,
    now: NaiveDateTime,
    count: i32,
) -> diesel::QueryResult<MinistryFigures> {
    let starts = months_until(now, count);
    let (from, to) = (starts[0], next_month(*starts.last().unwrap_or(&starts[0])));
    let mut months: BTreeMap<NaiveDateTime, MonthFigures> = BTreeMap::new();
    for &start in &starts {
        months.insert(
            start,
            MonthFigures {
                month: start,
                complaints: ministry::complaints(conn, start, next_month(start))?,
                rejected_by_reason: RejectionReason::ALL.iter().map(|r| (*r, 0)).collect(),
                ..MonthFigures::default()
            },
        );
    }
    let mut hours: BTreeMap<NaiveDateTime, Vec<f64>> = BTreeMap::new();
    for case in ministry::opened_cases(conn, from, to)? {
        let Some(figures) = months.get_mut(&month_of(case.created_at)) else {
            continue;
        };
        figures.cases_opened += 1;
        if let Some(decided) = case.decided_at {
            figures.triaged += 1;
            let seconds = decided.and_utc().timestamp() - case.created_at.and_utc().timestamp();
            hours
                .entry(figures.month)
                .or_default()
                .push(seconds.max(0) as f64 / 3600.0);
        }
        if ministry::UNDECIDED.contains(&case.status) {
            figures.undecided += 1;
        }
        if case.status == CaseStatus::Rejected {
            figures.rejected += 1;
            let reason = case.rejection_reason.unwrap_or(RejectionReason::Other);
            if let Some(slot) = figures
                .rejected_by_reason
                .iter_mut()
                .find(|(r, _)| *r == reason)
            {
                slot.1 += 1;
            }
        }
    }
    for (month, mut values) in hours {
        values.sort_by(f64::total_cmp);
        if let Some(figures) = months.get_mut(&month) {
            figures.median_hours_to_triage = percentile(&values, 0.5);
            figures.p90_hours_to_triage = percentile(&values, 0.9);
        }
    }
    for (action, at) in ministry::events_at(
        conn,
        &[
            AuditAction::CaseInformationRequested,
            AuditAction::CaseClosedNoReply,
        ],
        from,
        to,
    )? {
        if let Some(figures) = months.get_mut(&month_of(at)) {
            if action == AuditAction::CaseInformationRequested {
                figures.questions_asked += 1;
            } else {
                figures.questions_unanswered += 1;
            }
        }
    }
    for (filed_at, decision) in ministry::appeals(conn, from, to)? {
        if let Some(figures) = months.get_mut(&month_of(filed_at)) {
            figures.appeals_filed += 1;
            match decision {
                None => figures.appeals_pending += 1,
                Some(AppealDecision::Upheld) => figures.appeals_upheld += 1,
                Some(AppealDecision::Granted) => figures.appeals_granted += 1,
            }
        }
    }
    let mut backlog = Backlog::default();
    for created_at in ministry::backlog(conn)? {
        let days = (now - created_at).num_seconds() as f64 / 86_400.0;
        match days {
            d if d < 3.0 => backlog.under_3_days += 1,
            d if d < 7.0 => backlog.from_3_to_7_days += 1,
            d if d < 30.0 => backlog.from_7_to_30_days += 1,
            _ => backlog.over_30_days += 1,
        }
    }
    Ok(MinistryFigures {
        generated_at: now,
        months: months.into_values().collect(),
        backlog,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn months_run_back_across_a_year_end() {
        let months = months_until(at("2026-02-15 10:00"), 4);
        assert_eq!(
            months,
            vec![
                at("2025-11-01 00:00"),
                at("2025-12-01 00:00"),
                at("2026-01-01 00:00"),
                at("2026-02-01 00:00")
            ]
        );
        assert_eq!(next_month(at("2025-12-01 00:00")), at("2026-01-01 00:00"));
        assert!(months_asked(Some(0)).is_err() && months_asked(Some(37)).is_err());
    }

    #[test]
    fn percentiles_interpolate() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((percentile(&ten, 0.9).unwrap_or_default() - 9.1).abs() < 1e-9);
    }
}

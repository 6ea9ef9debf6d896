//! The scorecard's split of the legal chain (docs/legal-chain.md): per platform, Komdigi's
//! orders — statutory compliance, breaches, sanctions — apart from the ministry's notices —
//! responsiveness against the platform's own committed time, which is never a breach of the law.
//!
//! Orders, objections and sanctions are few (one per Komdigi letter), so they are counted from
//! their rows (orders through the `(kind, issued_at)` index); a notice figure is the report's
//! figure for every request minus the orders' (and minus the notices an objection withdrew or
//! pauses), so it costs no scan of the notices.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::QueryResult;

use laporlapak_db::DbConnection;
use laporlapak_db::models::objection::Objection;
use laporlapak_db::models::report::{Period, PlatformCounts};
use laporlapak_db::models::sanction::Sanction;
use laporlapak_db::models::takedown_request::TakedownRequest;
use laporlapak_domain::{CaseStatus, ObjectionStatus};

/// One platform's legal-chain figures for the requests issued in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegalCounts {
    /// Komdigi orders issued.
    pub orders_issued: i64,
    pub orders_answered: i64,
    /// Answered within the statutory time (1×24 h, 4 h urgent, plus any paused time).
    pub orders_answered_on_time: i64,
    /// Acted on (removed, restricted, geo-blocked) within the statutory time.
    pub orders_acted_on_time: i64,
    /// Unanswered, standing orders (not withdrawn).
    pub orders_pending: i64,
    /// Statutory breaches: orders answered after their deadline, or unanswered past it now (a
    /// paused or withdrawn order is neither).
    pub statutory_breaches: i64,
    pub orders_withdrawn: i64,
    /// The ministry's notices issued.
    pub notices_issued: i64,
    /// Notices answered within the platform's own committed time.
    pub notices_answered_on_time: i64,
    /// Notices answered after the platform's committed time: late against its commitment, not a
    /// breach of the law.
    pub notices_answered_late: i64,
    /// Notices unanswered past the platform's committed time now.
    pub notices_overdue: i64,
    pub notices_withdrawn: i64,
    /// Sanctions Komdigi recorded against the platform in the period.
    pub sanctions: i64,
    /// Objections (sanggah) to requests issued in the period, by outcome.
    pub objections: i64,
    pub objections_pending: i64,
    pub objections_upheld: i64,
    pub objections_rejected: i64,
}

impl std::ops::AddAssign<&LegalCounts> for LegalCounts {
    fn add_assign(&mut self, other: &LegalCounts) {
        let LegalCounts {
            orders_issued,
            orders_answered,
            orders_answered_on_time,
            orders_acted_on_time,
            orders_pending,
            statutory_breaches,
            orders_withdrawn,
            notices_issued,
            notices_answered_on_time,
            notices_answered_late,
            notices_overdue,
            notices_withdrawn,
            sanctions,
            objections,
            objections_pending,
            objections_upheld,
            objections_rejected,
        } = other;
        self.orders_issued += orders_issued;
        self.orders_answered += orders_answered;
        self.orders_answered_on_time += orders_answered_on_time;
        self.orders_acted_on_time += orders_acted_on_time;
        self.orders_pending += orders_pending;
        self.statutory_breaches += statutory_breaches;
        self.orders_withdrawn += orders_withdrawn;
        self.notices_issued += notices_issued;
        self.notices_answered_on_time += notices_answered_on_time;
        self.notices_answered_late += notices_answered_late;
        self.notices_overdue += notices_overdue;
        self.notices_withdrawn += notices_withdrawn;
        self.sanctions += sanctions;
        self.objections += objections;
        self.objections_pending += objections_pending;
        self.objections_upheld += objections_upheld;
        self.objections_rejected += objections_rejected;
    }
}

/// What one request adds to the figures of its kind, apart from notices derived from totals.
#[derive(Default)]
struct Tally {
    issued: i64,
    answered: i64,
    answered_on_time: i64,
    acted_on_time: i64,
    /// Unanswered, standing (counted pending by the report's counters too).
    pending: i64,
    /// Unanswered past `due_at` now, whatever its pause or withdrawal: what the report's
    /// `overdue` holds of it.
    raw_overdue: i64,
    /// Unanswered past `due_at`, standing and running: overdue in truth.
    overdue: i64,
    withdrawn: i64,
}

fn tally(request: &TakedownRequest, now: NaiveDateTime, tally: &mut Tally) {
    tally.issued += 1;
    match request.responded_at {
        Some(responded) => {
            tally.answered += 1;
            if responded <= request.due_at {
                tally.answered_on_time += 1;
                if request
                    .action
                    .is_some_and(|a| a.case_status() == CaseStatus::Resolved)
                {
                    tally.acted_on_time += 1;
                }
            }
        }
        None => {
            let past_due = now > request.due_at;
            tally.raw_overdue += i64::from(past_due);
            if request.withdrawn_at.is_some() {
                tally.withdrawn += 1;
            } else {
                tally.pending += 1;
                tally.overdue += i64::from(past_due && request.paused_at.is_none());
            }
        }
    }
}

/// The legal-chain figures of `period` per platform; `counts` are the report's figures for every
/// request of each platform (notices are those minus the orders).
pub fn gather(
    conn: &mut DbConnection,
    period: Period,
    now: NaiveDateTime,
    counts: &BTreeMap<i64, PlatformCounts>,
) -> QueryResult<BTreeMap<i64, LegalCounts>> {
    let mut orders: BTreeMap<i64, Tally> = BTreeMap::new();
    for order in TakedownRequest::orders_issued(conn, period.from, period.to)? {
        tally(&order, now, orders.entry(order.platform_id).or_default());
    }
    // Notices an objection withdrew or pauses: out of the notices' pending and overdue.
    let mut set_aside: BTreeMap<i64, Tally> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for notice in TakedownRequest::notices_objected_to(conn, period.from, period.to)? {
        if seen.insert(notice.id) && notice.responded_at.is_none() {
            tally(
                &notice,
                now,
                set_aside.entry(notice.platform_id).or_default(),
            );
        }
    }
    let mut out: BTreeMap<i64, LegalCounts> = BTreeMap::new();
    let platform_ids: std::collections::BTreeSet<i64> =
        counts.keys().chain(orders.keys()).copied().collect();
    for platform_id in platform_ids {
        let all = counts.get(&platform_id).cloned().unwrap_or_default();
        let order = orders.remove(&platform_id).unwrap_or_default();
        let aside = set_aside.remove(&platform_id).unwrap_or_default();
        let figures = out.entry(platform_id).or_default();
        figures.orders_issued = order.issued;
        figures.orders_answered = order.answered;
        figures.orders_answered_on_time = order.answered_on_time;
        figures.orders_acted_on_time = order.acted_on_time;
        figures.orders_pending = order.pending;
        figures.statutory_breaches = (order.answered - order.answered_on_time) + order.overdue;
        figures.orders_withdrawn = order.withdrawn;
        figures.notices_issued = (all.issued - order.issued).max(0);
        figures.notices_answered_on_time = (all.answered_on_time - order.answered_on_time).max(0);
        figures.notices_answered_late = ((all.answered - all.answered_on_time)
            - (order.answered - order.answered_on_time))
            .max(0);
        figures.notices_overdue =
            (all.overdue - order.raw_overdue - aside.raw_overdue + aside.overdue).max(0);
        figures.notices_withdrawn = aside.withdrawn;
    }
    for sanction in Sanction::recorded(conn, None, period.from, period.to)? {
        out.entry(sanction.platform_id).or_default().sanctions += 1;
    }
    for (platform_id, _, status) in Objection::of_requests_issued(conn, period.from, period.to)? {
        let figures = out.entry(platform_id).or_default();
        figures.objections += 1;
        match status {
            ObjectionStatus::Pending => figures.objections_pending += 1,
            ObjectionStatus::Upheld => figures.objections_upheld += 1,
            ObjectionStatus::Rejected => figures.objections_rejected += 1,
        }
    }
    Ok(out)
}

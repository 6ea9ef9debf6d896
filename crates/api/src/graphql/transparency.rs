//! `transparencyReport(from, to)`: public, aggregated, no personal data.

use crate::graphql::datetime::DateTime;
use async_graphql::{Context, Description, Object, SimpleObject};

use crate::graphql::ContextExt as _;
use crate::graphql::reference::{Category, Platform};
use laporlapak_service::transparency::{
    self as service, CategoryReport, LegalCounts, PlatformCompliance as Row, PlatformCounts, Report,
};

fn int(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// How one platform answered the takedown requests issued in the period. Counts are of requests;
/// *acted* means answered REMOVED, RESTRICTED or GEO_BLOCKED. The counts without a prefix mix both
/// kinds of request, each against its own deadline (a notice's is the platform's committed time,
/// an order's the statutory one): `orders` and `notices` tell them apart, and only
/// `orders.statutoryBreaches` counts breaches of the law.
#[derive(Description)]
pub struct PlatformCompliance(Row);

#[Object(use_type_description)]
impl PlatformCompliance {
    /// The platform (inactive platforms are listed only when they were sent requests).
    async fn platform(&self) -> Platform {
        Platform(self.0.platform.clone())
    }
    /// Takedown requests issued to the platform in the period.
    async fn requests_issued(&self) -> i32 {
        int(self.0.counts.issued)
    }
    /// Of those, requests the platform acknowledged.
    async fn acknowledged(&self) -> i32 {
        int(self.0.counts.acknowledged)
    }
    /// Of those, requests the platform answered, on time or late.
    async fn answered(&self) -> i32 {
        int(self.0.counts.answered)
    }
    /// Answered at or before the request's deadline (the platform's committed time for a notice,
    /// the statutory time for an order).
    async fn answered_on_time(&self) -> i32 {
        int(self.0.counts.answered_on_time)
    }
    /// Removed, restricted or geo-blocked at or before the deadline.
    async fn acted_on_time(&self) -> i32 {
        int(self.0.counts.acted_on_time)
    }
    /// Removed, restricted or geo-blocked after the deadline.
    async fn acted_late(&self) -> i32 {
        int(self.0.counts.acted_late)
    }
    /// Not answered yet, whether or not past the deadline.
    async fn pending(&self) -> i32 {
        int(self.0.counts.pending)
    }
    /// Not answered and past the request's deadline, now (for notices, past the platform's own
    /// commitment, not a breach of the law: see `orders.statutoryBreaches`).
    async fn overdue(&self) -> i32 {
        int(self.0.counts.overdue)
    }
    /// Answered REMOVED.
    async fn removed(&self) -> i32 {
        int(self.0.counts.removed)
    }
    /// Answered RESTRICTED.
    async fn restricted(&self) -> i32 {
        int(self.0.counts.restricted)
    }
    /// Answered GEO_BLOCKED.
    async fn geo_blocked(&self) -> i32 {
        int(self.0.counts.geo_blocked)
    }
    /// Answered DECLINED.
    async fn declined(&self) -> i32 {
        int(self.0.counts.declined)
    }
    /// Answered NEEDS_MORE_INFO.
    async fn needs_more_info(&self) -> i32 {
        int(self.0.counts.needs_more_info)
    }
    /// Cases opened in the period on this platform that re-list a listing after a removal
    /// (`Case.relisted`): removals that did not stick.
    async fn relistings(&self) -> i32 {
        int(self.0.counts.relistings)
    }
    /// Requests issued in the period whose answer the platform later reversed
    /// (`reportReinstatement`): actions that did not last.
    async fn reinstatements(&self) -> i32 {
        int(self.0.counts.reinstatements)
    }
    /// Sellers on this platform's watchlist (`watchlist`: the handles of confirmed sellers) who
    /// were reported again on it in the period, after they were listed: a platform that acts on
    /// its watchlist shows fewer.
    async fn watchlisted_sellers_re_reported(&self) -> i32 {
        int(self.0.watchlist_rereported)
    }
    /// Requests issued in the period whose removal (or account action) a reporter, asked "is it
    /// still online?", confirmed: the listing is gone.
    async fn removals_confirmed_by_reporters(&self) -> i32 {
        int(self.0.counts.removals_confirmed)
    }
    /// Requests issued in the period whose removal a reporter disputed: the listing was still
    /// online, and the case went back to review.
    async fn removals_disputed(&self) -> i32 {
        int(self.0.counts.removals_disputed)
    }
    /// Median hours from `issuedAt` to the recorded answer, over answered requests (interpolated
    /// between the two nearest ranks, each answer counted at the mean of its histogram bucket:
    /// within 6.25% of the exact figure, or a minute below 32 minutes); null when none was
    /// answered.
    async fn median_hours_to_answer(&self) -> Option<f64> {
        self.0.median_hours
    }
    /// 90th-percentile hours from `issuedAt` to the recorded answer, over answered requests
    /// (interpolated between the two nearest ranks, each answer counted at the mean of its
    /// histogram bucket: within 6.25% of the exact figure, or a minute below 32 minutes); null
    /// when none was answered.
    async fn p90_hours_to_answer(&self) -> Option<f64> {
        self.0.p90_hours
    }
    /// `actedOnTime` ÷ `requestsIssued`, from 0 to 1; null when none were issued.
    async fn compliance_rate(&self) -> Option<f64> {
        self.0.compliance_rate()
    }
    /// Komdigi's orders to the platform issued in the period: statutory compliance.
    async fn orders(&self) -> OrderCompliance {
        OrderCompliance::from(&self.0.legal)
    }
    /// The ministry's notices to the platform issued in the period: responsiveness against the
    /// platform's own committed time (never a statutory breach).
    async fn notices(&self) -> NoticeResponsiveness {
        NoticeResponsiveness::from(&self.0.legal)
    }
    /// Administrative sanctions Komdigi recorded against the platform in the period.
    async fn sanctions(&self) -> i32 {
        int(self.0.legal.sanctions)
    }
    /// The platform's objections (sanggah) to requests issued in the period, by outcome.
    async fn objections(&self) -> ObjectionCounts {
        ObjectionCounts::from(&self.0.legal)
    }
}

/// Komdigi's orders (Permenkominfo 5/2020 Art. 14–15): due 1×24 hours after receipt, 4 hours for
/// the urgent kinds, plus any time an objection paused the clock.
#[derive(SimpleObject)]
pub struct OrderCompliance {
    /// Orders issued in the period.
    pub issued: i32,
    /// Of those, answered (on time or late).
    pub answered: i32,
    /// Answered within the statutory time.
    pub answered_on_time: i32,
    /// Removed, restricted or geo-blocked within the statutory time.
    pub acted_on_time: i32,
    /// Unanswered and standing (not withdrawn).
    pub pending: i32,
    /// Breaches of the statutory deadline: answered after it, or unanswered past it now (an order
    /// paused by a pending objection, or withdrawn, is not one).
    pub statutory_breaches: i32,
    /// Withdrawn after an objection was upheld.
    pub withdrawn: i32,
}

impl From<&LegalCounts> for OrderCompliance {
    fn from(l: &LegalCounts) -> Self {
        Self {
            issued: int(l.orders_issued),
            answered: int(l.orders_answered),
            answered_on_time: int(l.orders_answered_on_time),
            acted_on_time: int(l.orders_acted_on_time),
            pending: int(l.orders_pending),
            statutory_breaches: int(l.statutory_breaches),
            withdrawn: int(l.orders_withdrawn),
        }
    }
}

/// The ministry's notices: acted on under the platform's own policies, due after the response
/// time the platform committed to (`Platform.responseHours`, `urgentResponseHours`). Lateness here
/// is against that commitment and is not a breach of the law.
#[derive(SimpleObject)]
pub struct NoticeResponsiveness {
    /// Notices issued in the period.
    pub issued: i32,
    /// Answered within the platform's committed time.
    pub answered_on_time: i32,
    /// Answered after the platform's committed time: late against its commitment, not a
    /// statutory breach.
    pub answered_late_against_commitment: i32,
    /// Unanswered past the platform's committed time now (not paused, not withdrawn).
    pub overdue_against_commitment: i32,
    /// Withdrawn after an objection was upheld.
    pub withdrawn: i32,
}

impl From<&LegalCounts> for NoticeResponsiveness {
    fn from(l: &LegalCounts) -> Self {
        Self {
            issued: int(l.notices_issued),
            answered_on_time: int(l.notices_answered_on_time),
            answered_late_against_commitment: int(l.notices_answered_late),
            overdue_against_commitment: int(l.notices_overdue),
            withdrawn: int(l.notices_withdrawn),
        }
    }
}

/// Objections (sanggah) to requests issued in the period, by outcome.
#[derive(SimpleObject)]
pub struct ObjectionCounts {
    /// Objections filed.
    pub filed: i32,
    /// Under review; the request's clock is paused.
    pub pending: i32,
    /// Upheld: the request was withdrawn.
    pub upheld: i32,
    /// Rejected: the clock resumed.
    pub rejected: i32,
}

impl From<&LegalCounts> for ObjectionCounts {
    fn from(l: &LegalCounts) -> Self {
        Self {
            filed: int(l.objections),
            pending: int(l.objections_pending),
            upheld: int(l.objections_upheld),
            rejected: int(l.objections_rejected),
        }
    }
}

/// The legal chain over every platform.
#[derive(SimpleObject)]
pub struct LegalChainTotals {
    /// Komdigi's orders over every platform.
    pub orders: OrderCompliance,
    /// The ministry's notices over every platform.
    pub notices: NoticeResponsiveness,
    /// Sanctions recorded in the period.
    pub sanctions: i32,
    /// Objections to requests issued in the period.
    pub objections: ObjectionCounts,
}

/// What happened to the complaints and cases of one category created in the period.
#[derive(Description)]
pub struct CategoryCounts(CategoryReport);

#[Object(use_type_description)]
impl CategoryCounts {
    /// The category counted.
    async fn category(&self) -> Category {
        Category(self.0.category.clone())
    }
    /// Complaints received in the period.
    async fn complaints(&self) -> i32 {
        int(self.0.counts.complaints)
    }
    /// Cases opened in the period.
    async fn cases_opened(&self) -> i32 {
        int(self.0.counts.cases_opened)
    }
    /// Of the cases opened, those rejected after review.
    async fn rejected(&self) -> i32 {
        int(self.0.counts.rejected)
    }
    /// Of the cases opened, those sent to a platform as a takedown request.
    async fn forwarded(&self) -> i32 {
        int(self.0.counts.forwarded)
    }
    /// Of the cases opened, those resolved by the platform's action.
    async fn resolved(&self) -> i32 {
        int(self.0.counts.resolved)
    }
}

/// Every platform and category together, with the same definitions as `PlatformCompliance`.
#[derive(SimpleObject)]
pub struct ReportTotals {
    /// Complaints received in the period.
    pub complaints: i32,
    /// Cases opened in the period.
    pub cases_opened: i32,
    /// Of `complaints`, the ministry's own findings (`openMinistryCase`, source MINISTRY), counted
    /// apart from the public's reports.
    pub ministry_findings: i32,
    /// Of `casesOpened`, the cases the ministry's own findings opened.
    pub ministry_cases_opened: i32,
    /// Takedown requests issued in the period.
    pub requests_issued: i32,
    /// Of those, requests answered, on time or late.
    pub answered: i32,
    /// Answered at or before the deadline.
    pub answered_on_time: i32,
    /// Removed, restricted or geo-blocked at or before the deadline.
    pub acted_on_time: i32,
    /// Not answered yet.
    pub pending: i32,
    /// Not answered and past the deadline, now.
    pub overdue: i32,
    /// Answered DECLINED.
    pub declined: i32,
    /// Requests issued in the period whose answer was later reversed (`reportReinstatement`).
    pub reinstatements: i32,
    /// Median hours from issue to answer over every answered request (within 6.25%, as for
    /// `PlatformCompliance.medianHoursToAnswer`); null when none was answered.
    pub median_hours_to_answer: Option<f64>,
    /// 90th-percentile hours from issue to answer over every answered request (within 6.25%, as
    /// for `PlatformCompliance.p90HoursToAnswer`); null when none was answered.
    pub p90_hours_to_answer: Option<f64>,
    /// `actedOnTime` ÷ `requestsIssued`, from 0 to 1; null when none were issued.
    pub compliance_rate: Option<f64>,
}

/// The public transparency report of a period: per platform, how takedown requests were answered;
/// per category, what happened to complaints. Aggregates only: no person can be identified from it.
/// Requests count in the period they were issued in, complaints and cases in the one they were
/// created in (timestamps are UTC; whole UTC days are read from per-day counters, the partial days
/// at either end of the period from the rows, with the same result); figures may be up to a minute
/// old.
#[derive(Description)]
pub struct TransparencyReport(std::sync::Arc<Report>);

#[Object(use_type_description)]
impl TransparencyReport {
    /// The start of the period (inclusive) as asked; null for "since the beginning".
    async fn from(&self) -> Option<DateTime> {
        self.0.period.from.map(Into::into)
    }
    /// The end of the period (exclusive) as asked; null for "until now".
    async fn to(&self) -> Option<DateTime> {
        self.0.period.to.map(Into::into)
    }
    /// When these figures were computed (reports are cached for up to a minute).
    async fn generated_at(&self) -> DateTime {
        self.0.generated_at.into()
    }
    /// One entry per active platform, and per inactive platform that was sent requests in the
    /// period.
    async fn platforms(&self) -> Vec<PlatformCompliance> {
        self.0
            .platforms
            .iter()
            .cloned()
            .map(PlatformCompliance)
            .collect()
    }
    /// One entry per active category, and per inactive category that received complaints in the
    /// period, in display order.
    async fn categories(&self) -> Vec<CategoryCounts> {
        self.0
            .categories
            .iter()
            .cloned()
            .map(CategoryCounts)
            .collect()
    }
    /// Orders, notices, sanctions and objections over every platform.
    async fn legal_chain_totals(&self) -> LegalChainTotals {
        let l = &self.0.legal_totals;
        LegalChainTotals {
            orders: OrderCompliance::from(l),
            notices: NoticeResponsiveness::from(l),
            sanctions: int(l.sanctions),
            objections: ObjectionCounts::from(l),
        }
    }
    /// Every platform and category together.
    async fn totals(&self) -> ReportTotals {
        let t: &PlatformCounts = &self.0.totals;
        ReportTotals {
            complaints: int(self.0.total_complaints),
            cases_opened: int(self.0.total_cases_opened),
            ministry_findings: int(self.0.ministry_findings),
            ministry_cases_opened: int(self.0.ministry_cases_opened),
            requests_issued: int(t.issued),
            answered: int(t.answered),
            answered_on_time: int(t.answered_on_time),
            acted_on_time: int(t.acted_on_time),
            pending: int(t.pending),
            overdue: int(t.overdue),
            declined: int(t.declined),
            reinstatements: int(t.reinstatements),
            median_hours_to_answer: self.0.total_median_hours,
            p90_hours_to_answer: self.0.total_p90_hours,
            compliance_rate: self.0.total_compliance_rate(),
        }
    }
}

#[derive(Default)]
pub struct TransparencyQuery;

#[Object]
impl TransparencyQuery {
    /// Public (no token needed): per platform, how takedown requests issued in `[from, to)` were
    /// answered; per category, what happened to complaints. Either end may be omitted. Also served
    /// as a page at `/transparency` and as CSV at `/transparency.csv`.
    #[graphql(complexity = "crate::graphql::REPORT_COST + child_complexity")]
    async fn transparency_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Start of the period, inclusive; from the beginning when omitted.")]
        from: Option<DateTime>,
        #[graphql(
            desc = "End of the period, exclusive; until now when omitted. Must be after `from` (BAD_USER_INPUT otherwise)."
        )]
        to: Option<DateTime>,
    ) -> async_graphql::Result<TransparencyReport> {
        let report = service::report(
            ctx.services()?,
            from.map(|at| at.0.naive_utc()),
            to.map(|at| at.0.naive_utc()),
        )
        .await?;
        Ok(TransparencyReport(report))
    }
}

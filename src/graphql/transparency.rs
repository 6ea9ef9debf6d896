//! `transparencyReport(from, to)`: public, aggregated, no personal data.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::db::models::report::PlatformCounts;
use crate::graphql::ContextExt as _;
use crate::graphql::reference::{Category, Platform};
use crate::service::transparency::{
    self as service, CategoryReport, PlatformCompliance as Row, Report,
};

fn int(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// How one platform answered the takedown requests issued in the period.
pub struct PlatformCompliance(Row);

#[Object]
impl PlatformCompliance {
    async fn platform(&self) -> Platform {
        Platform(self.0.platform.clone())
    }
    async fn requests_issued(&self) -> i32 {
        int(self.0.counts.issued)
    }
    async fn acknowledged(&self) -> i32 {
        int(self.0.counts.acknowledged)
    }
    async fn answered(&self) -> i32 {
        int(self.0.counts.answered)
    }
    /// Answered at or before the deadline.
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
    /// Not answered yet.
    async fn pending(&self) -> i32 {
        int(self.0.counts.pending)
    }
    /// Not answered and past the deadline, now.
    async fn overdue(&self) -> i32 {
        int(self.0.counts.overdue)
    }
    async fn removed(&self) -> i32 {
        int(self.0.counts.removed)
    }
    async fn restricted(&self) -> i32 {
        int(self.0.counts.restricted)
    }
    async fn geo_blocked(&self) -> i32 {
        int(self.0.counts.geo_blocked)
    }
    async fn declined(&self) -> i32 {
        int(self.0.counts.declined)
    }
    async fn needs_more_info(&self) -> i32 {
        int(self.0.counts.needs_more_info)
    }
    /// Median hours from issue to answer (answered requests only).
    async fn median_hours_to_answer(&self) -> Option<f64> {
        self.0.median_hours
    }
    /// 90th-percentile hours from issue to answer (answered requests only).
    async fn p90_hours_to_answer(&self) -> Option<f64> {
        self.0.p90_hours
    }
    /// Acted on time ÷ requests issued; null when none were issued.
    async fn compliance_rate(&self) -> Option<f64> {
        self.0.compliance_rate()
    }
}

/// What happened to the complaints of one category received in the period.
pub struct CategoryCounts(CategoryReport);

#[Object]
impl CategoryCounts {
    async fn category(&self) -> Category {
        Category(self.0.category.clone())
    }
    /// Complaints received.
    async fn complaints(&self) -> i32 {
        int(self.0.counts.complaints)
    }
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

/// Every platform together.
#[derive(SimpleObject)]
pub struct ReportTotals {
    pub complaints: i32,
    pub cases_opened: i32,
    pub requests_issued: i32,
    pub answered: i32,
    pub answered_on_time: i32,
    pub acted_on_time: i32,
    pub pending: i32,
    pub overdue: i32,
    pub declined: i32,
    pub median_hours_to_answer: Option<f64>,
    pub p90_hours_to_answer: Option<f64>,
    pub compliance_rate: Option<f64>,
}

pub struct TransparencyReport(std::sync::Arc<Report>);

#[Object]
impl TransparencyReport {
    async fn from(&self) -> Option<DateTime<Utc>> {
        self.0.period.from.map(|at| at.and_utc())
    }
    async fn to(&self) -> Option<DateTime<Utc>> {
        self.0.period.to.map(|at| at.and_utc())
    }
    async fn generated_at(&self) -> DateTime<Utc> {
        self.0.generated_at.and_utc()
    }
    async fn platforms(&self) -> Vec<PlatformCompliance> {
        self.0
            .platforms
            .iter()
            .cloned()
            .map(PlatformCompliance)
            .collect()
    }
    async fn categories(&self) -> Vec<CategoryCounts> {
        self.0
            .categories
            .iter()
            .cloned()
            .map(CategoryCounts)
            .collect()
    }
    async fn totals(&self) -> ReportTotals {
        let t: &PlatformCounts = &self.0.totals;
        ReportTotals {
            complaints: int(self.0.total_complaints),
            cases_opened: int(self.0.total_cases_opened),
            requests_issued: int(t.issued),
            answered: int(t.answered),
            answered_on_time: int(t.answered_on_time),
            acted_on_time: int(t.acted_on_time),
            pending: int(t.pending),
            overdue: int(t.overdue),
            declined: int(t.declined),
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
    /// Public: per platform, how takedown requests issued in `[from, to)` were answered; per
    /// category, what happened to complaints. Either end may be omitted.
    #[graphql(complexity = "crate::graphql::REPORT_COST + child_complexity")]
    async fn transparency_report(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<TransparencyReport> {
        let report = service::report(
            ctx.services()?,
            from.map(|at| at.naive_utc()),
            to.map(|at| at.naive_utc()),
        )
        .await?;
        Ok(TransparencyReport(report))
    }
}

//! `platformTrends(months)`: the transparency report's figures per platform, month by month.

use async_graphql::{Context, Object, SimpleObject};

use crate::graphql::ContextExt as _;
use crate::graphql::datetime::DateTime;
use crate::graphql::reference::Platform;
use laporlapak_service::trends as service;

/// One platform's figures of one UTC calendar month (the transparency report of that month).
#[derive(SimpleObject)]
pub struct TrendPoint {
    /// The first instant of the month (UTC).
    pub month: DateTime,
    /// Takedown requests issued in the month.
    pub requests_issued: i32,
    /// Acted on time ÷ issued, from 0 to 1; null when none were issued.
    pub compliance_rate: Option<f64>,
    /// Median hours from issue to answer (within 6.25%, as in the report); null when none was
    /// answered.
    pub median_hours_to_answer: Option<f64>,
    /// Cases opened in the month that re-list a listing after a removal.
    pub relistings: i32,
    /// Requests issued in the month whose answer the platform later reversed.
    pub reinstatements: i32,
}

/// A platform's months, oldest first.
#[derive(SimpleObject)]
pub struct PlatformTrend {
    /// The platform.
    pub platform: Platform,
    /// One point per month in which the platform was in the report.
    pub months: Vec<TrendPoint>,
}

fn int(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

#[derive(Default)]
pub struct TrendsQuery;

#[Object]
impl TrendsQuery {
    /// Public (no token needed): per platform, the transparency report's compliance, median answer
    /// time, re-listings and reinstatements for each of the last `months` UTC calendar months.
    /// Also drawn as charts on `/transparency`.
    #[graphql(complexity = "crate::graphql::REPORT_COST + child_complexity")]
    async fn platform_trends(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many months, 1 to 36; 12 when omitted.")] months: Option<i32>,
    ) -> async_graphql::Result<Vec<PlatformTrend>> {
        let trends = service::trends(ctx.services()?, months).await?;
        Ok(trends
            .into_iter()
            .map(|t| PlatformTrend {
                platform: Platform(t.platform),
                months: t
                    .points
                    .into_iter()
                    .map(|p| TrendPoint {
                        month: p.month.into(),
                        requests_issued: int(p.requests_issued),
                        compliance_rate: p.compliance_rate,
                        median_hours_to_answer: p.median_hours_to_answer,
                        relistings: int(p.relistings),
                        reinstatements: int(p.reinstatements),
                    })
                    .collect(),
            })
            .collect())
    }
}

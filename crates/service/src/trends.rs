//! Trends: the transparency report's figures per platform, month by month (UTC calendar months),
//! each month the report of that month (the same definitions, the same counters and cache). The
//! disputed-removals series waits for the reporters' dispute flag.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::Services;
use crate::error::ServiceResult;
use crate::ministry::{months_asked, months_until, next_month};
use crate::transparency::{self, PlatformWithHosts};

/// One platform's figures of one month.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// The first instant of the month (UTC).
    pub month: NaiveDateTime,
    pub requests_issued: i64,
    /// Acted on time ÷ issued; `None` when none were issued.
    pub compliance_rate: Option<f64>,
    pub median_hours_to_answer: Option<f64>,
    pub relistings: i64,
    pub reinstatements: i64,
}

/// A platform's months, oldest first.
#[derive(Debug, Clone)]
pub struct PlatformTrend {
    pub platform: Arc<PlatformWithHosts>,
    pub points: Vec<TrendPoint>,
}

/// The last `months` months (1 to 36, 12 when `None`) per platform, in the report's platform
/// order.
pub async fn trends(services: &Services, months: Option<i32>) -> ServiceResult<Vec<PlatformTrend>> {
    let months = months_asked(months)?;
    let starts = months_until(services.clock.now(), months);
    let mut by_platform: BTreeMap<i64, PlatformTrend> = BTreeMap::new();
    let mut order: Vec<i64> = Vec::new();
    for start in starts {
        let report = transparency::report(services, Some(start), Some(next_month(start))).await?;
        for p in &report.platforms {
            let id = p.platform.platform.id;
            let trend = by_platform.entry(id).or_insert_with(|| {
                order.push(id);
                PlatformTrend {
                    platform: p.platform.clone(),
                    points: Vec::new(),
                }
            });
            trend.points.push(TrendPoint {
                month: start,
                requests_issued: p.counts.issued,
                compliance_rate: p.compliance_rate(),
                median_hours_to_answer: p.median_hours,
                relistings: p.counts.relistings,
                reinstatements: p.counts.reinstatements,
            });
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|id| by_platform.remove(&id))
        .collect())
}

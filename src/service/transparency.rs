//! The public transparency report: per platform, how it answered the takedown requests issued in
//! a period; per category, what happened to the complaints and cases. Aggregates only — no person
//! can be identified from it, and it carries no breakdown by place.
//!
//! Definitions (the same on both backends):
//! * a request belongs to the period in which it was *issued*; complaints and cases to the period
//!   in which they were created;
//! * *answered on time*: answered at or before `dueAt`; *overdue*: unanswered and past `dueAt` now;
//! * *acted*: answered REMOVED, RESTRICTED or GEO_BLOCKED; *compliance rate*: acted on time ÷ issued;
//! * hours to answer: from `issuedAt` to the recorded answer; the median and the 90th percentile
//!   interpolate linearly between the two nearest ranks (PostgreSQL's `percentile_cont`), and are
//!   computed here, not in SQL, so SQLite gives the same figures;
//! * *re-listings*: cases opened in the period that re-list a listing after a platform answered
//!   REMOVED (`Case.relisted`), counted on the platform of the new case: a platform whose removals
//!   do not stick shows here;
//! * figures may be up to a minute old (see [`ReportCache`]).

use std::collections::HashMap;
use std::ops::AddAssign;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use crate::db::models::category::Category;
use crate::db::models::platform::PlatformWithHosts;
use crate::db::models::report::{self, CategoryCounts, Period, PlatformCounts};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Msg;
use crate::service::Services;

#[derive(Debug, Clone)]
pub struct PlatformCompliance {
    pub platform: Arc<PlatformWithHosts>,
    pub counts: PlatformCounts,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
}

impl PlatformCompliance {
    pub fn compliance_rate(&self) -> Option<f64> {
        rate(self.counts.acted_on_time, self.counts.issued)
    }
}

#[derive(Debug, Clone)]
pub struct CategoryReport {
    pub category: Arc<Category>,
    pub counts: CategoryCounts,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub period: Period,
    pub generated_at: NaiveDateTime,
    pub platforms: Vec<PlatformCompliance>,
    pub categories: Vec<CategoryReport>,
    pub totals: PlatformCounts,
    pub total_median_hours: Option<f64>,
    pub total_p90_hours: Option<f64>,
    pub total_complaints: i64,
    pub total_cases_opened: i64,
}

impl Report {
    pub fn total_compliance_rate(&self) -> Option<f64> {
        rate(self.totals.acted_on_time, self.totals.issued)
    }
}

fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Linear interpolation between closest ranks (type 7); `sorted` must be ascending.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = p.clamp(0.0, 1.0) * last as f64;
    let lower = position.floor() as usize;
    let upper = position.ceil() as usize;
    let weight = position - lower as f64;
    let low = *sorted.get(lower)?;
    let high = *sorted.get(upper)?;
    Some(low + (high - low) * weight)
}

/// The sum of every count of `items` (the identifier field stays 0): the one place where totals
/// are added up, so a count added to [`PlatformCounts`] or [`CategoryCounts`] is in the totals as
/// soon as its `AddAssign` sums it.
fn total<'a, T>(items: impl IntoIterator<Item = &'a T>) -> T
where
    T: Default + for<'b> AddAssign<&'b T> + 'a,
{
    let mut total = T::default();
    for item in items {
        total += item;
    }
    total
}

fn hours(from: NaiveDateTime, to: NaiveDateTime) -> f64 {
    (to - from).num_milliseconds() as f64 / 3_600_000.0
}

/// `(from, to)` of a report.
type PeriodKey = (Option<NaiveDateTime>, Option<NaiveDateTime>);

/// How long a computed report is served before it is computed again.
const CACHE_SECONDS: u64 = 60;
const CACHE_ENTRIES: usize = 32;

/// Recently computed reports by period. The report is public, aggregated and expensive (it reads
/// every request and complaint of the period), so each replica computes a period at most once a
/// minute and one at a time — a crowd of readers cannot exhaust the database pool. Replicas may
/// differ by up to a minute; nothing else depends on this cache.
#[derive(Default)]
pub struct ReportCache {
    entries: std::sync::Mutex<HashMap<PeriodKey, (Instant, Arc<Report>)>>,
    /// Held while computing, so concurrent misses wait for one computation; cached reads never
    /// wait for it.
    computing: tokio::sync::Mutex<()>,
}

impl ReportCache {
    fn fresh(&self, key: &PeriodKey) -> Option<Arc<Report>> {
        let ttl = Duration::from_secs(CACHE_SECONDS);
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < ttl)
            .map(|(_, report)| report.clone())
    }

    fn store(&self, key: PeriodKey, report: Arc<Report>) {
        let ttl = Duration::from_secs(CACHE_SECONDS);
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= CACHE_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), report));
        }
    }
}

pub async fn report(
    services: &Services,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
) -> ServiceResult<Arc<Report>> {
    if let (Some(from), Some(to)) = (from, to)
        && from >= to
    {
        return Err(ServiceError::bad_input("to", Msg::PeriodReversed));
    }
    let cache = &services.report_cache;
    let key = (from, to);
    if let Some(report) = cache.fresh(&key) {
        return Ok(report);
    }
    let _computing = cache.computing.lock().await;
    if let Some(report) = cache.fresh(&key) {
        return Ok(report);
    }
    let report = Arc::new(compute(services, Period { from, to }).await?);
    cache.store(key, report.clone());
    Ok(report)
}

async fn compute(services: &Services, period: Period) -> ServiceResult<Report> {
    let now = services.clock.now();
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let counts = report::platform_counts(conn, period, now)?;
            let times = report::answer_times(conn, period)?;
            let category_counts = report::category_counts(conn, period)?;
            let relistings = report::relistings(conn, period)?;
            let platform_ids: Vec<i64> = counts
                .iter()
                .map(|c| c.platform_id)
                .chain(relistings.iter().map(|(id, _)| *id))
                .collect();
            let category_ids: Vec<i64> = category_counts.iter().map(|c| c.category_id).collect();
            let reference = cache.covering(conn, &platform_ids, &category_ids)?;

            let mut all_hours: Vec<f64> = Vec::new();
            let mut compliance = Vec::new();
            for platform in reference.all_platforms().iter().cloned() {
                let mut counts = counts
                    .iter()
                    .find(|c| c.platform_id == platform.platform.id)
                    .cloned()
                    .unwrap_or(PlatformCounts {
                        platform_id: platform.platform.id,
                        ..PlatformCounts::default()
                    });
                counts.relistings = relistings
                    .iter()
                    .find(|(id, _)| *id == platform.platform.id)
                    .map_or(0, |(_, n)| *n);
                if !platform.platform.active && counts.issued == 0 && counts.relistings == 0 {
                    continue;
                }
                let mut answer_hours: Vec<f64> = times
                    .iter()
                    .filter(|(id, _, _)| *id == platform.platform.id)
                    .filter_map(|(_, issued, responded)| responded.map(|r| hours(*issued, r)))
                    .collect();
                answer_hours.sort_by(f64::total_cmp);
                all_hours.extend(&answer_hours);
                compliance.push(PlatformCompliance {
                    median_hours: percentile(&answer_hours, 0.5),
                    p90_hours: percentile(&answer_hours, 0.9),
                    platform,
                    counts,
                });
            }
            all_hours.sort_by(f64::total_cmp);
            let totals = total(compliance.iter().map(|p| &p.counts));
            let categories: Vec<CategoryReport> = reference
                .all_categories()
                .iter()
                .cloned()
                .filter_map(|category| {
                    let counts = category_counts
                        .iter()
                        .find(|c| c.category_id == category.id)
                        .cloned()
                        .unwrap_or(CategoryCounts {
                            category_id: category.id,
                            ..CategoryCounts::default()
                        });
                    (category.active || counts.complaints > 0)
                        .then_some(CategoryReport { category, counts })
                })
                .collect();
            let category_totals = total(categories.iter().map(|c| &c.counts));
            Ok(Report {
                period,
                generated_at: now,
                total_complaints: category_totals.complaints,
                total_cases_opened: category_totals.cases_opened,
                total_median_hours: percentile(&all_hours, 0.5),
                total_p90_hours: percentile(&all_hours, 0.9),
                platforms: compliance,
                categories,
                totals,
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_between_ranks() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[3.0], 0.9), Some(3.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        let close =
            |value: Option<f64>, expected: f64| value.is_some_and(|v| (v - expected).abs() < 1e-9);
        assert!(close(percentile(&ten, 0.9), 9.1));
        assert!(close(percentile(&ten, 0.5), 5.5));
    }

    /// Each count of platform `base` is `base × n` for its own `n`, so a count left out of the sum
    /// or added into another field changes the totals.
    fn platform_counts(base: i64) -> PlatformCounts {
        // Every field is named (no `..Default::default()`): a new count does not compile until it
        // is given a value here, and then the test checks that it is summed.
        PlatformCounts {
            platform_id: base,
            issued: base,
            acknowledged: base * 2,
            answered: base * 3,
            answered_on_time: base * 4,
            acted_on_time: base * 5,
            acted_late: base * 6,
            pending: base * 7,
            overdue: base * 8,
            removed: base * 9,
            restricted: base * 10,
            geo_blocked: base * 11,
            declined: base * 12,
            needs_more_info: base * 13,
            relistings: base * 14,
        }
    }

    #[test]
    fn platform_totals_are_the_sum_over_platforms_of_every_count() {
        let platforms = [
            platform_counts(1),
            platform_counts(20),
            platform_counts(300),
        ];
        let totals: PlatformCounts = total(&platforms);
        assert_eq!(
            totals,
            PlatformCounts {
                platform_id: 0,
                ..platform_counts(321)
            }
        );
        assert_eq!(total::<PlatformCounts>([]), PlatformCounts::default());
    }

    fn category_counts(base: i64) -> CategoryCounts {
        CategoryCounts {
            category_id: base,
            complaints: base,
            cases_opened: base * 2,
            rejected: base * 3,
            forwarded: base * 4,
            resolved: base * 5,
        }
    }

    #[test]
    fn category_totals_are_the_sum_over_categories_of_every_count() {
        let categories = [
            category_counts(1),
            category_counts(20),
            category_counts(300),
        ];
        let totals: CategoryCounts = total(&categories);
        assert_eq!(
            totals,
            CategoryCounts {
                category_id: 0,
                ..category_counts(321)
            }
        );
    }
}

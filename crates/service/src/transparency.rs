//! The public transparency report: per platform, how it answered the takedown requests issued in
//! a period; per category, what happened to the complaints and cases. Aggregates only — no person
//! can be identified from it, and it carries no breakdown by place.
//!
//! Definitions (the same on both backends):
//! * a request belongs to the period in which it was *issued*; complaints and cases to the period
//!   in which they were created;
//! * *answered on time*: answered at or before `dueAt`; *overdue*: unanswered and past `dueAt` now;
//! * *acted*: answered REMOVED, RESTRICTED or GEO_BLOCKED; *compliance rate*: acted on time ÷ issued;
//! * hours to answer: from `issuedAt` to the recorded answer, in whole seconds (the difference of
//!   the two timestamps' whole seconds); the median and the 90th percentile interpolate linearly
//!   between the two nearest ranks (PostgreSQL's `percentile_cont`), each answer counted at the
//!   mean of its histogram bucket ([`report::answer_bucket`]: 1 minute wide below 32 minutes, then
//!   at most 1/16 of its lower edge), so a figure is within 6.25% (or a minute) of the exact one;
//!   computed here, not in SQL, so SQLite gives the same figures;
//! * days are UTC calendar days: whole days of a period come from the per-day counters (migration
//!   000014, kept by triggers in the transaction of every write of a counted row), the partial
//!   days at either end from the rows, `overdue` as `pending` minus the unanswered requests not
//!   yet due (counted per hour of their deadline: only the future hours and the current hour's
//!   rows are read) — the same figures
//!   as a full recount of the rows ([`Source::FullRecount`], `laporlapak verify-transparency`),
//!   with bounded work whatever the period;
//! * *re-listings*: cases opened in the period that re-list a listing after a platform answered
//!   REMOVED (`Case.relisted`), counted on the platform of the new case: a platform whose removals
//!   do not stick shows here;
//! * *reinstatements*: requests issued in the period whose answer the platform later reversed
//!   (`reportReinstatement`), counted on the request's platform; read from the rows of the
//!   answer histories for the whole period (one row per reversal, no counter);
//! * *removals confirmed* and *removals disputed*: requests issued in the period whose removal
//!   a reporter, asked "is it still online?", confirmed (gone) or disputed (still online); read
//!   from the rows like reinstatements;
//! * figures may be up to a minute old (see [`ReportCache`]).
//!
//! The database rows a report holds (platforms, categories, their counts, the period) are
//! re-exported from here for the API layer.

use std::collections::{BTreeMap, HashMap};
use std::ops::AddAssign;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use diesel::QueryResult;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use laporlapak_db::DbConnection;
use laporlapak_db::models::report::{self, Days};

pub use crate::legal_figures::LegalCounts;
/// The rows a [`Report`] is made of, re-exported so that the layers above read (and their tests
/// build) reports without naming the database crate.
pub use laporlapak_db::models::category::Category;
pub use laporlapak_db::models::platform::{Platform, PlatformWithHosts};
pub use laporlapak_db::models::report::{CategoryCounts, Period, PlatformCounts};
use laporlapak_domain::i18n::Msg;

#[derive(Debug, Clone)]
pub struct PlatformCompliance {
    pub platform: Arc<PlatformWithHosts>,
    pub counts: PlatformCounts,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// Orders apart from notices (`legal_figures`).
    pub legal: LegalCounts,
    /// Sellers on the platform's watchlist reported again on it in the period, after they were
    /// listed (a platform that acts on its watchlist shows fewer).
    pub watchlist_rereported: i64,
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
    /// Of `total_complaints`, the ministry's own findings (source MINISTRY); counted apart.
    pub ministry_findings: i64,
    /// Of `total_cases_opened`, the cases those findings opened.
    pub ministry_cases_opened: i64,
    pub legal_totals: LegalCounts,
}

impl Report {
    pub fn total_compliance_rate(&self) -> Option<f64> {
        rate(self.totals.acted_on_time, self.totals.issued)
    }
}

fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
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

/// `(from, to)` of a report.
type PeriodKey = (Option<NaiveDateTime>, Option<NaiveDateTime>);

/// How long a computed report is served before it is computed again.
const CACHE_SECONDS: u64 = 60;
const CACHE_ENTRIES: usize = 32;

/// Recently computed reports by period. The report is public and aggregated (reading the per-day
/// counters and at most two days of rows costs tens of milliseconds), so each replica computes a period at most once a
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

/// How a report's figures are gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Whole UTC days from the per-day counters, the partial days at either end of the period from
    /// the rows, `overdue` as `pending` minus the unanswered requests not yet due: bounded work
    /// whatever the period.
    Counters,
    /// Every request, complaint and case of the period, recounted from the rows: the reference
    /// the counters must equal (`laporlapak verify-transparency`, the tests).
    FullRecount,
}

/// Answer times of one platform (or all): per histogram bucket, the number of answers and their
/// sum in whole seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerTimes(BTreeMap<i32, (i64, i64)>);

impl AnswerTimes {
    fn add(&mut self, bucket: i32, answers: i64, seconds: i64) {
        let entry = self.0.entry(bucket).or_default();
        entry.0 += answers;
        entry.1 += seconds;
    }

    fn merge(&mut self, other: &AnswerTimes) {
        for (bucket, (answers, seconds)) in &other.0 {
            self.add(*bucket, *answers, *seconds);
        }
    }

    /// The answer time of the `rank`-th answer (0-based, ascending), in hours: the mean of its
    /// bucket.
    fn hours_at(&self, rank: i64) -> Option<f64> {
        let mut seen = 0;
        for (answers, seconds) in self.0.values() {
            if *answers <= 0 {
                continue;
            }
            seen += answers;
            if rank < seen {
                return Some(*seconds as f64 / *answers as f64 / 3600.0);
            }
        }
        None
    }

    /// The `p` quantile in hours, interpolated linearly between the two nearest ranks (type 7,
    /// PostgreSQL's `percentile_cont`), each answer counted at the mean of its bucket. A bucket is
    /// at most 1/16 of its lower edge wide (1 minute below 32 minutes), so the figure is within
    /// 6.25% (or a minute) of the one computed from the exact answer times.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        let total: i64 = self.0.values().map(|(answers, _)| answers).sum();
        let last = total.checked_sub(1).filter(|last| *last >= 0)?;
        let position = p.clamp(0.0, 1.0) * last as f64;
        let lower = position.floor() as i64;
        let upper = position.ceil() as i64;
        let weight = position - lower as f64;
        let low = self.hours_at(lower)?;
        let high = self.hours_at(upper)?;
        Some(low + (high - low) * weight)
    }
}

/// The figures of a period before they are put in report order.
#[derive(Debug, Default)]
struct Figures {
    platforms: BTreeMap<i64, PlatformCounts>,
    categories: BTreeMap<i64, CategoryCounts>,
    answers: BTreeMap<i64, AnswerTimes>,
}

impl Figures {
    fn add_platform(&mut self, counts: &PlatformCounts) {
        *self
            .platforms
            .entry(counts.platform_id)
            .or_insert_with(|| PlatformCounts {
                platform_id: counts.platform_id,
                ..PlatformCounts::default()
            }) += counts;
    }

    fn add_category(&mut self, counts: &CategoryCounts) {
        *self
            .categories
            .entry(counts.category_id)
            .or_insert_with(|| CategoryCounts {
                category_id: counts.category_id,
                ..CategoryCounts::default()
            }) += counts;
    }

    /// Everything of `period` counted from the rows.
    fn recount(
        &mut self,
        conn: &mut DbConnection,
        period: Period,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        for counts in report::platform_counts(conn, period, now)? {
            self.add_platform(&counts);
        }
        for (platform_id, relistings) in report::relistings(conn, period)? {
            self.add_platform(&PlatformCounts {
                platform_id,
                relistings,
                ..PlatformCounts::default()
            });
        }
        self.add_reinstatements(conn, period)?;
        for counts in report::category_counts(conn, period)? {
            self.add_category(&counts);
        }
        for (platform_id, issued, responded) in report::answer_times(conn, period)? {
            if let Some(responded) = responded {
                let seconds = report::answer_seconds(issued, responded);
                self.answers.entry(platform_id).or_default().add(
                    report::answer_bucket(seconds),
                    1,
                    seconds,
                );
            }
        }
        Ok(())
    }

    fn add_reinstatements(&mut self, conn: &mut DbConnection, period: Period) -> QueryResult<()> {
        for (platform_id, reinstatements) in report::reinstatements(conn, period)? {
            self.add_platform(&PlatformCounts {
                platform_id,
                reinstatements,
                ..PlatformCounts::default()
            });
        }
        // Reporters' checks of removals have no counter either.
        for (platform_id, confirmed, disputed) in report::reporter_checks(conn, period)? {
            self.add_platform(&PlatformCounts {
                platform_id,
                removals_confirmed: confirmed,
                removals_disputed: disputed,
                ..PlatformCounts::default()
            });
        }
        Ok(())
    }

    /// The whole days `days` from the counters (without `overdue`).
    fn add_counters(&mut self, conn: &mut DbConnection, days: Days) -> QueryResult<()> {
        for counts in report::rollup_platform_counts(conn, days)? {
            self.add_platform(&counts);
        }
        // Reinstatements have no counter: the rows of the whole days.
        self.add_reinstatements(
            conn,
            Period {
                from: days.first.map(report::start_of_day),
                to: days.end.map(report::start_of_day),
            },
        )?;
        for counts in report::rollup_category_counts(conn, days)? {
            self.add_category(&counts);
        }
        for (platform_id, bucket, answers, seconds) in report::rollup_answer_times(conn, days)? {
            self.answers
                .entry(platform_id)
                .or_default()
                .add(bucket, answers, seconds);
        }
        Ok(())
    }

    fn gather(
        conn: &mut DbConnection,
        period: Period,
        now: NaiveDateTime,
        source: Source,
    ) -> QueryResult<Self> {
        let mut figures = Figures::default();
        if source == Source::FullRecount {
            figures.recount(conn, period, now)?;
            return Ok(figures);
        }
        let split = split_period(period);
        if let Some(days) = split.whole_days {
            figures.add_counters(conn, days)?;
            // Overdue = pending − not yet due: due after this hour (counters), or later in this
            // hour (rows).
            let hour = now.and_utc().timestamp().div_euclid(3600);
            let next_hour = chrono::DateTime::from_timestamp((hour + 1) * 3600, 0)
                .unwrap_or_default()
                .naive_utc();
            let whole = Period {
                from: days.first.map(report::start_of_day),
                to: days.end.map(report::start_of_day),
            };
            let mut not_yet_due: BTreeMap<i64, i64> = BTreeMap::new();
            for (platform_id, requests) in report::rollup_due_after(conn, days, hour)?
                .into_iter()
                .chain(report::due_within(conn, whole, now, next_hour)?)
            {
                *not_yet_due.entry(platform_id).or_default() += requests;
            }
            for (platform_id, counts) in figures.platforms.iter_mut() {
                counts.overdue =
                    counts.pending - not_yet_due.get(platform_id).copied().unwrap_or(0);
            }
        }
        // The partial days at either end, overdue included, from the rows.
        for edge in split.edges.iter().flatten() {
            figures.recount(conn, *edge, now)?;
        }
        Ok(figures)
    }
}

/// A period cut into whole UTC days (read from the counters) and the partial days at either end
/// (counted from the rows, at most a day each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Split {
    edges: [Option<Period>; 2],
    whole_days: Option<Days>,
}

fn split_period(period: Period) -> Split {
    let first = period.from.map(|from| {
        let day = report::day_of(from);
        if report::start_of_day(day) == from {
            day
        } else {
            day + 1
        }
    });
    let end = period.to.map(report::day_of);
    if let (Some(first), Some(end)) = (first, end)
        && first > end
    {
        // Inside one day: all of it from the rows.
        return Split {
            edges: [Some(period), None],
            whole_days: None,
        };
    }
    let head = period
        .from
        .zip(first)
        .map(|(from, first)| (from, report::start_of_day(first)))
        .filter(|(from, first)| from < first)
        .map(|(from, first)| Period {
            from: Some(from),
            to: Some(first),
        });
    let tail = period
        .to
        .zip(end)
        .map(|(to, end)| (report::start_of_day(end), to))
        .filter(|(end, to)| end < to)
        .map(|(end, to)| Period {
            from: Some(end),
            to: Some(to),
        });
    let whole_days = match (first, end) {
        (Some(first), Some(end)) if first >= end => None,
        _ => Some(Days { first, end }),
    };
    Split {
        edges: [head, tail],
        whole_days,
    }
}

async fn compute(services: &Services, period: Period) -> ServiceResult<Report> {
    compute_from(services, period, Source::Counters).await
}

/// The report of `period` gathered from `source`, uncached.
pub async fn compute_from(
    services: &Services,
    period: Period,
    source: Source,
) -> ServiceResult<Report> {
    let now = services.clock.now();
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let figures = Figures::gather(conn, period, now, source)?;
            let mut legal = crate::legal_figures::gather(conn, period, now, &figures.platforms)?;
            let platform_ids: Vec<i64> = figures.platforms.keys().copied().collect();
            let category_ids: Vec<i64> = figures.categories.keys().copied().collect();
            let reference = cache.covering(conn, &platform_ids, &category_ids)?;

            let rereported: std::collections::HashMap<i64, i64> =
                laporlapak_db::models::watchlist::WatchlistEntry::rereported(
                    conn,
                    period.from,
                    period.to,
                )?
                .into_iter()
                .filter_map(|(platform, sellers)| platform.map(|id| (id, sellers)))
                .collect();
            let mut all_answers = AnswerTimes::default();
            let mut compliance = Vec::new();
            for platform in reference.all_platforms().iter().cloned() {
                let id = platform.platform.id;
                let counts = figures
                    .platforms
                    .get(&id)
                    .cloned()
                    .unwrap_or(PlatformCounts {
                        platform_id: id,
                        ..PlatformCounts::default()
                    });
                let legal = legal.remove(&id).unwrap_or_default();
                if !platform.platform.active
                    && counts.issued == 0
                    && counts.relistings == 0
                    && counts.reinstatements == 0
                    && legal.sanctions == 0
                {
                    continue;
                }
                let answers = figures.answers.get(&id).cloned().unwrap_or_default();
                all_answers.merge(&answers);
                compliance.push(PlatformCompliance {
                    watchlist_rereported: rereported.get(&id).copied().unwrap_or(0),
                    median_hours: answers.percentile(0.5),
                    p90_hours: answers.percentile(0.9),
                    platform,
                    counts,
                    legal,
                });
            }
            let totals = total(compliance.iter().map(|p| &p.counts));
            let legal_totals = total(compliance.iter().map(|p| &p.legal));
            let categories: Vec<CategoryReport> =
                reference
                    .all_categories()
                    .iter()
                    .cloned()
                    .filter_map(|category| {
                        let counts = figures.categories.get(&category.id).cloned().unwrap_or(
                            CategoryCounts {
                                category_id: category.id,
                                ..CategoryCounts::default()
                            },
                        );
                        (category.active || counts.complaints > 0)
                            .then_some(CategoryReport { category, counts })
                    })
                    .collect();
            let category_totals = total(categories.iter().map(|c| &c.counts));
            let (ministry_findings, ministry_cases_opened) =
                laporlapak_db::models::report::ministry_counts(conn, period)?;
            Ok(Report {
                ministry_findings,
                ministry_cases_opened,
                period,
                generated_at: now,
                total_complaints: category_totals.complaints,
                total_cases_opened: category_totals.cases_opened,
                total_median_hours: all_answers.percentile(0.5),
                total_p90_hours: all_answers.percentile(0.9),
                platforms: compliance,
                categories,
                totals,
                legal_totals,
            })
        })
        .await
}

/// Where two reports of one period differ (platforms and categories by slug and code, every count
/// and percentile): empty when the counters agree with the full recount.
pub fn differences(a: &Report, b: &Report) -> Vec<String> {
    let mut out = Vec::new();
    let platforms = |r: &Report| -> BTreeMap<String, (PlatformCounts, Option<f64>, Option<f64>)> {
        r.platforms
            .iter()
            .map(|p| {
                (
                    p.platform.platform.slug.clone(),
                    (p.counts.clone(), p.median_hours, p.p90_hours),
                )
            })
            .collect()
    };
    let categories = |r: &Report| -> BTreeMap<String, CategoryCounts> {
        r.categories
            .iter()
            .map(|c| (c.category.code.clone(), c.counts.clone()))
            .collect()
    };
    let (pa, pb) = (platforms(a), platforms(b));
    let slugs: std::collections::BTreeSet<&String> = pa.keys().chain(pb.keys()).collect();
    for slug in slugs {
        if pa.get(slug) != pb.get(slug) {
            out.push(format!(
                "platform {slug}: {:?} / {:?}",
                pa.get(slug),
                pb.get(slug)
            ));
        }
    }
    let (ca, cb) = (categories(a), categories(b));
    let codes: std::collections::BTreeSet<&String> = ca.keys().chain(cb.keys()).collect();
    for code in codes {
        if ca.get(code) != cb.get(code) {
            out.push(format!(
                "category {code}: {:?} / {:?}",
                ca.get(code),
                cb.get(code)
            ));
        }
    }
    let totals = |r: &Report| {
        (
            r.totals.clone(),
            r.total_median_hours,
            r.total_p90_hours,
            r.total_complaints,
            r.total_cases_opened,
        )
    };
    if totals(a) != totals(b) {
        out.push(format!("totals: {:?} / {:?}", totals(a), totals(b)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers of whole hours, each alone in its bucket, give the exact figures.
    fn answers(hours: &[i64]) -> AnswerTimes {
        let mut times = AnswerTimes::default();
        for h in hours {
            times.add(report::answer_bucket(h * 3600), 1, h * 3600);
        }
        times
    }

    #[test]
    fn percentiles_interpolate_between_ranks() {
        assert_eq!(answers(&[]).percentile(0.5), None);
        assert_eq!(answers(&[3]).percentile(0.9), Some(3.0));
        assert_eq!(answers(&[1, 2, 3, 4]).percentile(0.5), Some(2.5));
        let ten: Vec<i64> = (1..=10).collect();
        let close =
            |value: Option<f64>, expected: f64| value.is_some_and(|v| (v - expected).abs() < 1e-9);
        assert!(close(answers(&ten).percentile(0.9), 9.1));
        assert!(close(answers(&ten).percentile(0.5), 5.5));
    }

    #[test]
    fn answers_sharing_a_bucket_count_at_its_mean_within_a_sixteenth() {
        // 20 h and 20 h 10 min share a bucket (1152 to 1216 minutes): both count as 20 h 5 min.
        let mut times = AnswerTimes::default();
        for seconds in [72_000, 72_600] {
            times.add(report::answer_bucket(seconds), 1, seconds);
        }
        assert_eq!(times.0.len(), 1);
        assert_eq!(times.percentile(0.0), Some(72_300.0 / 3600.0));
        assert_eq!(times.percentile(1.0), Some(72_300.0 / 3600.0));
        // Whatever the answer times, the figure stays within 1/16 of the exact one.
        let exact: Vec<i64> = (0..500).map(|i| 600 + i * i * 37 % 250_000).collect();
        let mut times = AnswerTimes::default();
        for s in &exact {
            times.add(report::answer_bucket(*s), 1, *s);
        }
        let mut sorted: Vec<f64> = exact.iter().map(|s| *s as f64 / 3600.0).collect();
        sorted.sort_by(f64::total_cmp);
        for p in [0.1, 0.5, 0.9, 0.99] {
            let position = p * (sorted.len() - 1) as f64;
            let (low, high) = (
                sorted[position.floor() as usize],
                sorted[position.ceil() as usize],
            );
            let exact = low + (high - low) * (position - position.floor());
            let Some(figure) = times.percentile(p) else {
                panic!("no {p} quantile")
            };
            assert!(
                (figure - exact).abs() <= exact / 16.0 + 1.0 / 60.0,
                "{p}: {figure} / {exact}"
            );
        }
    }

    #[test]
    fn periods_split_into_whole_utc_days_and_partial_ends() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default();
        let day = |s: &str| report::day_of(at(s));
        let all = split_period(Period::default());
        assert_eq!(all.edges, [None, None]);
        assert_eq!(all.whole_days, Some(Days::default()));
        let aligned = split_period(Period {
            from: Some(at("2026-11-01 00:00")),
            to: Some(at("2026-11-30 00:00")),
        });
        assert_eq!(aligned.edges, [None, None]);
        assert_eq!(
            aligned.whole_days,
            Some(Days {
                first: Some(day("2026-11-01 00:00")),
                end: Some(day("2026-11-30 00:00"))
            })
        );
        let ragged = split_period(Period {
            from: Some(at("2026-11-01 10:30")),
            to: Some(at("2026-11-30 08:15")),
        });
        assert_eq!(
            ragged.edges,
            [
                Some(Period {
                    from: Some(at("2026-11-01 10:30")),
                    to: Some(at("2026-11-02 00:00"))
                }),
                Some(Period {
                    from: Some(at("2026-11-30 00:00")),
                    to: Some(at("2026-11-30 08:15"))
                }),
            ]
        );
        assert_eq!(
            ragged.whole_days,
            Some(Days {
                first: Some(day("2026-11-02 00:00")),
                end: Some(day("2026-11-30 00:00"))
            })
        );
        let inside = Period {
            from: Some(at("2026-11-01 10:30")),
            to: Some(at("2026-11-01 11:00")),
        };
        assert_eq!(split_period(inside).edges, [Some(inside), None]);
        assert_eq!(split_period(inside).whole_days, None);
        // Across one midnight: two partial days and no whole one.
        let night = split_period(Period {
            from: Some(at("2026-11-01 22:00")),
            to: Some(at("2026-11-02 03:00")),
        });
        assert_eq!(night.whole_days, None);
        assert_eq!(
            night.edges,
            [
                Some(Period {
                    from: Some(at("2026-11-01 22:00")),
                    to: Some(at("2026-11-02 00:00"))
                }),
                Some(Period {
                    from: Some(at("2026-11-02 00:00")),
                    to: Some(at("2026-11-02 03:00"))
                }),
            ]
        );
        let open_end = split_period(Period {
            from: Some(at("2026-11-01 10:30")),
            to: None,
        });
        assert_eq!(
            open_end.whole_days,
            Some(Days {
                first: Some(day("2026-11-02 00:00")),
                end: None
            })
        );
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
            reinstatements: base * 15,
            removals_confirmed: base * 16,
            removals_disputed: base * 17,
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

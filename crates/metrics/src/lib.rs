//! The process's Prometheus metrics, kept by `prometheus-client` (no hand-written exposition
//! text): counters and histograms recorded where the work happens, and rendered with the figures
//! read at scrape time (pool state, business gauges) by `GET /metrics` (the api crate's
//! `web::metrics`).
//!
//! Conventions: durations are histograms in seconds, counters end in `_total` (the encoder adds
//! the suffix), and every label has a bounded set of values, which the callers guarantee —
//! operation names outside the schema's root fields and error codes outside the API's own are
//! `other` (the api crate's `graphql::labels`), limits and background jobs are named by the code. One server runs per process in
//! production, so the figures are process-wide (a test process that starts several servers sums
//! them, which its tests allow for by comparing before and after).

use std::sync::LazyLock;
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, String)>;
type HistogramFamily = Family<Labels, Histogram, fn() -> Histogram>;

/// Request latencies: 1 ms to about 33 s.
fn latency_histogram() -> Histogram {
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.001, 2.0, 16,
    ))
}

/// Database waits and statements: 0.1 ms to about 3 s.
fn database_histogram() -> Histogram {
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.000_1, 2.0, 16,
    ))
}

/// Everything this process counts.
pub struct Metrics {
    in_flight: Gauge,
    http_responses: Family<Labels, Counter>,
    graphql_requests: Family<Labels, Counter>,
    graphql_duration: HistogramFamily,
    graphql_errors: Family<Labels, Counter>,
    db_pool_wait: Histogram,
    db_query_duration: Histogram,
    rate_limit_refusals: Family<Labels, Counter>,
    job_runs: Family<Labels, Counter>,
    job_failures: Family<Labels, Counter>,
    webhook_attempts: Family<Labels, Counter>,
    webhook_attempt_duration: Histogram,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| Metrics {
    in_flight: Gauge::default(),
    http_responses: Family::default(),
    graphql_requests: Family::default(),
    graphql_duration: Family::new_with_constructor(latency_histogram),
    graphql_errors: Family::default(),
    db_pool_wait: database_histogram(),
    db_query_duration: database_histogram(),
    rate_limit_refusals: Family::default(),
    job_runs: Family::default(),
    job_failures: Family::default(),
    webhook_attempts: Family::default(),
    webhook_attempt_duration: latency_histogram(),
});

/// The process's metrics.
pub fn get() -> &'static Metrics {
    &METRICS
}

/// One request being served: counted in `laporlapak_http_requests_in_flight` until dropped.
pub struct InFlight(());

impl Drop for InFlight {
    fn drop(&mut self) {
        METRICS.in_flight.dec();
    }
}

impl Metrics {
    /// A request starts; it ends when the value returned is dropped.
    pub fn request_started(&self) -> InFlight {
        self.in_flight.inc();
        InFlight(())
    }

    /// One HTTP response, by status class.
    pub fn http_response(&self, status: u16) {
        let class = format!("{}xx", (status / 100).clamp(1, 5));
        self.http_responses
            .get_or_create(&vec![("class", class)])
            .inc();
    }

    /// One GraphQL request of `operation` (see [`operation_label`]) that took `elapsed`, and the
    /// codes of its errors.
    pub fn graphql_request<'a>(
        &self,
        operation: &str,
        elapsed: Duration,
        codes: impl IntoIterator<Item = &'a str>,
    ) {
        let labels = vec![("operation", operation.to_owned())];
        self.graphql_requests.get_or_create(&labels).inc();
        self.graphql_duration
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
        for code in codes {
            self.graphql_errors
                .get_or_create(&vec![
                    ("operation", operation.to_owned()),
                    ("code", code.to_owned()),
                ])
                .inc();
        }
    }

    /// Time a database call waited for a pooled connection.
    pub fn pool_wait(&self, waited: Duration) {
        self.db_pool_wait.observe(waited.as_secs_f64());
    }

    /// Time a database call held its connection (its statements, one round trip or several).
    pub fn query(&self, busy: Duration) {
        self.db_query_duration.observe(busy.as_secs_f64());
    }

    /// A request refused by the rate limit `limit` (one of the `Limit` names).
    pub fn rate_limit_refusal(&self, limit: &'static str) {
        self.rate_limit_refusals
            .get_or_create(&vec![("limit", limit.to_owned())])
            .inc();
    }

    /// One run of the background job `job`, failed or not.
    pub fn job_run(&self, job: &'static str, ok: bool) {
        let labels = vec![("job", job.to_owned())];
        self.job_runs.get_or_create(&labels).inc();
        if !ok {
            self.job_failures.get_or_create(&labels).inc();
        }
    }

    /// One webhook delivery attempt that took `elapsed`, by what it led to: `succeeded`, `retry`
    /// (the delivery will be attempted again) or `failed` (given up).
    pub fn webhook_attempt(&self, outcome: &'static str, elapsed: Duration) {
        self.webhook_attempts
            .get_or_create(&vec![("outcome", outcome.to_owned())])
            .inc();
        self.webhook_attempt_duration.observe(elapsed.as_secs_f64());
    }

    /// Registers this process's metrics in `registry` (the families are shared, not copied).
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "laporlapak_http_requests_in_flight",
            "HTTP requests being served now",
            self.in_flight.clone(),
        );
        registry.register(
            "laporlapak_http_responses",
            "HTTP responses by status class",
            self.http_responses.clone(),
        );
        registry.register(
            "laporlapak_graphql_requests",
            "GraphQL requests by operation (a root field of the schema, or other)",
            self.graphql_requests.clone(),
        );
        registry.register(
            "laporlapak_graphql_request_duration_seconds",
            "Time to answer a GraphQL request, by operation",
            self.graphql_duration.clone(),
        );
        registry.register(
            "laporlapak_graphql_errors",
            "Errors in GraphQL answers, by operation and extensions.code",
            self.graphql_errors.clone(),
        );
        registry.register(
            "laporlapak_db_pool_wait_seconds",
            "Time a database call waited for a pooled connection",
            self.db_pool_wait.clone(),
        );
        registry.register(
            "laporlapak_db_query_duration_seconds",
            "Time a database call held its connection (one or more statements)",
            self.db_query_duration.clone(),
        );
        registry.register(
            "laporlapak_rate_limit_refusals",
            "Requests refused by a rate limit, by limit",
            self.rate_limit_refusals.clone(),
        );
        registry.register(
            "laporlapak_background_job_runs",
            "Runs of a background job",
            self.job_runs.clone(),
        );
        registry.register(
            "laporlapak_background_job_failures",
            "Runs of a background job that failed",
            self.job_failures.clone(),
        );
        registry.register(
            "laporlapak_webhook_attempts",
            "Webhook delivery attempts, by outcome (succeeded, retry, failed)",
            self.webhook_attempts.clone(),
        );
        registry.register(
            "laporlapak_webhook_attempt_duration_seconds",
            "Time a webhook delivery attempt took",
            self.webhook_attempt_duration.clone(),
        );
    }
}

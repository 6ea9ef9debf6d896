//! `GET /metrics`: the process's figures in the Prometheus (OpenMetrics) text format, encoded by
//! `prometheus-client`. What is counted as it happens lives in `laporlapak_metrics`; what is read at
//! scrape time (pool state, database reachability, business gauges) is read here. Counters are
//! per process (Prometheus sums replicas); nothing here is state the service depends on.
//! With `LAPORLAPAK_METRICS_TOKEN` set, only `Authorization: Bearer <token>` is answered.

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use sha2::{Digest as _, Sha256};

use laporlapak_service::db::{DbError, RequestStats};
use laporlapak_service::lifecycle::Lifecycle;
use laporlapak_service::{Services, gauges};

/// What the endpoint needs besides the services.
#[derive(Debug)]
pub struct MetricsEndpoint {
    started_at: i64,
    /// SHA-256 of the configured token: compared in constant time whatever its length.
    token_digest: Option<[u8; 32]>,
    lifecycle: Lifecycle,
}

impl MetricsEndpoint {
    pub fn new(token: Option<&str>, lifecycle: Lifecycle) -> Self {
        Self {
            started_at: chrono::Utc::now().timestamp(),
            token_digest: token.map(|t| Sha256::digest(t.as_bytes()).into()),
            lifecycle,
        }
    }

    fn admits(&self, request: &HttpRequest) -> bool {
        let Some(expected) = &self.token_digest else {
            return true;
        };
        let given = crate::web::client::bearer_token(request.headers()).unwrap_or("");
        let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        given
            .iter()
            .zip(expected)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
    }
}

type Labels = Vec<(&'static str, String)>;

fn gauge(value: i64) -> Gauge {
    let gauge = Gauge::default();
    gauge.set(value);
    gauge
}

pub async fn metrics(
    request: HttpRequest,
    endpoint: web::Data<MetricsEndpoint>,
    services: web::Data<Services>,
) -> HttpResponse {
    if !endpoint.admits(&request) {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .content_type("text/plain")
            .body("a metrics token is required");
    }
    let mut registry = Registry::default();
    laporlapak_metrics::get().register(&mut registry);

    let state = services.db.pool_state();
    registry.register(
        "laporlapak_db_connections",
        "Open database connections in this process",
        gauge(i64::from(state.connections)),
    );
    registry.register(
        "laporlapak_db_idle_connections",
        "Idle database connections in this process",
        gauge(i64::from(state.idle_connections)),
    );
    registry.register(
        "laporlapak_db_connections_in_use",
        "Database connections lent to a request or job",
        gauge(i64::from(
            state.connections.saturating_sub(state.idle_connections),
        )),
    );
    registry.register(
        "laporlapak_db_pool_max_size",
        "Most database connections this process opens",
        gauge(i64::from(services.db.pool_max_size())),
    );
    let statements = Counter::<u64>::default();
    statements.inc_by(services.db.statements_sent());
    registry.register(
        "laporlapak_db_statements",
        "Statements sent to the database by this process",
        statements,
    );
    let ready = services.db.ping().await;
    registry.register(
        "laporlapak_db_ready",
        "Whether the database answers (1) or not (0)",
        gauge(i64::from(ready)),
    );
    let out_of_space = Family::<Labels, Gauge>::default();
    for (store, failing) in [
        ("database", services.db.out_of_space().await),
        ("evidence", services.evidence.store.out_of_space().await),
    ] {
        out_of_space
            .get_or_create(&vec![("store", store.to_owned())])
            .set(i64::from(failing));
    }
    registry.register(
        "laporlapak_writes_out_of_space",
        "Whether writes to the store fail for lack of space (1) or not (0)",
        out_of_space,
    );
    registry.register(
        "laporlapak_draining",
        "Whether the server is draining for shutdown (1) or serving (0)",
        gauge(i64::from(endpoint.lifecycle.is_draining())),
    );
    registry.register(
        "process_start_time_seconds",
        "Start time of the process, seconds since the epoch",
        gauge(endpoint.started_at),
    );
    if ready && let Err(error) = business_gauges(&services, &mut registry).await {
        tracing::warn!(%error, "reading the business gauges failed");
    }

    let mut out = String::new();
    if let Err(error) = prometheus_client::encoding::text::encode(&mut out, &registry) {
        tracing::error!(%error, "encoding the metrics failed");
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(out)
}

/// Open cases by status; unanswered and overdue takedown requests by platform.
async fn business_gauges(services: &Services, registry: &mut Registry) -> Result<(), DbError> {
    let read = gauges::read(services).await?;
    let cases = Family::<Labels, Gauge>::default();
    for (status, count) in read.open_cases {
        cases
            .get_or_create(&vec![("status", status.to_string())])
            .set(count);
    }
    registry.register(
        "laporlapak_cases_open",
        "Cases that still need someone, by status",
        cases,
    );
    let pending = Family::<Labels, Gauge>::default();
    let overdue = Family::<Labels, Gauge>::default();
    for platform in read.platforms {
        let labels = vec![("platform", platform.slug)];
        pending.get_or_create(&labels).set(platform.unanswered);
        overdue.get_or_create(&labels).set(platform.overdue);
    }
    registry.register(
        "laporlapak_takedown_requests_pending",
        "Takedown requests not yet answered, by platform",
        pending,
    );
    registry.register(
        "laporlapak_takedown_requests_overdue",
        "Takedown requests not answered by their due date, by platform",
        overdue,
    );
    Ok(())
}

/// Logs what a request cost the database (statements, checkouts, time holding a connection) at
/// debug level, and in development also tells the client in a `Server-Timing` header, which browser
/// tools show. Never in production: the number of statements can tell apart answers that are meant
/// to look alike (an unknown e-mail address and a wrong password, say).
pub fn report_database_work<B>(
    response: &mut ServiceResponse<B>,
    stats: &RequestStats,
    development: bool,
) {
    if stats.checkouts() == 0 {
        return;
    }
    let millis = stats.busy().as_secs_f64() * 1000.0;
    tracing::debug!(
        statements = stats.statements(),
        checkouts = stats.checkouts(),
        db_ms = millis,
        "database work"
    );
    if development {
        let value = format!(
            "db;dur={millis:.3};desc=\"{} statements, {} checkouts\"",
            stats.statements(),
            stats.checkouts()
        );
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .append(HeaderName::from_static("server-timing"), value);
        }
    }
}

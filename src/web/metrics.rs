//! `GET /metrics`: a few operational figures in the Prometheus text format. Counters are
//! per-process (Prometheus sums replicas); nothing here is state the service depends on.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpResponse, web};

use crate::db::stats::RequestStats;
use crate::service::Services;

/// Responses by status class, counted by a middleware in `startup`.
#[derive(Debug, Default)]
pub struct Metrics {
    responses: [AtomicU64; 5],
    started_at: i64,
}

impl Metrics {
    pub fn new() -> Self {
        Self {
            responses: Default::default(),
            started_at: chrono::Utc::now().timestamp(),
        }
    }

    pub fn record(&self, status: u16) {
        let class = usize::from((status / 100).clamp(1, 5)) - 1;
        if let Some(counter) = self.responses.get(class) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }
}

pub async fn metrics(metrics: web::Data<Metrics>, services: web::Data<Services>) -> HttpResponse {
    let mut out = String::new();
    out.push_str("# HELP laporlapak_http_responses_total HTTP responses by status class.\n");
    out.push_str("# TYPE laporlapak_http_responses_total counter\n");
    for (index, counter) in metrics.responses.iter().enumerate() {
        let _ = writeln!(
            out,
            "laporlapak_http_responses_total{{class=\"{}xx\"}} {}",
            index + 1,
            counter.load(Ordering::Relaxed)
        );
    }
    let state = services.db.pool_state();
    out.push_str("# HELP laporlapak_db_connections Open database connections in this process.\n");
    out.push_str("# TYPE laporlapak_db_connections gauge\n");
    let _ = writeln!(out, "laporlapak_db_connections {}", state.connections);
    out.push_str(
        "# HELP laporlapak_db_idle_connections Idle database connections in this process.\n",
    );
    out.push_str("# TYPE laporlapak_db_idle_connections gauge\n");
    let _ = writeln!(
        out,
        "laporlapak_db_idle_connections {}",
        state.idle_connections
    );
    out.push_str(
        "# HELP laporlapak_db_statements_total Statements sent to the database by this process.\n",
    );
    out.push_str("# TYPE laporlapak_db_statements_total counter\n");
    let _ = writeln!(
        out,
        "laporlapak_db_statements_total {}",
        services.db.statements_sent()
    );
    out.push_str("# HELP laporlapak_db_ready Whether the database answers (1) or not (0).\n");
    out.push_str("# TYPE laporlapak_db_ready gauge\n");
    let _ = writeln!(
        out,
        "laporlapak_db_ready {}",
        u8::from(services.db.ping().await)
    );
    out.push_str(
        "# HELP process_start_time_seconds Start time of the process, seconds since the epoch.\n",
    );
    out.push_str("# TYPE process_start_time_seconds gauge\n");
    let _ = writeln!(out, "process_start_time_seconds {}", metrics.started_at);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(out)
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

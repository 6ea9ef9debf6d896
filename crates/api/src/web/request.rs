//! What every request goes through first: a request id (the caller's `X-Request-Id`, or the trace
//! id of its W3C `traceparent`, or a new random one), returned in the `X-Request-Id` response
//! header; a `request` span carrying it, the route and, for GraphQL, the operation label; one log
//! line at the end with the status and the latency; the response counted in `/metrics`; and the
//! database work the request caused (see the db crate's `stats`).
//!
//! Nothing a caller sends is logged beyond the route pattern and these ids: no query string, no
//! body, no header values — so no e-mail address, name, token or password can reach a log line.

use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument as _;

use laporlapak_service::db::RequestStats;
use laporlapak_service::settings::Environment;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const TRACEPARENT: &str = "traceparent";

/// The request's id: a well-formed `X-Request-Id` (1 to 64 of `A-Za-z0-9._-`), else the trace id
/// of a well-formed `traceparent`, else 16 random bytes in hex.
pub fn request_id(headers: &HeaderMap) -> String {
    let given = headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|id| {
            (1..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        });
    if let Some(id) = given {
        return id.to_owned();
    }
    if let Some(trace_id) = headers
        .get(TRACEPARENT)
        .and_then(|v| v.to_str().ok())
        .and_then(trace_id)
    {
        return trace_id.to_owned();
    }
    let mut random = [0u8; 16];
    if getrandom::fill(&mut random).is_err() {
        return "unknown".to_owned();
    }
    laporlapak_domain::hex(&random)
}

/// The trace id of a `traceparent` header (`00-<32 hex>-<16 hex>-<2 hex>`), unless it is all
/// zeros (invalid by the W3C recommendation).
fn trace_id(traceparent: &str) -> Option<&str> {
    let mut parts = traceparent.trim().split('-');
    let (version, trace, parent, flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    let valid = hex(version, 2)
        && version != "ff"
        && hex(trace, 32)
        && hex(parent, 16)
        && hex(flags, 2)
        && trace.bytes().any(|b| b != b'0');
    valid.then_some(trace)
}

/// The middleware (`actix_web::middleware::from_fn(observe)`).
pub async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let _in_flight = laporlapak_metrics::get().request_started();
    let id = request_id(request.headers());
    let route = request
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let development = request
        .app_data::<web::Data<Environment>>()
        .is_some_and(|env| *env.get_ref() == Environment::Development);
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        route = %route,
        operation = tracing::field::Empty,
    );
    let stats = Arc::new(RequestStats::default());
    let mut response = RequestStats::scope(stats.clone(), next.call(request))
        .instrument(span.clone())
        .await?;
    let status = response.status().as_u16();
    laporlapak_metrics::get().http_response(status);
    span.in_scope(|| {
        crate::web::metrics::report_database_work(&mut response, &stats, development);
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::warn!(status, latency_ms, "request served");
        } else {
            tracing::info!(status, latency_ms, "request served");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparent_gives_its_trace_id_and_nothing_malformed_is_taken() {
        assert_eq!(
            trace_id("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        assert_eq!(
            trace_id("00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
            None
        );
        assert_eq!(trace_id("00-xyz-00f067aa0ba902b7-01"), None);
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID, HeaderValue::from_static("bad id with spaces"));
        let generated = request_id(&headers);
        assert_eq!(generated.len(), 32);
        headers.insert(REQUEST_ID, HeaderValue::from_static("abc-123"));
        assert_eq!(request_id(&headers), "abc-123");
    }
}

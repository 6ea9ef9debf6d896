//! The delivery worker, run by every server process. Each round it
//! 0. seals the audit log: gives committed events their place in the hash chain and signs the
//!    days that are over (`audit_log`);
//! 1. announces deadlines: unanswered takedown requests past half their time (`reminder`) or past
//!    their deadline (`overdue`) get their event once — a conditional update marks the request, so
//!    with several replicas exactly one announces it;
//! 2. claims due deliveries with a lease (PostgreSQL: one replica after the other, `FOR UPDATE SKIP
//!    LOCKED`), fairly — at most [`PER_ENDPOINT`] held at once per endpoint across every process,
//!    platforms taking turns — so that one platform's slow or dead receivers cannot take the
//!    attempts every other platform waits for; and attempts each: a POST of the stored body with
//!    the Standard Webhooks headers, a 10 s timeout, no redirects, through a resolver that refuses
//!    private addresses.
//!
//! A 2xx answer succeeds; anything else is retried with exponential backoff and jitter until 24 h
//! after the event, then the delivery is marked FAILED. An attempt is recorded only by the holder
//! of the lease; a process that dies mid-attempt leaves the lease to lapse, and the delivery is
//! attempted again (at least once: receivers deduplicate by `webhook-id`).

use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use actix_tls::connect::{Resolve, Resolver};
use chrono::NaiveDateTime;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::lifecycle::Draining;
use crate::takedown::TakedownView;
use crate::webhook::egress::EgressPolicy;
use crate::webhook::outbox::{self, EventType};
use crate::webhook::signature;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::takedown_request::{DeadlineMark, TakedownRequest};
use laporlapak_db::models::webhook::{
    AttemptRecord, Next, WebhookDelivery, WebhookEndpoint, WebhookMessage,
};
use laporlapak_db::write_transaction;

/// How often a worker looks for due work when nothing rang.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Longest a receiver may take to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claimed delivery is held: the timeout and then some.
const LEASE_SECONDS: i64 = 60;
/// Deliveries claimed per round by one process.
const BATCH: i64 = 20;
/// Attempts one process has under way at most (a slow receiver holds one for up to 10 s).
const MAX_IN_FLIGHT: usize = 50;
/// Deliveries to one endpoint under way at once, across every process: a receiver that hangs
/// holds at most this many attempts, whatever its backlog.
pub const PER_ENDPOINT: i64 = 2;
/// Deadline events announced per round.
const DEADLINE_BATCH: i64 = 100;
/// Retries stop this long after the event.
const GIVE_UP_AFTER_HOURS: i64 = 24;
/// The first retry comes after about this long; each next one after three times as long.
const FIRST_RETRY_SECONDS: f64 = 5.0;
const LONGEST_WAIT_SECONDS: f64 = 2.0 * 3600.0;
/// At most this much of a receiver's answer is kept.
pub const EXCERPT_BYTES: usize = 1024;
/// At most this much of a receiver's answer is read.
const READ_BYTES: usize = 64 * 1024;

/// Runs until the server drains: one round at start, then one whenever a commit rang or the poll
/// interval passed. When draining starts it claims nothing more and waits for the attempts under
/// way (the server waits for it within its grace period; a lease left behind lapses and another
/// process delivers).
pub async fn run(services: Services, mut draining: Draining) {
    let client = Rc::new(client(services.webhooks.egress.clone()));
    let in_flight = Rc::new(std::cell::Cell::new(0usize));
    // The audit log's sealer sweeps every event at start, then looks near the chain's head.
    let mut sweep = true;
    loop {
        let sealed = crate::audit_log::tick(&services, sweep).await;
        laporlapak_metrics::get().job_run("audit_seal", sealed.is_ok());
        match sealed {
            Ok(_) => sweep = false,
            Err(error) => tracing::warn!(?error, "sealing the audit log failed"),
        }
        let announced = announce_deadlines(&services).await;
        laporlapak_metrics::get().job_run("webhook_deadlines", announced.is_ok());
        if let Err(error) = announced {
            tracing::warn!(?error, "announcing takedown deadlines failed");
        }
        // Reporters' deadlines too: a question left unanswered closes its case.
        let expired = crate::review::expire_questions(&services).await;
        laporlapak_metrics::get().job_run("question_deadlines", expired.is_ok());
        if let Err(error) = expired {
            tracing::warn!(?error, "closing cases whose question expired failed");
        }
        let room = MAX_IN_FLIGHT.saturating_sub(in_flight.get());
        let limit = BATCH.min(i64::try_from(room).unwrap_or(BATCH));
        match claim(&services, limit).await {
            Ok(claimed) => {
                for (delivery, held_until) in claimed {
                    let services = services.clone();
                    let client = client.clone();
                    let in_flight = in_flight.clone();
                    in_flight.set(in_flight.get() + 1);
                    actix_web::rt::spawn(async move {
                        if let Err(error) = attempt(&services, &client, delivery, held_until).await
                        {
                            tracing::warn!(?error, "recording a webhook attempt failed");
                        }
                        in_flight.set(in_flight.get().saturating_sub(1));
                    });
                }
            }
            Err(error) => tracing::warn!(?error, "claiming webhook deliveries failed"),
        }
        tokio::select! {
            () = draining.started() => break,
            () = services.webhooks.wake.notified() => {}
            () = tokio::time::sleep(POLL_INTERVAL) => {}
        }
    }
    while in_flight.get() > 0 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Enqueues the reminder and overdue events that are due, each exactly once.
pub async fn announce_deadlines(services: &Services) -> ServiceResult<usize> {
    let now = services.clock.now();
    let due = services
        .db
        .run(move |conn| Ok::<_, ServiceError>(TakedownRequest::any_deadline_due(conn, now)?))
        .await?;
    if !due {
        return Ok(0);
    }
    let cache = services.reference.clone();
    let announced = services
        .write(move |conn, now| {
            let mut announced = 0;
            for (mark, event_type) in [
                (DeadlineMark::Overdue, EventType::TakedownRequestOverdue),
                (DeadlineMark::Reminder, EventType::TakedownRequestReminder),
            ] {
                for request in TakedownRequest::due_for(conn, mark, now, DEADLINE_BATCH)? {
                    if !TakedownRequest::mark(conn, request.id, mark, now)? {
                        continue;
                    }
                    let case = Case::find(conn, request.case_id)?.ok_or(ServiceError::NotFound)?;
                    let slug = platform_slug(conn, &cache, request.platform_id)?;
                    let view = TakedownView::new(request, now);
                    outbox::takedown_event(conn, event_type, &view, &slug, &case.target, now)?;
                    announced += 1;
                }
            }
            Ok(announced)
        })
        .await?;
    if announced > 0 {
        services.webhooks.wake.notify_one();
    }
    Ok(announced)
}

/// The slug of a platform, from the reference data.
pub(crate) fn platform_slug(
    conn: &mut laporlapak_db::DbConnection,
    cache: &crate::reference_data::ReferenceCache,
    platform_id: i64,
) -> ServiceResult<String> {
    let reference = cache.covering(conn, &[platform_id], &[])?;
    Ok(reference
        .platform(platform_id)
        .ok_or(crate::error::InternalError::Invariant(
            "a platform of the reference data",
        ))?
        .platform
        .slug
        .clone())
}

/// The name of a platform, from the reference data.
pub(crate) fn platform_name(
    conn: &mut laporlapak_db::DbConnection,
    cache: &crate::reference_data::ReferenceCache,
    platform_id: i64,
) -> ServiceResult<String> {
    let reference = cache.covering(conn, &[platform_id], &[])?;
    Ok(reference
        .platform(platform_id)
        .ok_or(crate::error::InternalError::Invariant(
            "a platform of the reference data",
        ))?
        .platform
        .name
        .clone())
}

/// A delivery to attempt, with what it needs.
#[derive(Debug)]
struct Claimed {
    delivery_id: i64,
    message_id: String,
    payload: String,
    url: String,
    secret: String,
    /// The secret a rotation replaced, and until when it signs too.
    previous_secret: Option<(String, NaiveDateTime)>,
    created_at: NaiveDateTime,
    attempts: i32,
    /// Endpoint disabled since the event: the delivery fails without a request.
    disabled: bool,
}

async fn claim(services: &Services, limit: i64) -> ServiceResult<Vec<(Claimed, NaiveDateTime)>> {
    if limit <= 0 {
        return Ok(Vec::new());
    }
    let now = services.clock.now();
    let due = services
        .db
        .run(move |conn| Ok::<_, ServiceError>(WebhookDelivery::any_due(conn, now)?))
        .await?;
    if !due {
        return Ok(Vec::new());
    }
    services
        .write(move |conn, now| {
            let held_until = now + chrono::Duration::seconds(LEASE_SECONDS);
            let deliveries =
                WebhookDelivery::claim_due(conn, now, held_until, limit, PER_ENDPOINT)?;
            if deliveries.is_empty() {
                return Ok(Vec::new());
            }
            let endpoint_ids: Vec<i64> = deliveries.iter().map(|d| d.endpoint_id).collect();
            let message_ids: Vec<i64> = deliveries.iter().map(|d| d.webhook_message_id).collect();
            let endpoints = WebhookEndpoint::find_many(conn, &endpoint_ids)?;
            let messages = WebhookMessage::find_many(conn, &message_ids)?;
            let mut claimed = Vec::with_capacity(deliveries.len());
            for delivery in deliveries {
                let endpoint = endpoints.iter().find(|e| e.id == delivery.endpoint_id);
                let message = messages
                    .iter()
                    .find(|m| m.id == delivery.webhook_message_id);
                let (Some(endpoint), Some(message)) = (endpoint, message) else {
                    continue;
                };
                claimed.push((
                    Claimed {
                        delivery_id: delivery.id,
                        message_id: message.message_id.clone(),
                        payload: message.payload.clone(),
                        url: endpoint.url.clone(),
                        secret: endpoint.secret.clone(),
                        previous_secret: endpoint
                            .previous_secret
                            .clone()
                            .zip(endpoint.previous_secret_until),
                        created_at: delivery.created_at,
                        attempts: delivery.attempts,
                        disabled: endpoint.disabled_at.is_some(),
                    },
                    held_until,
                ));
            }
            Ok(claimed)
        })
        .await
}

/// What a receiver answered, or why there was no answer.
struct Answer {
    status_code: Option<i32>,
    error: Option<String>,
    excerpt: Option<String>,
}

async fn attempt(
    services: &Services,
    client: &awc::Client,
    delivery: Claimed,
    held_until: NaiveDateTime,
) -> ServiceResult<()> {
    let started = Instant::now();
    let at = services.clock.now();
    let answer = if delivery.disabled {
        Answer {
            status_code: None,
            error: Some("the endpoint is disabled".to_owned()),
            excerpt: None,
        }
    } else {
        send(services, client, &delivery, at).await
    };
    let succeeded = answer
        .status_code
        .is_some_and(|code| (200..300).contains(&code));
    let next = if succeeded {
        Next::Succeeded
    } else if delivery.disabled {
        Next::Failed
    } else {
        next_attempt(delivery.created_at, at, delivery.attempts + 1)
    };
    let elapsed = started.elapsed();
    let duration_ms = i32::try_from(elapsed.as_millis()).unwrap_or(i32::MAX);
    laporlapak_metrics::get().webhook_attempt(
        match next {
            Next::Succeeded => "succeeded",
            Next::RetryAt(_) => "retry",
            Next::Failed => "failed",
        },
        elapsed,
    );
    match next {
        Next::Succeeded => tracing::info!(
            delivery = delivery.delivery_id,
            duration_ms,
            "webhook delivered"
        ),
        _ => tracing::info!(
            delivery = delivery.delivery_id,
            status = answer.status_code,
            error = answer.error.as_deref(),
            "webhook attempt failed"
        ),
    }
    let recorded = services
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                WebhookDelivery::record_attempt(
                    conn,
                    delivery.delivery_id,
                    held_until,
                    &AttemptRecord {
                        at,
                        duration_ms,
                        status_code: answer.status_code,
                        error: answer.error.as_deref(),
                        response_excerpt: answer.excerpt.as_deref(),
                    },
                    next,
                )
            })
            .map_err(ServiceError::from)
        })
        .await?;
    if !recorded {
        tracing::warn!(
            delivery = delivery.delivery_id,
            "a webhook attempt outlived its lease; another worker owns the delivery now"
        );
    }
    Ok(())
}

async fn send(
    services: &Services,
    client: &awc::Client,
    delivery: &Claimed,
    at: NaiveDateTime,
) -> Answer {
    let timestamp = at.and_utc().timestamp();
    let failed = |error: String| Answer {
        status_code: None,
        error: Some(error),
        excerpt: None,
    };
    // The allow-list may have changed since the endpoint was registered.
    if let Err(reason) = services.webhooks.egress.check_url(&delivery.url) {
        return failed(reason.text(laporlapak_domain::i18n::Lang::En).into_owned());
    }
    // During a rotation's overlap the replaced secret signs too, after the new one.
    let mut secrets = vec![delivery.secret.as_str()];
    if let Some((previous, until)) = &delivery.previous_secret
        && *until > at
    {
        secrets.push(previous);
    }
    let Some(signature) =
        signature::sign_all(&secrets, &delivery.message_id, timestamp, &delivery.payload)
    else {
        return failed("the endpoint's secret cannot sign".to_owned());
    };
    let request = client
        .post(&delivery.url)
        .insert_header(("content-type", "application/json"))
        .insert_header(("user-agent", "laporlapak-webhooks/1"))
        .insert_header(("webhook-id", delivery.message_id.as_str()))
        .insert_header(("webhook-timestamp", timestamp.to_string()))
        .insert_header(("webhook-signature", signature))
        .send_body(delivery.payload.clone());
    let mut response = match request.await {
        Ok(response) => response,
        Err(error) => return failed(error.to_string()),
    };
    let status = i32::from(response.status().as_u16());
    let body = tokio::time::timeout(TIMEOUT, response.body().limit(READ_BYTES)).await;
    let excerpt = match body {
        Ok(Ok(bytes)) if !bytes.is_empty() => {
            let cut = &bytes[..bytes.len().min(EXCERPT_BYTES)];
            Some(String::from_utf8_lossy(cut).into_owned())
        }
        _ => None,
    };
    Answer {
        status_code: Some(status),
        error: None,
        excerpt,
    }
}

/// After the `attempts`-th failed attempt: retry after 5 s, 15 s, 45 s, … (×3 each time, at most
/// 2 h, ±20 % jitter so that many failed deliveries do not return together), unless that is more
/// than 24 h after the event.
pub fn next_attempt(created_at: NaiveDateTime, now: NaiveDateTime, attempts: i32) -> Next {
    let exponent = attempts.saturating_sub(1).clamp(0, 20);
    let base = (FIRST_RETRY_SECONDS * 3f64.powi(exponent)).min(LONGEST_WAIT_SECONDS);
    let mut random = [0u8; 2];
    let jitter = match getrandom::fill(&mut random) {
        Ok(()) => 0.8 + 0.4 * f64::from(u16::from_le_bytes(random)) / f64::from(u16::MAX),
        Err(_) => 1.0,
    };
    // At most 2 h × 1.2, so the cast cannot overflow.
    #[allow(clippy::cast_possible_truncation)]
    let wait = chrono::Duration::milliseconds((base * jitter * 1000.0) as i64);
    let next = now + wait;
    if next > created_at + chrono::Duration::hours(GIVE_UP_AFTER_HOURS) {
        Next::Failed
    } else {
        Next::RetryAt(next)
    }
}

/// Resolves host names as the system does, then keeps only what the egress rules allow.
struct GuardedResolver {
    egress: EgressPolicy,
}

impl Resolve for GuardedResolver {
    fn lookup<'a>(
        &'a self,
        host: &'a str,
        port: u16,
    ) -> std::pin::Pin<
        Box<dyn Future<Output = Result<Vec<SocketAddr>, Box<dyn std::error::Error>>> + 'a>,
    > {
        Box::pin(async move {
            let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port)).await?.collect();
            self.egress
                .filter(host, addresses)
                .map_err(|refused| -> Box<dyn std::error::Error> { refused.into() })
        })
    }
}

/// The HTTP client deliveries use: no redirects, a 10 s timeout, the guarded resolver.
fn client(egress: EgressPolicy) -> awc::Client {
    let tcp = actix_tls::connect::Connector::new(Resolver::custom(GuardedResolver { egress }));
    let connector = awc::Connector::new()
        .connector(tcp.service())
        .timeout(Duration::from_secs(5));
    awc::Client::builder()
        .disable_redirects()
        .timeout(TIMEOUT)
        .connector(connector)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_700_000_000 + seconds, 0)
            .unwrap_or_default()
            .naive_utc()
    }

    #[test]
    fn retries_back_off_and_stop_after_a_day() {
        let start = at(0);
        let mut now = start;
        let mut waits = Vec::new();
        for attempt in 1..100 {
            match next_attempt(start, now, attempt) {
                Next::RetryAt(next) => {
                    waits.push((next - now).num_seconds());
                    now = next;
                }
                Next::Failed => break,
                Next::Succeeded => unreachable!(),
            }
        }
        assert!((4..=6).contains(&waits[0]), "{waits:?}");
        assert!((12..=18).contains(&waits[1]), "{waits:?}");
        assert!(waits.iter().all(|w| *w <= 8640), "{waits:?}");
        assert!(now <= start + chrono::Duration::hours(24));
        assert!(
            now >= start + chrono::Duration::hours(21),
            "gave up early: {waits:?}"
        );
        assert!(waits.len() < 25, "{waits:?}");
    }
}

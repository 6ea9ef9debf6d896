//! The transactional outbox: an event is one `webhook_messages` row, with a pending delivery per
//! enabled endpoint of its platform, written in the transaction of the change that causes it — a
//! rollback sends nothing, and a commit is never lost. The body is built from the platform's own
//! view of a takedown request (which holds nothing about any reporter) and the case's canonical
//! target URL: never anything else.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::error::ServiceResult;
use crate::takedown::TakedownView;
use laporlapak_db::DbConnection;
use laporlapak_db::models::webhook::WebhookMessage;
use laporlapak_domain::global_id::{self, NodeType};
pub use laporlapak_domain::webhook::EventType;

/// A webhook body (the Standard Webhooks shape: `type`, `timestamp`, `data`).
#[derive(Debug, Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    event_type: &'static str,
    timestamp: String,
    data: Data<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Data<'a> {
    /// Global IDs, as the GraphQL API spells them (`node(id:)` finds them).
    #[serde(skip_serializing_if = "Option::is_none")]
    takedown_request_id: Option<String>,
    case_id: String,
    platform: &'a str,
    /// The takedown request's status, or the case's for `case.escalated`.
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    urgency: Option<&'a str>,
    /// `NOTICE` (the platform's committed time) or `ORDER` (statutory), for a request's events.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_at: Option<String>,
    /// The reported listing's canonical URL.
    case_url: &'a str,
}

fn rfc3339(at: NaiveDateTime) -> String {
    laporlapak_domain::rfc3339(at.and_utc())
}

/// A new `webhook-id`.
fn message_id() -> ServiceResult<String> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(crate::error::InternalError::from)?;
    Ok(format!("msg_{}", laporlapak_domain::hex(&random)))
}

/// Enqueues a takedown-request event for the request's platform.
pub(crate) fn takedown_event(
    conn: &mut DbConnection,
    event_type: EventType,
    request: &TakedownView,
    platform_slug: &str,
    case_url: &str,
    at: NaiveDateTime,
) -> ServiceResult<()> {
    let body = Body {
        event_type: event_type.as_str(),
        timestamp: rfc3339(at),
        data: Data {
            takedown_request_id: Some(global_id::encode(NodeType::TakedownRequest, request.id)),
            case_id: global_id::encode(NodeType::Case, request.case_id),
            platform: platform_slug,
            status: request.status.as_str(),
            urgency: Some(request.urgency.as_str()),
            kind: Some(request.kind.as_str()),
            issued_at: Some(rfc3339(request.issued_at)),
            due_at: Some(rfc3339(request.due_at)),
            case_url,
        },
    };
    let change = match event_type {
        EventType::TakedownRequestIssued => Some(crate::live::Change::RequestIssued(request.id)),
        EventType::TakedownRequestReminder => {
            Some(crate::live::Change::RequestReminder(request.id))
        }
        EventType::TakedownRequestOverdue => Some(crate::live::Change::RequestOverdue(request.id)),
        EventType::CaseEscalated => Some(crate::live::Change::CaseEscalated(request.case_id)),
        // Not about one request: the watchlist feed has no live subscription.
        EventType::WatchlistChanged => None,
    };
    if let Some(change) = change {
        crate::live::note(change);
    }
    enqueue(conn, request.platform_id, event_type, &body, at)
}

/// Enqueues `case.escalated` for the case's platform.
pub(crate) fn case_escalated(
    conn: &mut DbConnection,
    case_id: i64,
    platform_id: i64,
    platform_slug: &str,
    case_url: &str,
    at: NaiveDateTime,
) -> ServiceResult<()> {
    let body = Body {
        event_type: EventType::CaseEscalated.as_str(),
        timestamp: rfc3339(at),
        data: Data {
            takedown_request_id: None,
            case_id: global_id::encode(NodeType::Case, case_id),
            platform: platform_slug,
            status: laporlapak_domain::CaseStatus::Escalated.as_str(),
            urgency: None,
            kind: None,
            issued_at: None,
            due_at: None,
            case_url,
        },
    };
    crate::live::note(crate::live::Change::CaseEscalated(case_id));
    enqueue(conn, platform_id, EventType::CaseEscalated, &body, at)
}

fn enqueue(
    conn: &mut DbConnection,
    platform_id: i64,
    event_type: EventType,
    body: &Body<'_>,
    at: NaiveDateTime,
) -> ServiceResult<()> {
    let payload = serde_json::to_string(body)
        .map_err(|_| crate::error::InternalError::Invariant("webhook body serialises"))?;
    WebhookMessage::enqueue(conn, &message_id()?, platform_id, event_type, &payload, at)?;
    Ok(())
}

/// The body of `watchlist.changed`: which platform, and its watchlist's version now.
#[derive(Debug, Serialize)]
struct WatchlistBody<'a> {
    #[serde(rename = "type")]
    event_type: &'static str,
    timestamp: String,
    data: WatchlistData<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct WatchlistData<'a> {
    platform: &'a str,
    /// Read `watchlist(since:)` from the version last read up to this one.
    version: i64,
}

/// Enqueues `watchlist.changed` for a platform.
pub(crate) fn watchlist_changed(
    conn: &mut DbConnection,
    platform_id: i64,
    platform_slug: &str,
    version: i64,
    at: NaiveDateTime,
) -> ServiceResult<()> {
    let body = WatchlistBody {
        event_type: EventType::WatchlistChanged.as_str(),
        timestamp: rfc3339(at),
        data: WatchlistData {
            platform: platform_slug,
            version,
        },
    };
    let payload = serde_json::to_string(&body)
        .map_err(|_| crate::error::InternalError::Invariant("webhook body serialises"))?;
    WebhookMessage::enqueue(
        conn,
        &message_id()?,
        platform_id,
        EventType::WatchlistChanged,
        &payload,
        at,
    )?;
    Ok(())
}

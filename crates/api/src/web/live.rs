//! `GET /graphql` with `Upgrade: websocket`: GraphQL subscriptions over the `graphql-transport-ws`
//! protocol (the `graphql-ws` library's; Apollo, urql and Relay speak it). async-graphql runs the
//! protocol; this module is the socket around it: who may open one, how long it may live, how
//! much it may carry.
//!
//! * **Origin.** A WebSocket is not protected by CORS, so the handshake is refused (403) when it
//!   carries an `Origin` that is neither one of `LAPORLAPAK_CORS_ORIGINS` nor the server's own.
//!   Clients that are not browsers send none and are not affected.
//! * **Authentication.** The token goes in `connection_init`'s payload, as
//!   `{"authorization": "Bearer <token>"}` (or `{"token": "<token>"}`); without one the
//!   connection is anonymous (the tracking-code subscription). A token that is invalid, expired,
//!   of a disabled account or a revoked API client closes the socket with **4403 Forbidden**, at
//!   `connection_init` or later: the connection checks its token again when it expires, when its
//!   account or API client changes (on any replica), and every [`REVERIFY`].
//! * **Limits** (per replica): [`MAX_PER_ADDRESS`] connections per client address (429 at the
//!   handshake), [`MAX_PER_HOLDER`] per account or API client (close **4429**),
//!   [`MAX_SUBSCRIPTIONS`] subscriptions per connection (an `error` message for the one over),
//!   messages of [`MAX_MESSAGE_BYTES`] (close 1009), `connection_init` within [`INIT_TIMEOUT`]
//!   (close 4408). The server sends a `ping` every [`PING_INTERVAL`]; a connection from which
//!   nothing (not even the `pong` every client answers with) arrives for [`IDLE_TIMEOUT`] is
//!   closed (4408).
//! * **Draining.** On SIGTERM every subscription is completed (`complete`), then the socket is
//!   closed with 1001 (going away): clients reconnect to another replica.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason};
use async_graphql::http::{WebSocket, WebSocketProtocols as Protocols, WsMessage};
use futures_util::StreamExt as _;
use tokio::sync::broadcast::error::RecvError;

use crate::graphql::AppSchema;
use crate::graphql::error::REQUEST_LANG;
use crate::web::client::client_address;
use laporlapak_domain::i18n::Lang;
use laporlapak_service::Services;
use laporlapak_service::error::ServiceError;
use laporlapak_service::lifecycle::Lifecycle;
use laporlapak_service::live::Change;
use laporlapak_service::live::read::{concerns_viewer, connection_viewer, holder};
use laporlapak_service::viewer::Viewer;

/// The protocol spoken.
pub const PROTOCOL: &str = "graphql-transport-ws";
/// Open connections per client address (an IPv6 /64 counts as one), per replica.
pub const MAX_PER_ADDRESS: u32 = 32;
/// Open connections per account or API client, per replica.
pub const MAX_PER_HOLDER: u32 = 8;
/// Subscriptions running at once on one connection.
pub const MAX_SUBSCRIPTIONS: usize = 20;
/// The largest message a client may send.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Time to send `connection_init` after the handshake.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server pings.
pub const PING_INTERVAL: Duration = Duration::from_secs(30);
/// A connection from which nothing arrives for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// How often an open connection's token is checked again even when nothing told it to.
pub const REVERIFY: Duration = Duration::from_secs(300);
/// How long completed subscriptions have to reach the client before the socket closes when the
/// server drains.
const DRAIN_FLUSH: Duration = Duration::from_millis(200);

/// Open WebSocket connections of this process, by client address and by holder.
#[derive(Debug, Default)]
pub struct LiveConnections {
    open: Mutex<HashMap<String, u32>>,
}

/// One counted place in [`LiveConnections`], released when dropped.
struct Slot {
    table: Arc<LiveConnections>,
    key: String,
}

impl LiveConnections {
    fn take(self: &Arc<Self>, key: String, max: u32) -> Option<Slot> {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = open.entry(key.clone()).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Slot {
            table: self.clone(),
            key,
        })
    }

    /// Open connections in all (the measurements).
    pub fn total(&self) -> u32 {
        let open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        open.iter()
            .filter(|(key, _)| key.starts_with("addr:"))
            .map(|(_, count)| count)
            .sum()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .table
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// The origins a browser page may open a socket from (the CORS list).
#[derive(Debug, Clone, Default)]
pub struct AllowedOrigins(pub Vec<String>);

/// Whether the request is a WebSocket upgrade (the route's guard).
pub fn is_upgrade(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// An `Origin` the socket may be opened from: none (not a browser), one of the CORS list, or the
/// server's own.
fn origin_allowed(request: &HttpRequest, allowed: &AllowedOrigins) -> bool {
    let Some(origin) = request.headers().get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if allowed.0.iter().any(|allowed| allowed == origin) {
        return true;
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    let own = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    own.is_some() && own == host
}

fn offers_protocol(request: &HttpRequest) -> bool {
    request
        .headers()
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim().eq_ignore_ascii_case(PROTOCOL))
}

fn refuse(status: actix_web::http::StatusCode, text: &'static str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain")
        .body(text)
}

#[allow(clippy::too_many_arguments)]
pub async fn subscribe(
    request: HttpRequest,
    payload: web::Payload,
    schema: web::Data<AppSchema>,
    services: web::Data<Services>,
    lifecycle: web::Data<Lifecycle>,
    connections: web::Data<Arc<LiveConnections>>,
    origins: web::Data<AllowedOrigins>,
) -> HttpResponse {
    use actix_web::http::StatusCode;
    if !origin_allowed(&request, &origins) {
        laporlapak_metrics::get().rate_limit_refusal("websocket-origin");
        return refuse(
            StatusCode::FORBIDDEN,
            "this origin may not open a socket here",
        );
    }
    if !offers_protocol(&request) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "subscriptions speak the graphql-transport-ws protocol (Sec-WebSocket-Protocol)",
        );
    }
    if lifecycle.is_draining() {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
        );
    }
    let address = client_address(&request);
    let address_key = format!(
        "addr:{}",
        address.limit_key().unwrap_or_else(|| "unknown".to_owned())
    );
    let Some(address_slot) = connections.take(address_key, MAX_PER_ADDRESS) else {
        laporlapak_metrics::get().rate_limit_refusal("websocket-per-address");
        let mut response = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "too many open sockets from this address",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("10"));
        return response;
    };
    let (response, session, messages) =
        match actix_ws::handle_with_protocols(&request, payload, &[PROTOCOL]) {
            Ok(parts) => parts,
            Err(error) => return error.error_response(),
        };
    let lang = Lang::from_accept_language(
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let messages = messages
        .max_frame_size(MAX_MESSAGE_BYTES)
        .aggregate_continuations()
        .max_continuation_size(MAX_MESSAGE_BYTES);
    let connection = Connection {
        schema: schema.into_inner(),
        services: services.get_ref().clone(),
        lifecycle: lifecycle.get_ref().clone(),
        connections: connections.get_ref().clone(),
        address,
        _address_slot: address_slot,
    };
    actix_web::rt::spawn(REQUEST_LANG.scope(lang, connection.run(session, messages)));
    response
}

/// What the socket learnt at `connection_init`.
#[derive(Default)]
struct Holder {
    token: Option<String>,
    viewer: Viewer,
    /// When the token stops being valid (seconds since the epoch).
    expires_at: Option<i64>,
    /// The close the refused `connection_init` gets.
    refusal: Option<(u16, String)>,
    _slot: Option<Slot>,
}

struct Connection {
    schema: Arc<AppSchema>,
    services: Services,
    lifecycle: Lifecycle,
    connections: Arc<LiveConnections>,
    address: laporlapak_service::limits::ClientAddress,
    _address_slot: Slot,
}

/// The token of a `connection_init` payload.
fn token_of(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    let value = ["authorization", "Authorization", "token"]
        .iter()
        .find_map(|key| object.get(*key))?
        .as_str()?
        .trim();
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => value,
    };
    Some(token.to_owned())
}

fn close_reason(code: u16, text: impl Into<String>) -> Option<CloseReason> {
    Some(CloseReason {
        code: CloseCode::from(code),
        description: Some(text.into()),
    })
}

/// The `type` and `id` of a protocol message.
fn kind_and_id(text: &str) -> (Option<String>, Option<String>) {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => (
            value
                .get("type")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            value.get("id").and_then(|v| v.as_str()).map(str::to_owned),
        ),
        Err(_) => (None, None),
    }
}

impl Connection {
    async fn run(
        self,
        mut session: actix_ws::Session,
        mut messages: actix_ws::AggregatedMessageStream,
    ) {
        let holder = Arc::new(Mutex::new(Holder::default()));
        let lock = |holder: &Arc<Mutex<Holder>>| {
            holder
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .token
                .clone()
        };
        let (incoming, incoming_rx) = tokio::sync::mpsc::channel::<String>(16);
        let incoming_stream = futures_util::stream::unfold(incoming_rx, |mut rx| async move {
            rx.recv().await.map(|text| (text, rx))
        });
        let mut data = async_graphql::Data::default();
        data.insert(self.lifecycle.draining());
        data.insert(self.address);
        let init_holder = holder.clone();
        let init_services = self.services.clone();
        let init_connections = self.connections.clone();
        let protocol = WebSocket::new(
            self.schema.as_ref().clone(),
            incoming_stream,
            Protocols::GraphQLWS,
        )
        .connection_data(data)
        .on_connection_init(move |payload| async move {
            let token = token_of(&payload);
            let outcome = match &token {
                Some(token) => connection_viewer(&init_services, token)
                    .await
                    .map(|(viewer, expires_at)| (viewer, Some(expires_at))),
                None => Ok((Viewer::Anonymous, None)),
            };
            let mut holder = init_holder
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let (viewer, expires_at) = match outcome {
                Ok(found) => found,
                Err(error) => {
                    let (code, text) = match error {
                        ServiceError::Unavailable { .. } => (1013, "try again later"),
                        _ => (4403, "Forbidden: the token is invalid or expired"),
                    };
                    holder.refusal = Some((code, text.to_owned()));
                    return Err(async_graphql::Error::new(text));
                }
            };
            if let Some(key) = holder_key(&viewer) {
                match init_connections.take(key, MAX_PER_HOLDER) {
                    Some(slot) => holder._slot = Some(slot),
                    None => {
                        laporlapak_metrics::get().rate_limit_refusal("websocket-per-account");
                        let text = "Too many open connections for this account";
                        holder.refusal = Some((4429, text.to_owned()));
                        return Err(async_graphql::Error::new(text));
                    }
                }
            }
            holder.token = token;
            holder.viewer = viewer.clone();
            holder.expires_at = expires_at;
            let mut data = async_graphql::Data::default();
            data.insert(viewer);
            Ok(data)
        });

        let mut protocol = std::pin::pin!(protocol);
        let mut changes = self.services.live.subscribe();
        let mut draining = self.lifecycle.draining();
        let mut ping = tokio::time::interval(PING_INTERVAL);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ping.tick().await;
        let mut reverify = tokio::time::interval(REVERIFY);
        reverify.tick().await;
        let started = tokio::time::Instant::now();
        let mut last_heard = started;
        let mut acked = false;
        let mut active: HashSet<String> = HashSet::new();
        let mut drained_at: Option<tokio::time::Instant> = None;
        let far = Duration::from_secs(365 * 24 * 3600);

        let close: Option<CloseReason> = loop {
            let expiry = holder
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .expires_at
                .map(|at| {
                    let now = chrono::Utc::now().timestamp();
                    Duration::from_secs(u64::try_from(at - now).unwrap_or(0))
                })
                .unwrap_or(far);
            let deadline = match (acked, drained_at) {
                (_, Some(at)) => at + DRAIN_FLUSH,
                (false, None) => started + INIT_TIMEOUT,
                (true, None) => last_heard + IDLE_TIMEOUT,
            };
            tokio::select! {
                message = messages.next() => match message {
                    Some(Ok(AggregatedMessage::Text(text))) => {
                        last_heard = tokio::time::Instant::now();
                        let (kind, id) = kind_and_id(&text);
                        match (kind.as_deref(), id) {
                            (Some("subscribe"), Some(id)) => {
                                if !acked {
                                    break close_reason(4401, "Unauthorized");
                                }
                                if active.contains(&id) {
                                    break close_reason(4409, format!("Subscriber for {id} already exists"));
                                }
                                if active.len() >= MAX_SUBSCRIPTIONS || drained_at.is_some() {
                                    let refusal = serde_json::json!({
                                        "id": id,
                                        "type": "error",
                                        "payload": [{
                                            "message": format!("at most {MAX_SUBSCRIPTIONS} subscriptions per connection"),
                                            "extensions": {"code": "RATE_LIMITED"},
                                        }],
                                    });
                                    if session.text(refusal.to_string()).await.is_err() {
                                        break None;
                                    }
                                    continue;
                                }
                                active.insert(id);
                            }
                            (Some("complete"), Some(id)) => {
                                active.remove(&id);
                            }
                            _ => {}
                        }
                        if incoming.send(text.to_string()).await.is_err() {
                            break None;
                        }
                    }
                    Some(Ok(AggregatedMessage::Binary(_))) => {
                        break close_reason(4400, "Binary messages are not part of the protocol");
                    }
                    Some(Ok(AggregatedMessage::Ping(bytes))) => {
                        last_heard = tokio::time::Instant::now();
                        if session.pong(&bytes).await.is_err() {
                            break None;
                        }
                    }
                    Some(Ok(AggregatedMessage::Pong(_))) => {
                        last_heard = tokio::time::Instant::now();
                    }
                    Some(Ok(AggregatedMessage::Close(_))) | None => break None,
                    Some(Err(error)) => {
                        let code = match error {
                            actix_ws::ProtocolError::Overflow => 1009,
                            _ => 1002,
                        };
                        break close_reason(code, "message too large or malformed");
                    }
                },
                outgoing = protocol.next() => match outgoing {
                    Some(WsMessage::Text(text)) => {
                        match kind_and_id(&text) {
                            (Some(kind), _) if kind == "connection_ack" => acked = true,
                            (Some(kind), Some(id)) if kind == "complete" || kind == "error" => {
                                active.remove(&id);
                            }
                            _ => {}
                        }
                        if session.text(text).await.is_err() {
                            break None;
                        }
                    }
                    Some(WsMessage::Close(code, text)) => {
                        let refusal = holder
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .refusal
                            .take();
                        break match refusal {
                            Some((code, text)) => close_reason(code, text),
                            None => close_reason(code, text),
                        };
                    }
                    None => break close_reason(1000, "Normal Closure"),
                },
                change = changes.recv() => {
                    let check = match change {
                        Ok(change) => {
                            let viewer = holder.lock().unwrap_or_else(std::sync::PoisonError::into_inner).viewer.clone();
                            concerns_viewer(&viewer, change) || change == Change::Resync
                        }
                        Err(RecvError::Lagged(_)) => true,
                        Err(RecvError::Closed) => false,
                    };
                    if check && let Some(token) = lock(&holder)
                        && let Err(refusal) = self.still_valid(&token).await
                    {
                        break refusal;
                    }
                }
                _ = reverify.tick() => {
                    if let Some(token) = lock(&holder)
                        && let Err(refusal) = self.still_valid(&token).await
                    {
                        break refusal;
                    }
                }
                () = tokio::time::sleep(expiry) => {
                    break close_reason(4403, "Forbidden: the token expired");
                }
                _ = ping.tick() => {
                    if acked && session.text(r#"{"type":"ping"}"#).await.is_err() {
                        break None;
                    }
                }
                () = tokio::time::sleep_until(deadline) => {
                    if drained_at.is_some() {
                        break close_reason(1001, "the server is shutting down");
                    }
                    break close_reason(4408, if acked { "Idle timeout" } else { "Connection initialisation timeout" });
                }
                () = draining.started(), if drained_at.is_none() => {
                    // The subscriptions end on their own (they watch the same signal) and their
                    // `complete` messages go out; then the socket closes.
                    drained_at = Some(tokio::time::Instant::now());
                }
            }
        };
        drop(incoming);
        let _ = session.close(close).await;
    }

    /// The connection's token checked again; the close it gets when it is no longer valid.
    async fn still_valid(&self, token: &str) -> Result<(), Option<CloseReason>> {
        match connection_viewer(&self.services, token).await {
            Ok(_) => Ok(()),
            // The database out of reach says nothing about the token.
            Err(ServiceError::Unavailable { .. }) => Ok(()),
            Err(_) => Err(close_reason(
                4403,
                "Forbidden: the token is no longer valid",
            )),
        }
    }
}

fn holder_key(viewer: &Viewer) -> Option<String> {
    holder(viewer).map(|key| format!("holder:{key}"))
}

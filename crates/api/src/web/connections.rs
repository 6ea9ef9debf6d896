//! Slow clients and connection floods: every request body has a deadline, connections are capped in
//! total (sized from the file-descriptor limit at start) and per client address.
//!
//! * **Bodies.** A body that is not an upload (JSON, a form) must arrive whole within
//!   `LAPORLAPAK_BODY_TIMEOUT_SECONDS`; a multipart upload gets the same time as grace, then must
//!   keep an average of `LAPORLAPAK_UPLOAD_MIN_BYTES_PER_SECOND`. A body that falls behind answers
//!   408 and its connection is closed. (Request headers have their own deadline: actix-web's
//!   client request timeout, 5 s.)
//! * **Connections.** At start the soft `RLIMIT_NOFILE` is raised to the hard limit, and the total
//!   of connections the server keeps open is derived from it (minus a reserve for database
//!   connections and files), unless `LAPORLAPAK_MAX_CONNECTIONS` sets it; beyond it the server stops
//!   accepting until connections end. Each client address (an IPv6 /64 counted as one) may hold
//!   `LAPORLAPAK_MAX_CONNECTIONS_PER_ADDRESS`; a request on a connection beyond that answers 429
//!   and the connection is closed. Connections from the trusted proxies (with
//!   `LAPORLAPAK_TRUST_PROXY`) are not counted per address: the proxy holds every client's.
//!
//! Connection counts are per process (a connection is a resource of the process that holds it), so
//! with several replicas each enforces its own caps; nothing else here is state.

use std::cell::Cell;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Extensions, Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage as _, HttpResponse};
use bytes::Bytes;
use futures_util::Stream;
use std::future::Future as _;

use laporlapak_service::limits::ClientAddress;

/// File descriptors kept back from the connection total: database connections, evidence files,
/// webhook deliveries, logs.
const RESERVED_DESCRIPTORS: u64 = 512;
/// The smallest total the server derives (a tiny descriptor limit still serves someone).
const MIN_CONNECTIONS: u64 = 64;

/// How the server treats slow bodies and many connections (see the module's documentation).
#[derive(Debug, Clone)]
pub struct ConnectionSettings {
    pub body_timeout: Duration,
    pub upload_min_bytes_per_second: u64,
    /// `None`: derived from the file-descriptor limit at start.
    pub max_connections: Option<u64>,
    pub max_connections_per_address: u32,
}

impl Default for ConnectionSettings {
    fn default() -> Self {
        Self {
            body_timeout: Duration::from_secs(10),
            upload_min_bytes_per_second: 8 * 1024,
            max_connections: None,
            max_connections_per_address: 256,
        }
    }
}

/// Raises the soft file-descriptor limit to the hard one and returns the connection total: the
/// configured one, or what the descriptors allow. Logs both.
pub fn size_descriptors(settings: &ConnectionSettings) -> u64 {
    let before = rlimit::getrlimit(rlimit::Resource::NOFILE).ok();
    let soft = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(soft) => soft,
        Err(error) => {
            tracing::warn!(%error, "cannot read or raise the file-descriptor limit");
            before.map_or(1024, |(soft, _)| soft)
        }
    };
    let derived = soft
        .saturating_sub(RESERVED_DESCRIPTORS)
        .max(MIN_CONNECTIONS);
    let total = settings.max_connections.unwrap_or(derived);
    tracing::info!(
        soft_limit_before = before.map(|(soft, _)| soft),
        soft_limit = soft,
        hard_limit = before.map(|(_, hard)| hard),
        max_connections = total,
        max_connections_per_address = settings.max_connections_per_address,
        body_timeout_seconds = settings.body_timeout.as_secs(),
        upload_min_bytes_per_second = settings.upload_min_bytes_per_second,
        "file descriptors: soft limit {soft}; serving at most {total} connections"
    );
    if settings.max_connections.is_some_and(|max| max > derived) {
        tracing::warn!(
            max_connections = total,
            derived,
            "LAPORLAPAK_MAX_CONNECTIONS is above what the file-descriptor limit allows"
        );
    }
    total
}

/// Open connections per client address, shared by the workers of one process.
#[derive(Debug)]
pub struct ConnectionTable {
    per_address: u32,
    /// Peers whose connections are not counted per address (the trusted proxies).
    exempt: Vec<ipnet::IpNet>,
    open: Mutex<HashMap<String, u32>>,
}

/// A connection's place in the table, kept in the connection's data: released when it closes.
#[derive(Debug)]
pub struct ConnectionSlot {
    table: Arc<ConnectionTable>,
    key: Option<String>,
    over: bool,
}

impl ConnectionTable {
    pub fn new(per_address: u32, exempt: Vec<ipnet::IpNet>) -> Arc<Self> {
        Arc::new(Self {
            per_address,
            exempt,
            open: Mutex::default(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, u32>> {
        self.open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts a new connection from `peer`.
    fn open(self: &Arc<Self>, peer: Option<SocketAddr>) -> ConnectionSlot {
        let key = peer
            .map(|peer| peer.ip())
            .filter(|ip| !self.exempt.iter().any(|net| net.contains(ip)))
            .and_then(|ip| ClientAddress(Some(ip)).limit_key());
        let over = key.as_ref().is_some_and(|key| {
            let mut open = self.lock();
            let count = open.entry(key.clone()).or_insert(0);
            *count += 1;
            *count > self.per_address
        });
        ConnectionSlot {
            table: self.clone(),
            key,
            over,
        }
    }

    /// For `HttpServer::on_connect`: records the connection's slot in its data.
    pub fn on_connect(self: &Arc<Self>, connection: &dyn std::any::Any, data: &mut Extensions) {
        let peer = connection
            .downcast_ref::<actix_web::rt::net::TcpStream>()
            .and_then(|stream| stream.peer_addr().ok());
        data.insert(self.open(peer));
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let Some(key) = &self.key else { return };
        let mut open = self.table.lock();
        if let Some(count) = open.get_mut(key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(key);
            }
        }
    }
}

/// The middleware: refuses requests on connections beyond the per-address cap, and gives the
/// request's body its deadline (408 and a closed connection when it is missed).
pub async fn guard(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if request
        .conn_data::<ConnectionSlot>()
        .is_some_and(|slot| slot.over)
    {
        laporlapak_metrics::get().rate_limit_refusal("connections-per-address");
        let response = HttpResponse::TooManyRequests()
            .insert_header((header::RETRY_AFTER, "10"))
            .content_type("text/plain")
            .force_close()
            .body("too many connections from this address");
        return Ok(request.into_response(response));
    }
    let has_body = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let settings = request
        .app_data::<actix_web::web::Data<ConnectionSettings>>()
        .map(|settings| settings.get_ref().clone());
    let (Some(settings), true) = (settings, has_body) else {
        return next.call(request).await.map(|r| r.map_into_boxed_body());
    };
    let upload = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        });
    let expired = Rc::new(Cell::new(false));
    let body = DeadlineBody {
        inner: request.take_payload(),
        received: 0,
        started: tokio::time::Instant::now(),
        timeout: settings.body_timeout,
        min_rate: upload.then_some(settings.upload_min_bytes_per_second.max(1)),
        timer: Box::pin(tokio::time::sleep(settings.body_timeout)),
        expired: expired.clone(),
    };
    request.set_payload(Payload::Stream {
        payload: Box::pin(body),
    });
    let response = next.call(request).await?;
    if expired.get() {
        laporlapak_metrics::get().rate_limit_refusal("body-deadline");
        tracing::info!("a request body missed its deadline; its connection is closed");
        let timeout = HttpResponse::RequestTimeout()
            .content_type("text/plain")
            .force_close()
            .body("the request body arrived too slowly");
        return Ok(response.into_response(timeout));
    }
    Ok(response.map_into_boxed_body())
}

/// A request body that fails once it falls behind its deadline.
struct DeadlineBody {
    inner: Payload,
    received: u64,
    started: tokio::time::Instant,
    timeout: Duration,
    /// For uploads: after `timeout` of grace, the slowest average rate allowed.
    min_rate: Option<u64>,
    timer: Pin<Box<tokio::time::Sleep>>,
    expired: Rc<Cell<bool>>,
}

impl DeadlineBody {
    fn deadline(&self) -> tokio::time::Instant {
        let allowed = match self.min_rate {
            Some(rate) => {
                self.timeout + Duration::from_secs_f64(self.received as f64 / rate as f64)
            }
            None => self.timeout,
        };
        self.started + allowed
    }
}

impl Stream for DeadlineBody {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.expired.get() {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received = this.received.saturating_add(chunk.len() as u64);
                if this.min_rate.is_some() {
                    let deadline = this.deadline();
                    this.timer.as_mut().reset(deadline);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.expired.set(true);
                    Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the request body arrived too slowly",
                    )))))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

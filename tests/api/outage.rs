//! A database that stops answering without closing its connections (a cut network drops packets,
//! it does not refuse them; a frozen database host looks the same): readiness and requests must
//! fail fast with 503 and `UNAVAILABLE` instead of hanging, and the service must recover by itself
//! once the database answers again. PostgreSQL only: a proxy inside the test stands between the
//! server and the database, and can freeze (forward no byte either way, close nothing) and sever
//! (close every connection, as a database restart would).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use diesel::RunQueryDsl as _;
use diesel::sql_types::Text;

use crate::helpers::{Backend, Reply, TestApp};
use laporlapak::db::{DatabaseUrl, DbConnection};
use laporlapak::error::ServiceResult;

/// Not the default, to see it applied; a frozen database fails requests at checkout, whatever it is.
const STATEMENT_TIMEOUT: Duration = Duration::from_millis(2500);
/// `/readyz` must answer within this whatever the database does.
const READY_BOUND: Duration = Duration::from_millis(2500);
/// A GraphQL request must answer within this while the database is frozen.
const REQUEST_BOUND: Duration = Duration::from_secs(15);
/// After the database answers again, a query must succeed within this.
const RECOVERY_BOUND: Duration = Duration::from_secs(5);

/// A query that needs the database (a tracking code nobody holds: one statement).
const QUERY: &str = "{ complaintByTrackingCode(code: \"LL-0000-0000\") { status } }";
/// Reference data, which the server holds in memory.
const REFERENCE: &str = "{ categories { code } platforms { slug } }";

#[actix_web::test]
#[cfg_attr(
    not(laporlapak_postgres_tests),
    ignore = "set TEST_DATABASE_URL=postgres://… to run on PostgreSQL"
)]
async fn a_frozen_database_fails_fast_and_the_service_recovers() {
    // Whatever goes wrong, the test ends; dropping the scenario drops the server, its database and
    // the proxy.
    tokio::time::timeout(Duration::from_secs(120), frozen_database())
        .await
        .expect("the outage scenario finished within two minutes");
}

async fn frozen_database() {
    let proxy = FreezableProxy::start(postgres_address());
    let proxy_port = proxy.port;
    let app = TestApp::spawn_tuned(Backend::Postgres, |settings| {
        let DatabaseUrl::Postgres(url) = &settings.database_url else {
            panic!("a PostgreSQL test server");
        };
        let mut url = url::Url::parse(url).expect("a PostgreSQL URL");
        url.set_host(Some("127.0.0.1")).expect("host");
        url.set_port(Some(proxy_port)).expect("port");
        settings.database_url = DatabaseUrl::Postgres(url.to_string());
        settings.db_statement_timeout = STATEMENT_TIMEOUT;
    })
    .await;

    // Through the proxy, all is well, and the configured statement timeout applies.
    app.gql(None, QUERY, json!({})).await.ok();
    let statement_timeout: ServiceResult<String> = app
        .services
        .db
        .run(|conn| match conn {
            DbConnection::Postgres(conn) => Ok(diesel::select(diesel::dsl::sql::<Text>(
                "current_setting('statement_timeout')",
            ))
            .get_result(conn)?),
            DbConnection::Sqlite(_) => unreachable!("a PostgreSQL test server"),
        })
        .await;
    assert_eq!(statement_timeout.unwrap(), "2500ms");
    let token = app.register("warga@example.id").await;
    assert_eq!(app.get("/readyz").await.0, 200);

    proxy.freeze();

    let started = Instant::now();
    let (status, body) = app.get("/readyz").await;
    let readyz = started.elapsed();
    eprintln!("frozen: /readyz answered {status} in {readyz:?}");
    assert_eq!(status, 503, "{body}");
    assert!(readyz < READY_BOUND, "/readyz took {readyz:?}");

    // Several at once, anonymous and signed in: each answers 503 UNAVAILABLE within the bound.
    let anonymous = (0..3).map(|_| timed(app.gql(None, QUERY, json!({}))));
    let signed_in = timed(app.gql(Some(&token), "{ me { email } }", json!({})));
    let (replies, (report, report_took)) = tokio::join!(
        futures_util::future::join_all(anonymous.chain([signed_in])),
        timed(app.get_reply("/transparency.csv")),
    );
    eprintln!(
        "frozen: /transparency.csv answered {} in {report_took:?}",
        report.status
    );
    assert_eq!(report.status, 503, "{}", report.body);
    assert_eq!(report.header("retry-after"), "5");
    assert!(
        report_took < REQUEST_BOUND,
        "the report took {report_took:?}"
    );
    for (reply, took) in &replies {
        eprintln!("frozen: /graphql answered {} in {took:?}", reply.status);
        assert_unavailable(reply);
        assert!(*took < REQUEST_BOUND, "a request took {took:?}");
    }
    // Reference data is served from memory: an app can still show its report form.
    let (reply, took) = timed(app.gql(None, REFERENCE, json!({}))).await;
    assert!(!reply.ok()["categories"].as_array().unwrap().is_empty());
    assert!(took < READY_BOUND, "reference data took {took:?}");
    // The pool is now busy with connections stuck on the frozen database: still fast.
    let (reply, took) = timed(app.gql(None, QUERY, json!({}))).await;
    eprintln!(
        "frozen, pool drained: /graphql answered {} in {took:?}",
        reply.status
    );
    assert_unavailable(&reply);
    assert!(took < REQUEST_BOUND, "a request took {took:?}");
    let started = Instant::now();
    assert_eq!(app.get("/readyz").await.0, 503);
    assert!(started.elapsed() < READY_BOUND);

    proxy.unfreeze();
    let recovered = until_a_query_succeeds(&app).await;
    eprintln!("unfrozen: a query succeeded after {recovered:?}");
    app.gql(Some(&token), "{ me { email } }", json!({}))
        .await
        .ok();
    assert_eq!(app.get("/readyz").await.0, 200);

    // Every connection closed under the pool. Connections in steady use are not tested before
    // each use (that would be a round trip per request): the next query may find its connection
    // dead and answer 503 UNAVAILABLE, to be retried. That one discovery has every other pooled
    // connection tested before its next use, so it is the only query that fails.
    proxy.sever();
    let (reply, took) = timed(app.gql(None, QUERY, json!({}))).await;
    eprintln!(
        "severed: the next query answered {} in {took:?}",
        reply.status
    );
    if reply.status != 200 {
        assert_unavailable(&reply);
    }
    for _ in 0..8 {
        app.gql(None, QUERY, json!({})).await.ok();
    }
}

#[track_caller]
fn assert_unavailable(reply: &Reply) {
    assert_eq!(reply.status, 503, "{}", reply.body);
    reply.expect_code("UNAVAILABLE");
    assert_eq!(reply.body["errors"][0]["extensions"]["retryAfter"], 5);
    assert_eq!(reply.header("retry-after"), "5");
}

async fn timed<T>(future: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let output = future.await;
    (output, started.elapsed())
}

async fn until_a_query_succeeds(app: &TestApp) -> Duration {
    let started = Instant::now();
    loop {
        let reply = app.gql(None, QUERY, json!({})).await;
        if reply.status == 200 && reply.body.get("errors").is_none() {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < RECOVERY_BOUND,
            "no recovery within {RECOVERY_BOUND:?}: {} {}",
            reply.status,
            reply.body
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `host:port` of the PostgreSQL server `TEST_DATABASE_URL` names.
fn postgres_address() -> String {
    let url = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
    let url = url::Url::parse(&url).expect("TEST_DATABASE_URL is a URL");
    let host = url
        .host_str()
        .filter(|host| !host.is_empty())
        .expect("TEST_DATABASE_URL names a TCP host (not a Unix socket)");
    format!("{host}:{}", url.port().unwrap_or(5432))
}

/// A TCP proxy to `upstream` on 127.0.0.1 that can stop forwarding without closing anything. It
/// runs on a thread and runtime of its own: the test thread blocks while the server starts.
struct FreezableProxy {
    port: u16,
    frozen: watch::Sender<bool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    /// Dropping it stops the proxy's runtime, which closes every socket.
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl FreezableProxy {
    fn start(upstream: String) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let port = listener.local_addr().expect("address").port();
        let (frozen, _) = watch::channel(false);
        let connections = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let accepting = accept(listener, upstream, frozen.subscribe(), connections.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("proxy runtime");
            runtime.block_on(async move {
                tokio::spawn(accepting);
                let _ = stopped.await;
            });
        });
        Self {
            port,
            frozen,
            connections,
            _stop: stop,
        }
    }

    /// No byte passes either way until `unfreeze`; every socket stays open, new connections are
    /// accepted (as the kernel would) and stall too.
    fn freeze(&self) {
        self.frozen.send_replace(true);
    }

    fn unfreeze(&self) {
        self.frozen.send_replace(false);
    }

    /// Closes every connection made so far.
    fn sever(&self) {
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }
}

async fn accept(
    listener: std::net::TcpListener,
    upstream: String,
    frozen: watch::Receiver<bool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
) {
    let listener = TcpListener::from_std(listener).expect("listener");
    while let Ok((client, _)) = listener.accept().await {
        let upstream = upstream.clone();
        let frozen = frozen.clone();
        let connection = tokio::spawn(async move {
            let Ok(server) = TcpStream::connect(&upstream).await else {
                return;
            };
            let (client_read, client_write) = client.into_split();
            let (server_read, server_write) = server.into_split();
            // Either side closing ends both.
            tokio::select! {
                () = forward(client_read, server_write, frozen.clone()) => {}
                () = forward(server_read, client_write, frozen) => {}
            }
        });
        connections.lock().unwrap().push(connection);
    }
}

async fn forward(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    mut frozen: watch::Receiver<bool>,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        if frozen.wait_for(|frozen| !frozen).await.is_err() {
            return;
        }
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        // Bytes read just as the proxy froze are held until it thaws.
        if frozen.wait_for(|frozen| !frozen).await.is_err() {
            return;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}

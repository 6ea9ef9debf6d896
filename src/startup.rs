//! Building and running the application: database, migrations, services, schema and HTTP server.
//! `Application::build` binds its listener before returning, so tests can bind port 0 and read the
//! port that was chosen.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::{Server, ServerHandle};
use actix_web::http::header;
use actix_web::middleware::{Compress, Condition};
use actix_web::{App, HttpResponse, HttpServer, web};

use crate::auth::{PasswordHasher, TokenKeys};
use crate::config::{Environment, Settings};
use crate::db::Database;
use crate::graphql::{self, AppSchema, http as graphql_http};
use crate::lifecycle::{Draining, Lifecycle};
use crate::service::Services;
use crate::service::clock::Clock;
use crate::service::reference_data::{REFRESH_INTERVAL, ReferenceCache};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Database(#[from] crate::db::DbError),
    #[error("JWT: {0}")]
    Token(#[from] crate::auth::token::TokenError),
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
    #[error("data keys: {0}")]
    Vault(#[from] crate::vault::VaultError),
    #[error("erasure ledger: {0}")]
    ErasureLedger(String),
    #[error("LAPORLAPAK_BIND: cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
}

/// Connects to the database, applies migrations and builds the shared services on `clock`.
pub fn build_services(settings: &Settings, clock: Clock) -> Result<Services, StartupError> {
    let db = Database::connect(
        &settings.database_url,
        settings.db_pool_size,
        settings.db_statement_timeout,
    );
    services_on(settings, clock, db)
}

/// [`build_services`] for a one-shot command of the command line, on the system clock: its pool
/// keeps no idle connection (`Database::connect_for_command`), so that nothing connects in the
/// background while the process exits.
pub fn build_command_services(settings: &Settings) -> Result<Services, StartupError> {
    let db = Database::connect_for_command(
        &settings.database_url,
        settings.db_pool_size,
        settings.db_statement_timeout,
    );
    services_on(settings, Clock::system(), db)
}

fn services_on(
    settings: &Settings,
    clock: Clock,
    db: Result<Database, crate::db::DbError>,
) -> Result<Services, StartupError> {
    crate::config::prepare_data_dir(&settings.data_dir)?;
    let db = db?;
    db.migrate()?;
    let reference = db.run_at_startup(ReferenceCache::load)?;
    let secret = settings.jwt_secret_bytes()?;
    let vault = crate::vault::Vault::open_keyring(
        settings.data_key.as_ref().map(|key| key.0.as_str()),
        &settings.data_dir,
    )?;
    // The tracking-code index key: made by the first start, sealed under the data key.
    let fresh = vault.new_index_key()?;
    let stored = db.run_at_startup(|conn| {
        crate::db::models::index_key::IndexKey::get_or_insert(
            conn,
            crate::db::models::index_key::TRACKING_CODE,
            &fresh,
            clock.now(),
        )
    })?;
    vault.install_tracking_index_key(&stored)?;
    let tokens = TokenKeys::new(&secret, settings.token_ttl)?;
    let store = crate::storage::BlobStore::open(&settings.data_dir, &settings.evidence.store)?;
    let evidence =
        crate::service::evidence::Evidence::new(settings.evidence.clone(), store, &secret);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    Ok(Services {
        db,
        hasher: PasswordHasher::new(cores),
        tokens,
        rate_limits: settings.rate_limits,
        report_cache: Default::default(),
        limiter: Arc::default(),
        reference: Arc::new(reference),
        clock,
        webhooks: Arc::new(crate::service::webhook::WebhookRuntime {
            egress: crate::service::webhook::egress::EgressPolicy::new(
                &settings.webhook_allow_hosts,
            ),
            wake: tokio::sync::Notify::new(),
        }),
        mail: Arc::new(crate::service::mail::MailRuntime::new(
            settings.mail.clone(),
        )),
        evidence: Arc::new(evidence),
        relisting_window: settings.relisting_window,
        reply_window: settings.reply_window,
        vault: Arc::new(vault),
        retention: settings.retention,
        erasure_ledger: Arc::new(crate::service::privacy::ledger::ErasureLedger::in_data_dir(
            &settings.data_dir,
        )),
        live: Arc::default(),
    })
}

pub struct Application {
    port: u16,
    server: Server,
    services: Services,
    lifecycle: Lifecycle,
    /// Background tasks, awaited (within the grace period) when the server drains.
    jobs: Vec<tokio::task::JoinHandle<()>>,
    shutdown_delay: std::time::Duration,
    shutdown_grace: std::time::Duration,
}

impl Application {
    pub fn build(settings: &Settings) -> Result<Self, StartupError> {
        Self::build_with_clock(settings, Clock::system())
    }

    /// As [`Application::build`], on a given clock (tests use a manual one to reach deadlines).
    pub fn build_with_clock(settings: &Settings, clock: Clock) -> Result<Self, StartupError> {
        let mut services = build_services(settings, clock)?;
        // Live updates across replicas: through PostgreSQL's NOTIFY when there is one.
        if let crate::db::DatabaseUrl::Postgres(url) = &settings.database_url {
            services.live = crate::service::live::postgres_hub(url);
        }
        // Before the first request: an account erased after the backup this database was restored
        // from must not sign in again (the erasure ledger, `service::privacy::ledger`).
        let (erasures, orphans) = crate::service::privacy::ledger::reapply(&services)
            .map_err(|error| StartupError::ErasureLedger(format!("{error:?}")))?;
        let listener = TcpListener::bind(&settings.bind).map_err(|source| StartupError::Bind {
            address: settings.bind.clone(),
            source,
        })?;
        let port = listener.local_addr().map_or(0, |a| a.port());
        let schema = graphql::build_schema(services.clone(), settings.environment);
        let lifecycle = Lifecycle::default();
        let server = run(listener, services.clone(), schema, settings, &lifecycle)?;
        let mut app = Self {
            port,
            server,
            services,
            lifecycle,
            jobs: Vec::new(),
            shutdown_delay: settings.shutdown_delay,
            shutdown_grace: settings.shutdown_grace,
        };
        if erasures.applied > 0 || !orphans.is_empty() {
            app.spawn_job(move |services, _| async move {
                crate::service::privacy::remove_orphans(&services, orphans).await;
            });
        }
        app.spawn_job(reseal_at_start);
        app.spawn_job(housekeeping);
        app.spawn_job(refresh_reference_data);
        app.spawn_job(flush_rate_limits);
        app.spawn_job(crate::service::webhook::worker::run);
        app.spawn_job(crate::service::mail::worker::run);
        Ok(app)
    }

    /// Starts a background task with the services and a [`Draining`]: the task must return soon
    /// after [`Draining::started`] resolves (finishing or handing back the unit of work it is in);
    /// on SIGTERM the server waits for it, within the grace period, before it exits.
    pub fn spawn_job<F, Fut>(&mut self, job: F)
    where
        F: FnOnce(Services, Draining) -> Fut,
        Fut: std::future::Future<Output = ()> + 'static,
    {
        let task = job(self.services.clone(), self.lifecycle.draining());
        self.jobs.push(actix_web::rt::spawn(task));
    }

    /// Whether the server is draining, and the means to learn when it starts.
    pub fn lifecycle(&self) -> &Lifecycle {
        &self.lifecycle
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The services the server runs on (tests use them to set up what the API cannot, such as
    /// the first admin).
    pub fn services(&self) -> &Services {
        &self.services
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// Serves until SIGTERM or SIGINT, then drains (see [`crate::lifecycle`]): `/readyz` turns
    /// 503, the server keeps accepting for the shutdown delay, stops accepting, lets requests in
    /// flight and background tasks finish within the grace period, and returns.
    pub async fn run_until_signalled(self) -> std::io::Result<()> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        let handle = self.server.handle();
        let mut server = std::pin::pin!(self.server);
        let signal = tokio::select! {
            served = &mut server => return served,
            _ = terminate.recv() => "SIGTERM",
            _ = interrupt.recv() => "SIGINT",
        };
        tracing::info!(
            signal,
            delay_seconds = self.shutdown_delay.as_secs(),
            grace_seconds = self.shutdown_grace.as_secs(),
            "draining: /readyz is 503; requests in flight and background work are finishing"
        );
        self.lifecycle.start_draining();
        let deadline = tokio::time::Instant::now() + self.shutdown_delay + self.shutdown_grace;
        tokio::select! {
            served = &mut server => return served,
            () = tokio::time::sleep(self.shutdown_delay) => {}
        }
        // Stops accepting; workers finish their requests within the grace period (the server's
        // shutdown timeout), then the server future completes.
        let stopping = handle.stop(true);
        let (served, ()) = tokio::join!(server, stopping);
        // Requests served while draining counted their batched rate limits in memory: add them to
        // the shared cells before the process goes.
        if let Err(error) = crate::service::limits::flush(&self.services).await {
            tracing::warn!(?error, "the last flush of rate-limit counts failed");
        }
        for job in self.jobs {
            if tokio::time::timeout_at(deadline, job).await.is_err() {
                tracing::warn!("a background task did not finish within the grace period");
            }
        }
        tracing::info!("drained; exiting");
        served
    }
}

/// Re-reads the reference tables now and then, so that a change made through another replica is
/// seen here within [`REFRESH_INTERVAL`].
async fn refresh_reference_data(services: Services, mut draining: Draining) {
    let mut interval = tokio::time::interval(REFRESH_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    interval.tick().await; // the first tick is now, and the copy was read at start-up
    loop {
        tokio::select! {
            () = draining.started() => return,
            _ = interval.tick() => {}
        }
        let cache = services.reference.clone();
        let reloaded = services
            .db
            .run(move |conn| cache.reload(conn).map_err(crate::db::DbError::Setup))
            .await;
        crate::metrics::get().job_run("refresh_reference_data", reloaded.is_ok());
        if let Err(error) = reloaded {
            tracing::warn!(%error, "re-reading the reference data failed; keeping the last copy");
        }
    }
}

/// Adds the batched rate-limit counts to the shared cells every [`crate::service::limits::FLUSH_INTERVAL`].
/// On draining, flushes once more so that no allowed request goes uncounted.
async fn flush_rate_limits(services: Services, mut draining: Draining) {
    let mut interval = tokio::time::interval(crate::service::limits::FLUSH_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let last = tokio::select! {
            () = draining.started() => true,
            _ = interval.tick() => false,
        };
        let flushed = crate::service::limits::flush(&services).await;
        crate::metrics::get().job_run("flush_rate_limits", flushed.is_ok());
        if last {
            return;
        }
        if let Err(error) = flushed {
            tracing::warn!(
                ?error,
                "adding rate-limit counts to the shared cells failed"
            );
        }
    }
}

/// Once at start: seals what an earlier version stored in clear and what is still sealed under a
/// retired primary key (`service::privacy::keys`). Serving starts at once; until it is done an
/// account stored in clear cannot sign in (its e-mail has no blind index yet).
async fn reseal_at_start(services: Services, _draining: Draining) {
    match crate::service::privacy::keys::reseal_all(&services).await {
        Ok(count) if count.total() > 0 => {
            tracing::info!(
                values = count.total(),
                "sealed identifying data under the primary data key"
            );
        }
        Ok(_) => {}
        Err(error) => tracing::error!(?error, "sealing identifying data at start failed"),
    }
}

/// At start and hourly: SQLite statistics and WAL checkpoint, expired idempotency keys, old
/// rate-limit windows, and the retention of personal data (`service::privacy::retention`). Every
/// replica may run it; the deletes and erasures are idempotent.
async fn housekeeping(services: Services, mut draining: Draining) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tokio::select! {
            () = draining.started() => return,
            _ = interval.tick() => {}
        }
        let mut ok = true;
        if let Err(error) = services.db.maintain().await {
            ok = false;
            tracing::warn!(%error, "database maintenance failed");
        }
        if let Err(error) =
            crate::service::complaint::purge_expired_idempotency_keys(&services).await
        {
            ok = false;
            tracing::warn!(?error, "purging idempotency keys failed");
        }
        if let Err(error) = crate::service::limits::purge(&services).await {
            ok = false;
            tracing::warn!(?error, "purging rate-limit windows failed");
        }
        if let Err(error) = crate::service::privacy::retention::apply(&services, false).await {
            ok = false;
            tracing::warn!(?error, "applying personal-data retention failed");
        }
        crate::metrics::get().job_run("housekeeping", ok);
    }
}

fn run(
    listener: TcpListener,
    services: Services,
    schema: AppSchema,
    settings: &Settings,
    lifecycle: &Lifecycle,
) -> Result<Server, StartupError> {
    let environment = settings.environment;
    let proxy_trust = laporlapak_api::web::client::ProxyTrust {
        enabled: settings.trust_proxy,
        proxies: settings.trusted_proxies.clone(),
    };
    let cors_origins = settings.cors_origins.clone();
    // Blocking threads only wait for a pooled connection (or an argon2 permit) beyond this, so more
    // of them would add memory, not throughput.
    let blocking_threads = usize::try_from(settings.db_pool_size).unwrap_or(16).max(4);
    let address = listener
        .local_addr()
        .map_or_else(|_| "?".to_owned(), |a| a.to_string());
    let services = web::Data::new(services);
    let schema = web::Data::new(schema);
    let introspection = (environment == Environment::Development)
        .then(|| web::Data::new(graphql::IntrospectionSchema::build()));
    let metrics = web::Data::new(crate::web::metrics::MetricsEndpoint::new(
        settings
            .metrics_token
            .as_ref()
            .map(|token| token.0.as_str()),
        lifecycle.clone(),
    ));
    let lifecycle = web::Data::new(lifecycle.clone());
    let connection_settings = web::Data::new(settings.connections.clone());
    let max_connections = crate::web::connections::size_descriptors(&settings.connections);
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let per_worker = usize::try_from(max_connections.div_ceil(workers as u64)).unwrap_or(25_000);
    let connection_table = crate::web::connections::ConnectionTable::new(
        settings.connections.max_connections_per_address,
        if settings.trust_proxy {
            settings.trusted_proxies.clone()
        } else {
            Vec::new()
        },
    );
    let live_connections = web::Data::new(Arc::new(crate::web::live::LiveConnections::default()));
    let live_origins = web::Data::new(crate::web::live::AllowedOrigins(cors_origins.clone()));
    let server = HttpServer::new(move || {
        let graphql_resource = web::resource("/graphql")
            // Subscriptions: a WebSocket upgrade of a GET.
            .route(
                web::get()
                    .guard(actix_web::guard::fn_guard(crate::web::live::is_upgrade))
                    .to(crate::web::live::subscribe),
            )
            .route(web::post().to(graphql_http::graphql_post))
            .route(web::get().to(graphql_http::graphql_get));
        let mut app = App::new()
            .wrap(actix_web::middleware::from_fn(
                crate::web::connections::guard,
            ))
            .wrap(actix_web::middleware::from_fn(
                crate::web::etag::conditional,
            ))
            .wrap(crate::web::headers::security_headers())
            .wrap(actix_web::middleware::from_fn(crate::web::request::observe))
            .app_data(metrics.clone())
            .app_data(connection_settings.clone())
            .app_data(live_connections.clone())
            .app_data(live_origins.clone())
            .app_data(lifecycle.clone())
            .app_data(services.clone())
            .app_data(schema.clone())
            .app_data(web::Data::new(proxy_trust.clone()))
            .app_data(web::Data::new(environment))
            .service(graphql_resource)
            .route(
                "/transparency",
                web::get().to(crate::web::transparency::page),
            )
            .route(
                "/transparency/audit-log",
                web::get().to(crate::web::audit_log::page),
            )
            .route(
                "/transparency.csv",
                web::get().to(crate::web::transparency::csv),
            )
            .route("/register", web::get().to(crate::web::register::page))
            .route("/ministry.csv", web::get().to(crate::web::ministry::csv))
            .route("/privacy", web::get().to(crate::web::privacy::notice))
            .service(
                web::resource("/mail/unsubscribe")
                    .route(web::get().to(crate::web::mail::show))
                    .route(web::post().to(crate::web::mail::one_click)),
            )
            .service(
                web::resource("/mail/still-online")
                    .route(web::get().to(crate::web::mail::still_online_question))
                    .route(web::post().to(crate::web::mail::still_online_answer)),
            )
            .route("/metrics", web::get().to(crate::web::metrics::metrics))
            .route("/oauth/token", web::post().to(crate::web::oauth::token))
            .route(
                "/evidence/{file}/{variant}",
                web::get().to(crate::web::evidence::download),
            )
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz));
        if let Some(introspection) = &introspection {
            app = app.app_data(introspection.clone()).service(
                web::resource(crate::web::graphiql::ASSET_ROUTE)
                    .wrap(Compress::default())
                    .route(web::get().to(crate::web::graphiql::asset)),
            );
        }
        app.wrap(Condition::new(
            !cors_origins.is_empty(),
            cors(&cors_origins),
        ))
    })
    .worker_max_blocking_threads(blocking_threads)
    .workers(workers)
    // Beyond this (per worker) the server stops accepting until connections end; the header and
    // body deadlines see that they do.
    .max_connections(per_worker)
    .client_request_timeout(std::time::Duration::from_secs(5))
    .client_disconnect_timeout(std::time::Duration::from_secs(1))
    .on_connect(move |connection, data| connection_table.on_connect(connection, data))
    // SIGTERM and SIGINT are handled by `Application::run_until_signalled`, which drains first.
    .disable_signals()
    .shutdown_timeout(settings.shutdown_grace.as_secs().max(1))
    .listen(listener)
    .map_err(|source| StartupError::Bind { address, source })?
    .run();
    Ok(server)
}

/// Browsers on the configured origins may call the API (and read its answers); no other site may.
/// With no origin configured the middleware is off and no CORS header is ever sent. The headers
/// allowed are the ones browser clients send: Apollo Client's name and version, a request id of
/// the client's own, trace context, either preflight header for uploads; page code may read the
/// request id, `Retry-After` and `ETag` of an answer.
fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::HeaderName::from_static("graphql-preflight"),
            header::HeaderName::from_static("apollo-require-preflight"),
            header::HeaderName::from_static("apollographql-client-name"),
            header::HeaderName::from_static("apollographql-client-version"),
            header::HeaderName::from_static("x-request-id"),
            header::HeaderName::from_static("traceparent"),
            header::HeaderName::from_static("tracestate"),
            header::IF_NONE_MATCH,
        ])
        .expose_headers([
            header::HeaderName::from_static("x-request-id"),
            header::RETRY_AFTER,
            header::ETAG,
        ])
        .max_age(3600)
}

/// The process is up.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The database answers, writes do not fail for lack of space, and the server is not draining:
/// only then should a load balancer send traffic here. Once a write failed for lack of space (the
/// database's or the evidence store's), each check tries a write that needs room, so the process
/// is ready again as soon as there is room, and not before.
async fn readyz(services: web::Data<Services>, lifecycle: web::Data<Lifecycle>) -> HttpResponse {
    let unavailable = |reason: &'static str| {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body(reason)
    };
    if lifecycle.is_draining() {
        return unavailable("draining");
    }
    if !services.db.ping().await {
        return unavailable("database unavailable");
    }
    if services.db.out_of_space().await {
        return unavailable("database out of space: writes fail");
    }
    if services.evidence.store.out_of_space().await {
        return unavailable("evidence store out of space: writes fail");
    }
    HttpResponse::Ok().content_type("text/plain").body("ready")
}

//! Building and running the application: database, migrations, services, schema and HTTP server.
//! `Application::build` binds its listener before returning, so tests can bind port 0 and read the
//! port that was chosen.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::Service as _;
use actix_web::dev::{Server, ServerHandle};
use actix_web::http::header;
use actix_web::middleware::{Compress, Condition};
use actix_web::{App, HttpResponse, HttpServer, web};

use crate::auth::{PasswordHasher, TokenKeys};
use crate::config::{Environment, Settings};
use crate::db::Database;
use crate::db::stats::RequestStats;
use crate::graphql::{self, AppSchema, http as graphql_http};
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
    #[error("cannot listen on {address}: {source}")]
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
    )?;
    db.migrate()?;
    let reference = db.run_at_startup(ReferenceCache::load)?;
    let secret = settings.jwt_secret_bytes()?;
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
        evidence: Arc::new(evidence),
        relisting_window: settings.relisting_window,
    })
}

pub struct Application {
    port: u16,
    server: Server,
    services: Services,
}

impl Application {
    pub fn build(settings: &Settings) -> Result<Self, StartupError> {
        Self::build_with_clock(settings, Clock::system())
    }

    /// As [`Application::build`], on a given clock (tests use a manual one to reach deadlines).
    pub fn build_with_clock(settings: &Settings, clock: Clock) -> Result<Self, StartupError> {
        let services = build_services(settings, clock)?;
        let listener = TcpListener::bind(&settings.bind).map_err(|source| StartupError::Bind {
            address: settings.bind.clone(),
            source,
        })?;
        let port = listener.local_addr().map_or(0, |a| a.port());
        let schema = graphql::build_schema(services.clone(), settings.environment);
        let server = run(listener, services.clone(), schema, settings)?;
        actix_web::rt::spawn(housekeeping(services.clone()));
        actix_web::rt::spawn(refresh_reference_data(services.clone()));
        actix_web::rt::spawn(flush_rate_limits(services.clone()));
        actix_web::rt::spawn(crate::service::webhook::worker::run(services.clone()));
        Ok(Self {
            port,
            server,
            services,
        })
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
}

/// Re-reads the reference tables now and then, so that a change made through another replica is
/// seen here within [`REFRESH_INTERVAL`].
async fn refresh_reference_data(services: Services) {
    let mut interval = tokio::time::interval(REFRESH_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    interval.tick().await; // the first tick is now, and the copy was read at start-up
    loop {
        interval.tick().await;
        let cache = services.reference.clone();
        let reloaded = services
            .db
            .run(move |conn| cache.reload(conn).map_err(crate::db::DbError::Setup))
            .await;
        if let Err(error) = reloaded {
            tracing::warn!(%error, "re-reading the reference data failed; keeping the last copy");
        }
    }
}

/// Adds the batched rate-limit counts to the shared cells every [`crate::service::limits::FLUSH_INTERVAL`].
async fn flush_rate_limits(services: Services) {
    let mut interval = tokio::time::interval(crate::service::limits::FLUSH_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(error) = crate::service::limits::flush(&services).await {
            tracing::warn!(
                ?error,
                "adding rate-limit counts to the shared cells failed"
            );
        }
    }
}

/// At start and hourly: SQLite statistics and WAL checkpoint, expired idempotency keys, old
/// rate-limit windows. Every replica may run it;
/// the deletes are idempotent.
async fn housekeeping(services: Services) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        interval.tick().await;
        if let Err(error) = services.db.maintain().await {
            tracing::warn!(%error, "database maintenance failed");
        }
        if let Err(error) =
            crate::service::complaint::purge_expired_idempotency_keys(&services).await
        {
            tracing::warn!(?error, "purging idempotency keys failed");
        }
        if let Err(error) = crate::service::limits::purge(&services).await {
            tracing::warn!(?error, "purging rate-limit windows failed");
        }
    }
}

fn run(
    listener: TcpListener,
    services: Services,
    schema: AppSchema,
    settings: &Settings,
) -> Result<Server, StartupError> {
    let environment = settings.environment;
    let proxy_trust = graphql_http::ProxyTrust {
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
    let metrics = web::Data::new(crate::web::metrics::Metrics::new());
    let server = HttpServer::new(move || {
        let graphql_resource = web::resource("/graphql")
            .route(web::post().to(graphql_http::graphql_post))
            .route(web::get().to(graphql_http::graphql_get));
        let counted = metrics.clone();
        let mut app = App::new()
            .wrap_fn(move |request, service| {
                let metrics = counted.clone();
                let stats = Arc::new(RequestStats::default());
                let response = RequestStats::scope(stats.clone(), service.call(request));
                async move {
                    let mut response = response.await?;
                    metrics.record(response.status().as_u16());
                    crate::web::metrics::report_database_work(
                        &mut response,
                        &stats,
                        environment == Environment::Development,
                    );
                    Ok(response)
                }
            })
            .wrap(crate::web::headers::security_headers())
            .wrap(tracing_actix_web::TracingLogger::default())
            .app_data(metrics.clone())
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
                "/transparency.csv",
                web::get().to(crate::web::transparency::csv),
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
    .listen(listener)
    .map_err(|source| StartupError::Bind { address, source })?
    .run();
    Ok(server)
}

/// Browsers on the configured origins may call the API (and read its answers); no other site may.
/// With no origin configured the middleware is off and no CORS header is ever sent.
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
        ])
        .max_age(3600)
}

/// The process is up.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The database answers: only then should a load balancer send traffic here.
async fn readyz(services: web::Data<Services>) -> HttpResponse {
    if services.db.ping().await {
        HttpResponse::Ok().content_type("text/plain").body("ready")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unavailable")
    }
}

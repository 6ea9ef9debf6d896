//! The test harness: `TestApp::spawn(backend)` starts a server on its own thread and actix system,
//! over a fresh database, and stops it (and drops a PostgreSQL database) when the test ends. A fresh
//! PostgreSQL database is a copy of a template migrated once per test process.

use std::path::PathBuf;
use std::sync::{OnceLock, mpsc};

use actix_web::dev::ServerHandle;
use diesel::{Connection as _, PgConnection, RunQueryDsl as _};
use serde_json::{Value, json};

use laporlapak::config::{Environment, Secret, Settings};
use laporlapak::db::{Database, DatabaseUrl};
use laporlapak::domain::Role;
use laporlapak::service::Services;
use laporlapak::service::account::{StaffAccountRequest, create_from_command_line};
use laporlapak::service::clock::Clock;
use laporlapak::startup::Application;

pub const PASSWORD: &str = "kopi susu gula aren";
pub const JWT_SECRET: &str = "test-secret-of-at-least-thirty-two-bytes!!";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates, for each named `async fn name(backend: Backend)`, a module with a `sqlite` and a
/// `postgres` test. The PostgreSQL one is ignored unless `TEST_DATABASE_URL` was set when the tests
/// were built (see `build.rs`).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
                #[actix_web::test]
                #[cfg_attr(
                    not(laporlapak_postgres_tests),
                    ignore = "set TEST_DATABASE_URL=postgres://… to run on PostgreSQL"
                )]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}

pub struct TestApp {
    pub address: String,
    pub services: Services,
    /// What this server was started with, for a replica of it.
    settings: Settings,
    pub client: awc::Client,
    handle: ServerHandle,
    /// Dropped after the server is told to stop (fields drop after `Drop::drop`).
    postgres_database: Option<PostgresDatabase>,
    _data_dir: tempfile::TempDir,
}

/// Where every test server of this test process logs, at `debug` level (the application at
/// `trace`): `operability::logs_hold_no_personal_data` reads it back, and so does
/// `operability::the_whole_runs_log_holds_no_personal_data`, which `.ci/run` runs after the suite.
/// `LAPORLAPAK_TEST_LOG` names the file (`.ci/run` gives each run one of its own); by default it
/// is `api-test.log` in Cargo's temporary directory for tests.
pub fn test_log_path() -> PathBuf {
    std::env::var_os("LAPORLAPAK_TEST_LOG")
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("api-test.log"))
}

/// Sends this process's logs to [`test_log_path`] (truncated by the first server of the run).
fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Ok(file) = std::fs::File::create(test_log_path()) else {
            return;
        };
        let filter = tracing_subscriber::EnvFilter::new("debug,laporlapak=trace");
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .try_init();
    });
}

/// A database for a server the test runs as a separate process (the `laporlapak` binary): a
/// SQLite file in a temporary directory, or a fresh PostgreSQL database dropped with this value.
/// Both start empty: the binary migrates them itself, as on a first deployment.
pub struct ScratchDatabase {
    pub url: String,
    pub dir: tempfile::TempDir,
    _postgres: Option<PostgresDatabase>,
}

impl ScratchDatabase {
    /// The SQLite file at `path` (not removed with this value).
    pub fn sqlite_at(path: &std::path::Path) -> Self {
        Self {
            url: format!("sqlite://{}", path.display()),
            dir: tempfile::tempdir().expect("temporary directory"),
            _postgres: None,
        }
    }

    pub fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        match backend {
            Backend::Sqlite => Self {
                url: format!("sqlite://{}", dir.path().join("laporlapak.db").display()),
                dir,
                _postgres: None,
            },
            Backend::Postgres => {
                let (url, admin_url, name) = create_postgres_database();
                Self {
                    url,
                    dir,
                    _postgres: Some(PostgresDatabase { admin_url, name }),
                }
            }
        }
    }
}

/// A test database, dropped with this value: also when the server fails to start.
struct PostgresDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let drop_database = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
            let _ = diesel::sql_query(drop_database).execute(&mut conn);
        }
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: awc::http::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// A response header as text, or "" when absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl Reply {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    /// The first error's `extensions.code`, or "" when there is none.
    pub fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("")
    }

    pub fn field(&self) -> &str {
        self.body["errors"][0]["extensions"]["field"]
            .as_str()
            .unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.body["errors"][0]["message"].as_str().unwrap_or("")
    }

    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none() && self.status == 200,
            "expected success, got {} {}",
            self.status,
            self.body
        );
        &self.body["data"]
    }

    #[track_caller]
    pub fn expect_code(&self, code: &str) {
        assert_eq!(
            self.code(),
            code,
            "unexpected reply: {} {}",
            self.status,
            self.body
        );
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, Environment::Development).await
    }

    pub async fn spawn_with(backend: Backend, environment: Environment) -> Self {
        Self::spawn_configured(backend, environment, false).await
    }

    /// Rate limits are off in most tests (they send bursts from one address); on where tested.
    pub async fn spawn_configured(
        backend: Backend,
        environment: Environment,
        rate_limits: bool,
    ) -> Self {
        Self::spawn_tuned(backend, |settings| {
            settings.environment = environment;
            settings.rate_limits = rate_limits;
        })
        .await
    }

    /// A server whose settings `tune` adjusts from the tests' defaults (development, no rate
    /// limits, no proxy, no CORS origin).
    pub async fn spawn_tuned(backend: Backend, tune: impl FnOnce(&mut Settings)) -> Self {
        capture_logs();
        let data_dir = tempfile::tempdir().expect("temporary directory");
        let (database_url, postgres_database) = match backend {
            Backend::Sqlite => (DatabaseUrl::Sqlite(data_dir.path().join("test.db")), None),
            Backend::Postgres => {
                let (url, admin_url, name) = create_migrated_postgres_database();
                (
                    DatabaseUrl::Postgres(url),
                    Some(PostgresDatabase { admin_url, name }),
                )
            }
        };
        let mut settings = Settings {
            database_url,
            bind: "127.0.0.1:0".to_owned(),
            data_dir: data_dir.path().to_owned(),
            jwt_secret: Some(Secret(JWT_SECRET.to_owned())),
            environment: Environment::Development,
            token_ttl: chrono::Duration::hours(1),
            db_pool_size: 8,
            db_statement_timeout: std::time::Duration::from_secs(30),
            rate_limits: false,
            trust_proxy: false,
            trusted_proxies: laporlapak::web::client::default_trusted_proxies(),
            cors_origins: Vec::new(),
            webhook_allow_hosts: Vec::new(),
            evidence: Default::default(),
            relisting_window: chrono::Duration::days(90),
            reply_window: chrono::Duration::days(14),
            metrics_token: None,
            mail: Default::default(),
            shutdown_delay: std::time::Duration::ZERO,
            shutdown_grace: std::time::Duration::from_secs(5),
            data_key: None,
            retention: Default::default(),
            connections: Default::default(),
        };
        tune(&mut settings);
        Self::start(settings, Clock::manual(), postgres_database, data_dir)
    }

    /// Starts a server with `settings` on `clock`; it owns `data_dir` and, when given, the
    /// PostgreSQL database it drops when it ends.
    fn start(
        settings: Settings,
        clock: Clock,
        postgres_database: Option<PostgresDatabase>,
        data_dir: tempfile::TempDir,
    ) -> Self {
        let (port, handle, services) = start_server(settings.clone(), clock);
        Self {
            address: format!("http://127.0.0.1:{port}"),
            services,
            settings,
            client: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(60))
                .finish(),
            handle,
            postgres_database,
            _data_dir: data_dir,
        }
    }

    /// Moves the server's clock forward (every test server runs on a manual clock, which stands still until moved), so a test
    /// reaches a deadline without rewriting rows.
    pub fn advance_clock(&self, by: chrono::TimeDelta) {
        assert!(
            self.services.clock.advance(by),
            "the test server runs on a manual clock"
        );
    }

    /// The server's "now".
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.services.clock.now()
    }

    /// Sends `query` with `variables`, with a bearer token when given.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Reply {
        self.gql_with_headers(token, &[], query, variables).await
    }

    pub async fn gql_with_headers(
        &self,
        token: Option<&str>,
        headers: &[(&str, &str)],
        query: &str,
        variables: Value,
    ) -> Reply {
        let body = json!({ "query": query, "variables": variables });
        let mut request = self.client.post(format!("{}/graphql", self.address));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        self.send_json(request, body.to_string()).await
    }

    /// Sends `query` from another loopback address (`127.0.0.2`, say): another client, as the
    /// server's per-address rules see it.
    pub async fn gql_from(
        &self,
        local: std::net::IpAddr,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Reply {
        let client = awc::Client::builder()
            .connector(awc::Connector::new().local_address(local))
            .timeout(std::time::Duration::from_secs(60))
            .finish();
        let mut request = client.post(format!("{}/graphql", self.address));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        let body = json!({ "query": query, "variables": variables });
        self.send_json(request, body.to_string()).await
    }

    /// Sends a raw body to `POST /graphql`.
    pub async fn post_raw(&self, headers: &[(&str, &str)], body: String) -> Reply {
        let mut request = self.client.post(format!("{}/graphql", self.address));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        self.send_json(request, body).await
    }

    /// Sends a binary body to `POST /graphql` (a multipart upload), with these headers only.
    pub async fn post_bytes(&self, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
        let mut request = self.client.post(format!("{}/graphql", self.address));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let mut response = request.send_body(body).await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.body().limit(16 * 1024 * 1024).await.expect("body");
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Reply {
            status,
            headers,
            body,
        }
    }

    /// `POST path` with a body of `content_type`; returns the status.
    pub async fn post_to(&self, path: &str, content_type: &str, body: &str) -> u16 {
        self.client
            .post(format!("{}{path}", self.address))
            .insert_header(("content-type", content_type))
            .send_body(body.to_owned())
            .await
            .expect("request sent")
            .status()
            .as_u16()
    }

    /// `GET path` with its raw body bytes, with a bearer token when given (an evidence link needs
    /// its caller's token).
    pub async fn get_bytes_as(
        &self,
        path: &str,
        token: Option<&str>,
    ) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
        let mut request = self.client.get(format!("{}{path}", self.address));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        let mut response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.body().limit(64 * 1024 * 1024).await.expect("body");
        (status, headers, bytes.to_vec())
    }

    /// The settings this server was started with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    async fn send_json(&self, request: awc::ClientRequest, body: String) -> Reply {
        let mut response = request
            .insert_header_if_none(("Content-Type", "application/json"))
            .send_body(body)
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.body().limit(16 * 1024 * 1024).await.expect("body");
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let reply = self.get_reply(path).await;
        let text = match reply.body {
            Value::String(text) => text,
            other => other.to_string(),
        };
        (reply.status, text)
    }

    /// `GET path`, with the response's headers; a body that is not JSON is a `Value::String`.
    pub async fn get_reply(&self, path: &str) -> Reply {
        let mut response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.body().limit(16 * 1024 * 1024).await.expect("body");
        Reply {
            status,
            headers,
            body: Value::String(String::from_utf8_lossy(&bytes).into_owned()),
        }
    }

    /// The SQLite database file of this test server (none on PostgreSQL).
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        self.postgres_database
            .is_none()
            .then(|| self._data_dir.path().join("test.db"))
    }

    /// Registers a citizen and returns its token.
    pub async fn register(&self, email: &str) -> String {
        let reply = self
            .gql(
                None,
                "mutation($input: RegisterInput!) { register(input: $input) { token } }",
                json!({ "input": { "email": email, "password": PASSWORD, "displayName": "Warga" } }),
            )
            .await;
        reply.ok()["register"]["token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.gql(
            None,
            "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt account { id email role } } }",
            json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Creates a staff account the way the operator's command line does, and signs it in.
    pub async fn staff(&self, email: &str, role: Role, platform: Option<&str>) -> String {
        create_from_command_line(
            &self.services,
            StaffAccountRequest {
                email: email.to_owned(),
                password: PASSWORD.to_owned(),
                display_name: format!("{role} staff"),
                role,
                platform: platform.map(str::to_owned),
            },
        )
        .await
        .expect("staff account created");
        let reply = self.login(email, PASSWORD).await;
        reply.ok()["login"]["token"]
            .as_str()
            .expect("token")
            .to_owned()
    }

    pub async fn admin(&self) -> String {
        self.staff("admin@kemenkop.go.id", Role::Admin, None).await
    }
}

impl TestApp {
    /// The `laporlapak` binary, set up to work on this server's database and data directory (its
    /// evidence store and data keys), as an operator at the server's terminal would run it.
    pub fn command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_laporlapak"));
        let database_url = match &self.settings.database_url {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => url.clone(),
        };
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", database_url)
            .env("LAPORLAPAK_DATA_DIR", &self.settings.data_dir)
            .env("LAPORLAPAK_JWT_SECRET", JWT_SECRET)
            .env("RUST_LOG", "warn");
        command
    }

    /// A new server over this one's database and data directory (its data keys, evidence store
    /// and erasure ledger), on the same clock: the server an operator starts after a restore.
    /// Stop this one first ([`TestApp::kill`]); the database and directory stay this one's.
    pub async fn restart(&self) -> TestApp {
        let placeholder = tempfile::tempdir().expect("temporary directory");
        Self::start(
            self.settings.clone(),
            self.services.clock.clone(),
            None,
            placeholder,
        )
    }

    /// [`TestApp::restart`] with settings that `tune` adjusts (a relay configured since, say).
    pub async fn restart_tuned(&self, tune: impl FnOnce(&mut Settings)) -> TestApp {
        let placeholder = tempfile::tempdir().expect("temporary directory");
        let mut settings = self.settings.clone();
        tune(&mut settings);
        Self::start(settings, self.services.clock.clone(), None, placeholder)
    }

    /// A second server over this one's database, with its own memory (caches, batched rate-limit
    /// counts) but the same clock: another replica. The database stays this server's to drop.
    pub async fn spawn_replica(&self) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temporary directory");
        let mut settings = self.settings.clone();
        settings.data_dir = data_dir.path().to_owned();
        // Replicas share the data keys, as they share the JWT secret.
        std::fs::copy(
            self.settings.data_dir.join(laporlapak::vault::KEY_FILE),
            data_dir.path().join(laporlapak::vault::KEY_FILE),
        )
        .expect("data key copied to the replica");
        Self::start(settings, self.services.clock.clone(), None, data_dir)
    }
}

impl TestApp {
    /// Stops the server at once, as a crash would (requests and background work in flight are
    /// dropped); the database stays, for a replica started afterwards.
    pub fn kill(&self) {
        drop(self.handle.stop(false));
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // `stop` sends its command at once; the server's own thread carries it out.
        drop(self.handle.stop(false));
    }
}

/// Starts the application on a thread of its own with its own actix system, so that it lives
/// independently of the test's runtime and stops when told to.
fn start_server(settings: Settings, clock: Clock) -> (u16, ServerHandle, Services) {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let system = actix_web::rt::System::new();
        system.block_on(async move {
            match Application::build_with_clock(&settings, clock) {
                Ok(app) => {
                    let _ = sender.send(Ok((app.port(), app.handle(), app.services().clone())));
                    let _ = app.run_until_stopped().await;
                }
                Err(error) => {
                    let _ = sender.send(Err(error.to_string()));
                }
            }
        });
    });
    receiver
        .recv()
        .expect("server thread answered")
        .expect("server started")
}

/// The administrative URL the PostgreSQL tests create (and drop) their databases through.
fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .expect("TEST_DATABASE_URL must name a PostgreSQL database to run the PostgreSQL tests")
}

/// What every database of this run is named with: `.ci/run` gives its run a prefix of its own
/// (`LAPORLAPAK_TEST_DB_PREFIX`), so that it drops only its own databases.
fn postgres_prefix() -> String {
    std::env::var("LAPORLAPAK_TEST_DB_PREFIX")
        .ok()
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or_else(|| "laporlapak_test".to_owned())
}

/// The URL of the database `name` on the server `admin_url` names.
fn postgres_url(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// Creates an empty database next to the one `TEST_DATABASE_URL` names (for tests of migrating a
/// fresh database: the schema check, the binary's own start-up); returns its URL, the
/// administrative URL to drop it with, and its name.
pub fn create_postgres_database() -> (String, String, String) {
    create_postgres_database_from(None)
}

/// Creates a database with every migration applied, a copy of this process's template
/// ([`migrated_template`]); returns what [`create_postgres_database`] does.
fn create_migrated_postgres_database() -> (String, String, String) {
    create_postgres_database_from(Some(migrated_template()))
}

fn create_postgres_database_from(template: Option<&str>) -> (String, String, String) {
    let admin_url = postgres_admin_url();
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).expect("random");
    let name = format!(
        "{}_{}",
        postgres_prefix(),
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let create = match template {
        None => format!("CREATE DATABASE \"{name}\""),
        Some(template) => format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""),
    };
    let mut conn = PgConnection::establish(&admin_url).expect("connect to TEST_DATABASE_URL");
    diesel::sql_query(create)
        .execute(&mut conn)
        .expect("create test database");
    (postgres_url(&admin_url, &name), admin_url, name)
}

/// The name of a database with every migration applied that each PostgreSQL test server's database
/// is copied from (`CREATE DATABASE … TEMPLATE`): migrating takes far longer than copying. The
/// first test that needs it makes it, once per test process, while the others wait for it; when
/// that fails, every test that needs it fails with the same reason.
///
/// It is named `<prefix>_tpl_p<process id>`, so `.ci/run` drops it with the run's other databases;
/// templates of earlier processes with the same prefix that are gone are dropped here.
fn migrated_template() -> &'static str {
    static TEMPLATE: OnceLock<Result<String, String>> = OnceLock::new();
    match TEMPLATE.get_or_init(make_migrated_template) {
        Ok(name) => name,
        Err(reason) => panic!("the migrated template database: {reason}"),
    }
}

fn make_migrated_template() -> Result<String, String> {
    let admin_url = postgres_admin_url();
    let prefix = postgres_prefix();
    let name = format!("{prefix}_tpl_p{}", std::process::id());
    let mut conn = PgConnection::establish(&admin_url)
        .map_err(|e| format!("cannot connect to TEST_DATABASE_URL: {e}"))?;
    let mut execute = |sql: String| {
        diesel::sql_query(&sql)
            .execute(&mut conn)
            .map(drop)
            .map_err(|e| format!("{sql}: {e}"))
    };
    for orphan in orphaned_templates(&admin_url, &prefix) {
        execute(format!("DROP DATABASE IF EXISTS \"{orphan}\" WITH (FORCE)"))?;
    }
    execute(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))?;
    execute(format!("CREATE DATABASE \"{name}\""))?;
    // The server's own migration, on one connection that is closed when it returns.
    Database::migrate_url(
        &DatabaseUrl::Postgres(postgres_url(&admin_url, &name)),
        std::time::Duration::from_secs(60),
    )
    .map_err(|e| e.to_string())?;
    // PostgreSQL copies a database no session is connected to: from now on none may connect, and
    // the migration's session, closed by its client, must have ended on the server too.
    execute(format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false"))?;
    wait_until_no_session_on(&mut conn, &name)?;
    Ok(name)
}

/// The templates named with `prefix` whose test process is gone (Linux: no `/proc/<pid>`).
fn orphaned_templates(admin_url: &str, prefix: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let proc = std::path::Path::new("/proc");
    if !proc.join("self").exists() {
        return Vec::new();
    }
    let Ok(mut conn) = PgConnection::establish(admin_url) else {
        return Vec::new();
    };
    let names: Vec<Name> = diesel::sql_query("SELECT datname::text AS name FROM pg_database")
        .load(&mut conn)
        .unwrap_or_default();
    let own = format!("{prefix}_tpl_p");
    names
        .into_iter()
        .map(|n| n.name)
        .filter(|name| {
            name.strip_prefix(&own)
                .and_then(|pid| pid.parse::<u32>().ok())
                .is_some_and(|pid| {
                    pid != std::process::id() && !proc.join(pid.to_string()).exists()
                })
        })
        .collect()
}

/// Waits (10 s at most) until no session is connected to the database `name`.
fn wait_until_no_session_on(conn: &mut PgConnection, name: &str) -> Result<(), String> {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let sessions: Vec<Count> =
            diesel::sql_query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1")
                .bind::<diesel::sql_types::Text, _>(name)
                .load(conn)
                .map_err(|e| format!("sessions on {name}: {e}"))?;
        if sessions.first().is_none_or(|c| c.n == 0) {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("sessions are still connected to {name} after 10 s"));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

//! The database layer: one connection type over SQLite and PostgreSQL, its pool, embedded migrations,
//! the table schema and the models, and the vault that seals the fields identifying a person.
//! Backend-specific SQL lives here and only here, always as an explicit `match` with both arms.
//! Below the service layer (which owns the rules and the transactions) and above the domain (whose
//! types the columns hold); it knows nothing of HTTP or GraphQL.

pub mod backup;
pub mod listen;
pub mod models;
pub mod predicate;
pub mod schema;
pub mod seed;
pub mod space;
pub mod stats;
pub mod vault;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::R2D2Connection as _;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Arbitrary constant naming the PostgreSQL advisory lock that serialises migrations when several
/// replicas start at once.
const MIGRATION_LOCK_KEY: i64 = 0x6c61_706f_726c_6170;

/// How long a caller waits for a pooled connection, and how long PostgreSQL may take to answer a
/// connection attempt: a bad `DATABASE_URL` fails within seconds with the real reason.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// TCP keepalives on PostgreSQL connections: an idle connection whose peer has silently gone (a
/// cut network drops packets, it does not refuse them) is probed after 10 s and given up after
/// three unanswered probes 5 s apart.
const KEEPALIVES_IDLE: Duration = Duration::from_secs(10);
const KEEPALIVES_INTERVAL: Duration = Duration::from_secs(5);
const KEEPALIVES_COUNT: u32 = 3;

/// How long data sent to PostgreSQL may stay unacknowledged before the kernel closes the
/// connection: a query sent into a cut network fails after this instead of waiting for minutes of
/// TCP retransmissions.
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`Database::run`] waits for a connection: r2d2 gives up after [`CONNECT_TIMEOUT`], but
/// the `SELECT 1` that tests a connection idle for longer than [`IDLE_BEFORE_TEST`] waits for as long
/// as the network lets it.
const CHECKOUT_DEADLINE: Duration = Duration::from_secs(CONNECT_TIMEOUT.as_secs() + 1);

/// A pooled connection unused for this long is tested with `SELECT 1` before it is lent out (the
/// database may have restarted meanwhile, closing it); one in steady use is not, so a busy server
/// sends no statement that does not serve a request. A connection that finds its server gone
/// mid-request fails that request (UNAVAILABLE, to be retried), is discarded when given back (see
/// [`ConnectionManager::has_broken`]), and has every other pooled connection tested before its next
/// use: a restart or a cut costs one request, not one per pooled connection.
const IDLE_BEFORE_TEST: Duration = Duration::from_secs(2);

/// Added to the statement timeout to give how long [`Database::run`] waits for its work once it
/// has a connection: room for the network and for reading the result.
const QUERY_DEADLINE_MARGIN: Duration = Duration::from_secs(2);

/// How long `/readyz` and `/metrics` wait for the database to answer `SELECT 1`.
const PING_TIMEOUT: Duration = Duration::from_millis(1500);

/// The size of the row [`Database::probe_write`] writes: several pages, so that it needs room.
pub const PROBE_BYTES: usize = 16 * 1024;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Which backend a `DATABASE_URL` names, parsed once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "unsupported DATABASE_URL scheme in {0:?}: use sqlite://PATH or postgres://USER@HOST/DB"
    )]
    UnsupportedUrl(String),
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("cannot prepare the database connection: {0}")]
    Setup(#[from] diesel::result::Error),
    #[error("cannot create the database directory {path}: {source}")]
    Directory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the database file {path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database migrations failed: {0}")]
    Migration(String),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("no answer from the database within {0:?}")]
    Timeout(Duration),
    #[error("the caller stopped waiting before the database work started")]
    Abandoned,
    #[error("seed: {0}")]
    Seed(String),
    #[error("{0}")]
    Backup(String),
}

impl DbError {
    /// Is this the database being out of reach (no connection within the checkout timeout, no
    /// answer within the deadline), rather than a fault of the query or the configuration?
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Connect(_) | Self::Pool(_) | Self::Timeout(_) | Self::Abandoned => true,
            Self::Setup(error) => is_connection_lost(error) || space::is_out_of_space(error),
            Self::UnsupportedUrl(_)
            | Self::Directory { .. }
            | Self::File { .. }
            | Self::Migration(_)
            | Self::Seed(_)
            | Self::Backup(_) => false,
        }
    }
}

/// Did this query fail because the connection to the database is gone (closed by the server, or by
/// the kernel after the keepalives or `tcp_user_timeout` gave up)?
pub fn is_connection_lost(error: &diesel::result::Error) -> bool {
    use diesel::result::DatabaseErrorKind::{ClosedConnection, UnableToSendCommand};
    matches!(
        error,
        diesel::result::Error::DatabaseError(ClosedConnection | UnableToSendCommand, _)
    )
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, DbError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        match url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            Some(path) if !path.is_empty() && path != ":memory:" => {
                Ok(Self::Sqlite(PathBuf::from(path)))
            }
            _ => Err(DbError::UnsupportedUrl(redact_password(url))),
        }
    }

    /// For log lines and error messages: never print a password.
    pub fn display(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => redact_password(url),
        }
    }

    fn establish(
        &self,
        statement_timeout: Duration,
        statements: &Arc<AtomicU64>,
    ) -> Result<DbConnection, DbError> {
        match self {
            Self::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(&with_network_timeouts(url))?;
                conn.set_instrumentation(stats::StatementCounter::new(statements.clone()));
                conn.batch_execute("SET TIME ZONE 'UTC'")?;
                // A `SET` rather than libpq's `options` parameter, which poolers such as PgBouncer
                // refuse; an operator who set it in DATABASE_URL (`options=-c statement_timeout=…`)
                // keeps their value.
                if !url_query(url).contains("statement_timeout") {
                    conn.batch_execute(&format!(
                        "SET statement_timeout = {}",
                        statement_timeout.as_millis()
                    ))?;
                }
                Ok(DbConnection::Postgres(conn))
            }
            Self::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
                conn.set_instrumentation(stats::StatementCounter::new(statements.clone()));
                // WAL lets readers run beside the one writer; busy_timeout makes writers queue
                // instead of failing; foreign keys are off by default in SQLite. The WAL is
                // checkpointed every 1,000 pages by the writers themselves and truncated back to
                // 64 MiB after a checkpoint, so it cannot grow without bound between the hourly
                // maintenance runs.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
                     PRAGMA wal_autocheckpoint = 1000; PRAGMA journal_size_limit = 67108864;",
                )?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// The libpq parameters that bound every network wait, added to a PostgreSQL URL unless the
/// operator already set them there.
fn with_network_timeouts(url: &str) -> String {
    let defaults = [
        ("connect_timeout", CONNECT_TIMEOUT.as_secs().to_string()),
        ("keepalives", "1".to_owned()),
        ("keepalives_idle", KEEPALIVES_IDLE.as_secs().to_string()),
        (
            "keepalives_interval",
            KEEPALIVES_INTERVAL.as_secs().to_string(),
        ),
        ("keepalives_count", KEEPALIVES_COUNT.to_string()),
        ("tcp_user_timeout", TCP_USER_TIMEOUT.as_millis().to_string()),
    ];
    let present: Vec<&str> = url_query(url)
        .split('&')
        .map(|pair| pair.split_once('=').map_or(pair, |(key, _)| key))
        .collect();
    let mut url = url.to_owned();
    for (key, value) in defaults {
        if !present.contains(&key) {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(key);
            url.push('=');
            url.push_str(&value);
        }
    }
    url
}

/// The query string of a URL (the libpq parameters of a `postgres://` URL), or "".
fn url_query(url: &str) -> &str {
    url.split_once('?').map_or("", |(_, query)| query)
}

fn redact_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // set_password only fails for URLs that cannot have one, and this one has one.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// r2d2 manager that picks the backend from the URL scheme, so that a failed connection reports
/// the backend's own error rather than a generic "invalid connection url".
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    statement_timeout: Duration,
    /// Statements sent on every connection of this manager, for `/metrics`.
    statements: Arc<AtomicU64>,
    /// Bumped whenever a connection finds its server gone: connections from before are tested
    /// before their next use.
    generation: Arc<AtomicU64>,
    /// Whether writes fail for lack of space, kept by every connection of this manager.
    write_health: Arc<space::WriteHealth>,
}

/// A connection as the pool keeps it: with when it was last lent out, and whether it lost its
/// server while lent.
pub struct PooledDb {
    conn: DbConnection,
    last_used: Instant,
    lost: bool,
    /// The manager's generation when this connection last proved alive.
    generation: u64,
}

impl std::ops::Deref for PooledDb {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for PooledDb {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

impl ConnectionManager {
    fn connect_one(&self) -> Result<DbConnection, DbError> {
        self.url.establish(self.statement_timeout, &self.statements)
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = PooledDb;
    type Error = DbError;

    fn connect(&self) -> Result<PooledDb, DbError> {
        let generation = self.generation.load(Ordering::Acquire);
        Ok(PooledDb {
            conn: self.connect_one()?,
            last_used: Instant::now(),
            lost: false,
            generation,
        })
    }

    /// Not run on checkout (the pool does not test connections; [`Database::run`] tests only
    /// those that sat idle): kept for r2d2's own health checks.
    fn is_valid(&self, conn: &mut PooledDb) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1").map_err(DbError::Setup)
    }

    /// Run on every return to the pool, and must not block. A connection given back while its
    /// thread panics, with a transaction still open or failed to roll back, or after a statement
    /// found its server gone, is closed instead of being handed to the next caller.
    fn has_broken(&self, conn: &mut PooledDb) -> bool {
        std::thread::panicking()
            || conn.lost
            || match &mut conn.conn {
                DbConnection::Postgres(inner) => inner.is_broken(),
                DbConnection::Sqlite(inner) => inner.is_broken(),
            }
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;

/// The application's handle on the database. Cloning is cheap; every query goes through
/// [`Database::run`], which moves it onto the blocking thread pool and bounds how long it is
/// waited for.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
    manager: ConnectionManager,
    query_deadline: Duration,
}

/// Whether a pooled connection may be lent out: one idle for [`IDLE_BEFORE_TEST`], or older than
/// the last connection found dead, must first answer `SELECT 1`; one that does not is marked lost,
/// so that the pool discards it when it is given back.
fn ready_to_lend(conn: &mut PooledDb, generation: &AtomicU64) -> bool {
    let current = generation.load(Ordering::Acquire);
    if conn.generation == current && conn.last_used.elapsed() < IDLE_BEFORE_TEST {
        return true;
    }
    conn.lost = conn.conn.batch_execute("SELECT 1").is_err();
    if conn.lost {
        generation.fetch_add(1, Ordering::AcqRel);
    } else {
        conn.generation = current;
    }
    !conn.lost
}

/// Runs `f` on a pooled connection, counting the statements it sends and the time it takes;
/// afterwards marks the connection lost when one of them found its server gone, and has the
/// other pooled connections tested before their next use; and notes in `write_health` a write
/// that failed for lack of space.
fn lend<T>(
    conn: &mut PooledDb,
    generation: &AtomicU64,
    write_health: &space::WriteHealth,
    f: impl FnOnce(&mut DbConnection) -> T,
) -> (T, u32, Duration) {
    stats::reset_thread_count();
    let started = Instant::now();
    let value = f(&mut conn.conn);
    let busy = started.elapsed();
    conn.lost = stats::take_connection_lost();
    if conn.lost {
        generation.fetch_add(1, Ordering::AcqRel);
    }
    if stats::take_out_of_space() {
        write_health.mark_failing();
    }
    conn.last_used = Instant::now();
    (value, stats::take_thread_count(), busy)
}

impl Database {
    /// Connects (creating the SQLite file and its directory when needed) and checks the connection
    /// once, so that a wrong URL fails now with the database's own message. On PostgreSQL no
    /// statement may run longer than `statement_timeout`.
    pub fn connect(
        url: &DatabaseUrl,
        pool_size: u32,
        statement_timeout: Duration,
    ) -> Result<Self, DbError> {
        Self::connect_keeping(url, pool_size, statement_timeout, 1)
    }

    /// [`Self::connect`] for a one-shot command: the pool keeps no idle connection, so it never
    /// opens one in its background thread. A pool that replenishes its idle connection there
    /// races the process's exit: a TLS handshake to PostgreSQL under way while OpenSSL's exit
    /// handler frees its state crashed about one command run in eight (SIGSEGV).
    pub fn connect_for_command(
        url: &DatabaseUrl,
        pool_size: u32,
        statement_timeout: Duration,
    ) -> Result<Self, DbError> {
        Self::connect_keeping(url, pool_size, statement_timeout, 0)
    }

    fn connect_keeping(
        url: &DatabaseUrl,
        pool_size: u32,
        statement_timeout: Duration,
        min_idle: u32,
    ) -> Result<Self, DbError> {
        if let DatabaseUrl::Sqlite(path) = url {
            create_parent_dir(path)?;
            create_private_file(path)?;
        }
        let manager = ConnectionManager {
            url: url.clone(),
            statement_timeout,
            statements: Arc::default(),
            generation: Arc::default(),
            write_health: Arc::default(),
        };
        // Fail fast with the real error before r2d2 would retry it silently.
        let first = manager.connect_one()?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(min_idle))
            .test_on_check_out(false)
            .connection_timeout(CONNECT_TIMEOUT)
            .build(manager.clone())?;
        Ok(Self {
            pool,
            manager,
            query_deadline: statement_timeout + QUERY_DEADLINE_MARGIN,
        })
    }

    /// Connections open and idle in the pool, for `/metrics`.
    pub fn pool_state(&self) -> r2d2::State {
        self.pool.state()
    }

    /// Most connections the pool opens, for `/metrics`.
    pub fn pool_max_size(&self) -> u32 {
        self.pool.max_size()
    }

    /// Statements sent to the database since start, for `/metrics`.
    pub fn statements_sent(&self) -> u64 {
        self.manager.statements.load(Ordering::Relaxed)
    }

    /// [`Database::migrate`] on one connection of its own, without opening a pool: for commands
    /// that then need the database to themselves (`seed`).
    pub fn migrate_url(url: &DatabaseUrl, statement_timeout: Duration) -> Result<(), DbError> {
        if let DatabaseUrl::Sqlite(path) = url {
            create_parent_dir(path)?;
            create_private_file(path)?;
        }
        let manager = ConnectionManager {
            url: url.clone(),
            statement_timeout,
            statements: Arc::default(),
            generation: Arc::default(),
            write_health: Arc::default(),
        };
        Self::migrate_with(&manager)
    }

    /// Applies every pending embedded migration. On PostgreSQL an advisory lock makes replicas that
    /// start together migrate one after the other.
    ///
    /// It runs on a connection of its own, never pooled: waiting for another replica's migration,
    /// or building an index, may take longer than the statement timeout allows a request.
    pub fn migrate(&self) -> Result<(), DbError> {
        Self::migrate_with(&self.manager)
    }

    fn migrate_with(manager: &ConnectionManager) -> Result<(), DbError> {
        let mut conn = manager.connect_one()?;
        let outcome = match &mut conn {
            DbConnection::Sqlite(conn) => {
                conn.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ())
            }
            DbConnection::Postgres(conn) => {
                conn.batch_execute("SET statement_timeout = 0")?;
                diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
                    .execute(conn)?;
                let outcome = conn.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
                diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
                    .execute(conn)?;
                outcome
            }
        };
        outcome.map_err(|e| DbError::Migration(e.to_string()))
    }

    /// Runs `f` on a pooled connection on the calling thread: for start-up, before the server
    /// takes requests. Request work goes through [`Database::run`].
    pub fn run_at_startup<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<T>,
    ) -> Result<T, DbError> {
        let mut conn = self.pool.get()?;
        Ok(f(&mut conn)?)
    }

    /// Keeps SQLite's planner statistics current and its WAL file bounded (run at start and hourly);
    /// PostgreSQL's autovacuum does both on its own.
    pub async fn maintain(&self) -> Result<(), DbError> {
        self.run(|conn| match conn {
            DbConnection::Sqlite(inner) => inner
                .batch_execute("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);")
                .map_err(DbError::Setup),
            DbConnection::Postgres(_) => Ok(()),
        })
        .await
    }

    /// Runs `f` with a pooled connection on the blocking thread pool, never on an async worker.
    ///
    /// The caller waits at most [`CHECKOUT_DEADLINE`] for a connection, then the statement timeout
    /// (plus a margin) for `f`, and gets [`DbError::Timeout`] after either: a database that has
    /// stopped answering without closing its connections (a frozen server, a network that drops
    /// packets) cannot hold requests for minutes. Work that has not started when the caller stops
    /// waiting (past a deadline, or because the request was dropped) never starts; work already
    /// running cannot be interrupted and may still complete.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<tokio::task::JoinError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let generation = self.manager.generation.clone();
        let write_health = self.manager.write_health.clone();
        let waiting = CallerWaiting::default();
        let still_waiting = waiting.0.clone();
        let (checked_out, on_checkout) = tokio::sync::oneshot::channel::<()>();
        let mut task =
            tokio::task::spawn_blocking(move || -> Result<(Result<T, E>, u32, Duration), E> {
                let asked = Instant::now();
                let abandoned = || !still_waiting.load(Ordering::Acquire);
                // Queued behind busy blocking threads past the deadline: not even a checkout.
                if abandoned() {
                    return Err(DbError::Abandoned.into());
                }
                // Every idle connection may have been closed by a restart: try the next one, until
                // the pool opens a new one (which the checkout timeout bounds).
                let mut conn = pool.get().map_err(DbError::Pool)?;
                while !ready_to_lend(&mut conn, &generation) {
                    drop(conn);
                    if abandoned() {
                        return Err(DbError::Abandoned.into());
                    }
                    conn = pool.get().map_err(DbError::Pool)?;
                }
                if abandoned() {
                    return Err(DbError::Abandoned.into());
                }
                let _ = checked_out.send(());
                let metrics = laporlapak_metrics::get();
                metrics.pool_wait(asked.elapsed());
                let lent = lend(&mut conn, &generation, &write_health, f);
                metrics.query(lent.2);
                Ok(lent)
            });
        // An error before checkout drops the sender: the task has ended, go and collect it.
        if tokio::time::timeout(CHECKOUT_DEADLINE, on_checkout)
            .await
            .is_err()
        {
            return Err(DbError::Timeout(CHECKOUT_DEADLINE).into());
        }
        match tokio::time::timeout(self.query_deadline, &mut task).await {
            Ok(joined) => {
                let (value, statements, busy) = joined??;
                stats::RequestStats::record(statements, busy);
                value
            }
            Err(_elapsed) => Err(DbError::Timeout(self.query_deadline).into()),
        }
    }

    /// Does the database answer `SELECT 1` within 1.5 s? For `/readyz` and `/metrics`, which must
    /// answer promptly whatever the database does.
    pub async fn ping(&self) -> bool {
        let ping = self.run(|conn| conn.batch_execute("SELECT 1").map_err(|_| PingError));
        matches!(tokio::time::timeout(PING_TIMEOUT, ping).await, Ok(Ok(())))
    }

    /// Did a write of this process fail for lack of space, with no [`Database::probe_write`]
    /// succeeding since?
    pub fn writes_failing(&self) -> bool {
        self.manager.write_health.failing()
    }

    /// Tries a write that needs room — a row of [`PROBE_BYTES`] inserted and deleted in one
    /// transaction — within 1.5 s; a success clears [`Database::writes_failing`]. For `/readyz`
    /// and `/metrics` while writes fail (see [`space`]).
    pub async fn probe_write(&self) -> bool {
        let probe = self.run(|conn| {
            write_transaction(conn, |conn| {
                use schema::write_probes;
                let payload = "0".repeat(PROBE_BYTES);
                let id: i64 = diesel::insert_into(write_probes::table)
                    .values(write_probes::payload.eq(payload))
                    .returning(write_probes::id)
                    .get_result(conn)?;
                diesel::delete(write_probes::table.find(id)).execute(conn)?;
                Ok::<_, diesel::result::Error>(())
            })
            .map_err(|error| {
                if space::is_out_of_space(&error) {
                    stats::note_out_of_space();
                }
                tracing::debug!(%error, "the probe write failed");
                PingError
            })
        });
        let written = matches!(tokio::time::timeout(PING_TIMEOUT, probe).await, Ok(Ok(())));
        if written {
            self.manager.write_health.mark_room();
        }
        written
    }

    /// Whether writes fail for lack of space: when a write failed so, tries
    /// [`Database::probe_write`] to find out whether there is room again.
    pub async fn out_of_space(&self) -> bool {
        self.writes_failing() && !self.probe_write().await
    }
}

/// True while the caller of [`Database::run`] still waits for the answer; cleared when it stops
/// (answered, timed out or dropped), so that work which has not started yet is skipped.
struct CallerWaiting(Arc<AtomicBool>);

impl Default for CallerWaiting {
    fn default() -> Self {
        Self(Arc::new(AtomicBool::new(true)))
    }
}

impl Drop for CallerWaiting {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl From<tokio::task::JoinError> for DbError {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Migration(format!("blocking task failed: {error}"))
    }
}

struct PingError;
impl From<DbError> for PingError {
    fn from(_: DbError) -> Self {
        Self
    }
}
impl From<tokio::task::JoinError> for PingError {
    fn from(_: tokio::task::JoinError) -> Self {
        Self
    }
}

fn create_parent_dir(path: &Path) -> Result<(), DbError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| DbError::Directory {
                path: dir.to_owned(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// Creates the SQLite file readable by its owner only (mode 0600) before SQLite opens it: SQLite
/// gives its `-wal` and `-shm` files the database file's mode, so the reports never sit in a
/// world-readable file. An existing file keeps the mode its operator gave it.
fn create_private_file(path: &Path) -> Result<(), DbError> {
    use std::os::unix::fs::OpenOptionsExt as _;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(DbError::File {
            path: path.to_owned(),
            source,
        }),
    }
}

/// A write transaction: all of `f` or nothing. On SQLite it begins with `BEGIN IMMEDIATE`, taking
/// the database's write lock first (waiting up to `busy_timeout`), so a transaction that reads
/// before it writes cannot fail halfway with `SQLITE_BUSY`; PostgreSQL's row locks and conditional
/// updates need no such step. Inside another transaction it is a savepoint of that one.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConnection as Connection>::TransactionManager;

    let outermost = Manager::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_none();
    match conn {
        DbConnection::Sqlite(inner) if outermost => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
        }
        _ => Manager::begin_transaction(conn)?,
    }
    // From here as diesel's own `transaction`: commit, or roll back and return the first error.
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback_error) => Err(rollback_error.into()),
        },
    }
}

/// Is this error a unique-constraint violation (the loser of a race on a unique index)?
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

#[cfg(test)]
mod tests {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    use r2d2::ManageConnection as _;

    use super::*;

    #[test]
    fn network_timeouts_are_added_once_and_never_override_the_operator() {
        let url = with_network_timeouts("postgres://u@db/app");
        assert_eq!(
            url,
            "postgres://u@db/app?connect_timeout=5&keepalives=1&keepalives_idle=10\
             &keepalives_interval=5&keepalives_count=3&tcp_user_timeout=10000"
        );
        assert_eq!(with_network_timeouts(&url), url);
        let url = with_network_timeouts(
            "postgres://u@db/app?sslmode=require&keepalives_idle=60&tcp_user_timeout=30000",
        );
        assert_eq!(
            url,
            "postgres://u@db/app?sslmode=require&keepalives_idle=60&tcp_user_timeout=30000\
             &connect_timeout=5&keepalives=1&keepalives_interval=5&keepalives_count=3"
        );
    }

    #[test]
    fn a_connection_left_in_a_transaction_is_never_pooled_again()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let manager = ConnectionManager {
            url: DatabaseUrl::Sqlite(dir.path().join("broken.db")),
            statement_timeout: Duration::from_secs(30),
            statements: Arc::default(),
            generation: Arc::default(),
            write_health: Arc::default(),
        };
        let mut conn = manager.connect()?;
        assert!(!manager.has_broken(&mut conn));

        // A panic inside `transaction` unwinds past its commit and its rollback alike.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            conn.transaction::<(), diesel::result::Error, _>(|_| panic!("half-way"))
        }));
        assert!(outcome.is_err());
        assert!(manager.has_broken(&mut conn));

        let mut conn = manager.connect()?;
        if let DbConnection::Sqlite(inner) = &mut *conn {
            AnsiTransactionManager::begin_transaction(inner)?;
        }
        assert!(manager.has_broken(&mut conn));
        Ok(())
    }

    #[test]
    fn the_pool_replaces_a_connection_given_back_with_an_open_transaction()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let url = DatabaseUrl::Sqlite(dir.path().join("pool.db"));
        let database = Database::connect(&url, 1, Duration::from_secs(30))?;
        {
            let mut conn = database.pool.get()?;
            <DbConnection as Connection>::TransactionManager::begin_transaction(&mut *conn)?;
        }
        let mut conn = database.pool.get()?;
        let depth =
            <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(
                &mut *conn,
            )
            .transaction_depth()?;
        assert_eq!(
            depth, None,
            "a connection with an open transaction came back"
        );
        Ok(())
    }
}

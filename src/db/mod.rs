//! The database layer: one connection type over SQLite and PostgreSQL, its pool, embedded migrations,
//! the table schema and the models. Backend-specific SQL lives here and only here, always as an explicit
//! `match` with both arms. Nothing in this module knows about HTTP or GraphQL.

pub mod models;
pub mod schema;
mod sql_enum;

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Arbitrary constant naming the PostgreSQL advisory lock that serialises migrations when several
/// replicas start at once.
const MIGRATION_LOCK_KEY: i64 = 0x6c61_706f_726c_6170;

/// How long a caller waits for a pooled connection, and how long PostgreSQL may take to answer a
/// connection attempt: a bad `DATABASE_URL` fails within seconds with the real reason.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

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

    fn establish(&self) -> Result<DbConnection, DbError> {
        match self {
            Self::Postgres(url) => {
                let url = with_connect_timeout(url);
                let mut conn = diesel::PgConnection::establish(&url)?;
                conn.batch_execute("SET TIME ZONE 'UTC'")?;
                Ok(DbConnection::Postgres(conn))
            }
            Self::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
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

fn with_connect_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!(
        "{url}{separator}connect_timeout={}",
        CONNECT_TIMEOUT.as_secs()
    )
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
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        self.url.establish()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1").map_err(DbError::Setup)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;

/// The application's handle on the database. Cloning is cheap; every query goes through
/// [`Database::run`], which moves it onto the blocking thread pool.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
}

impl Database {
    /// Connects (creating the SQLite file and its directory when needed) and checks the connection
    /// once, so that a wrong URL fails now with the database's own message.
    pub fn connect(url: &DatabaseUrl, pool_size: u32) -> Result<Self, DbError> {
        if let DatabaseUrl::Sqlite(path) = url {
            create_parent_dir(path)?;
            create_private_file(path)?;
        }
        let manager = ConnectionManager { url: url.clone() };
        // Fail fast with the real error before r2d2 would retry it silently.
        let first = r2d2::ManageConnection::connect(&manager)?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(1))
            .connection_timeout(CONNECT_TIMEOUT)
            .build(manager)?;
        Ok(Self { pool })
    }

    /// Connections open and idle in the pool, for `/metrics`.
    pub fn pool_state(&self) -> r2d2::State {
        self.pool.state()
    }

    /// Applies every pending embedded migration. On PostgreSQL an advisory lock makes replicas that
    /// start together migrate one after the other.
    pub fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.pool.get()?;
        let outcome = match &mut *conn {
            DbConnection::Sqlite(conn) => {
                conn.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ())
            }
            DbConnection::Postgres(conn) => {
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
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<tokio::task::JoinError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(DbError::Pool)?;
            f(&mut conn)
        })
        .await?
    }

    /// Is the database answering? For `/readyz`.
    pub async fn ping(&self) -> bool {
        let outcome: Result<(), PingError> = self
            .run(|conn| conn.batch_execute("SELECT 1").map_err(|_| PingError))
            .await;
        outcome.is_ok()
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

/// A write transaction: all of `f` or nothing. On SQLite it takes the database's write lock first
/// (waiting up to `busy_timeout`), so a transaction that reads before it writes cannot fail halfway
/// with `SQLITE_BUSY`; PostgreSQL's row locks and conditional updates need no such step.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    conn.transaction(|conn| {
        match conn {
            DbConnection::Sqlite(inner) => {
                diesel::sql_query("UPDATE write_gate SET n = n + 1 WHERE id = 1").execute(inner)?;
            }
            DbConnection::Postgres(_) => {}
        }
        f(conn)
    })
}

/// Is this error a unique-constraint violation (the loser of a race on a unique index)?
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

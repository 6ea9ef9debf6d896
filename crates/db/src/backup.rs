//! `laporlapak backup --to FILE` and `laporlapak restore --from FILE`, for SQLite.
//!
//! A backup is `VACUUM INTO` a new file: one read transaction, so the copy is the database as it
//! was at one instant (every transaction committed before it, none after), taken while the server
//! keeps serving — under WAL, writers are not blocked. It is written under a temporary name, checked
//! (`PRAGMA integrity_check`), given mode 0600 (it holds personal data) and renamed into place, so
//! a file at the given name is always a whole backup.
//!
//! A restore checks the backup (integrity, a laporlapak database whose migrations this binary
//! knows), then copies it beside the database and renames it over it; the database it replaces
//! (with its WAL) is kept as `<file>.before-restore-<UTC time>`. The server must be stopped first:
//! a running server would keep writing into the file it had open.
//!
//! PostgreSQL is backed up with its own tools (`pg_dump`, `pg_restore`, base backups and WAL
//! archiving for point-in-time recovery): see docs/guide-operators.md.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use diesel::SqliteConnection;
use diesel::connection::SimpleConnection as _;
use diesel::prelude::*;
use diesel::sqlite::Sqlite;

use super::{DatabaseUrl, DbError};

const FOR_POSTGRES: &str = "backup and restore are for SQLite; back PostgreSQL up with pg_dump \
     (and WAL archiving for point-in-time recovery): see docs/guide-operators.md";

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

fn sqlite_path(url: &DatabaseUrl) -> Result<&Path, DbError> {
    match url {
        DatabaseUrl::Sqlite(path) => Ok(path),
        DatabaseUrl::Postgres(_) => Err(DbError::Backup(FOR_POSTGRES.to_owned())),
    }
}

fn open(path: &Path) -> Result<SqliteConnection, DbError> {
    let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
    conn.batch_execute("PRAGMA busy_timeout = 10000")?;
    Ok(conn)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies the database at `url` into `to` (which must not exist) while the server may be running.
pub fn backup(url: &DatabaseUrl, to: &Path) -> Result<(), DbError> {
    let source = sqlite_path(url)?;
    if !source.exists() {
        return Err(DbError::Backup(format!(
            "{}: no such database",
            source.display()
        )));
    }
    if to.exists() {
        return Err(DbError::Backup(format!(
            "{}: already exists; choose a new name",
            to.display()
        )));
    }
    let partial = with_suffix(to, ".partial");
    let _ = std::fs::remove_file(&partial);
    let result = (|| {
        let mut conn = open(source)?;
        diesel::sql_query("VACUUM INTO ?")
            .bind::<diesel::sql_types::Text, _>(partial.to_string_lossy().into_owned())
            .execute(&mut conn)?;
        drop(conn);
        std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| DbError::Backup(format!("{}: {e}", partial.display())))?;
        check(&partial)?;
        std::fs::File::open(&partial)
            .and_then(|file| file.sync_all())
            .map_err(|e| DbError::Backup(format!("{}: {e}", partial.display())))?;
        std::fs::rename(&partial, to).map_err(|e| DbError::Backup(format!("{}: {e}", to.display())))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Checks that `path` is a whole SQLite database of laporlapak that this binary can serve: its
/// pages are intact and every migration it has applied is one this binary knows. Returns how many
/// complaints it holds.
pub fn check(path: &Path) -> Result<i64, DbError> {
    let refuse = |why: String| DbError::Backup(format!("{}: {why}", path.display()));
    if !path.is_file() {
        return Err(refuse("no such file".to_owned()));
    }
    let mut conn = SqliteConnection::establish(&format!("file:{}?mode=ro", path.display()))
        .map_err(|e| refuse(e.to_string()))?;
    let integrity: Vec<Text> =
        diesel::sql_query("SELECT integrity_check AS value FROM pragma_integrity_check")
            .load(&mut conn)
            .map_err(|e| refuse(format!("not a readable SQLite database ({e})")))?;
    if integrity.len() != 1 || integrity.first().map(|r| r.value.as_str()) != Some("ok") {
        let first = integrity.first().map_or("", |r| r.value.as_str());
        return Err(refuse(format!("damaged: {first}")));
    }
    let applied: Vec<Text> =
        diesel::sql_query("SELECT version AS value FROM __diesel_schema_migrations")
            .load(&mut conn)
            .map_err(|_| refuse("not a laporlapak database (no migrations table)".to_owned()))?;
    let known: Vec<String> =
        diesel::migration::MigrationSource::<Sqlite>::migrations(&super::SQLITE_MIGRATIONS)
            .map_err(|e| refuse(e.to_string()))?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect();
    if applied.is_empty() {
        return Err(refuse(
            "not a laporlapak database (no migration applied)".to_owned(),
        ));
    }
    if let Some(unknown) = applied.iter().find(|row| !known.contains(&row.value)) {
        return Err(refuse(format!(
            "made by a newer laporlapak (migration {} is unknown to this one)",
            unknown.value
        )));
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let complaints: Vec<Count> = diesel::sql_query("SELECT COUNT(*) AS n FROM complaints")
        .load(&mut conn)
        .map_err(|e| refuse(e.to_string()))?;
    Ok(complaints.first().map_or(0, |c| c.n))
}

/// Whether the database at `path` holds any account or complaint.
fn holds_data(path: &Path) -> Result<bool, DbError> {
    if !path.exists() {
        return Ok(false);
    }
    let mut conn = open(path)?;
    let rows: Vec<Text> = diesel::sql_query(
        "SELECT 'x' AS value FROM sqlite_master WHERE type = 'table' AND name = 'accounts' \
         AND (EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM complaints))",
    )
    .load(&mut conn)
    .unwrap_or_default();
    Ok(!rows.is_empty())
}

/// Installs the backup `from` as the database at `url` (stop the server first). A database that
/// holds data is replaced only with `force`, and kept beside it. Returns the complaints restored
/// and where the replaced database went, if anywhere.
pub fn restore(
    url: &DatabaseUrl,
    from: &Path,
    force: bool,
) -> Result<(i64, Option<PathBuf>), DbError> {
    let target = sqlite_path(url)?;
    let complaints = check(from)?;
    if holds_data(target)? && !force {
        return Err(DbError::Backup(format!(
            "{} already holds data; stop the server and pass --force to replace it (it is kept \
             beside the new one)",
            target.display()
        )));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| DbError::Backup(format!("{}: {e}", dir.display())))?;
    }
    let incoming = with_suffix(target, ".restoring");
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |e: std::io::Error| DbError::Backup(format!("{path}: {e}"))
    };
    std::fs::copy(from, &incoming).map_err(io(&incoming))?;
    std::fs::set_permissions(&incoming, std::fs::Permissions::from_mode(0o600))
        .map_err(io(&incoming))?;
    std::fs::File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(io(&incoming))?;
    let mut kept = None;
    if target.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let old = with_suffix(target, &format!(".before-restore-{stamp}"));
        // Checkpoint the old database's WAL into its file first, so the copy kept is whole.
        if let Ok(mut conn) = open(target) {
            let _ = conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        std::fs::rename(target, &old).map_err(io(target))?;
        kept = Some(old);
    }
    for suffix in ["-wal", "-shm"] {
        let stale = with_suffix(target, suffix);
        if stale.exists() {
            std::fs::remove_file(&stale).map_err(io(&stale))?;
        }
    }
    std::fs::rename(&incoming, target).map_err(io(target))?;
    Ok((complaints, kept))
}

//! Writes that fail for lack of space. A full disk (or a quota, or SQLite's `max_page_count`)
//! does not stop reads, so the server stays reachable, but every write fails until an operator
//! makes room. Such a failure is not a fault of the request: [`is_out_of_space`] lets the service
//! layer answer it as UNAVAILABLE (HTTP 503 with `Retry-After`), and [`WriteHealth`] remembers it
//! so that `/readyz` reports the process not ready while writes fail.
//!
//! The flag is per process (readiness is): set when a statement fails for lack of space (as the
//! instrumentation of a pooled connection sees it, or the service layer when it turns the error
//! into its own: see [`super::stats::note_out_of_space`]), and cleared only when
//! [`super::Database::probe_write`] — a write that needs new room, which `/readyz` and `/metrics`
//! try while the flag is set — succeeds. An ordinary write that succeeds proves nothing: it may
//! have fitted in room already allocated (a page with space left, a preallocated WAL segment) while
//! the next one that needs more fails again.

use std::sync::atomic::{AtomicBool, Ordering};

use diesel::result::Error;

/// Did this statement fail because the database could not grow: SQLite's `SQLITE_FULL` ("database
/// or disk is full", also for the WAL or a temporary file, and for `PRAGMA max_page_count`), or
/// PostgreSQL's class 53100 `disk_full` ("could not extend file …: No space left on device", hint
/// "Check free disk space.")?
///
/// Diesel hands on neither SQLite's result code nor PostgreSQL's SQLSTATE, only the texts; SQLite's
/// are fixed, PostgreSQL's are those of `lc_messages = 'C'` or English (the default of the official
/// images). A server set to another language answers INTERNAL instead of UNAVAILABLE here.
pub fn is_out_of_space(error: &Error) -> bool {
    let Error::DatabaseError(_, info) = error else {
        return false;
    };
    let message = info.message();
    message.contains("database or disk is full")
        || message.contains("No space left on device")
        || message.contains("Disk quota exceeded")
        || info
            .hint()
            .is_some_and(|hint| hint.contains("Check free disk space"))
}

/// Whether a write of this process failed for lack of space, with no probe write succeeding
/// since.
#[derive(Debug, Default)]
pub struct WriteHealth {
    failing: AtomicBool,
}

impl WriteHealth {
    pub fn failing(&self) -> bool {
        self.failing.load(Ordering::Acquire)
    }

    pub(crate) fn mark_failing(&self) {
        if !self.failing.swap(true, Ordering::AcqRel) {
            tracing::error!(
                "database writes fail for lack of space: answering them 503 UNAVAILABLE and \
                 /readyz not ready until a probe write succeeds; free space on the database's disk"
            );
        }
    }

    pub(crate) fn mark_room(&self) {
        if self.failing.swap(false, Ordering::AcqRel) {
            tracing::warn!("database writes succeed again");
        }
    }
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection as _;
    use diesel::prelude::*;
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind};

    use super::*;

    /// What PostgreSQL sends for class 53100, as libpq hands it to diesel.
    struct PgDiskFull;

    impl DatabaseErrorInformation for PgDiskFull {
        fn message(&self) -> &str {
            "could not extend file \"base/16384/2619\": wrote only 4096 of 8192 bytes at block 7"
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            Some("Check free disk space.")
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    #[test]
    fn postgres_disk_full_is_out_of_space() {
        let full = Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(PgDiskFull));
        assert!(is_out_of_space(&full));
        let enospc = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(
                "could not write to file \"pg_wal/xlogtemp.42\": No space left on device"
                    .to_owned(),
            ),
        );
        assert!(is_out_of_space(&enospc));
        let other = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("relation \"nope\" does not exist".to_owned()),
        );
        assert!(!is_out_of_space(&other));
        assert!(!is_out_of_space(&Error::NotFound));
    }

    #[test]
    fn sqlite_full_is_out_of_space() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let mut conn = SqliteConnection::establish(&dir.path().join("full.db").to_string_lossy())?;
        conn.batch_execute("CREATE TABLE t (b BLOB); PRAGMA max_page_count = 3;")?;
        let Err(error) = conn.batch_execute("INSERT INTO t VALUES (zeroblob(100000))") else {
            return Err("a 100 kB row fits in three pages".into());
        };
        assert!(is_out_of_space(&error), "{error:?}");
        Ok(())
    }
}

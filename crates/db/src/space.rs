//! Writes that fail for lack of space. A full disk (or a quota, or SQLite's `max_page_count`)
//! does not stop reads, so the server stays reachable, but every write fails until an operator
//! makes room. Such a failure is not a fault of the request: [`is_out_of_space`] lets the service
//! layer answer it as UNAVAILABLE (HTTP 503 with `Retry-After`), and [`WriteHealth`] remembers it
//! so that `/readyz` reports the process not ready while writes fail.
//!
//! The flag is per process (readiness is): set by the instrumentation of every pooled connection
//! when a statement fails for lack of space, cleared when a transaction that wrote commits — or
//! when [`super::Database::probe_write`] (which `/readyz` runs while the flag is set, since a
//! process taken out of rotation may get no other write) succeeds.

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

/// Whether this process's last write failed for lack of space (and nothing has been written
/// since).
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
                 /readyz not ready until a write succeeds; free space on the database's disk"
            );
        }
    }

    pub(crate) fn mark_written(&self) {
        if self.failing.swap(false, Ordering::AcqRel) {
            tracing::warn!("database writes succeed again");
        }
    }
}

/// Does this statement write rows (as opposed to reading, or managing a transaction)?
pub(crate) fn is_write_statement(sql: &str) -> bool {
    let first = sql
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default();
    ["INSERT", "UPDATE", "DELETE", "REPLACE"]
        .iter()
        .any(|verb| first.eq_ignore_ascii_case(verb))
}

/// What the instrumentation of one connection tracks to know when a write reached the disk: a
/// transaction that wrote, committed; or a write outside any transaction.
#[derive(Debug, Default)]
pub(crate) struct WriteTracker {
    in_transaction: bool,
    wrote: bool,
    committing: bool,
}

impl WriteTracker {
    pub(crate) fn begin(&mut self) {
        self.in_transaction = true;
        self.wrote = false;
    }

    pub(crate) fn commit_starts(&mut self) {
        self.committing = true;
    }

    pub(crate) fn rolled_back(&mut self) {
        self.in_transaction = false;
        self.wrote = false;
        self.committing = false;
    }

    /// A statement finished; `sql` is asked for only while writes are failing (formatting a
    /// statement costs).
    pub(crate) fn finished(
        &mut self,
        health: &WriteHealth,
        error: Option<&Error>,
        sql: impl FnOnce() -> String,
    ) {
        let committing = std::mem::take(&mut self.committing);
        if let Some(error) = error {
            if is_out_of_space(error) {
                health.mark_failing();
            }
            return;
        }
        if committing {
            if self.wrote {
                health.mark_written();
            }
            self.in_transaction = false;
            self.wrote = false;
            return;
        }
        if health.failing() && is_write_statement(&sql()) {
            if self.in_transaction {
                self.wrote = true;
            } else {
                health.mark_written();
            }
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

    #[test]
    fn writes_are_told_from_reads() {
        assert!(is_write_statement(
            "INSERT INTO \"events\" (\"a\") VALUES ($1)"
        ));
        assert!(is_write_statement("  update webhook_deliveries SET x = 1"));
        assert!(is_write_statement("DELETE FROM write_probes"));
        assert!(!is_write_statement("SELECT 1"));
        assert!(!is_write_statement("COMMIT"));
        assert!(!is_write_statement("BEGIN IMMEDIATE"));
        assert!(!is_write_statement("WITH x AS (SELECT 1) SELECT * FROM x"));
    }

    #[test]
    fn a_committed_write_clears_the_flag_and_a_read_does_not() {
        let health = WriteHealth::default();
        let mut tracker = WriteTracker::default();
        let full = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("database or disk is full".to_owned()),
        );
        tracker.finished(&health, Some(&full), String::new);
        assert!(health.failing());
        // A read, and a transaction that only read, change nothing.
        tracker.finished(&health, None, || "SELECT 1".to_owned());
        tracker.begin();
        tracker.finished(&health, None, || "SELECT 1".to_owned());
        tracker.commit_starts();
        tracker.finished(&health, None, || "COMMIT".to_owned());
        assert!(health.failing());
        // A write whose commit fails changes nothing either.
        tracker.begin();
        tracker.finished(&health, None, || "INSERT INTO t VALUES (1)".to_owned());
        tracker.commit_starts();
        tracker.finished(&health, Some(&full), || "COMMIT".to_owned());
        assert!(health.failing());
        tracker.rolled_back();
        // A write that commits does.
        tracker.begin();
        tracker.finished(&health, None, || "INSERT INTO t VALUES (1)".to_owned());
        assert!(health.failing(), "not before the commit");
        tracker.commit_starts();
        tracker.finished(&health, None, || "COMMIT".to_owned());
        assert!(!health.failing());
        // Outside a transaction a write is its own commit.
        tracker.finished(&health, Some(&full), String::new);
        tracker.finished(&health, None, || "UPDATE t SET b = 2".to_owned());
        assert!(!health.failing());
    }
}

//! The erasure ledger: erasures that must survive a restore.
//!
//! A backup taken before a person erased their account still holds the account, its password
//! hash, its complaints' tracking codes and the rows of evidence files that are gone from the
//! store. Restoring it would bring the person back. So every `deleteMyAccount` first appends a
//! line to `DATA_DIR/erasure-ledger` — outside the database and outside its backups — and the
//! ledger is applied again:
//!
//! * by `laporlapak restore` (SQLite), right after the backup is installed, which says how many
//!   erasures it applied again;
//! * by every server start (before it listens), which covers a PostgreSQL database restored with
//!   `pg_restore` or from a base backup; `laporlapak pdp reapply-erasures` does it on demand.
//!
//! A line names an account by its id and a keyed hash of its id and creation time
//! (`Vault::stable_tag`, under the tracking-code index key that travels with the database): no
//! e-mail, no name, nothing readable about the person. The hash makes an entry match only the
//! account it was written for: a database that is not the one the ledger was written beside (a
//! fresh one whose ids start again at 1) has other creation times, or another index key, and its
//! accounts are left alone. Applying an entry to an account that is already erased changes
//! nothing, so applying the ledger twice is harmless.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use crate::Services;
use crate::audit::Actor;
use crate::error::{ServiceError, ServiceResult};
use laporlapak_db::models::account::Account;
use laporlapak_db::vault::Vault;

/// The ledger's file name in the data directory.
pub const LEDGER_FILE: &str = "erasure-ledger";

const TAG_DOMAIN: &str = "erasure-ledger:account";

/// The ledger file of one data directory.
#[derive(Debug)]
pub struct ErasureLedger {
    path: PathBuf,
    /// Appends from this process one at a time (each is one `write` of a whole line anyway).
    append: std::sync::Mutex<()>,
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    account_id: i64,
    tag: String,
}

/// What applying the ledger found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerReport {
    /// Lines in the ledger.
    pub entries: usize,
    /// Accounts the database held again (a restore) and that are now erased again.
    pub applied: usize,
    /// Entries whose account is erased already.
    pub already_erased: usize,
    /// Entries that match no account of this database (another database, or a lost account).
    pub unmatched: usize,
    /// Lines that could not be read (left alone, and logged).
    pub unreadable: usize,
}

impl ErasureLedger {
    /// The ledger of `data_dir` (the file is made by the first erasure).
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(LEDGER_FILE),
            append: std::sync::Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn tag(vault: &Vault, account: &Account) -> ServiceResult<String> {
        let value = format!(
            "{}:{}",
            account.id,
            account.created_at.and_utc().timestamp_micros()
        );
        Ok(vault.stable_tag(TAG_DOMAIN, &value)?)
    }

    /// Appends the erasure of `account` and makes it durable (the file is 0600).
    pub(crate) fn record(&self, vault: &Vault, account: &Account) -> ServiceResult<()> {
        let line = format!("account {} {}\n", account.id, Self::tag(vault, account)?);
        let _guard = match self.append.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .open(&self.path)?;
            file.write_all(line.as_bytes())?;
            file.sync_all()
        };
        write().map_err(|error| {
            tracing::error!(
                %error,
                path = %self.path.display(),
                "the erasure ledger cannot be written; the erasure is refused"
            );
            ServiceError::invariant("the erasure ledger can be written")
        })
    }

    fn read(&self) -> ServiceResult<(Vec<Entry>, usize)> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => {
                tracing::error!(%error, path = %self.path.display(), "the erasure ledger cannot be read");
                return Err(ServiceError::invariant("the erasure ledger can be read"));
            }
        };
        let mut entries = Vec::new();
        let mut unreadable = 0;
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            let mut parts = line.split(' ');
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some("account"), Some(id), Some(tag), None) => match id.parse::<i64>() {
                    Ok(account_id) => entries.push(Entry {
                        account_id,
                        tag: tag.to_owned(),
                    }),
                    Err(_) => unreadable += 1,
                },
                _ => unreadable += 1,
            }
        }
        if unreadable > 0 {
            tracing::warn!(
                unreadable,
                path = %self.path.display(),
                "lines of the erasure ledger could not be read and were left alone"
            );
        }
        Ok((entries, unreadable))
    }
}

/// Applies the ledger again to the database (blocking: run at start, before the server listens,
/// and by `restore`). Returns what it found and the keys of stored files no row points at any more,
/// for [`super::remove_orphans`].
pub fn reapply(services: &Services) -> ServiceResult<(LedgerReport, Vec<String>)> {
    let (entries, unreadable) = services.erasure_ledger.read()?;
    let mut report = LedgerReport {
        entries: entries.len() + unreadable,
        unreadable,
        ..LedgerReport::default()
    };
    let mut orphans = Vec::new();
    if entries.is_empty() {
        return Ok((report, orphans));
    }
    let ids: Vec<i64> = entries.iter().map(|entry| entry.account_id).collect();
    let accounts = services
        .db
        .run_at_startup(|conn| Account::find_many(conn, &ids))
        .map_err(ServiceError::from)?;
    for entry in &entries {
        let Some(account) = accounts.iter().find(|a| a.id == entry.account_id) else {
            report.unmatched += 1;
            continue;
        };
        if ErasureLedger::tag(&services.vault, account)? != entry.tag {
            report.unmatched += 1;
            continue;
        }
        if account.erased_at.is_some() {
            report.already_erased += 1;
            continue;
        }
        let erasure = super::AccountErasure::prepare(services, account)?;
        let now = services.clock.now();
        let outcome = services.db.run_at_startup(|conn| {
            Ok(laporlapak_db::write_transaction(conn, |conn| {
                erasure.apply(conn, now, Actor::CommandLine)
            }))
        });
        let (_, keys) = outcome.map_err(ServiceError::from)??;
        orphans.extend(keys);
        report.applied += 1;
    }
    if report.applied > 0 {
        tracing::warn!(
            applied = report.applied,
            "the erasure ledger erased accounts again that the database held (restored from a backup older than their erasure)"
        );
    }
    Ok((report, orphans))
}

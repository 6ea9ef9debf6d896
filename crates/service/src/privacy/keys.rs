//! Re-sealing and key rotation.
//!
//! [`reseal_all`] brings every sealed value under the primary data key: values sealed under an
//! older key, and values stored before encryption at rest (it runs at every start, so an upgraded
//! database is sealed before it serves). Each value is replaced by a compare-and-swap on the value
//! read, so a row a request changes meanwhile is left to the request, never overwritten.
//!
//! It also hashes the tracking codes an earlier version stored in clear (sealing each into the
//! idempotency keys of its submission first, so a replay still shows it), and re-seals the
//! tracking-code index key, whose hashes therefore stay valid across rotations.
//!
//! [`rotate`] is `laporlapak pdp rotate-key`: a new primary key in the key file (servers re-read it
//! within a second and seal with it from then on; the old key still opens old values), a wait for
//! them to notice, a re-seal of every row, a second pass for rows written meanwhile with the old
//! key, and, when no value under an old key is left, the old keys retired from the file.

use std::time::Duration;

use diesel::prelude::*;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use laporlapak_db::models::complaint::Complaint;
use laporlapak_db::models::idempotency_key::IdempotencyKey;
use laporlapak_db::models::index_key::IndexKey;
use laporlapak_db::schema::{
    accounts, appeals, complaint_files, complaints, idempotency_keys, index_keys, mail_outbox,
    messages,
};
use laporlapak_db::vault::{Field, KeySource, Sealed};

/// Rows read per statement while re-sealing.
const BATCH: i64 = 500;

/// How many values one re-seal changed, by column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResealCount {
    pub account_emails: u64,
    pub account_names: u64,
    pub account_umkm: u64,
    pub contact_emails: u64,
    pub messages: u64,
    pub file_names: u64,
    /// Tracking codes stored in clear by an earlier version, now hashed.
    pub tracking_codes: u64,
    /// Index keys and the tracking codes kept for idempotent replays.
    pub keys_and_replays: u64,
}

impl ResealCount {
    pub fn total(&self) -> u64 {
        self.account_emails
            + self.account_names
            + self.account_umkm
            + self.contact_emails
            + self.messages
            + self.file_names
            + self.tracking_codes
            + self.keys_and_replays
    }

    fn add(&mut self, other: Self) {
        self.account_emails += other.account_emails;
        self.account_names += other.account_names;
        self.account_umkm += other.account_umkm;
        self.contact_emails += other.contact_emails;
        self.messages += other.messages;
        self.file_names += other.file_names;
        self.tracking_codes += other.tracking_codes;
        self.keys_and_replays += other.keys_and_replays;
    }
}

/// `LIKE` pattern of the values sealed under the primary key (key ids are hex: nothing to escape).
fn current_pattern(services: &Services) -> String {
    format!("ll1.{}.%", services.vault.primary_key_id())
}

/// Defines a pass over one sealed column that is not the e-mail (which carries its index).
macro_rules! reseal_pass {
    ($name:ident, $table:ident, $column:ident, $field:expr) => {
        async fn $name(services: &Services) -> ServiceResult<u64> {
            let mut changed = 0;
            let mut after = 0_i64;
            loop {
                let pattern = current_pattern(services);
                let vault = services.vault.clone();
                let (last, count) = services
                    .db
                    .run(move |conn| {
                        let rows: Vec<(i64, Option<Sealed>)> = $table::table
                            .filter($table::id.gt(after))
                            .filter($table::$column.not_like(&pattern))
                            .order($table::id.asc())
                            .limit(BATCH)
                            .select(($table::id, $table::$column.nullable()))
                            .load(conn)?;
                        let mut count = 0_u64;
                        for (id, old) in &rows {
                            let Some(old) = old else { continue };
                            let fresh = vault.seal($field, &vault.open($field, old)?)?;
                            count += diesel::update(
                                $table::table
                                    .filter($table::id.eq(id))
                                    .filter($table::$column.eq(old)),
                            )
                            .set($table::$column.eq(&fresh))
                            .execute(conn)? as u64;
                        }
                        Ok::<_, ServiceError>((rows.last().map(|(id, _)| *id), count))
                    })
                    .await?;
                changed += count;
                match last {
                    Some(last) => after = last,
                    None => return Ok(changed),
                }
            }
        }
    };
}

reseal_pass!(reseal_names, accounts, display_name, Field::DisplayName);
reseal_pass!(reseal_nibs, accounts, umkm_nib, Field::Nib);
reseal_pass!(
    reseal_business_names,
    accounts,
    umkm_business_name,
    Field::BusinessName
);
reseal_pass!(
    reseal_contacts,
    complaints,
    contact_email,
    Field::ContactEmail
);
reseal_pass!(reseal_messages, messages, body, Field::MessageBody);
reseal_pass!(reseal_appeals, appeals, body, Field::AppealBody);
reseal_pass!(
    reseal_mail_payloads,
    mail_outbox,
    payload,
    Field::MailPayload
);
reseal_pass!(
    reseal_file_names,
    complaint_files,
    file_name,
    Field::FileName
);

/// The index keys (one row) and the tracking codes kept with live idempotency keys (a day's
/// submissions at most): few rows, re-sealed in place.
async fn reseal_keys_and_replays(services: &Services) -> ServiceResult<u64> {
    let pattern = current_pattern(services);
    let vault = services.vault.clone();
    services
        .db
        .run(move |conn| {
            let mut count = 0_u64;
            for (name, old) in IndexKey::not_like(conn, &pattern)? {
                let fresh = vault.seal(Field::IndexKey, &vault.open(Field::IndexKey, &old)?)?;
                count += IndexKey::reseal(conn, &name, &old, &fresh)? as u64;
            }
            loop {
                let rows = IdempotencyKey::sealed_codes_not_like(conn, &pattern, BATCH)?;
                let mut changed = 0_u64;
                for (scope, key, old) in &rows {
                    let code = vault.open(Field::IssuedTrackingCode, old)?;
                    let fresh = vault.seal(Field::IssuedTrackingCode, &code)?;
                    changed += IdempotencyKey::reseal_code(conn, scope, key, old, &fresh)? as u64;
                }
                count += changed;
                // A row a request changed meanwhile is read again; stop when a batch changes
                // nothing (it is empty, or only holds such rows).
                if rows.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) || changed == 0 {
                    return Ok::<_, ServiceError>(count);
                }
            }
        })
        .await
}

/// Tracking codes an earlier version stored in clear: each becomes its keyed hash, after it is
/// sealed into the idempotency keys of its submission (so a replay within the key's day still
/// shows it). Until a row is converted, a look-up matches its clear code too.
async fn hash_clear_tracking_codes(services: &Services) -> ServiceResult<u64> {
    let mut changed = 0;
    loop {
        let vault = services.vault.clone();
        let (read, count) = services
            .db
            .run(move |conn| {
                let rows = Complaint::clear_tracking_codes(conn, BATCH)?;
                let mut count = 0_u64;
                for (id, code) in &rows {
                    let sealed = vault.seal(Field::IssuedTrackingCode, code)?;
                    let hash = vault.tracking_code_index(code)?;
                    laporlapak_db::write_transaction(conn, |conn| {
                        diesel::update(
                            idempotency_keys::table
                                .filter(idempotency_keys::complaint_id.eq(id))
                                .filter(idempotency_keys::tracking_code.is_null()),
                        )
                        .set(idempotency_keys::tracking_code.eq(&sealed))
                        .execute(conn)?;
                        count += Complaint::hash_tracking_code(conn, *id, code, &hash)? as u64;
                        Ok::<_, diesel::result::Error>(())
                    })?;
                }
                Ok::<_, ServiceError>((rows.len(), count))
            })
            .await?;
        changed += count;
        // A batch whose rows all changed under us cannot repeat: a code is only ever replaced.
        if read == 0 || count == 0 {
            return Ok(changed);
        }
    }
}

/// The e-mail pass: the value and its blind index change together (an erased account keeps no
/// index).
async fn reseal_emails(services: &Services) -> ServiceResult<u64> {
    let mut changed = 0;
    let mut after = 0_i64;
    loop {
        let pattern = current_pattern(services);
        let vault = services.vault.clone();
        let (last, count) = services
            .db
            .run(move |conn| {
                let rows: Vec<(i64, Sealed, Option<chrono::NaiveDateTime>)> = accounts::table
                    .filter(accounts::id.gt(after))
                    .filter(accounts::email.not_like(&pattern))
                    .order(accounts::id.asc())
                    .limit(BATCH)
                    .select((accounts::id, accounts::email, accounts::erased_at))
                    .load(conn)?;
                let mut count = 0_u64;
                for (id, old, erased_at) in &rows {
                    let email = vault.open(Field::Email, old)?;
                    let fresh = vault.seal(Field::Email, &email)?;
                    let index = erased_at.is_none().then(|| vault.email_index(&email));
                    count += diesel::update(
                        accounts::table
                            .filter(accounts::id.eq(id))
                            .filter(accounts::email.eq(old)),
                    )
                    .set((accounts::email.eq(&fresh), accounts::email_index.eq(index)))
                    .execute(conn)? as u64;
                }
                Ok::<_, ServiceError>((rows.last().map(|(id, _, _)| *id), count))
            })
            .await?;
        changed += count;
        match last {
            Some(last) => after = last,
            None => return Ok(changed),
        }
    }
}

/// Brings every sealed value under the primary key; returns how many values changed.
pub async fn reseal_all(services: &Services) -> ServiceResult<ResealCount> {
    let mut count = reseal_accounts(services).await?;
    count.contact_emails = reseal_contacts(services).await?;
    // A reporter's words (replies, appeals), and mails waiting in the outbox.
    count.messages = reseal_messages(services).await?
        + reseal_appeals(services).await?
        + reseal_mail_payloads(services).await?;
    count.file_names = reseal_file_names(services).await?;
    count.tracking_codes = hash_clear_tracking_codes(services).await?;
    count.keys_and_replays = reseal_keys_and_replays(services).await?;
    Ok(count)
}

/// The accounts' part of [`reseal_all`] (what sign-in needs: e-mails and their index).
pub async fn reseal_accounts(services: &Services) -> ServiceResult<ResealCount> {
    Ok(ResealCount {
        account_emails: reseal_emails(services).await?,
        account_names: reseal_names(services).await?,
        account_umkm: reseal_nibs(services).await? + reseal_business_names(services).await?,
        ..ResealCount::default()
    })
}

/// How many stored values are not sealed under the primary key.
pub async fn not_current(services: &Services) -> ServiceResult<i64> {
    let pattern = current_pattern(services);
    services
        .db
        .run(move |conn| {
            let count = |n: QueryResult<i64>| n;
            let accounts_left = count(
                accounts::table
                    .filter(
                        accounts::email
                            .not_like(&pattern)
                            .or(accounts::display_name.not_like(&pattern))
                            .or(accounts::umkm_nib.not_like(&pattern).assume_not_null())
                            .or(accounts::umkm_business_name
                                .not_like(&pattern)
                                .assume_not_null()),
                    )
                    .count()
                    .get_result(conn),
            )?;
            let contacts_left = complaints::table
                .filter(complaints::contact_email.not_like(&pattern))
                .count()
                .get_result::<i64>(conn)?;
            let messages_left = messages::table
                .filter(messages::body.not_like(&pattern))
                .count()
                .get_result::<i64>(conn)?;
            let appeals_left = appeals::table
                .filter(appeals::body.not_like(&pattern))
                .count()
                .get_result::<i64>(conn)?;
            let mails_left = mail_outbox::table
                .filter(mail_outbox::payload.not_like(&pattern))
                .count()
                .get_result::<i64>(conn)?;
            let file_names_left = complaint_files::table
                .filter(complaint_files::file_name.not_like(&pattern))
                .count()
                .get_result::<i64>(conn)?;
            let keys_left = index_keys::table
                .filter(index_keys::sealed_key.not_like(&pattern))
                .count()
                .get_result::<i64>(conn)?;
            let replays_left = idempotency_keys::table
                .filter(idempotency_keys::tracking_code.not_like(&pattern))
                .count()
                .get_result::<i64>(conn)?;
            Ok::<_, ServiceError>(
                accounts_left
                    + contacts_left
                    + messages_left
                    + appeals_left
                    + mails_left
                    + file_names_left
                    + keys_left
                    + replays_left,
            )
        })
        .await
}

/// What a rotation did.
#[derive(Debug, Clone, Default)]
pub struct RotationReport {
    /// The new primary key, when this rotation added one to the key file.
    pub new_key: Option<String>,
    pub resealed: ResealCount,
    /// Keys removed from the key file at the end.
    pub retired: Vec<String>,
    /// Values still under an old key (0 unless a server kept writing with one).
    pub left_behind: i64,
}

/// `laporlapak pdp rotate-key`: see the module documentation. `settle` is how long servers are
/// given to notice a change of the key file (they look every second).
pub async fn rotate(services: &Services, settle: Duration) -> ServiceResult<RotationReport> {
    let mut report = RotationReport::default();
    if let KeySource::File(_) = services.vault.source() {
        report.new_key = Some(services.vault.add_primary_key()?);
        tokio::time::sleep(settle).await;
    }
    report.resealed = reseal_all(services).await?;
    // Rows a server sealed with the old key before it noticed the new one.
    tokio::time::sleep(settle).await;
    report.resealed.add(reseal_all(services).await?);
    report.left_behind = not_current(services).await?;
    if report.left_behind == 0 && matches!(services.vault.source(), KeySource::File(_)) {
        report.retired = services.vault.retire_old_keys()?;
    }
    Ok(report)
}

//! Retention: personal data is kept only as long as it serves the case.
//!
//! * A complaint whose case has been final (resolved, rejected, closed) for
//!   `LAPORLAPAK_RETENTION_FINAL_CASE_DAYS` (365 by default) loses its contact e-mail and its link
//!   to the reporter's account (and the reporter's replies lose theirs); the complaint itself,
//!   its case and its counts stay. Each erasure is an audit event by the system.
//! * After the same period, the evidence of those complaints: evidence file names are blanked,
//!   the original bytes of every file that has a redacted variant (an image: an ID-card photo
//!   with its EXIF) are dropped from the store — the redacted variant stays, and so does the
//!   original's SHA-256 as the record of what was received; a download of the original answers
//!   410 Gone — and the seller identifiers read from the reporters' words (descriptions, the
//!   seller details of replies) are deleted; those of the listing itself (URL, handle) and a
//!   reviewer's stay. Files without a redacted variant (PDF) stay as they are. An original that
//!   another complaint still within its period carries stays until that one's period ends.
//! * Idempotency keys go when they expire (24 hours after use) and rate-limit counters when their
//!   window has refilled (at most a day); both only ever hold pseudonyms of addresses and e-mails.
//!
//! The server applies it at start and every hour (any replica may: every step is idempotent);
//! `laporlapak pdp retention --dry-run` counts what it would erase without erasing.

use chrono::NaiveDateTime;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use laporlapak_db::models::complaint::Complaint;
use laporlapak_db::models::evidence::EvidenceBlob;
use laporlapak_db::models::idempotency_key::IdempotencyKey;
use laporlapak_db::models::rate_limit::RateLimit;
use laporlapak_db::models::seller::SellerIdentifier;
use laporlapak_db::vault::Field;
use laporlapak_domain::AuditAction;

/// Complaints erased per transaction, so a first run over years of data never holds one long
/// transaction.
const BATCH: i64 = 500;

/// What one run erased, or with `dry_run` would erase.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub dry_run: bool,
    /// Complaints whose contact e-mail and reporter link are (or would be) erased.
    pub complaints: i64,
    /// Complaints whose evidence retention covers (or would cover).
    pub evidence_complaints: i64,
    /// Evidence file names blanked.
    pub file_names: i64,
    /// Evidence originals dropped (their redacted variant kept).
    pub originals: i64,
    /// Seller identifiers read from reporters' words, deleted.
    pub identifiers: i64,
    pub idempotency_keys: i64,
    pub rate_limit_counters: i64,
    /// The cut-off: cases final before it lose their reporters' data.
    pub final_before: Option<NaiveDateTime>,
}

/// Applies the retention rules (or, with `dry_run`, counts what they would erase).
pub async fn apply(services: &Services, dry_run: bool) -> ServiceResult<RetentionReport> {
    let now = services.clock.now();
    let final_before = now - services.retention.final_case;
    let mut report = RetentionReport {
        dry_run,
        final_before: Some(final_before),
        ..RetentionReport::default()
    };
    if dry_run {
        return services
            .db
            .run(move |conn| {
                report.complaints = Complaint::count_past_retention(conn, final_before)?;
                report.evidence_complaints =
                    Complaint::count_evidence_past_retention(conn, final_before)?;
                report.idempotency_keys = IdempotencyKey::count_expired(conn, now)?;
                report.rate_limit_counters =
                    RateLimit::count_refilled(conn, now.and_utc().timestamp_micros())?;
                Ok::<_, ServiceError>(report)
            })
            .await;
    }
    loop {
        let erased = services
            .write(move |conn, now| {
                let ids = Complaint::past_retention(conn, final_before, BATCH)?;
                Complaint::erase_reporter_data(conn, &ids, now)?;
                for &id in &ids {
                    audit::record(
                        conn,
                        now,
                        Actor::CommandLine,
                        NewEvent::new(
                            AuditAction::ComplaintPersonalDataErased,
                            Subject::Complaint(id),
                        )
                        .details("retention"),
                    )?;
                }
                Ok(i64::try_from(ids.len()).unwrap_or(i64::MAX))
            })
            .await?;
        report.complaints += erased;
        if erased < BATCH {
            break;
        }
    }
    let blank_name = services.vault.seal(Field::FileName, "")?;
    loop {
        let blank_name = blank_name.clone();
        let (batch, names, originals, identifiers, orphans) = services
            .write(move |conn, now| {
                let ids = Complaint::evidence_past_retention(conn, final_before, BATCH)?;
                let mut originals = 0;
                let mut orphans = Vec::new();
                for blob in EvidenceBlob::originals_past_retention(conn, &ids)? {
                    EvidenceBlob::mark_original_erased(conn, blob.id, now)?;
                    originals += 1;
                    if !EvidenceBlob::bytes_in_use(conn, &blob.sha256)? {
                        orphans.push(blob.sha256);
                    }
                }
                let identifiers = SellerIdentifier::delete_from_reporters_words(conn, &ids)?;
                let names = Complaint::mark_evidence_retained(conn, &ids, &blank_name, now)?;
                Ok((ids.len(), names, originals, identifiers, orphans))
            })
            .await?;
        super::remove_orphans(services, orphans).await;
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        report.evidence_complaints += count(batch);
        report.file_names += count(names);
        report.originals += count(originals);
        report.identifiers += count(identifiers);
        if count(batch) < BATCH {
            break;
        }
    }
    let (keys, counters) = services
        .db
        .run(move |conn| {
            let keys = IdempotencyKey::purge_expired(conn, now)?;
            let counters = RateLimit::purge(conn, now.and_utc().timestamp_micros())?;
            Ok::<_, ServiceError>((keys, counters))
        })
        .await?;
    report.idempotency_keys = i64::try_from(keys).unwrap_or(i64::MAX);
    report.rate_limit_counters = i64::try_from(counters).unwrap_or(i64::MAX);
    if report.originals > 0 || report.identifiers > 0 {
        tracing::info!(
            originals = report.originals,
            file_names = report.file_names,
            identifiers = report.identifiers,
            "retention: dropped evidence originals, blanked file names and deleted identifiers read from reporters' words"
        );
    }
    if report.complaints > 0 {
        tracing::info!(
            complaints = report.complaints,
            "retention: erased the contact and reporter links of complaints in cases final before the cut-off"
        );
    }
    Ok(report)
}

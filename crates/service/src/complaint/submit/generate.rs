//! `submitComplaint`, step two: one attempt at writing a parsed submission — the idempotency check,
//! the case it joins or opens, the complaint, its evidence, the case's counts and the audit event —
//! inside the caller's write transaction.

use std::sync::Arc;

use crate::audit::{self, Actor, NewEvent, Subject};
use crate::complaint::submit::validate::Submission;
use crate::complaint::view::{ComplaintView, Loaded, Reader};
use crate::complaint::{SellerStanding, case_priority, flag_set};
use crate::error::ServiceError;
use crate::evidence::{self, StoredFile};
use crate::limits::ClientAddress;
use crate::reference_data::ReferenceData;
use crate::viewer::{Citizen, Viewer};
use laporlapak_db::DbConnection;
use laporlapak_db::is_unique_violation;
use laporlapak_db::models::case::{Case, CaseInsertForm, CaseStats};
use laporlapak_db::models::category::Category;
use laporlapak_db::models::complaint::{Complaint, ComplaintInsertForm};
use laporlapak_db::models::idempotency_key::{IdempotencyKey, IdempotencyKeyInsertForm};
use laporlapak_db::models::platform::PlatformWithHosts;
use laporlapak_db::models::seller::{SellerIdentifier, SellerIdentifierInsertForm};
use laporlapak_db::vault::Field;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{AuditAction, CaseStatus, Province, ReportSource, TrackingCode, keywords};

/// How long a retry with the same idempotency key returns the first result.
const IDEMPOTENCY_HOURS: i64 = 24;

/// A transaction attempt either finishes, fails, or lost a race and must start again.
pub(super) enum TxError {
    Service(ServiceError),
    Retry,
}

impl From<diesel::result::Error> for TxError {
    fn from(error: diesel::result::Error) -> Self {
        if is_unique_violation(&error) {
            Self::Retry
        } else {
            Self::Service(error.into())
        }
    }
}

impl From<ServiceError> for TxError {
    fn from(error: ServiceError) -> Self {
        Self::Service(error)
    }
}

/// Whose retries a key deduplicates: a citizen's account; without an account, the client address
/// (with a key that must be unguessable), so two people who send the same body with the same key
/// from different places each get their own complaint. A contact e-mail is not a scope: anyone can
/// type someone else's. The address is kept as a keyed hash, never itself: `Vault::stable_tag`,
/// not `Vault::pseudonym`, so a retry after `pdp rotate-key` still finds the key it retries (a
/// pseudonym changes with the primary data key, and the retry would file a second complaint).
pub(super) fn idempotency_scope(
    vault: &laporlapak_db::vault::Vault,
    viewer: &Viewer,
    address: ClientAddress,
) -> Result<String, laporlapak_db::vault::VaultError> {
    Ok(match (viewer.account_id(), address.0) {
        (Some(account_id), _) => format!("account:{account_id}"),
        (None, Some(ip)) => format!(
            "address:{}",
            vault.stable_tag("idempotency-address", &ip.to_string())?
        ),
        (None, None) => "address:unknown".to_owned(),
    })
}

/// What a submission writes beside the parsed input: the reference rows it resolved to and who
/// filed it.
pub(super) struct Filing<'a> {
    pub submission: &'a Submission,
    pub category: &'a Arc<Category>,
    pub platform: &'a Arc<PlatformWithHosts>,
    pub reference: &'a ReferenceData,
    pub viewer: &'a Viewer,
    /// The signed-in citizen filing it, if any.
    pub citizen: Option<Citizen>,
    /// The trusted flagger (organisation id) a member's named report is filed for, and the boost
    /// its record earns.
    pub flagger: Option<(i64, i32)>,
    /// The public, or the ministry's own finding.
    pub source: ReportSource,
    /// Whose retries an idempotency key deduplicates ([`idempotency_scope`]).
    pub idempotency_scope: String,
    /// Evidence files, already stored: recorded with the complaint.
    pub files: &'a [StoredFile],
    /// Most files a complaint may hold.
    pub max_files: usize,
    /// A new case re-lists a removal answered at or after this time.
    pub relisting_since: chrono::NaiveDateTime,
    /// The contact e-mail of an anonymous reporter, sealed.
    pub contact_email: Option<&'a laporlapak_db::vault::Sealed>,
    /// Seals the tracking code kept for a replay and hashes it for the complaint.
    pub vault: &'a laporlapak_db::vault::Vault,
}

/// What one attempt did.
pub(super) enum Attempt {
    /// A new complaint, shown to its reporter as written (nothing is read back).
    Filed {
        complaint: Box<ComplaintView>,
        joined_existing_case: bool,
    },
    /// A retry of an earlier submission with the same idempotency key: that complaint, and the
    /// tracking code it was given (sealed; none for a key recorded before codes were hashed).
    Replayed {
        complaint_id: i64,
        joined_existing_case: bool,
        tracking_code: Option<laporlapak_db::vault::Sealed>,
    },
}

/// One attempt at a submission. `retry` is false on the first attempt, which does not look the
/// idempotency key up: recording it at the end fails with a unique violation when it was used
/// before, and the retry that follows looks it up. A first use of a key (nearly every use) so
/// costs one statement, not two.
///
/// Statements, in one transaction: lock the target's open case (or, for a new case, look for the
/// removal it re-lists and insert it), on a joined case the filer's earlier named complaints there
/// (signed-in citizens only), the complaint, its evidence, its seller identifiers (one statement),
/// the joined case's new counters, the idempotency key, the audit event. The counters are
/// maintained from the case row and this complaint alone, so a submission costs the same whether
/// the case has one complaint or ten thousand.
pub(super) fn submit_once(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    filing: &Filing<'_>,
    retry: bool,
) -> Result<Attempt, TxError> {
    let submission = filing.submission;
    let request_hash = submission.request_hash();
    let scope = filing.idempotency_scope.clone();
    if retry
        && let Some(key) = &submission.idempotency_key
        && let Some(existing) = IdempotencyKey::find_live(conn, &scope, key.as_str(), now)?
    {
        return if existing.request_hash == request_hash {
            Ok(Attempt::Replayed {
                complaint_id: existing.complaint_id,
                joined_existing_case: existing.joined_existing_case,
                tracking_code: existing.tracking_code,
            })
        } else {
            Err(ServiceError::conflict(Msg::IdempotencyKeyReused).into())
        };
    }

    let mut texts = vec![
        submission.description.as_str(),
        submission.listing_url.as_str(),
    ];
    if let Some(handle) = &submission.account_handle {
        texts.push(handle);
    }
    let own_flags =
        keywords::matching(filing.reference.keyword_rules(), filing.category.id, &texts);
    // Anonymous means anonymous to the counts too: such a complaint is a reporter of its own and
    // never an UMKM one (see `Case::reporter_counts`, the recount these counters equal).
    let named_reporter = filing.citizen.filter(|_| !submission.anonymous);
    let reporter_umkm = filing.citizen.is_some_and(Citizen::is_umkm);
    let target = submission.canonical.as_str();
    let platform_id = filing.platform.platform.id;
    let own_boost = filing.flagger.map_or(0, |(_, boost)| boost);

    let (case_id, status, joined, relisted_from) =
        match Case::lock_open_for_target(conn, platform_id, target, now)? {
            Some(case) => {
                let (new_reporter, new_umkm) = match named_reporter {
                    Some(citizen) => {
                        let earlier =
                            Complaint::named_reports_in_case(conn, case.id, citizen.account_id())?;
                        (
                            earlier.is_empty(),
                            citizen.is_umkm() && !earlier.contains(&true),
                        )
                    }
                    None => (true, false),
                };
                let flags =
                    flag_set(std::iter::once(case.flags.as_str()).chain(own_flags.iter().copied()));
                let report_count = case.report_count.saturating_add(i32::from(new_reporter));
                let umkm_report_count = case.umkm_report_count.saturating_add(i32::from(new_umkm));
                let severity = filing
                    .reference
                    .category(case.category_id)
                    .map_or(1, |c| c.severity);
                let flagger_boost = case.flagger_boost.max(own_boost);
                let priority = case_priority(
                    report_count,
                    umkm_report_count,
                    severity,
                    filing.reference.flag_weight(&flags),
                    SellerStanding {
                        seller_score: case.seller_score,
                        relisted: case.relisted_from_id.is_some(),
                        flagger_boost,
                    },
                );
                Case::set_stats(
                    conn,
                    case.id,
                    CaseStats {
                        report_count,
                        umkm_report_count,
                        flags: &flags.join("\n"),
                        priority,
                        flagger_boost,
                    },
                )?;
                (case.id, case.status, true, None)
            }
            None => {
                let values: Vec<String> = submission
                    .seller_identifiers
                    .iter()
                    .map(|(identifier, _)| identifier.value.clone())
                    .collect();
                let relisted_from = SellerIdentifier::find_relisted_removal(
                    conn,
                    platform_id,
                    target,
                    &values,
                    filing.relisting_since,
                )?
                .map(|(case_id, _)| case_id);
                let flags = flag_set(own_flags.iter().copied());
                let umkm_report_count = i32::from(named_reporter.is_some() && reporter_umkm);
                let id = Case::insert(
                    conn,
                    &CaseInsertForm {
                        platform_id,
                        category_id: filing.category.id,
                        target,
                        target_kind: submission.canonical.kind(),
                        status: CaseStatus::Open,
                        report_count: 1,
                        umkm_report_count,
                        flags: &flags.join("\n"),
                        priority: case_priority(
                            1,
                            umkm_report_count,
                            filing.category.severity,
                            filing.reference.flag_weight(&flags),
                            SellerStanding {
                                seller_score: 0,
                                relisted: relisted_from.is_some(),
                                flagger_boost: own_boost,
                            },
                        ),
                        created_at: now,
                        updated_at: now,
                        relisted_from_id: relisted_from,
                        flagger_boost: own_boost,
                        source: filing.source,
                    },
                )?;
                (id, CaseStatus::Open, false, relisted_from)
            }
        };

    let tracking_code = TrackingCode::generate().map_err(ServiceError::from)?;
    let complaint = Complaint {
        id: 0,
        tracking_code_hash: filing
            .vault
            .tracking_code_index(tracking_code.as_str())
            .map_err(ServiceError::from)?,
        case_id,
        category_id: filing.category.id,
        platform_id,
        listing_url: submission.listing_url.clone(),
        canonical_url: target.to_owned(),
        account_handle: submission.account_handle.clone(),
        description: submission.description.clone(),
        province: submission.province.map(|p| Province::name(p).to_owned()),
        city: submission.city.clone(),
        anonymous: submission.anonymous,
        reporter_account_id: filing.citizen.map(Citizen::account_id),
        reporter_umkm,
        contact_email: filing.contact_email.cloned(),
        flags: own_flags.join("\n"),
        created_at: now,
        withdrawn_at: None,
        personal_data_erased_at: None,
        organisation_id: filing.flagger.map(|(id, _)| id),
        flagger_boost: own_boost,
        source: filing.source,
    };
    let complaint_id = Complaint::insert(conn, &ComplaintInsertForm::of(&complaint))?;
    Complaint::add_evidence(conn, complaint_id, &submission.evidence_urls, now)?;
    evidence::record(
        conn,
        complaint_id,
        filing.citizen.map(Citizen::account_id),
        "input.files",
        filing.files,
        filing.max_files,
        now,
    )?;
    let identifiers: Vec<SellerIdentifierInsertForm<'_>> = submission
        .seller_identifiers
        .iter()
        .map(|(identifier, source)| SellerIdentifierInsertForm {
            case_id,
            complaint_id: Some(complaint_id),
            platform_id,
            kind: identifier.kind,
            value: &identifier.value,
            source: *source,
            added_by: None,
            created_at: now,
        })
        .collect();
    SellerIdentifier::insert_many(conn, &identifiers)?;

    if let Some(key) = &submission.idempotency_key {
        let sealed_code = filing
            .vault
            .seal(Field::IssuedTrackingCode, tracking_code.as_str())
            .map_err(ServiceError::from)?;
        IdempotencyKey::insert(
            conn,
            &IdempotencyKeyInsertForm {
                scope: &scope,
                idempotency_key: key.as_str(),
                request_hash: &request_hash,
                complaint_id,
                joined_existing_case: joined,
                created_at: now,
                expires_at: now + chrono::Duration::hours(IDEMPOTENCY_HOURS),
                tracking_code: Some(&sealed_code),
            },
        )?;
    }
    audit::record(
        conn,
        now,
        Actor::Viewer(filing.viewer),
        NewEvent::new(
            AuditAction::ComplaintSubmitted,
            Subject::Complaint(complaint_id),
        )
        .in_case(case_id)
        .status(status)
        .details(&match (joined, relisted_from) {
            (true, _) => "joined existing case".to_owned(),
            (false, None) => "opened case".to_owned(),
            (false, Some(earlier)) => {
                format!("opened case, a re-listing of case {earlier} after its removal")
            }
        }),
    )?;
    mail_opened(
        conn,
        now,
        filing,
        case_id,
        complaint_id,
        joined,
        &tracking_code,
    )?;
    let complaint = Loaded::new(
        Complaint {
            id: complaint_id,
            ..complaint
        },
        status,
        filing.category.clone(),
        filing.platform.clone(),
        submission.evidence_urls.clone(),
    );
    let mut complaint = complaint.into_view(Reader::Reporter);
    complaint.tracking_code = Some(tracking_code.as_str().to_owned());
    Ok(Attempt::Filed {
        complaint: Box::new(complaint),
        joined_existing_case: joined,
    })
}

/// The mail that tells the reporter their complaint was received (a case opened or joined), when
/// they opted in: an anonymous reporter at submission, with the tracking code (only to the contact
/// e-mail given with it); a citizen by its account's setting (one statement to read it).
fn mail_opened(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    filing: &Filing<'_>,
    case_id: i64,
    complaint_id: i64,
    joined: bool,
    tracking_code: &laporlapak_domain::TrackingCode,
) -> crate::error::ServiceResult<()> {
    use laporlapak_db::models::mail::{MailConsent, MailRecipient};
    let kind = if joined {
        laporlapak_domain::mail::MailKind::Joined
    } else {
        laporlapak_domain::mail::MailKind::Opened
    };
    let mut data = crate::mail::outbox::MailData::default();
    let recipient = match filing.citizen {
        Some(citizen) => {
            let Some(language) = MailConsent::language_if_on(conn, citizen.account_id())? else {
                return Ok(());
            };
            MailRecipient {
                complaint_id: None,
                account_id: Some(citizen.account_id()),
                language,
            }
        }
        None => {
            let Some(version) = filing.submission.mail_consent else {
                return Ok(());
            };
            let language = filing.submission.language.code();
            MailConsent::set_for_complaint(conn, complaint_id, Some(version), Some(language))?;
            data.tracking_code = Some(tracking_code.as_str().to_owned());
            MailRecipient {
                complaint_id: Some(complaint_id),
                account_id: None,
                language: language.to_owned(),
            }
        }
    };
    crate::mail::outbox::enqueue(conn, filing.vault, case_id, kind, &data, &[recipient], now)?;
    Ok(())
}

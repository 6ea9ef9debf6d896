//! `submitComplaint`, step two: one attempt at writing a parsed submission — the idempotency check,
//! the case it joins or opens, the complaint, its evidence, the case's counts and the audit event —
//! inside the caller's write transaction.

use crate::db::DbConnection;
use crate::db::is_unique_violation;
use crate::db::models::account::Account;
use crate::db::models::case::{Case, CaseInsertForm};
use crate::db::models::category::Category;
use crate::db::models::complaint::{Complaint, ComplaintInsertForm};
use crate::db::models::idempotency_key::{IdempotencyKey, IdempotencyKeyInsertForm};
use crate::db::models::keyword_rule::KeywordRule;
use crate::db::models::platform::Platform;
use crate::domain::{AuditAction, CaseStatus, Email, Province, TrackingCode, keywords};
use crate::error::ServiceError;
use crate::i18n::Msg;
use crate::service::audit::{self, Actor, NewEvent, Subject};
use crate::service::complaint::refresh_case;
use crate::service::complaint::submit::validate::{Submission, resolve_platform};
use crate::service::limits::ClientAddress;
use crate::service::viewer::Viewer;

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
/// type someone else's.
fn idempotency_scope(viewer: &Viewer, address: ClientAddress) -> String {
    match (viewer.account_id(), address.0) {
        (Some(account_id), _) => format!("account:{account_id}"),
        (None, Some(ip)) => format!("address:{ip}"),
        (None, None) => "address:unknown".to_owned(),
    }
}

/// One attempt at a submission; returns the complaint id and whether it joined an existing case.
pub(super) fn submit_once(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    viewer: &Viewer,
    address: ClientAddress,
    submission: &Submission,
) -> Result<(i64, bool), TxError> {
    let request_hash = submission.request_hash();
    let scope = idempotency_scope(viewer, address);
    if let Some(key) = &submission.idempotency_key
        && let Some(existing) = IdempotencyKey::find_live(conn, &scope, key.as_str(), now)?
    {
        return if existing.request_hash == request_hash {
            Ok((existing.complaint_id, existing.joined_existing_case))
        } else {
            Err(ServiceError::conflict(Msg::IdempotencyKeyReused).into())
        };
    }

    let category = Category::find_by_code(conn, &submission.category)?
        .filter(|c| c.active)
        .ok_or_else(|| ServiceError::bad_input("input.category", Msg::UnknownCategory))?;
    let platform = resolve_platform(
        Platform::list_with_hosts(conn, false)?,
        &submission.canonical,
        submission.platform.as_deref(),
    )?;
    let rules = KeywordRule::active_phrases(conn)?;
    let mut texts = vec![
        submission.description.as_str(),
        submission.listing_url.as_str(),
    ];
    if let Some(handle) = &submission.account_handle {
        texts.push(handle);
    }
    let flags = keywords::matching(&rules, &texts).join("\n");
    let reporter = match viewer.account_id() {
        Some(account_id) => Some(
            Account::find(conn, account_id)?.ok_or(TxError::Service(ServiceError::InvalidToken))?,
        ),
        None => None,
    };
    let reporter_umkm = reporter.as_ref().is_some_and(|a| a.umkm_nib.is_some());
    let target = submission.canonical.as_str();

    let (case_id, joined) = match Case::find_open_for_target(conn, platform.platform.id, target)? {
        Some(case) if Case::lock_if_open(conn, case.id, now)? => (case.id, true),
        // It became final between the two statements: start again and open a new case.
        Some(_) => return Err(TxError::Retry),
        None => {
            let id = Case::insert(
                conn,
                &CaseInsertForm {
                    platform_id: platform.platform.id,
                    category_id: category.id,
                    target,
                    target_kind: submission.canonical.kind(),
                    status: CaseStatus::Open,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            (id, false)
        }
    };

    let tracking_code = TrackingCode::generate().map_err(ServiceError::from)?;
    let complaint_id = Complaint::insert(
        conn,
        &ComplaintInsertForm {
            tracking_code: tracking_code.as_str(),
            case_id,
            category_id: category.id,
            platform_id: platform.platform.id,
            listing_url: &submission.listing_url,
            canonical_url: target,
            account_handle: submission.account_handle.as_deref(),
            description: &submission.description,
            province: submission.province.map(Province::name),
            city: submission.city.as_deref(),
            anonymous: submission.anonymous,
            reporter_account_id: reporter.as_ref().map(|a| a.id),
            reporter_umkm,
            contact_email: submission.contact_email.as_ref().map(Email::as_str),
            flags: &flags,
            created_at: now,
        },
    )?;
    Complaint::add_evidence(conn, complaint_id, &submission.evidence_urls, now)?;
    let status = refresh_case(conn, case_id)?;

    if let Some(key) = &submission.idempotency_key {
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
            },
        )?;
    }
    audit::record(
        conn,
        now,
        Actor::Viewer(viewer),
        NewEvent::new(
            AuditAction::ComplaintSubmitted,
            Subject::Complaint(complaint_id),
        )
        .in_case(case_id)
        .status(status)
        .details(if joined {
            "joined existing case"
        } else {
            "opened case"
        }),
    )?;
    Ok((complaint_id, joined))
}

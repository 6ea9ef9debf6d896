//! Complaints (aduan): intake (`submit`), the public status by tracking code, a citizen's own
//! complaints, evidence and withdrawal, and the audience-shaped views every read returns (`view`).
//!
//! Aggregation: every complaint joins the non-final case of its (platform, canonical target), or
//! opens one. A submission updates the case's counts, flags and priority from the locked case row
//! and the new complaint alone; a withdrawal or a merge recounts them from the complaints
//! (`refresh_case`), and the two always agree.

mod evidence;
pub mod opaque;
mod public_status;
mod submit;
pub(crate) mod view;
mod withdraw;

use chrono::NaiveDateTime;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::reference_data::ReferenceCache;
use crate::viewer::{Citizen, Viewer};
use laporlapak_db::DbConnection;
use laporlapak_db::models::case::{Case, CaseStats};
use laporlapak_db::models::complaint::Complaint;
use laporlapak_domain::CaseStatus;
use laporlapak_domain::case::{PriorityInputs, priority};
use laporlapak_domain::i18n::Msg;

pub use evidence::add_evidence;
pub use public_status::{PublicAnswerView, PublicComplaintView, PublicEventView, public_status};
pub use submit::{
    BulkItemOutcome, BulkItemResult, MinistryFinding, SubmitOutcome, SubmitRequest, csv_results,
    open_ministry_case, parse_evidence_url, purge_expired_idempotency_keys, submit, submit_csv,
    submit_many,
};
pub use view::{
    ComplaintView, MessageView, PlatformComplaintView, RejectionView, ThreadRef, messages,
    rejection, timeline,
};
pub(crate) use view::{Loaded, Reader, load as load_complaints, load_one};
pub use withdraw::withdraw;

/// What a look-up by `code` matches: its keyed hash (and the code itself, for a row not yet
/// converted from before codes were hashed).
pub(crate) fn tracking_lookup(
    services: &Services,
    code: &laporlapak_domain::TrackingCode,
) -> ServiceResult<laporlapak_db::models::complaint::TrackingLookup> {
    Ok(laporlapak_db::models::complaint::TrackingLookup {
        hash: services.vault.tracking_code_index(code.as_str())?,
        code: code.as_str().to_owned(),
    })
}

pub const DESCRIPTION_MIN: usize = 20;
pub const DESCRIPTION_MAX: usize = 5_000;
pub const MAX_EVIDENCE_PER_REQUEST: usize = 10;
pub const MAX_EVIDENCE_PER_COMPLAINT: i64 = 30;

/// Recomputes a case's counts, flags and priority from its complaints that still count; returns
/// its status. Call with the case row locked (after a version bump or a transition).
pub fn refresh_case(
    conn: &mut DbConnection,
    cache: &ReferenceCache,
    case_id: i64,
) -> ServiceResult<CaseStatus> {
    let case = Case::find(conn, case_id)?.ok_or(ServiceError::NotFound)?;
    let counts = Case::reporter_counts(conn, case_id)?;
    let complaint_flags = Case::complaint_flags(conn, case_id)?;
    let flags = flag_set(complaint_flags.iter().map(String::as_str));
    let reference = cache.covering(conn, &[], &[case.category_id])?;
    let severity = reference
        .category(case.category_id)
        .map_or(1, |c| c.severity);
    let report_count = i32::try_from(counts.reporters).unwrap_or(i32::MAX);
    let umkm_report_count = i32::try_from(counts.umkm_reporters).unwrap_or(i32::MAX);
    Case::set_stats(
        conn,
        case_id,
        CaseStats {
            report_count,
            umkm_report_count,
            flags: &flags.join("\n"),
            priority: case_priority(
                report_count,
                umkm_report_count,
                severity,
                reference.flag_weight(&flags),
                SellerStanding {
                    flagger_boost: counts.flagger_boost,
                    ..SellerStanding::of(&case)
                },
            ),
            flagger_boost: counts.flagger_boost,
        },
    )?;
    Ok(case.status)
}

/// A case's flags: the distinct phrases of `lists` (each one phrase per line), sorted.
pub(crate) fn flag_set<'a>(lists: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut flags: Vec<&str> = lists
        .into_iter()
        .flat_map(str::lines)
        .filter(|flag| !flag.is_empty())
        .collect();
    flags.sort_unstable();
    flags.dedup();
    flags
}

/// The bounded boosts of a case's priority beside its counters: what its seller adds (the
/// confirmed seller's repeat-offender score, whether the case is a re-listing), and the largest
/// boost a trusted flagger's record gave its complaints.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SellerStanding {
    pub seller_score: i32,
    pub relisted: bool,
    pub flagger_boost: i32,
}

impl SellerStanding {
    pub(crate) fn of(case: &Case) -> Self {
        Self {
            seller_score: case.seller_score,
            relisted: case.relisted_from_id.is_some(),
            flagger_boost: case.flagger_boost,
        }
    }
}

/// A case's priority from its counters, its category's severity, what its flags weigh under the
/// current keyword rules (`ReferenceData::flag_weight`) and its seller.
pub(crate) fn case_priority(
    reporters: i32,
    umkm_reporters: i32,
    severity: i32,
    flag_weight: u32,
    standing: SellerStanding,
) -> i32 {
    priority(PriorityInputs {
        reporters: u32::try_from(reporters).unwrap_or(0),
        umkm_reporters: u32::try_from(umkm_reporters).unwrap_or(0),
        severity: u32::try_from(severity).unwrap_or(1),
        flags: flag_weight,
        seller_score: u32::try_from(standing.seller_score).unwrap_or(0),
        relisted: standing.relisted,
        flagger_boost: u32::try_from(standing.flagger_boost).unwrap_or(0),
    })
}

/// A page of the viewer's own complaints, newest first. Returns the page, whether more follow,
/// and the total.
pub async fn my_complaints(
    services: &Services,
    viewer: &Viewer,
    before_id: Option<i64>,
    first: i64,
) -> ServiceResult<(Vec<ComplaintView>, bool, i64)> {
    let account = viewer.citizen()?.account_id();
    let reference = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let mut page = Complaint::page_for_reporter(conn, account, before_id, first + 1)?;
            let has_more = crate::cut_page(&mut page, first);
            let total = Complaint::count_for_reporter(conn, account)?;
            let page = view::load(conn, &reference, page)?
                .into_iter()
                .map(|loaded| loaded.into_view(Reader::Reporter))
                .collect();
            Ok((page, has_more, total))
        })
        .await
}

/// A complaint by id: its reporter's view for its reporter, the staff view for reviewers and
/// admins; `None` when it does not exist or lies outside the viewer's scope (platforms read
/// complaints only through the cases forwarded to them).
pub async fn find_visible(
    services: &Services,
    viewer: &Viewer,
    complaint_id: i64,
) -> ServiceResult<Option<ComplaintView>> {
    let reader = match (viewer.citizen(), viewer.staff()) {
        (Ok(citizen), _) => (Reader::Reporter, Some(citizen.account_id())),
        (_, Some(_)) => (Reader::Staff, None),
        _ => return Ok(None),
    };
    let reference = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let found = Complaint::find(conn, complaint_id)?.filter(|complaint| match reader {
                (Reader::Reporter, own) => complaint.reporter_account_id == own,
                (Reader::Staff, _) => true,
            });
            match found {
                Some(complaint) => Ok(Some(
                    view::load_one(conn, &reference, complaint)?.into_view(reader.0),
                )),
                None => Ok(None),
            }
        })
        .await
}

/// The citizen's own complaint, locked with its case for a change; NOT_FOUND for anyone else's,
/// CONFLICT once withdrawn or once its case is final.
fn own_complaint_for_change(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    citizen: Citizen,
    complaint_id: i64,
) -> ServiceResult<(Complaint, Case)> {
    let complaint = Complaint::find(conn, complaint_id)?
        .filter(|c| c.reporter_account_id == Some(citizen.account_id()))
        .ok_or(ServiceError::NotFound)?;
    if complaint.withdrawn_at.is_some() {
        return Err(ServiceError::conflict(Msg::AlreadyWithdrawn));
    }
    let case = Case::find(conn, complaint.case_id)?.ok_or(ServiceError::NotFound)?;
    if !Case::lock_if_open(conn, case.id, now)? {
        return Err(ServiceError::Conflict {
            reason: Msg::CaseIsFinal {
                status: case.status,
            },
            current_status: Some(case.status),
        });
    }
    let case = Case::find(conn, case.id)?.ok_or(ServiceError::NotFound)?;
    Ok((complaint, case))
}

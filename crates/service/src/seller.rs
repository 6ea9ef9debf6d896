//! Sellers across platforms: the identifiers of a case, the cases suggested as the same seller
//! (sharing an identifier), a reviewer's confirmation or rejection of such a link (audited; a
//! rejected pair is not suggested again), the seller a confirmed link makes, and its record.
//!
//! A seller's **repeat-offender score** is `resolved takedowns + 2·re-listings + (platforms − 1)`;
//! it is kept on every case of the seller (`cases.seller_score`), for the queue's order and the
//! bounded priority boost (`domain::case::priority`), and recounted whenever one of its parts
//! changes: a confirmed link, a platform's answer to a request about one of its cases.
//!
//! Who sees what: reviewers and administrators see every identifier, suggestion and seller. A
//! platform sees, on a case forwarded to it, the identifiers found in what it already reads of
//! that case (listing URL, reported handle, description) and never a seller, a suggestion, a
//! reply's or a reviewer's identifier, nor anything found on another platform unless a reviewer
//! attached it to the takedown request (`forward_identifiers`).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::complaint::{SellerStanding, case_priority, flag_set};
use crate::error::{ServiceError, ServiceResult};
use crate::reference_data::ReferenceCache;
use crate::review::{PlatformCaseAccess, StaffCaseAccess, StaffCaseView, staff_views};
use crate::takedown::TakedownView;
use crate::viewer::Viewer;
use laporlapak_db::DbConnection;
use laporlapak_db::models::case::Case;
pub use laporlapak_db::models::seller::TakedownIdentifier;
use laporlapak_db::models::seller::{
    Seller, SellerIdentifier, SellerIdentifierInsertForm, SellerLink, SellerRecord,
};
use laporlapak_domain::AuditAction;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::seller::{self, IdentifierKind, IdentifierSource, LinkDecision};

/// Suggestions read at most this many identifier rows of other cases.
const SUGGESTION_ROWS: i64 = 500;

/// The sources a platform may see on a case forwarded to it: what it reads there anyway.
const PLATFORM_SOURCES: [IdentifierSource; 3] = [
    IdentifierSource::ListingUrl,
    IdentifierSource::AccountHandle,
    IdentifierSource::Description,
];

/// An identifier as staff and platforms see it.
#[derive(Debug, Clone)]
pub struct IdentifierView {
    pub id: i64,
    pub kind: IdentifierKind,
    pub value: String,
    pub source: IdentifierSource,
    /// The platform of the case it was found on.
    pub platform_id: i64,
    pub case_id: i64,
    pub found_at: NaiveDateTime,
}

impl From<SellerIdentifier> for IdentifierView {
    fn from(row: SellerIdentifier) -> Self {
        Self {
            id: row.id,
            kind: row.kind,
            value: row.value,
            source: row.source,
            platform_id: row.platform_id,
            case_id: row.case_id,
            found_at: row.created_at,
        }
    }
}

/// Each (kind, value) once, first sighting first (a case has each once; a seller's cases may share).
fn distinct(rows: Vec<SellerIdentifier>) -> Vec<IdentifierView> {
    let mut seen: Vec<(IdentifierKind, String)> = Vec::new();
    let mut views = Vec::new();
    for row in rows {
        let key = (row.kind, row.value.clone());
        if !seen.contains(&key) {
            seen.push(key);
            views.push(IdentifierView::from(row));
        }
    }
    views
}

/// Another case suggested as the same seller, with the identifiers they share.
#[derive(Debug, Clone)]
pub struct SuggestionView {
    pub case: StaffCaseView,
    pub shared: Vec<IdentifierView>,
}

/// What a seller's repeat-offender score is made of, and the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordView {
    pub score: i32,
    pub resolved_takedowns: i32,
    pub relistings: i32,
    pub platforms: i32,
}

impl From<SellerRecord> for RecordView {
    fn from(record: SellerRecord) -> Self {
        let clamp = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
        Self {
            score: score(record),
            resolved_takedowns: clamp(record.resolved_takedowns),
            relistings: clamp(record.relistings),
            platforms: clamp(record.platforms),
        }
    }
}

/// `resolved takedowns + 2·re-listings + (platforms − 1)`.
pub fn score(record: SellerRecord) -> i32 {
    let total = record.resolved_takedowns + 2 * record.relistings + (record.platforms - 1).max(0);
    i32::try_from(total).unwrap_or(i32::MAX)
}

/// A seller as reviewers and administrators see it.
#[derive(Debug, Clone)]
pub struct SellerView {
    pub id: i64,
    pub identifiers: Vec<IdentifierView>,
    /// Its cases, oldest first.
    pub cases: Vec<StaffCaseView>,
    /// The distinct platforms of its cases, in the order of its cases.
    pub platform_ids: Vec<i64>,
    pub first_seen_at: Option<NaiveDateTime>,
    pub last_seen_at: Option<NaiveDateTime>,
    pub record: RecordView,
    pub created_at: NaiveDateTime,
}

fn load_seller(
    conn: &mut DbConnection,
    cache: &ReferenceCache,
    id: i64,
) -> ServiceResult<Option<SellerView>> {
    let Some(seller) = Seller::find(conn, id)? else {
        return Ok(None);
    };
    let case_ids = Seller::case_ids(conn, id)?;
    // A seller whose cases all went to another (two sellers confirmed as one) is no more.
    if case_ids.is_empty() {
        return Ok(None);
    }
    let mut cases = Case::find_many(conn, &case_ids)?;
    cases.sort_by_key(|case| case.id);
    let mut platform_ids: Vec<i64> = Vec::new();
    for case in &cases {
        if !platform_ids.contains(&case.platform_id) {
            platform_ids.push(case.platform_id);
        }
    }
    let (first_seen_at, last_seen_at) = Seller::seen(conn, id)?;
    Ok(Some(SellerView {
        id,
        identifiers: distinct(SellerIdentifier::for_seller(conn, id)?),
        cases: staff_views(conn, cache, &cases)?,
        platform_ids,
        first_seen_at,
        last_seen_at,
        record: Seller::record(conn, id)?.into(),
        created_at: seller.created_at,
    }))
}

/// A seller by id: reviewers and administrators only; `None` for anyone else, as for a seller
/// that does not exist.
pub async fn find(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<Option<SellerView>> {
    if viewer.staff().is_none() {
        return Ok(None);
    }
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| load_seller(conn, &cache, id))
        .await
}

/// The seller id of a case, for staff.
pub async fn seller_of(services: &Services, access: StaffCaseAccess) -> ServiceResult<Option<i64>> {
    services
        .db
        .run(move |conn| Ok(Case::find(conn, access.case_id())?.and_then(|case| case.seller_id)))
        .await
}

/// Every identifier of the case (staff).
pub async fn staff_case_identifiers(
    services: &Services,
    access: StaffCaseAccess,
) -> ServiceResult<Vec<IdentifierView>> {
    services
        .db
        .run(move |conn| {
            Ok(distinct(SellerIdentifier::for_cases(
                conn,
                &[access.case_id()],
            )?))
        })
        .await
}

/// The case's identifiers found on the platform itself, in what it reads of the case anyway.
pub async fn platform_case_identifiers(
    services: &Services,
    access: PlatformCaseAccess,
) -> ServiceResult<Vec<IdentifierView>> {
    services
        .db
        .run(move |conn| {
            let rows = SellerIdentifier::for_cases(conn, &[access.case_id()])?
                .into_iter()
                .filter(|row| visible_to_platform(row, access.platform_id()))
                .collect();
            Ok(distinct(rows))
        })
        .await
}

fn visible_to_platform(row: &SellerIdentifier, platform_id: i64) -> bool {
    row.platform_id == platform_id && PLATFORM_SOURCES.contains(&row.source)
}

/// Other cases that share an identifier with this one and that no reviewer has decided on yet
/// (neither linked nor rejected, not already of the same seller), nearest case first.
pub async fn suggestions(
    services: &Services,
    access: StaffCaseAccess,
) -> ServiceResult<Vec<SuggestionView>> {
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let case_id = access.case_id();
            let Some(case) = Case::find(conn, case_id)? else {
                return Ok(Vec::new());
            };
            let own = SellerIdentifier::for_cases(conn, &[case_id])?;
            let mut values: Vec<String> = own.iter().map(|row| row.value.clone()).collect();
            values.sort_unstable();
            values.dedup();
            if values.is_empty() {
                return Ok(Vec::new());
            }
            let decided = SellerLink::decided_with(conn, case_id)?;
            let mut shared: BTreeMap<i64, Vec<SellerIdentifier>> = BTreeMap::new();
            for row in SellerIdentifier::sharing_values(conn, case_id, &values, SUGGESTION_ROWS)? {
                if !decided.contains(&row.case_id) {
                    shared.entry(row.case_id).or_default().push(row);
                }
            }
            let ids: Vec<i64> = shared.keys().copied().collect();
            let mut others = Case::find_many(conn, &ids)?;
            others.retain(|other| {
                other.merged_into_id.is_none()
                    && (case.seller_id.is_none() || other.seller_id != case.seller_id)
            });
            others.sort_by_key(|other| std::cmp::Reverse(other.id));
            let views = staff_views(conn, &cache, &others)?;
            Ok(views
                .into_iter()
                .map(|view| {
                    let rows = shared.remove(&view.facts.id).unwrap_or_default();
                    SuggestionView {
                        case: view,
                        shared: distinct(rows),
                    }
                })
                .collect())
        })
        .await
}

/// Both cases, or NOT_FOUND.
fn pair(conn: &mut DbConnection, a: i64, b: i64) -> ServiceResult<(Case, Case)> {
    if a == b {
        return Err(ServiceError::bad_input("otherCaseId", Msg::LinkToItself));
    }
    let first = Case::find(conn, a)?.ok_or(ServiceError::NotFound)?;
    let second = Case::find(conn, b)?.ok_or(ServiceError::NotFound)?;
    Ok((first, second))
}

/// Confirms that two cases are one seller: both join a seller (a new one, the one either is in
/// already, or — when each was in its own — the first's, which takes the other's cases). Audited on
/// both cases; the seller's record and its cases' priorities are recounted. Confirming a pair
/// already of one seller changes nothing. REVIEWER only.
pub async fn confirm_link(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    other_case_id: i64,
) -> ServiceResult<SellerView> {
    let me = viewer.reviewer()?.account_id();
    let viewer = viewer.clone();
    let cache = services.reference.clone();
    services
        .write(move |conn, now| {
            let (case, other) = pair(conn, case_id, other_case_id)?;
            let seller_id = match (case.seller_id, other.seller_id) {
                (Some(one), Some(two)) if one == two => {
                    return load_seller(conn, &cache, one)?.ok_or(ServiceError::NotFound);
                }
                (Some(one), Some(two)) => {
                    Seller::move_cases(conn, two, one)?;
                    one
                }
                (Some(one), None) => {
                    Seller::add_case(conn, one, other.id)?;
                    one
                }
                (None, Some(two)) => {
                    Seller::add_case(conn, two, case.id)?;
                    two
                }
                (None, None) => {
                    let id = Seller::insert(conn, now)?;
                    Seller::add_case(conn, id, case.id)?;
                    Seller::add_case(conn, id, other.id)?;
                    id
                }
            };
            Seller::touch(conn, seller_id, now)?;
            SellerLink::decide(conn, case.id, other.id, LinkDecision::Confirmed, me, now)?;
            for (this, that) in [(case.id, other.id), (other.id, case.id)] {
                let details = format!("same seller as case {that} (seller {seller_id})");
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(AuditAction::SellerLinkConfirmed, Subject::Case(this))
                        .in_case(this)
                        .details(&details),
                )?;
            }
            recount(conn, &cache, seller_id)?;
            crate::watchlist::seller_confirmed(conn, seller_id, now)?;
            load_seller(conn, &cache, seller_id)?.ok_or(ServiceError::NotFound)
        })
        .await
}

/// Records that two cases are not the same seller: the pair is not suggested again. Audited on
/// both cases. CONFLICT when a reviewer already confirmed them as one seller. REVIEWER only.
pub async fn reject_link(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    other_case_id: i64,
) -> ServiceResult<StaffCaseView> {
    let me = viewer.reviewer()?.account_id();
    let viewer = viewer.clone();
    let cache = services.reference.clone();
    services
        .write(move |conn, now| {
            let (case, other) = pair(conn, case_id, other_case_id)?;
            if case.seller_id.is_some() && case.seller_id == other.seller_id {
                return Err(ServiceError::Conflict {
                    reason: Msg::AlreadySameSeller,
                    current_status: None,
                });
            }
            SellerLink::decide(conn, case.id, other.id, LinkDecision::Rejected, me, now)?;
            for (this, that) in [(case.id, other.id), (other.id, case.id)] {
                let details = format!("not the same seller as case {that}");
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(AuditAction::SellerLinkRejected, Subject::Case(this))
                        .in_case(this)
                        .details(&details),
                )?;
            }
            let cases = [case];
            staff_views(conn, &cache, &cases)?
                .pop()
                .ok_or(ServiceError::NotFound)
        })
        .await
}

/// The kinds of identifier a reviewer may enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnteredKind {
    Phone,
    BankAccount,
}

/// A reviewer enters a phone number or a bank account for a case (bank accounts are never read
/// from complaints). Audited. REVIEWER only.
pub async fn add_identifier(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    kind: EnteredKind,
    raw: String,
) -> ServiceResult<IdentifierView> {
    let me = viewer.reviewer()?.account_id();
    let (kind, value) = match kind {
        EnteredKind::Phone => (IdentifierKind::Phone, seller::parse_phone(&raw)),
        EnteredKind::BankAccount => (
            IdentifierKind::BankAccount,
            seller::parse_bank_account(&raw),
        ),
    };
    let value = value.map_err(|reason| ServiceError::bad_input("value", reason))?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let case = Case::find(conn, case_id)?.ok_or(ServiceError::NotFound)?;
            let row = SellerIdentifier::insert(
                conn,
                &SellerIdentifierInsertForm {
                    case_id: case.id,
                    complaint_id: None,
                    platform_id: case.platform_id,
                    kind,
                    value: &value,
                    source: IdentifierSource::Reviewer,
                    added_by: Some(me),
                    created_at: now,
                },
            )?;
            let details = format!("{kind} {value}");
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(AuditAction::SellerIdentifierAdded, Subject::Case(case.id))
                    .in_case(case.id)
                    .details(&details),
            )?;
            Ok(IdentifierView::from(row))
        })
        .await
}

/// Recounts a seller's record and sets its score and the priority it gives on every case of the
/// seller. Call inside the transaction that changed the record.
pub(crate) fn recount(
    conn: &mut DbConnection,
    cache: &ReferenceCache,
    seller_id: i64,
) -> ServiceResult<()> {
    let seller_score = score(Seller::record(conn, seller_id)?);
    let case_ids = Seller::case_ids(conn, seller_id)?;
    let cases = Case::find_many(conn, &case_ids)?;
    let category_ids: Vec<i64> = cases.iter().map(|case| case.category_id).collect();
    let reference = cache.covering(conn, &[], &category_ids)?;
    for case in cases {
        let severity = reference
            .category(case.category_id)
            .map_or(1, |category| category.severity);
        let flags = flag_set(std::iter::once(case.flags.as_str()));
        let priority = case_priority(
            case.report_count,
            case.umkm_report_count,
            severity,
            reference.flag_weight(&flags),
            SellerStanding {
                seller_score,
                ..SellerStanding::of(&case)
            },
        );
        Case::set_seller_standing(conn, case.id, seller_score, priority)?;
    }
    Ok(())
}

/// What a new takedown request tells its platform about the seller: the identifiers found on
/// that platform in the case (and, for a confirmed seller, in its other cases there), plus those a
/// reviewer attaches deliberately — any identifier of the case or its seller, each by id; one of
/// neither is BAD_USER_INPUT on `input.attachIdentifiers[i]`. Returns the rows to store with the
/// request, and the attached values for the audit trail.
pub(crate) fn forward_identifiers(
    conn: &mut DbConnection,
    case: &Case,
    request_id: i64,
    attach: &[i64],
) -> ServiceResult<(Vec<TakedownIdentifier>, Vec<String>)> {
    let mut known = match case.seller_id {
        Some(seller_id) => SellerIdentifier::for_seller(conn, seller_id)?,
        None => SellerIdentifier::for_cases(conn, &[case.id])?,
    };
    // The case's own identifiers, also when a seller's list would not have them (a merged case).
    if case.seller_id.is_some() {
        known.extend(SellerIdentifier::for_cases(conn, &[case.id])?);
    }
    let mut rows: Vec<TakedownIdentifier> = Vec::new();
    let push = |rows: &mut Vec<TakedownIdentifier>, row: &SellerIdentifier, attached: bool| {
        if !rows
            .iter()
            .any(|known| known.kind == row.kind && known.value == row.value)
        {
            rows.push(TakedownIdentifier {
                takedown_request_id: request_id,
                kind: row.kind,
                value: row.value.clone(),
                attached,
            });
        }
    };
    for row in known
        .iter()
        .filter(|row| visible_to_platform(row, case.platform_id))
    {
        push(&mut rows, row, false);
    }
    let mut attached_values = Vec::new();
    for (index, id) in attach.iter().enumerate() {
        let row = known.iter().find(|row| row.id == *id).ok_or_else(|| {
            ServiceError::bad_input(
                format!("input.attachIdentifiers[{index}]"),
                Msg::IdentifierNotOfCase,
            )
        })?;
        let before = rows.len();
        push(&mut rows, row, true);
        if rows.len() > before {
            attached_values.push(format!("{} {}", row.kind, row.value));
        }
    }
    Ok((rows, attached_values))
}

/// What a takedown request told its platform about the seller.
pub async fn takedown_identifiers(
    services: &Services,
    request: &TakedownView,
) -> ServiceResult<Vec<TakedownIdentifier>> {
    let id = request.id;
    services
        .db
        .run(move |conn| Ok(TakedownIdentifier::for_request(conn, id)?))
        .await
}

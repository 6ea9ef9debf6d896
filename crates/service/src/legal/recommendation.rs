//! Recommendations to Komdigi and its decisions: `recommend` (a reviewer), `issue_order` and
//! `decline` (the regulator), and the regulator's view of them.

use chrono::NaiveDateTime;

use super::{batch_size, letter_date, line, reasons};
use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::review::conflict_with;
use crate::takedown::TakedownView;
use crate::viewer::Viewer;
use crate::webhook::outbox::{self, EventType};
use laporlapak_db::DbConnection;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::category::Category;
use laporlapak_db::models::platform::Platform;
use laporlapak_db::models::recommendation::{Recommendation, RecommendationInsertForm};
use laporlapak_db::models::seller::TakedownIdentifier;
use laporlapak_db::models::takedown_request::{TakedownRequest, TakedownRequestInsertForm};
use laporlapak_domain::case::{self as rules, Transition};
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{
    AuditAction, Authority, CaseStatus, RecommendationStatus, TakedownKind, TakedownStatus, Urgency,
};

pub struct RecommendRequest {
    pub case_ids: Vec<i64>,
    /// The ministry's letter to Komdigi.
    pub letter_number: String,
    pub legal_basis: String,
    pub reasons: String,
    /// The urgency the ministry asks for; URGENT only for categories on the urgent track.
    pub urgency: Urgency,
    /// Evidence URLs of the cases the regulator may see.
    pub shared_evidence: Vec<String>,
}

pub struct OrderRequest {
    pub order_number: String,
    /// `yyyy-mm-dd`.
    pub order_date: String,
    /// The article the order rests on (e.g. "Pasal 15 ayat (1) Permenkominfo 5/2020").
    pub article: String,
    /// Defaults to the recommendation's.
    pub urgency: Option<Urgency>,
}

/// A recommendation as the regulator and the ministry's staff see it: no complaint, no reporter.
#[derive(Debug, Clone)]
pub struct RecommendationView {
    pub id: i64,
    pub letter_number: String,
    pub legal_basis: String,
    pub reasons: String,
    pub urgency: Urgency,
    pub status: RecommendationStatus,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_reasons: Option<String>,
    pub cases: Vec<RecommendedCaseView>,
}

/// One recommended case: what it is about, and the order issued for it.
#[derive(Debug, Clone)]
pub struct RecommendedCaseView {
    pub case_id: i64,
    pub platform_id: i64,
    pub category_id: i64,
    /// The canonical URL of the listing or account.
    pub target: String,
    pub status: CaseStatus,
    /// The evidence URLs the reviewer shared with the regulator.
    pub shared_evidence: Vec<String>,
    pub order: Option<TakedownView>,
}

/// Who may read recommendations: the regulator, and the ministry's reviewers and admins.
fn may_read(viewer: &Viewer) -> ServiceResult<()> {
    match (viewer.regulator(), viewer.staff()) {
        (Ok(_), _) | (_, Some(_)) => Ok(()),
        (Err(refused), None) => Err(refused),
    }
}

pub(super) fn view(
    conn: &mut DbConnection,
    row: Recommendation,
    now: NaiveDateTime,
) -> ServiceResult<RecommendationView> {
    let evidence = Recommendation::evidence(conn, row.id)?;
    let mut cases = Vec::new();
    for recommended in Recommendation::cases(conn, row.id)? {
        let case = Case::find(conn, recommended.case_id)?
            .ok_or(ServiceError::invariant("a recommended case exists"))?;
        let order = match recommended.takedown_request_id {
            Some(id) => TakedownRequest::find(conn, id)?.map(|r| TakedownView::new(r, now)),
            None => None,
        };
        cases.push(RecommendedCaseView {
            case_id: case.id,
            platform_id: case.platform_id,
            category_id: case.category_id,
            target: case.target,
            status: case.status,
            shared_evidence: evidence
                .iter()
                .filter(|(case_id, _)| *case_id == recommended.case_id)
                .map(|(_, url)| url.clone())
                .collect(),
            order,
        });
    }
    Ok(RecommendationView {
        id: row.id,
        letter_number: row.letter_number,
        legal_basis: row.legal_basis,
        reasons: row.reasons,
        urgency: row.urgency,
        status: row.status,
        created_at: row.created_at,
        decided_at: row.decided_at,
        decision_reasons: row.decision_reasons,
        cases,
    })
}

/// URGENT is refused outside the categories on the statutory urgent track.
fn check_urgency(conn: &mut DbConnection, case: &Case, urgency: Urgency) -> ServiceResult<()> {
    if urgency == Urgency::Normal {
        return Ok(());
    }
    let category = Category::find(conn, case.category_id)?.ok_or(ServiceError::NotFound)?;
    if category.urgent_track {
        Ok(())
    } else {
        Err(ServiceError::bad_input(
            "input.urgency",
            Msg::UrgentTrackNotAllowed,
        ))
    }
}

/// `recommendOrder`: one letter to Komdigi for 1 to 100 cases, each IN_REVIEW (claimed by the
/// caller), FORWARDED or PLATFORM_DECLINED; they go to ESCALATED (escalated to KOMDIGI) in one
/// transaction, or none does.
pub async fn recommend(
    services: &Services,
    viewer: &Viewer,
    request: RecommendRequest,
) -> ServiceResult<RecommendationView> {
    let reviewer = viewer.reviewer()?;
    let me = reviewer.account_id();
    batch_size(request.case_ids.len(), "input.caseIds")?;
    let mut seen = std::collections::HashSet::new();
    for (index, id) in request.case_ids.iter().enumerate() {
        if !seen.insert(*id) {
            return Err(ServiceError::bad_input(
                format!("input.caseIds[{index}]"),
                Msg::DuplicateInBatch,
            ));
        }
    }
    let letter_number = line(&request.letter_number, "input.letterNumber", 100)?;
    let legal_basis = reasons(&request.legal_basis, "input.legalBasis")?;
    let why = reasons(&request.reasons, "input.reasons")?;
    if request.shared_evidence.len() > super::BATCH_MAX {
        return Err(ServiceError::bad_input(
            "input.sharedEvidence",
            Msg::TooMany {
                max: super::BATCH_MAX,
            },
        ));
    }
    let urgency = request.urgency;
    let case_ids = request.case_ids;
    let shared = request.shared_evidence;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let rule = Transition::Recommend.rule();
            let mut cases = Vec::with_capacity(case_ids.len());
            for id in &case_ids {
                let case = Case::find(conn, *id)?.ok_or(ServiceError::NotFound)?;
                if !rule.from.contains(&case.status) {
                    return Err(conflict_with(case.status));
                }
                if rules::claimed_by_another(case.status, case.assignee_id, me) {
                    return Err(ServiceError::Conflict {
                        reason: Msg::ClaimedByAnother,
                        current_status: Some(case.status),
                    });
                }
                check_urgency(conn, &case, urgency)?;
                cases.push(case);
            }
            let id = Recommendation::insert(
                conn,
                &RecommendationInsertForm {
                    letter_number: &letter_number,
                    legal_basis: &legal_basis,
                    reasons: &why,
                    urgency,
                    status: RecommendationStatus::Pending,
                    created_by: me,
                    created_at: now,
                },
            )?;
            let mut evidence_of = Vec::new();
            for case in &cases {
                evidence_of.push((case.id, Case::evidence_urls(conn, case.id)?));
            }
            for (index, url) in shared.iter().enumerate() {
                let url = url.trim();
                let owner = evidence_of
                    .iter()
                    .find(|(_, urls)| urls.iter().any(|u| u == url))
                    .map(|(case_id, _)| *case_id)
                    .ok_or_else(|| {
                        ServiceError::bad_input(
                            format!("input.sharedEvidence[{index}]"),
                            Msg::EvidenceNotOfCase,
                        )
                    })?;
                if !Recommendation::evidence(conn, id)?
                    .iter()
                    .any(|(c, u)| *c == owner && u == url)
                {
                    Recommendation::add_evidence(conn, id, owner, url)?;
                }
            }
            let details = format!("{letter_number} ({urgency})");
            for case in &cases {
                Recommendation::add_case(conn, id, case.id)?;
                if !Case::transition(conn, case.id, case.version, case.status, rule.to, now)? {
                    let current = Case::find(conn, case.id)?.map_or(case.status, |c| c.status);
                    return Err(conflict_with(current));
                }
                Case::set_escalated_to(conn, case.id, Authority::Komdigi)?;
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(rule.action, Subject::Case(case.id))
                        .in_case(case.id)
                        .status(rule.to)
                        .details(&details),
                )?;
            }
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(AuditAction::CaseRecommended, Subject::Recommendation(id))
                    .details(&details),
            )?;
            let row = Recommendation::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            view(conn, row, now)
        })
        .await
}

/// A pending recommendation for the regulator to decide; CONFLICT once decided.
fn pending(conn: &mut DbConnection, id: i64) -> ServiceResult<Recommendation> {
    let row = Recommendation::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    if row.status != RecommendationStatus::Pending {
        return Err(ServiceError::Conflict {
            reason: Msg::RecommendationAlreadyDecided,
            current_status: None,
        });
    }
    Ok(row)
}

/// `issueOrder`: Komdigi orders access terminated for every case of the recommendation: one
/// ORDER request per case to its platform, due after the statutory hours from now (receipt:
/// the request reaches the platform through this API and its webhooks at once), each case
/// ESCALATED → FORWARDED.
pub async fn issue_order(
    services: &Services,
    viewer: &Viewer,
    recommendation_id: i64,
    order: OrderRequest,
) -> ServiceResult<RecommendationView> {
    let regulator = viewer.regulator()?;
    let me = regulator.account_id();
    let number = line(&order.order_number, "input.orderNumber", 100)?;
    let article = line(&order.article, "input.article", 500)?;
    let date = letter_date(&order.order_date, "input.orderDate", services.clock.now())?;
    let viewer = viewer.clone();
    let outcome = services
        .write(move |conn, now| {
            let row = pending(conn, recommendation_id)?;
            let urgency = order.urgency.unwrap_or(row.urgency);
            let rule = Transition::Order.rule();
            let hours = TakedownKind::Order
                .statutory_hours(urgency)
                .ok_or(ServiceError::invariant("an order has statutory hours"))?;
            let due_at = now + chrono::Duration::hours(hours);
            let cases = Recommendation::cases(conn, row.id)?;
            for recommended in &cases {
                let case = Case::find(conn, recommended.case_id)?.ok_or(ServiceError::NotFound)?;
                check_urgency(conn, &case, urgency)?;
                if !rule.from.contains(&case.status) {
                    return Err(conflict_with(case.status));
                }
                if !Case::transition(conn, case.id, case.version, case.status, rule.to, now)? {
                    let current = Case::find(conn, case.id)?.map_or(case.status, |c| c.status);
                    return Err(conflict_with(current));
                }
                let platform =
                    Platform::find(conn, case.platform_id)?.ok_or(ServiceError::NotFound)?;
                let relisting_of_id = match case.relisted_from_id {
                    Some(earlier) => Case::last_removal(conn, earlier)?,
                    None => None,
                };
                let request_id = TakedownRequest::insert(
                    conn,
                    &TakedownRequestInsertForm {
                        case_id: case.id,
                        platform_id: platform.id,
                        legal_basis: &row.legal_basis,
                        urgency,
                        note: None,
                        status: TakedownStatus::Pending,
                        issued_by: me,
                        issued_at: now,
                        due_at,
                        updated_at: now,
                        remind_at: Some(now + (due_at - now) / 2),
                        relisting_of_id,
                        kind: TakedownKind::Order,
                        order_number: Some(&number),
                        order_date: Some(&date),
                        order_article: Some(&article),
                    },
                )?;
                let (identifiers, _) =
                    crate::seller::forward_identifiers(conn, &case, request_id, &[])?;
                TakedownIdentifier::insert_many(conn, &identifiers)?;
                Recommendation::set_order(conn, row.id, case.id, request_id)?;
                Case::set_takedown_due_at(conn, case.id, Some(due_at))?;
                let details = format!("{number} {date} {article} ({urgency})");
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(rule.action, Subject::TakedownRequest(request_id))
                        .in_case(case.id)
                        .status(rule.to)
                        .details(&details),
                )?;
                let request =
                    TakedownRequest::find(conn, request_id)?.ok_or(ServiceError::NotFound)?;
                outbox::takedown_event(
                    conn,
                    EventType::TakedownRequestIssued,
                    &TakedownView::new(request, now),
                    &platform.slug,
                    &case.target,
                    now,
                )?;
            }
            if !Recommendation::decide(conn, row.id, RecommendationStatus::Ordered, me, None, now)?
            {
                return Err(ServiceError::Conflict {
                    reason: Msg::RecommendationAlreadyDecided,
                    current_status: None,
                });
            }
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(AuditAction::CaseOrdered, Subject::Recommendation(row.id))
                    .details(&number),
            )?;
            let row = Recommendation::find(conn, row.id)?.ok_or(ServiceError::NotFound)?;
            view(conn, row, now)
        })
        .await?;
    services.webhooks.wake.notify_one();
    Ok(outcome)
}

/// `declineRecommendation`: Komdigi declines, with reasons; each case still ESCALATED goes back
/// to review (IN_REVIEW, with its reviewer).
pub async fn decline(
    services: &Services,
    viewer: &Viewer,
    recommendation_id: i64,
    why: &str,
) -> ServiceResult<RecommendationView> {
    let regulator = viewer.regulator()?;
    let me = regulator.account_id();
    let why = reasons(why, "reasons")?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let row = pending(conn, recommendation_id)?;
            if !Recommendation::decide(
                conn,
                row.id,
                RecommendationStatus::Declined,
                me,
                Some(&why),
                now,
            )? {
                return Err(ServiceError::Conflict {
                    reason: Msg::RecommendationAlreadyDecided,
                    current_status: None,
                });
            }
            let rule = Transition::RegulatorDeclines.rule();
            for recommended in Recommendation::cases(conn, row.id)? {
                let case = Case::find(conn, recommended.case_id)?.ok_or(ServiceError::NotFound)?;
                // A case a reviewer closed meanwhile stays closed.
                if rule.from.contains(&case.status)
                    && Case::transition(conn, case.id, case.version, case.status, rule.to, now)?
                {
                    audit::record(
                        conn,
                        now,
                        Actor::Viewer(&viewer),
                        NewEvent::new(rule.action, Subject::Case(case.id))
                            .in_case(case.id)
                            .status(rule.to)
                            .details(&why),
                    )?;
                }
            }
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::CaseRecommendationDeclined,
                    Subject::Recommendation(row.id),
                )
                .details(&why),
            )?;
            let row = Recommendation::find(conn, row.id)?.ok_or(ServiceError::NotFound)?;
            view(conn, row, now)
        })
        .await
}

/// The regulator's queue (and the ministry's record): recommendations oldest first.
pub async fn recommendations(
    services: &Services,
    viewer: &Viewer,
    status: Option<RecommendationStatus>,
    after_id: Option<i64>,
    first: i64,
) -> ServiceResult<(Vec<RecommendationView>, bool)> {
    may_read(viewer)?;
    let now = services.clock.now();
    services
        .db
        .run(move |conn| {
            let mut page = Recommendation::page(conn, status, after_id, first + 1)?;
            let has_more = crate::cut_page(&mut page, first);
            let mut views = Vec::with_capacity(page.len());
            for row in page {
                views.push(view(conn, row, now)?);
            }
            Ok((views, has_more))
        })
        .await
}

/// One recommendation, for the regulator and staff; `None` for anyone else.
pub async fn find_recommendation(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<Option<RecommendationView>> {
    if may_read(viewer).is_err() {
        return Ok(None);
    }
    let now = services.clock.now();
    services
        .db
        .run(move |conn| match Recommendation::find(conn, id)? {
            Some(row) => Ok(Some(view(conn, row, now)?)),
            None => Ok(None),
        })
        .await
}

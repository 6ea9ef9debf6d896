//! The platform desk: takedown requests as a platform representative sees and answers them.
//!
//! A representative's scope is its token's platform, re-read from its account on every request,
//! never an argument: a request of another platform answers exactly as a nonexistent one does.

use chrono::NaiveDateTime;

use crate::db::DbConnection;
use crate::db::models::case::Case;
use crate::db::models::takedown_request::TakedownRequest;
use crate::domain::{AuditAction, CaseStatus, TakedownAction, TakedownStatus, Urgency, text};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Msg;
use crate::service::Services;
use crate::service::audit::{self, Actor, NewEvent, Subject};
use crate::service::viewer::{PlatformRep, Viewer};

pub const REASONS_MIN: usize = 20;
pub const REASONS_MAX: usize = 5_000;
/// Clock skew tolerated on a platform's `actedAt`.
const FUTURE_LEEWAY_SECONDS: i64 = 60;

pub struct Answer {
    pub action: TakedownAction,
    pub statement_of_reasons: String,
    pub acted_at: Option<NaiveDateTime>,
}

/// A takedown request as its platform and the ministry's staff see it (it holds nothing about
/// any reporter).
#[derive(Debug, Clone)]
pub struct TakedownView {
    pub id: i64,
    pub case_id: i64,
    pub platform_id: i64,
    pub legal_basis: String,
    pub urgency: Urgency,
    /// The reviewer's note to the platform.
    pub note: Option<String>,
    pub status: TakedownStatus,
    pub issued_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub responded_at: Option<NaiveDateTime>,
    pub action: Option<TakedownAction>,
    pub statement_of_reasons: Option<String>,
    pub acted_at: Option<NaiveDateTime>,
    /// Unanswered past `due_at` at the time of reading, or answered after it.
    pub overdue: bool,
    /// The earlier request whose removal this case re-lists.
    pub relisting_of_id: Option<i64>,
}

impl TakedownView {
    pub(in crate::service) fn new(row: TakedownRequest, now: NaiveDateTime) -> Self {
        let overdue = match row.responded_at {
            Some(responded) => responded > row.due_at,
            None => now > row.due_at,
        };
        Self {
            id: row.id,
            case_id: row.case_id,
            platform_id: row.platform_id,
            legal_basis: row.legal_basis,
            urgency: row.urgency,
            note: row.note,
            status: row.status,
            issued_at: row.issued_at,
            due_at: row.due_at,
            acknowledged_at: row.acknowledged_at,
            responded_at: row.responded_at,
            action: row.action,
            statement_of_reasons: row.statement_of_reasons,
            acted_at: row.acted_at,
            overdue,
            relisting_of_id: row.relisting_of_id,
        }
    }
}

/// Whose requests the viewer reads: a representative its own platform's, staff every platform's.
#[derive(Debug, Clone, Copy)]
enum Reader {
    Platform(PlatformRep),
    Staff,
}

fn reader(viewer: &Viewer) -> ServiceResult<Reader> {
    match (viewer.platform_rep(), viewer.staff()) {
        (Ok(rep), _) => Ok(Reader::Platform(rep)),
        (_, Some(_)) => Ok(Reader::Staff),
        (Err(refused), None) => Err(refused),
    }
}

impl Reader {
    fn may_read(self, request: &TakedownRequest) -> bool {
        match self {
            Self::Platform(rep) => request.platform_id == rep.platform_id(),
            Self::Staff => true,
        }
    }
}

/// A page of takedown requests, oldest due first.
pub async fn list(
    services: &Services,
    viewer: &Viewer,
    status: Option<TakedownStatus>,
    platform_slug: Option<String>,
    after: Option<(NaiveDateTime, i64)>,
    first: i64,
) -> ServiceResult<(Vec<TakedownView>, bool)> {
    let reader = reader(viewer)?;
    let now = services.clock.now();
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let platform_id = match (reader, platform_slug) {
                (Reader::Platform(rep), None) => Some(rep.platform_id()),
                (Reader::Platform(rep), Some(slug)) => {
                    // Its own platform is always known; any other slug shows nothing.
                    let asked = cache.get().platform_by_slug(&slug).map(|p| p.platform.id);
                    if asked != Some(rep.platform_id()) {
                        return Ok((Vec::new(), false));
                    }
                    Some(rep.platform_id())
                }
                (Reader::Staff, Some(slug)) => {
                    let slug = slug.to_lowercase();
                    Some(
                        cache
                            .find_named(conn, |data| {
                                data.platform_by_slug(&slug).map(|p| p.platform.id)
                            })?
                            .ok_or_else(|| {
                                ServiceError::bad_input("platform", Msg::UnknownPlatform)
                            })?,
                    )
                }
                (Reader::Staff, None) => None,
            };
            let mut page = TakedownRequest::page(conn, platform_id, status, after, first + 1)?;
            let has_more = page.len() > usize::try_from(first).unwrap_or(usize::MAX);
            page.truncate(usize::try_from(first).unwrap_or(0));
            let page = page
                .into_iter()
                .map(|row| TakedownView::new(row, now))
                .collect();
            Ok((page, has_more))
        })
        .await
}

pub async fn find_visible(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<Option<TakedownView>> {
    let Ok(reader) = reader(viewer) else {
        return Ok(None);
    };
    let now = services.clock.now();
    services
        .db
        .run(move |conn| {
            Ok(TakedownRequest::find(conn, id)?
                .filter(|r| reader.may_read(r))
                .map(|row| TakedownView::new(row, now)))
        })
        .await
}

/// The request `id` if it was sent to the representative's platform; NOT_FOUND otherwise.
fn own_request(
    conn: &mut DbConnection,
    rep: PlatformRep,
    id: i64,
) -> ServiceResult<TakedownRequest> {
    TakedownRequest::find(conn, id)?
        .filter(|r| r.platform_id == rep.platform_id())
        .ok_or(ServiceError::NotFound)
}

/// Records that the platform received the request. Idempotent: a second call changes nothing.
pub async fn acknowledge(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<TakedownView> {
    let rep = viewer.platform_rep()?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let request = own_request(conn, rep, id)?;
            if TakedownRequest::acknowledge(conn, request.id, now)? {
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(
                        AuditAction::TakedownAcknowledged,
                        Subject::TakedownRequest(request.id),
                    )
                    .in_case(request.case_id),
                )?;
            }
            let row = TakedownRequest::find(conn, request.id)?.ok_or(ServiceError::NotFound)?;
            Ok(TakedownView::new(row, now))
        })
        .await
}

/// The platform's answer: once per request. A removal resolves the case, a refusal moves it to
/// PLATFORM_DECLINED (where a reviewer may escalate it), a request for more information sends it
/// back to review with the platform's statement on the timeline. Late answers are accepted and
/// recorded as late.
pub async fn respond(
    services: &Services,
    viewer: &Viewer,
    id: i64,
    answer: Answer,
) -> ServiceResult<TakedownView> {
    let rep = viewer.platform_rep()?;
    let reasons = text::multi_line(&answer.statement_of_reasons, REASONS_MIN, REASONS_MAX)
        .map_err(|reason| ServiceError::bad_input("input.statementOfReasons", reason))?;
    let now = services.clock.now();
    if let Some(acted_at) = answer.acted_at
        && acted_at > now + chrono::Duration::seconds(FUTURE_LEEWAY_SECONDS)
    {
        return Err(ServiceError::bad_input("input.actedAt", Msg::ActedInFuture));
    }
    let viewer = viewer.clone();
    let cache = services.reference.clone();
    services
        .write(move |conn, at| {
            let request = own_request(conn, rep, id)?;
            let acted_at = answer.acted_at.unwrap_or(at).min(at);
            if acted_at < request.issued_at {
                return Err(ServiceError::bad_input(
                    "input.actedAt",
                    Msg::ActedBeforeIssued,
                ));
            }
            if !TakedownRequest::answer(conn, request.id, answer.action, &reasons, acted_at, at)? {
                return Err(ServiceError::Conflict {
                    reason: Msg::AlreadyAnswered,
                    current_status: None,
                });
            }
            let late = at > request.due_at;
            let details = format!(
                "{}{}: {reasons}",
                answer.action.as_str(),
                if late { " (late)" } else { "" }
            );
            audit::record(
                conn,
                at,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::TakedownAnswered,
                    Subject::TakedownRequest(request.id),
                )
                .in_case(request.case_id)
                .details(&details),
            )?;
            let case = Case::find(conn, request.case_id)?.ok_or(ServiceError::NotFound)?;
            Case::set_takedown_due_at(conn, case.id, None)?;
            let to = answer.action.case_status();
            // A case a reviewer already moved on (closed, say) keeps its status; the answer is
            // still recorded and counted.
            if case.status == CaseStatus::Forwarded
                && Case::transition(conn, case.id, case.version, CaseStatus::Forwarded, to, at)?
            {
                let action = match answer.action {
                    TakedownAction::Removed
                    | TakedownAction::Restricted
                    | TakedownAction::GeoBlocked => AuditAction::CaseResolved,
                    TakedownAction::Declined => AuditAction::CasePlatformDeclined,
                    TakedownAction::NeedsMoreInfo => AuditAction::CasePlatformNeedsMoreInfo,
                };
                audit::record(
                    conn,
                    at,
                    Actor::Viewer(&viewer),
                    NewEvent::new(action, Subject::Case(case.id))
                        .in_case(case.id)
                        .status(to)
                        .details(&details),
                )?;
            }
            // A removal counts in the record of the case's seller.
            if let Some(seller_id) = case.seller_id {
                crate::service::seller::recount(conn, &cache, seller_id)?;
            }
            let row = TakedownRequest::find(conn, request.id)?.ok_or(ServiceError::NotFound)?;
            Ok(TakedownView::new(row, at))
        })
        .await
}

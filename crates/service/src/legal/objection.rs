//! Objections (sanggah): a platform contests a notice or an order before its deadline
//! (`object`); the clock stops until the regulator (orders) or a reviewer (notices) decides
//! (`decide_objection`): upheld withdraws the request, rejected restarts the clock where it
//! stopped (the deadline moves on by the paused time).

use chrono::NaiveDateTime;

use super::reasons;
use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::takedown::{TakedownView, own_request};
use crate::viewer::Viewer;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::objection::Objection;
use laporlapak_db::models::takedown_request::TakedownRequest;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{AuditAction, ObjectionStatus, TakedownKind};

#[derive(Debug, Clone)]
pub struct ObjectionView {
    pub id: i64,
    pub takedown_request_id: i64,
    /// The kind of the request objected to: who decides.
    pub kind: TakedownKind,
    pub platform_id: i64,
    pub reasons: String,
    pub filed_at: NaiveDateTime,
    pub status: ObjectionStatus,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_reasons: Option<String>,
}

fn view(row: Objection, request: &TakedownRequest) -> ObjectionView {
    ObjectionView {
        id: row.id,
        takedown_request_id: row.takedown_request_id,
        kind: request.kind,
        platform_id: request.platform_id,
        reasons: row.reasons,
        filed_at: row.filed_at,
        status: row.status,
        decided_at: row.decided_at,
        decision_reasons: row.decision_reasons,
    }
}

fn conflict(reason: Msg) -> ServiceError {
    ServiceError::Conflict {
        reason,
        current_status: None,
    }
}

/// `objectToTakedownRequest`: the platform the request went to, before its deadline, while it
/// is unanswered, standing and not already objected to.
pub async fn object(
    services: &Services,
    viewer: &Viewer,
    request_id: i64,
    why: &str,
) -> ServiceResult<TakedownView> {
    let rep = viewer.platform_rep()?;
    let why = reasons(why, "reasons")?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let request = own_request(conn, rep, request_id)?;
            if request.withdrawn_at.is_some() {
                return Err(conflict(Msg::RequestWithdrawn));
            }
            if request.responded_at.is_some() {
                return Err(conflict(Msg::AlreadyAnswered));
            }
            if request.paused_at.is_some() {
                return Err(conflict(Msg::ObjectionAlreadyPending));
            }
            if now > request.due_at {
                return Err(conflict(Msg::ObjectionAfterDeadline));
            }
            if !TakedownRequest::pause(conn, request.id, now)? {
                return Err(conflict(Msg::ObjectionAlreadyPending));
            }
            let id = Objection::insert(conn, request.id, &why, now)?;
            // The case's deadline (the queue's overdue filter) waits with the request.
            Case::set_takedown_due_at(conn, request.case_id, None)?;
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(AuditAction::TakedownObjected, Subject::Objection(id))
                    .in_case(request.case_id)
                    .details(&format!("{} {}: {why}", request.kind, request.id)),
            )?;
            let row = TakedownRequest::find(conn, request.id)?.ok_or(ServiceError::NotFound)?;
            Ok(TakedownView::new(row, now))
        })
        .await
}

/// Who decides an objection: the regulator for orders, a reviewer for notices.
#[derive(Clone, Copy)]
enum Decider {
    Regulator(i64),
    Reviewer(i64),
}

impl Decider {
    fn of(viewer: &Viewer) -> ServiceResult<Self> {
        match (viewer.regulator(), viewer.reviewer()) {
            (Ok(regulator), _) => Ok(Self::Regulator(regulator.account_id())),
            (_, Ok(reviewer)) => Ok(Self::Reviewer(reviewer.account_id())),
            (Err(refused), Err(_)) => Err(refused),
        }
    }

    fn decides(self, kind: TakedownKind) -> bool {
        matches!(
            (self, kind),
            (Self::Regulator(_), TakedownKind::Order) | (Self::Reviewer(_), TakedownKind::Notice)
        )
    }

    fn account_id(self) -> i64 {
        match self {
            Self::Regulator(id) | Self::Reviewer(id) => id,
        }
    }
}

/// `decideObjection`. An objection the caller does not decide (a reviewer and an order's, the
/// regulator and a notice's) answers NOT_FOUND.
pub async fn decide_objection(
    services: &Services,
    viewer: &Viewer,
    objection_id: i64,
    upheld: bool,
    why: &str,
) -> ServiceResult<ObjectionView> {
    let decider = Decider::of(viewer)?;
    let why = reasons(why, "reasons")?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let objection = Objection::find(conn, objection_id)?.ok_or(ServiceError::NotFound)?;
            let request = TakedownRequest::find(conn, objection.takedown_request_id)?
                .ok_or(ServiceError::NotFound)?;
            if !decider.decides(request.kind) {
                return Err(ServiceError::NotFound);
            }
            let status = if upheld {
                ObjectionStatus::Upheld
            } else {
                ObjectionStatus::Rejected
            };
            if !Objection::decide(conn, objection.id, status, decider.account_id(), &why, now)? {
                return Err(conflict(Msg::ObjectionAlreadyDecided));
            }
            let details = if upheld {
                TakedownRequest::withdraw(conn, request.id, now)?;
                Case::set_takedown_due_at(conn, request.case_id, None)?;
                format!("{status}: {why}")
            } else {
                let due_at = TakedownRequest::resume(conn, &request, now)?;
                if request.responded_at.is_none() {
                    Case::set_takedown_due_at(conn, request.case_id, Some(due_at))?;
                }
                format!("{status}, due {due_at}: {why}")
            };
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::ObjectionDecided,
                    Subject::Objection(objection.id),
                )
                .in_case(request.case_id)
                .details(&details),
            )?;
            crate::live::note(crate::live::Change::ObjectionDecided(request.id));
            let row = Objection::find(conn, objection.id)?.ok_or(ServiceError::NotFound)?;
            Ok(view(row, &request))
        })
        .await
}

/// The objections to a request, for whoever may read the request (its platform, the ministry's
/// staff).
pub async fn objections_for_request(
    services: &Services,
    viewer: &Viewer,
    request: &TakedownView,
) -> ServiceResult<Vec<ObjectionView>> {
    if crate::takedown::find_visible(services, viewer, request.id)
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let request_id = request.id;
    services
        .db
        .run(move |conn| {
            let request = TakedownRequest::find(conn, request_id)?.ok_or(ServiceError::NotFound)?;
            Ok(Objection::for_request(conn, request_id)?
                .into_iter()
                .map(|row| view(row, &request))
                .collect())
        })
        .await
}

/// The caller's queue of pending objections: orders' for the regulator, notices' for reviewers.
pub async fn pending_objections(
    services: &Services,
    viewer: &Viewer,
    first: i64,
) -> ServiceResult<Vec<ObjectionView>> {
    let decider = Decider::of(viewer)?;
    let kind = match decider {
        Decider::Regulator(_) => TakedownKind::Order,
        Decider::Reviewer(_) => TakedownKind::Notice,
    };
    services
        .db
        .run(move |conn| {
            let mut views = Vec::new();
            for row in Objection::pending(conn, kind, first)? {
                let request = TakedownRequest::find(conn, row.takedown_request_id)?
                    .ok_or(ServiceError::NotFound)?;
                views.push(view(row, &request));
            }
            Ok(views)
        })
        .await
}

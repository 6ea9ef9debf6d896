//! What happens to an answer after it was given: its history, and the platform's later report
//! that it reinstated what it had acted on or that a restriction ended.

use chrono::NaiveDateTime;

use super::{
    FUTURE_LEEWAY_SECONDS, REASONS_MAX, REASONS_MIN, TakedownAnswer, TakedownView, own_request,
};
use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::viewer::Viewer;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::takedown_request::TakedownRequest;
use laporlapak_domain::case::{Rule, Transition};
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{AnswerKind, AuditAction, TakedownDecision, text};

/// A request's answer history: the answer, then any reinstatement or end of a restriction, oldest
/// first. `request` is a view the caller was allowed to read.
pub async fn history(
    services: &Services,
    request: &TakedownView,
) -> ServiceResult<Vec<TakedownAnswer>> {
    let id = request.id;
    services
        .db
        .run(move |conn| Ok(TakedownAnswer::for_request(conn, id)?))
        .await
}

/// A later change to an answer, as the platform reports it.
pub struct AnswerChange {
    /// REINSTATEMENT or RESTRICTION_ENDED.
    pub kind: AnswerKind,
    pub statement_of_reasons: String,
    /// When it took effect; defaults to now.
    pub at: Option<NaiveDateTime>,
}

impl AnswerChange {
    /// The input field holding the time, as the API names it.
    fn at_field(&self) -> &'static str {
        match self.kind {
            AnswerKind::RestrictionEnded => "input.endedAt",
            AnswerKind::Answer | AnswerKind::Reinstatement => "input.reinstatedAt",
        }
    }
}

/// `reportReinstatement` / `reportRestrictionEnded`: the platform later reinstated what it had
/// acted on, or a restriction ended. Once per request, after an answer that acted (a restriction's
/// end only after a restriction: disabling, restriction, geo-block, suspension). The request keeps
/// its history, a RESOLVED case goes back to review (claimed by its reviewer), and the change is
/// audited and counted on the scorecard (reinstatements). PLATFORM only; another platform's request
/// is NOT_FOUND.
pub async fn report_change(
    services: &Services,
    viewer: &Viewer,
    id: i64,
    change: AnswerChange,
) -> ServiceResult<TakedownView> {
    let rep = viewer.platform_rep()?;
    let now = services.clock.now();
    let reasons = text::multi_line(&change.statement_of_reasons, REASONS_MIN, REASONS_MAX)
        .map_err(|reason| ServiceError::bad_input("input.statementOfReasons", reason))?;
    if let Some(at) = change.at
        && at > now + chrono::Duration::seconds(FUTURE_LEEWAY_SECONDS)
    {
        return Err(ServiceError::bad_input(
            change.at_field(),
            Msg::ActedInFuture,
        ));
    }
    let viewer = viewer.clone();
    let cache = services.reference.clone();
    services
        .write(move |conn, at| {
            let request = own_request(conn, rep, id)?;
            let entries = TakedownAnswer::for_request(conn, request.id)?;
            let conflict = |reason| ServiceError::Conflict {
                reason,
                current_status: None,
            };
            let answer = entries
                .iter()
                .find(|e| e.kind == AnswerKind::Answer)
                .filter(|e| e.decision.is_some_and(TakedownDecision::acts))
                .ok_or_else(|| conflict(Msg::NothingToReinstate))?;
            if entries.iter().any(|e| e.kind != AnswerKind::Answer) {
                return Err(conflict(Msg::AlreadyChanged));
            }
            if change.kind == AnswerKind::RestrictionEnded
                && !answer.decision.is_some_and(TakedownDecision::may_end)
            {
                return Err(conflict(Msg::NotARestriction));
            }
            let effective_at = change.at.unwrap_or(at).min(at);
            if effective_at < answer.effective_at {
                return Err(ServiceError::bad_input(
                    change.at_field(),
                    Msg::ChangeBeforeAction,
                ));
            }
            let inserted = TakedownAnswer::insert(
                conn,
                &TakedownAnswer {
                    id: 0,
                    takedown_request_id: request.id,
                    kind: change.kind,
                    decision: None,
                    acted_on: None,
                    ground: None,
                    ground_reference: None,
                    territory: None,
                    suspended_until: None,
                    automated_detection: None,
                    automated_decision: None,
                    platform_reference: None,
                    statement_of_reasons: reasons.clone(),
                    effective_at,
                    recorded_at: at,
                },
            );
            match inserted {
                // The loser of two simultaneous reports (the unique index decides).
                Err(error) if laporlapak_db::is_unique_violation(&error) => {
                    return Err(conflict(Msg::AlreadyChanged));
                }
                other => other?,
            }
            TakedownRequest::touch(conn, request.id, at)?;
            let audit_action = match change.kind {
                AnswerKind::RestrictionEnded => AuditAction::TakedownRestrictionEnded,
                AnswerKind::Answer | AnswerKind::Reinstatement => AuditAction::TakedownReinstated,
            };
            let details = format!("{}: {reasons}", change.kind.as_str());
            audit::record(
                conn,
                at,
                Actor::Viewer(&viewer),
                NewEvent::new(audit_action, Subject::TakedownRequest(request.id))
                    .in_case(request.case_id)
                    .details(&details),
            )?;
            let case = Case::find(conn, request.case_id)?.ok_or(ServiceError::NotFound)?;
            let Rule { to, action, .. } = Transition::PlatformReinstates.rule();
            // A case a reviewer already moved on (closed, say), or one that was never resolved,
            // keeps its status; the change is still recorded and counted.
            if Transition::PlatformReinstates.leaves(case.status)
                && Case::transition(conn, case.id, case.version, case.status, to, at)?
            {
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
            if let Some(seller_id) = case.seller_id {
                crate::seller::recount(conn, &cache, seller_id)?;
            }
            let row = TakedownRequest::find(conn, request.id)?.ok_or(ServiceError::NotFound)?;
            Ok(TakedownView::new(row, at))
        })
        .await
}

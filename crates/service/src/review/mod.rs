//! The reviewer desk (docs/lifecycle.md): the prioritised queue, claims, every case transition, the
//! information loop, takedown requests and merges — one file per operation — and the
//! audience-shaped views of a case (`view`).
//!
//! Every transition is one write transaction: a conditional update (`status` and `version` in the
//! WHERE clause) decides races — the loser sees zero rows changed and gets CONFLICT naming the
//! current status — and the audit event is written in the same transaction.

mod appeal;
mod forward;
mod information;
mod merge;
mod queue;
mod transitions;
mod view;

use chrono::NaiveDateTime;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::viewer::{Reviewer, Viewer};
use laporlapak_db::DbConnection;
use laporlapak_db::models::case::Case;
use laporlapak_domain::case::{self, Rule, Transition};
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{CaseStatus, text};

pub use appeal::{
    AppealView, StaffAppealView, appeal_as_citizen, appeal_by_tracking_code, appeal_of, decide,
    pending,
};
pub use forward::{ForwardRequest, forward};
pub use information::{
    PublicReply, ReplyRequest, expire_questions, reply_as_citizen, reply_by_tracking_code,
    request_information,
};
pub use merge::merge;
pub use queue::{QueueKey, QueueRequest, queue, queue_total};
pub use transitions::{Rejection, claim, close, escalate, reject, release, resume};
pub(crate) use view::staff_views;
pub use view::{
    CaseFacts, CaseView, EventView, PlatformCaseAccess, PlatformCaseView, StaffCaseAccess,
    StaffCaseView, case_events, find_case, platform_case_complaints,
    platform_case_takedown_requests, staff_case_complaints, staff_case_takedown_requests,
};

pub const NOTE_MIN: usize = 10;
pub const NOTE_MAX: usize = 5_000;

fn note(value: &str, field: &'static str) -> ServiceResult<String> {
    text::multi_line(value, NOTE_MIN, NOTE_MAX)
        .map_err(|reason| ServiceError::bad_input(field, reason))
}

pub(crate) fn conflict_with(status: CaseStatus) -> ServiceError {
    ServiceError::Conflict {
        reason: Msg::TransitionNotAllowed { status },
        current_status: Some(status),
    }
}

fn claimed_by_another(status: CaseStatus) -> ServiceError {
    ServiceError::Conflict {
        reason: Msg::ClaimedByAnother,
        current_status: Some(status),
    }
}

/// One arrow of the lifecycle (its row of the domain's transition table) and the details its
/// audit event carries.
struct Step {
    transition: Transition,
    details: Option<String>,
}

/// Runs one transition for `reviewer`: checks the status and the claim, applies the conditional
/// update, lets `effect` do the rest of the change, and records the event — all in one
/// transaction. Returns the case after the change with what `effect` returned.
async fn transition<F, R>(
    services: &Services,
    viewer: &Viewer,
    reviewer: Reviewer,
    case_id: i64,
    step: Step,
    effect: F,
) -> ServiceResult<(StaffCaseView, R)>
where
    F: FnOnce(&mut DbConnection, &Case, NaiveDateTime) -> ServiceResult<R> + Send + 'static,
    R: Send + 'static,
{
    let me = reviewer.account_id();
    let viewer = viewer.clone();
    let Step {
        transition,
        details,
    } = step;
    let Rule {
        from, to, action, ..
    } = transition.rule();
    let cache = services.reference.clone();
    services
        .write(move |conn, now| {
            let case = Case::find(conn, case_id)?.ok_or(ServiceError::NotFound)?;
            let status = case.status;
            if !from.contains(&status) {
                return Err(conflict_with(status));
            }
            if case::claimed_by_another(status, case.assignee_id, me) {
                return Err(claimed_by_another(status));
            }

            if !Case::transition(conn, case.id, case.version, status, to, now)? {
                let current = Case::find(conn, case.id)?.map_or(status, |c| c.status);
                return Err(conflict_with(current));
            }
            let outcome = effect(conn, &case, now)?;
            let mut event = NewEvent::new(action, Subject::Case(case.id))
                .in_case(case.id)
                .status(to);
            if let Some(details) = &details {
                event = event.details(details);
            }
            audit::record(conn, now, Actor::Viewer(&viewer), event)?;
            Ok((view::staff_view(conn, &cache, case.id)?, outcome))
        })
        .await
}

//! The plain arrows of the lifecycle: claim, release, reject, resume, escalate and close. Each is
//! a [`Step`] run by `transition`, with at most a small effect of its own.

use crate::Services;
use crate::error::ServiceResult;
use crate::mail::{self, outbox::MailData};
use crate::review::view::StaffCaseView;
use crate::review::{Step, note, transition};
use crate::viewer::Viewer;
use crate::webhook::{outbox, worker};
use laporlapak_db::models::case::Case;
use laporlapak_db::models::takedown_request::TakedownRequest;
use laporlapak_domain::case::Transition;
use laporlapak_domain::mail::MailKind;
use laporlapak_domain::{Authority, RejectionReason};

/// OPEN → IN_REVIEW, assigned to the caller. Exactly one of simultaneous claims succeeds.
pub async fn claim(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
) -> ServiceResult<StaffCaseView> {
    let reviewer = viewer.reviewer()?;
    let me = reviewer.account_id();
    let step = Step {
        transition: Transition::Claim,
        details: None,
    };
    transition(
        services,
        viewer,
        reviewer,
        case_id,
        step,
        move |conn, case, _| Ok(Case::set_assignee(conn, case.id, Some(me))?),
    )
    .await
    .map(|(case, ())| case)
}

/// IN_REVIEW → OPEN, unassigned.
pub async fn release(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
) -> ServiceResult<StaffCaseView> {
    let reviewer = viewer.reviewer()?;
    let step = Step {
        transition: Transition::Release,
        details: None,
    };
    transition(
        services,
        viewer,
        reviewer,
        case_id,
        step,
        |conn, case, _| Ok(Case::set_assignee(conn, case.id, None)?),
    )
    .await
    .map(|(case, ())| case)
}

/// IN_REVIEW → REJECTED, with a reason.
pub async fn reject(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    rejection: Rejection<'_>,
) -> ServiceResult<StaffCaseView> {
    let reviewer = viewer.reviewer()?;
    let step = Step {
        transition: Transition::Reject,
        details: Some(note(rejection.internal_reason, "reason")?),
    };
    let code = rejection.code.unwrap_or(RejectionReason::Other);
    let message = rejection
        .message_to_reporter
        .map(|message| note(message, "messageToReporter"))
        .transpose()?;
    let vault = services.vault.clone();
    transition(
        services,
        viewer,
        reviewer,
        case_id,
        step,
        move |conn, case, now| {
            Case::set_rejection(conn, case.id, code, message.as_deref())?;
            let data = MailData {
                reason_code: Some(code.as_str().to_owned()),
                message: message.clone(),
                ..MailData::default()
            };
            mail::outbox::to_case(conn, &vault, case.id, MailKind::Rejected, &data, now)?;
            Ok(())
        },
    )
    .await
    .map(|(case, ())| case)
}

/// A rejection: the reviewer's reason (audit trail only) and what the case's reporters are told.
pub struct Rejection<'a> {
    /// 10 to 5,000 characters; staff read it in the audit trail.
    pub internal_reason: &'a str,
    /// The reason from the fixed list; OTHER when omitted.
    pub code: Option<RejectionReason>,
    /// A message to the reporters, 10 to 5,000 characters.
    pub message_to_reporter: Option<&'a str>,
}

/// AWAITING_INFO → IN_REVIEW without waiting for a reply.
pub async fn resume(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
) -> ServiceResult<StaffCaseView> {
    let reviewer = viewer.reviewer()?;
    let step = Step {
        transition: Transition::Resume,
        details: None,
    };
    transition(
        services,
        viewer,
        reviewer,
        case_id,
        step,
        |conn, case, _| Ok(Case::set_reply_due(conn, case.id, None)?),
    )
    .await
    .map(|(case, ())| case)
}

/// IN_REVIEW or PLATFORM_DECLINED → ESCALATED to another authority, with a note.
pub async fn escalate(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    authority: Authority,
    note_text: &str,
) -> ServiceResult<StaffCaseView> {
    let reviewer = viewer.reviewer()?;
    let note_text = note(note_text, "note")?;
    let step = Step {
        transition: Transition::Escalate,
        details: Some(format!("{authority}: {note_text}")),
    };
    let cache = services.reference.clone();
    let (case, ()) = transition(
        services,
        viewer,
        reviewer,
        case_id,
        step,
        move |conn, case, now| {
            Case::set_escalated_to(conn, case.id, authority)?;
            // The platform hears of it only when it was sent a request for the case.
            if TakedownRequest::exists_for_platform(conn, case.id, case.platform_id)? {
                let slug = worker::platform_slug(conn, &cache, case.platform_id)?;
                outbox::case_escalated(conn, case.id, case.platform_id, &slug, &case.target, now)?;
            }
            Ok(())
        },
    )
    .await?;
    services.webhooks.wake.notify_one();
    Ok(case)
}

/// Any non-final status → CLOSED, with a note.
pub async fn close(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    note_text: &str,
) -> ServiceResult<StaffCaseView> {
    let reviewer = viewer.reviewer()?;
    let step = Step {
        transition: Transition::Close,
        details: Some(note(note_text, "note")?),
    };
    transition(
        services,
        viewer,
        reviewer,
        case_id,
        step,
        |conn, case, _| Ok(Case::set_takedown_due_at(conn, case.id, None)?),
    )
    .await
    .map(|(case, ())| case)
}

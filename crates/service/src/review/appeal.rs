//! Appeals against a rejection: a reporter (by account or tracking code) appeals once per
//! complaint, within [`APPEAL_WINDOW_DAYS`] of the rejection, with a text; a reviewer other than
//! the one who rejected the case decides — UPHELD keeps it REJECTED, GRANTED puts it back in the
//! queue (the lifecycle's `AppealGranted` arrow) — with a reason written for the reporters, who
//! read the outcome by tracking code and in `myComplaints`.

use chrono::{NaiveDateTime, TimeDelta};

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::complaint::ThreadRef;
use crate::error::{ServiceError, ServiceResult};
use crate::limits::{self, ClientAddress};
use crate::review::{Step, note, transition};
use crate::viewer::Viewer;
use laporlapak_db::DbConnection;
use laporlapak_db::models::appeal::{self, Appeal, NewAppeal};
use laporlapak_db::models::case::Case;
use laporlapak_db::models::complaint::Complaint;
use laporlapak_db::vault::{Field, Sealed};
use laporlapak_domain::case::Transition;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::rejection::APPEAL_WINDOW_DAYS;
use laporlapak_domain::{AppealDecision, AuditAction, CaseStatus, TrackingCode};

/// An appeal as its reporters see it: whether and how it was decided, and why.
#[derive(Debug, Clone)]
pub struct AppealView {
    pub id: i64,
    pub filed_at: NaiveDateTime,
    /// None while pending.
    pub decision: Option<AppealDecision>,
    /// The deciding reviewer's reason, written for the reporters.
    pub reason: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

impl From<&Appeal> for AppealView {
    fn from(row: &Appeal) -> Self {
        Self {
            id: row.id,
            filed_at: row.filed_at,
            decision: row.decision,
            reason: row.decision_reason.clone(),
            decided_at: row.decided_at,
        }
    }
}

/// A pending appeal as reviewers see it: the case, the complaint and the reporter's text.
#[derive(Debug, Clone)]
pub struct StaffAppealView {
    pub appeal: AppealView,
    pub case_id: i64,
    pub complaint_id: i64,
    pub text: String,
    /// Whether the caller rejected the case (and so may not decide the appeal).
    pub rejected_by_me: bool,
}

/// The appeal of a thread's complaint, if one was filed.
pub async fn appeal_of(
    services: &Services,
    thread: ThreadRef,
) -> ServiceResult<Option<AppealView>> {
    let complaint_id = thread.complaint_id();
    services
        .db
        .run(move |conn| -> ServiceResult<_> {
            Ok(Appeal::for_complaint(conn, complaint_id)?
                .as_ref()
                .map(AppealView::from))
        })
        .await
}

/// A signed-in reporter appeals the rejection of its own complaint.
pub async fn appeal_as_citizen(
    services: &Services,
    viewer: &Viewer,
    complaint_id: i64,
    text: &str,
) -> ServiceResult<AppealView> {
    let citizen = viewer.citizen()?;
    let sealed = services
        .vault
        .seal(Field::AppealBody, &note(text, "text")?)?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let complaint = Complaint::find(conn, complaint_id)?
                .filter(|c| c.reporter_account_id == Some(citizen.account_id()))
                .ok_or(ServiceError::NotFound)?;
            file(conn, now, &viewer, &complaint, &sealed)
        })
        .await
}

/// A reporter appeals with the complaint's tracking code (rate-limited per address like every
/// tracking-code use).
pub async fn appeal_by_tracking_code(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    tracking_code: &str,
    text: &str,
) -> ServiceResult<AppealView> {
    limits::check_address(services, limits::TRACKING_CODE_USES_PER_ADDRESS, address).await?;
    let sealed = services
        .vault
        .seal(Field::AppealBody, &note(text, "text")?)?;
    let lookup = TrackingCode::parse(tracking_code)
        .map(|code| crate::complaint::tracking_lookup(services, &code))
        .transpose()?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let lookup = lookup.ok_or(ServiceError::NotFound)?;
            let complaint =
                Complaint::find_by_tracking_code(conn, &lookup)?.ok_or(ServiceError::NotFound)?;
            file(conn, now, &viewer, &complaint, &sealed)
        })
        .await
}

/// Files the appeal of `complaint`: its case must be REJECTED, within the window, and the
/// complaint not appealed before.
fn file(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    viewer: &Viewer,
    complaint: &Complaint,
    sealed_body: &Sealed,
) -> ServiceResult<AppealView> {
    let case = Case::find(conn, complaint.case_id)?.ok_or(ServiceError::NotFound)?;
    if complaint.withdrawn_at.is_some() {
        return Err(ServiceError::conflict(Msg::AlreadyWithdrawn));
    }
    if case.status != CaseStatus::Rejected {
        return Err(ServiceError::Conflict {
            reason: Msg::AppealNotRejected,
            current_status: Some(case.status),
        });
    }
    if Appeal::for_complaint(conn, complaint.id)?.is_some() {
        return Err(ServiceError::conflict(Msg::AppealAlreadyFiled));
    }
    let (rejected_by, rejected_at) = appeal::last_rejection(conn, case.id)?.ok_or(
        ServiceError::invariant("a rejected case has its rejection in the audit trail"),
    )?;
    if now - rejected_at > TimeDelta::days(APPEAL_WINDOW_DAYS) {
        return Err(ServiceError::conflict(Msg::AppealWindowClosed {
            days: APPEAL_WINDOW_DAYS,
        }));
    }
    let id = Appeal::insert(
        conn,
        &NewAppeal {
            case_id: case.id,
            complaint_id: complaint.id,
            sealed_body,
            rejected_by,
            filed_at: now,
        },
    )
    .map_err(|error| {
        if laporlapak_db::is_unique_violation(&error) {
            ServiceError::conflict(Msg::AppealAlreadyFiled)
        } else {
            error.into()
        }
    })?;
    audit::record(
        conn,
        now,
        Actor::Viewer(viewer),
        NewEvent::new(
            AuditAction::ComplaintAppealed,
            Subject::Complaint(complaint.id),
        )
        .in_case(case.id)
        .status(CaseStatus::Rejected),
    )?;
    let row = Appeal::find(conn, id)?.ok_or(ServiceError::invariant("a filed appeal is found"))?;
    Ok(AppealView::from(&row))
}

/// Up to `limit` pending appeals, oldest first, after `after` (filed at, id). REVIEWER only.
pub async fn pending(
    services: &Services,
    viewer: &Viewer,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
) -> ServiceResult<Vec<StaffAppealView>> {
    let me = viewer.reviewer()?.account_id();
    let vault = services.vault.clone();
    services
        .db
        .run(move |conn| {
            Appeal::pending(conn, after, limit)?
                .iter()
                .map(|row| {
                    Ok(StaffAppealView {
                        appeal: AppealView::from(row),
                        case_id: row.case_id,
                        complaint_id: row.complaint_id,
                        text: vault.open(Field::AppealBody, &row.body)?,
                        rejected_by_me: row.rejected_by == Some(me),
                    })
                })
                .collect()
        })
        .await
}

/// Decides a pending appeal: `grant` puts the case back in the queue (REJECTED → OPEN), otherwise
/// the rejection stands. `reason` (10 to 5,000 characters) is what the reporters read. REVIEWER
/// only, and not the reviewer who rejected the case.
pub async fn decide(
    services: &Services,
    viewer: &Viewer,
    appeal_id: i64,
    grant: bool,
    reason: &str,
) -> ServiceResult<AppealView> {
    let reviewer = viewer.reviewer()?;
    let me = reviewer.account_id();
    let reason = note(reason, "reason")?;
    let decision = if grant {
        AppealDecision::Granted
    } else {
        AppealDecision::Upheld
    };
    // Checked first, so that a refusal changes nothing.
    let appeal = services
        .db
        .run(move |conn| -> ServiceResult<_> {
            let appeal = Appeal::find(conn, appeal_id)?.ok_or(ServiceError::NotFound)?;
            if appeal.decision.is_some() {
                return Err(ServiceError::conflict(Msg::AppealAlreadyDecided));
            }
            if appeal.rejected_by == Some(me) {
                return Err(ServiceError::conflict(Msg::AppealOwnRejection));
            }
            if grant {
                let case = Case::find(conn, appeal.case_id)?.ok_or(ServiceError::NotFound)?;
                if Case::find_open_for_target(conn, case.platform_id, &case.target)?.is_some() {
                    return Err(ServiceError::conflict(Msg::AppealTargetHasOpenCase));
                }
            }
            Ok(appeal)
        })
        .await?;
    let vault = services.vault.clone();
    let record = move |conn: &mut DbConnection, now: NaiveDateTime| -> ServiceResult<AppealView> {
        if !Appeal::decide(conn, appeal_id, decision, &reason, me, now)? {
            return Err(ServiceError::conflict(Msg::AppealAlreadyDecided));
        }
        let row = Appeal::find(conn, appeal_id)?.ok_or(ServiceError::NotFound)?;
        // The outcome and its reasons, to the reporter who appealed.
        let data = crate::mail::outbox::MailData {
            decision: Some(decision.as_str().to_owned()),
            message: Some(reason.clone()),
            ..Default::default()
        };
        let kind = laporlapak_domain::mail::MailKind::AppealOutcome;
        crate::mail::outbox::to_complaint(
            conn,
            &vault,
            row.case_id,
            row.complaint_id,
            kind,
            &data,
            now,
        )?;
        Ok(AppealView::from(&row))
    };
    if grant {
        let step = Step {
            transition: Transition::AppealGranted,
            details: Some(format!("appeal {appeal_id}")),
        };
        let (_, view) = transition(
            services,
            viewer,
            reviewer,
            appeal.case_id,
            step,
            move |conn, case, now| {
                Case::set_assignee(conn, case.id, None)?;
                record(conn, now)
            },
        )
        .await?;
        Ok(view)
    } else {
        let viewer = viewer.clone();
        services
            .write(move |conn, now| {
                let view = record(conn, now)?;
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(AuditAction::CaseAppealUpheld, Subject::Case(appeal.case_id))
                        .in_case(appeal.case_id)
                        .status(CaseStatus::Rejected)
                        .details(&format!("appeal {appeal_id}")),
                )?;
                Ok(view)
            })
            .await
    }
}

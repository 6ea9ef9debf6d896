//! `complaintByTrackingCode`: what anyone holding a tracking code may see — the status, the
//! category and platform, a timeline in plain words, and the information loop of that complaint.
//! No personal data at all: the tracking code is the only credential, and it is rate-limited per
//! address so that codes cannot be guessed.

use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::Services;
use crate::complaint::view::{MessageView, RejectionView};
use crate::error::ServiceResult;
use crate::limits::{self, ClientAddress};
use laporlapak_db::DbConnection;
use laporlapak_db::models::appeal::Appeal;
use laporlapak_db::models::category::Category;
use laporlapak_db::models::complaint::Complaint;
use laporlapak_db::models::event::Event;
use laporlapak_db::models::message::Message;
use laporlapak_db::models::platform::PlatformWithHosts;
use laporlapak_db::models::takedown_answer::TakedownAnswer;
use laporlapak_domain::{
    AnswerKind, AuditAction, CaseStatus, SubjectKind, TakedownAction, TimelineNote, TrackingCode,
};

/// What anyone holding the tracking code may see.
pub struct PublicComplaintView {
    pub tracking_code: String,
    /// The case the complaint is in now (live updates follow it; never shown).
    pub(crate) case_id: i64,
    pub status: CaseStatus,
    /// When the reviewer's question the case waits on expires (AWAITING_INFO only).
    pub reply_due_at: Option<NaiveDateTime>,
    pub category: Arc<Category>,
    pub platform: Arc<PlatformWithHosts>,
    pub submitted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub timeline: Vec<PublicEventView>,
    /// Information requests to this complaint's reporters, and this complaint's replies.
    pub messages: Vec<MessageView>,
    /// Why the case was rejected, when it was.
    pub rejection: Option<RejectionView>,
    /// The complaint's appeal against a rejection, when one was filed.
    pub appeal: Option<crate::review::AppealView>,
    /// The platform's answers to the case's takedown requests and their later changes, coarse.
    pub platform_answers: Vec<PublicAnswerView>,
}

/// A platform's answer (or its later reinstatement, or the end of a restriction) as the public
/// sees it: what it did, coarsely, and its reasons — never its references or identifiers.
pub struct PublicAnswerView {
    pub kind: AnswerKind,
    /// The coarse action of an answer; none for a later change.
    pub action: Option<TakedownAction>,
    pub statement_of_reasons: String,
    pub at: NaiveDateTime,
}

impl From<TakedownAnswer> for PublicAnswerView {
    fn from(entry: TakedownAnswer) -> Self {
        Self {
            kind: entry.kind,
            action: entry.decision.map(|d| d.action()),
            statement_of_reasons: entry.statement_of_reasons,
            at: entry.effective_at,
        }
    }
}

/// A step of the public timeline.
pub struct PublicEventView {
    pub status: CaseStatus,
    pub at: NaiveDateTime,
    pub note: Option<TimelineNote>,
    action: AuditAction,
}

/// The complaint's submission and every later change of its case's status, oldest first, in one
/// statement: what its reporter and anyone holding its tracking code may see.
pub(crate) fn timeline_in(
    conn: &mut DbConnection,
    complaint_id: i64,
    case_id: i64,
    submitted_at: NaiveDateTime,
) -> QueryResult<Vec<PublicEventView>> {
    let events = Event::complaint_timeline(conn, complaint_id, case_id, submitted_at)?;
    let own = |e: &Event| e.subject_type == SubjectKind::Complaint;
    let submitted_event = events.iter().find(|e| own(e)).map_or(0, |e| e.id);
    let mut timeline: Vec<PublicEventView> = events
        .into_iter()
        // The case's changes after this complaint joined it (events are in id order).
        .filter(|e| own(e) || e.id > submitted_event)
        .filter_map(|event| {
            let status = event.case_status?;
            Some(PublicEventView {
                status,
                at: event.at,
                note: event.action.timeline_note(),
                action: event.action,
            })
        })
        .collect();
    timeline.dedup_by(|b, a| a.status == b.status && a.action == b.action);
    Ok(timeline)
}

/// The public status of a complaint by its tracking code; `None` for an unknown code.
pub async fn public_status(
    services: &Services,
    address: ClientAddress,
    code: &str,
) -> ServiceResult<Option<PublicComplaintView>> {
    limits::check_address(services, limits::TRACKING_CODE_USES_PER_ADDRESS, address).await?;
    let Some(code) = TrackingCode::parse(code) else {
        return Ok(None);
    };
    let lookup = super::tracking_lookup(services, &code)?;
    let cache = services.reference.clone();
    let vault = services.vault.clone();
    services
        .db
        .run(move |conn| {
            // Four statements: the complaint with its case's status, the timeline, the messages,
            // the platform's answers (and a fifth for a rejected case: why).
            let Some((complaint, status, reply_due_at)) =
                Complaint::find_with_status_by_tracking_code(conn, &lookup)?
            else {
                return Ok(None);
            };
            let timeline =
                timeline_in(conn, complaint.id, complaint.case_id, complaint.created_at)?;
            let updated_at = timeline.last().map_or(complaint.created_at, |e| e.at);
            let messages = Message::for_complaint(conn, complaint.case_id, complaint.id)?
                .into_iter()
                .map(|row| MessageView::open(&vault, row))
                .collect::<ServiceResult<_>>()?;
            // A fourth statement only once the case has reached a platform: while it is before a
            // decision and its timeline never showed it forwarded, there is no answer to show (a
            // complaint that joined a case sent back to review by the platform sees the answer
            // once the case moves on).
            let reached_platform = !CaseStatus::BEFORE_DECISION.contains(&status)
                || timeline
                    .iter()
                    .any(|step| step.status == CaseStatus::Forwarded);
            let platform_answers = if reached_platform {
                TakedownAnswer::for_case(conn, complaint.case_id)?
                    .into_iter()
                    .map(PublicAnswerView::from)
                    .collect()
            } else {
                Vec::new()
            };
            let (platform, category) = cache
                .covering(conn, &[complaint.platform_id], &[complaint.category_id])?
                .named_by_row(complaint.platform_id, complaint.category_id)?;
            // Another only for a rejected case.
            let rejection = if status == CaseStatus::Rejected {
                RejectionView::read(conn, complaint.case_id)?
            } else {
                None
            };
            // And one for a complaint that was appealed (its timeline says so).
            let appeal = if timeline
                .iter()
                .any(|step| step.action == AuditAction::ComplaintAppealed)
            {
                Appeal::for_complaint(conn, complaint.id)?
                    .as_ref()
                    .map(crate::review::AppealView::from)
            } else {
                None
            };
            Ok(Some(PublicComplaintView {
                tracking_code: code.as_str().to_owned(),
                case_id: complaint.case_id,
                status,
                reply_due_at: reply_due_at.filter(|_| status == CaseStatus::AwaitingInfo),
                category,
                platform,
                submitted_at: complaint.created_at,
                updated_at,
                timeline,
                messages,
                rejection,
                appeal,
                platform_answers,
            }))
        })
        .await
}

//! `complaintByTrackingCode`: what anyone holding a tracking code may see — the status, the
//! category and platform, a timeline in plain words, and the information loop of that complaint.
//! No personal data at all: the tracking code is the only credential, and it is rate-limited per
//! address so that codes cannot be guessed.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::db::models::case::Case;
use crate::db::models::category::Category;
use crate::db::models::complaint::Complaint;
use crate::db::models::event::Event;
use crate::db::models::message::Message;
use crate::db::models::platform::PlatformWithHosts;
use crate::domain::{AuditAction, CaseStatus, SubjectKind, TimelineNote, TrackingCode};
use crate::error::{ServiceError, ServiceResult};
use crate::service::Services;
use crate::service::complaint::view::{self, MessageView};
use crate::service::limits::{self, ClientAddress};

/// What anyone holding the tracking code may see.
pub struct PublicComplaintView {
    pub tracking_code: String,
    pub status: CaseStatus,
    pub category: Category,
    pub platform: PlatformWithHosts,
    pub submitted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub timeline: Vec<PublicEventView>,
    /// Information requests to this complaint's reporters, and this complaint's replies.
    pub messages: Vec<MessageView>,
}

/// A step of the public timeline.
pub struct PublicEventView {
    pub status: CaseStatus,
    pub at: NaiveDateTime,
    pub note: Option<TimelineNote>,
    action: AuditAction,
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
    services
        .db
        .run(move |conn| {
            let Some(complaint) = Complaint::find_by_tracking_code(conn, code.as_str())? else {
                return Ok(None);
            };
            let case = Case::find(conn, complaint.case_id)?.ok_or(ServiceError::NotFound)?;
            let own_events = Event::for_subject(conn, SubjectKind::Complaint, complaint.id)?;
            let submitted_event = own_events.first().map_or(0, |e| e.id);
            let case_events = Event::case_status_changes(conn, case.id, complaint.created_at)?;
            let mut timeline: Vec<PublicEventView> = own_events
                .into_iter()
                .chain(
                    case_events
                        .into_iter()
                        .filter(|e| e.id > submitted_event && e.subject_type == SubjectKind::Case),
                )
                .filter_map(|event| {
                    let status = event.case_status?;
                    Some((
                        event.id,
                        PublicEventView {
                            status,
                            at: event.at,
                            note: event.action.timeline_note(),
                            action: event.action,
                        },
                    ))
                })
                .collect::<BTreeMap<_, _>>()
                .into_values()
                .collect();
            timeline.dedup_by(|b, a| a.status == b.status && a.action == b.action);
            let updated_at = timeline.last().map_or(complaint.created_at, |e| e.at);
            let messages = Message::for_complaint(conn, complaint.case_id, complaint.id)?
                .into_iter()
                .map(MessageView::from)
                .collect();
            let loaded = view::load_one(conn, complaint)?;
            Ok(Some(PublicComplaintView {
                tracking_code: loaded.complaint().tracking_code.clone(),
                status: case.status,
                category: loaded.category().clone(),
                platform: loaded.platform().clone(),
                submitted_at: loaded.complaint().created_at,
                updated_at,
                timeline,
                messages,
            }))
        })
        .await
}

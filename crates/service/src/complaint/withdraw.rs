//! `withdrawComplaint`: the complaint stops counting towards its case, and a case left without
//! complaints that count closes itself.

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::complaint::view::{self, ComplaintView, Reader};
use crate::complaint::{own_complaint_for_change, refresh_case};
use crate::error::{ServiceError, ServiceResult};
use crate::viewer::Viewer;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::complaint::Complaint;
use laporlapak_domain::AuditAction;
use laporlapak_domain::case::Transition;

pub async fn withdraw(
    services: &Services,
    viewer: &Viewer,
    complaint_id: i64,
) -> ServiceResult<ComplaintView> {
    let citizen = viewer.citizen()?;
    let viewer = viewer.clone();
    let reference = services.reference.clone();
    services
        .write(move |conn, now| {
            let (complaint, case) = own_complaint_for_change(conn, now, citizen, complaint_id)?;
            Complaint::withdraw(conn, complaint.id, now)?;
            refresh_case(conn, &reference, case.id)?;
            let remaining = Case::reporter_counts(conn, case.id)?.complaints;
            let withdraw_all = Transition::WithdrawAll.rule();
            let closed = remaining == 0
                && withdraw_all.from.contains(&case.status)
                && Case::transition(
                    conn,
                    case.id,
                    case.version,
                    case.status,
                    withdraw_all.to,
                    now,
                )?;
            let status = if closed { withdraw_all.to } else { case.status };
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::ComplaintWithdrawn,
                    Subject::Complaint(complaint.id),
                )
                .in_case(case.id)
                .status(status),
            )?;
            if closed {
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(withdraw_all.action, Subject::Case(case.id))
                        .in_case(case.id)
                        .status(withdraw_all.to)
                        .details("every complaint was withdrawn"),
                )?;
            }
            let complaint = Complaint::find(conn, complaint.id)?.ok_or(ServiceError::NotFound)?;
            Ok(view::load_one(conn, &reference, complaint)?.into_view(Reader::Reporter))
        })
        .await
}

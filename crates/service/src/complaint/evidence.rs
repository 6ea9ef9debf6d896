//! `addEvidence`: a citizen adds links and files to its own complaint while the case is not final.

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::complaint::submit::parse_evidence_list;
use crate::complaint::view::{self, ComplaintView, Reader};
use crate::complaint::{MAX_EVIDENCE_PER_COMPLAINT, own_complaint_for_change};
use crate::error::{ServiceError, ServiceResult};
use crate::evidence::{self, IncomingFile};
use crate::viewer::Viewer;
use laporlapak_db::models::complaint::Complaint;
use laporlapak_domain::AuditAction;
use laporlapak_domain::i18n::Msg;

pub async fn add_evidence(
    services: &Services,
    viewer: &Viewer,
    complaint_id: i64,
    urls: Vec<String>,
    files: Vec<IncomingFile>,
) -> ServiceResult<ComplaintView> {
    let citizen = viewer.citizen()?;
    if urls.is_empty() && files.is_empty() {
        return Err(ServiceError::bad_input("urls", Msg::Required));
    }
    let urls = parse_evidence_list(&urls, "urls")?;
    let files = evidence::store_incoming(services, "files", files).await?;
    let max_files = services.evidence.settings.max_files_per_complaint;
    let viewer = viewer.clone();
    let reference = services.reference.clone();
    services
        .write(move |conn, now| {
            let (complaint, case) = own_complaint_for_change(conn, now, citizen, complaint_id)?;
            let existing = Complaint::evidence_count(conn, complaint.id)?;
            let room = MAX_EVIDENCE_PER_COMPLAINT - existing;
            if i64::try_from(urls.len()).unwrap_or(i64::MAX) > room {
                return Err(ServiceError::bad_input(
                    "urls",
                    Msg::TooMany {
                        max: usize::try_from(MAX_EVIDENCE_PER_COMPLAINT).unwrap_or(0),
                    },
                ));
            }
            Complaint::add_evidence(conn, complaint.id, &urls, now)?;
            evidence::record(
                conn,
                complaint.id,
                Some(citizen.account_id()),
                "files",
                &files,
                max_files,
                now,
            )?;
            let count = (urls.len() + files.len()).to_string();
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::ComplaintEvidenceAdded,
                    Subject::Complaint(complaint.id),
                )
                .in_case(case.id)
                .details(&count),
            )?;
            Ok(view::load_one(conn, &reference, complaint)?.into_view(Reader::Reporter))
        })
        .await
}

//! `mergeCases`: the complaints of the source cases move into the target case, and each source
//! closes as merged. All cases must be on one platform and still open to review.

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::complaint::refresh_case;
use crate::error::{ServiceError, ServiceResult};
use crate::review::view::{self, StaffCaseView};
use crate::review::{claimed_by_another, conflict_with};
use crate::viewer::Viewer;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::message::Message;
use laporlapak_db::models::seller::SellerIdentifier;
use laporlapak_domain::AuditAction;
use laporlapak_domain::case::{self, Transition};
use laporlapak_domain::i18n::Msg;

/// At most this many cases merge into one at once.
const MAX_SOURCES: usize = 50;

pub async fn merge(
    services: &Services,
    viewer: &Viewer,
    target_id: i64,
    source_ids: Vec<i64>,
) -> ServiceResult<StaffCaseView> {
    let me = viewer.reviewer()?.account_id();
    if source_ids.is_empty() || source_ids.len() > MAX_SOURCES {
        return Err(ServiceError::bad_input(
            "sourceCaseIds",
            Msg::OutOfRange {
                min: 1,
                max: MAX_SOURCES as i64,
            },
        ));
    }
    if source_ids.contains(&target_id) {
        return Err(ServiceError::bad_input(
            "sourceCaseIds",
            Msg::MergeIntoItself,
        ));
    }
    let viewer = viewer.clone();
    let cache = services.reference.clone();
    services
        .write(move |conn, now| {
            let target = Case::find(conn, target_id)?.ok_or(ServiceError::NotFound)?;
            check_mergeable(&target, me)?;
            if !Case::lock_if_open(conn, target.id, now)? {
                return Err(conflict_with(target.status));
            }
            let mut sources = source_ids.clone();
            sources.sort_unstable();
            sources.dedup();
            for source_id in sources {
                let source = Case::find(conn, source_id)?.ok_or(ServiceError::NotFound)?;
                check_mergeable(&source, me)?;
                if source.platform_id != target.platform_id {
                    return Err(ServiceError::bad_input(
                        "sourceCaseIds",
                        Msg::MergeAcrossPlatforms,
                    ));
                }
                let status = source.status;
                let merge_away = Transition::MergeAway.rule();
                if !merge_away.from.contains(&status) {
                    return Err(conflict_with(status));
                }
                if !Case::transition(conn, source.id, source.version, status, merge_away.to, now)? {
                    let current = Case::find(conn, source.id)?.map_or(status, |c| c.status);
                    return Err(conflict_with(current));
                }
                Case::set_merged_into(conn, source.id, target.id)?;
                let moved = Case::move_complaints(conn, source.id, target.id)?;
                Message::move_to_case(conn, source.id, target.id)?;
                SellerIdentifier::move_to_case(conn, source.id, target.id)?;
                refresh_case(conn, &cache, source.id)?;
                let details = format!("merged into case {} ({moved} complaints)", target.id);
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(merge_away.action, Subject::Case(source.id))
                        .in_case(source.id)
                        .status(merge_away.to)
                        .details(&details),
                )?;
                let details = format!("case {} merged in ({moved} complaints)", source.id);
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(AuditAction::CaseMerged, Subject::Case(target.id))
                        .in_case(target.id)
                        .details(&details),
                )?;
            }
            refresh_case(conn, &cache, target.id)?;
            view::staff_view(conn, &cache, target.id)
        })
        .await
}

fn check_mergeable(case: &Case, me: i64) -> ServiceResult<()> {
    if case.status.is_final() {
        return Err(conflict_with(case.status));
    }
    if case::claimed_by_another(case.status, case.assignee_id, me) {
        return Err(claimed_by_another(case.status));
    }
    Ok(())
}

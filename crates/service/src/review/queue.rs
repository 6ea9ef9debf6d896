//! `reviewQueue`: the prioritised queue of cases, highest priority first, then oldest, with
//! keyset paging on `(priority, id)`.

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::review::view::{self, StaffCaseView};
use crate::viewer::Viewer;
pub use laporlapak_db::models::case::QueueKey;
use laporlapak_db::models::case::{Case, DEFAULT_QUEUE_STATUSES, QueueFilter};
use laporlapak_domain::CaseStatus;
use laporlapak_domain::i18n::Msg;

/// The queue's filter as the client gave it (slugs and codes, not ids).
#[derive(Debug, Clone, Default)]
pub struct QueueRequest {
    pub statuses: Option<Vec<CaseStatus>>,
    pub platforms: Option<Vec<String>>,
    pub categories: Option<Vec<String>>,
    pub assigned_to_me: bool,
    pub overdue: Option<bool>,
    pub flagged: Option<bool>,
    /// Only this seller's cases.
    pub seller_id: Option<i64>,
    pub relisted: Option<bool>,
    /// Ordered by the seller's record (repeat-offender score) first.
    pub by_seller_record: bool,
}

/// A page of the review queue and whether more follow. REVIEWER only.
pub async fn queue(
    services: &Services,
    viewer: &Viewer,
    request: QueueRequest,
    after: Option<QueueKey>,
    first: i64,
) -> ServiceResult<(Vec<StaffCaseView>, bool)> {
    let me = viewer.reviewer()?.account_id();
    let now = services.clock.now();
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let filter = queue_filter(conn, &cache, me, now, &request)?;
            let mut page = Case::queue_page(conn, &filter, after, first + 1)?;
            let has_more = crate::cut_page(&mut page, first);
            Ok((view::staff_views(conn, &cache, &page)?, has_more))
        })
        .await
}

/// The database filter of a queue request: slugs and codes resolved to ids (BAD_USER_INPUT on
/// the filter's field for an unknown one).
fn queue_filter(
    conn: &mut laporlapak_db::DbConnection,
    cache: &crate::reference_data::ReferenceCache,
    me: i64,
    now: chrono::NaiveDateTime,
    request: &QueueRequest,
) -> ServiceResult<QueueFilter> {
    let statuses: Vec<CaseStatus> = match (&request.statuses, request.overdue) {
        (Some(list), _) if !list.is_empty() => list.clone(),
        (_, Some(true)) => CaseStatus::non_final().collect(),
        _ => DEFAULT_QUEUE_STATUSES.to_vec(),
    };
    let platform_ids = match &request.platforms {
        Some(slugs) => {
            let mut ids = Vec::new();
            for slug in slugs {
                ids.push(cache.platform_id_named(conn, slug, "filter.platform")?);
            }
            Some(ids)
        }
        None => None,
    };
    let category_ids = match &request.categories {
        Some(codes) => {
            let mut ids = Vec::new();
            for code in codes {
                let id = cache
                    .find_named(conn, |data| data.category_by_code(code).map(|c| c.id))?
                    .ok_or_else(|| {
                        ServiceError::bad_input("filter.category", Msg::UnknownCategory)
                    })?;
                ids.push(id);
            }
            Some(ids)
        }
        None => None,
    };
    let filter = QueueFilter {
        statuses,
        platform_ids,
        category_ids,
        assignee_id: request.assigned_to_me.then_some(me),
        overdue: request.overdue.map(|wanted| (wanted, now)),
        flagged: request.flagged,
        seller_id: request.seller_id,
        relisted: request.relisted,
        by_seller_record: request.by_seller_record,
    };
    Ok(filter)
}

/// How many cases the queue request selects over every page (`reviewQueue { totalCount }`).
/// REVIEWER only.
pub async fn queue_total(
    services: &Services,
    viewer: &Viewer,
    request: QueueRequest,
) -> ServiceResult<i64> {
    let me = viewer.reviewer()?.account_id();
    let now = services.clock.now();
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let filter = queue_filter(conn, &cache, me, now, &request)?;
            Ok(Case::queue_count(conn, &filter)?)
        })
        .await
}

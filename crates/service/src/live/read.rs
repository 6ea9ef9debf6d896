//! What a subscriber is told of a change: the row re-read under its own rights, by the same
//! functions as the queries (a change it may not see is not told at all, not even that it
//! happened). Each subscription checks its role once when it starts (`watch_*`), and the
//! connection re-checks its token whenever its account or API client changes
//! ([`concerns_viewer`]).

use super::Change;
use crate::Services;
use crate::complaint::{ComplaintView, PublicComplaintView};
use crate::error::ServiceResult;
use crate::legal::RecommendationView;
use crate::limits::ClientAddress;
use crate::review::CaseView;
use crate::takedown::TakedownView;
use crate::viewer::Viewer;
use laporlapak_db::models::complaint::Complaint;

/// The review queue's changes: REVIEWER and ADMIN.
pub fn watch_queue(viewer: &Viewer) -> ServiceResult<()> {
    viewer.require_staff().map(|_| ())
}

/// A platform's requests: its people and its API clients.
pub fn watch_requests(viewer: &Viewer) -> ServiceResult<()> {
    viewer.platform_rep().map(|_| ())
}

/// Recommendations and orders: the regulator.
pub fn watch_recommendations(viewer: &Viewer) -> ServiceResult<()> {
    viewer.regulator().map(|_| ())
}

/// A citizen's own complaints.
pub fn watch_own_complaints(viewer: &Viewer) -> ServiceResult<()> {
    viewer.citizen().map(|_| ())
}

/// The case a change to the queue is about, as the viewer sees it.
pub async fn queue_case(
    services: &Services,
    viewer: &Viewer,
    change: Change,
) -> ServiceResult<Option<CaseView>> {
    match change {
        Change::Case(case_id) => crate::review::find_case(services, viewer, case_id).await,
        _ => Ok(None),
    }
}

/// What a platform is told.
pub enum PlatformUpdate {
    /// A request to it was issued, reached its reminder or its deadline, or an objection to it
    /// was decided.
    Request(Change, TakedownView),
    /// A case it received a request for was escalated.
    Escalated(CaseView),
}

/// A change to one of the viewer's platform's requests; `None` for anything else, another
/// platform's above all.
pub async fn platform_update(
    services: &Services,
    viewer: &Viewer,
    change: Change,
) -> ServiceResult<Option<PlatformUpdate>> {
    match change {
        Change::RequestIssued(id)
        | Change::RequestReminder(id)
        | Change::RequestOverdue(id)
        | Change::ObjectionDecided(id) => Ok(crate::takedown::find_visible(services, viewer, id)
            .await?
            .map(|view| PlatformUpdate::Request(change, view))),
        Change::CaseEscalated(case_id) => Ok(crate::review::find_case(services, viewer, case_id)
            .await?
            .map(PlatformUpdate::Escalated)),
        _ => Ok(None),
    }
}

/// A recommendation that moved (made, ordered, declined), for the regulator.
pub async fn recommendation(
    services: &Services,
    viewer: &Viewer,
    change: Change,
) -> ServiceResult<Option<RecommendationView>> {
    match change {
        Change::Recommendation(id) => crate::legal::find_recommendation(services, viewer, id).await,
        _ => Ok(None),
    }
}

/// The viewer's own complaints in the case a change is about (none when it reported none there).
pub async fn own_complaints(
    services: &Services,
    viewer: &Viewer,
    change: Change,
) -> ServiceResult<Vec<ComplaintView>> {
    let (Change::Case(case_id), Ok(citizen)) = (change, viewer.citizen()) else {
        return Ok(Vec::new());
    };
    let account_id = citizen.account_id();
    let ids = services
        .db
        .run(move |conn| {
            Ok::<_, crate::error::ServiceError>(Complaint::ids_for_reporter_in_case(
                conn, account_id, case_id,
            )?)
        })
        .await?;
    let mut views = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(view) = crate::complaint::find_visible(services, viewer, id).await? {
            views.push(view);
        }
    }
    Ok(views)
}

/// A complaint by tracking code, as `complaintByTrackingCode` shows it and under its rate limit
/// (every read counts as a use of the code).
pub async fn tracked(
    services: &Services,
    address: ClientAddress,
    code: &str,
) -> ServiceResult<Option<PublicComplaintView>> {
    crate::complaint::public_status(services, address, code).await
}

/// Whether a change concerns a complaint followed by its tracking code, which is in `case_id`
/// ([`PublicComplaintView::case_id_for_live`]).
pub fn concerns_tracked(case_id: i64, change: Change) -> bool {
    change == Change::Case(case_id)
}

impl PublicComplaintView {
    /// The case the complaint is in now: what live updates of it follow (never shown).
    pub fn case_id_for_live(&self) -> i64 {
        self.case_id
    }
}

/// Whether a change is to the viewer's own account or API client: its token is checked again.
pub fn concerns_viewer(viewer: &Viewer, change: Change) -> bool {
    match change {
        Change::Account(id) => viewer.account_id() == Some(id),
        Change::ApiClient(id) => viewer.api_client_id() == Some(id),
        _ => false,
    }
}

/// A token presented to open a live connection: the viewer (checked as every request checks it:
/// the account or API client re-read) and when the token stops being valid, in seconds since
/// the epoch (its `exp` and the verification's leeway).
pub async fn connection_viewer(services: &Services, token: &str) -> ServiceResult<(Viewer, i64)> {
    let verified = services
        .tokens
        .verify(token)
        .map_err(|_| crate::error::ServiceError::InvalidToken)?;
    let viewer = crate::account::viewer_from_token(services, token).await?;
    Ok((
        viewer,
        verified.expires_at + crate::auth::token::LEEWAY_SECONDS as i64,
    ))
}

/// Who holds a live connection, for the per-account limit: `a17` an account, `c3` an API client.
pub fn holder(viewer: &Viewer) -> Option<String> {
    viewer.principal().map(|principal| principal.as_link_text())
}

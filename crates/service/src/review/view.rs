//! A case as each audience sees it, decided here once, and the reads behind a case's lists:
//! * [`StaffCaseView`] — reviewers and admins: the assignee, every takedown request, the audit
//!   trail, and complaints with their reporters (unless anonymous).
//! * [`PlatformCaseView`] — a representative of a platform the case was forwarded to: no assignee,
//!   no audit trail, only its own platform's requests, and complaints as
//!   [`PlatformComplaintView`]s, which have no reporter fields.

use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::Services;
use crate::account::AccountRef;
use crate::complaint::{self, ComplaintView, PlatformComplaintView, Reader};
use crate::error::{ServiceError, ServiceResult};
use crate::evidence::{CaseFilesRef, FileReader};
use crate::reference_data::{ReferenceCache, ReferenceData};
use crate::takedown::TakedownView;
use crate::viewer::Viewer;
use laporlapak_db::DbConnection;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::category::Category;
use laporlapak_db::models::event::Event;
use laporlapak_db::models::platform::PlatformWithHosts;
use laporlapak_db::models::takedown_request::TakedownRequest;
use laporlapak_domain::{AuditAction, Authority, CaseStatus, Role, TargetKind};

/// What every audience sees of a case.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub id: i64,
    pub status: CaseStatus,
    pub platform: Arc<PlatformWithHosts>,
    pub category: Arc<Category>,
    /// The canonical URL of the listing or account.
    pub target: String,
    pub target_kind: TargetKind,
    pub report_count: i32,
    pub umkm_report_count: i32,
    pub priority: i32,
    pub flags: Vec<String>,
    pub escalated_to: Option<Authority>,
    pub merged_into: Option<i64>,
    /// The earlier case whose removal this one re-lists.
    pub relisted_from: Option<i64>,
    /// The repeat-offender score of the case's confirmed seller (0 without one).
    pub seller_score: i32,
    /// The largest trusted-flagger boost of its complaints that still count.
    pub flagger_boost: i32,
    /// Who opened it: the public, or the ministry itself.
    pub source: laporlapak_domain::ReportSource,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A case as reviewers and admins see it.
#[derive(Debug, Clone)]
pub struct StaffCaseView {
    pub facts: CaseFacts,
    pub assignee: Option<AccountRef>,
    pub access: StaffCaseAccess,
}

/// A case as a platform it was forwarded to sees it.
#[derive(Debug, Clone)]
pub struct PlatformCaseView {
    pub facts: CaseFacts,
    pub access: PlatformCaseAccess,
}

/// A case for whoever asked.
#[derive(Debug, Clone)]
pub enum CaseView {
    Staff(StaffCaseView),
    Platform(PlatformCaseView),
}

impl CaseView {
    pub fn facts(&self) -> &CaseFacts {
        match self {
            Self::Staff(view) => &view.facts,
            Self::Platform(view) => &view.facts,
        }
    }
}

/// The right to read a case's complaints, requests and audit trail as staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffCaseAccess {
    case_id: i64,
}

/// The right to read a case's complaints (redacted) and one platform's requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlatformCaseAccess {
    case_id: i64,
    platform_id: i64,
}

impl StaffCaseAccess {
    /// The right to list the case's evidence files, both variants.
    pub fn files(self) -> CaseFilesRef {
        CaseFilesRef {
            case_id: self.case_id,
            reader: FileReader::Staff,
        }
    }

    pub(crate) fn case_id(self) -> i64 {
        self.case_id
    }
}

impl PlatformCaseAccess {
    /// The right to list the case's evidence files, redacted variants only.
    pub fn files(self) -> CaseFilesRef {
        CaseFilesRef {
            case_id: self.case_id,
            reader: FileReader::Platform,
        }
    }

    pub(crate) fn case_id(self) -> i64 {
        self.case_id
    }

    pub(crate) fn platform_id(self) -> i64 {
        self.platform_id
    }
}

/// An audit-trail entry as staff see it.
#[derive(Debug, Clone)]
pub struct EventView {
    pub id: i64,
    pub action: AuditAction,
    /// The role of whoever acted; none for the public and the command line.
    pub actor_role: Option<Role>,
    /// Who acted, when it was staff or a platform representative (a citizen is never named here).
    pub actor: Option<AccountRef>,
    /// The API client that acted, as "name (client_id)".
    pub api_client: Option<String>,
    /// The case's status after this event, when the event changed it.
    pub case_status: Option<CaseStatus>,
    pub at: NaiveDateTime,
    pub details: Option<String>,
}

/// The reference data that covers some cases: every platform and category they name.
pub(crate) struct References(Arc<ReferenceData>);

impl References {
    /// From memory; re-read only when a case names a platform or category created since.
    pub(crate) fn covering(
        conn: &mut DbConnection,
        cache: &ReferenceCache,
        cases: &[Case],
    ) -> ServiceResult<Self> {
        let platform_ids: Vec<i64> = cases.iter().map(|c| c.platform_id).collect();
        let category_ids: Vec<i64> = cases.iter().map(|c| c.category_id).collect();
        Ok(Self(cache.covering(conn, &platform_ids, &category_ids)?))
    }

    fn facts(&self, case: &Case) -> ServiceResult<CaseFacts> {
        let (platform, category) = self.0.named_by_row(case.platform_id, case.category_id)?;
        Ok(CaseFacts {
            id: case.id,
            status: case.status,
            platform,
            category,
            target: case.target.clone(),
            target_kind: case.target_kind,
            report_count: case.report_count,
            umkm_report_count: case.umkm_report_count,
            priority: case.priority,
            flags: case.flags.lines().map(str::to_owned).collect(),
            escalated_to: case.escalated_to,
            merged_into: case.merged_into_id,
            relisted_from: case.relisted_from_id,
            seller_score: case.seller_score,
            flagger_boost: case.flagger_boost,
            source: case.source,
            created_at: case.created_at,
            updated_at: case.updated_at,
        })
    }

    pub(crate) fn staff_view(&self, case: &Case) -> ServiceResult<StaffCaseView> {
        Ok(StaffCaseView {
            facts: self.facts(case)?,
            assignee: case.assignee_id.map(AccountRef::new),
            access: StaffCaseAccess { case_id: case.id },
        })
    }

    /// A platform's view holds no count of reporters by kind (a count of UMKM reporters tells it a
    /// competing business reported), so neither does its priority (which adds 10 for each, up to
    /// 5), nor the boost of a trusted flagger (which tells it an organisation reported), nor who
    /// opened the case; and its times are to the hour.
    fn platform_view(&self, case: &Case, platform_id: i64) -> ServiceResult<PlatformCaseView> {
        let mut facts = self.facts(case)?;
        facts.priority -= 10 * facts.umkm_report_count.clamp(0, 5);
        facts.priority -= facts.flagger_boost.clamp(0, 20);
        facts.umkm_report_count = 0;
        facts.flagger_boost = 0;
        facts.source = laporlapak_domain::ReportSource::Public;
        facts.created_at = complaint::opaque::coarse(facts.created_at);
        facts.updated_at = complaint::opaque::coarse(facts.updated_at);
        Ok(PlatformCaseView {
            facts,
            access: PlatformCaseAccess {
                case_id: case.id,
                platform_id,
            },
        })
    }
}

/// One case as staff see it, re-read after a change.
pub(crate) fn staff_view(
    conn: &mut DbConnection,
    cache: &ReferenceCache,
    case_id: i64,
) -> ServiceResult<StaffCaseView> {
    let case = Case::find(conn, case_id)?.ok_or(ServiceError::NotFound)?;
    References::covering(conn, cache, std::slice::from_ref(&case))?.staff_view(&case)
}

/// A case by id as the viewer may see it; `None` when it does not exist or lies outside the
/// viewer's scope (a platform sees only cases forwarded to it; citizens and the public none).
pub async fn find_case(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
) -> ServiceResult<Option<CaseView>> {
    let staff = viewer.staff();
    let platform = viewer.platform_rep().ok();
    if staff.is_none() && platform.is_none() {
        return Ok(None);
    }
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let Some(case) = Case::find(conn, case_id)? else {
                return Ok(None);
            };
            match (staff, platform) {
                (Some(_), _) => Ok(Some(CaseView::Staff(
                    References::covering(conn, &cache, std::slice::from_ref(&case))?
                        .staff_view(&case)?,
                ))),
                (None, Some(rep))
                    if TakedownRequest::exists_for_platform(conn, case.id, rep.platform_id())? =>
                {
                    Ok(Some(CaseView::Platform(
                        References::covering(conn, &cache, std::slice::from_ref(&case))?
                            .platform_view(&case, rep.platform_id())?,
                    )))
                }
                _ => Ok(None),
            }
        })
        .await
}

/// A page of a case's complaints in submission order, with the total: `(page, more follow, total)`.
type Page<T> = (Vec<T>, bool, i64);

fn complaints_page(
    conn: &mut DbConnection,
    cache: &ReferenceCache,
    case_id: i64,
    after: Option<i64>,
    first: i64,
) -> ServiceResult<Page<complaint::Loaded>> {
    let mut page = Case::complaints_page(conn, case_id, after, first + 1)?;
    let has_more = crate::cut_page(&mut page, first);
    let total = Case::complaint_count(conn, case_id)?;
    Ok((
        complaint::load_complaints(conn, cache, page)?,
        has_more,
        total,
    ))
}

/// The case's complaints as staff see them.
pub async fn staff_case_complaints(
    services: &Services,
    access: StaffCaseAccess,
    after: Option<i64>,
    first: i64,
) -> ServiceResult<Page<ComplaintView>> {
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let (page, has_more, total) =
                complaints_page(conn, &cache, access.case_id, after, first)?;
            let page = page
                .into_iter()
                .map(|loaded| loaded.into_view(Reader::Staff))
                .collect();
            Ok((page, has_more, total))
        })
        .await
}

/// The case's complaints as the platform sees them: what was reported, never who reported it.
/// `after` is the opaque key of the last complaint of the previous page (`PlatformComplaintView::id`);
/// a key this platform was not given is a bad cursor.
pub async fn platform_case_complaints(
    services: &Services,
    access: PlatformCaseAccess,
    after: Option<String>,
    first: i64,
) -> ServiceResult<Page<PlatformComplaintView>> {
    let cache = services.reference.clone();
    let vault = services.vault.clone();
    let after = match after {
        Some(key) => Some(
            complaint::opaque::key_to_id(&vault, access.platform_id, &key)?.ok_or_else(|| {
                ServiceError::bad_input("after", laporlapak_domain::i18n::Msg::InvalidCursor)
            })?,
        ),
        None => None,
    };
    services
        .db
        .run(move |conn| {
            let (page, has_more, total) =
                complaints_page(conn, &cache, access.case_id, after, first)?;
            let page = page
                .into_iter()
                .map(|loaded| loaded.into_platform_view(&vault))
                .collect::<ServiceResult<_>>()?;
            Ok((page, has_more, total))
        })
        .await
}

/// Every takedown request of the case (staff).
pub async fn staff_case_takedown_requests(
    services: &Services,
    access: StaffCaseAccess,
) -> ServiceResult<Vec<TakedownView>> {
    takedown_requests(services, access.case_id, None).await
}

/// The case's takedown requests to the platform itself, none to any other.
pub async fn platform_case_takedown_requests(
    services: &Services,
    access: PlatformCaseAccess,
) -> ServiceResult<Vec<TakedownView>> {
    takedown_requests(services, access.case_id, Some(access.platform_id)).await
}

/// A case's takedown requests, to one platform or to all.
async fn takedown_requests(
    services: &Services,
    case_id: i64,
    platform_id: Option<i64>,
) -> ServiceResult<Vec<TakedownView>> {
    let now = services.clock.now();
    services
        .db
        .run(move |conn| {
            Ok(TakedownRequest::for_case(conn, case_id)?
                .into_iter()
                .filter(|row| platform_id.is_none_or(|platform| row.platform_id == platform))
                .map(|row| TakedownView::new(row, now))
                .collect())
        })
        .await
}

/// The case's audit trail, oldest first (staff only: there is no platform variant). Anonymous means
/// anonymous to staff too: the events of an account that filed a complaint of this case anonymously
/// show neither who acted nor that it was a signed-in citizen.
pub async fn case_events(
    services: &Services,
    access: StaffCaseAccess,
) -> ServiceResult<Vec<EventView>> {
    services
        .db
        .run(move |conn| {
            let hidden = Case::anonymous_reporters(conn, access.case_id)?;
            let events = Case::events(conn, access.case_id)?;
            let client_ids: Vec<i64> = events
                .iter()
                .filter_map(|event| event.actor_api_client_id)
                .collect();
            let clients = if client_ids.is_empty() {
                Vec::new()
            } else {
                laporlapak_db::models::api_client::ApiClient::labels(conn, &client_ids)?
            };
            Ok(events
                .into_iter()
                .map(|event: Event| {
                    let hide = event
                        .actor_account_id
                        .is_some_and(|account| hidden.contains(&account));
                    let actor_role = event
                        .actor_role
                        .and_then(|actor| actor.role())
                        .filter(|_| !hide);
                    let named = actor_role.is_some_and(Role::is_staff);
                    EventView {
                        id: event.id,
                        action: event.action,
                        actor_role,
                        actor: event
                            .actor_account_id
                            .filter(|_| named)
                            .map(AccountRef::new),
                        api_client: event.actor_api_client_id.and_then(|id| {
                            clients
                                .iter()
                                .find(|(client, _)| *client == id)
                                .map(|(_, label)| label.clone())
                        }),
                        case_status: event.case_status,
                        at: event.at,
                        details: event.details,
                    }
                })
                .collect())
        })
        .await
}

/// Many cases as staff see them.
pub(crate) fn staff_views(
    conn: &mut DbConnection,
    cache: &ReferenceCache,
    cases: &[Case],
) -> ServiceResult<Vec<StaffCaseView>> {
    let references = References::covering(conn, cache, cases)?;
    cases
        .iter()
        .map(|case| references.staff_view(case))
        .collect()
}

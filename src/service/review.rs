//! The reviewer desk (SPEC §4): the prioritised queue, claims, every case transition, the
//! information loop, takedown requests and merges.
//!
//! Every transition is one write transaction: a conditional update (`status` and `version` in the
//! WHERE clause) decides races — the loser sees zero rows changed and gets CONFLICT naming the
//! current status — and the audit event is written in the same transaction.

use chrono::NaiveDateTime;

use crate::auth::Viewer;
use crate::db::models::account::Account;
use crate::db::models::case::{Case, QueueFilter};
use crate::db::models::category::Category;
use crate::db::models::complaint::Complaint;
use crate::db::models::event::Event;
use crate::db::models::message::{Message, MessageInsertForm};
use crate::db::models::platform::{Platform, PlatformWithHosts};
use crate::db::models::takedown_request::{TakedownRequest, TakedownRequestInsertForm};
use crate::db::{self, DbConnection};
use crate::domain::{CaseStatus, Role, TrackingCode, text};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Msg;
use crate::service::Services;
use crate::service::audit::{self, Actor, NewEvent, Subject};
use crate::service::complaint::{self, ComplaintView};

pub const NOTE_MIN: usize = 10;
pub const NOTE_MAX: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Normal,
    Urgent,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "NORMAL",
            Self::Urgent => "URGENT",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    Komdigi,
    Kemendag,
    BeaCukai,
    Polri,
    Other,
}

impl Authority {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Komdigi => "KOMDIGI",
            Self::Kemendag => "KEMENDAG",
            Self::BeaCukai => "BEA_CUKAI",
            Self::Polri => "POLRI",
            Self::Other => "OTHER",
        }
    }
}

/// The queue's filter as the client gave it (slugs and codes, not ids).
#[derive(Debug, Clone, Default)]
pub struct QueueRequest {
    pub statuses: Option<Vec<CaseStatus>>,
    pub platforms: Option<Vec<String>>,
    pub categories: Option<Vec<String>>,
    pub assigned_to_me: bool,
    pub overdue: Option<bool>,
    pub flagged: Option<bool>,
}

/// A case with what every view of it shows beside it.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: Case,
    pub platform: PlatformWithHosts,
    pub category: Category,
}

pub struct ForwardRequest {
    pub urgency: Urgency,
    pub legal_basis: Option<String>,
    pub note: Option<String>,
}

fn note(value: &str, field: &'static str) -> ServiceResult<String> {
    text::multi_line(value, NOTE_MIN, NOTE_MAX)
        .map_err(|reason| ServiceError::bad_input(field, reason))
}

fn conflict_with(status: CaseStatus) -> ServiceError {
    ServiceError::Conflict {
        reason: Msg::TransitionNotAllowed {
            status: status.as_str(),
        },
        current_status: Some(status.as_str()),
    }
}

fn reviewer(viewer: &Viewer) -> ServiceResult<i64> {
    Ok(viewer.require_role(&[Role::Reviewer])?.account_id)
}

pub fn case_view(conn: &mut DbConnection, case: Case) -> ServiceResult<CaseView> {
    let platform = Platform::find(conn, case.platform_id)?
        .ok_or(ServiceError::NotFound)?
        .with_hosts(conn)?;
    let category = Category::find(conn, case.category_id)?.ok_or(ServiceError::NotFound)?;
    Ok(CaseView {
        case,
        platform,
        category,
    })
}

/// Views of many cases with the reference data read once, not once per case.
fn case_views(conn: &mut DbConnection, cases: Vec<Case>) -> ServiceResult<Vec<CaseView>> {
    let platforms = Platform::list_with_hosts(conn, true)?;
    let categories = Category::list_all(conn)?;
    cases
        .into_iter()
        .map(|case| {
            let platform = platforms
                .iter()
                .find(|p| p.platform.id == case.platform_id)
                .cloned()
                .ok_or(ServiceError::NotFound)?;
            let category = categories
                .iter()
                .find(|c| c.id == case.category_id)
                .cloned()
                .ok_or(ServiceError::NotFound)?;
            Ok(CaseView {
                case,
                platform,
                category,
            })
        })
        .collect()
}

/// The review queue. REVIEWER only.
pub async fn queue(
    services: &Services,
    viewer: &Viewer,
    request: QueueRequest,
    after: Option<(i32, i64)>,
    first: i64,
) -> ServiceResult<(Vec<CaseView>, bool)> {
    let me = reviewer(viewer)?;
    services
        .db
        .run(move |conn| {
            let now = db::now();
            let statuses: Vec<&'static str> = match (&request.statuses, request.overdue) {
                (Some(list), _) if !list.is_empty() => list.iter().map(|s| s.as_str()).collect(),
                (_, Some(true)) => CaseStatus::non_final().map(CaseStatus::as_str).collect(),
                _ => [
                    CaseStatus::Open,
                    CaseStatus::InReview,
                    CaseStatus::AwaitingInfo,
                ]
                .map(CaseStatus::as_str)
                .to_vec(),
            };
            let platform_ids = match &request.platforms {
                Some(slugs) => {
                    let mut ids = Vec::new();
                    for slug in slugs {
                        let platform = Platform::find_by_slug(conn, &slug.to_lowercase())?
                            .ok_or_else(|| {
                                ServiceError::bad_input("filter.platform", Msg::UnknownPlatform)
                            })?;
                        ids.push(platform.id);
                    }
                    Some(ids)
                }
                None => None,
            };
            let category_ids = match &request.categories {
                Some(codes) => {
                    let mut ids = Vec::new();
                    for code in codes {
                        let category = Category::find_by_code(conn, code)?.ok_or_else(|| {
                            ServiceError::bad_input("filter.category", Msg::UnknownCategory)
                        })?;
                        ids.push(category.id);
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
            };
            let mut page = Case::queue_page(conn, &filter, after, first + 1)?;
            let has_more = page.len() > usize::try_from(first).unwrap_or(usize::MAX);
            page.truncate(usize::try_from(first).unwrap_or(0));
            Ok((case_views(conn, page)?, has_more))
        })
        .await
}

/// Who is looking at a case, which decides what of it they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Reviewers and admins: everything, reporters unless anonymous.
    Staff,
    /// A platform representative: only cases forwarded to its platform, never a reporter.
    Platform,
}

/// A case by id, with the audience it is shown to; `None` outside the viewer's scope.
pub async fn find_case(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
) -> ServiceResult<Option<(CaseView, Audience)>> {
    let Some(account) = viewer.account().cloned() else {
        return Ok(None);
    };
    services
        .db
        .run(move |conn| {
            let Some(case) = Case::find(conn, case_id)? else {
                return Ok(None);
            };
            let audience = match (account.role, &account.platform) {
                (Role::Reviewer | Role::Admin, _) => Audience::Staff,
                (Role::Platform, Some((platform_id, _)))
                    if TakedownRequest::exists_for_platform(conn, case.id, *platform_id)? =>
                {
                    Audience::Platform
                }
                _ => return Ok(None),
            };
            Ok(Some((case_view(conn, case)?, audience)))
        })
        .await
}

pub async fn case_complaints(
    services: &Services,
    case_id: i64,
    after: Option<i64>,
    first: i64,
) -> ServiceResult<(Vec<ComplaintView>, bool, i64)> {
    services
        .db
        .run(move |conn| {
            let mut page = Case::complaints_page(conn, case_id, after, first + 1)?;
            let has_more = page.len() > usize::try_from(first).unwrap_or(usize::MAX);
            page.truncate(usize::try_from(first).unwrap_or(0));
            let total = Case::complaint_count(conn, case_id)?;
            Ok((complaint::load_views(conn, page)?, has_more, total))
        })
        .await
}

pub async fn case_takedown_requests(
    services: &Services,
    case_id: i64,
) -> ServiceResult<Vec<TakedownRequest>> {
    services
        .db
        .run(move |conn| Ok(TakedownRequest::for_case(conn, case_id)?))
        .await
}

pub async fn case_events(services: &Services, case_id: i64) -> ServiceResult<Vec<Event>> {
    services
        .db
        .run(move |conn| Ok(Case::events(conn, case_id)?))
        .await
}

pub async fn account(services: &Services, id: i64) -> ServiceResult<Option<Account>> {
    services
        .db
        .run(move |conn| Ok(Account::find(conn, id)?))
        .await
}

/// One arrow of the lifecycle diagram: the statuses it leaves from, where it goes, and the audit
/// action (with details) it records.
struct Step {
    from: &'static [CaseStatus],
    to: CaseStatus,
    action: &'static str,
    details: Option<String>,
}

/// Runs one transition: checks the status and the claim, applies the conditional update, lets
/// `effect` do the rest of the change, and records the event — all in one transaction. Returns the
/// case after the change with what `effect` returned.
async fn transition<F, R>(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    step: Step,
    effect: F,
) -> ServiceResult<(CaseView, R)>
where
    F: FnOnce(&mut DbConnection, &Case, NaiveDateTime) -> ServiceResult<R> + Send + 'static,
    R: Send + 'static,
{
    let me = reviewer(viewer)?;
    let viewer = viewer.clone();
    let Step {
        from,
        to,
        action,
        details,
    } = step;
    services
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let case = Case::find(conn, case_id)?.ok_or(ServiceError::NotFound)?;
                let status = case.status();
                if !from.contains(&status) {
                    return Err(conflict_with(status));
                }
                if status == CaseStatus::InReview && case.assignee_id.is_some_and(|a| a != me) {
                    return Err(ServiceError::Conflict {
                        reason: Msg::ClaimedByAnother,
                        current_status: Some(status.as_str()),
                    });
                }
                let now = db::now();
                if !Case::transition(conn, case.id, case.version, status, to, now)? {
                    let current = Case::find(conn, case.id)?.map_or(status, |c| c.status());
                    return Err(conflict_with(current));
                }
                let outcome = effect(conn, &case, now)?;
                let mut event = NewEvent::new(action, Subject::Case(case.id))
                    .in_case(case.id)
                    .status(to);
                if let Some(details) = &details {
                    event = event.details(details);
                }
                audit::record(conn, Actor::Viewer(&viewer), event)?;
                let case = Case::find(conn, case.id)?.ok_or(ServiceError::NotFound)?;
                Ok((case_view(conn, case)?, outcome))
            })
        })
        .await
}

pub async fn claim(services: &Services, viewer: &Viewer, case_id: i64) -> ServiceResult<CaseView> {
    let me = reviewer(viewer)?;
    transition(
        services,
        viewer,
        case_id,
        Step {
            from: &[CaseStatus::Open],
            to: CaseStatus::InReview,
            action: "case.claimed",
            details: None,
        },
        move |conn, case, _| Ok(Case::set_assignee(conn, case.id, Some(me))?),
    )
    .await
    .map(|(case, ())| case)
}

pub async fn release(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
) -> ServiceResult<CaseView> {
    transition(
        services,
        viewer,
        case_id,
        Step {
            from: &[CaseStatus::InReview],
            to: CaseStatus::Open,
            action: "case.released",
            details: None,
        },
        |conn, case, _| Ok(Case::set_assignee(conn, case.id, None)?),
    )
    .await
    .map(|(case, ())| case)
}

pub async fn reject(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    reason: &str,
) -> ServiceResult<CaseView> {
    reviewer(viewer)?;
    let reason = note(reason, "reason")?;
    transition(
        services,
        viewer,
        case_id,
        Step {
            from: &[CaseStatus::InReview],
            to: CaseStatus::Rejected,
            action: "case.rejected",
            details: Some(reason),
        },
        |_, _, _| Ok(()),
    )
    .await
    .map(|(case, ())| case)
}

pub async fn request_information(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    message: &str,
) -> ServiceResult<CaseView> {
    let me = reviewer(viewer)?;
    let body = note(message, "message")?;
    transition(
        services,
        viewer,
        case_id,
        Step {
            from: &[CaseStatus::InReview],
            to: CaseStatus::AwaitingInfo,
            action: "case.information_requested",
            details: None,
        },
        move |conn, case, now| {
            Message::insert(
                conn,
                &MessageInsertForm {
                    case_id: case.id,
                    complaint_id: None,
                    author: "REVIEWER",
                    author_account_id: Some(me),
                    body: &body,
                    created_at: now,
                },
            )?;
            Ok(())
        },
    )
    .await
    .map(|(case, ())| case)
}

/// Back to review without waiting for a reply.
pub async fn resume(services: &Services, viewer: &Viewer, case_id: i64) -> ServiceResult<CaseView> {
    transition(
        services,
        viewer,
        case_id,
        Step {
            from: &[CaseStatus::AwaitingInfo],
            to: CaseStatus::InReview,
            action: "case.resumed",
            details: None,
        },
        |_, _, _| Ok(()),
    )
    .await
    .map(|(case, ())| case)
}

pub async fn escalate(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    authority: Authority,
    note_text: &str,
) -> ServiceResult<CaseView> {
    reviewer(viewer)?;
    let note_text = note(note_text, "note")?;
    let details = format!("{}: {note_text}", authority.as_str());
    transition(
        services,
        viewer,
        case_id,
        Step {
            from: &[CaseStatus::InReview, CaseStatus::PlatformDeclined],
            to: CaseStatus::Escalated,
            action: "case.escalated",
            details: Some(details),
        },
        move |conn, case, _| Ok(Case::set_escalated_to(conn, case.id, authority.as_str())?),
    )
    .await
    .map(|(case, ())| case)
}

pub async fn close(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    note_text: &str,
) -> ServiceResult<CaseView> {
    reviewer(viewer)?;
    let note_text = note(note_text, "note")?;
    const NON_FINAL: &[CaseStatus] = &[
        CaseStatus::Open,
        CaseStatus::InReview,
        CaseStatus::AwaitingInfo,
        CaseStatus::Forwarded,
        CaseStatus::PlatformDeclined,
        CaseStatus::Escalated,
    ];
    transition(
        services,
        viewer,
        case_id,
        Step {
            from: NON_FINAL,
            to: CaseStatus::Closed,
            action: "case.closed",
            details: Some(note_text),
        },
        |conn, case, _| Ok(Case::set_takedown_due_at(conn, case.id, None)?),
    )
    .await
    .map(|(case, ())| case)
}

/// Turns a case into a formal takedown request to its platform: due after the platform's
/// response hours (24 normal, 4 urgent by default, per Permenkominfo 5/2020).
pub async fn forward(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    request: ForwardRequest,
) -> ServiceResult<TakedownRequest> {
    let me = reviewer(viewer)?;
    let legal_basis = request
        .legal_basis
        .as_deref()
        .map(|basis| note(basis, "input.legalBasis"))
        .transpose()?;
    let note_text = request
        .note
        .as_deref()
        .map(|n| note(n, "input.note"))
        .transpose()?;
    let urgency = request.urgency;
    let (_, id) = transition(
        services,
        viewer,
        case_id,
        Step {
            from: &[CaseStatus::InReview],
            to: CaseStatus::Forwarded,
            action: "case.forwarded",
            details: Some(urgency.as_str().to_owned()),
        },
        move |conn, case, now| {
            let platform = Platform::find(conn, case.platform_id)?.ok_or(ServiceError::NotFound)?;
            let category = Category::find(conn, case.category_id)?.ok_or(ServiceError::NotFound)?;
            let hours = match urgency {
                Urgency::Normal => platform.response_hours,
                Urgency::Urgent => platform.urgent_response_hours,
            };
            let due_at = now + chrono::Duration::hours(i64::from(hours));
            let id = TakedownRequest::insert(
                conn,
                &TakedownRequestInsertForm {
                    case_id: case.id,
                    platform_id: platform.id,
                    legal_basis: legal_basis.as_deref().unwrap_or(&category.legal_basis),
                    urgency: urgency.as_str(),
                    note: note_text.as_deref(),
                    status: "PENDING",
                    issued_by: me,
                    issued_at: now,
                    due_at,
                },
            )?;
            Case::set_takedown_due_at(conn, case.id, Some(due_at))?;
            Ok(id)
        },
    )
    .await?;
    services
        .db
        .run(move |conn| TakedownRequest::find(conn, id)?.ok_or(ServiceError::NotFound))
        .await
}

pub async fn merge(
    services: &Services,
    viewer: &Viewer,
    target_id: i64,
    source_ids: Vec<i64>,
) -> ServiceResult<CaseView> {
    let me = reviewer(viewer)?;
    if source_ids.is_empty() || source_ids.len() > 50 {
        return Err(ServiceError::bad_input(
            "sourceCaseIds",
            Msg::OutOfRange { min: 1, max: 50 },
        ));
    }
    if source_ids.contains(&target_id) {
        return Err(ServiceError::bad_input(
            "sourceCaseIds",
            Msg::MergeIntoItself,
        ));
    }
    let viewer = viewer.clone();
    services
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = db::now();
                let target = Case::find(conn, target_id)?.ok_or(ServiceError::NotFound)?;
                check_mergeable(&target, me)?;
                if !Case::lock_if_open(conn, target.id, now)? {
                    return Err(conflict_with(target.status()));
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
                    let status = source.status();
                    if !matches!(
                        status,
                        CaseStatus::Open | CaseStatus::InReview | CaseStatus::AwaitingInfo
                    ) {
                        return Err(conflict_with(status));
                    }
                    if !Case::transition(
                        conn,
                        source.id,
                        source.version,
                        status,
                        CaseStatus::Closed,
                        now,
                    )? {
                        let current = Case::find(conn, source.id)?.map_or(status, |c| c.status());
                        return Err(conflict_with(current));
                    }
                    Case::set_merged_into(conn, source.id, target.id)?;
                    let moved = Case::move_complaints(conn, source.id, target.id)?;
                    Message::move_to_case(conn, source.id, target.id)?;
                    complaint::refresh_case(conn, source.id)?;
                    let details = format!("merged into case {} ({moved} complaints)", target.id);
                    audit::record(
                        conn,
                        Actor::Viewer(&viewer),
                        NewEvent::new("case.merged_away", Subject::Case(source.id))
                            .in_case(source.id)
                            .status(CaseStatus::Closed)
                            .details(&details),
                    )?;
                    let details = format!("case {} merged in ({moved} complaints)", source.id);
                    audit::record(
                        conn,
                        Actor::Viewer(&viewer),
                        NewEvent::new("case.merged", Subject::Case(target.id))
                            .in_case(target.id)
                            .details(&details),
                    )?;
                }
                complaint::refresh_case(conn, target.id)?;
                let target = Case::find(conn, target.id)?.ok_or(ServiceError::NotFound)?;
                case_view(conn, target)
            })
        })
        .await
}

fn check_mergeable(case: &Case, me: i64) -> ServiceResult<()> {
    let status = case.status();
    if status.is_final() {
        return Err(conflict_with(status));
    }
    if status == CaseStatus::InReview && case.assignee_id.is_some_and(|a| a != me) {
        return Err(ServiceError::Conflict {
            reason: Msg::ClaimedByAnother,
            current_status: Some(status.as_str()),
        });
    }
    Ok(())
}

/// How a reporter proves a complaint is theirs when replying.
pub enum ReporterProof {
    /// Signed in: the complaint's account.
    Account(i64),
    /// Anonymous: the complaint's tracking code.
    TrackingCode(String),
}

/// A reporter answers an information request: the reply and any evidence are recorded, and an
/// AWAITING_INFO case goes back to IN_REVIEW. A reply to a case already back in review is still
/// recorded, so no reporter's answer is lost.
pub async fn reply(
    services: &Services,
    viewer: &Viewer,
    proof: ReporterProof,
    complaint_id: Option<i64>,
    message: &str,
    evidence_urls: Vec<String>,
) -> ServiceResult<ComplaintView> {
    let body = text::multi_line(message, 1, NOTE_MAX)
        .map_err(|reason| ServiceError::bad_input("message", reason))?;
    let evidence: Vec<String> = evidence_urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            complaint::parse_evidence_url(url)
                .map_err(|reason| ServiceError::bad_input(format!("evidenceUrls[{i}]"), reason))
        })
        .collect::<ServiceResult<_>>()?;
    if evidence.len() > complaint::MAX_EVIDENCE_PER_REQUEST {
        return Err(ServiceError::bad_input(
            "evidenceUrls",
            Msg::TooMany {
                max: complaint::MAX_EVIDENCE_PER_REQUEST,
            },
        ));
    }
    let viewer = viewer.clone();
    services
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let found = match &proof {
                    ReporterProof::Account(account) => complaint_id
                        .map(|id| Complaint::find(conn, id))
                        .transpose()?
                        .flatten()
                        .filter(|c| c.reporter_account_id == Some(*account)),
                    ReporterProof::TrackingCode(code) => match TrackingCode::parse(code) {
                        Some(code) => Complaint::find_by_tracking_code(conn, code.as_str())?,
                        None => None,
                    },
                };
                let complaint = found.ok_or(ServiceError::NotFound)?;
                if complaint.withdrawn_at.is_some() {
                    return Err(ServiceError::conflict(Msg::AlreadyWithdrawn));
                }
                let case = Case::find(conn, complaint.case_id)?.ok_or(ServiceError::NotFound)?;
                let now = db::now();
                let status = match case.status() {
                    CaseStatus::AwaitingInfo => {
                        if !Case::transition(
                            conn,
                            case.id,
                            case.version,
                            CaseStatus::AwaitingInfo,
                            CaseStatus::InReview,
                            now,
                        )? {
                            let current = Case::find(conn, case.id)?
                                .map_or(CaseStatus::InReview, |c| c.status());
                            if current != CaseStatus::InReview {
                                return Err(conflict_with(current));
                            }
                        }
                        CaseStatus::InReview
                    }
                    CaseStatus::InReview => CaseStatus::InReview,
                    other => return Err(conflict_with(other)),
                };
                Message::insert(
                    conn,
                    &MessageInsertForm {
                        case_id: case.id,
                        complaint_id: Some(complaint.id),
                        author: "REPORTER",
                        author_account_id: complaint.reporter_account_id,
                        body: &body,
                        created_at: now,
                    },
                )?;
                Complaint::add_evidence(conn, complaint.id, &evidence, now)?;
                audit::record(
                    conn,
                    Actor::Viewer(&viewer),
                    NewEvent::new(
                        "complaint.information_provided",
                        Subject::Complaint(complaint.id),
                    )
                    .in_case(case.id)
                    .status(status),
                )?;
                let mut views = complaint::load_views(conn, vec![complaint])?;
                views.pop().ok_or(ServiceError::NotFound)
            })
        })
        .await
}

/// The messages a complaint's reporter sees (and reviewers, on that complaint).
pub async fn messages_for(
    services: &Services,
    case_id: i64,
    complaint_id: i64,
) -> ServiceResult<Vec<Message>> {
    services
        .db
        .run(move |conn| Ok(Message::for_complaint(conn, case_id, complaint_id)?))
        .await
}

//! The platform desk: takedown requests as a platform representative sees and answers them.
//!
//! A representative's scope is its token's platform, re-read from its account on every request,
//! never an argument: a request of another platform answers exactly as a nonexistent one does.

use chrono::NaiveDateTime;

use crate::auth::Viewer;
use crate::db::models::case::Case;
use crate::db::models::takedown_request::TakedownRequest;
use crate::db::{self, DbConnection};
use crate::domain::{CaseStatus, Role, text};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Msg;
use crate::service::Services;
use crate::service::audit::{self, Actor, NewEvent, Subject};

pub const REASONS_MIN: usize = 20;
pub const REASONS_MAX: usize = 5_000;
/// Clock skew tolerated on a platform's `actedAt`.
const FUTURE_LEEWAY_SECONDS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Removed,
    Restricted,
    GeoBlocked,
    Declined,
    NeedsMoreInfo,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Removed => "REMOVED",
            Self::Restricted => "RESTRICTED",
            Self::GeoBlocked => "GEO_BLOCKED",
            Self::Declined => "DECLINED",
            Self::NeedsMoreInfo => "NEEDS_MORE_INFO",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Removed,
            Self::Restricted,
            Self::GeoBlocked,
            Self::Declined,
            Self::NeedsMoreInfo,
        ]
        .into_iter()
        .find(|action| action.as_str() == value)
    }

    /// Where the answer takes a FORWARDED case.
    fn case_status(self) -> CaseStatus {
        match self {
            Self::Removed | Self::Restricted | Self::GeoBlocked => CaseStatus::Resolved,
            Self::Declined => CaseStatus::PlatformDeclined,
            Self::NeedsMoreInfo => CaseStatus::InReview,
        }
    }
}

pub struct Answer {
    pub action: Action,
    pub statement_of_reasons: String,
    pub acted_at: Option<NaiveDateTime>,
}

/// The platform whose requests the viewer may see: its own for a representative, any (or the one
/// asked for) for a reviewer. `Err(NotFound)` hides everything from anyone else.
enum Scope {
    Platform(i64),
    Everything,
}

fn scope(viewer: &Viewer) -> ServiceResult<Scope> {
    let account = viewer.require_role(&[Role::Platform, Role::Reviewer, Role::Admin])?;
    match (account.role, &account.platform) {
        (Role::Platform, Some((platform_id, _))) => Ok(Scope::Platform(*platform_id)),
        (Role::Platform, None) => Err(ServiceError::Forbidden),
        _ => Ok(Scope::Everything),
    }
}

fn visible(scope: &Scope, request: &TakedownRequest) -> bool {
    match scope {
        Scope::Platform(platform_id) => request.platform_id == *platform_id,
        Scope::Everything => true,
    }
}

/// A page of takedown requests, oldest due first.
pub async fn list(
    services: &Services,
    viewer: &Viewer,
    status: Option<&'static str>,
    platform_slug: Option<String>,
    after: Option<(NaiveDateTime, i64)>,
    first: i64,
) -> ServiceResult<(Vec<TakedownRequest>, bool)> {
    let scope = scope(viewer)?;
    services
        .db
        .run(move |conn| {
            let platform_id = match (&scope, platform_slug) {
                (Scope::Platform(own), None) => Some(*own),
                (Scope::Platform(own), Some(slug)) => {
                    let asked = crate::db::models::platform::Platform::find_by_slug(conn, &slug)?;
                    if asked.map(|p| p.id) != Some(*own) {
                        return Ok((Vec::new(), false));
                    }
                    Some(*own)
                }
                (Scope::Everything, Some(slug)) => Some(
                    crate::db::models::platform::Platform::find_by_slug(
                        conn,
                        &slug.to_lowercase(),
                    )?
                    .ok_or_else(|| ServiceError::bad_input("platform", Msg::UnknownPlatform))?
                    .id,
                ),
                (Scope::Everything, None) => None,
            };
            let mut page = TakedownRequest::page(conn, platform_id, status, after, first + 1)?;
            let has_more = page.len() > usize::try_from(first).unwrap_or(usize::MAX);
            page.truncate(usize::try_from(first).unwrap_or(0));
            Ok((page, has_more))
        })
        .await
}

pub async fn find_visible(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<Option<TakedownRequest>> {
    let Ok(scope) = scope(viewer) else {
        return Ok(None);
    };
    services
        .db
        .run(move |conn| Ok(TakedownRequest::find(conn, id)?.filter(|r| visible(&scope, r))))
        .await
}

fn own_request(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<TakedownRequest> {
    let account = viewer.require_role(&[Role::Platform])?;
    let (platform_id, _) = account.platform.clone().ok_or(ServiceError::Forbidden)?;
    TakedownRequest::find(conn, id)?
        .filter(|r| r.platform_id == platform_id)
        .ok_or(ServiceError::NotFound)
}

/// Records that the platform received the request. Idempotent: a second call changes nothing.
pub async fn acknowledge(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<TakedownRequest> {
    viewer.require_role(&[Role::Platform])?;
    let viewer = viewer.clone();
    services
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let request = own_request(conn, &viewer, id)?;
                if TakedownRequest::acknowledge(conn, request.id, db::now())? {
                    audit::record(
                        conn,
                        Actor::Viewer(&viewer),
                        NewEvent::new(
                            "takedown.acknowledged",
                            Subject::TakedownRequest(request.id),
                        )
                        .in_case(request.case_id),
                    )?;
                }
                TakedownRequest::find(conn, request.id)?.ok_or(ServiceError::NotFound)
            })
        })
        .await
}

/// The platform's answer: once per request. A removal resolves the case, a refusal moves it to
/// PLATFORM_DECLINED (where a reviewer may escalate it), a request for more information sends it
/// back to review with the platform's statement on the timeline. Late answers are accepted and
/// recorded as late.
pub async fn respond(
    services: &Services,
    viewer: &Viewer,
    id: i64,
    answer: Answer,
) -> ServiceResult<TakedownRequest> {
    viewer.require_role(&[Role::Platform])?;
    let reasons = text::multi_line(&answer.statement_of_reasons, REASONS_MIN, REASONS_MAX)
        .map_err(|reason| ServiceError::bad_input("input.statementOfReasons", reason))?;
    let now = db::now();
    if let Some(acted_at) = answer.acted_at
        && acted_at > now + chrono::Duration::seconds(FUTURE_LEEWAY_SECONDS)
    {
        return Err(ServiceError::bad_input("input.actedAt", Msg::ActedInFuture));
    }
    let viewer = viewer.clone();
    services
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let request = own_request(conn, &viewer, id)?;
                let acted_at = answer.acted_at.unwrap_or(now).min(now);
                if acted_at < request.issued_at {
                    return Err(ServiceError::bad_input(
                        "input.actedAt",
                        Msg::ActedBeforeIssued,
                    ));
                }
                let at = db::now();
                if !TakedownRequest::answer(
                    conn,
                    request.id,
                    answer.action.as_str(),
                    &reasons,
                    acted_at,
                    at,
                )? {
                    return Err(ServiceError::Conflict {
                        reason: Msg::AlreadyAnswered,
                        current_status: None,
                    });
                }
                let late = at > request.due_at;
                let details = format!(
                    "{}{}: {reasons}",
                    answer.action.as_str(),
                    if late { " (late)" } else { "" }
                );
                audit::record(
                    conn,
                    Actor::Viewer(&viewer),
                    NewEvent::new("takedown.answered", Subject::TakedownRequest(request.id))
                        .in_case(request.case_id)
                        .details(&details),
                )?;
                let case = Case::find(conn, request.case_id)?.ok_or(ServiceError::NotFound)?;
                Case::set_takedown_due_at(conn, case.id, None)?;
                let to = answer.action.case_status();
                // A case a reviewer already moved on (closed, say) keeps its status; the answer is
                // still recorded and counted.
                if case.status() == CaseStatus::Forwarded
                    && Case::transition(conn, case.id, case.version, CaseStatus::Forwarded, to, at)?
                {
                    let action = match to {
                        CaseStatus::Resolved => "case.resolved",
                        CaseStatus::PlatformDeclined => "case.platform_declined",
                        _ => "case.platform_needs_more_info",
                    };
                    audit::record(
                        conn,
                        Actor::Viewer(&viewer),
                        NewEvent::new(action, Subject::Case(case.id))
                            .in_case(case.id)
                            .status(to)
                            .details(&details),
                    )?;
                }
                TakedownRequest::find(conn, request.id)?.ok_or(ServiceError::NotFound)
            })
        })
        .await
}

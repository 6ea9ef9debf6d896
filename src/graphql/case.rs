//! The reviewer desk in the API: `reviewQueue`, `case`, and the case transitions, plus the types
//! `Case`, `Event`, `TakedownRequest` and `Message`.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::db::models::event::Event as EventRow;
use crate::db::models::message::Message as MessageRow;
use crate::db::models::takedown_request::TakedownRequest as TakedownRow;
use crate::domain::{CaseStatus as DomainStatus, Role as DomainRole};
use crate::error::ServiceError;
use crate::graphql::ContextExt as _;
use crate::graphql::account::{Account, Role};
use crate::graphql::complaint::{CaseStatus, Complaint, ComplaintConnectionFields};
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::{Category, Platform};
use crate::i18n::Msg;
use crate::service::review::{
    self as service, Audience, CaseView, ForwardRequest, QueueRequest, ReporterProof,
};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::service::review::Urgency")]
pub enum Urgency {
    Normal,
    Urgent,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::service::review::Authority")]
pub enum Authority {
    Komdigi,
    Kemendag,
    BeaCukai,
    Polri,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum TakedownStatus {
    Pending,
    Acknowledged,
    Answered,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::service::takedown::Action")]
pub enum TakedownAction {
    Removed,
    Restricted,
    GeoBlocked,
    Declined,
    NeedsMoreInfo,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum MessageAuthor {
    Reviewer,
    Reporter,
}

/// A message of the information loop.
#[derive(SimpleObject)]
pub struct Message {
    pub id: ID,
    pub from: MessageAuthor,
    pub body: String,
    pub at: DateTime<Utc>,
}

impl From<MessageRow> for Message {
    fn from(row: MessageRow) -> Self {
        Self {
            id: ID(row.id.to_string()),
            from: if row.author == "REVIEWER" {
                MessageAuthor::Reviewer
            } else {
                MessageAuthor::Reporter
            },
            body: row.body,
            at: row.created_at.and_utc(),
        }
    }
}

/// An audit-trail entry. Append-only: never updated, never deleted.
pub struct Event(pub EventRow);

#[Object]
impl Event {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What happened, e.g. `case.claimed`, `case.forwarded`, `complaint.submitted`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The role of whoever acted; null for an anonymous member of the public.
    async fn actor_role(&self) -> Option<Role> {
        self.0
            .actor_role
            .as_deref()
            .and_then(DomainRole::parse)
            .map(Role::from)
    }
    /// Who acted, when it was staff (reviewers and admins only ever see this).
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let staff_actor = self
            .0
            .actor_role
            .as_deref()
            .and_then(DomainRole::parse)
            .is_some_and(DomainRole::is_staff);
        let viewer_is_staff = matches!(
            ctx.viewer().role(),
            Some(DomainRole::Reviewer | DomainRole::Admin)
        );
        match self.0.actor_account_id {
            Some(id) if staff_actor && viewer_is_staff => {
                Ok(service::account(ctx.services()?, id).await?.map(Account))
            }
            _ => Ok(None),
        }
    }
    /// The case's status after this event, when the event changed it.
    async fn case_status(&self) -> Option<CaseStatus> {
        self.0
            .case_status
            .as_deref()
            .and_then(DomainStatus::parse)
            .map(CaseStatus::from)
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at.and_utc()
    }
    async fn details(&self) -> Option<&str> {
        self.0.details.as_deref()
    }
}

/// The formal notice from the ministry to a platform.
pub struct TakedownRequest(pub TakedownRow);

#[Object]
impl TakedownRequest {
    pub async fn id(&self) -> ID {
        id::encode(NodeType::TakedownRequest, self.0.id)
    }
    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Case> {
        let (view, audience) = service::find_case(ctx.services()?, ctx.viewer(), self.0.case_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        Ok(Case::new(view, audience))
    }
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Platform> {
        crate::service::reference::platform(ctx.services()?, self.0.platform_id)
            .await?
            .map(Platform::from)
            .ok_or_else(|| ServiceError::NotFound.into())
    }
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    async fn urgency(&self) -> Urgency {
        if self.0.urgency == service::Urgency::Urgent.as_str() {
            Urgency::Urgent
        } else {
            Urgency::Normal
        }
    }
    /// The reviewer's note to the platform.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn status(&self) -> TakedownStatus {
        match self.0.status.as_str() {
            "ACKNOWLEDGED" => TakedownStatus::Acknowledged,
            "ANSWERED" => TakedownStatus::Answered,
            _ => TakedownStatus::Pending,
        }
    }
    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at.and_utc()
    }
    /// `issuedAt` plus the platform's response hours for this urgency.
    async fn due_at(&self) -> DateTime<Utc> {
        self.0.due_at.and_utc()
    }
    async fn acknowledged_at(&self) -> Option<DateTime<Utc>> {
        self.0.acknowledged_at.map(|at| at.and_utc())
    }
    async fn responded_at(&self) -> Option<DateTime<Utc>> {
        self.0.responded_at.map(|at| at.and_utc())
    }
    async fn action(&self) -> Option<TakedownAction> {
        self.0
            .action
            .as_deref()
            .and_then(crate::service::takedown::Action::parse)
            .map(TakedownAction::from)
    }
    async fn statement_of_reasons(&self) -> Option<&str> {
        self.0.statement_of_reasons.as_deref()
    }
    /// When the platform says it acted.
    async fn acted_at(&self) -> Option<DateTime<Utc>> {
        self.0.acted_at.map(|at| at.and_utc())
    }
    /// Unanswered past `dueAt`, or answered after it.
    async fn overdue(&self) -> bool {
        match self.0.responded_at {
            Some(responded) => responded > self.0.due_at,
            None => crate::db::now() > self.0.due_at,
        }
    }
}

/// One target on one platform, with every complaint about it.
pub struct Case {
    view: Box<CaseView>,
    audience: Audience,
}

impl Case {
    pub fn new(view: CaseView, audience: Audience) -> Self {
        Self {
            view: Box::new(view),
            audience,
        }
    }
}

#[Object]
impl Case {
    pub async fn id(&self) -> ID {
        id::encode(NodeType::Case, self.view.case.id)
    }
    async fn status(&self) -> CaseStatus {
        self.view.case.status().into()
    }
    async fn platform(&self) -> Platform {
        self.view.platform.clone().into()
    }
    async fn category(&self) -> Category {
        Category(self.view.category.clone())
    }
    /// The canonical URL of the listing or account.
    async fn target(&self) -> &str {
        &self.view.case.target
    }
    /// LISTING, ACCOUNT or OTHER.
    async fn target_kind(&self) -> &str {
        &self.view.case.target_kind
    }
    /// Distinct reporters of the complaints that still count.
    async fn report_count(&self) -> i32 {
        self.view.case.report_count
    }
    /// Of those, reporters who are UMKM sellers.
    async fn umkm_report_count(&self) -> i32 {
        self.view.case.umkm_report_count
    }
    /// See `domain::case::priority`: severity, reporters (diminishing), UMKM reporters, flags.
    async fn priority(&self) -> i32 {
        self.view.case.priority
    }
    async fn flags(&self) -> Vec<&str> {
        self.view.case.flags.lines().collect()
    }
    /// The reviewer working on the case (staff only).
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        match (self.audience, self.view.case.assignee_id) {
            (Audience::Staff, Some(id)) => {
                Ok(service::account(ctx.services()?, id).await?.map(Account))
            }
            _ => Ok(None),
        }
    }
    /// The authority the case was escalated to.
    async fn escalated_to(&self) -> Option<&str> {
        self.view.case.escalated_to.as_deref()
    }
    /// The case this one was merged into.
    async fn merged_into(&self) -> Option<ID> {
        self.view
            .case
            .merged_into_id
            .map(|id| id::encode(NodeType::Case, id))
    }
    async fn complaints(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Complaint, ComplaintConnectionFields>> {
        let limit = pagination::page_size(first)?;
        let after_id = pagination::decode_id("case-complaint", after.as_deref())?;
        let (page, has_more, total) =
            service::case_complaints(ctx.services()?, self.view.case.id, after_id, limit).await?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            ComplaintConnectionFields { total_count: total },
        );
        let redacted = self.audience == Audience::Platform;
        connection.edges.extend(page.into_iter().map(|view| {
            let cursor = pagination::encode("case-complaint", &view.complaint.id.to_string());
            Edge::new(cursor, Complaint::new(view, redacted))
        }));
        Ok(connection)
    }
    async fn takedown_requests(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<TakedownRequest>> {
        let rows = service::case_takedown_requests(ctx.services()?, self.view.case.id).await?;
        let platform = ctx.viewer().account().and_then(|a| a.platform.clone());
        Ok(rows
            .into_iter()
            .filter(|row| match (self.audience, &platform) {
                (Audience::Staff, _) => true,
                (Audience::Platform, Some((platform_id, _))) => row.platform_id == *platform_id,
                (Audience::Platform, None) => false,
            })
            .map(TakedownRequest)
            .collect())
    }
    /// The audit trail, oldest first (staff only; empty for platforms).
    async fn events(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Event>> {
        if self.audience != Audience::Staff {
            return Ok(Vec::new());
        }
        Ok(service::case_events(ctx.services()?, self.view.case.id)
            .await?
            .into_iter()
            .map(Event)
            .collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.view.case.created_at.and_utc()
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.view.case.updated_at.and_utc()
    }
}

#[derive(InputObject, Default)]
pub struct CaseFilter {
    /// Default: OPEN, IN_REVIEW, AWAITING_INFO (all non-final ones with `overdue: true`).
    pub status: Option<Vec<CaseStatus>>,
    /// Platform slugs.
    pub platform: Option<Vec<String>>,
    /// Category codes.
    pub category: Option<Vec<String>>,
    pub assigned_to_me: Option<bool>,
    /// Cases whose takedown request is past due and unanswered.
    pub overdue: Option<bool>,
    /// Cases with keyword flags.
    pub flagged: Option<bool>,
}

#[derive(InputObject, Default)]
pub struct ForwardInput {
    pub urgency: Option<Urgency>,
    /// Defaults to the category's legal basis.
    pub legal_basis: Option<String>,
    pub note: Option<String>,
}

#[derive(SimpleObject)]
pub struct CaseConnectionFields {
    /// Cases on this page (the total of a live queue is not counted: it would cost a scan).
    pub page_count: i32,
}

const QUEUE_CURSOR: &str = "queue";

fn case_id(id: &ID) -> Result<i64, ServiceError> {
    id::decode_as(id, NodeType::Case).ok_or(ServiceError::NotFound)
}

fn queue_cursor(cursor: Option<&str>) -> Result<Option<(i32, i64)>, ServiceError> {
    let invalid = || ServiceError::bad_input("after", Msg::InvalidCursor);
    cursor
        .map(|cursor| {
            let key = pagination::decode(QUEUE_CURSOR, cursor)?;
            let (priority, id) = key.split_once(':').ok_or_else(invalid)?;
            Ok((
                priority.parse().map_err(|_| invalid())?,
                id.parse().map_err(|_| invalid())?,
            ))
        })
        .transpose()
}

#[derive(Default)]
pub struct CaseQuery;

#[Object]
impl CaseQuery {
    /// The prioritised queue: highest priority first, then oldest. REVIEWER only.
    async fn review_queue(
        &self,
        ctx: &Context<'_>,
        filter: Option<CaseFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Case, CaseConnectionFields>> {
        ctx.viewer().require_role(&[DomainRole::Reviewer])?;
        let limit = pagination::page_size(first)?;
        let cursor = queue_cursor(after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let request = QueueRequest {
            statuses: filter
                .status
                .map(|list| list.into_iter().map(DomainStatus::from).collect()),
            platforms: filter.platform,
            categories: filter.category,
            assigned_to_me: filter.assigned_to_me.unwrap_or(false),
            overdue: filter.overdue,
            flagged: filter.flagged,
        };
        let (page, has_more) =
            service::queue(ctx.services()?, ctx.viewer(), request, cursor, limit).await?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            CaseConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
            },
        );
        connection.edges.extend(page.into_iter().map(|view| {
            let key = format!("{}:{}", view.case.priority, view.case.id);
            Edge::new(
                pagination::encode(QUEUE_CURSOR, &key),
                Case::new(view, Audience::Staff),
            )
        }));
        Ok(connection)
    }

    /// A case by id; null when it does not exist or is outside the caller's scope.
    async fn case(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Case>> {
        let Some(number) = id::decode_as(&id, NodeType::Case) else {
            return Ok(None);
        };
        Ok(service::find_case(ctx.services()?, ctx.viewer(), number)
            .await?
            .map(|(view, audience)| Case::new(view, audience)))
    }
}

fn staff(view: CaseView) -> Case {
    Case::new(view, Audience::Staff)
}

#[derive(Default)]
pub struct CaseMutation;

#[Object]
impl CaseMutation {
    /// Takes an OPEN case for yourself (IN_REVIEW). Exactly one of simultaneous claims succeeds.
    async fn claim_case(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        ctx.viewer().require_role(&[DomainRole::Reviewer])?;
        let id = self::case_id(&case_id)?;
        Ok(staff(
            service::claim(ctx.services()?, ctx.viewer(), id).await?,
        ))
    }

    /// Gives a claimed case back to the queue (OPEN).
    async fn release_case(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        ctx.viewer().require_role(&[DomainRole::Reviewer])?;
        let id = self::case_id(&case_id)?;
        Ok(staff(
            service::release(ctx.services()?, ctx.viewer(), id).await?,
        ))
    }

    /// Rejects a case under review, with a reason of 10–5,000 characters.
    async fn reject_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        reason: String,
    ) -> async_graphql::Result<Case> {
        ctx.viewer().require_role(&[DomainRole::Reviewer])?;
        let id = self::case_id(&case_id)?;
        Ok(staff(
            service::reject(ctx.services()?, ctx.viewer(), id, &reason).await?,
        ))
    }

    /// Asks the case's reporters for more information (AWAITING_INFO).
    async fn request_information(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        message: String,
    ) -> async_graphql::Result<Case> {
        ctx.viewer().require_role(&[DomainRole::Reviewer])?;
        let id = self::case_id(&case_id)?;
        Ok(staff(
            service::request_information(ctx.services()?, ctx.viewer(), id, &message).await?,
        ))
    }

    /// Takes an AWAITING_INFO case back into review without waiting for a reply.
    async fn resume_review(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        ctx.viewer().require_role(&[DomainRole::Reviewer])?;
        let id = self::case_id(&case_id)?;
        Ok(staff(
            service::resume(ctx.services()?, ctx.viewer(), id).await?,
        ))
    }

    /// A signed-in reporter answers an information request about its complaint.
    async fn reply_to_information_request(
        &self,
        ctx: &Context<'_>,
        complaint_id: ID,
        message: String,
        evidence_urls: Option<Vec<String>>,
    ) -> async_graphql::Result<Complaint> {
        let account = ctx
            .viewer()
            .require_role(&[DomainRole::Citizen])?
            .account_id;
        let id = id::decode_as(&complaint_id, NodeType::Complaint).ok_or(ServiceError::NotFound)?;
        let view = service::reply(
            ctx.services()?,
            ctx.viewer(),
            ReporterProof::Account(account),
            Some(id),
            &message,
            evidence_urls.unwrap_or_default(),
        )
        .await?;
        Ok(view.into())
    }

    /// An anonymous reporter answers an information request, proving the complaint is theirs with
    /// its tracking code.
    async fn reply_to_information_request_by_tracking_code(
        &self,
        ctx: &Context<'_>,
        tracking_code: String,
        message: String,
        evidence_urls: Option<Vec<String>>,
    ) -> async_graphql::Result<PublicReply> {
        crate::service::limits::check_address(
            ctx.services()?,
            crate::service::limits::TRACKING_CODE_USES_PER_ADDRESS,
            ctx.client_address(),
        )
        .await?;
        let view = service::reply(
            ctx.services()?,
            ctx.viewer(),
            ReporterProof::TrackingCode(tracking_code),
            None,
            &message,
            evidence_urls.unwrap_or_default(),
        )
        .await?;
        Ok(PublicReply {
            tracking_code: view.complaint.tracking_code,
            status: view.status.into(),
        })
    }

    /// Sends the case to its platform as a formal takedown request (FORWARDED).
    async fn forward_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ForwardInput,
    ) -> async_graphql::Result<TakedownRequest> {
        ctx.viewer().require_role(&[DomainRole::Reviewer])?;
        let id = self::case_id(&case_id)?;
        let request = ForwardRequest {
            urgency: input.urgency.map_or(service::Urgency::Normal, Into::into),
            legal_basis: input.legal_basis,
            note: input.note,
        };
        Ok(TakedownRequest(
            service::forward(ctx.services()?, ctx.viewer(), id, request).await?,
        ))
    }

    /// Hands the case to another authority (ESCALATED).
    async fn escalate_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        authority: Authority,
        note: String,
    ) -> async_graphql::Result<Case> {
        ctx.viewer().require_role(&[DomainRole::Reviewer])?;
        let id = self::case_id(&case_id)?;
        Ok(staff(
            service::escalate(ctx.services()?, ctx.viewer(), id, authority.into(), &note).await?,
        ))
    }

    /// Closes any non-final case, with a note.
    async fn close_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        note: String,
    ) -> async_graphql::Result<Case> {
        ctx.viewer().require_role(&[DomainRole::Reviewer])?;
        let id = self::case_id(&case_id)?;
        Ok(staff(
            service::close(ctx.services()?, ctx.viewer(), id, &note).await?,
        ))
    }

    /// Moves the complaints of `sourceCaseIds` into `targetCaseId`; the sources close as merged.
    async fn merge_cases(
        &self,
        ctx: &Context<'_>,
        target_case_id: ID,
        source_case_ids: Vec<ID>,
    ) -> async_graphql::Result<Case> {
        ctx.viewer().require_role(&[DomainRole::Reviewer])?;
        let target = self::case_id(&target_case_id)?;
        let sources = source_case_ids
            .iter()
            .map(self::case_id)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(staff(
            service::merge(ctx.services()?, ctx.viewer(), target, sources).await?,
        ))
    }
}

/// What an anonymous reporter learns after replying.
#[derive(SimpleObject)]
pub struct PublicReply {
    pub tracking_code: String,
    pub status: CaseStatus,
}

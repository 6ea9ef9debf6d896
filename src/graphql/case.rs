//! The reviewer desk in the API: `reviewQueue`, `case`, and the case transitions, plus the types
//! `Case`, `Event`, `TakedownRequest` and `Message`.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::error::ServiceError;
use crate::graphql::ContextExt as _;
use crate::graphql::account::Account;
use crate::graphql::complaint::{Complaint, ComplaintConnectionFields};
use crate::graphql::enums::{Authority, CaseStatus, Role, TakedownAction, TakedownStatus, Urgency};
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::{Category, Platform};
use crate::i18n::Msg;
use crate::service::account;
use crate::service::review::{
    self as service, CaseFacts, CaseView, EventView, ForwardRequest, QueueRequest, StaffCaseView,
};
use crate::service::takedown::TakedownView;

/// An audit-trail entry. Append-only: never updated, never deleted.
pub struct Event(pub EventView);

#[Object]
impl Event {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What happened, e.g. `case.claimed`, `case.forwarded`, `complaint.submitted`.
    async fn action(&self) -> &str {
        self.0.action.as_str()
    }
    /// The role of whoever acted; null for an anonymous member of the public.
    async fn actor_role(&self) -> Option<Role> {
        self.0.actor_role.map(Role::from)
    }
    /// Who acted, when it was staff (reviewers and admins only ever see this).
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let Some(actor) = self.0.actor else {
            return Ok(None);
        };
        Ok(account::load(ctx.services()?, actor).await?.map(Account))
    }
    /// The case's status after this event, when the event changed it.
    async fn case_status(&self) -> Option<CaseStatus> {
        self.0.case_status.map(CaseStatus::from)
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at.and_utc()
    }
    async fn details(&self) -> Option<&str> {
        self.0.details.as_deref()
    }
}

/// The formal notice from the ministry to a platform.
pub struct TakedownRequest(pub TakedownView);

#[Object]
impl TakedownRequest {
    pub async fn id(&self) -> ID {
        id::encode(NodeType::TakedownRequest, self.0.id)
    }
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Case> {
        let view = service::find_case(ctx.services()?, ctx.viewer(), self.0.case_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        Ok(Case::from(view))
    }
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Platform> {
        crate::service::reference::platform(ctx.services()?, self.0.platform_id)
            .await?
            .map(Platform)
            .ok_or_else(|| ServiceError::NotFound.into())
    }
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    async fn urgency(&self) -> Urgency {
        self.0.urgency.into()
    }
    /// The reviewer's note to the platform.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn status(&self) -> TakedownStatus {
        self.0.status.into()
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
        self.0.action.map(TakedownAction::from)
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
        self.0.overdue
    }
}

/// One target on one platform, with every complaint about it.
pub struct Case(Box<CaseView>);

impl From<CaseView> for Case {
    fn from(view: CaseView) -> Self {
        Self(Box::new(view))
    }
}

impl From<StaffCaseView> for Case {
    fn from(view: StaffCaseView) -> Self {
        Self::from(CaseView::Staff(view))
    }
}

impl Case {
    fn facts(&self) -> &CaseFacts {
        self.0.facts()
    }
}

const CASE_COMPLAINT_CURSOR: &str = "case-complaint";

#[Object]
impl Case {
    pub async fn id(&self) -> ID {
        id::encode(NodeType::Case, self.facts().id)
    }
    async fn status(&self) -> CaseStatus {
        self.facts().status.into()
    }
    async fn platform(&self) -> Platform {
        Platform(self.facts().platform.clone())
    }
    async fn category(&self) -> Category {
        Category(self.facts().category.clone())
    }
    /// The canonical URL of the listing or account.
    async fn target(&self) -> &str {
        &self.facts().target
    }
    /// LISTING, ACCOUNT or OTHER.
    async fn target_kind(&self) -> &str {
        self.facts().target_kind.as_str()
    }
    /// Distinct reporters of the complaints that still count.
    async fn report_count(&self) -> i32 {
        self.facts().report_count
    }
    /// Of those, reporters who are UMKM sellers.
    async fn umkm_report_count(&self) -> i32 {
        self.facts().umkm_report_count
    }
    /// See `domain::case::priority`: severity, reporters (diminishing), UMKM reporters, flags.
    async fn priority(&self) -> i32 {
        self.facts().priority
    }
    async fn flags(&self) -> &[String] {
        &self.facts().flags
    }
    /// The reviewer working on the case (staff only).
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let CaseView::Staff(StaffCaseView {
            assignee: Some(assignee),
            ..
        }) = &*self.0
        else {
            return Ok(None);
        };
        Ok(account::load(ctx.services()?, *assignee)
            .await?
            .map(Account))
    }
    /// The authority the case was escalated to.
    async fn escalated_to(&self) -> Option<&str> {
        self.facts()
            .escalated_to
            .map(|authority| authority.as_str())
    }
    /// The case this one was merged into.
    async fn merged_into(&self) -> Option<ID> {
        self.facts()
            .merged_into
            .map(|id| id::encode(NodeType::Case, id))
    }
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn complaints(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Complaint, ComplaintConnectionFields>> {
        let limit = pagination::page_size(first)?;
        let after_id = pagination::decode_id(CASE_COMPLAINT_CURSOR, after.as_deref())?;
        let services = ctx.services()?;
        let (page, has_more, total): (Vec<(i64, Complaint)>, bool, i64) = match &*self.0 {
            CaseView::Staff(view) => {
                let (page, more, total) =
                    service::staff_case_complaints(services, view.access, after_id, limit).await?;
                let page = page.into_iter().map(|c| (c.id, c.into())).collect();
                (page, more, total)
            }
            CaseView::Platform(view) => {
                let (page, more, total) =
                    service::platform_case_complaints(services, view.access, after_id, limit)
                        .await?;
                let page = page.into_iter().map(|c| (c.id, c.into())).collect();
                (page, more, total)
            }
        };
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            ComplaintConnectionFields { total_count: total },
        );
        connection
            .edges
            .extend(page.into_iter().map(|(number, complaint)| {
                let cursor = pagination::encode(CASE_COMPLAINT_CURSOR, &number.to_string());
                Edge::new(cursor, complaint)
            }));
        Ok(connection)
    }
    /// Its takedown requests: every one for staff, a platform's own for a platform.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn takedown_requests(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<TakedownRequest>> {
        let services = ctx.services()?;
        let rows = match &*self.0 {
            CaseView::Staff(view) => {
                service::staff_case_takedown_requests(services, view.access).await?
            }
            CaseView::Platform(view) => {
                service::platform_case_takedown_requests(services, view.access).await?
            }
        };
        Ok(rows.into_iter().map(TakedownRequest).collect())
    }
    /// The audit trail, oldest first (staff only; empty for platforms).
    #[graphql(complexity = "crate::graphql::DB_READ + 20 * child_complexity")]
    async fn events(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Event>> {
        let CaseView::Staff(view) = &*self.0 else {
            return Ok(Vec::new());
        };
        Ok(service::case_events(ctx.services()?, view.access)
            .await?
            .into_iter()
            .map(Event)
            .collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.facts().created_at.and_utc()
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.facts().updated_at.and_utc()
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

fn case_id(id: &ID) -> i64 {
    id::argument(id, NodeType::Case)
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
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn review_queue(
        &self,
        ctx: &Context<'_>,
        filter: Option<CaseFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Case, CaseConnectionFields>> {
        let limit = pagination::page_size(first)?;
        let cursor = queue_cursor(after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let request = QueueRequest {
            statuses: filter
                .status
                .map(|list| list.into_iter().map(Into::into).collect()),
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
            let key = format!("{}:{}", view.facts.priority, view.facts.id);
            Edge::new(pagination::encode(QUEUE_CURSOR, &key), Case::from(view))
        }));
        Ok(connection)
    }

    /// A case by id; null when it does not exist or is outside the caller's scope.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn case(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Case>> {
        let Some(number) = id::decode_as(&id, NodeType::Case) else {
            return Ok(None);
        };
        Ok(service::find_case(ctx.services()?, ctx.viewer(), number)
            .await?
            .map(Case::from))
    }
}

#[derive(Default)]
pub struct CaseMutation;

#[Object]
impl CaseMutation {
    /// Takes an OPEN case for yourself (IN_REVIEW). Exactly one of simultaneous claims succeeds.
    async fn claim_case(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(service::claim(ctx.services()?, ctx.viewer(), id)
            .await?
            .into())
    }

    /// Gives a claimed case back to the queue (OPEN).
    async fn release_case(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(service::release(ctx.services()?, ctx.viewer(), id)
            .await?
            .into())
    }

    /// Rejects a case under review, with a reason of 10–5,000 characters.
    async fn reject_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        reason: String,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(service::reject(ctx.services()?, ctx.viewer(), id, &reason)
            .await?
            .into())
    }

    /// Asks the case's reporters for more information (AWAITING_INFO).
    async fn request_information(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        message: String,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(
            service::request_information(ctx.services()?, ctx.viewer(), id, &message)
                .await?
                .into(),
        )
    }

    /// Takes an AWAITING_INFO case back into review without waiting for a reply.
    async fn resume_review(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(service::resume(ctx.services()?, ctx.viewer(), id)
            .await?
            .into())
    }

    /// A signed-in reporter answers an information request about its complaint.
    async fn reply_to_information_request(
        &self,
        ctx: &Context<'_>,
        complaint_id: ID,
        message: String,
        evidence_urls: Option<Vec<String>>,
    ) -> async_graphql::Result<Complaint> {
        let id = id::argument(&complaint_id, NodeType::Complaint);
        let view = service::reply_as_citizen(
            ctx.services()?,
            ctx.viewer(),
            id,
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
        let reply = service::reply_by_tracking_code(
            ctx.services()?,
            ctx.viewer(),
            ctx.client_address(),
            &tracking_code,
            &message,
            evidence_urls.unwrap_or_default(),
        )
        .await?;
        Ok(PublicReply {
            tracking_code: reply.tracking_code,
            status: reply.status.into(),
        })
    }

    /// Sends the case to its platform as a formal takedown request (FORWARDED).
    async fn forward_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ForwardInput,
    ) -> async_graphql::Result<TakedownRequest> {
        let id = self::case_id(&case_id);
        let request = ForwardRequest {
            urgency: input
                .urgency
                .map_or(crate::domain::Urgency::Normal, Into::into),
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
        let id = self::case_id(&case_id);
        Ok(
            service::escalate(ctx.services()?, ctx.viewer(), id, authority.into(), &note)
                .await?
                .into(),
        )
    }

    /// Closes any non-final case, with a note.
    async fn close_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        note: String,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(service::close(ctx.services()?, ctx.viewer(), id, &note)
            .await?
            .into())
    }

    /// Moves the complaints of `sourceCaseIds` into `targetCaseId`; the sources close as merged.
    async fn merge_cases(
        &self,
        ctx: &Context<'_>,
        target_case_id: ID,
        source_case_ids: Vec<ID>,
    ) -> async_graphql::Result<Case> {
        let target = self::case_id(&target_case_id);
        let sources = source_case_ids.iter().map(self::case_id).collect();
        Ok(
            service::merge(ctx.services()?, ctx.viewer(), target, sources)
                .await?
                .into(),
        )
    }
}

/// What an anonymous reporter learns after replying.
#[derive(SimpleObject)]
pub struct PublicReply {
    pub tracking_code: String,
    pub status: CaseStatus,
}

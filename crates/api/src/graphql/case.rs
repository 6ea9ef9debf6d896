//! The reviewer desk in the API: `reviewQueue`, `case`, and the case transitions, plus the types
//! `Case`, `Event`, `TakedownRequest` and `Message`.

use crate::graphql::datetime::DateTime;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Description, Enum, ID, InputObject, Object, SimpleObject, Upload};

use crate::graphql::ContextExt as _;
use crate::graphql::account::Account;
use crate::graphql::complaint::{Complaint, ComplaintConnection, ComplaintConnectionFields};
use crate::graphql::enums::{Authority, CaseStatus, Role, TakedownAction, TakedownStatus, Urgency};
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::{Category, Platform};
use crate::graphql::seller::{
    Seller, SellerIdentifier, SellerLinkSuggestion, TakedownSellerIdentifier,
};
use laporlapak_domain::i18n::Msg;
use laporlapak_service::account;
use laporlapak_service::error::ServiceError;
use laporlapak_service::review::QueueKey;
use laporlapak_service::review::{
    self as service, CaseFacts, CaseView, EventView, ForwardRequest, QueueRequest, StaffCaseView,
};
use laporlapak_service::seller as seller_service;
use laporlapak_service::takedown::TakedownView;

/// An entry of a case's audit trail: who (by role) did what, and when. Append-only: never updated,
/// never deleted. Seen by reviewers and administrators only.
#[derive(Description)]
pub struct Event(pub EventView);

#[Object(use_type_description)]
impl Event {
    /// The event's number, unique among events (not a global `Node` ID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What happened, e.g. `complaint.submitted`, `case.claimed`, `case.forwarded`,
    /// `takedown.answered`.
    async fn action(&self) -> &str {
        self.0.action.as_str()
    }
    /// The role of whoever acted; null for an anonymous member of the public, for a citizen who
    /// filed a complaint of this case anonymously, and for the operator's command line.
    async fn actor_role(&self) -> Option<Role> {
        self.0.actor_role.map(Role::from)
    }
    /// The account that acted, when it was staff (a reviewer, platform representative or admin);
    /// null for citizens and the public.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let Some(actor) = self.0.actor else {
            return Ok(None);
        };
        Ok(account::load(ctx.services()?, ctx.viewer(), actor)
            .await?
            .map(Account))
    }
    /// The API client that acted for a platform (by its name and `client_id`), when the actor
    /// was one: what a platform's systems do is audited as the client, not as a person.
    async fn api_client(&self) -> Option<String> {
        self.0.api_client.clone()
    }
    /// The case's status after this event, when the event changed it.
    async fn case_status(&self) -> Option<CaseStatus> {
        self.0.case_status.map(CaseStatus::from)
    }
    /// When it happened.
    async fn at(&self) -> DateTime {
        self.0.at.into()
    }
    /// What the action recorded besides itself: a reason or note, an urgency, an authority, a
    /// platform's action and statement; null when there is nothing more.
    async fn details(&self) -> Option<&str> {
        self.0.details.as_deref()
    }
}

/// The formal notice from the ministry to a platform to act on a case, with a legal basis and a
/// deadline (`forwardCase` issues it). Seen by reviewers, administrators and the representatives
/// of the platform it is addressed to; it holds nothing about any reporter.
#[derive(Description)]
pub struct TakedownRequest(pub TakedownView);

#[Object(use_type_description)]
impl TakedownRequest {
    /// The request's opaque global ID (`node(id:)` finds it again).
    pub async fn id(&self) -> ID {
        id::encode(NodeType::TakedownRequest, self.0.id)
    }
    /// The case the request was issued for (as the caller may see it: a platform gets it without
    /// reporters or audit trail).
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Case> {
        let view = service::find_case(ctx.services()?, ctx.viewer(), self.0.case_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        Ok(Case::from(view))
    }
    /// The platform the request is addressed to.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Platform> {
        laporlapak_service::reference::platform(ctx.services()?, self.0.platform_id)
            .await?
            .map(Platform)
            .ok_or_else(|| ServiceError::NotFound.into())
    }
    /// The regulation the request relies on: the reviewer's text, or the category's legal basis.
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    /// How fast the platform must answer; decides `dueAt`.
    async fn urgency(&self) -> Urgency {
        self.0.urgency.into()
    }
    /// The reviewer's note to the platform (10 to 5,000 characters); null when none was given.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// How far the platform has got with the request.
    async fn status(&self) -> TakedownStatus {
        self.0.status.into()
    }
    /// When the reviewer issued the request.
    async fn issued_at(&self) -> DateTime {
        self.0.issued_at.into()
    }
    /// The deadline: `issuedAt` plus the platform's response hours for this urgency (by default 24
    /// for NORMAL, 4 for URGENT).
    async fn due_at(&self) -> DateTime {
        self.0.due_at.into()
    }
    /// When the platform acknowledged the request; null until it does.
    async fn acknowledged_at(&self) -> Option<DateTime> {
        self.0.acknowledged_at.map(Into::into)
    }
    /// When the platform's answer was recorded; null until it answers.
    async fn responded_at(&self) -> Option<DateTime> {
        self.0.responded_at.map(Into::into)
    }
    /// What the platform did; null until it answers.
    async fn action(&self) -> Option<TakedownAction> {
        self.0.action.map(TakedownAction::from)
    }
    /// The platform's reasons for its action (20 to 5,000 characters); null until it answers.
    async fn statement_of_reasons(&self) -> Option<&str> {
        self.0.statement_of_reasons.as_deref()
    }
    /// When the platform says it acted (never before `issuedAt` nor after `respondedAt`); null until
    /// it answers.
    async fn acted_at(&self) -> Option<DateTime> {
        self.0.acted_at.map(Into::into)
    }
    /// True when the request is unanswered past `dueAt` now, or was answered after it.
    async fn overdue(&self) -> bool {
        self.0.overdue
    }
    /// The request's last change: when it was issued, acknowledged or answered (the order of the
    /// `takedownRequests(updatedSince:)` changes feed).
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// True when the case re-lists a listing whose removal did not stick: `relistingOf` is the
    /// earlier request answered REMOVED.
    async fn relisting(&self) -> bool {
        self.0.relisting_of_id.is_some()
    }
    /// The earlier request whose removal this case re-lists, as the caller may see it: null when
    /// the request is not about a re-listing, and for a platform when the earlier request went to
    /// another platform (`relisting` still says it is one).
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn relisting_of(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<TakedownRequest>> {
        let Some(earlier) = self.0.relisting_of_id else {
            return Ok(None);
        };
        Ok(
            laporlapak_service::takedown::find_visible(ctx.services()?, ctx.viewer(), earlier)
                .await?
                .map(TakedownRequest),
        )
    }
    /// What the request tells the platform about the seller, as sent: the identifiers found on
    /// this platform, and those from other platforms a reviewer attached deliberately.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn seller_identifiers(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<TakedownSellerIdentifier>> {
        Ok(
            seller_service::takedown_identifiers(ctx.services()?, &self.0)
                .await?
                .into_iter()
                .map(TakedownSellerIdentifier::from)
                .collect(),
        )
    }
}

/// One target (a listing or account, by canonical URL) on one platform, with every complaint about
/// it: what reviewers work on. Reviewers and administrators see every case; a platform
/// representative only cases with a takedown request to its platform, without reporters,
/// assignee or audit trail; citizens and the public none.
#[derive(Description)]
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

#[Object(use_type_description)]
impl Case {
    /// The case's opaque global ID (`node(id:)` finds it again).
    pub async fn id(&self) -> ID {
        id::encode(NodeType::Case, self.facts().id)
    }
    /// Where the case stands in its lifecycle.
    async fn status(&self) -> CaseStatus {
        self.facts().status.into()
    }
    /// The platform the target is on.
    async fn platform(&self) -> Platform {
        Platform(self.facts().platform.clone())
    }
    /// The category of the complaint that opened the case.
    async fn category(&self) -> Category {
        Category(self.facts().category.clone())
    }
    /// The canonical URL of the listing or account: every complaint whose URL reduces to it, on this
    /// platform, joins this case while it is not final.
    async fn target(&self) -> &str {
        &self.facts().target
    }
    /// What the target is: `LISTING` (a single post, video, product or marketplace item), `ACCOUNT`
    /// (a profile, shop, page or group) or `OTHER` (anything else: search pages, short links,
    /// unknown sites).
    async fn target_kind(&self) -> &str {
        self.facts().target_kind.as_str()
    }
    /// Distinct reporters of the complaints that still count (not withdrawn): an account once, each
    /// anonymous submission once.
    async fn report_count(&self) -> i32 {
        self.facts().report_count
    }
    /// Of those, reporters who declared an UMKM business and did not submit anonymously.
    async fn umkm_report_count(&self) -> i32 {
        self.facts().umkm_report_count
    }
    /// The queue's order, higher first: `10·severity + ⌊25·log2(1 + reportCount)⌋ +
    /// 10·min(umkmReportCount, 5) + 15·min(flags, 4) + 10·min(seller score, 5) + 30·relisted`
    /// (the seller score of a confirmed seller, see `RepeatOffenderRecord`), recomputed whenever a
    /// complaint joins, leaves or merges and whenever the seller's record changes.
    async fn priority(&self) -> i32 {
        self.facts().priority
    }
    /// The keyword rules matched by the case's complaints that still count, sorted, each once.
    async fn flags(&self) -> &[String] {
        &self.facts().flags
    }
    /// The reviewer who claimed the case and has not released it; null when unclaimed, and always
    /// null for platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let CaseView::Staff(StaffCaseView {
            assignee: Some(assignee),
            ..
        }) = &*self.0
        else {
            return Ok(None);
        };
        Ok(account::load(ctx.services()?, ctx.viewer(), *assignee)
            .await?
            .map(Account))
    }
    /// The authority the case was escalated to (an `Authority` value, e.g. `BEA_CUKAI`); null when
    /// it was not escalated.
    async fn escalated_to(&self) -> Option<&str> {
        self.facts()
            .escalated_to
            .map(|authority| authority.as_str())
    }
    /// The global ID of the case this one was merged into (this one is then CLOSED); null when it
    /// was not merged.
    async fn merged_into(&self) -> Option<ID> {
        self.facts()
            .merged_into
            .map(|id| id::encode(NodeType::Case, id))
    }
    /// The case's evidence files, one per distinct content (SHA-256) whichever complaints carried
    /// it, each with `reportCount`. A platform gets only images, as their redacted variant.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn evidence_files(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::evidence::EvidenceFile>> {
        let files = match &*self.0 {
            CaseView::Staff(view) => view.access.files(),
            CaseView::Platform(view) => view.access.files(),
        };
        Ok(
            laporlapak_service::evidence::case_files(ctx.services()?, files)
                .await?
                .into_iter()
                .map(crate::graphql::evidence::EvidenceFile)
                .collect(),
        )
    }
    /// True when the case re-lists a listing: its first complaint came within the configured
    /// window (90 days by default) after a platform answered REMOVED to a request about the same
    /// target, or about a case sharing an identifier with it (or with its confirmed seller).
    async fn relisted(&self) -> bool {
        self.facts().relisted_from.is_some()
    }
    /// The earlier case whose removal this one re-lists, as the caller may see it: null when the
    /// case is not a re-listing, and for a platform when the earlier case was not forwarded to it.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn relisted_from(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Case>> {
        let Some(earlier) = self.facts().relisted_from else {
            return Ok(None);
        };
        Ok(service::find_case(ctx.services()?, ctx.viewer(), earlier)
            .await?
            .map(Case::from))
    }
    /// The seller identifiers found in the case's complaints (and entered by reviewers), each value
    /// once. A platform gets only those found in what it reads of the case itself: the listing URL,
    /// the reported handle and the descriptions.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn seller_identifiers(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<SellerIdentifier>> {
        let services = ctx.services()?;
        let rows = match &*self.0 {
            CaseView::Staff(view) => {
                seller_service::staff_case_identifiers(services, view.access).await?
            }
            CaseView::Platform(view) => {
                seller_service::platform_case_identifiers(services, view.access).await?
            }
        };
        Ok(rows.into_iter().map(SellerIdentifier).collect())
    }
    /// The seller a reviewer confirmed this case belongs to; null when none, and always null for
    /// platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn seller(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Seller>> {
        let CaseView::Staff(view) = &*self.0 else {
            return Ok(None);
        };
        let services = ctx.services()?;
        let Some(seller_id) = seller_service::seller_of(services, view.access).await? else {
            return Ok(None);
        };
        Ok(seller_service::find(services, ctx.viewer(), seller_id)
            .await?
            .map(Seller))
    }
    /// Other cases that share a seller identifier with this one and are not yet decided on (not
    /// confirmed as the same seller, not rejected), newest first: confirm with `confirmSellerLink`,
    /// dismiss with `rejectSellerLink`. Empty for platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn seller_suggestions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<SellerLinkSuggestion>> {
        let CaseView::Staff(view) = &*self.0 else {
            return Ok(Vec::new());
        };
        Ok(seller_service::suggestions(ctx.services()?, view.access)
            .await?
            .into_iter()
            .map(SellerLinkSuggestion)
            .collect())
    }
    /// The case's complaints in submission order, withdrawn ones included (`withdrawnAt` tells). A
    /// platform gets them redacted: no reporter, place, tracking code or messages.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn complaints(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<ComplaintConnection> {
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
    /// Its takedown requests, oldest first: every one for staff, only those to its own platform for
    /// a platform.
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
    /// When the first complaint opened the case.
    async fn created_at(&self) -> DateTime {
        self.facts().created_at.into()
    }
    /// When the case last changed: a transition, or a change to its complaints (one joining, being
    /// withdrawn or given evidence, or merged in).
    async fn updated_at(&self) -> DateTime {
        self.facts().updated_at.into()
    }
}

/// Which cases `reviewQueue` lists. Every condition given must hold; an omitted one does not filter.
#[derive(InputObject, Default)]
pub struct CaseFilter {
    /// Any of these statuses. Default: OPEN, IN_REVIEW, AWAITING_INFO (every non-final status with
    /// `overdue: true`).
    pub status: Option<Vec<CaseStatus>>,
    /// Any of these platforms, by `Platform.slug`; an unknown slug answers BAD_USER_INPUT.
    pub platform: Option<Vec<String>>,
    /// Any of these categories, by `Category.code`; an unknown code answers BAD_USER_INPUT.
    pub category: Option<Vec<String>>,
    /// True: only the cases the caller claimed.
    pub assigned_to_me: Option<bool>,
    /// True: only cases whose takedown request is past `dueAt` and unanswered (of any non-final
    /// status unless `status` is given); false: only cases without such a request.
    pub overdue: Option<bool>,
    /// True: only cases with keyword flags; false: only cases without.
    pub flagged: Option<bool>,
    /// Only the cases of this seller (`Seller.id`); an ID that is not a seller's matches no case.
    pub seller: Option<ID>,
    /// True: only re-listings (`Case.relisted`); false: only cases that are not.
    pub relisted: Option<bool>,
}

/// The order of `reviewQueue`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum QueueOrder {
    /// Highest `priority` first, then oldest.
    #[default]
    Priority,
    /// The seller's record first: the highest repeat-offender score of a confirmed seller
    /// (`RepeatOffenderRecord.score`; 0 without one), then by priority, then oldest.
    SellerRecord,
}

/// The takedown request `forwardCase` issues.
#[derive(InputObject, Default)]
pub struct ForwardInput {
    /// NORMAL when omitted.
    pub urgency: Option<Urgency>,
    /// The regulation the request relies on, 10 to 5,000 characters; defaults to the category's
    /// legal basis.
    pub legal_basis: Option<String>,
    /// A note to the platform, 10 to 5,000 characters.
    pub note: Option<String>,
    /// Identifiers of the case or its seller (`SellerIdentifier.id`) that the platform would not
    /// otherwise be told — found on another platform, or entered by a reviewer — attached
    /// deliberately (audited). Those found on the platform itself are always sent.
    pub attach_identifiers: Option<Vec<ID>>,
}

pub type CaseConnection = Connection<String, Case, CaseConnectionFields>;
pub type CaseEdge = Edge<String, Case, EmptyFields>;

/// The connection and edge types come from async-graphql; the schema builder describes them.
pub const CONNECTION_DESCRIPTION: &str = "A page of the review queue (a Relay cursor connection): \
`edges` or `nodes` hold up to `first` cases, and `pageInfo.endCursor` is the `after` of the next \
page while `pageInfo.hasNextPage` is true.";
pub const EDGE_DESCRIPTION: &str = "A case of a page, with the cursor that marks its place.";

#[derive(SimpleObject)]
pub struct CaseConnectionFields {
    /// Cases on this page (the total of a live queue is not counted: it would cost a scan).
    pub page_count: i32,
}

const QUEUE_CURSOR: &str = "queue";

fn case_id(id: &ID) -> i64 {
    id::argument(id, NodeType::Case)
}

/// The cursor of an order: `priority:id`, or `score:priority:id` by the seller's record (each
/// order has its own prefix, so a cursor of one is refused by the other).
fn queue_cursor(cursor: Option<&str>, order: QueueOrder) -> Result<Option<QueueKey>, ServiceError> {
    let invalid = || ServiceError::bad_input("after", Msg::InvalidCursor);
    cursor
        .map(|cursor| {
            let number = |part: Option<&str>| -> Result<i64, ServiceError> {
                part.and_then(|p| p.parse().ok()).ok_or_else(invalid)
            };
            let small = |n: i64| i32::try_from(n).map_err(|_| invalid());
            match order {
                QueueOrder::Priority => {
                    let key = pagination::decode(QUEUE_CURSOR, cursor)?;
                    let mut parts = key.split(':');
                    let priority = small(number(parts.next())?)?;
                    let id = number(parts.next())?;
                    if parts.next().is_some() {
                        return Err(invalid());
                    }
                    Ok(QueueKey {
                        seller_score: 0,
                        priority,
                        id,
                    })
                }
                QueueOrder::SellerRecord => {
                    let key = pagination::decode(SELLER_QUEUE_CURSOR, cursor)?;
                    let mut parts = key.split(':');
                    let seller_score = small(number(parts.next())?)?;
                    let priority = small(number(parts.next())?)?;
                    let id = number(parts.next())?;
                    if parts.next().is_some() {
                        return Err(invalid());
                    }
                    Ok(QueueKey {
                        seller_score,
                        priority,
                        id,
                    })
                }
            }
        })
        .transpose()
}

const SELLER_QUEUE_CURSOR: &str = "queue-seller";

#[derive(Default)]
pub struct CaseQuery;

#[Object]
impl CaseQuery {
    /// The prioritised queue: highest priority first, then oldest. REVIEWER only.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn review_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which cases; by default the OPEN, IN_REVIEW and AWAITING_INFO ones.")]
        filter: Option<CaseFilter>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(desc = "The order; PRIORITY when omitted. A cursor belongs to its order.")]
        order_by: Option<QueueOrder>,
    ) -> async_graphql::Result<CaseConnection> {
        let limit = pagination::page_size(first)?;
        let order = order_by.unwrap_or_default();
        let cursor = queue_cursor(after.as_deref(), order)?;
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
            // An ID that is not a seller's names no row: no case matches it.
            seller_id: filter
                .seller
                .as_ref()
                .map(|seller| id::argument(seller, NodeType::Seller)),
            relisted: filter.relisted,
            by_seller_record: order == QueueOrder::SellerRecord,
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
            let cursor = match order {
                QueueOrder::Priority => {
                    let key = format!("{}:{}", view.facts.priority, view.facts.id);
                    pagination::encode(QUEUE_CURSOR, &key)
                }
                QueueOrder::SellerRecord => {
                    let key = format!(
                        "{}:{}:{}",
                        view.facts.seller_score, view.facts.priority, view.facts.id
                    );
                    pagination::encode(SELLER_QUEUE_CURSOR, &key)
                }
            };
            Edge::new(cursor, Case::from(view))
        }));
        Ok(connection)
    }

    /// A case by id; null when it does not exist or is outside the caller's scope. Reviewers and
    /// administrators see any case; a platform representative only cases with a takedown request
    /// to its platform; citizens and the public none.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's global ID (`Case.id`).")] id: ID,
    ) -> async_graphql::Result<Option<Case>> {
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
    /// OPEN → IN_REVIEW: takes a case for yourself; only you may move it on until you release it.
    /// Exactly one of simultaneous claims succeeds; the others get CONFLICT. REVIEWER only.
    async fn claim_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's global ID (`Case.id`).")] case_id: ID,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(service::claim(ctx.services()?, ctx.viewer(), id)
            .await?
            .into())
    }

    /// IN_REVIEW → OPEN: gives your claimed case back to the queue, unassigned. REVIEWER only.
    async fn release_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's global ID (`Case.id`).")] case_id: ID,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(service::release(ctx.services()?, ctx.viewer(), id)
            .await?
            .into())
    }

    /// IN_REVIEW → REJECTED (final): not a violation. REVIEWER only, on a case you claimed.
    async fn reject_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's global ID (`Case.id`).")] case_id: ID,
        #[graphql(desc = "Why, 10 to 5,000 characters; recorded in the audit trail.")]
        reason: String,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(service::reject(ctx.services()?, ctx.viewer(), id, &reason)
            .await?
            .into())
    }

    /// IN_REVIEW → AWAITING_INFO: asks every reporter of the case for more information. REVIEWER
    /// only, on a case you claimed.
    async fn request_information(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's global ID (`Case.id`).")] case_id: ID,
        #[graphql(
            desc = "The question, 10 to 5,000 characters; every reporter sees it in `messages`."
        )]
        message: String,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(
            service::request_information(ctx.services()?, ctx.viewer(), id, &message)
                .await?
                .into(),
        )
    }

    /// AWAITING_INFO → IN_REVIEW without waiting for a reply. REVIEWER only.
    async fn resume_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's global ID (`Case.id`).")] case_id: ID,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(service::resume(ctx.services()?, ctx.viewer(), id)
            .await?
            .into())
    }

    /// A signed-in reporter answers an information request about its own complaint: an
    /// AWAITING_INFO case goes back to IN_REVIEW; a reply while IN_REVIEW is recorded too; in any
    /// other status, or for a withdrawn complaint, CONFLICT. CITIZEN only; another person's
    /// complaint is NOT_FOUND.
    async fn reply_to_information_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The complaint's global ID (`Complaint.id`).")] complaint_id: ID,
        #[graphql(desc = "The answer, 1 to 5,000 characters.")] message: String,
        #[graphql(
            desc = "What you know of the seller (phone or WhatsApp numbers, links to its \
            accounts), at most 1,000 characters. Only the identifiers found here become the \
            case's seller identifiers; nothing is read from `message`, which may carry your own \
            number. The text itself is not kept."
        )]
        seller_details: Option<String>,
        #[graphql(
            desc = "At most 10 more evidence links (http or https, at most 2,048 characters)."
        )]
        evidence_urls: Option<Vec<String>>,
        #[graphql(
            desc = "Evidence files, as in `SubmitComplaintInput.files` (multipart request)."
        )]
        files: Option<Vec<Upload>>,
    ) -> async_graphql::Result<Complaint> {
        let id = id::argument(&complaint_id, NodeType::Complaint);
        let files = crate::graphql::evidence::incoming(ctx, files, "files")?;
        let view = service::reply_as_citizen(
            ctx.services()?,
            ctx.viewer(),
            id,
            service::ReplyRequest {
                message,
                seller_details,
                evidence_urls: evidence_urls.unwrap_or_default(),
                files,
            },
        )
        .await?;
        Ok(view.into())
    }

    /// A reporter answers an information request without signing in, proving the complaint is
    /// theirs with its tracking code; the same rules as `replyToInformationRequest`. An unknown code
    /// answers NOT_FOUND. Rate-limited with tracking-code look-ups: 120 a minute per client address.
    async fn reply_to_information_request_by_tracking_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The complaint's tracking code, e.g. `LL-7K3M-Q9XP`.")]
        tracking_code: String,
        #[graphql(desc = "The answer, 1 to 5,000 characters.")] message: String,
        #[graphql(
            desc = "What you know of the seller (phone or WhatsApp numbers, links to its \
            accounts), at most 1,000 characters. Only the identifiers found here become the \
            case's seller identifiers; nothing is read from `message`, which may carry your own \
            number. The text itself is not kept."
        )]
        seller_details: Option<String>,
        #[graphql(
            desc = "At most 10 more evidence links (http or https, at most 2,048 characters)."
        )]
        evidence_urls: Option<Vec<String>>,
        #[graphql(
            desc = "Evidence files, as in `SubmitComplaintInput.files` (multipart request)."
        )]
        files: Option<Vec<Upload>>,
    ) -> async_graphql::Result<PublicReply> {
        let files = crate::graphql::evidence::incoming(ctx, files, "files")?;
        let reply = service::reply_by_tracking_code(
            ctx.services()?,
            ctx.viewer(),
            ctx.client_address(),
            &tracking_code,
            service::ReplyRequest {
                message,
                seller_details,
                evidence_urls: evidence_urls.unwrap_or_default(),
                files,
            },
        )
        .await?;
        Ok(PublicReply {
            tracking_code: reply.tracking_code,
            status: reply.status.into(),
        })
    }

    /// IN_REVIEW → FORWARDED: issues a formal takedown request to the case's platform, due after
    /// the platform's response hours for its urgency. REVIEWER only, on a case you claimed.
    async fn forward_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's global ID (`Case.id`).")] case_id: ID,
        #[graphql(desc = "Urgency, legal basis and note of the request.")] input: ForwardInput,
    ) -> async_graphql::Result<TakedownRequest> {
        let id = self::case_id(&case_id);
        let request = ForwardRequest {
            urgency: input
                .urgency
                .map_or(laporlapak_domain::Urgency::Normal, Into::into),
            legal_basis: input.legal_basis,
            note: input.note,
            attach_identifiers: input
                .attach_identifiers
                .unwrap_or_default()
                .iter()
                .map(|id| id.parse::<i64>().unwrap_or(0))
                .collect(),
        };
        Ok(TakedownRequest(
            service::forward(ctx.services()?, ctx.viewer(), id, request).await?,
        ))
    }

    /// IN_REVIEW or PLATFORM_DECLINED → ESCALATED: hands the case to another authority. REVIEWER
    /// only.
    async fn escalate_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's global ID (`Case.id`).")] case_id: ID,
        #[graphql(desc = "The authority the case goes to.")] authority: Authority,
        #[graphql(desc = "Why, 10 to 5,000 characters; recorded in the audit trail.")] note: String,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(
            service::escalate(ctx.services()?, ctx.viewer(), id, authority.into(), &note)
                .await?
                .into(),
        )
    }

    /// Any non-final status → CLOSED (final); clears the case's takedown deadline. REVIEWER only.
    async fn close_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's global ID (`Case.id`).")] case_id: ID,
        #[graphql(desc = "Why, 10 to 5,000 characters; recorded in the audit trail.")] note: String,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        Ok(service::close(ctx.services()?, ctx.viewer(), id, &note)
            .await?
            .into())
    }

    /// Moves the complaints and messages of `sourceCaseIds` into `targetCaseId`; each source
    /// becomes CLOSED with `mergedInto` set, and the target's counts and priority are recomputed
    /// (its status does not change). All of it or nothing, in one transaction. REVIEWER only.
    async fn merge_cases(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The case that keeps the complaints: not final, not claimed by another reviewer."
        )]
        target_case_id: ID,
        #[graphql(
            desc = "1 to 50 cases on the target's platform, each OPEN, IN_REVIEW or AWAITING_INFO and not claimed by another reviewer."
        )]
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

/// What a reporter replying by tracking code learns: no personal data.
#[derive(SimpleObject)]
pub struct PublicReply {
    /// The tracking code, in its canonical spelling (`LL-XXXX-XXXX`).
    pub tracking_code: String,
    /// The status of the complaint's case after the reply.
    pub status: CaseStatus,
}

//! The reviewer desk in the API: `reviewQueue`, `case`, and the case transitions, plus the types
//! `Case`, `Event`, `TakedownRequest` and `PublicReply`.
//!
//! This module holds the queries (`reviewQueue`, `case`) with the queue's inputs, connection and
//! cursors; [`types`] the output types `Case`, `Event` and `TakedownRequest`; [`mutations`] the
//! case transitions and the reporters' replies to information requests.

mod mutations;
mod types;

pub use mutations::{CaseMutation, PublicReply};
pub use types::{Case, Event, TakedownRequest};

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Enum, ID, InputObject, Object};

use crate::graphql::ContextExt as _;
use crate::graphql::enums::{CaseStatus, Urgency};
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use laporlapak_domain::i18n::Msg;
use laporlapak_service::error::ServiceError;
use laporlapak_service::review::{self as service, QueueKey, QueueRequest};

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

/// The takedown NOTICE `forwardCase` issues (due after the platform's own committed response
/// time; see `TakedownKind`).
#[derive(InputObject, Default)]
pub struct ForwardInput {
    /// NORMAL when omitted. For a notice, URGENT asks for the platform's committed urgent
    /// response time, a matter of the platform's policy: it is not limited to the statutory urgent
    /// track, which binds only Komdigi's orders.
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
page while `pageInfo.hasNextPage` is true; `pageCount` counts this page, `totalCount` the whole \
list.";
pub const EDGE_DESCRIPTION: &str = "A case of a page, with the cursor that marks its place.";

/// The counts of a page of the queue: every connection has `pageCount` and `totalCount`.
pub struct CaseConnectionFields {
    page_count: i32,
    request: QueueRequest,
}

#[Object]
impl CaseConnectionFields {
    /// Cases on this page.
    async fn page_count(&self) -> i32 {
        self.page_count
    }
    /// How many cases the filter selects, over every page. Counted only when asked (one more
    /// read of the database; a live queue may change between pages).
    #[graphql(complexity = "crate::graphql::DB_READ")]
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(service::queue_total(ctx.services()?, ctx.viewer(), self.request.clone()).await?)
    }
}

const QUEUE_CURSOR: &str = "queue";

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
        let (page, has_more) = service::queue(
            ctx.services()?,
            ctx.viewer(),
            request.clone(),
            cursor,
            limit,
        )
        .await?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            CaseConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
                request,
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

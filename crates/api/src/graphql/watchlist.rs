//! The watchlist feed for platforms: `watchlist(since:)`.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Description, Enum, Object, SimpleObject};

use crate::graphql::ContextExt as _;
use crate::graphql::datetime::DateTime;
use crate::graphql::pagination;
use laporlapak_service::watchlist::{self as service, WatchlistEntry};

/// What a watchlist entry is about.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::seller::WatchlistKind")]
pub enum WatchlistKind {
    /// A keyword rule (`value` is its phrase): complaints whose text holds it are flagged.
    KeywordRule,
    /// A handle (account, shop) of a seller a reviewer confirmed, found on this platform
    /// (`value` is the handle as `SellerIdentifier.value` spells it).
    SellerHandle,
}

/// What a change did to its entry.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::seller::WatchlistChange")]
pub enum WatchlistChange {
    /// The entry joined the list.
    Listed,
    /// A keyword rule's phrase or weight changed (`value` and `weight` are the new ones).
    Changed,
    /// The entry left the list (a retired keyword rule).
    Delisted,
}

/// One change of a platform's watchlist. Never a reporter, never another platform's identifier.
#[derive(Description)]
pub struct WatchlistItem(WatchlistEntry);

#[Object(use_type_description)]
impl WatchlistItem {
    /// The watchlist's version this change made: send it as `since` to read what follows.
    async fn version(&self) -> i64 {
        self.0.id
    }
    /// What the entry is about.
    async fn kind(&self) -> WatchlistKind {
        self.0.kind.into()
    }
    /// What the change did.
    async fn change(&self) -> WatchlistChange {
        self.0.change.into()
    }
    /// The keyword rule's phrase, or the seller's handle.
    async fn value(&self) -> &str {
        &self.0.value
    }
    /// A keyword rule's weight (1–4); null for a handle.
    async fn weight(&self) -> Option<i32> {
        self.0.weight
    }
    /// When the change was made.
    async fn at(&self) -> DateTime {
        self.0.at.into()
    }
}

#[derive(SimpleObject)]
pub struct WatchlistConnectionFields {
    /// Changes on this page.
    pub page_count: i32,
    /// Changes after `since`, over every page.
    pub total_count: i64,
    /// The watchlist's version now (the last change; 0 before any): keep it, and send it as
    /// `since` next time.
    pub version: i64,
}

pub type WatchlistConnection = Connection<String, WatchlistItem, WatchlistConnectionFields>;
pub type WatchlistEdge = Edge<String, WatchlistItem, EmptyFields>;

pub const CONNECTION_DESCRIPTION: &str = "A page of a platform's watchlist changes, oldest first \
(a Relay cursor connection): `pageInfo.endCursor` is the `after` of the next page while \
`pageInfo.hasNextPage` is true.";
pub const EDGE_DESCRIPTION: &str = "A change of a platform's watchlist, with its cursor.";

const CURSOR: &str = "watchlist";

#[derive(Default)]
pub struct WatchlistQuery;

#[Object]
impl WatchlistQuery {
    /// The caller's platform's watchlist as a log of changes, oldest first: the keyword rules
    /// (every platform's) and the handles of confirmed sellers found on this platform, so the
    /// platform can moderate before a complaint arrives. Apply the changes in order; read from
    /// `since` (the `version` last kept) to get only what changed — the webhook event
    /// `watchlist.changed` says when. PLATFORM only.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn watchlist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version already applied; 0 (or omitted) for the whole log.")]
        since: Option<i64>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; overrides `since`.")] after: Option<
            String,
        >,
    ) -> async_graphql::Result<WatchlistConnection> {
        let limit = pagination::page_size(first)?;
        let since = pagination::decode_id(CURSOR, after.as_deref())?
            .or(since)
            .unwrap_or(0);
        let (page, has_more, total, version) =
            service::feed(ctx.services()?, ctx.viewer(), since, limit).await?;
        let mut connection = Connection::with_additional_fields(
            since > 0,
            has_more,
            WatchlistConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
                total_count: total,
                version,
            },
        );
        connection.edges.extend(page.into_iter().map(|entry| {
            let cursor = pagination::encode(CURSOR, &entry.id.to_string());
            Edge::new(cursor, WatchlistItem(entry))
        }));
        Ok(connection)
    }
}

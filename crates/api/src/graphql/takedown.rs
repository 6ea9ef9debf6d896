//! The platform desk in the API: `takedownRequests`, `acknowledgeTakedownRequest`,
//! `respondToTakedownRequest`.

use crate::graphql::datetime::DateTime;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::NaiveDateTime;

use crate::graphql::ContextExt as _;
use crate::graphql::case::TakedownRequest;
use crate::graphql::enums::{TakedownAction, TakedownStatus};
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use laporlapak_domain::i18n::Msg;
use laporlapak_service::error::ServiceError;
use laporlapak_service::takedown::{self as service, Answer};

/// A platform's answer to a takedown request.
#[derive(InputObject)]
pub struct RespondInput {
    /// What the platform did; decides where the case goes (see `TakedownAction`).
    pub action: TakedownAction,
    /// Why the platform acted (or did not), 20 to 5,000 characters.
    pub statement_of_reasons: String,
    /// When the platform acted; defaults to now. Not in the future (a minute of clock skew is
    /// tolerated), not before the request was issued.
    pub acted_at: Option<DateTime>,
}

pub type TakedownRequestConnection = Connection<String, TakedownRequest, TakedownConnectionFields>;
pub type TakedownRequestEdge = Edge<String, TakedownRequest, EmptyFields>;

/// The connection and edge types come from async-graphql; the schema builder describes them.
pub const CONNECTION_DESCRIPTION: &str = "A page of takedown requests (a Relay cursor \
connection): `edges` or `nodes` hold up to `first` requests, and `pageInfo.endCursor` is the \
`after` of the next page while `pageInfo.hasNextPage` is true; `pageCount` counts this page, \
`totalCount` the whole list.";
pub const EDGE_DESCRIPTION: &str =
    "A takedown request of a page, with the cursor that marks its place.";

/// The counts of a page of takedown requests: every connection has `pageCount` and `totalCount`.
pub struct TakedownConnectionFields {
    page_count: i32,
    status: Option<TakedownStatus>,
    platform: Option<String>,
    since: Option<NaiveDateTime>,
}

#[Object]
impl TakedownConnectionFields {
    /// Requests on this page.
    async fn page_count(&self) -> i32 {
        self.page_count
    }
    /// How many requests the list holds, over every page (with `updatedSince`: how many changed
    /// since then). Counted only when asked (one more read of the database).
    #[graphql(complexity = "crate::graphql::DB_READ")]
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(service::total(
            ctx.services()?,
            ctx.viewer(),
            self.status.map(Into::into),
            self.platform.clone(),
            self.since,
        )
        .await?)
    }
}

const CURSOR: &str = "takedown";
/// The changes feed orders by `updatedAt`, so its cursors are of another kind.
const FEED_CURSOR: &str = "takedown-changes";

fn cursor_key(request: &TakedownRequest, feed: bool) -> String {
    let at = if feed {
        request.0.updated_at
    } else {
        request.0.due_at
    };
    format!("{}|{}", at.and_utc().timestamp_micros(), request.0.id)
}

fn decode_cursor(
    after: Option<&str>,
    feed: bool,
) -> Result<Option<(NaiveDateTime, i64)>, ServiceError> {
    let invalid = || ServiceError::bad_input("after", Msg::InvalidCursor);
    after
        .map(|cursor| {
            let key = pagination::decode(if feed { FEED_CURSOR } else { CURSOR }, cursor)?;
            let (micros, id) = key.split_once('|').ok_or_else(invalid)?;
            let micros: i64 = micros.parse().map_err(|_| invalid())?;
            let due = chrono::DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?;
            Ok((due.naive_utc(), id.parse().map_err(|_| invalid())?))
        })
        .transpose()
}

fn request_id(id: &ID) -> i64 {
    id::argument(id, NodeType::TakedownRequest)
}

#[derive(Default)]
pub struct TakedownQuery;

#[Object]
impl TakedownQuery {
    /// Takedown requests, earliest `dueAt` first. A platform representative sees only its own
    /// platform's; reviewers and administrators see every platform's, optionally for one
    /// `platform`. Citizens get FORBIDDEN.
    ///
    /// With `updatedSince` it is a changes feed instead: the requests issued, acknowledged or
    /// answered at or after that time, in the order of their last change (`updatedAt`), so a
    /// platform can sync by remembering the `updatedAt` of the last request it saw (`status` and
    /// `platform` do not apply then).
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn takedown_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only requests in this status; every status when omitted.")]
        status: Option<TakedownStatus>,
        #[graphql(
            desc = "Only this platform's requests, by `Platform.slug` (staff: an unknown slug answers BAD_USER_INPUT; a representative naming another platform gets an empty page)."
        )]
        platform: Option<String>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
        #[graphql(
            desc = "Only requests changed at or after this time, in the order of their last change (a changes feed)."
        )]
        updated_since: Option<DateTime>,
    ) -> async_graphql::Result<TakedownRequestConnection> {
        let limit = pagination::page_size(first)?;
        let feed = updated_since.is_some();
        let cursor = decode_cursor(after.as_deref(), feed)?;
        let since = updated_since.as_ref().map(|since| since.0.naive_utc());
        let listed_platform = platform.clone();
        let (page, has_more) = match updated_since {
            Some(since) => {
                service::changed_since(
                    ctx.services()?,
                    ctx.viewer(),
                    since.0.naive_utc(),
                    cursor,
                    limit,
                )
                .await?
            }
            None => {
                service::list(
                    ctx.services()?,
                    ctx.viewer(),
                    status.map(Into::into),
                    platform,
                    cursor,
                    limit,
                )
                .await?
            }
        };
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            TakedownConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
                status,
                platform: listed_platform,
                since,
            },
        );
        connection.edges.extend(page.into_iter().map(|row| {
            let request = TakedownRequest(row);
            let kind = if feed { FEED_CURSOR } else { CURSOR };
            Edge::new(
                pagination::encode(kind, &cursor_key(&request, feed)),
                request,
            )
        }));
        Ok(connection)
    }
}

#[derive(Default)]
pub struct TakedownMutation;

#[Object]
impl TakedownMutation {
    /// PENDING → ACKNOWLEDGED: the platform confirms it received the request; repeating it changes
    /// nothing. PLATFORM only; another platform's request is NOT_FOUND.
    async fn acknowledge_takedown_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request's global ID (`TakedownRequest.id`).")] id: ID,
    ) -> async_graphql::Result<TakedownRequest> {
        let id = request_id(&id);
        Ok(TakedownRequest(
            service::acknowledge(ctx.services()?, ctx.viewer(), id).await?,
        ))
    }

    /// The platform's answer, with a statement of reasons: the request becomes ANSWERED and a
    /// FORWARDED case moves on (see `TakedownAction`). Once per request (a second answer is
    /// CONFLICT); an answer after `dueAt` is accepted and recorded as late. PLATFORM only; another
    /// platform's request is NOT_FOUND.
    async fn respond_to_takedown_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request's global ID (`TakedownRequest.id`).")] id: ID,
        #[graphql(desc = "The platform's action and reasons.")] input: RespondInput,
    ) -> async_graphql::Result<TakedownRequest> {
        let id = request_id(&id);
        let answer = Answer {
            action: input.action.into(),
            statement_of_reasons: input.statement_of_reasons,
            acted_at: input.acted_at.map(|at| at.0.naive_utc()),
        };
        Ok(TakedownRequest(
            service::respond(ctx.services()?, ctx.viewer(), id, answer).await?,
        ))
    }
}

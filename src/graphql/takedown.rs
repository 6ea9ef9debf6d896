//! The platform desk in the API: `takedownRequests`, `acknowledgeTakedownRequest`,
//! `respondToTakedownRequest`.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDateTime, Utc};

use crate::error::ServiceError;
use crate::graphql::ContextExt as _;
use crate::graphql::case::TakedownRequest;
use crate::graphql::enums::{TakedownAction, TakedownStatus};
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::i18n::Msg;
use crate::service::takedown::{self as service, Answer};

#[derive(InputObject)]
pub struct RespondInput {
    pub action: TakedownAction,
    /// Why the platform acted (or did not), 20 to 5,000 characters.
    pub statement_of_reasons: String,
    /// When the platform acted; defaults to now. Not in the future, not before the request.
    pub acted_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject)]
pub struct TakedownConnectionFields {
    pub page_count: i32,
}

const CURSOR: &str = "takedown";

fn cursor_key(request: &TakedownRequest) -> String {
    format!(
        "{}|{}",
        request.0.due_at.and_utc().timestamp_micros(),
        request.0.id
    )
}

fn decode_cursor(after: Option<&str>) -> Result<Option<(NaiveDateTime, i64)>, ServiceError> {
    let invalid = || ServiceError::bad_input("after", Msg::InvalidCursor);
    after
        .map(|cursor| {
            let key = pagination::decode(CURSOR, cursor)?;
            let (micros, id) = key.split_once('|').ok_or_else(invalid)?;
            let micros: i64 = micros.parse().map_err(|_| invalid())?;
            let due = DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?;
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
    /// Takedown requests, oldest due first. A platform representative sees only its own
    /// platform's; reviewers see all, optionally for one `platform` (slug).
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn takedown_requests(
        &self,
        ctx: &Context<'_>,
        status: Option<TakedownStatus>,
        platform: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, TakedownRequest, TakedownConnectionFields>> {
        let limit = pagination::page_size(first)?;
        let cursor = decode_cursor(after.as_deref())?;
        let (page, has_more) = service::list(
            ctx.services()?,
            ctx.viewer(),
            status.map(Into::into),
            platform,
            cursor,
            limit,
        )
        .await?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            TakedownConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
            },
        );
        connection.edges.extend(page.into_iter().map(|row| {
            let request = TakedownRequest(row);
            Edge::new(pagination::encode(CURSOR, &cursor_key(&request)), request)
        }));
        Ok(connection)
    }
}

#[derive(Default)]
pub struct TakedownMutation;

#[Object]
impl TakedownMutation {
    /// The platform confirms it received the request (once; repeating changes nothing).
    async fn acknowledge_takedown_request(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<TakedownRequest> {
        let id = request_id(&id);
        Ok(TakedownRequest(
            service::acknowledge(ctx.services()?, ctx.viewer(), id).await?,
        ))
    }

    /// The platform's answer, with a statement of reasons. Once per request.
    async fn respond_to_takedown_request(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: RespondInput,
    ) -> async_graphql::Result<TakedownRequest> {
        let id = request_id(&id);
        let answer = Answer {
            action: input.action.into(),
            statement_of_reasons: input.statement_of_reasons,
            acted_at: input.acted_at.map(|at| at.naive_utc()),
        };
        Ok(TakedownRequest(
            service::respond(ctx.services()?, ctx.viewer(), id, answer).await?,
        ))
    }
}

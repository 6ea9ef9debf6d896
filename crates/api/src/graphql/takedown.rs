//! The platform desk in the API: `takedownRequests`, `acknowledgeTakedownRequest`,
//! `respondToTakedownRequest`.

use crate::graphql::datetime::DateTime;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Description, ID, InputObject, Object};
use chrono::NaiveDateTime;

use crate::graphql::ContextExt as _;
use crate::graphql::case::TakedownRequest;
use crate::graphql::enums::{
    ActedOn, AnswerKind, DecisionGround, TakedownAction, TakedownDecision, TakedownStatus,
};
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use laporlapak_domain::i18n::Msg;
use laporlapak_service::error::ServiceError;
use laporlapak_service::takedown::{self as service, Answer, AnswerChange};

/// A platform's answer to a takedown request, in the shape of the DSA Transparency Database's
/// statement of reasons: what was acted on, the decision, its ground, whether it was automated, the
/// platform's own reference and the free-text reasons. Give `decision` (older clients give only the
/// deprecated `action`, which stays accepted: its decision is the same-named one).
#[derive(InputObject)]
pub struct RespondInput {
    /// What the platform did (one of REMOVED, RESTRICTED, GEO_BLOCKED, DECLINED, NEEDS_MORE_INFO).
    /// Give `decision` instead; both together are BAD_USER_INPUT.
    #[graphql(
        deprecation = "Use `decision`, which also says whether an account was suspended or terminated. Removal after 2027-03-31."
    )]
    pub action: Option<TakedownAction>,
    /// What the platform decided; decides where the case goes (see `TakedownDecision`). Required
    /// unless the deprecated `action` is given.
    pub decision: Option<TakedownDecision>,
    /// What the decision was about: CONTENT by default, ACCOUNT for an account suspension or
    /// termination (CONTENT with those is BAD_USER_INPUT). Not for DECLINED or NEEDS_MORE_INFO.
    pub acted_on: Option<ActedOn>,
    /// Why the platform acted: required with `decision` when the platform acted (not for DECLINED
    /// or NEEDS_MORE_INFO).
    pub ground: Option<DecisionGround>,
    /// What the ground rests on, 2 to 500 characters on one line: the law cited (e.g.
    /// "Permendag 18/2021 Pasal 2") for ILLEGAL_CONTENT, the clause of the platform's terms for
    /// INCOMPATIBLE_WITH_TERMS. Required with `ground`.
    pub ground_reference: Option<String>,
    /// Where the decision applies, as ISO 3166-1 alpha-2 country codes (e.g. `["ID"]`): required
    /// for GEO_BLOCKED; optional for the other actions; not for DECLINED or NEEDS_MORE_INFO.
    pub territory: Option<Vec<String>>,
    /// When an account suspension ends: required for ACCOUNT_SUSPENDED, in the future; only for it.
    pub suspended_until: Option<DateTime>,
    /// Whether the content was detected by automated means.
    pub automated_detection: Option<bool>,
    /// Whether the decision was taken by automated means.
    pub automated_decision: Option<bool>,
    /// The platform's own reference for the decision (its statement-of-reasons ID, say), 1 to
    /// 500 characters on one line.
    pub platform_reference: Option<String>,
    /// Why the platform acted (or did not), 20 to 5,000 characters.
    pub statement_of_reasons: String,
    /// When the platform acted; defaults to now. Not in the future (a minute of clock skew is
    /// tolerated), not before the request was issued.
    pub acted_at: Option<DateTime>,
}

impl RespondInput {
    /// The answer as the service takes it.
    pub fn into_answer(self) -> Answer {
        Answer {
            action: self.action.map(Into::into),
            decision: self.decision.map(Into::into),
            acted_on: self.acted_on.map(Into::into),
            ground: self.ground.map(Into::into),
            ground_reference: self.ground_reference,
            territory: self.territory,
            suspended_until: self.suspended_until.map(|at| at.0.naive_utc()),
            automated_detection: self.automated_detection,
            automated_decision: self.automated_decision,
            platform_reference: self.platform_reference,
            statement_of_reasons: self.statement_of_reasons,
            acted_at: self.acted_at.map(|at| at.0.naive_utc()),
        }
    }
}

/// A platform's later reinstatement of what it had acted on.
#[derive(InputObject)]
pub struct ReinstatementInput {
    /// Why it was reinstated (an appeal upheld, say), 20 to 5,000 characters.
    pub statement_of_reasons: String,
    /// When it was reinstated; defaults to now. Not in the future, not before the action.
    pub reinstated_at: Option<DateTime>,
}

/// The end of a restriction a platform had imposed (a suspension that ran out, a geo-block
/// lifted).
#[derive(InputObject)]
pub struct RestrictionEndedInput {
    /// Why the restriction ended, 20 to 5,000 characters.
    pub statement_of_reasons: String,
    /// When it ended; defaults to now. Not in the future, not before the action.
    pub ended_at: Option<DateTime>,
}

/// An entry of a takedown request's answer history: the platform's answer (with its decision in
/// the shape of the DSA Transparency Database's statement of reasons), or a later reinstatement or
/// end of a restriction (only `kind`, `statementOfReasons`, `effectiveAt` and `recordedAt`).
#[derive(Description)]
pub struct TakedownAnswer(pub service::TakedownAnswer);

#[Object(use_type_description)]
impl TakedownAnswer {
    /// An answer, a reinstatement or the end of a restriction.
    async fn kind(&self) -> AnswerKind {
        self.0.kind.into()
    }
    /// What the platform decided; null for a reinstatement or the end of a restriction.
    async fn decision(&self) -> Option<TakedownDecision> {
        self.0.decision.map(Into::into)
    }
    /// The coarse action the decision stands for (the request's `action`); null for a
    /// reinstatement or the end of a restriction.
    async fn action(&self) -> Option<TakedownAction> {
        self.0.decision.map(|d| d.action().into())
    }
    /// What the decision was about; null when not said (answers from older clients, refusals).
    async fn acted_on(&self) -> Option<ActedOn> {
        self.0.acted_on.map(Into::into)
    }
    /// Why the platform acted; null when not said.
    async fn ground(&self) -> Option<DecisionGround> {
        self.0.ground.map(Into::into)
    }
    /// The law or terms clause the ground cites.
    async fn ground_reference(&self) -> Option<&str> {
        self.0.ground_reference.as_deref()
    }
    /// Where the decision applies (ISO 3166-1 alpha-2 codes); empty when not said.
    async fn territory(&self) -> Vec<&str> {
        self.0
            .territory
            .as_deref()
            .map(|codes| codes.split(',').filter(|c| !c.is_empty()).collect())
            .unwrap_or_default()
    }
    /// When an account suspension ends.
    async fn suspended_until(&self) -> Option<DateTime> {
        self.0.suspended_until.map(Into::into)
    }
    /// Whether detection was automated; null when not said.
    async fn automated_detection(&self) -> Option<bool> {
        self.0.automated_detection
    }
    /// Whether the decision was automated; null when not said.
    async fn automated_decision(&self) -> Option<bool> {
        self.0.automated_decision
    }
    /// The platform's own reference for the decision.
    async fn platform_reference(&self) -> Option<&str> {
        self.0.platform_reference.as_deref()
    }
    /// The platform's reasons.
    async fn statement_of_reasons(&self) -> &str {
        &self.0.statement_of_reasons
    }
    /// When it took effect: when the platform acted, reinstated, or the restriction ended.
    async fn effective_at(&self) -> DateTime {
        self.0.effective_at.into()
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime {
        self.0.recorded_at.into()
    }
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
        Ok(TakedownRequest(
            service::respond(ctx.services()?, ctx.viewer(), id, input.into_answer()).await?,
        ))
    }

    /// The platform later reinstated what it had acted on (an appeal upheld, say): the request
    /// keeps its answer and adds the reinstatement to `answerHistory`, a RESOLVED case goes back
    /// to IN_REVIEW (still claimed by its reviewer), and the transparency report counts it. Once
    /// per request, after an answer that acted (otherwise CONFLICT). PLATFORM only; another
    /// platform's request is NOT_FOUND.
    async fn report_reinstatement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request's global ID (`TakedownRequest.id`).")] id: ID,
        #[graphql(desc = "Why and when it was reinstated.")] input: ReinstatementInput,
    ) -> async_graphql::Result<TakedownRequest> {
        let id = request_id(&id);
        let change = AnswerChange {
            kind: laporlapak_domain::AnswerKind::Reinstatement,
            statement_of_reasons: input.statement_of_reasons,
            at: input.reinstated_at.map(|at| at.0.naive_utc()),
        };
        Ok(TakedownRequest(
            service::report_change(ctx.services()?, ctx.viewer(), id, change).await?,
        ))
    }

    /// A restriction the platform had imposed ended (DISABLED, RESTRICTED, GEO_BLOCKED or
    /// ACCOUNT_SUSPENDED; a removal or termination is CONFLICT: report a reinstatement): added to
    /// `answerHistory`, and a RESOLVED case goes back to IN_REVIEW. Once per request, and not
    /// after a reinstatement. PLATFORM only; another platform's request is NOT_FOUND.
    async fn report_restriction_ended(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request's global ID (`TakedownRequest.id`).")] id: ID,
        #[graphql(desc = "Why and when the restriction ended.")] input: RestrictionEndedInput,
    ) -> async_graphql::Result<TakedownRequest> {
        let id = request_id(&id);
        let change = AnswerChange {
            kind: laporlapak_domain::AnswerKind::RestrictionEnded,
            statement_of_reasons: input.statement_of_reasons,
            at: input.ended_at.map(|at| at.0.naive_utc()),
        };
        Ok(TakedownRequest(
            service::report_change(ctx.services()?, ctx.viewer(), id, change).await?,
        ))
    }
}

//! `takedownRegister`: the public register of takedown requests (anonymous, paginated, filterable),
//! one entry per notice or order. Never the listing, the seller, a reporter or a member of staff.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Description, Enum, Object, SimpleObject};
use chrono::NaiveDateTime;

use crate::graphql::ContextExt as _;
use crate::graphql::datetime::DateTime;
use crate::graphql::enums::{
    ActedOn, AnswerKind, DecisionGround, ObjectionStatus, TakedownAction, TakedownDecision,
    TakedownKind, Urgency,
};
use crate::graphql::pagination;
use crate::graphql::reference::{Category, Platform};
use laporlapak_domain::i18n::Msg;
use laporlapak_service::error::ServiceError;
use laporlapak_service::register::{
    self as service, PublicAnswer, PublicObjection, RegisterEntry, RegisterQuery,
};

/// Where a request of the register stands (the `outcome` filter).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RegisterOutcome {
    /// Not answered yet, and not withdrawn.
    Pending,
    /// Answered REMOVED, RESTRICTED or GEO_BLOCKED (and not reinstated since).
    Acted,
    /// Answered DECLINED.
    Declined,
    /// Answered NEEDS_MORE_INFO.
    NeedsMoreInfo,
    /// Withdrawn after an objection was upheld.
    Withdrawn,
    /// Acted on, then reinstated by the platform.
    Reinstated,
}

impl From<RegisterOutcome> for service::RegisterOutcome {
    fn from(value: RegisterOutcome) -> Self {
        match value {
            RegisterOutcome::Pending => Self::Pending,
            RegisterOutcome::Acted => Self::Acted,
            RegisterOutcome::Declined => Self::Declined,
            RegisterOutcome::NeedsMoreInfo => Self::NeedsMoreInfo,
            RegisterOutcome::Withdrawn => Self::Withdrawn,
            RegisterOutcome::Reinstated => Self::Reinstated,
        }
    }
}

impl From<service::RegisterOutcome> for RegisterOutcome {
    fn from(value: service::RegisterOutcome) -> Self {
        match value {
            service::RegisterOutcome::Pending => Self::Pending,
            service::RegisterOutcome::Acted => Self::Acted,
            service::RegisterOutcome::Declined => Self::Declined,
            service::RegisterOutcome::NeedsMoreInfo => Self::NeedsMoreInfo,
            service::RegisterOutcome::Withdrawn => Self::Withdrawn,
            service::RegisterOutcome::Reinstated => Self::Reinstated,
        }
    }
}

/// An entry of a register entry's answer history: the platform's answer in the shape of the DSA
/// Transparency Database's statement of reasons, or a later reinstatement or end of a restriction.
/// Its free text is scrubbed of web addresses, handles and long numbers.
#[derive(Description)]
pub struct RegisterAnswer(PublicAnswer);

#[Object(use_type_description)]
impl RegisterAnswer {
    /// An answer, a reinstatement or the end of a restriction.
    async fn kind(&self) -> AnswerKind {
        self.0.kind.into()
    }
    /// What the platform decided; null for a later change.
    async fn decision(&self) -> Option<TakedownDecision> {
        self.0.decision.map(Into::into)
    }
    /// What the decision was about; null when not said.
    async fn acted_on(&self) -> Option<ActedOn> {
        self.0.acted_on.map(Into::into)
    }
    /// Why the platform acted; null when not said.
    async fn ground(&self) -> Option<DecisionGround> {
        self.0.ground.map(Into::into)
    }
    /// The law or terms clause the ground cites (scrubbed).
    async fn ground_reference(&self) -> Option<&str> {
        self.0.ground_reference.as_deref()
    }
    /// Where the decision applies (ISO 3166-1 alpha-2 codes); empty when not said.
    async fn territory(&self) -> &[String] {
        &self.0.territory
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
    /// The platform's reasons (scrubbed of web addresses, handles and long numbers).
    async fn statement_of_reasons(&self) -> &str {
        &self.0.statement_of_reasons
    }
    /// When it took effect.
    async fn effective_at(&self) -> DateTime {
        self.0.effective_at.into()
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime {
        self.0.recorded_at.into()
    }
}

/// A platform's objection (sanggah) to a request and its outcome (who decided is not published).
#[derive(SimpleObject)]
pub struct RegisterObjection {
    /// When the platform objected.
    pub filed_at: DateTime,
    /// The platform's reasons (scrubbed of web addresses, handles and long numbers).
    pub reasons: String,
    /// Pending, upheld (the request was withdrawn) or rejected (the clock resumed).
    pub status: ObjectionStatus,
    /// When it was decided; null while pending.
    pub decided_at: Option<DateTime>,
}

impl From<&PublicObjection> for RegisterObjection {
    fn from(o: &PublicObjection) -> Self {
        Self {
            filed_at: o.filed_at.into(),
            reasons: o.reasons.clone(),
            status: o.status.into(),
            decided_at: o.decided_at.map(Into::into),
        }
    }
}

/// One takedown request in the public register: a notice from the ministry or an order from
/// Komdigi, from the moment it is issued; its fields fill as the platform acknowledges, answers,
/// objects or reinstates. It never holds the listing's address or handle, the seller's
/// identifiers, nor anything about a reporter or a member of staff.
#[derive(Description)]
pub struct RegisterEntryType(RegisterEntry);

#[Object(name = "TakedownRegisterEntry", use_type_description)]
impl RegisterEntryType {
    /// The entry's stable public id (`TR-` and a number, one sequence over every platform; the
    /// register lists every request ever issued, so it tells no more than `totalCount`).
    async fn public_id(&self) -> &str {
        &self.0.public_id
    }
    /// The platform the request went to.
    async fn platform(&self) -> Platform {
        Platform(self.0.platform.clone())
    }
    /// The category of the complaints behind it.
    async fn category(&self) -> Category {
        Category(self.0.category.clone())
    }
    /// The ministry's notice or Komdigi's order.
    async fn kind(&self) -> TakedownKind {
        self.0.kind.into()
    }
    /// How fast the platform must act.
    async fn urgency(&self) -> Urgency {
        self.0.urgency.into()
    }
    /// The law the request rests on.
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    /// An order's letter number; null for a notice.
    async fn order_number(&self) -> Option<&str> {
        self.0.order_number.as_deref()
    }
    /// An order's letter date (`yyyy-mm-dd`); null for a notice.
    async fn order_date(&self) -> Option<&str> {
        self.0.order_date.as_deref()
    }
    /// The article an order rests on; null for a notice.
    async fn order_article(&self) -> Option<&str> {
        self.0.order_article.as_deref()
    }
    /// When it was issued.
    async fn issued_at(&self) -> DateTime {
        self.0.issued_at.into()
    }
    /// When the answer is due (moved on by any time an objection paused the clock).
    async fn due_at(&self) -> DateTime {
        self.0.due_at.into()
    }
    /// When the platform acknowledged it; null until then.
    async fn acknowledged_at(&self) -> Option<DateTime> {
        self.0.acknowledged_at.map(Into::into)
    }
    /// When the platform answered; null until then.
    async fn answered_at(&self) -> Option<DateTime> {
        self.0.answered_at.map(Into::into)
    }
    /// When the platform says it acted; null until answered.
    async fn acted_at(&self) -> Option<DateTime> {
        self.0.acted_at.map(Into::into)
    }
    /// Since when an objection has paused the clock; null when running.
    async fn paused_at(&self) -> Option<DateTime> {
        self.0.paused_at.map(Into::into)
    }
    /// When it was withdrawn after an objection was upheld; null when standing.
    async fn withdrawn_at(&self) -> Option<DateTime> {
        self.0.withdrawn_at.map(Into::into)
    }
    /// The entry's last change (the open data's `since` cursor reads this).
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// The coarse action of the answer; null until answered.
    async fn action(&self) -> Option<TakedownAction> {
        self.0.action.map(Into::into)
    }
    /// Where it stands (what the `outcome` filter reads).
    async fn outcome(&self) -> RegisterOutcome {
        self.0.outcome().into()
    }
    /// Answered after the deadline, or unanswered past it now (never while paused or withdrawn).
    async fn overdue(&self) -> bool {
        self.0.overdue
    }
    /// The platform's answer and any later change, oldest first.
    async fn answers(&self) -> Vec<RegisterAnswer> {
        self.0.answers.iter().cloned().map(RegisterAnswer).collect()
    }
    /// Whether the platform later reversed its action (a reinstatement).
    async fn reinstated(&self) -> bool {
        self.0.reinstated()
    }
    /// The platform's objections, oldest first.
    async fn objections(&self) -> Vec<RegisterObjection> {
        self.0.objections.iter().map(Into::into).collect()
    }
    /// Whether this request is about a listing re-listed after an earlier removal.
    async fn relisting(&self) -> bool {
        self.0.relisting_of.is_some()
    }
    /// The public id of the earlier request whose removal this one's listing re-lists.
    async fn relisting_of(&self) -> Option<&str> {
        self.0.relisting_of.as_deref()
    }
    /// Whether a later case re-listed what this request had removed: a removal that did not stick.
    async fn relisted_later(&self) -> bool {
        self.0.relisted_later
    }
}

pub type TakedownRegisterConnection =
    Connection<String, RegisterEntryType, RegisterConnectionFields>;
pub type TakedownRegisterEdge = Edge<String, RegisterEntryType, EmptyFields>;

/// The connection and edge types come from async-graphql; the schema builder describes them.
pub const CONNECTION_DESCRIPTION: &str = "A page of the public register of takedown requests (a \
Relay cursor connection): `edges` or `nodes` hold up to `first` entries, newest first, and \
`pageInfo.endCursor` is the `after` of the next page while `pageInfo.hasNextPage` is true; \
`pageCount` counts this page, `totalCount` the whole list.";
pub const EDGE_DESCRIPTION: &str =
    "An entry of the register's page, with the cursor that marks its place.";

/// The counts of a page of the register: every connection has `pageCount` and `totalCount`.
pub struct RegisterConnectionFields {
    page_count: i32,
    query: RegisterQuery,
}

#[Object]
impl RegisterConnectionFields {
    /// Entries on this page.
    async fn page_count(&self) -> i32 {
        self.page_count
    }
    /// How many entries the register lists under these filters, over every page. Counted only
    /// when asked (one more read of the database).
    #[graphql(complexity = "crate::graphql::DB_READ")]
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(service::count(ctx.services()?, self.query.clone()).await?)
    }
}

const CURSOR: &str = "register";

fn cursor_key(entry: &RegisterEntry) -> String {
    let (at, id) = entry.issued_key();
    format!("{}|{id}", at.and_utc().timestamp_micros())
}

/// A `(micros|id)` cursor key of `kind`; BAD_USER_INPUT on `after` for anything else.
pub fn decode_key(kind: &str, cursor: &str) -> Result<(NaiveDateTime, i64), ServiceError> {
    let invalid = || ServiceError::bad_input("after", Msg::InvalidCursor);
    let key = pagination::decode(kind, cursor)?;
    let (micros, id) = key.split_once('|').ok_or_else(invalid)?;
    let micros: i64 = micros.parse().map_err(|_| invalid())?;
    let at = chrono::DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?;
    Ok((at.naive_utc(), id.parse().map_err(|_| invalid())?))
}

#[derive(Default)]
pub struct RegisterQueryRoot;

#[Object]
impl RegisterQueryRoot {
    /// Public (no token needed): the register of takedown requests, one entry per notice or
    /// order, newest first. Also served as a page at `/register` and as open data under
    /// `/open-data/`.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn takedown_register(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only this platform's requests, by `Platform.slug` (unknown: BAD_USER_INPUT)."
        )]
        platform: Option<String>,
        #[graphql(
            desc = "Only requests of this category, by `Category.code` (unknown: BAD_USER_INPUT)."
        )]
        category: Option<String>,
        #[graphql(desc = "Only notices, or only orders.")] kind: Option<TakedownKind>,
        #[graphql(desc = "Only requests issued at or after this time.")] from: Option<DateTime>,
        #[graphql(
            desc = "Only requests issued before this time; after `from` (BAD_USER_INPUT otherwise)."
        )]
        to: Option<DateTime>,
        #[graphql(desc = "Only requests with this outcome.")] outcome: Option<RegisterOutcome>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<TakedownRegisterConnection> {
        let limit = pagination::page_size(first)?;
        let cursor = after
            .as_deref()
            .map(|c| decode_key(CURSOR, c))
            .transpose()?;
        let query = RegisterQuery {
            platform,
            category,
            kind: kind.map(Into::into),
            from: from.map(|at| at.0.naive_utc()),
            to: to.map(|at| at.0.naive_utc()),
            outcome: outcome.map(Into::into),
        };
        let (page, has_more) = service::page(ctx.services()?, query.clone(), cursor, limit).await?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            RegisterConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
                query,
            },
        );
        connection.edges.extend(page.into_iter().map(|entry| {
            Edge::new(
                pagination::encode(CURSOR, &cursor_key(&entry)),
                RegisterEntryType(entry),
            )
        }));
        Ok(connection)
    }
}

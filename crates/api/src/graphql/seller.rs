//! Sellers across platforms in the API: `seller`, `confirmSellerLink`, `rejectSellerLink`,
//! `addSellerIdentifier`, and the types `Seller`, `SellerIdentifier`, `SellerLinkSuggestion`,
//! `RepeatOffenderRecord` and `TakedownSellerIdentifier`.

use crate::graphql::datetime::DateTime;
use async_graphql::{Context, Description, Enum, ID, Object, SimpleObject};

use crate::graphql::ContextExt as _;
use crate::graphql::case::Case;
use crate::graphql::enums::{SellerIdentifierKind, SellerIdentifierSource};
use crate::graphql::id::{self, NodeType};
use crate::graphql::reference::Platform;
use laporlapak_service::error::ServiceError;
use laporlapak_service::seller::TakedownIdentifier;
use laporlapak_service::seller::{
    self as service, EnteredKind, IdentifierView, RecordView, SellerView, SuggestionView,
};

/// Something that ties listings to their seller: an account handle, a phone number, a WhatsApp
/// number or a bank account, normalised so that the same identifier found in two cases has the
/// same `value`. Reviewers and administrators see every identifier; a platform sees, on a case
/// forwarded to it, only those found in what it reads of that case itself (listing URL, reported
/// handle, description).
#[derive(Description)]
pub struct SellerIdentifier(pub IdentifierView);

#[Object(use_type_description)]
impl SellerIdentifier {
    /// The identifier's number (not a global `Node` ID): what `ForwardInput.attachIdentifiers`
    /// takes.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What it is.
    async fn kind(&self) -> SellerIdentifierKind {
        self.0.kind.into()
    }
    /// The normalised value, the key that links cases: `tiktok.com/@tokobaju`, `+6281234567890`,
    /// `BCA 1234567890`.
    async fn value(&self) -> &str {
        &self.0.value
    }
    /// Where it was found.
    async fn source(&self) -> SellerIdentifierSource {
        self.0.source.into()
    }
    /// The platform of the case it was found in (for a handle, not necessarily the platform the
    /// handle is on: a description may link to another platform).
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn found_on(&self, ctx: &Context<'_>) -> async_graphql::Result<Platform> {
        laporlapak_service::reference::platform(ctx.services()?, self.0.platform_id)
            .await?
            .map(Platform)
            .ok_or_else(|| ServiceError::NotFound.into())
    }
    /// When it was first found in this case.
    async fn found_at(&self) -> DateTime {
        self.0.found_at.into()
    }
}

/// Another case that shares an identifier with this one, suggested as the same seller until a
/// reviewer confirms (`confirmSellerLink`) or rejects (`rejectSellerLink`) the link; a rejected
/// pair is not suggested again.
#[derive(Description)]
pub struct SellerLinkSuggestion(pub SuggestionView);

#[Object(use_type_description)]
impl SellerLinkSuggestion {
    /// The other case.
    async fn case(&self) -> Case {
        Case::from(self.0.case.clone())
    }
    /// The identifiers the two cases share (as found in the other case).
    async fn shared_identifiers(&self) -> Vec<SellerIdentifier> {
        self.0
            .shared
            .iter()
            .cloned()
            .map(SellerIdentifier)
            .collect()
    }
}

/// What a seller's repeat-offender score is made of. The score is `resolvedTakedowns +
/// 2·relistings + (platforms − 1)`; each case of a confirmed seller gains `10·min(score, 5)`
/// priority.
#[derive(SimpleObject)]
pub struct RepeatOffenderRecord {
    /// `resolvedTakedowns + 2·relistings + (platforms − 1)`.
    pub score: i32,
    /// Takedown requests about the seller's cases that platforms answered REMOVED, RESTRICTED or
    /// GEO_BLOCKED and did not later reinstate (`reportReinstatement`).
    pub resolved_takedowns: i32,
    /// The seller's cases that re-list a listing after its removal.
    pub relistings: i32,
    /// Distinct platforms the seller's cases are on.
    pub platforms: i32,
}

impl From<RecordView> for RepeatOffenderRecord {
    fn from(record: RecordView) -> Self {
        Self {
            score: record.score,
            resolved_takedowns: record.resolved_takedowns,
            relistings: record.relistings,
            platforms: record.platforms,
        }
    }
}

/// One seller behind cases on several platforms, as reviewers confirmed it (`confirmSellerLink`):
/// its identifiers, its cases on every platform with their status and outcomes, when it was first
/// and last reported, and its repeat-offender record. Seen by reviewers and administrators only.
#[derive(Description)]
pub struct Seller(pub SellerView);

#[Object(use_type_description)]
impl Seller {
    /// The seller's opaque global ID (`node(id:)` finds it again).
    pub async fn id(&self) -> ID {
        id::encode(NodeType::Seller, self.0.id)
    }
    /// Every identifier found in its cases or entered by reviewers, each value once.
    async fn identifiers(&self) -> Vec<SellerIdentifier> {
        self.0
            .identifiers
            .iter()
            .cloned()
            .map(SellerIdentifier)
            .collect()
    }
    /// Its cases on every platform, oldest first; each with its status and takedown requests
    /// (whose `action` is the platform's outcome).
    async fn cases(&self) -> Vec<Case> {
        self.0.cases.iter().cloned().map(Case::from).collect()
    }
    /// The platforms its cases are on.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn platforms(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Platform>> {
        let services = ctx.services()?;
        let mut platforms = Vec::new();
        for id in &self.0.platform_ids {
            if let Some(platform) = laporlapak_service::reference::platform(services, *id).await? {
                platforms.push(Platform(platform));
            }
        }
        Ok(platforms)
    }
    /// When the first complaint about any of its cases was filed.
    async fn first_seen_at(&self) -> Option<DateTime> {
        self.0.first_seen_at.map(Into::into)
    }
    /// When the latest complaint about any of its cases was filed.
    async fn last_seen_at(&self) -> Option<DateTime> {
        self.0.last_seen_at.map(Into::into)
    }
    /// Its repeat-offender record and score.
    async fn record(&self) -> RepeatOffenderRecord {
        self.0.record.into()
    }
    /// When a reviewer first confirmed two of its cases as one seller.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
}

/// What a takedown request told its platform about the seller, as sent: the identifiers found on
/// that platform, and any a reviewer attached deliberately from other platforms.
#[derive(SimpleObject)]
pub struct TakedownSellerIdentifier {
    /// What it is.
    pub kind: SellerIdentifierKind,
    /// The normalised value.
    pub value: String,
    /// True when a reviewer attached it (found on another platform or entered by a reviewer);
    /// false when it was found on the request's own platform.
    pub attached: bool,
}

impl From<TakedownIdentifier> for TakedownSellerIdentifier {
    fn from(row: TakedownIdentifier) -> Self {
        Self {
            kind: row.kind.into(),
            value: row.value,
            attached: row.attached,
        }
    }
}

/// The identifiers a reviewer may enter for a case's seller.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum EnteredIdentifierKind {
    /// A phone number (`0812-3456-7890`, `+62 812 3456 7890`), stored in E.164 form.
    Phone,
    /// A bank account: the bank's name, then the number of 5 to 20 digits (`BCA 123-456-7890`).
    BankAccount,
}

impl From<EnteredIdentifierKind> for EnteredKind {
    fn from(kind: EnteredIdentifierKind) -> Self {
        match kind {
            EnteredIdentifierKind::Phone => Self::Phone,
            EnteredIdentifierKind::BankAccount => Self::BankAccount,
        }
    }
}

#[derive(Default)]
pub struct SellerQuery;

#[Object]
impl SellerQuery {
    /// A seller by id; null when it does not exist or the caller is not a reviewer or
    /// administrator.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn seller(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The seller's global ID (`Seller.id`).")] id: ID,
    ) -> async_graphql::Result<Option<Seller>> {
        let Some(number) = id::decode_as(&id, NodeType::Seller) else {
            return Ok(None);
        };
        Ok(service::find(ctx.services()?, ctx.viewer(), number)
            .await?
            .map(Seller))
    }
}

fn case_id(id: &ID) -> i64 {
    id::argument(id, NodeType::Case)
}

#[derive(Default)]
pub struct SellerMutation;

#[Object]
impl SellerMutation {
    /// Confirms that two cases are the same seller: both join one seller (a new one, or the one
    /// either already belongs to; two sellers become one). Audited on both cases; the seller's
    /// repeat-offender record and its cases' priorities are recounted. Confirming a pair already of
    /// one seller changes nothing. REVIEWER only; an unknown case is NOT_FOUND.
    async fn confirm_seller_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A case's global ID (`Case.id`).")] case_id: ID,
        #[graphql(desc = "The other case's global ID; not `caseId` itself.")] other_case_id: ID,
    ) -> async_graphql::Result<Seller> {
        let (case, other) = (self::case_id(&case_id), self::case_id(&other_case_id));
        Ok(Seller(
            service::confirm_link(ctx.services()?, ctx.viewer(), case, other).await?,
        ))
    }

    /// Records that two cases are not the same seller, so the pair is not suggested again; returns
    /// the first case. Audited on both cases. CONFLICT when they were confirmed as one seller.
    /// REVIEWER only; an unknown case is NOT_FOUND.
    async fn reject_seller_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A case's global ID (`Case.id`).")] case_id: ID,
        #[graphql(desc = "The other case's global ID; not `caseId` itself.")] other_case_id: ID,
    ) -> async_graphql::Result<Case> {
        let (case, other) = (self::case_id(&case_id), self::case_id(&other_case_id));
        Ok(
            service::reject_link(ctx.services()?, ctx.viewer(), case, other)
                .await?
                .into(),
        )
    }

    /// Enters a phone number or bank account for a case's seller (bank accounts are never read
    /// from complaints). It links cases like any other identifier; platforms do not see it unless
    /// a reviewer attaches it to a takedown request. Audited. REVIEWER only.
    async fn add_seller_identifier(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's global ID (`Case.id`).")] case_id: ID,
        #[graphql(desc = "What the value is.")] kind: EnteredIdentifierKind,
        #[graphql(desc = "The number as written; normalised (a malformed one is BAD_USER_INPUT).")]
        value: String,
    ) -> async_graphql::Result<SellerIdentifier> {
        let case = self::case_id(&case_id);
        Ok(SellerIdentifier(
            service::add_identifier(ctx.services()?, ctx.viewer(), case, kind.into(), value)
                .await?,
        ))
    }
}

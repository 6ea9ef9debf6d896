//! The legal chain in the API (docs/legal-chain.md): reviewers' recommendations to Komdigi
//! (`recommendOrder`), the regulator's queue and decisions (`recommendations`, `issueOrder`,
//! `declineRecommendation`), sanctions (`recordSanction`, `sanctions`) and platforms' objections
//! (`objectToTakedownRequest`, `pendingObjections`, `decideObjection`). Nothing here carries a
//! complaint or a reporter: the regulator's view of a case is `RecommendedCase`.

use async_graphql::{Context, Description, ID, InputObject, Object};

use crate::graphql::ContextExt as _;
use crate::graphql::case::TakedownRequest;
use crate::graphql::datetime::DateTime;
use crate::graphql::enums::{
    CaseStatus, ObjectionStatus, RecommendationStatus, SanctionStep, TakedownAction, TakedownKind,
    TakedownStatus, Urgency,
};
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::{Category, Platform};
use laporlapak_service::error::ServiceError;
use laporlapak_service::legal::{
    self as service, ObjectionView, OrderRequest, RecommendRequest, RecommendationView,
    RecommendedCaseView, SanctionRequest, SanctionView,
};
use laporlapak_service::takedown::TakedownView;

/// A reviewer's recommendation to Komdigi to order access terminated (Permenkominfo 5/2020
/// Art. 14), for one case or a batch, and Komdigi's decision. Read by the regulator and the
/// ministry's staff; it holds no complaint and no reporter.
#[derive(Description)]
pub struct Recommendation(pub RecommendationView);

#[Object(use_type_description)]
impl Recommendation {
    /// The recommendation's opaque global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::Recommendation, self.0.id)
    }
    /// The number of the ministry's letter to Komdigi.
    async fn letter_number(&self) -> &str {
        &self.0.letter_number
    }
    /// The regulation the recommendation relies on.
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    /// Why the ministry recommends an order.
    async fn reasons(&self) -> &str {
        &self.0.reasons
    }
    /// The urgency the ministry asks for.
    async fn urgency(&self) -> Urgency {
        self.0.urgency.into()
    }
    /// Pending in the regulator's queue, ordered or declined.
    async fn status(&self) -> RecommendationStatus {
        self.0.status.into()
    }
    /// When the reviewer sent it.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When Komdigi ordered or declined; null while pending.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(Into::into)
    }
    /// Komdigi's reasons for declining; null otherwise.
    async fn decision_reasons(&self) -> Option<&str> {
        self.0.decision_reasons.as_deref()
    }
    /// The recommended cases, as the regulator sees them.
    async fn cases(&self) -> Vec<RecommendedCase> {
        self.0.cases.iter().cloned().map(RecommendedCase).collect()
    }
}

/// A recommended case as the regulator sees it: what it is about and the evidence the ministry
/// chose to share — never a complaint, a reporter or the case's audit trail.
#[derive(Description)]
pub struct RecommendedCase(RecommendedCaseView);

#[Object(use_type_description)]
impl RecommendedCase {
    /// The case's global ID (the ministry's reference; the regulator cannot open the case).
    async fn case_id(&self) -> ID {
        id::encode(NodeType::Case, self.0.case_id)
    }
    /// The canonical URL of the listing or account.
    async fn target(&self) -> &str {
        &self.0.target
    }
    /// The case's platform.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Platform> {
        laporlapak_service::reference::platform(ctx.services()?, self.0.platform_id)
            .await?
            .map(Platform)
            .ok_or_else(|| ServiceError::NotFound.into())
    }
    /// The case's category.
    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<Category> {
        ctx.services()?
            .reference
            .get()
            .category(self.0.category_id)
            .cloned()
            .map(Category)
            .ok_or_else(|| ServiceError::NotFound.into())
    }
    /// The case's status now.
    async fn status(&self) -> CaseStatus {
        self.0.status.into()
    }
    /// The evidence URLs the ministry shared with the regulator.
    async fn shared_evidence(&self) -> &[String] {
        &self.0.shared_evidence
    }
    /// The order issued for the case; null until Komdigi orders.
    async fn order(&self) -> Option<IssuedOrder> {
        self.0.order.clone().map(IssuedOrder)
    }
}

/// An ORDER request as the regulator follows it.
#[derive(Description)]
pub struct IssuedOrder(TakedownView);

#[Object(use_type_description)]
impl IssuedOrder {
    /// The request's global ID (`TakedownRequest.id`), for `recordSanction`.
    async fn id(&self) -> ID {
        id::encode(NodeType::TakedownRequest, self.0.id)
    }
    /// The order letter's number.
    async fn order_number(&self) -> Option<&str> {
        self.0.order_number.as_deref()
    }
    /// The order letter's date, `yyyy-mm-dd`.
    async fn order_date(&self) -> Option<&str> {
        self.0.order_date.as_deref()
    }
    /// The article the order rests on.
    async fn order_article(&self) -> Option<&str> {
        self.0.order_article.as_deref()
    }
    /// NORMAL (24 hours) or URGENT (4 hours).
    async fn urgency(&self) -> Urgency {
        self.0.urgency.into()
    }
    /// How far the platform has got with the order.
    async fn status(&self) -> TakedownStatus {
        self.0.status.into()
    }
    /// When Komdigi issued it (receipt by the platform).
    async fn issued_at(&self) -> DateTime {
        self.0.issued_at.into()
    }
    /// The statutory deadline (moved on by any paused time).
    async fn due_at(&self) -> DateTime {
        self.0.due_at.into()
    }
    /// When the platform answered; null until then.
    async fn responded_at(&self) -> Option<DateTime> {
        self.0.responded_at.map(Into::into)
    }
    /// What the platform did; null until it answers.
    async fn action(&self) -> Option<TakedownAction> {
        self.0.action.map(Into::into)
    }
    /// Answered after the statutory deadline, or unanswered past it now: a statutory breach.
    async fn overdue(&self) -> bool {
        self.0.overdue
    }
    /// Since when an objection has paused the clock; null when it runs.
    async fn paused_at(&self) -> Option<DateTime> {
        self.0.paused_at.map(Into::into)
    }
    /// When the order was withdrawn after an objection was upheld.
    async fn withdrawn_at(&self) -> Option<DateTime> {
        self.0.withdrawn_at.map(Into::into)
    }
}

/// A platform's objection (sanggah) to a request; decided by the regulator for an ORDER, by a
/// reviewer for a NOTICE.
#[derive(Description)]
pub struct Objection(pub ObjectionView);

#[Object(use_type_description)]
impl Objection {
    /// The objection's opaque global ID (for `decideObjection`).
    async fn id(&self) -> ID {
        id::encode(NodeType::Objection, self.0.id)
    }
    /// The request objected to (`TakedownRequest.id`).
    async fn takedown_request_id(&self) -> ID {
        id::encode(NodeType::TakedownRequest, self.0.takedown_request_id)
    }
    /// The kind of that request: who decides.
    async fn kind(&self) -> TakedownKind {
        self.0.kind.into()
    }
    /// The platform that objected.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Platform> {
        laporlapak_service::reference::platform(ctx.services()?, self.0.platform_id)
            .await?
            .map(Platform)
            .ok_or_else(|| ServiceError::NotFound.into())
    }
    /// The platform's reasons.
    async fn reasons(&self) -> &str {
        &self.0.reasons
    }
    /// When the platform objected (the clock paused then).
    async fn filed_at(&self) -> DateTime {
        self.0.filed_at.into()
    }
    /// Pending, upheld or rejected.
    async fn status(&self) -> ObjectionStatus {
        self.0.status.into()
    }
    /// When it was decided; null while pending.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(Into::into)
    }
    /// The decider's reasons; null while pending.
    async fn decision_reasons(&self) -> Option<&str> {
        self.0.decision_reasons.as_deref()
    }
}

/// A sanction Komdigi recorded against a platform: a step of the ladder and its letter.
#[derive(Description)]
pub struct Sanction(SanctionView);

#[Object(use_type_description)]
impl Sanction {
    /// The sanction's opaque global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::Sanction, self.0.id)
    }
    /// The sanctioned platform.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Platform> {
        laporlapak_service::reference::platform(ctx.services()?, self.0.platform_id)
            .await?
            .map(Platform)
            .ok_or_else(|| ServiceError::NotFound.into())
    }
    /// The step of the ladder.
    async fn step(&self) -> SanctionStep {
        self.0.step.into()
    }
    /// The sanction letter's number.
    async fn letter_number(&self) -> &str {
        &self.0.letter_number
    }
    /// `yyyy-mm-dd`.
    async fn letter_date(&self) -> &str {
        &self.0.letter_date
    }
    /// Why the sanction was imposed.
    async fn reasons(&self) -> &str {
        &self.0.reasons
    }
    /// When it was recorded here.
    async fn recorded_at(&self) -> DateTime {
        self.0.recorded_at.into()
    }
    /// The orders (`TakedownRequest.id`) the sanction concerns.
    async fn order_ids(&self) -> Vec<ID> {
        self.0
            .order_ids
            .iter()
            .map(|id| id::encode(NodeType::TakedownRequest, *id))
            .collect()
    }
}

/// A recommendation to Komdigi.
#[derive(InputObject)]
pub struct RecommendInput {
    /// 1 to 100 cases (`Case.id`), each IN_REVIEW (claimed by you), FORWARDED (a notice went
    /// first) or PLATFORM_DECLINED.
    pub case_ids: Vec<ID>,
    /// The number of the ministry's letter, 1 to 100 characters.
    pub letter_number: String,
    /// The regulation relied on, 10 to 5,000 characters.
    pub legal_basis: String,
    /// Why an order is needed, 10 to 5,000 characters.
    pub reasons: String,
    /// NORMAL when omitted; URGENT only when every case's category is on the urgent track
    /// (`Category.urgentTrack`), else BAD_USER_INPUT naming `input.urgency`.
    pub urgency: Option<Urgency>,
    /// Evidence URLs of the cases' complaints that the regulator may see (at most 100); none when
    /// omitted.
    pub shared_evidence: Option<Vec<String>>,
}

/// Komdigi's order letter.
#[derive(InputObject)]
pub struct OrderInput {
    /// The order letter's number, 1 to 100 characters.
    pub order_number: String,
    /// The letter's date, `yyyy-mm-dd`, not in the future.
    pub order_date: String,
    /// The article the order rests on, e.g. "Pasal 15 Permenkominfo 5/2020", 1 to 500 characters.
    pub article: String,
    /// The recommendation's urgency when omitted; URGENT only in categories on the urgent track
    /// (else BAD_USER_INPUT naming `input.urgency`).
    pub urgency: Option<Urgency>,
}

/// A sanction against a platform.
#[derive(InputObject)]
pub struct SanctionInput {
    /// `Platform.slug`.
    pub platform: String,
    /// The step of the ladder.
    pub step: SanctionStep,
    /// The sanction letter's number, 1 to 100 characters.
    pub letter_number: String,
    /// `yyyy-mm-dd`, not in the future.
    pub letter_date: String,
    /// 10 to 5,000 characters.
    pub reasons: String,
    /// 1 to 100 ORDER requests (`TakedownRequest.id`) sent to that platform.
    pub order_ids: Vec<ID>,
}

#[derive(Default)]
pub struct LegalQuery;

#[Object]
impl LegalQuery {
    /// The regulator's queue of recommendations (and the ministry's record of them), oldest first.
    /// REGULATOR, REVIEWER and ADMIN; others FORBIDDEN (UNAUTHENTICATED without a token).
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn recommendations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only recommendations in this status (PENDING: the queue).")]
        status: Option<RecommendationStatus>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `id` of the last recommendation of the previous page.")]
        after: Option<ID>,
    ) -> async_graphql::Result<Vec<Recommendation>> {
        let limit = pagination::page_size(first)?;
        let after = after.map(|id| id::argument(&id, NodeType::Recommendation));
        let (page, _) = service::recommendations(
            ctx.services()?,
            ctx.viewer(),
            status.map(Into::into),
            after,
            limit,
        )
        .await?;
        Ok(page.into_iter().map(Recommendation).collect())
    }

    /// One recommendation; null when it does not exist or the caller may not read it.
    async fn recommendation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The recommendation's global ID.")] id: ID,
    ) -> async_graphql::Result<Option<Recommendation>> {
        let id = id::argument(&id, NodeType::Recommendation);
        Ok(
            service::find_recommendation(ctx.services()?, ctx.viewer(), id)
                .await?
                .map(Recommendation),
        )
    }

    /// The caller's queue of pending objections, oldest first: objections to orders for the
    /// REGULATOR, to notices for a REVIEWER; others FORBIDDEN.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn pending_objections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many, 1 to 100; 20 when omitted.")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<Objection>> {
        let limit = pagination::page_size(first)?;
        Ok(
            service::pending_objections(ctx.services()?, ctx.viewer(), limit)
                .await?
                .into_iter()
                .map(Objection)
                .collect(),
        )
    }

    /// Sanctions Komdigi recorded, oldest first, optionally against one platform. REGULATOR,
    /// REVIEWER and ADMIN (the public sees their count in `transparencyReport`).
    async fn sanctions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this platform's, by `Platform.slug`.")] platform: Option<String>,
    ) -> async_graphql::Result<Vec<Sanction>> {
        Ok(service::sanctions(ctx.services()?, ctx.viewer(), platform)
            .await?
            .into_iter()
            .map(Sanction)
            .collect())
    }
}

#[derive(Default)]
pub struct LegalMutation;

#[Object]
impl LegalMutation {
    /// REVIEWER: recommends that Komdigi order access terminated, for 1 to 100 cases in one
    /// letter; each case goes to ESCALATED (escalated to KOMDIGI) and waits in the regulator's
    /// queue. All or none.
    async fn recommend_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The letter and its cases.")] input: RecommendInput,
    ) -> async_graphql::Result<Recommendation> {
        let request = RecommendRequest {
            case_ids: input
                .case_ids
                .iter()
                .map(|id| id::argument(id, NodeType::Case))
                .collect(),
            letter_number: input.letter_number,
            legal_basis: input.legal_basis,
            reasons: input.reasons,
            urgency: input
                .urgency
                .map_or(laporlapak_domain::Urgency::Normal, Into::into),
            shared_evidence: input.shared_evidence.unwrap_or_default(),
        };
        Ok(Recommendation(
            service::recommend(ctx.services()?, ctx.viewer(), request).await?,
        ))
    }

    /// REGULATOR: issues Komdigi's order for every case of a pending recommendation: one ORDER
    /// request per case to its platform, due 1×24 hours (4 urgent) after receipt; each case
    /// ESCALATED → FORWARDED. A decided recommendation is CONFLICT.
    async fn issue_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The recommendation's global ID (`Recommendation.id`).")]
        recommendation_id: ID,
        #[graphql(desc = "The order letter.")] input: OrderInput,
    ) -> async_graphql::Result<Recommendation> {
        let id = id::argument(&recommendation_id, NodeType::Recommendation);
        let order = OrderRequest {
            order_number: input.order_number,
            order_date: input.order_date,
            article: input.article,
            urgency: input.urgency.map(Into::into),
        };
        Ok(Recommendation(
            service::issue_order(ctx.services()?, ctx.viewer(), id, order).await?,
        ))
    }

    /// REGULATOR: declines a pending recommendation with reasons (10 to 5,000 characters); its
    /// cases go back to IN_REVIEW.
    async fn decline_recommendation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The recommendation's global ID (`Recommendation.id`).")]
        recommendation_id: ID,
        #[graphql(desc = "Why Komdigi declines, 10 to 5,000 characters.")] reasons: String,
    ) -> async_graphql::Result<Recommendation> {
        let id = id::argument(&recommendation_id, NodeType::Recommendation);
        Ok(Recommendation(
            service::decline(ctx.services()?, ctx.viewer(), id, &reasons).await?,
        ))
    }

    /// REGULATOR: records a sanction against a platform for orders it did not comply with.
    async fn record_sanction(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The sanction letter and the orders it concerns.")] input: SanctionInput,
    ) -> async_graphql::Result<Sanction> {
        let request = SanctionRequest {
            platform: input.platform,
            step: input.step.into(),
            letter_number: input.letter_number,
            letter_date: input.letter_date,
            reasons: input.reasons,
            order_ids: input
                .order_ids
                .iter()
                .map(|id| id::argument(id, NodeType::TakedownRequest))
                .collect(),
        };
        Ok(Sanction(
            service::record_sanction(ctx.services()?, ctx.viewer(), request).await?,
        ))
    }

    /// PLATFORM: contests a notice or an order (sanggah) with reasons (10 to 5,000 characters),
    /// before its `dueAt` and while unanswered; the clock pauses until the regulator (orders) or a
    /// reviewer (notices) decides. Another platform's request is NOT_FOUND.
    async fn object_to_takedown_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request's global ID (`TakedownRequest.id`).")] id: ID,
        #[graphql(desc = "The platform's reasons, 10 to 5,000 characters.")] reasons: String,
    ) -> async_graphql::Result<TakedownRequest> {
        let id = id::argument(&id, NodeType::TakedownRequest);
        Ok(TakedownRequest(
            service::object(ctx.services()?, ctx.viewer(), id, &reasons).await?,
        ))
    }

    /// REGULATOR (objections to orders) or REVIEWER (to notices): upheld withdraws the request;
    /// rejected restarts the clock, `dueAt` moving on by the paused time. An objection the caller
    /// does not decide is NOT_FOUND; a decided one CONFLICT.
    async fn decide_objection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The objection's global ID (`Objection.id`).")] id: ID,
        #[graphql(desc = "True to withdraw the request, false to resume its clock.")] upheld: bool,
        #[graphql(desc = "The decision's reasons, 10 to 5,000 characters.")] reasons: String,
    ) -> async_graphql::Result<Objection> {
        let id = id::argument(&id, NodeType::Objection);
        Ok(Objection(
            service::decide_objection(ctx.services()?, ctx.viewer(), id, upheld, &reasons).await?,
        ))
    }
}

//! Appeals against a rejection: `appealRejection` and `appealRejectionByTrackingCode` for the
//! reporter, `pendingAppeals` and `decideAppeal` for reviewers.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};

use crate::graphql::ContextExt as _;
use crate::graphql::datetime::DateTime;
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use laporlapak_service::review::{self as service, AppealView, StaffAppealView};

/// How an appeal against a rejection stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AppealStatus {
    /// Waiting for a reviewer other than the one who rejected the case.
    Pending,
    /// The rejection stands.
    Upheld,
    /// The case is back in the review queue.
    Granted,
}

/// A reporter's appeal against the rejection of its complaint, as the reporter sees it.
#[derive(SimpleObject)]
pub struct Appeal {
    /// The appeal's opaque ID (what `decideAppeal` takes).
    pub id: ID,
    /// Whether and how the appeal was decided.
    pub status: AppealStatus,
    /// When the reporter appealed.
    pub filed_at: DateTime,
    /// When a reviewer decided; null while pending.
    pub decided_at: Option<DateTime>,
    /// The deciding reviewer's reason, written for the reporters; null while pending.
    pub reason: Option<String>,
}

impl From<AppealView> for Appeal {
    fn from(view: AppealView) -> Self {
        Self {
            id: id::encode(NodeType::Appeal, view.id),
            status: match view.decision {
                None => AppealStatus::Pending,
                Some(laporlapak_domain::AppealDecision::Upheld) => AppealStatus::Upheld,
                Some(laporlapak_domain::AppealDecision::Granted) => AppealStatus::Granted,
            },
            filed_at: view.filed_at.into(),
            decided_at: view.decided_at.map(Into::into),
            reason: view.reason,
        }
    }
}

/// A pending appeal on a reviewer's desk.
#[derive(SimpleObject)]
pub struct PendingAppeal {
    /// The appeal.
    pub appeal: Appeal,
    /// The rejected case's global ID (`Case.id`).
    pub case_id: ID,
    /// The appealed complaint's global ID (`Complaint.id`).
    pub complaint_id: ID,
    /// What the reporter wrote.
    pub text: String,
    /// True when the caller rejected the case: another reviewer must decide.
    pub rejected_by_me: bool,
}

impl From<StaffAppealView> for PendingAppeal {
    fn from(view: StaffAppealView) -> Self {
        Self {
            appeal: view.appeal.into(),
            case_id: id::encode(NodeType::Case, view.case_id),
            complaint_id: id::encode(NodeType::Complaint, view.complaint_id),
            text: view.text,
            rejected_by_me: view.rejected_by_me,
        }
    }
}

#[derive(Default)]
pub struct AppealQuery;

#[Object]
impl AppealQuery {
    /// Appeals waiting for a decision, oldest first (a decided appeal leaves the list). REVIEWER
    /// only.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn pending_appeals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 100; 20 when omitted.")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<PendingAppeal>> {
        let limit = pagination::page_size(first)?;
        Ok(service::pending(ctx.services()?, ctx.viewer(), None, limit)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

#[derive(Default)]
pub struct AppealMutation;

#[Object]
impl AppealMutation {
    /// Appeals the rejection of one of your complaints, once per complaint, within 30 days of
    /// the rejection. A reviewer other than the one who rejected it decides; the outcome shows on
    /// `Complaint.appeal`. CITIZEN only (anonymous reporters use
    /// `appealRejectionByTrackingCode`); another citizen's complaint answers NOT_FOUND, a case
    /// that is not REJECTED, a second appeal or a late one CONFLICT.
    async fn appeal_rejection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The complaint's global ID (`Complaint.id`).")] complaint_id: ID,
        #[graphql(desc = "Why the rejection is wrong, 10 to 5,000 characters.")] text: String,
    ) -> async_graphql::Result<Appeal> {
        let id = id::argument(&complaint_id, NodeType::Complaint);
        Ok(
            service::appeal_as_citizen(ctx.services()?, ctx.viewer(), id, &text)
                .await?
                .into(),
        )
    }

    /// Appeals a rejection with the complaint's tracking code, under the rules of
    /// `appealRejection`; the outcome shows on `complaintByTrackingCode { appeal }`. Rate-limited
    /// with tracking-code look-ups; an unknown code answers NOT_FOUND.
    async fn appeal_rejection_by_tracking_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tracking code (`LL-XXXX-XXXX`).")] tracking_code: String,
        #[graphql(desc = "Why the rejection is wrong, 10 to 5,000 characters.")] text: String,
    ) -> async_graphql::Result<Appeal> {
        Ok(service::appeal_by_tracking_code(
            ctx.services()?,
            ctx.viewer(),
            ctx.client_address(),
            &tracking_code,
            &text,
        )
        .await?
        .into())
    }

    /// Decides a pending appeal: `grant: true` puts the case back in the queue (REJECTED →
    /// OPEN), false keeps the rejection. REVIEWER only, and not the reviewer who rejected the case
    /// (CONFLICT). The reason is shown to the case's reporters.
    async fn decide_appeal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The appeal's ID (`Appeal.id`).")] appeal_id: ID,
        #[graphql(desc = "True to grant the appeal, false to uphold the rejection.")] grant: bool,
        #[graphql(desc = "Why, for the reporters, 10 to 5,000 characters.")] reason: String,
    ) -> async_graphql::Result<Appeal> {
        let id = id::argument(&appeal_id, NodeType::Appeal);
        Ok(
            service::decide(ctx.services()?, ctx.viewer(), id, grant, &reason)
                .await?
                .into(),
        )
    }
}

//! The case transitions (`claimCase`, `releaseCase`, `rejectCase`, `requestInformation`,
//! `resumeReview`, `forwardCase`, `escalateCase`, `closeCase`, `mergeCases`) and the reporters'
//! replies to information requests (`replyToInformationRequest`, by account, and
//! `replyToInformationRequestByTrackingCode`, answered with a `PublicReply`).

use async_graphql::{Context, ID, Object, SimpleObject, Upload};

use super::{Case, ForwardInput, TakedownRequest};
use crate::graphql::ContextExt as _;
use crate::graphql::complaint::Complaint;
use crate::graphql::enums::{Authority, CaseStatus, RejectionReason};
use crate::graphql::id::{self, NodeType};
use laporlapak_service::review::{self as service, ForwardRequest};

fn case_id(id: &ID) -> i64 {
    id::argument(id, NodeType::Case)
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
        #[graphql(desc = "Why, 10 to 5,000 characters; recorded in the audit trail (staff only).")]
        reason: String,
        #[graphql(
            desc = "The reason the case's reporters are told (`Complaint.rejection`); OTHER when omitted."
        )]
        reason_code: Option<RejectionReason>,
        #[graphql(
            desc = "A message to the case's reporters, 10 to 5,000 characters, shown with the reason by tracking code and in `myComplaints`; write it for them (no internal notes)."
        )]
        message_to_reporter: Option<String>,
    ) -> async_graphql::Result<Case> {
        let id = self::case_id(&case_id);
        let rejection = service::Rejection {
            internal_reason: &reason,
            code: reason_code.map(Into::into),
            message_to_reporter: message_to_reporter.as_deref(),
        };
        Ok(
            service::reject(ctx.services()?, ctx.viewer(), id, rejection)
                .await?
                .into(),
        )
    }

    /// IN_REVIEW → AWAITING_INFO: asks every reporter of the case for more information. REVIEWER
    /// only, on a case you claimed. Unanswered by the deadline (14 days unless the operator set
    /// `LAPORLAPAK_INFORMATION_REPLY_DAYS`), the case closes as "no reply"; a later reply
    /// reopens it for you.
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

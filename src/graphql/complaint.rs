//! Complaints in the API: `submitComplaint`, `complaintByTrackingCode`, `myComplaints`,
//! `addEvidence`, `withdrawComplaint`.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::error::ServiceError;
use crate::graphql::ContextExt as _;
use crate::graphql::account::Account;
use crate::graphql::case::Message;
use crate::graphql::error::current_lang;
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::{Category, Platform};
use crate::i18n::Lang;
use crate::service::complaint::{
    self as service, ComplaintView, PublicComplaintView, SubmitRequest,
};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::CaseStatus")]
pub enum CaseStatus {
    Open,
    InReview,
    AwaitingInfo,
    Forwarded,
    Resolved,
    PlatformDeclined,
    Escalated,
    Rejected,
    Closed,
}

/// One person's report. Seen by its reporter and by reviewers.
///
/// Shown to a platform (through a case forwarded to it) it is redacted: no reporter, no place, no
/// messages, no tracking code — nothing that tells one reporter from another.
pub struct Complaint {
    view: Box<ComplaintView>,
    redacted: bool,
}

impl Complaint {
    pub fn new(view: ComplaintView, redacted: bool) -> Self {
        Self {
            view: Box::new(view),
            redacted,
        }
    }
}

impl From<ComplaintView> for Complaint {
    fn from(view: ComplaintView) -> Self {
        Self::new(view, false)
    }
}

#[Object]
impl Complaint {
    pub async fn id(&self) -> ID {
        id::encode(NodeType::Complaint, self.view.complaint.id)
    }
    /// Read it aloud to follow the complaint by phone, or look it up with `complaintByTrackingCode`.
    async fn tracking_code(&self) -> &str {
        if self.redacted {
            ""
        } else {
            &self.view.complaint.tracking_code
        }
    }
    async fn category(&self) -> Category {
        Category(self.view.category.clone())
    }
    async fn platform(&self) -> Platform {
        self.view.platform.clone().into()
    }
    /// The URL as the reporter gave it. Platforms get the canonical URL instead: share
    /// parameters in a pasted URL (`igsh`, `_t`, `u_code`…) can identify the person who shared it.
    async fn listing_url(&self) -> &str {
        if self.redacted {
            &self.view.complaint.canonical_url
        } else {
            &self.view.complaint.listing_url
        }
    }
    /// The URL reduced to what identifies the listing or account; complaints with the same
    /// canonical URL on the same platform share a case.
    async fn canonical_url(&self) -> &str {
        &self.view.complaint.canonical_url
    }
    async fn account_handle(&self) -> Option<&str> {
        self.view.complaint.account_handle.as_deref()
    }
    async fn description(&self) -> &str {
        &self.view.complaint.description
    }
    async fn province(&self) -> Option<&str> {
        self.view
            .complaint
            .province
            .as_deref()
            .filter(|_| !self.redacted)
    }
    async fn city(&self) -> Option<&str> {
        self.view
            .complaint
            .city
            .as_deref()
            .filter(|_| !self.redacted)
    }
    /// The status of the complaint's case.
    async fn status(&self) -> CaseStatus {
        self.view.status.into()
    }
    /// Whether the reporter asked to stay hidden from reviewers. Null for platforms, to whom no
    /// reporter is ever shown.
    async fn anonymous(&self) -> Option<bool> {
        (!self.redacted).then_some(self.view.complaint.anonymous)
    }
    /// Keyword flags found in this complaint.
    async fn flags(&self) -> Vec<&str> {
        self.view.complaint.flags.lines().collect()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.view.complaint.created_at.and_utc()
    }
    async fn withdrawn_at(&self) -> Option<DateTime<Utc>> {
        self.view
            .complaint
            .withdrawn_at
            .filter(|_| !self.redacted)
            .map(|at| at.and_utc())
    }
    async fn evidence_urls(&self) -> &[String] {
        &self.view.evidence_urls
    }
    /// The information loop as this complaint's reporter sees it: requests to every reporter of
    /// the case and this reporter's own replies.
    async fn messages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Message>> {
        if self.redacted {
            return Ok(Vec::new());
        }
        let rows = crate::service::review::messages_for(
            ctx.services()?,
            self.view.complaint.case_id,
            self.view.complaint.id,
        )
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
    /// The reporter's account: for the reporter itself, and for reviewers unless the reporter chose
    /// anonymity. Always null for platforms.
    async fn reporter(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        if self.redacted {
            return Ok(None);
        }
        Ok(
            service::reporter_of(ctx.services()?, ctx.viewer(), &self.view.complaint)
                .await?
                .map(Account),
        )
    }
}

/// A step of a complaint's public timeline.
#[derive(SimpleObject)]
pub struct PublicEvent {
    pub status: CaseStatus,
    pub at: DateTime<Utc>,
    /// What happened, in the request's language.
    pub note: Option<String>,
}

/// What anyone with the tracking code sees: status and timeline, no personal data at all.
#[derive(SimpleObject)]
pub struct PublicComplaint {
    pub tracking_code: String,
    pub status: CaseStatus,
    pub category: Category,
    pub platform: Platform,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub timeline: Vec<PublicEvent>,
    /// Reviewers' requests for more information, and the replies given with this tracking code.
    pub messages: Vec<Message>,
}

fn public_note(action: &str, lang: Lang) -> Option<String> {
    let (id, en) = match action {
        "complaint.submitted" => ("Laporan diterima.", "Complaint received."),
        "complaint.withdrawn" => (
            "Laporan ditarik oleh pelapor.",
            "Withdrawn by the reporter.",
        ),
        "case.closed" => ("Kasus ditutup.", "Case closed."),
        "case.claimed" => ("Sedang ditinjau.", "Under review."),
        "case.released" => (
            "Kembali ke antrean peninjauan.",
            "Back in the review queue.",
        ),
        "case.rejected" => (
            "Laporan ditolak setelah ditinjau.",
            "Rejected after review.",
        ),
        "case.information_requested" => (
            "Peninjau meminta informasi tambahan.",
            "A reviewer asked for more information.",
        ),
        "case.resumed" => ("Peninjauan dilanjutkan.", "Review resumed."),
        "complaint.information_provided" => (
            "Informasi tambahan diterima.",
            "Additional information received.",
        ),
        "case.forwarded" => (
            "Permintaan penurunan konten dikirim ke platform.",
            "Takedown request sent to the platform.",
        ),
        "case.escalated" => (
            "Diteruskan ke instansi berwenang.",
            "Escalated to another authority.",
        ),
        "case.merged_away" => (
            "Digabungkan dengan kasus lain tentang target yang sama.",
            "Merged with another case about the same target.",
        ),
        _ => return None,
    };
    Some(if lang == Lang::En { en } else { id }.to_owned())
}

impl From<PublicComplaintView> for PublicComplaint {
    fn from(view: PublicComplaintView) -> Self {
        let lang = current_lang();
        Self {
            tracking_code: view.tracking_code,
            status: view.status.into(),
            category: Category(view.category),
            platform: view.platform.into(),
            submitted_at: view.submitted_at.and_utc(),
            updated_at: view.updated_at.and_utc(),
            timeline: view
                .timeline
                .into_iter()
                .map(|event| PublicEvent {
                    status: event.status.into(),
                    at: event.at.and_utc(),
                    note: public_note(&event.action, lang),
                })
                .collect(),
            messages: view.messages.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(InputObject)]
pub struct SubmitComplaintInput {
    /// A `Category.code`.
    pub category: String,
    /// The listing, post, video, product or account URL (http or https, at most 2,048 characters).
    pub listing_url: String,
    /// A `Platform.slug`; detected from `listingUrl` when absent.
    pub platform: Option<String>,
    pub account_handle: Option<String>,
    /// What is wrong, 20 to 5,000 characters.
    pub description: String,
    /// One of Indonesia's 38 provinces (common spellings accepted).
    pub province: Option<String>,
    pub city: Option<String>,
    /// At most 10 http(s) links to screenshots or other evidence.
    pub evidence_urls: Option<Vec<String>>,
    /// Hide the reporter from reviewers too (never shown to platforms in any case).
    pub anonymous: Option<bool>,
    /// For submitters without an account who want to be reachable.
    pub contact_email: Option<String>,
    /// Retrying with the same key returns the first result and creates nothing new (24 hours).
    pub idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct SubmitComplaintPayload {
    pub complaint: Complaint,
    pub tracking_code: String,
    /// True when the complaint joined a case other reports had already opened.
    pub joined_existing_case: bool,
}

#[derive(SimpleObject)]
pub struct ComplaintConnectionFields {
    pub total_count: i64,
}

pub type ComplaintConnection = Connection<String, Complaint, ComplaintConnectionFields>;

const CURSOR_KIND: &str = "complaint";

#[derive(Default)]
pub struct ComplaintQuery;

#[Object]
impl ComplaintQuery {
    /// A complaint's public status by its tracking code; null for an unknown code. Public.
    async fn complaint_by_tracking_code(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> async_graphql::Result<Option<PublicComplaint>> {
        Ok(
            service::public_status(ctx.services()?, ctx.client_address(), &code)
                .await?
                .map(PublicComplaint::from),
        )
    }

    /// The signed-in citizen's complaints, newest first.
    async fn my_complaints(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ComplaintConnection> {
        let limit = pagination::page_size(first)?;
        let before_id = pagination::decode_id(CURSOR_KIND, after.as_deref())?;
        let (page, has_more, total) =
            service::my_complaints(ctx.services()?, ctx.viewer(), before_id, limit).await?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            ComplaintConnectionFields { total_count: total },
        );
        connection.edges.extend(page.into_iter().map(|view| {
            let cursor = pagination::encode(CURSOR_KIND, &view.complaint.id.to_string());
            Edge::new(cursor, Complaint::from(view))
        }));
        Ok(connection)
    }
}

fn complaint_id(id: &ID) -> Result<i64, ServiceError> {
    id::decode_as(id, NodeType::Complaint).ok_or(ServiceError::NotFound)
}

#[derive(Default)]
pub struct ComplaintMutation;

#[Object]
impl ComplaintMutation {
    /// Reports a listing. Works without a token (anonymously); returns a tracking code.
    async fn submit_complaint(
        &self,
        ctx: &Context<'_>,
        input: SubmitComplaintInput,
    ) -> async_graphql::Result<SubmitComplaintPayload> {
        let request = SubmitRequest {
            category: input.category,
            listing_url: input.listing_url,
            platform: input.platform,
            account_handle: input.account_handle,
            description: input.description,
            province: input.province,
            city: input.city,
            evidence_urls: input.evidence_urls.unwrap_or_default(),
            anonymous: input.anonymous.unwrap_or(false),
            contact_email: input.contact_email,
            idempotency_key: input.idempotency_key,
        };
        let outcome =
            service::submit(ctx.services()?, ctx.viewer(), ctx.client_address(), request).await?;
        Ok(SubmitComplaintPayload {
            tracking_code: outcome.complaint.complaint.tracking_code.clone(),
            complaint: outcome.complaint.into(),
            joined_existing_case: outcome.joined_existing_case,
        })
    }

    /// Adds evidence links to one of your complaints while its case is not final.
    async fn add_evidence(
        &self,
        ctx: &Context<'_>,
        complaint_id: ID,
        urls: Vec<String>,
    ) -> async_graphql::Result<Complaint> {
        let viewer = ctx.viewer();
        viewer.require_account()?;
        let id = self::complaint_id(&complaint_id)?;
        Ok(service::add_evidence(ctx.services()?, viewer, id, urls)
            .await?
            .into())
    }

    /// Withdraws one of your complaints: it stops counting towards its case.
    async fn withdraw_complaint(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Complaint> {
        let viewer = ctx.viewer();
        viewer.require_account()?;
        let id = complaint_id(&id)?;
        Ok(service::withdraw(ctx.services()?, viewer, id).await?.into())
    }
}

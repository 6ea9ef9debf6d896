//! Complaints in the API: `submitComplaint`, `complaintByTrackingCode`, `myComplaints`,
//! `addEvidence`, `withdrawComplaint`.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::ContextExt as _;
use crate::graphql::account::Account;
use crate::graphql::enums::{CaseStatus, MessageAuthor};
use crate::graphql::error::current_lang;
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::{Category, Platform};
use crate::service::account;
use crate::service::complaint::{
    self as service, ComplaintView, MessageView, PlatformComplaintView, PublicComplaintView,
    SubmitRequest,
};

/// One person's report. Seen by its reporter and by reviewers.
///
/// Shown to a platform (through a case forwarded to it) it carries nothing that tells one reporter
/// from another: no reporter, no place, no messages, no tracking code.
pub enum Complaint {
    /// The reporter's or staff's view.
    Full(Box<ComplaintView>),
    /// A platform's view.
    Platform(Box<PlatformComplaintView>),
}

impl From<ComplaintView> for Complaint {
    fn from(view: ComplaintView) -> Self {
        Self::Full(Box::new(view))
    }
}

impl From<PlatformComplaintView> for Complaint {
    fn from(view: PlatformComplaintView) -> Self {
        Self::Platform(Box::new(view))
    }
}

impl Complaint {
    fn id_number(&self) -> i64 {
        match self {
            Self::Full(view) => view.id,
            Self::Platform(view) => view.id,
        }
    }
}

#[Object]
impl Complaint {
    pub async fn id(&self) -> ID {
        id::encode(NodeType::Complaint, self.id_number())
    }
    /// Read it aloud to follow the complaint by phone, or look it up with `complaintByTrackingCode`.
    /// Empty for platforms.
    async fn tracking_code(&self) -> &str {
        match self {
            Self::Full(view) => &view.tracking_code,
            Self::Platform(_) => "",
        }
    }
    async fn category(&self) -> Category {
        match self {
            Self::Full(view) => Category(view.category.clone()),
            Self::Platform(view) => Category(view.category.clone()),
        }
    }
    async fn platform(&self) -> Platform {
        match self {
            Self::Full(view) => Platform(view.platform.clone()),
            Self::Platform(view) => Platform(view.platform.clone()),
        }
    }
    /// The URL as the reporter gave it. Platforms get the canonical URL instead: share
    /// parameters in a pasted URL (`igsh`, `_t`, `u_code`…) can identify the person who shared it.
    async fn listing_url(&self) -> &str {
        match self {
            Self::Full(view) => &view.listing_url,
            Self::Platform(view) => &view.canonical_url,
        }
    }
    /// The URL reduced to what identifies the listing or account; complaints with the same
    /// canonical URL on the same platform share a case.
    async fn canonical_url(&self) -> &str {
        match self {
            Self::Full(view) => &view.canonical_url,
            Self::Platform(view) => &view.canonical_url,
        }
    }
    async fn account_handle(&self) -> Option<&str> {
        match self {
            Self::Full(view) => view.account_handle.as_deref(),
            Self::Platform(view) => view.account_handle.as_deref(),
        }
    }
    async fn description(&self) -> &str {
        match self {
            Self::Full(view) => &view.description,
            Self::Platform(view) => &view.description,
        }
    }
    /// Null for platforms.
    async fn province(&self) -> Option<&str> {
        match self {
            Self::Full(view) => view.province.as_deref(),
            Self::Platform(_) => None,
        }
    }
    /// Null for platforms.
    async fn city(&self) -> Option<&str> {
        match self {
            Self::Full(view) => view.city.as_deref(),
            Self::Platform(_) => None,
        }
    }
    /// The status of the complaint's case.
    async fn status(&self) -> CaseStatus {
        match self {
            Self::Full(view) => view.status.into(),
            Self::Platform(view) => view.status.into(),
        }
    }
    /// Whether the reporter asked to stay hidden from reviewers. Null for platforms, to whom no
    /// reporter is ever shown.
    async fn anonymous(&self) -> Option<bool> {
        match self {
            Self::Full(view) => Some(view.anonymous),
            Self::Platform(_) => None,
        }
    }
    /// Keyword flags found in this complaint.
    async fn flags(&self) -> &[String] {
        match self {
            Self::Full(view) => &view.flags,
            Self::Platform(view) => &view.flags,
        }
    }
    async fn created_at(&self) -> DateTime<Utc> {
        match self {
            Self::Full(view) => view.created_at.and_utc(),
            Self::Platform(view) => view.created_at.and_utc(),
        }
    }
    /// Null for platforms.
    async fn withdrawn_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Self::Full(view) => view.withdrawn_at.map(|at| at.and_utc()),
            Self::Platform(_) => None,
        }
    }
    async fn evidence_urls(&self) -> &[String] {
        match self {
            Self::Full(view) => &view.evidence_urls,
            Self::Platform(view) => &view.evidence_urls,
        }
    }
    /// The information loop as this complaint's reporter sees it: requests to every reporter of
    /// the case and this reporter's own replies. Empty for platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn messages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Message>> {
        let Self::Full(view) = self else {
            return Ok(Vec::new());
        };
        let rows = service::messages(ctx.services()?, view.thread).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
    /// The reporter's account: for the reporter itself, and for reviewers unless the reporter chose
    /// anonymity. Always null for platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn reporter(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let Self::Full(view) = self else {
            return Ok(None);
        };
        let Some(reporter) = view.reporter else {
            return Ok(None);
        };
        Ok(account::load(ctx.services()?, reporter).await?.map(Account))
    }
}

/// A message of the information loop.
#[derive(SimpleObject)]
pub struct Message {
    pub id: ID,
    pub from: MessageAuthor,
    pub body: String,
    pub at: DateTime<Utc>,
}

impl From<MessageView> for Message {
    fn from(view: MessageView) -> Self {
        Self {
            id: ID(view.id.to_string()),
            from: view.author.into(),
            body: view.body,
            at: view.at.and_utc(),
        }
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

impl From<PublicComplaintView> for PublicComplaint {
    fn from(view: PublicComplaintView) -> Self {
        let lang = current_lang();
        Self {
            tracking_code: view.tracking_code,
            status: view.status.into(),
            category: Category(view.category),
            platform: Platform(view.platform),
            submitted_at: view.submitted_at.and_utc(),
            updated_at: view.updated_at.and_utc(),
            timeline: view
                .timeline
                .into_iter()
                .map(|event| PublicEvent {
                    status: event.status.into(),
                    at: event.at.and_utc(),
                    note: event.note.map(|note| note.text(lang).to_owned()),
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
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
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
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
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
            let cursor = pagination::encode(CURSOR_KIND, &view.id.to_string());
            Edge::new(cursor, Complaint::from(view))
        }));
        Ok(connection)
    }
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
            tracking_code: outcome.complaint.tracking_code.clone(),
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
        let id = id::argument(&complaint_id, NodeType::Complaint);
        Ok(
            service::add_evidence(ctx.services()?, ctx.viewer(), id, urls)
                .await?
                .into(),
        )
    }

    /// Withdraws one of your complaints: it stops counting towards its case.
    async fn withdraw_complaint(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Complaint> {
        let id = id::argument(&id, NodeType::Complaint);
        Ok(service::withdraw(ctx.services()?, ctx.viewer(), id)
            .await?
            .into())
    }
}

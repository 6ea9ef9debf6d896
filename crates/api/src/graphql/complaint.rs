//! Complaints in the API: `submitComplaint`, `complaintByTrackingCode`, `myComplaints`,
//! `addEvidence`, `withdrawComplaint`.

use crate::graphql::datetime::DateTime;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject, Upload};

use crate::graphql::ContextExt as _;
use crate::graphql::account::Account;
use crate::graphql::appeal::Appeal;
use crate::graphql::enums::{CaseStatus, MessageAuthor, RejectionReason};
use crate::graphql::error::current_lang;
use crate::graphql::evidence::EvidenceFile;
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::{Category, Platform};
use laporlapak_domain::i18n::Lang;
use laporlapak_service::complaint::{
    self as service, ComplaintView, MessageView, PlatformComplaintView, PublicComplaintView,
    PublicEventView, RejectionView, SubmitRequest,
};
use laporlapak_service::{account, evidence};

/// One person's report (aduan) of a listing or account on one platform. Seen by its reporter and by
/// reviewers and administrators; every complaint about the same target joins one case.
///
/// Shown to a platform (through a case forwarded to it) it carries nothing that tells one reporter
/// from another: no reporter, no place, no messages, no tracking code.
#[derive(Description)]
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
    /// The cursor key of this complaint in its case's list: its row number, or for a platform its
    /// opaque key.
    pub(crate) fn cursor_key(&self) -> String {
        match self {
            Self::Full(view) => view.id.to_string(),
            Self::Platform(view) => view.id.clone(),
        }
    }
}

/// What `Complaint.trackingCode` answers where the code is not known (every read after the one
/// that issued it): not a code (`*` is no symbol of one), so a look-up with it finds nothing.
const MASKED_TRACKING_CODE: &str = "LL-****-****";

#[Object(use_type_description)]
impl Complaint {
    /// The complaint's opaque global ID (`node(id:)` finds it again). A platform gets an ID of its
    /// own for the complaint, the same at every read, that says nothing of when or in which order
    /// complaints came in (and that `node(id:)` does not resolve: platforms reach complaints
    /// through their case).
    pub async fn id(&self) -> ID {
        match self {
            Self::Full(view) => id::encode(NodeType::Complaint, view.id),
            Self::Platform(view) => ID(laporlapak_domain::global_id::encode_key(
                NodeType::Complaint,
                &view.id,
            )),
        }
    }
    /// The complaint's tracking code, e.g. `LL-7K3M-Q9XP`, in the answer that issued it
    /// (`submitComplaint`, and a replay of it with the same idempotency key). The server keeps only
    /// a keyed hash of the code, so every later read answers the mask `LL-****-****`, which is no
    /// code; empty for platforms.
    #[graphql(
        deprecation = "The code is shown once, by the answer that issued it: use `SubmitComplaintPayload.trackingCode`, or `issuedTrackingCode` (null wherever the code is not known). Removal after 2027-03-31."
    )]
    async fn tracking_code(&self) -> &str {
        match self {
            Self::Full(view) => view
                .tracking_code
                .as_deref()
                .unwrap_or(MASKED_TRACKING_CODE),
            Self::Platform(_) => "",
        }
    }
    /// The complaint's tracking code, e.g. `LL-7K3M-Q9XP`, in the answer that issued it
    /// (`submitComplaint`, and a replay of it with the same idempotency key by the same caller):
    /// read it aloud to follow the complaint by phone, or look it up with
    /// `complaintByTrackingCode`. Whoever holds it can read the public status and reply to
    /// information requests. Null everywhere else: the server keeps only a keyed hash of it.
    async fn issued_tracking_code(&self) -> Option<&str> {
        match self {
            Self::Full(view) => view.tracking_code.as_deref(),
            Self::Platform(_) => None,
        }
    }
    /// What the complaint is about.
    async fn category(&self) -> Category {
        match self {
            Self::Full(view) => Category(view.category.clone()),
            Self::Platform(view) => Category(view.category.clone()),
        }
    }
    /// The platform the listing or account is on.
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
    /// The seller's or creator's account name on the platform, as the reporter gave it; null when
    /// not given.
    async fn account_handle(&self) -> Option<&str> {
        match self {
            Self::Full(view) => view.account_handle.as_deref(),
            Self::Platform(view) => view.account_handle.as_deref(),
        }
    }
    /// What the reporter says is wrong, 20 to 5,000 characters.
    async fn description(&self) -> &str {
        match self {
            Self::Full(view) => &view.description,
            Self::Platform(view) => &view.description,
        }
    }
    /// The province the reporter named (one of Indonesia's 38, spelled canonically); null when not
    /// given, and always null for platforms.
    async fn province(&self) -> Option<&str> {
        match self {
            Self::Full(view) => view.province.as_deref(),
            Self::Platform(_) => None,
        }
    }
    /// The city or regency the reporter named (at most 100 characters); null when not given, and
    /// always null for platforms.
    async fn city(&self) -> Option<&str> {
        match self {
            Self::Full(view) => view.city.as_deref(),
            Self::Platform(_) => None,
        }
    }
    /// The status of the complaint's case (a complaint has no status of its own).
    async fn status(&self) -> CaseStatus {
        match self {
            Self::Full(view) => view.status.into(),
            Self::Platform(view) => view.status.into(),
        }
    }
    /// When the reviewer's question the case waits on expires: answer before then, or the case
    /// closes as "no reply". Null unless `status` is AWAITING_INFO, and always null for platforms.
    async fn reply_due_at(&self) -> Option<DateTime> {
        match self {
            Self::Full(view) => view.reply_due_at.map(Into::into),
            Self::Platform(_) => None,
        }
    }
    /// Whether the reporter is hidden from reviewers: asked to be, or filed with no account (true
    /// then too). Null for platforms, to whom no reporter is ever shown.
    async fn anonymous(&self) -> Option<bool> {
        match self {
            Self::Full(view) => Some(view.anonymous),
            Self::Platform(_) => None,
        }
    }
    /// The keyword rules (e.g. `thrifting`, `bal`, `bekas impor`) that matched this complaint's text;
    /// each raises its case's priority. Empty when none matched.
    async fn flags(&self) -> &[String] {
        match self {
            Self::Full(view) => &view.flags,
            Self::Platform(view) => &view.flags,
        }
    }
    /// When the complaint was submitted; for platforms, the hour it was submitted in (minutes and
    /// seconds zero).
    async fn created_at(&self) -> DateTime {
        match self {
            Self::Full(view) => view.created_at.into(),
            Self::Platform(view) => view.created_at.into(),
        }
    }
    /// When the reporter withdrew the complaint (it no longer counts towards its case); null while
    /// it counts, and always null for platforms.
    async fn withdrawn_at(&self) -> Option<DateTime> {
        match self {
            Self::Full(view) => view.withdrawn_at.map(Into::into),
            Self::Platform(_) => None,
        }
    }
    /// Links to screenshots or other evidence (http or https, at most 2,048 characters each, at
    /// most 30 per complaint), in the order they were added. Platforms get them reduced to their
    /// canonical form, and a link that cannot be reduced is left out.
    async fn evidence_urls(&self) -> &[String] {
        match self {
            Self::Full(view) => &view.evidence_urls,
            Self::Platform(view) => &view.evidence_urls,
        }
    }
    /// Evidence files, in the order they were uploaded. Platforms get only images, as their
    /// redacted variant.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn files(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EvidenceFile>> {
        let files = match self {
            Self::Full(view) => view.files,
            Self::Platform(view) => view.files,
        };
        Ok(evidence::complaint_files(ctx.services()?, files)
            .await?
            .into_iter()
            .map(EvidenceFile)
            .collect())
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
    /// Why the case was rejected, as `complaintByTrackingCode` shows it; null unless the case is
    /// REJECTED, and for platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn rejection(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Rejection>> {
        let Self::Full(view) = self else {
            return Ok(None);
        };
        if view.status != laporlapak_domain::CaseStatus::Rejected {
            return Ok(None);
        }
        let lang = current_lang();
        Ok(service::rejection(ctx.services()?, view.thread)
            .await?
            .map(|rejection| Rejection::new(rejection, lang)))
    }
    /// This complaint's appeal against a rejection (`appealRejection`); null when none was
    /// filed, and for platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn appeal(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Appeal>> {
        let Self::Full(view) = self else {
            return Ok(None);
        };
        Ok(
            laporlapak_service::review::appeal_of(ctx.services()?, view.thread)
                .await?
                .map(Into::into),
        )
    }
    /// The complaint's submission and every later change of its case's status, oldest first, as
    /// `complaintByTrackingCode` shows them. Empty for platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn timeline(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PublicEvent>> {
        let Self::Full(view) = self else {
            return Ok(Vec::new());
        };
        let lang = current_lang();
        let steps = service::timeline(ctx.services()?, view.thread, view.created_at).await?;
        Ok(steps
            .into_iter()
            .map(|step| PublicEvent::new(step, lang))
            .collect())
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
        Ok(account::load(ctx.services()?, ctx.viewer(), reporter)
            .await?
            .map(Account))
    }
}

/// A message of the information loop: a reviewer's request for more information, sent to every
/// reporter of a case, or one reporter's reply. Never shown to platforms.
#[derive(SimpleObject)]
pub struct Message {
    /// The message's number, unique among messages (not a global `Node` ID).
    pub id: ID,
    /// Whether a reviewer or a reporter wrote it; never who.
    pub from: MessageAuthor,
    /// The text: 10 to 5,000 characters from a reviewer, 1 to 5,000 from a reporter.
    pub body: String,
    /// When it was written.
    pub at: DateTime,
}

impl From<MessageView> for Message {
    fn from(view: MessageView) -> Self {
        Self {
            id: ID(view.id.to_string()),
            from: view.author.into(),
            body: view.body,
            at: view.at.into(),
        }
    }
}

/// A step of a complaint's public timeline: a change of its case's status, without who made it.
#[derive(SimpleObject)]
pub struct PublicEvent {
    /// The case's status after this step.
    pub status: CaseStatus,
    /// When it happened.
    pub at: DateTime,
    /// What happened, in plain words in the request's language (Indonesian unless
    /// `Accept-Language: en`); null for steps shown only as a status, such as a platform's answer.
    pub note: Option<String>,
}

impl PublicEvent {
    fn new(step: PublicEventView, lang: Lang) -> Self {
        Self {
            status: step.status.into(),
            at: step.at.into(),
            note: step.note.map(|note| note.text(lang).to_owned()),
        }
    }
}

/// A platform's answer to the ministry's takedown request, or its later reinstatement or end of a
/// restriction, as the public sees it: what it did (coarsely) and its reasons.
#[derive(SimpleObject)]
pub struct PublicPlatformAnswer {
    /// An answer, a reinstatement or the end of a restriction.
    pub kind: crate::graphql::enums::AnswerKind,
    /// What the platform did, for an answer; null for a reinstatement or the end of a restriction.
    pub action: Option<crate::graphql::enums::TakedownAction>,
    /// The platform's reasons.
    pub statement_of_reasons: String,
    /// When it took effect.
    pub at: DateTime,
}

impl From<laporlapak_service::complaint::PublicAnswerView> for PublicPlatformAnswer {
    fn from(view: laporlapak_service::complaint::PublicAnswerView) -> Self {
        Self {
            kind: view.kind.into(),
            action: view.action.map(Into::into),
            statement_of_reasons: view.statement_of_reasons,
            at: view.at.into(),
        }
    }
}

/// What anyone with the tracking code sees: status and timeline, no personal data at all.
#[derive(SimpleObject)]
pub struct PublicComplaint {
    /// The tracking code, in its canonical spelling (`LL-XXXX-XXXX`).
    pub tracking_code: String,
    /// The status of the complaint's case.
    pub status: CaseStatus,
    /// When the reviewer's question the case waits on expires: answer before then, or the case
    /// closes as "no reply". Null unless `status` is AWAITING_INFO.
    pub reply_due_at: Option<DateTime>,
    /// What the complaint is about.
    pub category: Category,
    /// The platform the listing or account is on.
    pub platform: Platform,
    /// When the complaint was submitted.
    pub submitted_at: DateTime,
    /// When its timeline last changed.
    pub updated_at: DateTime,
    /// The complaint's submission and every later change of its case's status, oldest first.
    pub timeline: Vec<PublicEvent>,
    /// Reviewers' requests for more information, and the replies given with this tracking code.
    pub messages: Vec<Message>,
    /// Why the case was rejected; null unless `status` is REJECTED.
    pub rejection: Option<Rejection>,
    /// This complaint's appeal against a rejection (`appealRejectionByTrackingCode`); null when
    /// none was filed.
    pub appeal: Option<Appeal>,
    /// The platform's answers to the ministry's takedown requests for this complaint's case, and
    /// their later changes (a reinstatement, the end of a restriction), oldest first.
    pub platform_answers: Vec<PublicPlatformAnswer>,
}

/// Why a case was rejected, as its reporters are told: the reviewer's reason is not shown.
#[derive(SimpleObject)]
pub struct Rejection {
    /// The reason, from a fixed list.
    pub reason: RejectionReason,
    /// The reason explained, in the request's language (Indonesian unless `Accept-Language: en`).
    pub explanation: String,
    /// What the reviewer wrote to the reporters; null when nothing was written.
    pub message: Option<String>,
}

impl Rejection {
    fn new(view: RejectionView, lang: Lang) -> Self {
        Self {
            reason: view.reason.into(),
            explanation: view.reason.explanation(lang).to_owned(),
            message: view.message,
        }
    }
}

impl From<PublicComplaintView> for PublicComplaint {
    fn from(view: PublicComplaintView) -> Self {
        let lang = current_lang();
        Self {
            tracking_code: view.tracking_code,
            status: view.status.into(),
            reply_due_at: view.reply_due_at.map(Into::into),
            category: Category(view.category),
            platform: Platform(view.platform),
            submitted_at: view.submitted_at.into(),
            updated_at: view.updated_at.into(),
            timeline: view
                .timeline
                .into_iter()
                .map(|event| PublicEvent::new(event, lang))
                .collect(),
            messages: view.messages.into_iter().map(Into::into).collect(),
            rejection: view
                .rejection
                .map(|rejection| Rejection::new(rejection, lang)),
            appeal: view.appeal.map(Into::into),
            platform_answers: view.platform_answers.into_iter().map(Into::into).collect(),
        }
    }
}

/// A new complaint.
#[derive(InputObject)]
pub struct SubmitComplaintInput {
    /// A `Category.code` from `categories`.
    pub category: String,
    /// The listing, post, video, product or account URL (http or https, at most 2,048 characters).
    pub listing_url: String,
    /// A `Platform.slug`; detected from `listingUrl` when absent. A URL of another platform answers
    /// BAD_USER_INPUT on `input.listingUrl`.
    pub platform: Option<String>,
    /// The seller's or creator's account name on the platform, at most 100 characters.
    pub account_handle: Option<String>,
    /// What is wrong, 20 to 5,000 characters.
    pub description: String,
    /// One of Indonesia's 38 provinces (common spellings accepted), where the reporter is.
    pub province: Option<String>,
    /// The reporter's city or regency, at most 100 characters.
    pub city: Option<String>,
    /// At most 10 http(s) links to screenshots or other evidence.
    pub evidence_urls: Option<Vec<String>>,
    /// Hide the reporter from reviewers too (never shown to platforms in any case).
    pub anonymous: Option<bool>,
    /// For submitters without an account who want to be reachable. Never returned by the API, to
    /// anyone.
    pub contact_email: Option<String>,
    /// Without an account: mail news of this complaint (received, a reviewer's question, the
    /// decision and its reasons, the platform's answer) to `contactEmail`, which it then needs
    /// (BAD_USER_INPUT on `input.emailNotifications` without it). Every mail has a one-click
    /// unsubscribe link. Signed-in citizens use `setMailNotifications` instead; ignored for them.
    pub email_notifications: Option<bool>,
    /// The version of the consent text shown beside `emailNotifications` (`mailConsentVersion`
    /// in the query root); the current one when omitted, BAD_USER_INPUT for another.
    pub mail_consent_version: Option<String>,
    /// Screenshots, photos, PDFs or videos (JPEG, PNG, WebP, HEIC, PDF, MP4; by default at most 5
    /// files of at most 10 MiB each), sent as a GraphQL multipart request with the header
    /// `GraphQL-Preflight: 1`. The type is judged from the bytes; another answers BAD_USER_INPUT
    /// naming the file. Images are also kept with their metadata (GPS, device) removed, and only
    /// that copy ever reaches a platform.
    pub files: Option<Vec<Upload>>,
    /// Retrying with the same key returns the first result and creates nothing new, for 24 hours;
    /// the same key with a different complaint answers CONFLICT.
    /// Signed in: any 1 to 128 characters, scoped to the account. Without a token: a random UUID or
    /// a random token of 22 to 128 characters of `A-Z a-z 0-9 - _`, scoped to the client address
    /// (a guessable key answers BAD_USER_INPUT).
    pub idempotency_key: Option<String>,
}

/// The ministry's own finding (`openMinistryCase`).
#[derive(InputObject)]
pub struct MinistryFindingInput {
    /// A `Category.code` from `categories`.
    pub category: String,
    /// The listing, post, video, product or account URL (http or https, at most 2,048 characters).
    pub listing_url: String,
    /// A `Platform.slug`; detected from `listingUrl` when absent.
    pub platform: Option<String>,
    /// The seller's or creator's account name on the platform, at most 100 characters.
    pub account_handle: Option<String>,
    /// What the ministry found, 20 to 5,000 characters.
    pub description: String,
    /// At most 10 http(s) links to evidence.
    pub evidence_urls: Option<Vec<String>>,
    /// Evidence files, as in `SubmitComplaintInput.files`.
    pub files: Option<Vec<Upload>>,
    /// Retrying with the same key returns the first result and creates nothing new, for 24 hours;
    /// 1 to 128 characters, scoped to the reviewer.
    pub idempotency_key: Option<String>,
}

/// The outcome of `submitComplaint`.
#[derive(SimpleObject)]
pub struct SubmitComplaintPayload {
    /// The complaint as its reporter sees it.
    pub complaint: Complaint,
    /// The complaint's tracking code: without an account, the only way to follow it later. Keep it.
    pub tracking_code: String,
    /// True when the complaint joined a case other reports had already opened.
    pub joined_existing_case: bool,
}

#[derive(SimpleObject)]
pub struct ComplaintConnectionFields {
    /// Complaints on this page.
    pub page_count: i32,
    /// How many complaints the whole list holds, over every page.
    pub total_count: i64,
}

pub type ComplaintConnection = Connection<String, Complaint, ComplaintConnectionFields>;
pub type ComplaintEdge = Edge<String, Complaint, EmptyFields>;

/// The connection and edge types come from async-graphql; the schema builder describes them.
pub const CONNECTION_DESCRIPTION: &str = "A page of complaints (a Relay cursor connection): \
`edges` or `nodes` hold up to `first` complaints, `pageInfo.endCursor` is the `after` of the next \
page while `pageInfo.hasNextPage` is true; `pageCount` counts this page, `totalCount` the whole \
list.";
pub const EDGE_DESCRIPTION: &str = "A complaint of a page, with the cursor that marks its place.";

const CURSOR_KIND: &str = "complaint";

#[derive(Default)]
pub struct ComplaintQuery;

#[Object]
impl ComplaintQuery {
    /// A complaint's public status by its tracking code; null for an unknown code. Public (no token
    /// needed). Rate-limited with replies by tracking code: 120 a minute per client address.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn complaint_by_tracking_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The tracking code, e.g. `LL-7K3M-Q9XP`; letter case, spaces and dashes do not matter."
        )]
        code: String,
    ) -> async_graphql::Result<Option<PublicComplaint>> {
        Ok(
            service::public_status(ctx.services()?, ctx.client_address(), &code)
                .await?
                .map(PublicComplaint::from),
        )
    }

    /// The signed-in citizen's complaints, newest first, withdrawn ones included. CITIZEN only.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn my_complaints(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<ComplaintConnection> {
        let limit = pagination::page_size(first)?;
        let before_id = pagination::decode_id(CURSOR_KIND, after.as_deref())?;
        let (page, has_more, total) =
            service::my_complaints(ctx.services()?, ctx.viewer(), before_id, limit).await?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            ComplaintConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
                total_count: total,
            },
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
    /// Reports a listing or account. Works without a token (anonymously) or as a CITIZEN; staff
    /// get FORBIDDEN. Returns the tracking code. Rate-limited: 30 anonymous submissions an hour per
    /// client address, 60 an hour per citizen account.
    async fn submit_complaint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The complaint.")] input: SubmitComplaintInput,
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
            email_notifications: input.email_notifications.unwrap_or(false),
            mail_consent_version: input.mail_consent_version,
            language: current_lang(),
            idempotency_key: input.idempotency_key,
            files: crate::graphql::evidence::incoming(ctx, input.files, "input.files")?,
        };
        let outcome =
            service::submit(ctx.services()?, ctx.viewer(), ctx.client_address(), request).await?;
        let tracking_code = outcome.complaint.tracking_code.clone().ok_or_else(|| {
            laporlapak_service::error::ServiceError::invariant(
                "a submission's answer knows its tracking code",
            )
        })?;
        Ok(SubmitComplaintPayload {
            tracking_code,
            complaint: outcome.complaint.into(),
            joined_existing_case: outcome.joined_existing_case,
        })
    }

    /// Opens a case from the ministry's own finding: filed as a complaint with source MINISTRY and
    /// no reporter, it opens a case with source MINISTRY that enters the review queue (or joins the
    /// target's open case), is flagged and deduplicated like any report, and is counted apart from
    /// the public's complaints in the transparency report. REVIEWER only; a citizen reports only
    /// for themself (`submitComplaint`).
    async fn open_ministry_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The finding.")] input: MinistryFindingInput,
    ) -> async_graphql::Result<SubmitComplaintPayload> {
        let finding = service::MinistryFinding {
            category: input.category,
            listing_url: input.listing_url,
            platform: input.platform,
            account_handle: input.account_handle,
            description: input.description,
            evidence_urls: input.evidence_urls.unwrap_or_default(),
            idempotency_key: input.idempotency_key,
            files: crate::graphql::evidence::incoming(ctx, input.files, "input.files")?,
        };
        let outcome = service::open_ministry_case(ctx.services()?, ctx.viewer(), finding).await?;
        let tracking_code = outcome.complaint.tracking_code.clone().unwrap_or_default();
        Ok(SubmitComplaintPayload {
            tracking_code,
            complaint: outcome.complaint.into(),
            joined_existing_case: outcome.joined_existing_case,
        })
    }

    /// Adds evidence links or files to one of your complaints while it is not withdrawn and its
    /// case is not final (CONFLICT otherwise). At least one link or file. CITIZEN only; another
    /// person's complaint is NOT_FOUND.
    async fn add_evidence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The complaint's global ID (`Complaint.id`).")] complaint_id: ID,
        #[graphql(
            desc = "Up to 10 http(s) links of at most 2,048 characters; a complaint holds at most 30."
        )]
        urls: Option<Vec<String>>,
        #[graphql(
            desc = "Files, as in `SubmitComplaintInput.files` (at most 5 a request and 30 a complaint by default)."
        )]
        files: Option<Vec<Upload>>,
    ) -> async_graphql::Result<Complaint> {
        let id = id::argument(&complaint_id, NodeType::Complaint);
        let files = crate::graphql::evidence::incoming(ctx, files, "files")?;
        Ok(service::add_evidence(
            ctx.services()?,
            ctx.viewer(),
            id,
            urls.unwrap_or_default(),
            files,
        )
        .await?
        .into())
    }

    /// Withdraws one of your complaints: it stops counting towards its case, and a case whose every
    /// complaint is withdrawn closes. Once, while the case is not final (CONFLICT otherwise).
    /// CITIZEN only; another person's complaint is NOT_FOUND.
    async fn withdraw_complaint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The complaint's global ID (`Complaint.id`).")] id: ID,
    ) -> async_graphql::Result<Complaint> {
        let id = id::argument(&id, NodeType::Complaint);
        Ok(service::withdraw(ctx.services()?, ctx.viewer(), id)
            .await?
            .into())
    }
}

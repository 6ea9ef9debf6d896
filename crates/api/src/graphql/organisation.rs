//! Organisations as trusted flaggers in the API: `organisations` (staff), `myOrganisation` and
//! `organisationReports` (members), the ADMIN's changes, and bulk intake (`submitComplaints`,
//! `submitComplaintsCsv`) for members.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Description, Enum, ID, InputObject, Object, SimpleObject, Upload};

use crate::graphql::ContextExt as _;
use crate::graphql::datetime::DateTime;
use crate::graphql::enums::CaseStatus;
use crate::graphql::error::current_lang;
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::{Category, Platform};
use laporlapak_service::complaint::SubmitRequest;
use laporlapak_service::complaint::{self as complaint_service, BulkItemOutcome, BulkItemResult};
use laporlapak_service::error::ServiceError;
use laporlapak_service::organisation::{
    self as service, NewOrganisation, OrganisationView, ReportView,
};

/// What an organisation is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::OrganisationKind")]
pub enum OrganisationKind {
    /// An association of micro, small and medium enterprises (UMKM).
    UmkmAssociation,
    /// The owner of a brand whose goods are counterfeited or imported illegally.
    BrandOwner,
    /// A consumer organisation.
    ConsumerGroup,
}

/// Whether an organisation is a trusted flagger now.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::OrganisationStatus")]
pub enum OrganisationStatus {
    /// Its members' named reports carry it and its boost; its members may submit in bulk.
    Active,
    /// For now not: its members report as ordinary citizens. An ADMIN may make it ACTIVE again.
    Suspended,
    /// For good: as SUSPENDED, and final.
    Revoked,
}

/// Who filed a complaint or opened a case.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "laporlapak_domain::ReportSource")]
pub enum ReportSource {
    /// A member of the public: signed in, anonymous, or a member of an organisation.
    Public,
    /// The ministry's own finding, filed by a reviewer (`openMinistryCase`): no reporter.
    Ministry,
}

/// An organisation's record as a trusted flagger: of its members' reports that still count and
/// whose case was decided (a takedown request issued, or the case rejected or closed), how many
/// led to a request.
#[derive(SimpleObject)]
pub struct FlaggerRecord {
    /// Reports whose case was decided.
    pub decided_reports: i32,
    /// Of those, reports whose case led to a takedown request.
    pub requested_reports: i32,
}

/// What an organisation may submit in bulk (kept in the database, per organisation).
#[derive(SimpleObject)]
pub struct OrganisationLimits {
    /// Most items in one `submitComplaints` call or rows in one CSV file (at most 100).
    pub max_batch_items: i32,
    /// Bulk submissions (calls or files) an hour; more answer RATE_LIMITED.
    pub batches_per_hour: i32,
    /// Most bytes of a CSV file.
    pub max_csv_bytes: i32,
}

/// A member account of an organisation.
#[derive(SimpleObject)]
pub struct OrganisationMember {
    /// The account's global ID (`Account.id`).
    pub account_id: ID,
    /// The account's display name.
    pub display_name: String,
    /// When it was added.
    pub added_at: DateTime,
}

/// An organisation registered as a trusted flagger (an UMKM association, a brand owner, a consumer
/// group): its members' named reports carry it and get a priority boost from its record. Staff
/// see every organisation; a member sees its own (`myOrganisation`), without the member list.
#[derive(Description)]
pub struct Organisation(pub OrganisationView);

#[Object(use_type_description)]
impl Organisation {
    /// The organisation's global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::Organisation, self.0.organisation.id)
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.organisation.name
    }
    /// What it is.
    async fn kind(&self) -> OrganisationKind {
        self.0.organisation.kind.into()
    }
    /// How to reach it (a person, an e-mail address, a telephone number).
    async fn contact(&self) -> &str {
        &self.0.organisation.contact
    }
    /// Whether it is a trusted flagger now.
    async fn status(&self) -> OrganisationStatus {
        self.0.organisation.status.into()
    }
    /// Why an ADMIN last changed the status; null if never changed.
    async fn status_reason(&self) -> Option<&str> {
        self.0.organisation.status_reason.as_deref()
    }
    /// Its record as a trusted flagger.
    async fn record(&self) -> FlaggerRecord {
        let clamp = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        FlaggerRecord {
            decided_reports: clamp(self.0.record.decided),
            requested_reports: clamp(self.0.record.requested),
        }
    }
    /// What its record adds to the priority of its members' named reports now:
    /// `⌊20 · (requestedReports + 1) / (decidedReports + 2)⌋` (10 for a new organisation, at most
    /// 20); 0 unless ACTIVE.
    async fn boost(&self) -> i32 {
        self.0.boost
    }
    /// Its bulk-intake limits.
    async fn limits(&self) -> OrganisationLimits {
        OrganisationLimits {
            max_batch_items: self.0.organisation.max_batch_items,
            batches_per_hour: self.0.organisation.batches_per_hour,
            max_csv_bytes: self.0.organisation.max_csv_bytes,
        }
    }
    /// Its member accounts, in the order they were added; empty except for an ADMIN.
    async fn members(&self) -> Vec<OrganisationMember> {
        self.0
            .members
            .iter()
            .map(|member| OrganisationMember {
                account_id: id::encode(NodeType::Account, member.account_id),
                display_name: member.display_name.clone(),
                added_at: member.added_at.into(),
            })
            .collect()
    }
    /// When it was registered.
    async fn created_at(&self) -> DateTime {
        self.0.organisation.created_at.into()
    }
}

/// A report filed for the caller's organisation by one of its members, with its outcome so far.
/// Never another reporter's complaint about the same case.
#[derive(Description)]
pub struct OrganisationReport(ReportView);

#[Object(use_type_description)]
impl OrganisationReport {
    /// The complaint's global ID (`Complaint.id`; only its reporter reads the complaint itself).
    async fn complaint_id(&self) -> ID {
        id::encode(NodeType::Complaint, self.0.report.complaint_id)
    }
    /// The URL as the member gave it.
    async fn listing_url(&self) -> &str {
        &self.0.report.listing_url
    }
    /// The complaint's category.
    async fn category(&self) -> Option<Category> {
        self.0.category.clone().map(Category)
    }
    /// The platform of the listing.
    async fn platform(&self) -> Option<Platform> {
        self.0.platform.clone().map(Platform)
    }
    /// The member who filed it; null once the account was erased.
    async fn reporter_display_name(&self) -> Option<&str> {
        self.0.report.reporter_display_name.as_deref()
    }
    /// The outcome so far: the status of the complaint's case.
    async fn status(&self) -> CaseStatus {
        self.0.report.case_status.into()
    }
    /// When it was filed.
    async fn submitted_at(&self) -> DateTime {
        self.0.report.created_at.into()
    }
    /// When it was withdrawn; null while it counts.
    async fn withdrawn_at(&self) -> Option<DateTime> {
        self.0.report.withdrawn_at.map(Into::into)
    }
}

#[derive(SimpleObject)]
pub struct OrganisationReportConnectionFields {
    /// Reports on this page.
    pub page_count: i32,
    /// Reports filed for the organisation, over every page.
    pub total_count: i64,
}

pub type OrganisationReportConnection =
    Connection<String, OrganisationReport, OrganisationReportConnectionFields>;
pub type OrganisationReportEdge = Edge<String, OrganisationReport, EmptyFields>;

pub const CONNECTION_DESCRIPTION: &str = "A page of the reports filed for an organisation, newest \
first (a Relay cursor connection): `pageInfo.endCursor` is the `after` of the next page while \
`pageInfo.hasNextPage` is true.";
pub const EDGE_DESCRIPTION: &str = "A report filed for an organisation, with its cursor.";

const CURSOR: &str = "organisation-report";

/// A new organisation.
#[derive(InputObject)]
pub struct CreateOrganisationInput {
    /// Its name, 2 to 200 characters, unique (case-insensitively).
    pub name: String,
    /// What it is.
    pub kind: OrganisationKind,
    /// How to reach it, 3 to 300 characters.
    pub contact: String,
}

/// One item of `submitComplaints`: the fields of `SubmitComplaintInput` that a bulk report may
/// hold (no files, no anonymity, no contact e-mail), with a required idempotency key.
#[derive(InputObject)]
pub struct BulkComplaintInput {
    /// A `Category.code` from `categories`.
    pub category: String,
    /// The listing, post, video, product or account URL.
    pub listing_url: String,
    /// A `Platform.slug`; detected from `listingUrl` when absent.
    pub platform: Option<String>,
    /// The seller's account name on the platform, at most 100 characters.
    pub account_handle: Option<String>,
    /// What is wrong, 20 to 5,000 characters.
    pub description: String,
    /// One of Indonesia's 38 provinces.
    pub province: Option<String>,
    /// A city or regency, at most 100 characters.
    pub city: Option<String>,
    /// At most 10 http(s) evidence links.
    pub evidence_urls: Option<Vec<String>>,
    /// Required, 1 to 128 characters, each once per batch: sending the item again with the same key
    /// (within 24 hours) returns its first result and creates nothing new.
    pub idempotency_key: String,
}

/// What became of one item of `submitComplaints`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "BulkComplaintStatus")]
pub enum BulkItemStatus {
    /// A complaint that opened a new case.
    Created,
    /// A complaint that joined a case other reports had already opened.
    Joined,
    /// Nothing was filed for the item: see `error`.
    Error,
}

/// Why an item of `submitComplaints` was not filed.
#[derive(SimpleObject)]
#[graphql(name = "BulkComplaintError")]
pub struct BulkItemError {
    /// The error code, as `extensions.code` of a single call would say (BAD_USER_INPUT, CONFLICT…).
    pub code: String,
    /// The item's field at fault (`listingUrl`, `evidenceUrls[2]`, `idempotencyKey`); null when the
    /// error is not about one field.
    pub field: Option<String>,
    /// What is wrong, in the request's language.
    pub message: String,
}

/// The result of one item of a batch, in the batch's order.
#[derive(SimpleObject)]
#[graphql(name = "BulkComplaintOutcome")]
pub struct BulkItemOutcomeType {
    /// The item's place in the batch, from 0 (a CSV file's first row after the header is 0).
    pub index: i32,
    /// The item's idempotency key.
    pub idempotency_key: Option<String>,
    /// Created, joined or error.
    pub status: BulkItemStatus,
    /// True when the key was used before: this is that first result again, nothing new was made.
    pub replayed: bool,
    /// The complaint's global ID; null for an error.
    pub complaint_id: Option<ID>,
    /// The complaint's tracking code; null for an error.
    pub tracking_code: Option<String>,
    /// Why nothing was filed; null unless `status` is ERROR.
    pub error: Option<BulkItemError>,
}

/// The outcome of a bulk submission: one result per item, and the counts.
#[derive(SimpleObject)]
pub struct SubmitComplaintsPayload {
    /// One result per item, in order.
    pub items: Vec<BulkItemOutcomeType>,
    /// Items that opened a new case.
    pub created: i32,
    /// Items that joined an existing case.
    pub joined: i32,
    /// Items with an error.
    pub errors: i32,
    /// The same results as a CSV file (columns `index`, `idempotencyKey`, `result`, `replayed`,
    /// `complaintId`, `trackingCode`, `code`, `field`, `message`), one row per item.
    pub result_csv: String,
}

fn payload(outcomes: Vec<BulkItemOutcome>) -> async_graphql::Result<SubmitComplaintsPayload> {
    let lang = current_lang();
    let result_csv = complaint_service::csv_results(&outcomes, lang)?;
    let (mut created, mut joined, mut errors) = (0, 0, 0);
    let items = outcomes
        .into_iter()
        .map(|outcome| {
            let index = i32::try_from(outcome.index).unwrap_or(i32::MAX);
            match outcome.result {
                BulkItemResult::Filed {
                    complaint_id,
                    tracking_code,
                    joined_existing_case,
                    replayed,
                } => {
                    let status = if joined_existing_case {
                        joined += 1;
                        BulkItemStatus::Joined
                    } else {
                        created += 1;
                        BulkItemStatus::Created
                    };
                    BulkItemOutcomeType {
                        index,
                        idempotency_key: outcome.idempotency_key,
                        status,
                        replayed,
                        complaint_id: Some(id::encode(NodeType::Complaint, complaint_id)),
                        tracking_code,
                        error: None,
                    }
                }
                BulkItemResult::Failed { error } => {
                    errors += 1;
                    BulkItemOutcomeType {
                        index,
                        idempotency_key: outcome.idempotency_key,
                        status: BulkItemStatus::Error,
                        replayed: false,
                        complaint_id: None,
                        tracking_code: None,
                        error: Some(item_error(&error, lang)),
                    }
                }
            }
        })
        .collect();
    Ok(SubmitComplaintsPayload {
        items,
        created,
        joined,
        errors,
        result_csv,
    })
}

fn item_error(error: &ServiceError, lang: laporlapak_domain::i18n::Lang) -> BulkItemError {
    BulkItemError {
        code: error.code().to_owned(),
        field: match error {
            ServiceError::BadInput { field, .. } => Some(field.to_string()),
            _ => None,
        },
        message: error.message(lang).into_owned(),
    }
}

#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// Every organisation registered as a trusted flagger, oldest first, with its record. ADMIN
    /// and REVIEWER only (members are listed for an ADMIN only).
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn organisations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        Ok(service::list(ctx.services()?, ctx.viewer())
            .await?
            .into_iter()
            .map(Organisation)
            .collect())
    }

    /// The organisation the caller is a member of; null for a citizen who is no member. CITIZEN
    /// only.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn my_organisation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Organisation>> {
        Ok(service::mine(ctx.services()?, ctx.viewer())
            .await?
            .map(Organisation))
    }

    /// The reports filed for the caller's organisation by any of its members, newest first, with
    /// their outcomes. CITIZEN members only (FORBIDDEN for a citizen who is no member).
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn organisation_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<OrganisationReportConnection> {
        let limit = pagination::page_size(first)?;
        let before = pagination::decode_id(CURSOR, after.as_deref())?;
        let (page, has_more, total) =
            service::reports(ctx.services()?, ctx.viewer(), before, limit).await?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            OrganisationReportConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
                total_count: total,
            },
        );
        connection.edges.extend(page.into_iter().map(|view| {
            let cursor = pagination::encode(CURSOR, &view.report.complaint_id.to_string());
            Edge::new(cursor, OrganisationReport(view))
        }));
        Ok(connection)
    }
}

#[derive(Default)]
pub struct OrganisationMutation;

#[Object]
impl OrganisationMutation {
    /// Registers an organisation as a trusted flagger (ACTIVE). ADMIN only; audited.
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation.")] input: CreateOrganisationInput,
    ) -> async_graphql::Result<Organisation> {
        let input = NewOrganisation {
            name: input.name,
            kind: input.kind.into(),
            contact: input.contact,
        };
        Ok(Organisation(
            service::create(ctx.services()?, ctx.viewer(), input).await?,
        ))
    }

    /// Adds a citizen account to an organisation (an account is in at most one: CONFLICT
    /// otherwise; BAD_USER_INPUT on `accountId` for a staff account). ADMIN only; audited.
    async fn add_organisation_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's global ID.")] organisation_id: ID,
        #[graphql(desc = "The citizen account's global ID (`Account.id`).")] account_id: ID,
    ) -> async_graphql::Result<Organisation> {
        let organisation = id::argument(&organisation_id, NodeType::Organisation);
        let account = id::argument(&account_id, NodeType::Account);
        Ok(Organisation(
            service::add_member(ctx.services()?, ctx.viewer(), organisation, account).await?,
        ))
    }

    /// Removes a member account from an organisation (NOT_FOUND when it is none); its earlier
    /// reports keep the organisation. ADMIN only; audited.
    async fn remove_organisation_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's global ID.")] organisation_id: ID,
        #[graphql(desc = "The member account's global ID (`Account.id`).")] account_id: ID,
    ) -> async_graphql::Result<Organisation> {
        let organisation = id::argument(&organisation_id, NodeType::Organisation);
        let account = id::argument(&account_id, NodeType::Account);
        Ok(Organisation(
            service::remove_member(ctx.services()?, ctx.viewer(), organisation, account).await?,
        ))
    }

    /// Suspends (SUSPENDED), restores (ACTIVE) or revokes (REVOKED, final: CONFLICT afterwards)
    /// an organisation's trusted-flagger status, with a reason. ADMIN only; audited.
    async fn set_organisation_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's global ID.")] organisation_id: ID,
        #[graphql(desc = "The new status.")] status: OrganisationStatus,
        #[graphql(desc = "Why, 3 to 1,000 characters (audited).")] reason: String,
    ) -> async_graphql::Result<Organisation> {
        let organisation = id::argument(&organisation_id, NodeType::Organisation);
        Ok(Organisation(
            service::set_status(
                ctx.services()?,
                ctx.viewer(),
                organisation,
                status.into(),
                reason,
            )
            .await?,
        ))
    }

    /// Files 1 to 100 complaints at once for the caller's organisation (its `limits`). Each item
    /// is its own complaint with its own idempotency key and its own result — created, joined an
    /// existing case, or an error naming the item's field —: one bad item never holds back the
    /// others. Sending the batch again with the same keys creates nothing new. CITIZEN members of
    /// an ACTIVE organisation only (FORBIDDEN otherwise); RATE_LIMITED beyond the organisation's
    /// batches an hour.
    async fn submit_complaints(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The complaints, 1 to 100.")] items: Vec<BulkComplaintInput>,
    ) -> async_graphql::Result<SubmitComplaintsPayload> {
        let requests = items
            .into_iter()
            .map(|item| SubmitRequest {
                category: item.category,
                listing_url: item.listing_url,
                platform: item.platform,
                account_handle: item.account_handle,
                description: item.description,
                province: item.province,
                city: item.city,
                evidence_urls: item.evidence_urls.unwrap_or_default(),
                idempotency_key: Some(item.idempotency_key),
                ..SubmitRequest::default()
            })
            .collect();
        let outcomes = complaint_service::submit_many(
            ctx.services()?,
            ctx.viewer(),
            ctx.client_address(),
            requests,
        )
        .await?;
        payload(outcomes)
    }

    /// `submitComplaints` from a CSV file (UTF-8, comma-separated, a header row first) sent as a
    /// GraphQL multipart request with the header `GraphQL-Preflight: 1`. The header names the
    /// columns, in any order: `category`, `listingUrl`, `description` and `idempotencyKey` are
    /// required; `platform`, `accountHandle`, `province`, `city` and `evidenceUrls` (links separated
    /// by spaces) optional; others are ignored. Each row is one item; the answer is the same, and
    /// `resultCsv` is the per-row result file. At most the organisation's `maxCsvBytes` and
    /// `maxBatchItems` rows.
    async fn submit_complaints_csv(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The CSV file.")] file: Upload,
    ) -> async_graphql::Result<SubmitComplaintsPayload> {
        let mut files = crate::graphql::evidence::incoming(ctx, Some(vec![file]), "file")?;
        let file = files.pop().ok_or_else(|| {
            ServiceError::bad_input("file", laporlapak_domain::i18n::Msg::UploadMissing)
        })?;
        let outcomes = complaint_service::submit_csv(
            ctx.services()?,
            ctx.viewer(),
            ctx.client_address(),
            file,
        )
        .await?;
        payload(outcomes)
    }
}

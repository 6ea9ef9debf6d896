//! The reviewer desk's output types: `Case` (a target with its complaints, events, takedown
//! request and seller), `Event` (an entry of its audit trail) and `TakedownRequest`.

use crate::graphql::datetime::DateTime;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Description, ID, Object};

use crate::graphql::ContextExt as _;
use crate::graphql::account::Account;
use crate::graphql::complaint::{Complaint, ComplaintConnection, ComplaintConnectionFields};
use crate::graphql::enums::{
    CaseStatus, Role, TakedownAction, TakedownKind, TakedownStatus, Urgency,
};
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::{Category, Platform};
use crate::graphql::seller::{
    Seller, SellerIdentifier, SellerLinkSuggestion, TakedownSellerIdentifier,
};
use laporlapak_service::account;
use laporlapak_service::error::ServiceError;
use laporlapak_service::review::{self as service, CaseFacts, CaseView, EventView, StaffCaseView};
use laporlapak_service::seller as seller_service;
use laporlapak_service::takedown::TakedownView;

/// An entry of a case's audit trail: who (by role) did what, and when. Append-only: never updated,
/// never deleted. Seen by reviewers and administrators only.
#[derive(Description)]
pub struct Event(pub EventView);

#[Object(use_type_description)]
impl Event {
    /// The event's number, unique among events (not a global `Node` ID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What happened, e.g. `complaint.submitted`, `case.claimed`, `case.forwarded`,
    /// `takedown.answered`.
    async fn action(&self) -> &str {
        self.0.action.as_str()
    }
    /// The role of whoever acted; null for an anonymous member of the public, for a citizen who
    /// filed a complaint of this case anonymously, and for the operator's command line.
    async fn actor_role(&self) -> Option<Role> {
        self.0.actor_role.map(Role::from)
    }
    /// The account that acted, when it was staff (a reviewer, platform representative or admin);
    /// null for citizens and the public.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let Some(actor) = self.0.actor else {
            return Ok(None);
        };
        Ok(account::load(ctx.services()?, ctx.viewer(), actor)
            .await?
            .map(Account))
    }
    /// The API client that acted for a platform (by its name and `client_id`), when the actor
    /// was one: what a platform's systems do is audited as the client, not as a person.
    async fn api_client(&self) -> Option<String> {
        self.0.api_client.clone()
    }
    /// The case's status after this event, when the event changed it.
    async fn case_status(&self) -> Option<CaseStatus> {
        self.0.case_status.map(CaseStatus::from)
    }
    /// When it happened.
    async fn at(&self) -> DateTime {
        self.0.at.into()
    }
    /// What the action recorded besides itself: a reason or note, an urgency, an authority, a
    /// platform's action and statement; null when there is nothing more.
    async fn details(&self) -> Option<&str> {
        self.0.details.as_deref()
    }
}

/// A request to a platform to act on a case, with a legal basis and a deadline: the ministry's
/// NOTICE (`forwardCase`; due after the platform's own committed response time) or Komdigi's
/// ORDER (`issueOrder`; due after the statutory time). Seen by reviewers, administrators and the
/// representatives of the platform it is addressed to; it holds nothing about any reporter.
#[derive(Description)]
pub struct TakedownRequest(pub TakedownView);

#[Object(use_type_description)]
impl TakedownRequest {
    /// The request's opaque global ID (`node(id:)` finds it again).
    pub async fn id(&self) -> ID {
        id::encode(NodeType::TakedownRequest, self.0.id)
    }
    /// The case the request was issued for (as the caller may see it: a platform gets it without
    /// reporters or audit trail).
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Case> {
        let view = service::find_case(ctx.services()?, ctx.viewer(), self.0.case_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        Ok(Case::from(view))
    }
    /// The platform the request is addressed to.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Platform> {
        laporlapak_service::reference::platform(ctx.services()?, self.0.platform_id)
            .await?
            .map(Platform)
            .ok_or_else(|| ServiceError::NotFound.into())
    }
    /// The regulation the request relies on: the reviewer's text, or the category's legal basis.
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }
    /// How fast the platform must answer; decides `dueAt` (see `kind`).
    async fn urgency(&self) -> Urgency {
        self.0.urgency.into()
    }
    /// NOTICE (the ministry's; the platform's committed time) or ORDER (Komdigi's; statutory).
    /// Every request issued before orders existed is a NOTICE.
    async fn kind(&self) -> TakedownKind {
        self.0.kind.into()
    }
    /// True for an order: `dueAt` is a statutory deadline (Permenkominfo 5/2020 Art. 15). False
    /// for a notice: `dueAt` is the platform's own commitment, and missing it is not a breach of
    /// the law.
    async fn statutory_deadline(&self) -> bool {
        self.0.kind == laporlapak_domain::TakedownKind::Order
    }
    /// An order's letter number; null for a notice.
    async fn order_number(&self) -> Option<&str> {
        self.0.order_number.as_deref()
    }
    /// An order letter's date, `yyyy-mm-dd`; null for a notice.
    async fn order_date(&self) -> Option<&str> {
        self.0.order_date.as_deref()
    }
    /// The article an order rests on; null for a notice.
    async fn order_article(&self) -> Option<&str> {
        self.0.order_article.as_deref()
    }
    /// Since when an objection has paused the clock; null when it runs.
    async fn paused_at(&self) -> Option<DateTime> {
        self.0.paused_at.map(Into::into)
    }
    /// When the request was withdrawn after an objection was upheld; null while it stands.
    async fn withdrawn_at(&self) -> Option<DateTime> {
        self.0.withdrawn_at.map(Into::into)
    }
    /// The platform's objections (sanggah) to this request, oldest first.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn objections(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::legal::Objection>> {
        Ok(laporlapak_service::legal::objections_for_request(
            ctx.services()?,
            ctx.viewer(),
            &self.0,
        )
        .await?
        .into_iter()
        .map(crate::graphql::legal::Objection)
        .collect())
    }
    /// The reviewer's note to the platform (10 to 5,000 characters); null when none was given.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// How far the platform has got with the request.
    async fn status(&self) -> TakedownStatus {
        self.0.status.into()
    }
    /// When the reviewer issued the request.
    async fn issued_at(&self) -> DateTime {
        self.0.issued_at.into()
    }
    /// The deadline. A NOTICE: `issuedAt` plus the platform's own committed response hours for
    /// this urgency (by default 24 for NORMAL, 4 for URGENT) — a commitment, not statutory. An
    /// ORDER: `issuedAt` (receipt) plus 24 hours, 4 for URGENT (statutory). Moved on by the time an
    /// objection paused the clock.
    async fn due_at(&self) -> DateTime {
        self.0.due_at.into()
    }
    /// When the platform acknowledged the request; null until it does.
    async fn acknowledged_at(&self) -> Option<DateTime> {
        self.0.acknowledged_at.map(Into::into)
    }
    /// When the platform's answer was recorded; null until it answers.
    async fn responded_at(&self) -> Option<DateTime> {
        self.0.responded_at.map(Into::into)
    }
    /// What the platform did; null until it answers.
    async fn action(&self) -> Option<TakedownAction> {
        self.0.action.map(TakedownAction::from)
    }
    /// The platform's reasons for its action (20 to 5,000 characters); null until it answers.
    async fn statement_of_reasons(&self) -> Option<&str> {
        self.0.statement_of_reasons.as_deref()
    }
    /// When the platform says it acted (never before `issuedAt` nor after `respondedAt`); null until
    /// it answers.
    async fn acted_at(&self) -> Option<DateTime> {
        self.0.acted_at.map(Into::into)
    }
    /// The platform's answer in full (decision, what it acted on, ground, territory, automation,
    /// its own reference, reasons); null until it answers.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn answer(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::takedown::TakedownAnswer>> {
        if self.0.responded_at.is_none() {
            return Ok(None);
        }
        Ok(
            laporlapak_service::takedown::history(ctx.services()?, &self.0)
                .await?
                .into_iter()
                .find(|entry| entry.kind == laporlapak_domain::AnswerKind::Answer)
                .map(crate::graphql::takedown::TakedownAnswer),
        )
    }
    /// The answer and every later change to it (a reinstatement, the end of a restriction),
    /// oldest first; empty until the platform answers. At most two entries: an answer and one
    /// change.
    #[graphql(complexity = "crate::graphql::DB_READ + 2 * child_complexity")]
    async fn answer_history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::takedown::TakedownAnswer>> {
        if self.0.responded_at.is_none() {
            return Ok(Vec::new());
        }
        Ok(
            laporlapak_service::takedown::history(ctx.services()?, &self.0)
                .await?
                .into_iter()
                .map(crate::graphql::takedown::TakedownAnswer)
                .collect(),
        )
    }
    /// True when the request is unanswered past `dueAt` now, or was answered after it; never while
    /// an objection pauses the clock or once withdrawn. For a NOTICE, late against the platform's
    /// commitment only.
    async fn overdue(&self) -> bool {
        self.0.overdue
    }
    /// When a reporter, asked "is it still online?" after the removal, found the listing still
    /// online: the removal stands disputed and the case went back to review. Null otherwise.
    async fn disputed_at(&self) -> Option<DateTime> {
        self.0.disputed_at.map(Into::into)
    }
    /// When a reporter confirmed that the removed listing is gone; null otherwise.
    async fn removal_confirmed_at(&self) -> Option<DateTime> {
        self.0.confirmed_at.map(Into::into)
    }
    /// The request's last change: when it was issued, acknowledged or answered (the order of the
    /// `takedownRequests(updatedSince:)` changes feed).
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// True when the case re-lists a listing whose removal did not stick: `relistingOf` is the
    /// earlier request answered REMOVED.
    async fn relisting(&self) -> bool {
        self.0.relisting_of_id.is_some()
    }
    /// The earlier request whose removal this case re-lists, as the caller may see it: null when
    /// the request is not about a re-listing, and for a platform when the earlier request went to
    /// another platform (`relisting` still says it is one).
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn relisting_of(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<TakedownRequest>> {
        let Some(earlier) = self.0.relisting_of_id else {
            return Ok(None);
        };
        Ok(
            laporlapak_service::takedown::find_visible(ctx.services()?, ctx.viewer(), earlier)
                .await?
                .map(TakedownRequest),
        )
    }
    /// What the request tells the platform about the seller, as sent: the identifiers found on
    /// this platform, and those from other platforms a reviewer attached deliberately.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn seller_identifiers(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<TakedownSellerIdentifier>> {
        Ok(
            seller_service::takedown_identifiers(ctx.services()?, &self.0)
                .await?
                .into_iter()
                .map(TakedownSellerIdentifier::from)
                .collect(),
        )
    }
}

/// One target (a listing or account, by canonical URL) on one platform, with every complaint about
/// it: what reviewers work on. Reviewers and administrators see every case; a platform
/// representative only cases with a takedown request to its platform, without reporters,
/// assignee or audit trail; citizens and the public none.
#[derive(Description)]
pub struct Case(Box<CaseView>);

impl From<CaseView> for Case {
    fn from(view: CaseView) -> Self {
        Self(Box::new(view))
    }
}

impl From<StaffCaseView> for Case {
    fn from(view: StaffCaseView) -> Self {
        Self::from(CaseView::Staff(view))
    }
}

impl Case {
    fn facts(&self) -> &CaseFacts {
        self.0.facts()
    }
}

const CASE_COMPLAINT_CURSOR: &str = "case-complaint";

#[Object(use_type_description)]
impl Case {
    /// The case's opaque global ID (`node(id:)` finds it again).
    pub async fn id(&self) -> ID {
        id::encode(NodeType::Case, self.facts().id)
    }
    /// Where the case stands in its lifecycle.
    async fn status(&self) -> CaseStatus {
        self.facts().status.into()
    }
    /// The platform the target is on.
    async fn platform(&self) -> Platform {
        Platform(self.facts().platform.clone())
    }
    /// The category of the complaint that opened the case.
    async fn category(&self) -> Category {
        Category(self.facts().category.clone())
    }
    /// The canonical URL of the listing or account: every complaint whose URL reduces to it, on this
    /// platform, joins this case while it is not final.
    async fn target(&self) -> &str {
        &self.facts().target
    }
    /// What the target is: `LISTING` (a single post, video, product or marketplace item), `ACCOUNT`
    /// (a profile, shop, page or group) or `OTHER` (anything else: search pages, short links,
    /// unknown sites).
    async fn target_kind(&self) -> &str {
        self.facts().target_kind.as_str()
    }
    /// Distinct reporters of the complaints that still count (not withdrawn): an account once, each
    /// anonymous submission once.
    async fn report_count(&self) -> i32 {
        self.facts().report_count
    }
    /// Of those, reporters who declared an UMKM business and did not submit anonymously; always 0
    /// for platforms (who reported is none of a platform's business: a count of UMKM reporters
    /// would tell it a competing business reported).
    #[graphql(
        deprecation = "Use `umkmReporterCount`, which is null (not 0) where the count is not shown. Removal after 2027-03-31."
    )]
    async fn umkm_report_count(&self) -> i32 {
        self.facts().umkm_report_count
    }
    /// Of the reporters counted in `reportCount`, those who declared an UMKM business and did not
    /// submit anonymously. Null for platforms: who reported is none of their business (a count
    /// of UMKM reporters would tell a platform that a competing business reported).
    async fn umkm_reporter_count(&self) -> Option<i32> {
        match &*self.0 {
            CaseView::Staff(view) => Some(view.facts.umkm_report_count),
            CaseView::Platform(_) => None,
        }
    }
    /// The queue's order, higher first: `10·severity + ⌊25·log2(1 + reportCount)⌋ +
    /// 10·min(umkmReportCount, 5) + 15·min(flag weight, 4) + 10·min(seller score, 5) + 30·relisted
    /// + min(flaggerBoost, 20)` (the seller score of a confirmed seller, see
    /// `RepeatOffenderRecord`), recomputed whenever a complaint joins, leaves or merges and whenever
    /// the seller's record changes. A platform gets it without the UMKM and flagger terms.
    async fn priority(&self) -> i32 {
        self.facts().priority
    }
    /// The largest boost a trusted flagger's record gave the case's complaints that still count
    /// (0–20: the share of its organisation's decided reports that led to a takedown request,
    /// smoothed); 0 without one. Null for platforms.
    async fn flagger_boost(&self) -> Option<i32> {
        match &*self.0 {
            CaseView::Staff(view) => Some(view.facts.flagger_boost),
            CaseView::Platform(_) => None,
        }
    }
    /// Who opened the case: `PUBLIC` (a report from the public) or `MINISTRY` (the ministry's own
    /// finding, filed by a reviewer, with no reporter). Null for platforms.
    async fn source(&self) -> Option<crate::graphql::organisation::ReportSource> {
        match &*self.0 {
            CaseView::Staff(view) => Some(view.facts.source.into()),
            CaseView::Platform(_) => None,
        }
    }
    /// The keyword rules matched by the case's complaints that still count, sorted, each once.
    async fn flags(&self) -> &[String] {
        &self.facts().flags
    }
    /// The reviewer who claimed the case and has not released it; null when unclaimed, and always
    /// null for platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        let CaseView::Staff(StaffCaseView {
            assignee: Some(assignee),
            ..
        }) = &*self.0
        else {
            return Ok(None);
        };
        Ok(account::load(ctx.services()?, ctx.viewer(), *assignee)
            .await?
            .map(Account))
    }
    /// The authority the case was escalated to (an `Authority` value, e.g. `BEA_CUKAI`); null when
    /// it was not escalated.
    async fn escalated_to(&self) -> Option<&str> {
        self.facts()
            .escalated_to
            .map(|authority| authority.as_str())
    }
    /// The global ID of the case this one was merged into (this one is then CLOSED); null when it
    /// was not merged.
    async fn merged_into(&self) -> Option<ID> {
        self.facts()
            .merged_into
            .map(|id| id::encode(NodeType::Case, id))
    }
    /// The case's evidence files, one per distinct content (SHA-256) whichever complaints carried
    /// it, each with `reportCount`. A platform gets only images, as their redacted variant.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn evidence_files(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::evidence::EvidenceFile>> {
        let files = match &*self.0 {
            CaseView::Staff(view) => view.access.files(),
            CaseView::Platform(view) => view.access.files(),
        };
        Ok(
            laporlapak_service::evidence::case_files(ctx.services()?, files)
                .await?
                .into_iter()
                .map(crate::graphql::evidence::EvidenceFile)
                .collect(),
        )
    }
    /// True when the case re-lists a listing: its first complaint came within the configured
    /// window (90 days by default) after a platform answered REMOVED to a request about the same
    /// target, or about a case sharing an identifier with it (or with its confirmed seller).
    async fn relisted(&self) -> bool {
        self.facts().relisted_from.is_some()
    }
    /// The earlier case whose removal this one re-lists, as the caller may see it: null when the
    /// case is not a re-listing, and for a platform when the earlier case was not forwarded to it.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn relisted_from(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Case>> {
        let Some(earlier) = self.facts().relisted_from else {
            return Ok(None);
        };
        Ok(service::find_case(ctx.services()?, ctx.viewer(), earlier)
            .await?
            .map(Case::from))
    }
    /// The seller identifiers found in the case's complaints (and entered by reviewers), each value
    /// once. A platform gets only those found in what it reads of the case itself: the listing URL,
    /// the reported handle and the descriptions.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn seller_identifiers(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<SellerIdentifier>> {
        let services = ctx.services()?;
        let rows = match &*self.0 {
            CaseView::Staff(view) => {
                seller_service::staff_case_identifiers(services, view.access).await?
            }
            CaseView::Platform(view) => {
                seller_service::platform_case_identifiers(services, view.access).await?
            }
        };
        Ok(rows.into_iter().map(SellerIdentifier).collect())
    }
    /// The seller a reviewer confirmed this case belongs to; null when none, and always null for
    /// platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn seller(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Seller>> {
        let CaseView::Staff(view) = &*self.0 else {
            return Ok(None);
        };
        let services = ctx.services()?;
        let Some(seller_id) = seller_service::seller_of(services, view.access).await? else {
            return Ok(None);
        };
        Ok(seller_service::find(services, ctx.viewer(), seller_id)
            .await?
            .map(Seller))
    }
    /// Other cases that share a seller identifier with this one and are not yet decided on (not
    /// confirmed as the same seller, not rejected), newest first: confirm with `confirmSellerLink`,
    /// dismiss with `rejectSellerLink`. Empty for platforms.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn seller_suggestions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<SellerLinkSuggestion>> {
        let CaseView::Staff(view) = &*self.0 else {
            return Ok(Vec::new());
        };
        Ok(seller_service::suggestions(ctx.services()?, view.access)
            .await?
            .into_iter()
            .map(SellerLinkSuggestion)
            .collect())
    }
    /// The case's complaints in submission order, withdrawn ones included (`withdrawnAt` tells). A
    /// platform gets them redacted: no reporter, place, tracking code or messages.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn complaints(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<ComplaintConnection> {
        let limit = pagination::page_size(first)?;
        let services = ctx.services()?;
        let (page, has_more, total): (Vec<Complaint>, bool, i64) = match &*self.0 {
            CaseView::Staff(view) => {
                let after_id = pagination::decode_id(CASE_COMPLAINT_CURSOR, after.as_deref())?;
                let (page, more, total) =
                    service::staff_case_complaints(services, view.access, after_id, limit).await?;
                (page.into_iter().map(Into::into).collect(), more, total)
            }
            CaseView::Platform(view) => {
                // A platform's cursors carry the complaints' opaque keys, not row numbers.
                let after_key = after
                    .as_deref()
                    .map(|cursor| pagination::decode(CASE_COMPLAINT_CURSOR, cursor))
                    .transpose()?;
                let (page, more, total) =
                    service::platform_case_complaints(services, view.access, after_key, limit)
                        .await?;
                (page.into_iter().map(Into::into).collect(), more, total)
            }
        };
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            ComplaintConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
                total_count: total,
            },
        );
        connection.edges.extend(page.into_iter().map(|complaint| {
            let cursor = pagination::encode(CASE_COMPLAINT_CURSOR, &complaint.cursor_key());
            Edge::new(cursor, complaint)
        }));
        Ok(connection)
    }
    /// Its takedown requests, oldest first: every one for staff, only those to its own platform for
    /// a platform.
    #[graphql(complexity = "crate::graphql::DB_READ + 10 * child_complexity")]
    async fn takedown_requests(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<TakedownRequest>> {
        let services = ctx.services()?;
        let rows = match &*self.0 {
            CaseView::Staff(view) => {
                service::staff_case_takedown_requests(services, view.access).await?
            }
            CaseView::Platform(view) => {
                service::platform_case_takedown_requests(services, view.access).await?
            }
        };
        Ok(rows.into_iter().map(TakedownRequest).collect())
    }
    /// The audit trail, oldest first (staff only; empty for platforms).
    #[graphql(complexity = "crate::graphql::DB_READ + 20 * child_complexity")]
    async fn events(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Event>> {
        let CaseView::Staff(view) = &*self.0 else {
            return Ok(Vec::new());
        };
        Ok(service::case_events(ctx.services()?, view.access)
            .await?
            .into_iter()
            .map(Event)
            .collect())
    }
    /// When the first complaint opened the case; for platforms, the hour it fell in.
    async fn created_at(&self) -> DateTime {
        self.facts().created_at.into()
    }
    /// When the case last changed: a transition, or a change to its complaints (one joining, being
    /// withdrawn or given evidence, or merged in); for platforms, the hour it fell in.
    async fn updated_at(&self) -> DateTime {
        self.facts().updated_at.into()
    }
}

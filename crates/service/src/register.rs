//! The public register of takedown requests: one entry per notice or order, from the moment it is
//! issued, filling as the platform acknowledges, answers, objects, reinstates. Public and
//! anonymous, so an entry is built from an allow-list of fields: the platform, the category, the
//! legal basis, the kind, urgency and times, the platform's structured answer and later changes,
//! objections and their outcome, the re-listing flags. Never the listing's address or handle, the
//! seller's identifiers, the reviewer's note, the platform's own reference, nor anything about a
//! reporter or a member of staff; the free text it does publish (the platform's reasons, the
//! grounds it cites) is scrubbed of addresses, handles, long numbers and the case's own target
//! and identifiers ([`laporlapak_domain::register::scrub`]).
//!
//! A page costs six statements whatever its size: the count (when asked), the page joined to the
//! cases, and, for the page's requests, their answer histories, objections, later re-listings and
//! the seller identifiers to scrub.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::reference_data::ReferenceCache;
use laporlapak_db::DbConnection;
use laporlapak_db::models::objection::Objection;
use laporlapak_db::models::register::{self as rows, RegisterRow};
use laporlapak_db::models::seller::SellerIdentifier;
use laporlapak_db::models::takedown_answer::TakedownAnswer;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::register::{public_id, scrub};
use laporlapak_domain::{
    ActedOn, AnswerKind, DecisionGround, ObjectionStatus, TakedownAction, TakedownDecision,
    TakedownKind, Urgency,
};

pub use laporlapak_db::models::register::RegisterFilter;
pub use laporlapak_domain::register::RegisterOutcome;

use crate::transparency::{Category, PlatformWithHosts};

/// What a client asks of the register: platforms and categories by slug and code.
#[derive(Debug, Clone, Default)]
pub struct RegisterQuery {
    pub platform: Option<String>,
    pub category: Option<String>,
    pub kind: Option<TakedownKind>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub outcome: Option<RegisterOutcome>,
}

/// An entry of the platform's answer history as the public reads it.
#[derive(Debug, Clone)]
pub struct PublicAnswer {
    pub kind: AnswerKind,
    pub decision: Option<TakedownDecision>,
    pub acted_on: Option<ActedOn>,
    pub ground: Option<DecisionGround>,
    /// Scrubbed.
    pub ground_reference: Option<String>,
    pub territory: Vec<String>,
    pub suspended_until: Option<NaiveDateTime>,
    pub automated_detection: Option<bool>,
    pub automated_decision: Option<bool>,
    /// Scrubbed.
    pub statement_of_reasons: String,
    pub effective_at: NaiveDateTime,
    pub recorded_at: NaiveDateTime,
}

/// An objection (sanggah) as the public reads it: when, the platform's reasons (scrubbed) and the
/// outcome — never who decided, nor the decision's own words.
#[derive(Debug, Clone)]
pub struct PublicObjection {
    pub filed_at: NaiveDateTime,
    pub reasons: String,
    pub status: ObjectionStatus,
    pub decided_at: Option<NaiveDateTime>,
}

/// One request of the register.
#[derive(Debug, Clone)]
pub struct RegisterEntry {
    /// The row id: only for cursors, never published (see [`Self::public_id`]).
    pub(crate) row_id: i64,
    pub public_id: String,
    pub platform: Arc<PlatformWithHosts>,
    pub category: Arc<Category>,
    pub kind: TakedownKind,
    pub urgency: Urgency,
    /// Scrubbed.
    pub legal_basis: String,
    pub order_number: Option<String>,
    pub order_date: Option<String>,
    pub order_article: Option<String>,
    pub issued_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub answered_at: Option<NaiveDateTime>,
    pub acted_at: Option<NaiveDateTime>,
    pub paused_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub action: Option<TakedownAction>,
    /// Answered after `due_at`, or unanswered past it now (never while paused or withdrawn).
    pub overdue: bool,
    pub answers: Vec<PublicAnswer>,
    pub objections: Vec<PublicObjection>,
    /// The public id of the earlier request whose removal this one's listing re-lists.
    pub relisting_of: Option<String>,
    /// Whether a later case re-listed what this request had removed.
    pub relisted_later: bool,
}

impl RegisterEntry {
    /// The keyset of the register's order.
    pub fn issued_key(&self) -> (NaiveDateTime, i64) {
        (self.issued_at, self.row_id)
    }

    /// The keyset of the changes order (the open data's `since`).
    pub fn changed_key(&self) -> (NaiveDateTime, i64) {
        (self.updated_at, self.row_id)
    }

    /// Whether a reinstatement reversed the answer.
    pub fn reinstated(&self) -> bool {
        self.answers
            .iter()
            .any(|a| a.kind == AnswerKind::Reinstatement)
    }

    /// The outcome the register's filter reads.
    pub fn outcome(&self) -> RegisterOutcome {
        if self.reinstated() {
            return RegisterOutcome::Reinstated;
        }
        match self.action {
            Some(TakedownAction::Declined) => RegisterOutcome::Declined,
            Some(TakedownAction::NeedsMoreInfo) => RegisterOutcome::NeedsMoreInfo,
            Some(_) => RegisterOutcome::Acted,
            None if self.withdrawn_at.is_some() => RegisterOutcome::Withdrawn,
            None => RegisterOutcome::Pending,
        }
    }
}

/// The filter of `query`, slugs and codes resolved (BAD_USER_INPUT on `platform` or `category`
/// when unknown, on `to` when the period is reversed).
fn resolve(
    cache: &ReferenceCache,
    conn: &mut DbConnection,
    query: &RegisterQuery,
) -> ServiceResult<RegisterFilter> {
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from >= to
    {
        return Err(ServiceError::bad_input("to", Msg::PeriodReversed));
    }
    let platform_id = query
        .platform
        .as_deref()
        .map(|slug| cache.platform_id_named(conn, slug, "platform"))
        .transpose()?;
    let category_id = match query.category.as_deref() {
        None => None,
        Some(code) => {
            let code = code.to_uppercase();
            Some(
                cache
                    .find_named(conn, |data| data.category_by_code(&code).map(|c| c.id))?
                    .ok_or_else(|| ServiceError::bad_input("category", Msg::UnknownCategory))?,
            )
        }
    };
    Ok(RegisterFilter {
        platform_id,
        category_id,
        kind: query.kind,
        from: query.from,
        to: query.to,
        outcome: query.outcome,
    })
}

/// A page of the register, newest first, after `after` (an entry's [`RegisterEntry::issued_key`]);
/// with whether more follow.
pub async fn page(
    services: &Services,
    query: RegisterQuery,
    after: Option<(NaiveDateTime, i64)>,
    first: i64,
) -> ServiceResult<(Vec<RegisterEntry>, bool)> {
    let cache = services.reference.clone();
    let now = services.clock.now();
    services
        .db
        .run(move |conn| {
            let filter = resolve(&cache, conn, &query)?;
            let mut page = rows::page(conn, &filter, after, first + 1)?;
            let has_more = crate::cut_page(&mut page, first);
            Ok((entries(&cache, conn, page, now)?, has_more))
        })
        .await
}

/// How many entries the register lists under `query`.
pub async fn count(services: &Services, query: RegisterQuery) -> ServiceResult<i64> {
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let filter = resolve(&cache, conn, &query)?;
            Ok(rows::count(conn, &filter)?)
        })
        .await
}

/// The entries changed at or after `since` (every entry when `None`), oldest change first, after
/// `after` (an entry's [`RegisterEntry::changed_key`]); with whether more follow.
pub async fn changed_since(
    services: &Services,
    since: Option<NaiveDateTime>,
    after: Option<(NaiveDateTime, i64)>,
    first: i64,
) -> ServiceResult<(Vec<RegisterEntry>, bool)> {
    let cache = services.reference.clone();
    let now = services.clock.now();
    services
        .db
        .run(move |conn| {
            let mut page = rows::changed_since(conn, since, after, first + 1)?;
            let has_more = crate::cut_page(&mut page, first);
            Ok((entries(&cache, conn, page, now)?, has_more))
        })
        .await
}

/// The entries of `page`: four statements for the whole page.
fn entries(
    cache: &ReferenceCache,
    conn: &mut DbConnection,
    page: Vec<RegisterRow>,
    now: NaiveDateTime,
) -> ServiceResult<Vec<RegisterEntry>> {
    if page.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = page.iter().map(|r| r.request.id).collect();
    let case_ids: Vec<i64> = page.iter().map(|r| r.request.case_id).collect();
    let platform_ids: Vec<i64> = page.iter().map(|r| r.request.platform_id).collect();
    let category_ids: Vec<i64> = page.iter().map(|r| r.category_id).collect();
    let reference = cache.covering(conn, &platform_ids, &category_ids)?;
    let mut answers: HashMap<i64, Vec<TakedownAnswer>> = HashMap::new();
    for answer in TakedownAnswer::for_requests(conn, &ids)? {
        answers
            .entry(answer.takedown_request_id)
            .or_default()
            .push(answer);
    }
    let mut objections: HashMap<i64, Vec<Objection>> = HashMap::new();
    for objection in Objection::for_requests(conn, &ids)? {
        objections
            .entry(objection.takedown_request_id)
            .or_default()
            .push(objection);
    }
    let relisted: HashSet<i64> = rows::relisted_later(conn, &ids)?.into_iter().collect();
    let mut identifiers: HashMap<i64, Vec<String>> = HashMap::new();
    for identifier in SellerIdentifier::for_cases(conn, &case_ids)? {
        identifiers
            .entry(identifier.case_id)
            .or_default()
            .push(identifier.value);
    }
    let mut out = Vec::with_capacity(page.len());
    for row in page {
        let request = row.request;
        let (Some(platform), Some(category)) = (
            reference.platform(request.platform_id).cloned(),
            reference.category(row.category_id).cloned(),
        ) else {
            return Err(crate::error::InternalError::Invariant(
                "a register entry without its platform or category",
            )
            .into());
        };
        let mut known: Vec<&str> = vec![row.target.as_str()];
        if let Some(values) = identifiers.get(&request.case_id) {
            known.extend(values.iter().map(String::as_str));
        }
        let clean = |text: &str| scrub(text, &known);
        let overdue = match (
            request.responded_at,
            request.paused_at,
            request.withdrawn_at,
        ) {
            (Some(responded), _, _) => responded > request.due_at,
            (None, None, None) => now > request.due_at,
            (None, _, _) => false,
        };
        out.push(RegisterEntry {
            row_id: request.id,
            public_id: public_id(request.id),
            platform,
            category,
            kind: request.kind,
            urgency: request.urgency,
            legal_basis: clean(&request.legal_basis),
            order_number: request.order_number.as_deref().map(clean),
            order_date: request.order_date,
            order_article: request.order_article.as_deref().map(clean),
            issued_at: request.issued_at,
            due_at: request.due_at,
            acknowledged_at: request.acknowledged_at,
            answered_at: request.responded_at,
            acted_at: request.acted_at,
            paused_at: request.paused_at,
            withdrawn_at: request.withdrawn_at,
            updated_at: request.updated_at,
            action: request.action,
            overdue,
            answers: answers
                .remove(&request.id)
                .unwrap_or_default()
                .into_iter()
                .map(|a| PublicAnswer {
                    kind: a.kind,
                    decision: a.decision,
                    acted_on: a.acted_on,
                    ground: a.ground,
                    ground_reference: a.ground_reference.as_deref().map(clean),
                    territory: a
                        .territory
                        .as_deref()
                        .map(|codes| {
                            codes
                                .split(',')
                                .filter(|c| !c.is_empty())
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                    suspended_until: a.suspended_until,
                    automated_detection: a.automated_detection,
                    automated_decision: a.automated_decision,
                    statement_of_reasons: clean(&a.statement_of_reasons),
                    effective_at: a.effective_at,
                    recorded_at: a.recorded_at,
                })
                .collect(),
            objections: objections
                .remove(&request.id)
                .unwrap_or_default()
                .into_iter()
                .map(|o| PublicObjection {
                    filed_at: o.filed_at,
                    reasons: clean(&o.reasons),
                    status: o.status,
                    decided_at: o.decided_at,
                })
                .collect(),
            relisting_of: request.relisting_of_id.map(public_id),
            relisted_later: relisted.contains(&request.id),
        });
    }
    Ok(out)
}

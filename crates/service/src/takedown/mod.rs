//! The platform desk: takedown requests as a platform representative sees and answers them.
//!
//! A representative's scope is its token's platform, re-read from its account on every request,
//! never an argument: a request of another platform answers exactly as a nonexistent one does.

use chrono::NaiveDateTime;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::reference_data::ReferenceCache;
use crate::viewer::{PlatformRep, Viewer};
use laporlapak_db::DbConnection;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::takedown_request::TakedownRequest;
use laporlapak_domain::case::{Rule, Transition};
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{
    ActedOn, AnswerKind, AuditAction, DecisionGround, TakedownAction, TakedownDecision,
    TakedownKind, TakedownStatus, Urgency, text,
};

/// An entry of a request's answer history, re-exported for the API layer.
pub use laporlapak_db::models::takedown_answer::TakedownAnswer;

mod change;
pub use change::{AnswerChange, history, report_change};

pub const REASONS_MIN: usize = 20;
pub const REASONS_MAX: usize = 5_000;
/// Clock skew tolerated on a platform's `actedAt`.
const FUTURE_LEEWAY_SECONDS: i64 = 60;

/// A platform's answer as its client sent it: the decision in the shape of the DSA Transparency
/// Database's statement of reasons, or — from older clients — only the coarse `action`.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// Deprecated: the coarse action older clients send instead of `decision`.
    pub action: Option<TakedownAction>,
    pub decision: Option<TakedownDecision>,
    pub acted_on: Option<ActedOn>,
    pub ground: Option<DecisionGround>,
    /// The law cited, or the clause of the platform's terms.
    pub ground_reference: Option<String>,
    /// ISO 3166-1 alpha-2 country codes.
    pub territory: Option<Vec<String>>,
    pub suspended_until: Option<NaiveDateTime>,
    pub automated_detection: Option<bool>,
    pub automated_decision: Option<bool>,
    pub platform_reference: Option<String>,
    pub statement_of_reasons: String,
    pub acted_at: Option<NaiveDateTime>,
}

/// Longest ground reference (a citation) and platform reference (the DSA allows 500).
pub const REFERENCE_MAX: usize = 500;
/// Most territories of one answer (there are 249 ISO 3166-1 codes).
pub const TERRITORIES_MAX: usize = 249;

/// A takedown request as its platform and the ministry's staff see it (it holds nothing about
/// any reporter).
#[derive(Debug, Clone)]
pub struct TakedownView {
    pub id: i64,
    pub case_id: i64,
    pub platform_id: i64,
    pub legal_basis: String,
    pub urgency: Urgency,
    /// The reviewer's note to the platform.
    pub note: Option<String>,
    pub status: TakedownStatus,
    pub issued_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub responded_at: Option<NaiveDateTime>,
    pub action: Option<TakedownAction>,
    pub statement_of_reasons: Option<String>,
    pub acted_at: Option<NaiveDateTime>,
    /// The last change: issue, acknowledgement or answer.
    pub updated_at: NaiveDateTime,
    /// Unanswered past `due_at` at the time of reading, or answered after it; never while an
    /// objection pauses the clock, nor once the request is withdrawn.
    pub overdue: bool,
    /// The earlier request whose removal this case re-lists.
    pub relisting_of_id: Option<i64>,
    /// The ministry's notice (the platform's committed time) or Komdigi's order (statutory).
    pub kind: TakedownKind,
    pub order_number: Option<String>,
    pub order_date: Option<String>,
    pub order_article: Option<String>,
    /// An objection is pending since then; the clock is stopped.
    pub paused_at: Option<NaiveDateTime>,
    /// The request was withdrawn then (an objection upheld).
    pub withdrawn_at: Option<NaiveDateTime>,
    /// A reporter found the removed listing still online then.
    pub disputed_at: Option<NaiveDateTime>,
    /// A reporter found the removed listing gone then.
    pub confirmed_at: Option<NaiveDateTime>,
}

impl TakedownView {
    pub(crate) fn new(row: TakedownRequest, now: NaiveDateTime) -> Self {
        let overdue = match (row.responded_at, row.paused_at, row.withdrawn_at) {
            (Some(responded), _, _) => responded > row.due_at,
            (None, None, None) => now > row.due_at,
            (None, _, _) => false,
        };
        Self {
            id: row.id,
            case_id: row.case_id,
            platform_id: row.platform_id,
            legal_basis: row.legal_basis,
            urgency: row.urgency,
            note: row.note,
            status: row.status,
            issued_at: row.issued_at,
            due_at: row.due_at,
            acknowledged_at: row.acknowledged_at,
            responded_at: row.responded_at,
            action: row.action,
            statement_of_reasons: row.statement_of_reasons,
            acted_at: row.acted_at,
            updated_at: row.updated_at,
            overdue,
            relisting_of_id: row.relisting_of_id,
            kind: row.kind,
            order_number: row.order_number,
            order_date: row.order_date,
            order_article: row.order_article,
            paused_at: row.paused_at,
            withdrawn_at: row.withdrawn_at,
            // To the hour: the platform reads these too, and a reporter's moment could be matched
            // with their activity.
            disputed_at: row.disputed_at.map(crate::complaint::opaque::coarse),
            confirmed_at: row.confirmed_at.map(crate::complaint::opaque::coarse),
        }
    }
}

/// Whose requests the viewer reads: a representative its own platform's, staff every platform's.
#[derive(Debug, Clone, Copy)]
enum Reader {
    Platform(PlatformRep),
    Staff,
}

fn reader(viewer: &Viewer) -> ServiceResult<Reader> {
    match (viewer.platform_rep(), viewer.staff()) {
        (Ok(rep), _) => Ok(Reader::Platform(rep)),
        (_, Some(_)) => Ok(Reader::Staff),
        (Err(refused), None) => Err(refused),
    }
}

impl Reader {
    fn may_read(self, request: &TakedownRequest) -> bool {
        match self {
            Self::Platform(rep) => request.platform_id == rep.platform_id(),
            Self::Staff => true,
        }
    }
}

/// A page of takedown requests, oldest due first.
pub async fn list(
    services: &Services,
    viewer: &Viewer,
    status: Option<TakedownStatus>,
    platform_slug: Option<String>,
    after: Option<(NaiveDateTime, i64)>,
    first: i64,
) -> ServiceResult<(Vec<TakedownView>, bool)> {
    let reader = reader(viewer)?;
    let now = services.clock.now();
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let platform_id = match (reader, platform_slug) {
                (Reader::Platform(rep), None) => Some(rep.platform_id()),
                (Reader::Platform(rep), Some(slug)) => {
                    // Its own platform is always known; any other slug shows nothing.
                    let asked = cache.get().platform_by_slug(&slug).map(|p| p.platform.id);
                    if asked != Some(rep.platform_id()) {
                        return Ok((Vec::new(), false));
                    }
                    Some(rep.platform_id())
                }
                (Reader::Staff, Some(slug)) => {
                    Some(cache.platform_id_named(conn, &slug, "platform")?)
                }
                (Reader::Staff, None) => None,
            };
            let mut page = TakedownRequest::page(conn, platform_id, status, after, first + 1)?;
            let has_more = crate::cut_page(&mut page, first);
            let page = page
                .into_iter()
                .map(|row| TakedownView::new(row, now))
                .collect();
            Ok((page, has_more))
        })
        .await
}

/// How many requests `list` (with `since`: `changed_since`) holds over every page
/// (`takedownRequests { totalCount }`).
pub async fn total(
    services: &Services,
    viewer: &Viewer,
    status: Option<TakedownStatus>,
    platform_slug: Option<String>,
    since: Option<NaiveDateTime>,
) -> ServiceResult<i64> {
    let reader = reader(viewer)?;
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            if let Some(since) = since {
                let platform_id = match reader {
                    Reader::Platform(rep) => Some(rep.platform_id()),
                    Reader::Staff => None,
                };
                return Ok(TakedownRequest::count_changed_since(
                    conn,
                    platform_id,
                    since,
                )?);
            }
            let platform_id = match (reader, platform_slug) {
                (Reader::Platform(rep), None) => Some(rep.platform_id()),
                (Reader::Platform(rep), Some(slug)) => {
                    let asked = cache.get().platform_by_slug(&slug).map(|p| p.platform.id);
                    if asked != Some(rep.platform_id()) {
                        return Ok(0);
                    }
                    Some(rep.platform_id())
                }
                (Reader::Staff, Some(slug)) => {
                    Some(cache.platform_id_named(conn, &slug, "platform")?)
                }
                (Reader::Staff, None) => None,
            };
            Ok(TakedownRequest::count(conn, platform_id, status)?)
        })
        .await
}

/// The changes feed: requests changed at or after `since`, in the order of their last change.
pub async fn changed_since(
    services: &Services,
    viewer: &Viewer,
    since: NaiveDateTime,
    after: Option<(NaiveDateTime, i64)>,
    first: i64,
) -> ServiceResult<(Vec<TakedownView>, bool)> {
    let reader = reader(viewer)?;
    let now = services.clock.now();
    services
        .db
        .run(move |conn| {
            let platform_id = match reader {
                Reader::Platform(rep) => Some(rep.platform_id()),
                Reader::Staff => None,
            };
            let mut page =
                TakedownRequest::changed_since(conn, platform_id, since, after, first + 1)?;
            let has_more = crate::cut_page(&mut page, first);
            Ok((
                page.into_iter()
                    .map(|row| TakedownView::new(row, now))
                    .collect(),
                has_more,
            ))
        })
        .await
}

pub async fn find_visible(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<Option<TakedownView>> {
    let Ok(reader) = reader(viewer) else {
        return Ok(None);
    };
    let now = services.clock.now();
    services
        .db
        .run(move |conn| {
            Ok(TakedownRequest::find(conn, id)?
                .filter(|r| reader.may_read(r))
                .map(|row| TakedownView::new(row, now)))
        })
        .await
}

/// The request `id` if it was sent to the representative's platform; NOT_FOUND otherwise.
pub(crate) fn own_request(
    conn: &mut DbConnection,
    rep: PlatformRep,
    id: i64,
) -> ServiceResult<TakedownRequest> {
    TakedownRequest::find(conn, id)?
        .filter(|r| r.platform_id == rep.platform_id())
        .ok_or(ServiceError::NotFound)
}

/// Records that the platform received the request. Idempotent: a second call changes nothing.
pub async fn acknowledge(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<TakedownView> {
    let rep = viewer.platform_rep()?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| acknowledge_one(conn, &viewer, rep, id, now))
        .await
}

fn acknowledge_one(
    conn: &mut DbConnection,
    viewer: &Viewer,
    rep: PlatformRep,
    id: i64,
    now: NaiveDateTime,
) -> ServiceResult<TakedownView> {
    let request = own_request(conn, rep, id)?;
    if TakedownRequest::acknowledge(conn, request.id, now)? {
        audit::record(
            conn,
            now,
            Actor::Viewer(viewer),
            NewEvent::new(
                AuditAction::TakedownAcknowledged,
                Subject::TakedownRequest(request.id),
            )
            .in_case(request.case_id),
        )?;
    }
    let row = TakedownRequest::find(conn, request.id)?.ok_or(ServiceError::NotFound)?;
    Ok(TakedownView::new(row, now))
}

/// Most items of one bulk call.
pub const BULK_MAX: usize = 100;

/// An answer checked for what needs no database: its shape, its reasons and its times.
struct CheckedAnswer {
    decision: TakedownDecision,
    acted_on: Option<ActedOn>,
    ground: Option<DecisionGround>,
    ground_reference: Option<String>,
    territory: Option<String>,
    suspended_until: Option<NaiveDateTime>,
    automated_detection: Option<bool>,
    automated_decision: Option<bool>,
    platform_reference: Option<String>,
    reasons: String,
    acted_at: Option<NaiveDateTime>,
}

fn check_answer(answer: Answer, now: NaiveDateTime, field: &str) -> ServiceResult<CheckedAnswer> {
    let at = |name: &str| format!("{field}.{name}");
    let structured = answer.decision.is_some();
    let decision = match (answer.decision, answer.action) {
        (Some(_), Some(_)) => {
            return Err(ServiceError::bad_input(
                at("decision"),
                Msg::ActionAndDecision,
            ));
        }
        (Some(decision), None) => decision,
        (None, Some(action)) => TakedownDecision::from_action(action),
        (None, None) => return Err(ServiceError::bad_input(at("decision"), Msg::Required)),
    };
    let not_for = |name: &str| ServiceError::bad_input(at(name), Msg::NotForDecision { decision });
    let acted_on = match (answer.acted_on, decision.on_account(), decision.acts()) {
        (Some(ActedOn::Content), true, _) => {
            return Err(ServiceError::bad_input(
                at("actedOn"),
                Msg::AccountDecisionOnContent,
            ));
        }
        (Some(_), _, false) => return Err(not_for("actedOn")),
        (_, true, _) => Some(ActedOn::Account),
        (Some(acted_on), false, true) => Some(acted_on),
        (None, false, true) => structured.then_some(ActedOn::Content),
        (None, false, false) => None,
    };
    let ground_reference = answer
        .ground_reference
        .as_deref()
        .map(|reference| text::single_line(reference, 2, REFERENCE_MAX))
        .transpose()
        .map_err(|reason| ServiceError::bad_input(at("groundReference"), reason))?;
    let ground = match (answer.ground, decision.acts()) {
        (Some(_), false) => return Err(not_for("ground")),
        (None, true) if structured || ground_reference.is_some() => {
            return Err(ServiceError::bad_input(at("ground"), Msg::Required));
        }
        (ground, _) => ground,
    };
    if ground.is_some() && ground_reference.is_none() {
        return Err(ServiceError::bad_input(
            at("groundReference"),
            Msg::Required,
        ));
    }
    let territory = match answer.territory {
        Some(codes) if !codes.is_empty() => {
            if !decision.acts() {
                return Err(not_for("territory"));
            }
            if codes.len() > TERRITORIES_MAX {
                return Err(ServiceError::bad_input(
                    at("territory"),
                    Msg::TooMany {
                        max: TERRITORIES_MAX,
                    },
                ));
            }
            let mut checked: Vec<&str> = Vec::with_capacity(codes.len());
            for code in &codes {
                if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(ServiceError::bad_input(
                        at("territory"),
                        Msg::InvalidTerritory,
                    ));
                }
                if !checked.contains(&code.as_str()) {
                    checked.push(code);
                }
            }
            Some(checked.join(","))
        }
        _ if decision == TakedownDecision::GeoBlocked && structured => {
            return Err(ServiceError::bad_input(
                at("territory"),
                Msg::TerritoryRequired,
            ));
        }
        _ => None,
    };
    let suspended_until = match (answer.suspended_until, decision) {
        (Some(until), TakedownDecision::AccountSuspended) => {
            if until <= now {
                return Err(ServiceError::bad_input(
                    at("suspendedUntil"),
                    Msg::SuspensionEndPast,
                ));
            }
            Some(until)
        }
        (Some(_), _) => return Err(not_for("suspendedUntil")),
        (None, TakedownDecision::AccountSuspended) => {
            return Err(ServiceError::bad_input(
                at("suspendedUntil"),
                Msg::SuspensionEndRequired,
            ));
        }
        (None, _) => None,
    };
    let platform_reference = answer
        .platform_reference
        .as_deref()
        .map(|reference| text::single_line(reference, 1, REFERENCE_MAX))
        .transpose()
        .map_err(|reason| ServiceError::bad_input(at("platformReference"), reason))?;
    let reasons = text::multi_line(&answer.statement_of_reasons, REASONS_MIN, REASONS_MAX)
        .map_err(|reason| ServiceError::bad_input(at("statementOfReasons"), reason))?;
    if let Some(acted_at) = answer.acted_at
        && acted_at > now + chrono::Duration::seconds(FUTURE_LEEWAY_SECONDS)
    {
        return Err(ServiceError::bad_input(at("actedAt"), Msg::ActedInFuture));
    }
    Ok(CheckedAnswer {
        decision,
        acted_on,
        ground,
        ground_reference,
        territory,
        suspended_until,
        automated_detection: answer.automated_detection,
        automated_decision: answer.automated_decision,
        platform_reference,
        reasons,
        acted_at: answer.acted_at,
    })
}

/// The platform's answer: once per request. A removal resolves the case, a refusal moves it to
/// PLATFORM_DECLINED (where a reviewer may escalate it), a request for more information sends it
/// back to review with the platform's statement on the timeline. Late answers are accepted and
/// recorded as late.
pub async fn respond(
    services: &Services,
    viewer: &Viewer,
    id: i64,
    answer: Answer,
) -> ServiceResult<TakedownView> {
    let rep = viewer.platform_rep()?;
    let answer = check_answer(answer, services.clock.now(), "input")?;
    let viewer = viewer.clone();
    let cache = services.reference.clone();
    let vault = services.vault.clone();
    services
        .write(move |conn, at| {
            apply_answer(conn, &cache, &vault, &viewer, rep, id, &answer, "input", at)
        })
        .await
}

/// One answer, inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
fn apply_answer(
    conn: &mut DbConnection,
    cache: &ReferenceCache,
    vault: &laporlapak_db::vault::Vault,
    viewer: &Viewer,
    rep: PlatformRep,
    id: i64,
    answer: &CheckedAnswer,
    field: &str,
    at: NaiveDateTime,
) -> ServiceResult<TakedownView> {
    let mut request = own_request(conn, rep, id)?;
    if request.withdrawn_at.is_some() {
        return Err(ServiceError::Conflict {
            reason: Msg::RequestWithdrawn,
            current_status: None,
        });
    }
    // An answer while an objection is pending ends the pause: the deadline moves on by the
    // paused time, as a rejection would have moved it (the objection stays to be decided).
    if request.paused_at.is_some() {
        request.due_at = TakedownRequest::resume(conn, &request, at)?;
    }
    let reasons = &answer.reasons;
    let acted_at = answer.acted_at.unwrap_or(at).min(at);
    if acted_at < request.issued_at {
        return Err(ServiceError::bad_input(
            format!("{field}.actedAt"),
            Msg::ActedBeforeIssued,
        ));
    }
    let action = answer.decision.action();
    if !TakedownRequest::answer(conn, request.id, action, reasons, acted_at, at)? {
        return Err(ServiceError::Conflict {
            reason: Msg::AlreadyAnswered,
            current_status: None,
        });
    }
    TakedownAnswer::insert(
        conn,
        &TakedownAnswer {
            id: 0,
            takedown_request_id: request.id,
            kind: AnswerKind::Answer,
            decision: Some(answer.decision),
            acted_on: answer.acted_on,
            ground: answer.ground,
            ground_reference: answer.ground_reference.clone(),
            territory: answer.territory.clone(),
            suspended_until: answer.suspended_until,
            automated_detection: answer.automated_detection,
            automated_decision: answer.automated_decision,
            platform_reference: answer.platform_reference.clone(),
            statement_of_reasons: reasons.clone(),
            effective_at: acted_at,
            recorded_at: at,
        },
    )?;
    let late = at > request.due_at;
    let details = format!(
        "{}{}: {reasons}",
        answer.decision.as_str(),
        if late { " (late)" } else { "" }
    );
    audit::record(
        conn,
        at,
        Actor::Viewer(viewer),
        NewEvent::new(
            AuditAction::TakedownAnswered,
            Subject::TakedownRequest(request.id),
        )
        .in_case(request.case_id)
        .details(&details),
    )?;
    let case = Case::find(conn, request.case_id)?.ok_or(ServiceError::NotFound)?;
    Case::set_takedown_due_at(conn, case.id, None)?;
    let Rule {
        from, to, action, ..
    } = Transition::for_answer(action).rule();
    // A case a reviewer already moved on (closed, say) keeps its status; the answer is
    // still recorded and counted.
    if from.contains(&case.status)
        && Case::transition(conn, case.id, case.version, case.status, to, at)?
    {
        audit::record(
            conn,
            at,
            Actor::Viewer(viewer),
            NewEvent::new(action, Subject::Case(case.id))
                .in_case(case.id)
                .status(to)
                .details(&details),
        )?;
    }
    let platform = crate::webhook::worker::platform_name(conn, cache, request.platform_id)?;
    let data = crate::mail::outbox::MailData {
        platform: Some(platform),
        decision: Some(answer.decision.as_str().to_owned()),
        statement: Some(reasons.clone()),
        ..Default::default()
    };
    let kind = laporlapak_domain::mail::MailKind::PlatformAnswer;
    crate::mail::outbox::to_case(conn, vault, case.id, kind, &data, at)?;
    // A removal counts in the record of the case's seller.
    if let Some(seller_id) = case.seller_id {
        crate::seller::recount(conn, cache, seller_id)?;
    }
    let row = TakedownRequest::find(conn, request.id)?.ok_or(ServiceError::NotFound)?;
    Ok(TakedownView::new(row, at))
}

/// A bulk call's outcome: every item applied, or none, with each refused item's error.
pub enum Bulk {
    Applied(Vec<TakedownView>),
    Refused(Vec<(usize, ServiceError)>),
}

/// Why a bulk transaction stops: refused items (rolled back), or a failure of the whole call.
enum BulkStop {
    Items(Vec<(usize, ServiceError)>),
    Failed(ServiceError),
}

impl From<diesel::result::Error> for BulkStop {
    fn from(error: diesel::result::Error) -> Self {
        Self::Failed(error.into())
    }
}

fn bulk_size(count: usize, field: &'static str) -> ServiceResult<()> {
    if count == 0 {
        return Err(ServiceError::bad_input(field, Msg::Required));
    }
    if count > BULK_MAX {
        return Err(ServiceError::bad_input(
            field,
            Msg::TooMany { max: BULK_MAX },
        ));
    }
    Ok(())
}

/// Runs `item` for every index in one transaction; any refused item rolls all of them back.
async fn bulk<F>(services: &Services, count: usize, item: F) -> ServiceResult<Bulk>
where
    F: Fn(&mut DbConnection, usize, NaiveDateTime) -> ServiceResult<TakedownView> + Send + 'static,
{
    let clock = services.clock.clone();
    let hub = services.live.clone();
    services
        .db
        .run(move |conn| {
            let now = clock.now();
            let outcome = crate::live::transaction(&hub, conn, |conn| {
                let mut applied = Vec::with_capacity(count);
                let mut refused = Vec::new();
                for index in 0..count {
                    match item(conn, index, now) {
                        Ok(view) => applied.push(view),
                        Err(
                            error @ (ServiceError::Internal(_) | ServiceError::Unavailable { .. }),
                        ) => {
                            return Err(BulkStop::Failed(error));
                        }
                        Err(error) => refused.push((index, error)),
                    }
                }
                if refused.is_empty() {
                    Ok(applied)
                } else {
                    Err(BulkStop::Items(refused))
                }
            });
            match outcome {
                Ok(applied) => Ok(Bulk::Applied(applied)),
                Err(BulkStop::Items(refused)) => Ok(Bulk::Refused(refused)),
                Err(BulkStop::Failed(error)) => Err(error),
            }
        })
        .await
}

/// The same request twice in one batch: every later occurrence is refused.
fn duplicates(ids: &[i64], field: &'static str) -> Vec<(usize, ServiceError)> {
    let mut seen = std::collections::HashSet::new();
    ids.iter()
        .enumerate()
        .filter(|(_, id)| !seen.insert(**id))
        .map(|(index, _)| {
            (
                index,
                ServiceError::bad_input(format!("{field}[{index}]"), Msg::DuplicateInBatch),
            )
        })
        .collect()
}

/// `respondToTakedownRequests`: 1 to 100 answers, all applied in one transaction, or — when any
/// is invalid — none, with each refused item's error and index (the DSA Transparency Database
/// API's rule).
pub async fn respond_many(
    services: &Services,
    viewer: &Viewer,
    answers: Vec<(i64, Answer)>,
) -> ServiceResult<Bulk> {
    let rep = viewer.platform_rep()?;
    bulk_size(answers.len(), "inputs")?;
    let now = services.clock.now();
    let ids: Vec<i64> = answers.iter().map(|(id, _)| *id).collect();
    let mut refused = duplicates(&ids, "inputs");
    let mut checked = Vec::with_capacity(answers.len());
    for (index, (id, answer)) in answers.into_iter().enumerate() {
        match check_answer(answer, now, &format!("inputs[{index}].answer")) {
            Ok(answer) => checked.push(Some((id, answer))),
            Err(error) => {
                refused.push((index, error));
                checked.push(None);
            }
        }
    }
    if !refused.is_empty() {
        refused.sort_by_key(|(index, _)| *index);
        return Ok(Bulk::Refused(refused));
    }
    let viewer = viewer.clone();
    let cache = services.reference.clone();
    let vault = services.vault.clone();
    let count = checked.len();
    let outcome = bulk(services, count, move |conn, index, at| {
        let Some(Some((id, answer))) = checked.get(index) else {
            return Err(ServiceError::NotFound);
        };
        let field = format!("inputs[{index}].answer");
        apply_answer(conn, &cache, &vault, &viewer, rep, *id, answer, &field, at)
    })
    .await?;
    Ok(outcome)
}

/// `acknowledgeTakedownRequests`: 1 to 100 acknowledgements, all or none (an already acknowledged
/// request is fine; another platform's, or an unknown one, refuses the batch).
pub async fn acknowledge_many(
    services: &Services,
    viewer: &Viewer,
    ids: Vec<i64>,
) -> ServiceResult<Bulk> {
    let rep = viewer.platform_rep()?;
    bulk_size(ids.len(), "ids")?;
    let refused = duplicates(&ids, "ids");
    if !refused.is_empty() {
        return Ok(Bulk::Refused(refused));
    }
    let viewer = viewer.clone();
    bulk(services, ids.len(), move |conn, index, at| {
        let id = ids.get(index).copied().ok_or(ServiceError::NotFound)?;
        acknowledge_one(conn, &viewer, rep, id, at)
    })
    .await
}

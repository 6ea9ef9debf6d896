//! Complaint intake: `submitComplaint` (signed in or anonymous, idempotent), the public status by
//! tracking code, a citizen's own complaints, adding evidence and withdrawing.
//!
//! Aggregation: every complaint joins the non-final case of its (platform, canonical target), or
//! opens one. The partial unique index on open targets decides races: the loser's whole
//! transaction is retried and finds the winner's case. Counts, flags and priority are recomputed
//! from the complaints in the same transaction, after the case row is locked by a version bump.

use chrono::NaiveDateTime;
use sha2::{Digest as _, Sha256};

use crate::auth::Viewer;
use crate::db::models::account::Account;
use crate::db::models::case::Case;
use crate::db::models::category::Category;
use crate::db::models::complaint::{Complaint, ComplaintInsertForm};
use crate::db::models::event::Event;
use crate::db::models::idempotency_key::{IdempotencyKey, IdempotencyKeyInsertForm};
use crate::db::models::keyword_rule::KeywordRule;
use crate::db::models::message::Message;
use crate::db::models::platform::{Platform, PlatformWithHosts};
use crate::db::{self, DbConnection};
use crate::domain::case::{PriorityInputs, priority};
use crate::domain::{
    CanonicalUrl, CaseStatus, Email, Province, Role, TargetKind, TrackingCode, UrlError, keywords,
    text,
};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Msg;
use crate::service::Services;
use crate::service::audit::{self, Actor, NewEvent, Subject};
use crate::service::limits::{self, ClientAddress};

pub const DESCRIPTION_MIN: usize = 20;
pub const DESCRIPTION_MAX: usize = 5_000;
pub const MAX_EVIDENCE_PER_REQUEST: usize = 10;
pub const MAX_EVIDENCE_PER_COMPLAINT: i64 = 30;
const IDEMPOTENCY_HOURS: i64 = 24;
/// Attempts of a submission transaction that lost a race (case opened, tracking code or
/// idempotency key taken by a concurrent transaction).
const MAX_ATTEMPTS: usize = 8;

/// `submitComplaint`'s input as the client sent it.
#[derive(Debug, Default, Clone)]
pub struct SubmitRequest {
    pub category: String,
    pub listing_url: String,
    pub platform: Option<String>,
    pub account_handle: Option<String>,
    pub description: String,
    pub province: Option<String>,
    pub city: Option<String>,
    pub evidence_urls: Vec<String>,
    pub anonymous: bool,
    pub contact_email: Option<String>,
    pub idempotency_key: Option<String>,
}

/// The same input, parsed.
struct Submission {
    category: String,
    listing_url: String,
    canonical: CanonicalUrl,
    platform: Option<String>,
    account_handle: Option<String>,
    description: String,
    province: Option<Province>,
    city: Option<String>,
    evidence_urls: Vec<String>,
    anonymous: bool,
    contact_email: Option<Email>,
    idempotency_key: Option<String>,
}

/// A complaint with what the API shows beside it.
#[derive(Debug, Clone)]
pub struct ComplaintView {
    pub complaint: Complaint,
    pub status: CaseStatus,
    pub category: Category,
    pub platform: PlatformWithHosts,
    pub evidence_urls: Vec<String>,
}

pub struct SubmitOutcome {
    pub complaint: ComplaintView,
    pub joined_existing_case: bool,
}

/// What anyone holding the tracking code may see: no personal data at all.
pub struct PublicComplaintView {
    pub tracking_code: String,
    pub status: CaseStatus,
    pub category: Category,
    pub platform: PlatformWithHosts,
    pub submitted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub timeline: Vec<PublicEventView>,
    /// Information requests to this complaint's reporters, and this complaint's replies.
    pub messages: Vec<Message>,
}

pub struct PublicEventView {
    pub status: CaseStatus,
    pub at: NaiveDateTime,
    pub action: String,
}

fn bad(field: impl Into<std::borrow::Cow<'static, str>>) -> impl FnOnce(Msg) -> ServiceError {
    move |reason| ServiceError::bad_input(field, reason)
}

fn url_error(error: UrlError) -> Msg {
    match error {
        UrlError::Empty => Msg::Required,
        UrlError::TooLong => Msg::TooLong {
            max: crate::domain::canonical_url::MAX_URL_LEN,
        },
        UrlError::ControlCharacter => Msg::ControlCharacters,
        UrlError::NotHttp => Msg::UrlNotHttp,
        UrlError::Invalid => Msg::UrlInvalid,
    }
}

/// An evidence link: any http(s) URL of at most 2,048 characters, kept as given.
pub fn parse_evidence_url(raw: &str) -> Result<String, Msg> {
    let value = text::single_line(raw, 1, crate::domain::canonical_url::MAX_URL_LEN)?;
    let url = url::Url::parse(&value).map_err(|_| Msg::UrlInvalid)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Msg::UrlNotHttp);
    }
    if url.host_str().is_none_or(str::is_empty) || value.chars().any(char::is_whitespace) {
        return Err(Msg::UrlInvalid);
    }
    Ok(value)
}

fn parse_evidence_list(urls: &[String], field: &'static str) -> ServiceResult<Vec<String>> {
    if urls.len() > MAX_EVIDENCE_PER_REQUEST {
        return Err(ServiceError::bad_input(
            field,
            Msg::TooMany {
                max: MAX_EVIDENCE_PER_REQUEST,
            },
        ));
    }
    let mut parsed: Vec<String> = Vec::with_capacity(urls.len());
    for (index, url) in urls.iter().enumerate() {
        let url = parse_evidence_url(url).map_err(bad(format!("{field}[{index}]")))?;
        if !parsed.contains(&url) {
            parsed.push(url);
        }
    }
    Ok(parsed)
}

fn optional_line(
    value: Option<&str>,
    max: usize,
    field: &'static str,
) -> ServiceResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => text::single_line(v, 1, max).map(Some).map_err(bad(field)),
        None => Ok(None),
    }
}

impl SubmitRequest {
    fn parse(&self) -> ServiceResult<Submission> {
        let category = text::single_line(&self.category, 1, 64).map_err(bad("input.category"))?;
        let listing_url = text::single_line(
            &self.listing_url,
            1,
            crate::domain::canonical_url::MAX_URL_LEN,
        )
        .map_err(bad("input.listingUrl"))?;
        let canonical = CanonicalUrl::parse(&listing_url)
            .map_err(|e| ServiceError::bad_input("input.listingUrl", url_error(e)))?;
        let platform = optional_line(self.platform.as_deref(), 64, "input.platform")?
            .map(|slug| slug.to_lowercase());
        let account_handle =
            optional_line(self.account_handle.as_deref(), 100, "input.accountHandle")?;
        let description = text::multi_line(&self.description, DESCRIPTION_MIN, DESCRIPTION_MAX)
            .map_err(bad("input.description"))?;
        let province =
            match optional_line(self.province.as_deref(), 100, "input.province")? {
                Some(name) => Some(Province::parse(&name).ok_or_else(|| {
                    ServiceError::bad_input("input.province", Msg::UnknownProvince)
                })?),
                None => None,
            };
        let city = optional_line(self.city.as_deref(), 100, "input.city")?;
        let evidence_urls = parse_evidence_list(&self.evidence_urls, "input.evidenceUrls")?;
        let contact_email = match self.contact_email.as_deref().map(str::trim) {
            Some(email) if !email.is_empty() => {
                Some(Email::parse(email).map_err(bad("input.contactEmail"))?)
            }
            _ => None,
        };
        let idempotency_key =
            optional_line(self.idempotency_key.as_deref(), 128, "input.idempotencyKey")?;
        Ok(Submission {
            category,
            listing_url,
            canonical,
            platform,
            account_handle,
            description,
            province,
            city,
            evidence_urls,
            anonymous: self.anonymous,
            contact_email,
            idempotency_key,
        })
    }
}

impl Submission {
    /// A digest of everything that makes two submissions "the same request".
    fn request_hash(&self) -> String {
        let canonical = serde_json::json!({
            "category": self.category,
            "listingUrl": self.listing_url,
            "platform": self.platform,
            "accountHandle": self.account_handle,
            "description": self.description,
            "province": self.province.map(Province::name),
            "city": self.city,
            "evidenceUrls": self.evidence_urls,
            "anonymous": self.anonymous,
            "contactEmail": self.contact_email.as_ref().map(Email::as_str),
        });
        let digest = Sha256::digest(canonical.to_string().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A transaction attempt either finishes, fails, or lost a race and must start again.
enum TxError {
    Service(ServiceError),
    Retry,
}

impl From<diesel::result::Error> for TxError {
    fn from(error: diesel::result::Error) -> Self {
        if db::is_unique_violation(&error) {
            Self::Retry
        } else {
            Self::Service(error.into())
        }
    }
}

impl From<ServiceError> for TxError {
    fn from(error: ServiceError) -> Self {
        Self::Service(error)
    }
}

/// Runs `attempt` in a write transaction, again from the start when it lost a race.
fn with_retries<T>(
    conn: &mut DbConnection,
    mut attempt: impl FnMut(&mut DbConnection) -> Result<T, TxError>,
) -> ServiceResult<T> {
    for _ in 0..MAX_ATTEMPTS {
        match db::write_transaction(conn, |conn| attempt(conn)) {
            Ok(value) => return Ok(value),
            Err(TxError::Service(error)) => return Err(error),
            Err(TxError::Retry) => {}
        }
    }
    Err(ServiceError::Internal(
        "submission kept losing races; giving up".to_owned(),
    ))
}

pub async fn submit(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    request: SubmitRequest,
) -> ServiceResult<SubmitOutcome> {
    if let Some(account) = viewer.account()
        && account.role != Role::Citizen
    {
        return Err(ServiceError::Forbidden);
    }
    let submission = request.parse()?;
    match viewer.account() {
        Some(account) => {
            let key = account.account_id.to_string();
            limits::check(services, limits::SUBMISSIONS_PER_ACCOUNT, &key).await?;
        }
        None => {
            limits::check_address(services, limits::ANONYMOUS_SUBMISSIONS_PER_ADDRESS, address)
                .await?;
        }
    }
    let viewer = viewer.clone();
    services
        .db
        .run(move |conn| {
            let outcome = with_retries(conn, |conn| submit_once(conn, &viewer, &submission))?;
            let (complaint_id, joined_existing_case) = outcome;
            let complaint = Complaint::find(conn, complaint_id)?.ok_or(ServiceError::NotFound)?;
            let mut views = load_views(conn, vec![complaint])?;
            let complaint = views.pop().ok_or(ServiceError::NotFound)?;
            Ok(SubmitOutcome {
                complaint,
                joined_existing_case,
            })
        })
        .await
}

fn idempotency_scope(viewer: &Viewer, submission: &Submission) -> String {
    match (viewer.account(), &submission.contact_email) {
        (Some(account), _) => format!("account:{}", account.account_id),
        (None, Some(email)) => format!("email:{}", email.as_str()),
        (None, None) => "anonymous".to_owned(),
    }
}

/// The platform the URL belongs to, checked against the one the reporter named.
fn resolve_platform(
    platforms: Vec<PlatformWithHosts>,
    canonical: &CanonicalUrl,
    named: Option<&str>,
) -> ServiceResult<PlatformWithHosts> {
    let detected = platforms
        .iter()
        .position(|p| p.hosts.iter().any(|host| canonical.belongs_to(host)));
    match named {
        Some(slug) => {
            let index = platforms
                .iter()
                .position(|p| p.platform.slug == slug)
                .ok_or_else(|| ServiceError::bad_input("input.platform", Msg::UnknownPlatform))?;
            if detected != Some(index) {
                return Err(ServiceError::bad_input(
                    "input.listingUrl",
                    Msg::UrlPlatformMismatch {
                        platform: platforms[index].platform.name.clone(),
                    },
                ));
            }
            Ok(platforms
                .into_iter()
                .nth(index)
                .ok_or(ServiceError::NotFound)?)
        }
        None => detected
            .and_then(|index| platforms.into_iter().nth(index))
            .ok_or_else(|| ServiceError::bad_input("input.listingUrl", Msg::UnknownPlatformHost)),
    }
}

fn target_kind(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Listing => "LISTING",
        TargetKind::Account => "ACCOUNT",
        TargetKind::Other => "OTHER",
    }
}

/// One attempt at a submission; returns the complaint id and whether it joined an existing case.
fn submit_once(
    conn: &mut DbConnection,
    viewer: &Viewer,
    submission: &Submission,
) -> Result<(i64, bool), TxError> {
    let now = db::now();
    let request_hash = submission.request_hash();
    let scope = idempotency_scope(viewer, submission);
    if let Some(key) = &submission.idempotency_key
        && let Some(existing) = IdempotencyKey::find_live(conn, &scope, key, now)?
    {
        return if existing.request_hash == request_hash {
            Ok((existing.complaint_id, existing.joined_existing_case))
        } else {
            Err(ServiceError::conflict(Msg::IdempotencyKeyReused).into())
        };
    }

    let category = Category::find_by_code(conn, &submission.category)?
        .filter(|c| c.active)
        .ok_or_else(|| ServiceError::bad_input("input.category", Msg::UnknownCategory))?;
    let platform = resolve_platform(
        Platform::list_with_hosts(conn, false)?,
        &submission.canonical,
        submission.platform.as_deref(),
    )?;
    let rules = KeywordRule::active_phrases(conn)?;
    let mut texts = vec![
        submission.description.as_str(),
        submission.listing_url.as_str(),
    ];
    if let Some(handle) = &submission.account_handle {
        texts.push(handle);
    }
    let flags = keywords::matching(&rules, &texts).join("\n");
    let reporter = match viewer.account() {
        Some(account) => Some(
            Account::find(conn, account.account_id)?
                .ok_or(TxError::Service(ServiceError::InvalidToken))?,
        ),
        None => None,
    };
    let reporter_umkm = reporter.as_ref().is_some_and(|a| a.umkm_nib.is_some());
    let target = submission.canonical.as_str();

    let (case_id, joined) = match Case::find_open_for_target(conn, platform.platform.id, target)? {
        Some(case) if Case::lock_if_open(conn, case.id, now)? => (case.id, true),
        // It became final between the two statements: start again and open a new case.
        Some(_) => return Err(TxError::Retry),
        None => {
            let id = Case::insert(
                conn,
                &crate::db::models::case::CaseInsertForm {
                    platform_id: platform.platform.id,
                    category_id: category.id,
                    target,
                    target_kind: target_kind(submission.canonical.kind()),
                    status: CaseStatus::Open.as_str(),
                    created_at: now,
                    updated_at: now,
                },
            )?;
            (id, false)
        }
    };

    let tracking_code =
        TrackingCode::generate().map_err(|e| ServiceError::Internal(format!("random: {e}")))?;
    let complaint_id = Complaint::insert(
        conn,
        &ComplaintInsertForm {
            tracking_code: tracking_code.as_str(),
            case_id,
            category_id: category.id,
            platform_id: platform.platform.id,
            listing_url: &submission.listing_url,
            canonical_url: target,
            account_handle: submission.account_handle.as_deref(),
            description: &submission.description,
            province: submission.province.map(Province::name),
            city: submission.city.as_deref(),
            anonymous: submission.anonymous,
            reporter_account_id: reporter.as_ref().map(|a| a.id),
            reporter_umkm,
            contact_email: submission.contact_email.as_ref().map(Email::as_str),
            flags: &flags,
            created_at: now,
        },
    )?;
    Complaint::add_evidence(conn, complaint_id, &submission.evidence_urls, now)?;
    let status = refresh_case(conn, case_id)?;

    if let Some(key) = &submission.idempotency_key {
        IdempotencyKey::insert(
            conn,
            &IdempotencyKeyInsertForm {
                scope: &scope,
                idempotency_key: key,
                request_hash: &request_hash,
                complaint_id,
                joined_existing_case: joined,
                created_at: now,
                expires_at: now + chrono::Duration::hours(IDEMPOTENCY_HOURS),
            },
        )?;
    }
    audit::record(
        conn,
        Actor::Viewer(viewer),
        NewEvent::new("complaint.submitted", Subject::Complaint(complaint_id))
            .in_case(case_id)
            .status(status)
            .details(if joined {
                "joined existing case"
            } else {
                "opened case"
            }),
    )?;
    Ok((complaint_id, joined))
}

/// Recomputes a case's counts, flags and priority from its complaints that still count; returns
/// its status. Call with the case row locked (after a version bump or a transition).
pub fn refresh_case(conn: &mut DbConnection, case_id: i64) -> ServiceResult<CaseStatus> {
    let case = Case::find(conn, case_id)?.ok_or(ServiceError::NotFound)?;
    let counts = Case::reporter_counts(conn, case_id)?;
    let mut flags: Vec<String> = Case::complaint_flags(conn, case_id)?
        .iter()
        .flat_map(|f| f.lines().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    flags.sort();
    flags.dedup();
    let severity = Category::find(conn, case.category_id)?.map_or(1, |c| c.severity);
    let priority = priority(PriorityInputs {
        reporters: u32::try_from(counts.reporters).unwrap_or(u32::MAX),
        umkm_reporters: u32::try_from(counts.umkm_reporters).unwrap_or(u32::MAX),
        severity: u32::try_from(severity).unwrap_or(1),
        flags: u32::try_from(flags.len()).unwrap_or(u32::MAX),
    });
    Case::update_stats(conn, case_id, counts, &flags.join("\n"), priority)?;
    Ok(case.status())
}

/// Complaints with their case status, category, platform and evidence, in as few queries as the
/// number of tables involved.
pub fn load_views(
    conn: &mut DbConnection,
    complaints: Vec<Complaint>,
) -> ServiceResult<Vec<ComplaintView>> {
    let ids: Vec<i64> = complaints.iter().map(|c| c.id).collect();
    let mut case_ids: Vec<i64> = complaints.iter().map(|c| c.case_id).collect();
    case_ids.sort_unstable();
    case_ids.dedup();
    let cases = Case::find_many(conn, &case_ids)?;
    let categories = Category::list_all(conn)?;
    let platforms = Platform::list_with_hosts(conn, true)?;
    let evidence = Complaint::evidence_for(conn, &ids)?;
    complaints
        .into_iter()
        .map(|complaint| {
            let status = cases
                .iter()
                .find(|c| c.id == complaint.case_id)
                .map_or(CaseStatus::Open, Case::status);
            let category = categories
                .iter()
                .find(|c| c.id == complaint.category_id)
                .cloned()
                .ok_or_else(|| ServiceError::Internal("complaint without category".to_owned()))?;
            let platform = platforms
                .iter()
                .find(|p| p.platform.id == complaint.platform_id)
                .cloned()
                .ok_or_else(|| ServiceError::Internal("complaint without platform".to_owned()))?;
            let evidence_urls = evidence
                .iter()
                .filter(|(id, _)| *id == complaint.id)
                .map(|(_, url)| url.clone())
                .collect();
            Ok(ComplaintView {
                complaint,
                status,
                category,
                platform,
                evidence_urls,
            })
        })
        .collect()
}

/// The public status of a complaint by its tracking code; `None` for an unknown code.
pub async fn public_status(
    services: &Services,
    address: ClientAddress,
    code: &str,
) -> ServiceResult<Option<PublicComplaintView>> {
    limits::check_address(services, limits::TRACKING_CODE_USES_PER_ADDRESS, address).await?;
    let Some(code) = TrackingCode::parse(code) else {
        return Ok(None);
    };
    services
        .db
        .run(move |conn| {
            let Some(complaint) = Complaint::find_by_tracking_code(conn, code.as_str())? else {
                return Ok(None);
            };
            let case = Case::find(conn, complaint.case_id)?.ok_or(ServiceError::NotFound)?;
            let own_events = Event::for_subject(conn, "complaint", complaint.id)?;
            let submitted_event = own_events.first().map_or(0, |e| e.id);
            let case_events = Event::case_status_changes(conn, case.id, complaint.created_at)?;
            let mut timeline: Vec<PublicEventView> = own_events
                .into_iter()
                .chain(
                    case_events
                        .into_iter()
                        .filter(|e| e.id > submitted_event && e.subject_type == "case"),
                )
                .filter_map(|event| {
                    let status = CaseStatus::parse(event.case_status.as_deref()?)?;
                    Some((
                        event.id,
                        PublicEventView {
                            status,
                            at: event.at,
                            action: event.action,
                        },
                    ))
                })
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_values()
                .collect();
            timeline.dedup_by(|b, a| a.status == b.status && a.action == b.action);
            let updated_at = timeline.last().map_or(complaint.created_at, |e| e.at);
            let messages = Message::for_complaint(conn, complaint.case_id, complaint.id)?;
            let mut view = load_views(conn, vec![complaint])?;
            let view = view.pop().ok_or(ServiceError::NotFound)?;
            Ok(Some(PublicComplaintView {
                tracking_code: view.complaint.tracking_code,
                status: case.status(),
                category: view.category,
                platform: view.platform,
                submitted_at: view.complaint.created_at,
                updated_at,
                timeline,
                messages,
            }))
        })
        .await
}

/// A page of the viewer's own complaints, newest first. Returns the page, whether more follow,
/// and the total.
pub async fn my_complaints(
    services: &Services,
    viewer: &Viewer,
    before_id: Option<i64>,
    first: i64,
) -> ServiceResult<(Vec<ComplaintView>, bool, i64)> {
    let account = viewer.require_role(&[Role::Citizen])?.account_id;
    services
        .db
        .run(move |conn| {
            let mut page = Complaint::page_for_reporter(conn, account, before_id, first + 1)?;
            let has_more = page.len() > usize::try_from(first).unwrap_or(usize::MAX);
            page.truncate(usize::try_from(first).unwrap_or(0));
            let total = Complaint::count_for_reporter(conn, account)?;
            Ok((load_views(conn, page)?, has_more, total))
        })
        .await
}

/// The viewer's own complaint, locked with its case for a change; NOT_FOUND for anyone else's.
fn own_complaint_for_change(
    conn: &mut DbConnection,
    viewer: &Viewer,
    complaint_id: i64,
) -> ServiceResult<(Complaint, Case)> {
    let account = viewer.require_role(&[Role::Citizen])?.account_id;
    let complaint = Complaint::find(conn, complaint_id)?
        .filter(|c| c.reporter_account_id == Some(account))
        .ok_or(ServiceError::NotFound)?;
    if complaint.withdrawn_at.is_some() {
        return Err(ServiceError::conflict(Msg::AlreadyWithdrawn));
    }
    let case = Case::find(conn, complaint.case_id)?.ok_or(ServiceError::NotFound)?;
    if !Case::lock_if_open(conn, case.id, db::now())? {
        let status = case.status();
        return Err(ServiceError::Conflict {
            reason: Msg::CaseIsFinal {
                status: status.as_str(),
            },
            current_status: Some(status.as_str()),
        });
    }
    let case = Case::find(conn, case.id)?.ok_or(ServiceError::NotFound)?;
    Ok((complaint, case))
}

pub async fn add_evidence(
    services: &Services,
    viewer: &Viewer,
    complaint_id: i64,
    urls: Vec<String>,
) -> ServiceResult<ComplaintView> {
    viewer.require_role(&[Role::Citizen])?;
    if urls.is_empty() {
        return Err(ServiceError::bad_input("urls", Msg::Required));
    }
    let urls = parse_evidence_list(&urls, "urls")?;
    let viewer = viewer.clone();
    services
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let (complaint, case) = own_complaint_for_change(conn, &viewer, complaint_id)?;
                let existing = Complaint::evidence_count(conn, complaint.id)?;
                let room = MAX_EVIDENCE_PER_COMPLAINT - existing;
                if i64::try_from(urls.len()).unwrap_or(i64::MAX) > room {
                    return Err(ServiceError::bad_input(
                        "urls",
                        Msg::TooMany {
                            max: usize::try_from(MAX_EVIDENCE_PER_COMPLAINT).unwrap_or(0),
                        },
                    ));
                }
                Complaint::add_evidence(conn, complaint.id, &urls, db::now())?;
                let count = urls.len().to_string();
                audit::record(
                    conn,
                    Actor::Viewer(&viewer),
                    NewEvent::new("complaint.evidence_added", Subject::Complaint(complaint.id))
                        .in_case(case.id)
                        .details(&count),
                )?;
                let mut views = load_views(conn, vec![complaint])?;
                views.pop().ok_or(ServiceError::NotFound)
            })
        })
        .await
}

/// Withdraws the viewer's complaint: it stops counting, and a case left without complaints that
/// count closes itself.
pub async fn withdraw(
    services: &Services,
    viewer: &Viewer,
    complaint_id: i64,
) -> ServiceResult<ComplaintView> {
    viewer.require_role(&[Role::Citizen])?;
    let viewer = viewer.clone();
    services
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                let (complaint, case) = own_complaint_for_change(conn, &viewer, complaint_id)?;
                let now = db::now();
                Complaint::withdraw(conn, complaint.id, now)?;
                refresh_case(conn, case.id)?;
                let remaining = Case::reporter_counts(conn, case.id)?.complaints;
                let mut status = case.status();
                if remaining == 0
                    && Case::transition(
                        conn,
                        case.id,
                        case.version,
                        status,
                        CaseStatus::Closed,
                        now,
                    )?
                {
                    status = CaseStatus::Closed;
                }
                audit::record(
                    conn,
                    Actor::Viewer(&viewer),
                    NewEvent::new("complaint.withdrawn", Subject::Complaint(complaint.id))
                        .in_case(case.id)
                        .status(status),
                )?;
                if status == CaseStatus::Closed {
                    audit::record(
                        conn,
                        Actor::Viewer(&viewer),
                        NewEvent::new("case.closed", Subject::Case(case.id))
                            .in_case(case.id)
                            .status(CaseStatus::Closed)
                            .details("every complaint was withdrawn"),
                    )?;
                }
                let complaint =
                    Complaint::find(conn, complaint.id)?.ok_or(ServiceError::NotFound)?;
                let mut views = load_views(conn, vec![complaint])?;
                views.pop().ok_or(ServiceError::NotFound)
            })
        })
        .await
}

/// Housekeeping for expired idempotency keys; cheap, run now and then.
pub async fn purge_expired_idempotency_keys(services: &Services) -> ServiceResult<usize> {
    services
        .db
        .run(|conn| Ok(IdempotencyKey::purge_expired(conn, db::now())?))
        .await
}

/// Whether the viewer may see this complaint at all: its reporter, reviewers and admins.
fn may_see(viewer: &Viewer, complaint: &Complaint) -> bool {
    match viewer.account() {
        Some(account) => match account.role {
            Role::Citizen => complaint.reporter_account_id == Some(account.account_id),
            Role::Reviewer | Role::Admin => true,
            Role::Platform => false,
        },
        None => false,
    }
}

/// A complaint by id, or `None` when it does not exist or lies outside the viewer's scope.
pub async fn find_visible(
    services: &Services,
    viewer: &Viewer,
    complaint_id: i64,
) -> ServiceResult<Option<ComplaintView>> {
    let viewer = viewer.clone();
    services
        .db
        .run(move |conn| {
            match Complaint::find(conn, complaint_id)?.filter(|c| may_see(&viewer, c)) {
                Some(complaint) => Ok(load_views(conn, vec![complaint])?.pop()),
                None => Ok(None),
            }
        })
        .await
}

/// The reporter's account as this viewer may see it: the reporter sees itself; reviewers and
/// admins see it unless the reporter chose anonymity; a platform never does.
pub async fn reporter_of(
    services: &Services,
    viewer: &Viewer,
    complaint: &Complaint,
) -> ServiceResult<Option<Account>> {
    let Some(reporter_id) = complaint.reporter_account_id else {
        return Ok(None);
    };
    let visible = match viewer.account() {
        Some(account) => match account.role {
            Role::Citizen => account.account_id == reporter_id,
            Role::Reviewer | Role::Admin => !complaint.anonymous,
            Role::Platform => false,
        },
        None => false,
    };
    if !visible {
        return Ok(None);
    }
    services
        .db
        .run(move |conn| Ok(Account::find(conn, reporter_id)?))
        .await
}

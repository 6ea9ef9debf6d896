//! Personal data protection (UU 27/2022 PDP): what a citizen can ask of the ministry as
//! controller, and the controller's own duties.
//!
//! * Access and portability: [`my_data`] gathers everything held about the caller in one answer
//!   (the account, every complaint with its public status, thread and files, the consent given,
//!   and the access log); `laporlapak pdp export --email` gives the same for a request by letter.
//! * Correction: [`update_my_profile`]; erasure: [`delete_my_account`] and, for anonymous
//!   reporters, [`erase_contact_by_tracking_code`]. Complaints stay (a case may be under legal
//!   process) but lose every link to the person.
//! * Accountability: every read of a citizen's identity by staff is an audit event
//!   ([`record_identity_read`]), shown to the citizen as the role and purpose, never the name.
//! * Retention: [`retention`]; encryption at rest and key rotation: `laporlapak_db::vault` and [`keys`].

pub mod keys;
pub mod ledger;
pub mod retention;

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::Services;
use crate::account::{AccountView, SealedEmail};
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::complaint::view::{self, ComplaintView, Reader};
use crate::error::{ServiceError, ServiceResult};
use crate::limits::{self, ClientAddress};
use crate::viewer::Viewer;
use laporlapak_db::DbConnection;
use laporlapak_db::models::account::{Account, AccountIdentityChange};
use laporlapak_db::models::complaint::Complaint;
use laporlapak_db::models::event::Event;
use laporlapak_db::models::rate_limit::RateLimit;
use laporlapak_db::models::seller::SellerIdentifier;
use laporlapak_db::vault::Field;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{ActorRole, AuditAction, DisplayName, Email, Nib, Role, TrackingCode};

/// The version of the privacy notice served at `/privacy`. Change it whenever the notice's
/// substance changes: registration records the version each person accepted.
pub const NOTICE_VERSION: &str = "2026-11-30";

/// Most complaints one export lists (newest first); a person with more is told to ask by letter.
pub const EXPORT_MAX_COMPLAINTS: i64 = 5_000;
/// Most access-log entries one export lists (newest first).
pub const EXPORT_MAX_ACCESS_LOG: i64 = 5_000;

/// The notice version a registration records: the current one, and only it.
pub fn accepted_notice(given: Option<&str>) -> ServiceResult<&'static str> {
    match given.map(str::trim) {
        None => Ok(NOTICE_VERSION),
        Some(version) if version == NOTICE_VERSION => Ok(NOTICE_VERSION),
        Some(_) => Err(ServiceError::bad_input(
            "input.privacyNoticeVersion",
            Msg::PrivacyNoticeOutdated,
        )),
    }
}

/// In what capacity staff read a citizen's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityRead {
    /// An administrator looked the account up.
    Account,
    /// A reviewer or administrator read the reporter of a complaint in a case.
    Reporter { case_id: i64 },
    /// The operator exported the citizen's data (`laporlapak pdp export`).
    Export,
}

impl IdentityRead {
    const fn purpose(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Reporter { .. } => "reporter",
            Self::Export => "export",
        }
    }
}

/// Records that `viewer` (staff) read the identity of the citizen `account_id`. Runs inside the
/// transaction of the read, so an identity never leaves without its record.
pub(crate) fn record_identity_read(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    viewer: &Viewer,
    account_id: i64,
    read: IdentityRead,
) -> QueryResult<()> {
    record_read_as(conn, now, Actor::Viewer(viewer), account_id, read)
}

fn record_read_as(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: Actor<'_>,
    account_id: i64,
    read: IdentityRead,
) -> QueryResult<()> {
    let mut event = NewEvent::new(
        AuditAction::PersonalDataViewed,
        Subject::Account(account_id),
    )
    .details(read.purpose());
    if let IdentityRead::Reporter { case_id } = read {
        event = event.in_case(case_id);
    }
    audit::record(conn, now, actor, event)
}

/// One read of the citizen's identity by staff, as the citizen sees it: when, by which role, for
/// what — never by whom.
#[derive(Debug, Clone)]
pub struct IdentityAccess {
    pub at: NaiveDateTime,
    pub role: Option<ActorRole>,
    /// `reporter`, `account` or `export`.
    pub purpose: String,
    /// The case, when the identity was read as a complaint's reporter.
    pub case_id: Option<i64>,
}

/// A seller identifier read from the citizen's own words (a complaint's description, the seller
/// details of a reply): held about the seller, but derived from what the person wrote.
#[derive(Debug, Clone)]
pub struct DerivedIdentifier {
    pub kind: laporlapak_domain::seller::IdentifierKind,
    pub value: String,
    pub source: laporlapak_domain::seller::IdentifierSource,
    pub complaint_id: Option<i64>,
    pub at: NaiveDateTime,
}

/// Something the citizen did, as the audit trail recorded it.
#[derive(Debug, Clone)]
pub struct OwnAction {
    pub at: NaiveDateTime,
    pub action: AuditAction,
    pub case_id: Option<i64>,
    pub details: Option<String>,
}

/// Everything held about a citizen.
#[derive(Debug, Clone)]
pub struct PersonalData {
    /// Seller identifiers read from the citizen's words, oldest first.
    pub identifiers: Vec<DerivedIdentifier>,
    /// Audit events where the citizen acted, newest first, at most [`EXPORT_MAX_ACCESS_LOG`].
    pub actions: Vec<OwnAction>,
    pub account: AccountView,
    /// Newest first, at most [`EXPORT_MAX_COMPLAINTS`].
    pub complaints: Vec<ComplaintView>,
    /// Whether there were more complaints than listed.
    pub complaints_truncated: bool,
    /// Newest first, at most [`EXPORT_MAX_ACCESS_LOG`].
    pub access_log: Vec<IdentityAccess>,
    pub generated_at: NaiveDateTime,
}

/// `myData`: the signed-in citizen's own data. Only ever the caller's: there is no argument that
/// could name another account.
pub async fn my_data(services: &Services, viewer: &Viewer) -> ServiceResult<PersonalData> {
    let account_id = viewer.citizen()?.account_id();
    gather(services, account_id, None).await
}

/// `laporlapak pdp export --email`: the data of the citizen with that e-mail, for a request that
/// arrived by letter. The export itself is recorded in the citizen's access log.
pub async fn export_by_email(services: &Services, email: &str) -> ServiceResult<PersonalData> {
    let email = Email::parse(email).map_err(|reason| ServiceError::bad_input("email", reason))?;
    let indexes = services.vault.email_indexes(email.as_str());
    let account = services
        .db
        .run(move |conn| Ok::<_, ServiceError>(Account::find_by_email_index(conn, &indexes)?))
        .await?
        .filter(|account| account.role == Role::Citizen)
        .ok_or(ServiceError::NotFound)?;
    gather(services, account.id, Some(IdentityRead::Export)).await
}

async fn gather(
    services: &Services,
    account_id: i64,
    recorded_as: Option<IdentityRead>,
) -> ServiceResult<PersonalData> {
    let vault = services.vault.clone();
    let reference = services.reference.clone();
    services
        .write(move |conn, now| {
            let account = Account::find(conn, account_id)?.ok_or(ServiceError::NotFound)?;
            if let Some(read) = recorded_as {
                record_read_as(conn, now, Actor::CommandLine, account_id, read)?;
            }
            let mut rows =
                Complaint::page_for_reporter(conn, account_id, None, EXPORT_MAX_COMPLAINTS + 1)?;
            let complaints_truncated = crate::cut_page(&mut rows, EXPORT_MAX_COMPLAINTS);
            let complaints = view::load(conn, &reference, rows)?
                .into_iter()
                .map(|loaded| loaded.into_view(Reader::Reporter))
                .collect();
            let access_log = Event::about_account(
                conn,
                account_id,
                AuditAction::PersonalDataViewed,
                EXPORT_MAX_ACCESS_LOG,
            )?
            .into_iter()
            .map(|event| IdentityAccess {
                at: event.at,
                role: event.actor_role,
                purpose: event.details.unwrap_or_default(),
                case_id: event.case_id,
            })
            .collect();
            let own = Complaint::ids_for_reporter(conn, account_id)?;
            let identifiers = SellerIdentifier::from_reporters_words(conn, &own)?
                .into_iter()
                .map(|row| DerivedIdentifier {
                    kind: row.kind,
                    value: row.value,
                    source: row.source,
                    complaint_id: row.complaint_id,
                    at: row.created_at,
                })
                .collect();
            let actions = Event::by_actor(conn, account_id, EXPORT_MAX_ACCESS_LOG)?
                .into_iter()
                .map(|event| OwnAction {
                    at: event.at,
                    action: event.action,
                    case_id: event.case_id,
                    details: event.details,
                })
                .collect();
            Ok(PersonalData {
                identifiers,
                actions,
                account: AccountView::open(&vault, account)?,
                complaints,
                complaints_truncated,
                access_log,
                generated_at: now,
            })
        })
        .await
}

/// A correction of the caller's own identifying data. `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct ProfileChange {
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub umkm: Option<crate::account::UmkmRequest>,
    /// Withdraws the UMKM declaration (its NIB and business name are erased).
    pub remove_umkm: bool,
    /// The current password: required to change the sign-in e-mail.
    pub current_password: Option<String>,
}

/// `updateMyProfile`: a citizen corrects its name, e-mail or UMKM data (audited, naming only the
/// fields changed).
pub async fn update_my_profile(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    change: ProfileChange,
) -> ServiceResult<AccountView> {
    let account_id = viewer.citizen()?.account_id();
    let field = |name: &'static str| move |reason| ServiceError::bad_input(name, reason);
    let display_name = change
        .display_name
        .as_deref()
        .map(DisplayName::parse)
        .transpose()
        .map_err(field("input.displayName"))?;
    let email = change
        .email
        .as_deref()
        .map(Email::parse)
        .transpose()
        .map_err(field("input.email"))?;
    let umkm = match &change.umkm {
        Some(umkm) => Some((
            Nib::parse(&umkm.nib).map_err(field("input.umkm.nib"))?,
            DisplayName::parse(&umkm.business_name).map_err(field("input.umkm.businessName"))?,
        )),
        None => None,
    };
    if change.remove_umkm && umkm.is_some() {
        return Err(ServiceError::bad_input(
            "input.removeUmkm",
            Msg::NothingToChange,
        ));
    }
    if display_name.is_none() && email.is_none() && umkm.is_none() && !change.remove_umkm {
        return Err(ServiceError::bad_input("input", Msg::NothingToChange));
    }
    if email.is_some() {
        // The sign-in e-mail is what a password reset would reach: a stolen token must not be
        // enough to take the account over.
        let Some(password) = change.current_password.as_deref().filter(|p| !p.is_empty()) else {
            return Err(ServiceError::bad_input(
                "input.currentPassword",
                Msg::CurrentPasswordRequired,
            ));
        };
        let account = services
            .db
            .run(move |conn| Ok::<_, ServiceError>(Account::find(conn, account_id)?))
            .await?
            .ok_or(ServiceError::InvalidToken)?;
        crate::account::confirm_password(
            services,
            address,
            &account,
            password,
            "input.currentPassword",
        )
        .await?;
    }
    let vault = services.vault.clone();
    let sealed_name = vault.seal_opt(
        Field::DisplayName,
        display_name.as_ref().map(|n| n.as_str()),
    )?;
    let sealed_email = email
        .as_ref()
        .map(|email| SealedEmail::new(&vault, email))
        .transpose()?;
    let sealed_umkm = match &umkm {
        Some((nib, name)) => Some((
            vault.seal(Field::Nib, nib.as_str())?,
            vault.seal(Field::BusinessName, name.as_str())?,
        )),
        None => None,
    };
    let remove_umkm = change.remove_umkm;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let mut changed: Vec<&str> = Vec::new();
            if let Some(email) = &sealed_email {
                email.refuse_taken(conn, Some(account_id))?;
                Account::set_email(conn, account_id, &email.sealed, &email.index).map_err(
                    |error| {
                        if laporlapak_db::is_unique_violation(&error) {
                            ServiceError::bad_input("input.email", Msg::EmailTaken)
                        } else {
                            error.into()
                        }
                    },
                )?;
                changed.push("email");
            }
            let identity = AccountIdentityChange {
                display_name: sealed_name.as_ref(),
                umkm_nib: match (&sealed_umkm, remove_umkm) {
                    (Some((nib, _)), _) => Some(Some(nib)),
                    (None, true) => Some(None),
                    (None, false) => None,
                },
                umkm_business_name: match (&sealed_umkm, remove_umkm) {
                    (Some((_, name)), _) => Some(Some(name)),
                    (None, true) => Some(None),
                    (None, false) => None,
                },
            };
            if sealed_name.is_some() {
                changed.push("displayName");
            }
            if sealed_umkm.is_some() || remove_umkm {
                changed.push("umkm");
            }
            if identity.display_name.is_some() || identity.umkm_nib.is_some() {
                Account::change_identity(conn, account_id, &identity)?;
            }
            let details = changed.join(",");
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::PersonalDataCorrected,
                    Subject::Account(account_id),
                )
                .details(&details),
            )?;
            AccountView::open(
                &vault,
                Account::find(conn, account_id)?.ok_or(ServiceError::NotFound)?,
            )
        })
        .await
}

/// What an erasure removed and what it kept, and why: the answer the person receives.
#[derive(Debug, Clone)]
pub struct ErasureReceipt {
    /// Codes of what was erased (`EMAIL`, `DISPLAY_NAME`, `UMKM`, `PASSWORD`, `SESSIONS`,
    /// `REPORTER_LINKS`, `CONTACT_EMAILS`, `TRACKING_CODES`, `EVIDENCE_FILES`,
    /// `RATE_LIMIT_COUNTERS`, `IDEMPOTENCY_KEYS`).
    pub erased: Vec<&'static str>,
    pub kept: Vec<Kept>,
    pub at: NaiveDateTime,
}

/// Data an erasure keeps, how much, and why.
#[derive(Debug, Clone)]
pub struct Kept {
    /// `COMPLAINTS`, `AUDIT_EVENTS` or `REPLIES`.
    pub item: &'static str,
    pub count: i64,
    pub reason: Msg,
}

/// `deleteMyAccount`: erases the caller's account after checking its password. E-mail, name,
/// NIB, business name, password hash go, and its tokens stop working at once (the account is
/// disabled in the same transaction); its complaints stay, without contact e-mail, reporter link,
/// tracking code (revoked: the code no longer opens the complaint, its thread or its replies) or
/// the evidence files the person uploaded; the audit trail keeps its events, which now point at an
/// account with no identity. The erasure is first written to the erasure ledger
/// ([`ledger`]), so a restore of an older backup cannot bring the account back.
pub async fn delete_my_account(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    password: &str,
) -> ServiceResult<ErasureReceipt> {
    let account_id = viewer.citizen()?.account_id();
    let account = services
        .db
        .run(move |conn| Ok::<_, ServiceError>(Account::find(conn, account_id)?))
        .await?
        .ok_or(ServiceError::InvalidToken)?;
    crate::account::confirm_password(services, address, &account, password, "password").await?;
    let erasure = AccountErasure::prepare(services, &account)?;
    // Before the database changes: no erasure is committed without its ledger line.
    services.erasure_ledger.record(&services.vault, &account)?;
    let viewer = viewer.clone();
    let (receipt, orphans) = services
        .write(move |conn, now| erasure.apply(conn, now, Actor::Viewer(&viewer)))
        .await?;
    remove_orphans(services, orphans).await;
    Ok(receipt)
}

/// The stored bytes no row points at any more go after the commit.
pub async fn remove_orphans(services: &Services, orphans: Vec<String>) {
    for key in orphans {
        if let Err(error) = services.evidence.store.delete(&key).await {
            tracing::warn!(
                ?error,
                "an erased evidence file could not be removed from the store; verify-evidence will not list it, remove it by hand"
            );
        }
    }
}

/// What erasing one account needs besides a connection: prepared outside the transaction (the
/// vault's work), applied inside it by `deleteMyAccount` and by the erasure ledger at restore.
pub(crate) struct AccountErasure {
    account_id: i64,
    /// Rate-limit counters keyed by this person: its account and its e-mail (pseudonyms).
    buckets: Vec<String>,
    blank: laporlapak_db::vault::Sealed,
    blank_name: laporlapak_db::vault::Sealed,
}

impl AccountErasure {
    pub(crate) fn prepare(services: &Services, account: &Account) -> ServiceResult<Self> {
        let mut buckets = vec![limits::bucket(
            services,
            limits::SUBMISSIONS_PER_ACCOUNT,
            &account.id.to_string(),
        )];
        // The sign-in counters keyed by the e-mail, when it can be read (a restored account's
        // e-mail may be sealed under a key retired since: its counters are gone anyway).
        if account.erased_at.is_none()
            && let Ok(email) = services.vault.open(Field::Email, &account.email)
        {
            buckets.push(limits::bucket(services, limits::LOGIN_PER_EMAIL, &email));
        }
        Ok(Self {
            account_id: account.id,
            buckets,
            blank: services.vault.seal(Field::Email, "")?,
            blank_name: services.vault.seal(Field::DisplayName, "")?,
        })
    }

    /// Erases the account in the caller's transaction; returns the receipt and the keys of the
    /// stored files no row points at any more (to remove after the commit).
    pub(crate) fn apply(
        self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
        actor: Actor<'_>,
    ) -> ServiceResult<(ErasureReceipt, Vec<String>)> {
        let account_id = self.account_id;
        let complaints = Complaint::ids_for_reporter(conn, account_id)?;
        let mut orphans = Vec::new();
        let mut files = 0;
        for &complaint_id in &complaints {
            let (removed, keys) = crate::evidence::delete_files_in(conn, now, actor, complaint_id)?;
            files += removed;
            orphans.extend(keys);
        }
        for &complaint_id in &complaints {
            audit::record(
                conn,
                now,
                actor,
                NewEvent::new(
                    AuditAction::ComplaintPersonalDataErased,
                    Subject::Complaint(complaint_id),
                )
                .details("reporter"),
            )?;
        }
        let revoked = Complaint::revoke_tracking_codes(conn, &complaints)?;
        let replies = Complaint::erase_reporter_data(conn, &complaints, now)?;
        let counters = RateLimit::forget(conn, &self.buckets)?;
        let idempotency = laporlapak_db::models::idempotency_key::IdempotencyKey::forget_scope(
            conn,
            &format!("account:{account_id}"),
        )?;
        Account::erase(conn, account_id, &self.blank, &self.blank_name, now)?;
        audit::record(
            conn,
            now,
            actor,
            NewEvent::new(AuditAction::AccountErased, Subject::Account(account_id)),
        )?;
        let events = Event::count_by_actor(conn, account_id)?;
        let mut erased = vec!["EMAIL", "DISPLAY_NAME", "UMKM", "PASSWORD", "SESSIONS"];
        if !complaints.is_empty() {
            erased.extend(["REPORTER_LINKS", "CONTACT_EMAILS"]);
        }
        if revoked > 0 {
            erased.push("TRACKING_CODES");
        }
        if files > 0 {
            erased.push("EVIDENCE_FILES");
        }
        if counters > 0 {
            erased.push("RATE_LIMIT_COUNTERS");
        }
        if idempotency > 0 {
            erased.push("IDEMPOTENCY_KEYS");
        }
        let mut kept = vec![Kept {
            item: "AUDIT_EVENTS",
            count: events,
            reason: Msg::KeptAuditTrail,
        }];
        if !complaints.is_empty() {
            kept.insert(
                0,
                Kept {
                    item: "COMPLAINTS",
                    count: i64::try_from(complaints.len()).unwrap_or(i64::MAX),
                    reason: Msg::KeptComplaints,
                },
            );
        }
        if replies > 0 {
            kept.push(Kept {
                item: "REPLIES",
                count: i64::try_from(replies).unwrap_or(i64::MAX),
                reason: Msg::KeptReplies,
            });
        }
        Ok((
            ErasureReceipt {
                erased,
                kept,
                at: now,
            },
            orphans,
        ))
    }
}

/// `eraseComplaintContact`: an anonymous reporter, proving the complaint is theirs with its
/// tracking code, erases the contact e-mail they left. Rate-limited per address like every use
/// of a tracking code.
pub async fn erase_contact_by_tracking_code(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    tracking_code: &str,
) -> ServiceResult<ErasureReceipt> {
    limits::check_address(services, limits::TRACKING_CODE_USES_PER_ADDRESS, address).await?;
    let code = TrackingCode::parse(tracking_code).ok_or(ServiceError::NotFound)?;
    let lookup = crate::complaint::tracking_lookup(services, &code)?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let complaint =
                Complaint::find_by_tracking_code(conn, &lookup)?.ok_or(ServiceError::NotFound)?;
            if complaint.contact_email.is_none() {
                return Err(ServiceError::conflict(Msg::ContactAlreadyErased));
            }
            Complaint::erase_contact(conn, complaint.id, now)?;
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::ComplaintPersonalDataErased,
                    Subject::Complaint(complaint.id),
                )
                .in_case(complaint.case_id)
                .details("reporter"),
            )?;
            Ok(ErasureReceipt {
                erased: vec!["CONTACT_EMAILS"],
                kept: vec![Kept {
                    item: "COMPLAINTS",
                    count: 1,
                    reason: Msg::KeptComplaints,
                }],
                at: now,
            })
        })
        .await
}

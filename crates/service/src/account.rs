//! Accounts: citizen registration, sign-in, staff accounts created by an admin (or, for the very
//! first admin, from the command line), disabling, and turning a bearer token into a `Viewer`.

use chrono::{DateTime, Utc};

use chrono::NaiveDateTime;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::auth::token::{TokenError, TokenSubject};
use crate::error::{ServiceError, ServiceResult};
use crate::limits::{self, ClientAddress};
use crate::viewer::Viewer;
use laporlapak_db::models::account::{Account, AccountInsertForm};
use laporlapak_db::models::platform::Platform;
use laporlapak_db::vault::{Field, Sealed, Vault};
use laporlapak_db::{self, DbConnection};
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{AuditAction, DisplayName, Email, Nib, Password, Role};

pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub umkm: Option<UmkmRequest>,
    /// The version of the privacy notice the person accepted; `None` accepts the current one.
    pub privacy_notice_version: Option<String>,
}

#[derive(Debug)]
pub struct UmkmRequest {
    pub nib: String,
    pub business_name: String,
}

pub struct StaffAccountRequest {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub role: Role,
    pub platform: Option<String>,
}

/// A signed-in session: the token, when it expires, and the account it speaks for.
pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub account: AccountView,
}

/// An account as the API shows it — to itself, to an admin, or as a reporter, assignee or actor
/// the service decided the viewer may see. Never the password hash.
#[derive(Debug, Clone)]
pub struct AccountView {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The platform a PLATFORM representative speaks for.
    pub platform_id: Option<i64>,
    pub umkm: Option<UmkmView>,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
    /// The privacy notice accepted at registration (citizens).
    pub privacy_notice_version: Option<String>,
    pub privacy_accepted_at: Option<NaiveDateTime>,
    /// When the person had the account erased.
    pub erased_at: Option<NaiveDateTime>,
}

/// An UMKM seller's business identity.
#[derive(Debug, Clone)]
pub struct UmkmView {
    pub nib: String,
    pub business_name: String,
}

impl AccountView {
    /// The account with its identifying fields opened with the data keys. An erased account has
    /// none left: its e-mail and name read as empty.
    pub fn open(vault: &Vault, account: Account) -> ServiceResult<Self> {
        let erased = account.erased_at.is_some();
        let umkm = match (&account.umkm_nib, &account.umkm_business_name) {
            (Some(nib), Some(business_name)) if !erased => Some(UmkmView {
                nib: vault.open(Field::Nib, nib)?,
                business_name: vault.open(Field::BusinessName, business_name)?,
            }),
            _ => None,
        };
        let (email, display_name) = if erased {
            (String::new(), String::new())
        } else {
            (
                vault.open(Field::Email, &account.email)?,
                vault.open(Field::DisplayName, &account.display_name)?,
            )
        };
        Ok(Self {
            id: account.id,
            email,
            display_name,
            role: account.role,
            platform_id: account.platform_id,
            umkm,
            created_at: account.created_at,
            disabled_at: account.disabled_at,
            privacy_notice_version: account.privacy_notice_version,
            privacy_accepted_at: account.privacy_accepted_at,
            erased_at: account.erased_at,
        })
    }
}

/// An account that a service decided the viewer may see — a reporter who did not choose anonymity,
/// a case's assignee, an event's staff actor — loaded only if the field is asked for. Only the
/// service layer can make one, so nothing else can turn an id into a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountRef {
    id: i64,
    /// For a complaint's reporter, the case it was read on: what the access log records.
    case_id: Option<i64>,
}

impl AccountRef {
    pub(crate) fn new(account_id: i64) -> Self {
        Self {
            id: account_id,
            case_id: None,
        }
    }

    /// The reporter of a complaint in `case_id`.
    pub(crate) fn reporter(account_id: i64, case_id: i64) -> Self {
        Self {
            id: account_id,
            case_id: Some(case_id),
        }
    }
}

/// The account behind a reference, as `viewer` sees it. When staff read a citizen's identity
/// (a reporter on a case, an account an admin looks up) the read is first recorded in the
/// citizen's access log: if the record cannot be written, the identity is not returned. Other
/// reads (staff reading staff, a citizen itself) stay plain reads, with no write transaction.
pub async fn load(
    services: &Services,
    viewer: &Viewer,
    account: AccountRef,
) -> ServiceResult<Option<AccountView>> {
    let Some(found) = services
        .db
        .run(move |conn| Ok::<_, ServiceError>(Account::find(conn, account.id)?))
        .await?
    else {
        return Ok(None);
    };
    let is_identity_read = found.role == Role::Citizen
        && found.erased_at.is_none()
        && viewer.account_id() != Some(found.id)
        && viewer.staff().is_some();
    if is_identity_read {
        let reader = viewer.clone();
        let read = match account.case_id {
            Some(case_id) => crate::privacy::IdentityRead::Reporter { case_id },
            None => crate::privacy::IdentityRead::Account,
        };
        let citizen = found.id;
        services
            .write(move |conn, now| {
                Ok(crate::privacy::record_identity_read(
                    conn, now, &reader, citizen, read,
                )?)
            })
            .await?;
    }
    AccountView::open(&services.vault, found).map(Some)
}

/// The signed-in account; `None` without a token.
pub async fn me(services: &Services, viewer: &Viewer) -> ServiceResult<Option<AccountView>> {
    match viewer.account_id() {
        Some(id) => {
            let vault = services.vault.clone();
            services
                .db
                .run(move |conn| match Account::find(conn, id)? {
                    Some(account) => AccountView::open(&vault, account).map(Some),
                    None => Ok(None),
                })
                .await
        }
        None => Ok(None),
    }
}

fn field(name: &'static str) -> impl Fn(Msg) -> ServiceError {
    move |reason| ServiceError::bad_input(name, reason)
}

/// Self-registration: always a CITIZEN, optionally declaring an UMKM business by its NIB.
pub async fn register(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    request: RegisterRequest,
) -> ServiceResult<Session> {
    if !matches!(viewer, Viewer::Anonymous) {
        return Err(ServiceError::conflict(Msg::AlreadySignedIn));
    }
    let email = Email::parse(&request.email).map_err(field("input.email"))?;
    let password = Password::parse(&request.password).map_err(field("input.password"))?;
    let display_name =
        DisplayName::parse(&request.display_name).map_err(field("input.displayName"))?;
    let umkm = match &request.umkm {
        Some(umkm) => Some((
            Nib::parse(&umkm.nib).map_err(field("input.umkm.nib"))?,
            DisplayName::parse(&umkm.business_name).map_err(field("input.umkm.businessName"))?,
        )),
        None => None,
    };
    let notice = crate::privacy::accepted_notice(request.privacy_notice_version.as_deref())?;
    limits::check_address(services, limits::REGISTER_PER_ADDRESS, address).await?;
    let password_hash = services.hasher.hash(&password).await?;
    let vault = services.vault.clone();
    let identity = SealedIdentity::new(&vault, &email, &display_name)?;
    let sealed_umkm = match &umkm {
        Some((nib, name)) => Some((
            vault.seal(Field::Nib, nib.as_str())?,
            vault.seal(Field::BusinessName, name.as_str())?,
        )),
        None => None,
    };
    let account = services
        .write(move |conn, now| {
            identity.email.refuse_taken(conn, None)?;
            let id = insert_account(
                conn,
                &AccountInsertForm {
                    email: &identity.email.sealed,
                    email_index: &identity.email.index,
                    password_hash: &password_hash,
                    display_name: &identity.display_name,
                    role: Role::Citizen,
                    platform_id: None,
                    umkm_nib: sealed_umkm.as_ref().map(|(nib, _)| nib),
                    umkm_business_name: sealed_umkm.as_ref().map(|(_, name)| name),
                    privacy_notice_version: Some(notice),
                    privacy_accepted_at: Some(now),
                    created_at: now,
                },
            )?;
            let viewer = Viewer::signed_in(id, Role::Citizen, None, umkm.is_some())
                .ok_or(ServiceError::invariant("a citizen needs no platform"))?;
            let mut event = NewEvent::new(AuditAction::AccountRegistered, Subject::Account(id));
            if umkm.is_some() {
                event = event.details("umkm");
            }
            audit::record(conn, now, Actor::Viewer(&viewer), event)?;
            Account::find(conn, id)?.ok_or(ServiceError::NotFound)
        })
        .await?;
    session_for(services, account, None)
}

/// A sign-in e-mail as stored: sealed, with its blind index under the primary key (what the row
/// keeps) and under every key (what a look-up matches).
pub(crate) struct SealedEmail {
    pub sealed: Sealed,
    pub index: String,
    /// The index under every data key, to find an address registered before a key rotation.
    every_index: Vec<String>,
}

impl SealedEmail {
    pub(crate) fn new(vault: &Vault, email: &Email) -> ServiceResult<Self> {
        Ok(Self {
            sealed: vault.seal(Field::Email, email.as_str())?,
            index: vault.email_index(email.as_str()),
            every_index: vault.email_indexes(email.as_str()),
        })
    }

    /// Refuses an address another account holds (`except` may hold it: a correction to one's own
    /// address). During a key rotation an address may be indexed under the old key, which the
    /// unique index alone would not see.
    pub(crate) fn refuse_taken(
        &self,
        conn: &mut DbConnection,
        except: Option<i64>,
    ) -> ServiceResult<()> {
        match Account::find_by_email_index(conn, &self.every_index)? {
            Some(holder) if Some(holder.id) != except => {
                Err(ServiceError::bad_input("input.email", Msg::EmailTaken))
            }
            _ => Ok(()),
        }
    }
}

/// A new account's e-mail and name, sealed.
struct SealedIdentity {
    email: SealedEmail,
    display_name: Sealed,
}

impl SealedIdentity {
    fn new(vault: &Vault, email: &Email, display_name: &DisplayName) -> ServiceResult<Self> {
        Ok(Self {
            email: SealedEmail::new(vault, email)?,
            display_name: vault.seal(Field::DisplayName, display_name.as_str())?,
        })
    }
}

/// The unique index decides a duplicate e-mail, so two simultaneous registrations cannot both win.
fn insert_account(conn: &mut DbConnection, form: &AccountInsertForm<'_>) -> ServiceResult<i64> {
    Account::insert(conn, form).map_err(|error| {
        if laporlapak_db::is_unique_violation(&error) {
            ServiceError::bad_input("input.email", Msg::EmailTaken)
        } else {
            error.into()
        }
    })
}

/// Signs in. An unknown e-mail, a wrong password and a disabled account give the same error after
/// the same amount of work (one argon2 verification), so none of them can be told apart.
pub async fn login(
    services: &Services,
    address: ClientAddress,
    email: &str,
    password: &str,
) -> ServiceResult<Session> {
    if password.len() > Password::MAX_LEN * 4 || password.chars().count() > Password::MAX_LEN {
        return Err(ServiceError::bad_input(
            "password",
            Msg::TooLong {
                max: Password::MAX_LEN,
            },
        ));
    }
    let email_key = email.trim().to_lowercase();
    let attempt = limits::PASSWORD_GUARD
        .admit(services, &email_key, address)
        .await?;
    let account = match Email::parse(email) {
        Ok(email) => {
            let indexes = services.vault.email_indexes(email.as_str());
            services
                .db
                .run(move |conn| {
                    Ok::<_, ServiceError>(Account::find_by_email_index(conn, &indexes)?)
                })
                .await?
        }
        Err(_) => None,
    };
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let matches = services.hasher.verify(password, stored).await?;
    if matches {
        attempt.succeeded(services).await?;
    } else {
        attempt.failed(services).await?;
    }
    let account = match account {
        Some(account) if matches && !account.is_disabled() => account,
        _ => return Err(ServiceError::InvalidCredentials),
    };
    let platform_slug = match account.platform_id {
        Some(platform_id) => services
            .db
            .run(move |conn| Ok::<_, ServiceError>(Platform::find(conn, platform_id)?))
            .await?
            .map(|p| p.slug),
        None => None,
    };
    session_for(services, account, platform_slug)
}

/// Checks the signed-in person's password for an operation that asks for it again (erasing the
/// account, changing the sign-in e-mail): the same limits as sign-in guard it, counted against the
/// account's e-mail, so a stolen token cannot be turned into unlimited password guesses. A wrong
/// password answers BAD_USER_INPUT on `field`.
pub(crate) async fn confirm_password(
    services: &Services,
    address: ClientAddress,
    account: &Account,
    password: &str,
    field: &'static str,
) -> ServiceResult<()> {
    if password.len() > Password::MAX_LEN * 4 || password.chars().count() > Password::MAX_LEN {
        return Err(ServiceError::bad_input(field, Msg::WrongPassword));
    }
    let email = services
        .vault
        .open(laporlapak_db::vault::Field::Email, &account.email)?
        .trim()
        .to_lowercase();
    let attempt = limits::PASSWORD_GUARD
        .admit(services, &email, address)
        .await?;
    if services
        .hasher
        .verify(password, Some(account.password_hash.clone()))
        .await?
    {
        attempt.succeeded(services).await?;
        Ok(())
    } else {
        attempt.failed(services).await?;
        Err(ServiceError::bad_input(field, Msg::WrongPassword))
    }
}

fn session_for(
    services: &Services,
    account: Account,
    platform_slug: Option<String>,
) -> ServiceResult<Session> {
    let (token, expires_at) =
        services
            .tokens
            .issue(account.id, account.role, platform_slug.as_deref())?;
    Ok(Session {
        token,
        expires_at,
        account: AccountView::open(&services.vault, account)?,
    })
}

/// Creates a REVIEWER, PLATFORM or ADMIN account. Only an ADMIN may.
pub async fn create_staff_account(
    services: &Services,
    viewer: &Viewer,
    request: StaffAccountRequest,
) -> ServiceResult<AccountView> {
    viewer.admin()?;
    create_staff(services, Actor::Viewer(viewer), request).await
}

/// The first admin, from `laporlapak admin create`: the operator at the terminal is trusted.
pub async fn create_from_command_line(
    services: &Services,
    request: StaffAccountRequest,
) -> ServiceResult<AccountView> {
    create_staff(services, Actor::CommandLine, request).await
}

async fn create_staff(
    services: &Services,
    actor: Actor<'_>,
    request: StaffAccountRequest,
) -> ServiceResult<AccountView> {
    if !request.role.is_staff() {
        return Err(ServiceError::bad_input("input.role", Msg::NotStaffRole));
    }
    let email = Email::parse(&request.email).map_err(field("input.email"))?;
    let password = Password::parse(&request.password).map_err(field("input.password"))?;
    let display_name =
        DisplayName::parse(&request.display_name).map_err(field("input.displayName"))?;
    let role = request.role;
    let platform_slug = match (role, request.platform) {
        (Role::Platform, Some(slug)) => Some(slug.trim().to_lowercase()),
        (Role::Platform, None) => {
            return Err(ServiceError::bad_input(
                "input.platform",
                Msg::PlatformRequired,
            ));
        }
        (_, Some(_)) => {
            return Err(ServiceError::bad_input(
                "input.platform",
                Msg::PlatformNotAllowed,
            ));
        }
        (_, None) => None,
    };
    let password_hash = services.hasher.hash(&password).await?;
    let vault = services.vault.clone();
    let identity = SealedIdentity::new(&vault, &email, &display_name)?;
    // The actor is only borrowed for the audit record; carry what it needs into the closure.
    let actor_viewer = match actor {
        Actor::Viewer(viewer) => Some(viewer.clone()),
        Actor::CommandLine => None,
    };
    services
        .write(move |conn, now| {
            let platform_id = match &platform_slug {
                Some(slug) => Some(
                    Platform::find_by_slug(conn, slug)?
                        .ok_or_else(|| {
                            ServiceError::bad_input("input.platform", Msg::UnknownPlatform)
                        })?
                        .id,
                ),
                None => None,
            };
            identity.email.refuse_taken(conn, None)?;
            let id = insert_account(
                conn,
                &AccountInsertForm {
                    email: &identity.email.sealed,
                    email_index: &identity.email.index,
                    password_hash: &password_hash,
                    display_name: &identity.display_name,
                    role,
                    platform_id,
                    umkm_nib: None,
                    umkm_business_name: None,
                    privacy_notice_version: None,
                    privacy_accepted_at: None,
                    created_at: now,
                },
            )?;
            let actor = match &actor_viewer {
                Some(viewer) => Actor::Viewer(viewer),
                None => Actor::CommandLine,
            };
            let details = format!("role={}", role.as_str());
            audit::record(
                conn,
                now,
                actor,
                NewEvent::new(AuditAction::AccountCreated, Subject::Account(id)).details(&details),
            )?;
            AccountView::open(
                &vault,
                Account::find(conn, id)?.ok_or(ServiceError::NotFound)?,
            )
        })
        .await
}

/// Disables an account: it can no longer sign in, and its tokens stop working on the next request
/// (every request re-reads the account). ADMIN only; an admin cannot disable itself.
pub async fn disable_account(
    services: &Services,
    viewer: &Viewer,
    account_id: i64,
) -> ServiceResult<AccountView> {
    let admin = viewer.admin()?;
    if admin.account_id() == account_id {
        return Err(ServiceError::conflict(Msg::CannotDisableSelf));
    }
    let viewer = viewer.clone();
    let vault = services.vault.clone();
    services
        .write(move |conn, now| {
            let newly = Account::disable(conn, account_id, now)?;
            if newly {
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(AuditAction::AccountDisabled, Subject::Account(account_id)),
                )?;
            }
            AccountView::open(
                &vault,
                Account::find(conn, account_id)?.ok_or(ServiceError::NotFound)?,
            )
        })
        .await
}

/// The account a viewer may see: itself, or any account for an ADMIN.
pub async fn find_visible(
    services: &Services,
    viewer: &Viewer,
    account_id: i64,
) -> ServiceResult<Option<AccountView>> {
    let visible = viewer.admin().is_ok() || viewer.account_id() == Some(account_id);
    if !visible {
        return Ok(None);
    }
    load(services, viewer, AccountRef::new(account_id)).await
}

/// Turns a bearer token into a `Viewer`. The account row is read on every request, so a disabled
/// account, a changed role, a moved or deactivated platform invalidates its tokens at once.
pub async fn viewer_from_token(services: &Services, token: &str) -> ServiceResult<Viewer> {
    let verified = services
        .tokens
        .verify(token)
        .map_err(|_: TokenError| ServiceError::InvalidToken)?;
    let account_id = match verified.subject {
        TokenSubject::Account(id) => id,
        TokenSubject::ApiClient(client_id) => {
            return crate::api_client::viewer_for(services, client_id, verified.platform).await;
        }
    };
    services
        .db
        .run(move |conn| {
            let account = Account::find(conn, account_id)?
                .filter(|account| !account.is_disabled() && account.role == verified.role)
                .ok_or(ServiceError::InvalidToken)?;
            let platform_id = match account.platform_id {
                Some(id) => {
                    // Read from the database, not the reference cache: a platform deactivated
                    // through another replica stops its people's tokens at once, as its API
                    // clients' (`ApiClient::live`).
                    let platform = Platform::find(conn, id)?
                        .filter(|platform| platform.active)
                        .ok_or(ServiceError::InvalidToken)?;
                    if verified.platform.as_deref() != Some(platform.slug.as_str()) {
                        return Err(ServiceError::InvalidToken);
                    }
                    Some(id)
                }
                None => None,
            };
            let umkm = account.umkm_nib.is_some();
            Viewer::signed_in(account.id, account.role, platform_id, umkm)
                .ok_or(ServiceError::InvalidToken)
        })
        .await
}

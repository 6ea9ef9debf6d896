//! Accounts in the API: `me`, `register`, `login`, `createStaffAccount`, `disableAccount`.

use crate::graphql::datetime::DateTime;
use async_graphql::{Context, Description, ID, InputObject, Object, SimpleObject};

use crate::graphql::ContextExt as _;
use crate::graphql::enums::Role;
use crate::graphql::id::{self, NodeType};
use crate::graphql::reference::Platform;
use laporlapak_service::account::{
    self as service, AccountView, RegisterRequest, StaffAccountRequest, UmkmRequest,
};
use laporlapak_service::reference;

/// An UMKM seller's business identity (UMKM: usaha mikro, kecil dan menengah — micro, small and
/// medium enterprises), declared at registration.
#[derive(SimpleObject)]
pub struct Umkm {
    /// Nomor Induk Berusaha, the 13-digit business identification number issued through OSS.
    pub nib: String,
    /// The business's name, 1 to 100 characters.
    pub business_name: String,
}

/// A person's account. Seen in full by the account itself (`me`) and by administrators; reviewers
/// and administrators also see it as a complaint's reporter (unless the reporter chose anonymity),
/// a case's assignee or a staff member who acted on a case. Never shown to a platform
/// representative, except its own account.
#[derive(Description)]
pub struct Account(pub AccountView);

#[Object(use_type_description)]
impl Account {
    /// The account's opaque global ID (`node(id:)` finds it again).
    pub async fn id(&self) -> ID {
        id::encode(NodeType::Account, self.0.id)
    }
    /// The sign-in e-mail address, trimmed and lower-cased (at most 254 characters).
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// The name shown for the account, 1 to 100 characters.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// What the account may do.
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// The platform a PLATFORM representative speaks for; null for every other role.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Platform>> {
        let Some(platform_id) = self.0.platform_id else {
            return Ok(None);
        };
        Ok(reference::platform(ctx.services()?, platform_id)
            .await?
            .map(Platform))
    }
    /// The business a CITIZEN declared at registration as an UMKM seller; null otherwise.
    async fn umkm(&self) -> Option<Umkm> {
        self.0.umkm.as_ref().map(|umkm| Umkm {
            nib: umkm.nib.clone(),
            business_name: umkm.business_name.clone(),
        })
    }
    /// When the account was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When an administrator disabled the account (it can no longer sign in and its tokens stop
    /// working at once); null while it is enabled. An erased account is disabled too.
    async fn disabled_at(&self) -> Option<DateTime> {
        self.0.disabled_at.map(Into::into)
    }
    /// When the person erased the account (`deleteMyAccount`): its e-mail and name read as empty
    /// since; null otherwise.
    async fn erased_at(&self) -> Option<DateTime> {
        self.0.erased_at.map(Into::into)
    }
    /// The version of the privacy notice the citizen accepted at registration; null for staff
    /// and for accounts registered before notices were recorded.
    async fn privacy_notice_version(&self) -> Option<&str> {
        self.0.privacy_notice_version.as_deref()
    }
}

/// A signed-in session, returned by `register` and `login`.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// The access token (a JWT): send it as `Authorization: Bearer <token>`. It stops working at
    /// `expiresAt`, or at once when the account is disabled; sign in again for a new one.
    pub token: String,
    /// When the token expires: the server's token lifetime after issue (one hour unless the
    /// operator set `LAPORLAPAK_TOKEN_TTL_SECONDS`).
    pub expires_at: DateTime,
    /// The account signed in.
    pub account: Account,
}

impl From<service::Session> for AuthPayload {
    fn from(session: service::Session) -> Self {
        Self {
            token: session.token,
            expires_at: session.expires_at.into(),
            account: Account(session.account),
        }
    }
}

/// The business identity of a citizen who registers as an UMKM seller.
#[derive(InputObject)]
pub struct UmkmInput {
    /// Nomor Induk Berusaha: 13 digits (spaces and dashes are ignored).
    pub nib: String,
    /// The business's name, 1 to 100 characters.
    pub business_name: String,
}

/// A new CITIZEN account.
#[derive(InputObject)]
pub struct RegisterInput {
    /// The sign-in e-mail address (at most 254 characters, with a dotted domain); compared without
    /// regard to case. An address already registered answers BAD_USER_INPUT.
    pub email: String,
    /// 8 to 128 characters; very common passwords are refused.
    pub password: String,
    /// The name shown for the account, 1 to 100 characters.
    pub display_name: String,
    /// Declare yourself an UMKM seller: your complaints then count as UMKM reports, which raise a
    /// case's priority (unless you submit anonymously).
    pub umkm: Option<UmkmInput>,
    /// The version of the privacy notice the person read and accepted (`privacyNotice.version`,
    /// the notice at `/privacy`); registration records it. Omitted, the current version is
    /// recorded: a client must then have shown the current notice. Any other version answers
    /// BAD_USER_INPUT, so a person who read an outdated notice reads the new one first.
    pub privacy_notice_version: Option<String>,
}

/// A new staff account, created by an ADMIN.
#[derive(InputObject)]
pub struct StaffAccountInput {
    /// The sign-in e-mail address (at most 254 characters, with a dotted domain).
    pub email: String,
    /// The first password, 8 to 128 characters; very common passwords are refused.
    pub password: String,
    /// The name shown for the account, 1 to 100 characters.
    pub display_name: String,
    /// REVIEWER, PLATFORM or ADMIN (CITIZEN answers BAD_USER_INPUT).
    pub role: Role,
    /// The platform's slug: required for (and only for) PLATFORM accounts.
    pub platform: Option<String>,
}

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in account; null without a token. Any role.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        Ok(service::me(ctx.services()?, ctx.viewer())
            .await?
            .map(Account))
    }

    /// Who the token belongs to: the signed-in `Account`, or the `ApiClient` of a
    /// client-credentials token (for which `me` is null); null without a token.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Viewer>> {
        let services = ctx.services()?;
        let viewer = ctx.viewer();
        if let Some(client) = laporlapak_service::api_client::me(services, viewer).await? {
            return Ok(Some(Viewer::ApiClient(
                crate::graphql::integration::ApiClient(client),
            )));
        }
        Ok(service::me(services, viewer)
            .await?
            .map(|account| Viewer::Account(Account(account))))
    }
}

/// Whoever holds the request's token: a person's account or a platform's API client.
#[derive(async_graphql::Union)]
pub enum Viewer {
    Account(Account),
    ApiClient(crate::graphql::integration::ApiClient),
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Creates a CITIZEN account and signs it in. Without a token only (a signed-in caller gets
    /// CONFLICT). Rate-limited: 20 registrations an hour per client address.
    async fn register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new account.")] input: RegisterInput,
    ) -> async_graphql::Result<AuthPayload> {
        let request = RegisterRequest {
            email: input.email,
            password: input.password,
            display_name: input.display_name,
            umkm: input.umkm.map(|umkm| UmkmRequest {
                nib: umkm.nib,
                business_name: umkm.business_name,
            }),
            privacy_notice_version: input.privacy_notice_version,
        };
        Ok(
            service::register(ctx.services()?, ctx.viewer(), ctx.client_address(), request)
                .await?
                .into(),
        )
    }

    /// Signs in with e-mail and password; any role. A wrong e-mail, a wrong password and a disabled
    /// account all answer the same UNAUTHENTICATED. Rate-limited: 10 attempts per e-mail from one
    /// address and 100 per address every 15 minutes, 100 per e-mail an hour.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's e-mail address, in any letter case.")] email: String,
        #[graphql(desc = "The account's password (at most 128 characters).")] password: String,
    ) -> async_graphql::Result<AuthPayload> {
        Ok(
            service::login(ctx.services()?, ctx.client_address(), &email, &password)
                .await?
                .into(),
        )
    }

    /// ADMIN only: creates a REVIEWER, PLATFORM or ADMIN account, which signs in with `login`.
    async fn create_staff_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new staff account.")] input: StaffAccountInput,
    ) -> async_graphql::Result<Account> {
        let request = StaffAccountRequest {
            email: input.email,
            password: input.password,
            display_name: input.display_name,
            role: input.role.into(),
            platform: input.platform,
        };
        Ok(Account(
            service::create_staff_account(ctx.services()?, ctx.viewer(), request).await?,
        ))
    }

    /// ADMIN only: disables an account. It can no longer sign in and its tokens stop working at once.
    /// Disabling an already disabled account changes nothing; an admin cannot disable itself
    /// (CONFLICT).
    async fn disable_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's global ID (`Account.id`).")] id: ID,
    ) -> async_graphql::Result<Account> {
        let account_id = id::argument(&id, NodeType::Account);
        Ok(Account(
            service::disable_account(ctx.services()?, ctx.viewer(), account_id).await?,
        ))
    }
}

//! Accounts in the API: `me`, `register`, `login`, `createStaffAccount`, `disableAccount`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::ContextExt as _;
use crate::graphql::enums::Role;
use crate::graphql::id::{self, NodeType};
use crate::graphql::reference::Platform;
use crate::service::account::{
    self as service, AccountView, RegisterRequest, StaffAccountRequest, UmkmRequest,
};
use crate::service::reference;

/// An UMKM seller's business identity.
#[derive(SimpleObject)]
pub struct Umkm {
    /// Nomor Induk Berusaha, 13 digits.
    pub nib: String,
    pub business_name: String,
}

/// A person's account. Only the account itself and administrators can see it.
pub struct Account(pub AccountView);

#[Object]
impl Account {
    pub async fn id(&self) -> ID {
        id::encode(NodeType::Account, self.0.id)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// The platform a PLATFORM representative speaks for.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Platform>> {
        let Some(platform_id) = self.0.platform_id else {
            return Ok(None);
        };
        Ok(reference::platform(ctx.services()?, platform_id)
            .await?
            .map(Platform))
    }
    /// Present when the account declared itself an UMKM seller.
    async fn umkm(&self) -> Option<Umkm> {
        self.0.umkm.as_ref().map(|umkm| Umkm {
            nib: umkm.nib.clone(),
            business_name: umkm.business_name.clone(),
        })
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at.and_utc()
    }
    /// Set once an administrator disabled the account; it can no longer sign in.
    async fn disabled_at(&self) -> Option<DateTime<Utc>> {
        self.0.disabled_at.map(|at| at.and_utc())
    }
}

/// A signed-in session.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub account: Account,
}

impl From<service::Session> for AuthPayload {
    fn from(session: service::Session) -> Self {
        Self {
            token: session.token,
            expires_at: session.expires_at,
            account: Account(session.account),
        }
    }
}

#[derive(InputObject)]
pub struct UmkmInput {
    /// Nomor Induk Berusaha: 13 digits.
    pub nib: String,
    pub business_name: String,
}

#[derive(InputObject)]
pub struct RegisterInput {
    pub email: String,
    /// 8 to 128 characters; very common passwords are refused.
    pub password: String,
    pub display_name: String,
    /// Declare yourself an UMKM seller (your reports then count as UMKM reports).
    pub umkm: Option<UmkmInput>,
}

#[derive(InputObject)]
pub struct StaffAccountInput {
    pub email: String,
    pub password: String,
    pub display_name: String,
    /// REVIEWER, PLATFORM or ADMIN.
    pub role: Role,
    /// The platform slug, required for (and only for) PLATFORM accounts.
    pub platform: Option<String>,
}

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in account; null without a token.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        Ok(service::me(ctx.services()?, ctx.viewer())
            .await?
            .map(Account))
    }
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Creates a CITIZEN account and signs it in.
    async fn register(
        &self,
        ctx: &Context<'_>,
        input: RegisterInput,
    ) -> async_graphql::Result<AuthPayload> {
        let request = RegisterRequest {
            email: input.email,
            password: input.password,
            display_name: input.display_name,
            umkm: input.umkm.map(|umkm| UmkmRequest {
                nib: umkm.nib,
                business_name: umkm.business_name,
            }),
        };
        Ok(
            service::register(ctx.services()?, ctx.viewer(), ctx.client_address(), request)
                .await?
                .into(),
        )
    }

    /// Signs in with e-mail and password.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> async_graphql::Result<AuthPayload> {
        Ok(
            service::login(ctx.services()?, ctx.client_address(), &email, &password)
                .await?
                .into(),
        )
    }

    /// ADMIN only: creates a REVIEWER, PLATFORM or ADMIN account.
    async fn create_staff_account(
        &self,
        ctx: &Context<'_>,
        input: StaffAccountInput,
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
    async fn disable_account(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Account> {
        let account_id = id::argument(&id, NodeType::Account);
        Ok(Account(
            service::disable_account(ctx.services()?, ctx.viewer(), account_id).await?,
        ))
    }
}

//! Who is calling, and the capabilities a service operation asks for.
//!
//! A `Viewer` is made once per request by authentication (`account::viewer_from_token`, which
//! re-reads the account) and handed to the services untouched. A capability — `Citizen`,
//! `Reviewer`, `PlatformRep`, `Admin`, or `Staff` (a reviewer or an admin reading cases) — can only
//! be obtained here, from a viewer that has the role, and only inside the service layer: every
//! operation asks for its capability on its first line, the functions it calls take the capability,
//! and nothing outside `service` can check a role or forge one.

use crate::error::{ServiceError, ServiceResult};
use laporlapak_domain::Role;

#[derive(Debug, Clone, Default)]
pub enum Viewer {
    /// No token: a member of the public.
    #[default]
    Anonymous,
    Citizen(Citizen),
    Reviewer(Reviewer),
    PlatformRep(PlatformRep),
    Admin(Admin),
    Regulator(Regulator),
}

/// An officer of Komdigi: works the queue of the ministry's recommendations, issues orders,
/// records sanctions and decides objections to orders. Sees the cases recommended to it only as
/// the regulator's view (target, platform, category, shared evidence), never a reporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regulator {
    account_id: i64,
}

impl Regulator {
    pub(crate) fn account_id(self) -> i64 {
        self.account_id
    }
}

/// A signed-in member of the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Citizen {
    account_id: i64,
    /// Whether the account has registered a business (NIB) as an UMKM seller, as of this request.
    umkm: bool,
}

/// Ministry staff working cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reviewer {
    account_id: i64,
}

/// The representative of one platform: sees only what was sent to that platform. Either a person
/// signed in with a PLATFORM account, or one of the platform's API clients (a service account
/// holding a client-credentials token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlatformRep {
    actor: RepActor,
    platform_id: i64,
}

/// Who acts for the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepActor {
    Account(i64),
    /// An API client, by its row id: audited as the client, never as a person.
    ApiClient(i64),
}

/// A signed-in caller, whichever kind of token it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    Account(i64),
    ApiClient(i64),
}

impl Principal {
    /// As a download link writes it: `a17` for an account, `c3` for an API client.
    pub fn as_link_text(self) -> String {
        match self {
            Self::Account(id) => format!("a{id}"),
            Self::ApiClient(id) => format!("c{id}"),
        }
    }
}

/// The operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admin {
    account_id: i64,
}

/// A reviewer or an admin: may read every case, its reporters (unless anonymous) and its audit
/// trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staff(());

impl Citizen {
    pub(crate) fn account_id(self) -> i64 {
        self.account_id
    }

    pub(crate) fn is_umkm(self) -> bool {
        self.umkm
    }
}

impl Reviewer {
    pub(crate) fn account_id(self) -> i64 {
        self.account_id
    }
}

impl PlatformRep {
    pub(crate) fn platform_id(self) -> i64 {
        self.platform_id
    }
}

impl Admin {
    pub(crate) fn account_id(self) -> i64 {
        self.account_id
    }
}

impl Viewer {
    /// The viewer of a verified, enabled account. `None` for a PLATFORM account without a
    /// platform, which the database refuses to hold.
    pub(crate) fn signed_in(
        account_id: i64,
        role: Role,
        platform_id: Option<i64>,
        umkm: bool,
    ) -> Option<Self> {
        Some(match role {
            Role::Citizen => Self::Citizen(Citizen { account_id, umkm }),
            Role::Reviewer => Self::Reviewer(Reviewer { account_id }),
            Role::Platform => Self::PlatformRep(PlatformRep {
                actor: RepActor::Account(account_id),
                platform_id: platform_id?,
            }),
            Role::Admin => Self::Admin(Admin { account_id }),
            Role::Regulator => Self::Regulator(Regulator { account_id }),
        })
    }

    /// The API client `api_client_id` of the platform `platform_id`, holding a valid token.
    pub(crate) fn api_client(api_client_id: i64, platform_id: i64) -> Self {
        Self::PlatformRep(PlatformRep {
            actor: RepActor::ApiClient(api_client_id),
            platform_id,
        })
    }

    /// The signed-in account; `None` for the public and for API clients.
    pub(crate) fn account_id(&self) -> Option<i64> {
        match self {
            Self::Anonymous => None,
            Self::Citizen(Citizen { account_id, .. })
            | Self::Reviewer(Reviewer { account_id })
            | Self::PlatformRep(PlatformRep {
                actor: RepActor::Account(account_id),
                ..
            })
            | Self::Admin(Admin { account_id })
            | Self::Regulator(Regulator { account_id }) => Some(*account_id),
            Self::PlatformRep(PlatformRep {
                actor: RepActor::ApiClient(_),
                ..
            }) => None,
        }
    }

    /// Who the viewer is, for what is bound to one caller (an evidence link): the account, or the
    /// API client; `None` for the public.
    pub(crate) fn principal(&self) -> Option<Principal> {
        match self.api_client_id() {
            Some(client) => Some(Principal::ApiClient(client)),
            None => self.account_id().map(Principal::Account),
        }
    }

    /// The API client acting, when it is one.
    pub(crate) fn api_client_id(&self) -> Option<i64> {
        match self {
            Self::PlatformRep(PlatformRep {
                actor: RepActor::ApiClient(id),
                ..
            }) => Some(*id),
            _ => None,
        }
    }

    pub(crate) fn role(&self) -> Option<Role> {
        match self {
            Self::Anonymous => None,
            Self::Citizen(_) => Some(Role::Citizen),
            Self::Reviewer(_) => Some(Role::Reviewer),
            Self::PlatformRep(_) => Some(Role::Platform),
            Self::Admin(_) => Some(Role::Admin),
            Self::Regulator(_) => Some(Role::Regulator),
        }
    }

    /// UNAUTHENTICATED without a token, FORBIDDEN with another role.
    fn refuse(&self) -> ServiceError {
        match self {
            Self::Anonymous => ServiceError::Unauthenticated,
            _ => ServiceError::Forbidden,
        }
    }

    pub(crate) fn citizen(&self) -> ServiceResult<Citizen> {
        match self {
            Self::Citizen(citizen) => Ok(*citizen),
            other => Err(other.refuse()),
        }
    }

    pub(crate) fn reviewer(&self) -> ServiceResult<Reviewer> {
        match self {
            Self::Reviewer(reviewer) => Ok(*reviewer),
            other => Err(other.refuse()),
        }
    }

    pub(crate) fn platform_rep(&self) -> ServiceResult<PlatformRep> {
        match self {
            Self::PlatformRep(rep) => Ok(*rep),
            other => Err(other.refuse()),
        }
    }

    pub(crate) fn admin(&self) -> ServiceResult<Admin> {
        match self {
            Self::Admin(admin) => Ok(*admin),
            other => Err(other.refuse()),
        }
    }

    /// A reviewer or an admin; UNAUTHENTICATED or FORBIDDEN for anyone else.
    pub(crate) fn require_staff(&self) -> ServiceResult<Staff> {
        self.staff().ok_or_else(|| self.refuse())
    }

    pub(crate) fn regulator(&self) -> ServiceResult<Regulator> {
        match self {
            Self::Regulator(regulator) => Ok(*regulator),
            other => Err(other.refuse()),
        }
    }

    /// A reviewer or an admin.
    pub(crate) fn staff(&self) -> Option<Staff> {
        match self {
            Self::Reviewer(_) | Self::Admin(_) => Some(Staff(())),
            _ => None,
        }
    }
}

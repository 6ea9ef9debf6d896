//! Who is calling: established once per request from the bearer token and the account row, then
//! read by every resolver. An object outside the viewer's scope answers as if it did not exist.

use crate::domain::Role;
use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Viewer {
    #[default]
    Anonymous,
    Account(AccountViewer),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountViewer {
    pub account_id: i64,
    pub role: Role,
    /// The platform a PLATFORM representative speaks for (id and slug).
    pub platform: Option<(i64, String)>,
}

impl Viewer {
    pub fn account(&self) -> Option<&AccountViewer> {
        match self {
            Self::Anonymous => None,
            Self::Account(account) => Some(account),
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.account().map(|a| a.role)
    }

    /// The signed-in account, or UNAUTHENTICATED.
    pub fn require_account(&self) -> ServiceResult<&AccountViewer> {
        self.account().ok_or(ServiceError::Unauthenticated)
    }

    /// The signed-in account if it has one of `roles`: UNAUTHENTICATED without a token, FORBIDDEN
    /// with the wrong role.
    pub fn require_role(&self, roles: &[Role]) -> ServiceResult<&AccountViewer> {
        let account = self.require_account()?;
        if roles.contains(&account.role) {
            Ok(account)
        } else {
            Err(ServiceError::Forbidden)
        }
    }
}

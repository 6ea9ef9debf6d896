//! Errors, by layer:
//! * `db::DbError` — connecting, migrating, pooling; start-up turns it into a clear message and exit.
//! * [`ServiceError`] — what a service operation can answer: a code, the field at fault and a
//!   translatable message. Database errors become `Internal` here and are logged, never shown.
//! * At the GraphQL edge, `ServiceError` becomes an `async_graphql::Error` with `extensions.code`
//!   (and `field`, `retryAfter`, `currentStatus` where they apply), in the request's language.

use std::borrow::Cow;

use crate::db::DbError;
use crate::i18n::{Lang, Msg};

/// Deliberately not `Display`: async-graphql converts any `Display` type into an error with that
/// text, and these must go through the one localising conversion in `graphql::error` instead.
#[derive(Debug)]
pub enum ServiceError {
    Unauthenticated,
    /// A bearer token that does not verify, has expired, or names a disabled account.
    InvalidToken,
    /// Wrong e-mail or password (never saying which).
    InvalidCredentials,
    Forbidden,
    NotFound,
    BadInput {
        field: Cow<'static, str>,
        reason: Msg,
    },
    Conflict {
        reason: Msg,
        current_status: Option<&'static str>,
    },
    RateLimited {
        retry_after: u64,
    },
    Internal(String),
}

impl ServiceError {
    pub fn bad_input(field: impl Into<Cow<'static, str>>, reason: Msg) -> Self {
        Self::BadInput {
            field: field.into(),
            reason,
        }
    }

    pub fn conflict(reason: Msg) -> Self {
        Self::Conflict {
            reason,
            current_status: None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated | Self::InvalidToken | Self::InvalidCredentials => {
                "UNAUTHENTICATED"
            }
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict { .. } => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
        }
    }

    pub fn message(&self, lang: Lang) -> Cow<'static, str> {
        match self {
            Self::Unauthenticated => Msg::Unauthenticated.text(lang),
            Self::InvalidToken => Msg::InvalidToken.text(lang),
            Self::InvalidCredentials => Msg::InvalidCredentials.text(lang),
            Self::Forbidden => Msg::Forbidden.text(lang),
            Self::NotFound => Msg::NotFound.text(lang),
            Self::BadInput { reason, .. } | Self::Conflict { reason, .. } => reason.text(lang),
            Self::RateLimited { retry_after } => Msg::RateLimited {
                retry_after: *retry_after,
            }
            .text(lang),
            Self::Internal(_) => Msg::Internal.text(lang),
        }
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Internal(format!("database: {error}"))
    }
}

impl From<DbError> for ServiceError {
    fn from(error: DbError) -> Self {
        Self::Internal(error.to_string())
    }
}

impl From<tokio::task::JoinError> for ServiceError {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Internal(format!("blocking task failed: {error}"))
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

//! Errors, by layer:
//! * `db::DbError` — connecting, migrating, pooling; start-up turns it into a clear message and exit.
//! * [`ServiceError`] — what a service operation can answer: a code, the field at fault and a
//!   translatable message. Anything that is not the caller's doing becomes `Internal` with an
//!   [`InternalError`] that keeps its cause: the edge logs the whole chain and shows none of it.
//!   The database being out of reach (no pooled connection in time, no answer by the deadline, a
//!   lost connection) is not internal: it becomes `Unavailable`, which the caller may retry; so
//!   does a write refused for lack of space (a full disk), which `/readyz` then reports too.
//! * At the GraphQL edge, `ServiceError` becomes an `async_graphql::Error` with `extensions.code`
//!   (and `field`, `retryAfter`, `currentStatus` where they apply), in the request's language.
//!   [`ErrorCode`] is the closed list of those codes; `docs/errors.md` documents each one.

use std::borrow::Cow;

use laporlapak_db::DbError;
use laporlapak_domain::i18n::{Lang, Msg};

/// Deliberately not `Display`: async-graphql converts any `Display` type into an error with that
/// text, and these must go through the one localising conversion in [`graphql`] instead.
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
        current_status: Option<laporlapak_domain::CaseStatus>,
    },
    RateLimited {
        retry_after: u64,
    },
    /// The database cannot be reached just now, or has no room for a write (nor the evidence
    /// store); try again in `retry_after` seconds (HTTP 503).
    Unavailable {
        retry_after: u64,
    },
    Internal(InternalError),
}

/// Defines [`ErrorCode`] from one list, so that `ALL` holds every variant by construction.
macro_rules! error_codes {
    ($($(#[$meta:meta])* $variant:ident = $text:literal,)+) => {
        /// Every `extensions.code` the API answers with. `docs/errors.md` says when each happens
        /// and what a client should do; a test keeps that table and this list equal.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $($(#[$meta])* $variant,)+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The code as the API spells it in `extensions.code`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }
    };
}

error_codes! {
    /// No token where one is needed, or a token that does not verify; wrong credentials.
    Unauthenticated = "UNAUTHENTICATED",
    /// A token of a role that may not use the operation.
    Forbidden = "FORBIDDEN",
    /// Input refused; `extensions.field` names it. Also a request that does not parse or validate.
    BadUserInput = "BAD_USER_INPUT",
    /// The object does not exist or lies outside the caller's scope.
    NotFound = "NOT_FOUND",
    /// Not possible in the object's current state; `extensions.currentStatus` for a case.
    Conflict = "CONFLICT",
    /// Over a rate limit; `extensions.retryAfter` seconds.
    RateLimited = "RATE_LIMITED",
    /// The database is out of reach, or a write found no space; HTTP 503 with `Retry-After`.
    Unavailable = "UNAVAILABLE",
    /// A fault inside the server; nothing of it is shown.
    Internal = "INTERNAL",
}

/// What `Unavailable` suggests waiting before a retry, in seconds.
pub const UNAVAILABLE_RETRY_AFTER_SECONDS: u64 = 5;

/// What went wrong inside, kept with its cause for the log.
#[derive(Debug, thiserror::Error)]
pub enum InternalError {
    #[error("database query failed")]
    Database(#[from] diesel::result::Error),
    #[error("database unavailable")]
    Db(#[from] DbError),
    #[error("blocking task failed")]
    Task(#[from] tokio::task::JoinError),
    /// (getrandom's error is not a `std::error::Error` without its `std` feature.)
    #[error("no randomness from the operating system: {0}")]
    Random(getrandom::Error),
    #[error("password hashing: {0}")]
    Hashing(String),
    #[error("access token could not be issued")]
    Token(#[from] crate::auth::token::TokenError),
    #[error("data keys")]
    Vault(#[from] laporlapak_db::vault::VaultError),
    /// A rule the code relies on did not hold (a row without its reference data, say).
    #[error("invariant broken: {0}")]
    Invariant(&'static str),
}

impl From<getrandom::Error> for InternalError {
    fn from(error: getrandom::Error) -> Self {
        Self::Random(error)
    }
}

impl InternalError {
    /// Is this the database being out of reach (or out of space) rather than a fault inside?
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Database(error) => {
                laporlapak_db::is_connection_lost(error)
                    || laporlapak_db::space::is_out_of_space(error)
            }
            Self::Db(error) => error.is_unavailable(),
            Self::Task(_)
            | Self::Vault(_)
            | Self::Random(_)
            | Self::Hashing(_)
            | Self::Token(_)
            | Self::Invariant(_) => false,
        }
    }

    /// Is this a database write refused for lack of space?
    pub fn is_out_of_space(&self) -> bool {
        match self {
            Self::Database(error) | Self::Db(DbError::Setup(error)) => {
                laporlapak_db::space::is_out_of_space(error)
            }
            _ => false,
        }
    }

    /// The error and every cause, for one log line.
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(error) = cause {
            text.push_str(": ");
            text.push_str(&error.to_string());
            cause = error.source();
        }
        text
    }
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

    pub fn error_code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated | Self::InvalidToken | Self::InvalidCredentials => {
                ErrorCode::Unauthenticated
            }
            Self::Forbidden => ErrorCode::Forbidden,
            Self::NotFound => ErrorCode::NotFound,
            Self::BadInput { .. } => ErrorCode::BadUserInput,
            Self::Conflict { .. } => ErrorCode::Conflict,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Unavailable { .. } => ErrorCode::Unavailable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// `extensions.code`.
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
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
            Self::Unavailable { retry_after } => Msg::Unavailable {
                retry_after: *retry_after,
            }
            .text(lang),
            Self::Internal(_) => Msg::Internal.text(lang),
        }
    }
}

impl ServiceError {
    pub fn invariant(what: &'static str) -> Self {
        Self::Internal(InternalError::Invariant(what))
    }
}

impl<E: Into<InternalError>> From<E> for ServiceError {
    fn from(error: E) -> Self {
        let error = error.into();
        if error.is_out_of_space() {
            // For `/readyz`: the database layer picks this up when the work on this thread ends.
            laporlapak_db::stats::note_out_of_space();
            tracing::error!(error = %error.chain(), "a database write found no space");
            return Self::Unavailable {
                retry_after: UNAVAILABLE_RETRY_AFTER_SECONDS,
            };
        }
        if error.is_unavailable() {
            // Logged here, where the cause is still known; the caller only learns to retry.
            tracing::warn!(error = %error.chain(), "database unavailable");
            return Self::Unavailable {
                retry_after: UNAVAILABLE_RETRY_AFTER_SECONDS,
            };
        }
        Self::Internal(error)
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// The one place a `ServiceError` becomes a GraphQL error: `extensions.code` always, plus `field`,
/// `retryAfter` and `currentStatus` where they apply, with the message in the request's language.
/// Internal errors are logged here with their detail and answered with a generic message.
///
/// It lives here, behind the `graphql` feature that only the api crate turns on, because Rust
/// accepts `impl From<ServiceError> for async_graphql::Error` only beside one of the two types.
#[cfg(feature = "graphql")]
pub mod graphql {
    use super::{Lang, ServiceError};

    use async_graphql::ErrorExtensions as _;

    tokio::task_local! {
        /// The language of the request being executed, set by the HTTP handler around execution so that
        /// `?` on a `ServiceError` inside any resolver produces a localised message.
        pub static REQUEST_LANG: Lang;
    }

    pub fn current_lang() -> Lang {
        REQUEST_LANG.try_with(|lang| *lang).unwrap_or_default()
    }

    impl From<ServiceError> for async_graphql::Error {
        fn from(error: ServiceError) -> Self {
            to_graphql_error(&error, current_lang())
        }
    }

    pub fn to_graphql_error(error: &ServiceError, lang: Lang) -> async_graphql::Error {
        if let ServiceError::Internal(internal) = error {
            tracing::error!(error = %internal.chain(), "internal error");
        }
        async_graphql::Error::new(error.message(lang)).extend_with(|_, ext| {
            ext.set("code", error.code());
            match error {
                ServiceError::BadInput { field, .. } => ext.set("field", field.as_ref()),
                ServiceError::RateLimited { retry_after }
                | ServiceError::Unavailable { retry_after } => ext.set("retryAfter", *retry_after),
                ServiceError::Conflict {
                    current_status: Some(status),
                    ..
                } => ext.set("currentStatus", status.as_str()),
                _ => {}
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_spelled_once_each() {
        let mut spellings: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        spellings.sort_unstable();
        spellings.dedup();
        assert_eq!(spellings.len(), ErrorCode::ALL.len());
    }
}

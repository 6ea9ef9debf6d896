//! Errors, by layer:
//! * `db::DbError` — connecting, migrating, pooling; start-up turns it into a clear message and exit.
//! * [`ServiceError`] — what a service operation can answer: a code, the field at fault and a
//!   translatable message. Anything that is not the caller's doing becomes `Internal` with an
//!   [`InternalError`] that keeps its cause: the edge logs the whole chain and shows none of it.
//!   The database being out of reach (no pooled connection in time, no answer by the deadline, a
//!   lost connection) is not internal: it becomes `Unavailable`, which the caller may retry.
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
        current_status: Option<crate::domain::CaseStatus>,
    },
    RateLimited {
        retry_after: u64,
    },
    /// The database cannot be reached just now; try again in `retry_after` seconds (HTTP 503).
    Unavailable {
        retry_after: u64,
    },
    Internal(InternalError),
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
    /// Is this the database being out of reach rather than a fault inside?
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Database(error) => crate::db::is_connection_lost(error),
            Self::Db(error) => error.is_unavailable(),
            Self::Task(_)
            | Self::Random(_)
            | Self::Hashing(_)
            | Self::Token(_)
            | Self::Invariant(_) => false,
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
            Self::Unavailable { .. } => "UNAVAILABLE",
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

//! The one place a `ServiceError` becomes a GraphQL error: `extensions.code` always, plus `field`,
//! `retryAfter` and `currentStatus` where they apply, with the message in the request's language.
//! Internal errors are logged here with their detail and answered with a generic message.

use async_graphql::ErrorExtensions as _;

use crate::error::ServiceError;
use crate::i18n::Lang;

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

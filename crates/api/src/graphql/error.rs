//! Errors as GraphQL answers: the conversion is the service crate's (`error::graphql`, where Rust
//! allows `From<ServiceError> for async_graphql::Error`); the API names it from here.

pub use laporlapak_service::error::graphql::{REQUEST_LANG, current_lang, to_graphql_error};

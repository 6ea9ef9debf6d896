//! Plain HTTP endpoints beside the GraphQL API: the public transparency page and its CSV, the
//! operators' `/metrics`, the GraphQL IDE of development servers; and the security headers every
//! response carries. Like the
//! GraphQL layer, handlers here only parse the request, call a service and render the result.

pub mod evidence;
pub mod graphiql;
pub mod headers;
pub mod metrics;
pub mod oauth;
pub mod privacy;
pub mod request;
pub mod transparency;

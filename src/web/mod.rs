//! Plain HTTP endpoints beside the GraphQL API: the public transparency page and its CSV, and
//! the operators' `/metrics`; and the security headers every response carries. Like the
//! GraphQL layer, handlers here only parse the request, call a service and render the result.

pub mod headers;
pub mod metrics;
pub mod transparency;

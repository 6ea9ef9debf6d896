//! Plain HTTP pages beside the GraphQL API: the public transparency page and its CSV. Like the
//! GraphQL layer, handlers here only parse the request, call a service and render the result.

pub mod transparency;

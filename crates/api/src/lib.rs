//! The API layer: the GraphQL schema and its resolvers (`graphql`), and the HTTP edge around it
//! (`web`: the endpoint's client identification, the public pages, downloads, `/metrics`, OAuth).
//! Everything here translates: a request is parsed, one service operation is called with the
//! caller's `Viewer`, and its view is rendered. Rules, SQL and redaction live in the service
//! crate below, which cannot name anything of this one.

pub mod graphql;
pub mod web;

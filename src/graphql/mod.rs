//! The GraphQL layer: types, resolvers and the HTTP endpoint. Resolvers read the `Viewer` and the
//! `Services` from the context, convert arguments, call one service operation and convert its
//! result. They hold no SQL, no role checks and no redaction: who may see what is decided by the
//! services, which return views already shaped for their audience (a platform's complaint is its
//! own type), and a resolver only translates a view into the schema's type.

pub mod account;
pub mod case;
pub mod complaint;
pub mod enums;
pub mod error;
pub mod http;
pub mod id;
pub mod node;
pub mod pagination;
pub mod reference;
pub mod takedown;
pub mod transparency;

use async_graphql::{Context, EmptySubscription, MergedObject, Schema, SchemaBuilder};

use crate::config::Environment;
use crate::service::Services;
use crate::service::limits::ClientAddress;
use crate::service::viewer::Viewer;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    account::AccountQuery,
    complaint::ComplaintQuery,
    case::CaseQuery,
    takedown::TakedownQuery,
    transparency::TransparencyQuery,
    reference::ReferenceQuery,
    node::NodeQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    account::AccountMutation,
    complaint::ComplaintMutation,
    case::CaseMutation,
    takedown::TakedownMutation,
    reference::ReferenceMutation,
);

pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Bounds on what one query may ask for, so that a single request cannot tie up a worker. A scalar
/// field costs 1, a field that reads the database [`DB_READ`] more, a page `first` times its items
/// (`pagination::page_cost`), the transparency report [`REPORT_COST`]: a reviewer's page of 100
/// cases with every field fits; a hundred aliased reports or a page of pages of complaints do not.
const MAX_DEPTH: usize = 12;
const MAX_COMPLEXITY: usize = 5_000;
/// The complexity a field adds when resolving it reads the database.
pub const DB_READ: usize = 10;
/// The transparency report scans a period's requests, complaints and cases.
pub const REPORT_COST: usize = 500;
const MAX_RECURSIVE_DEPTH: usize = 24;
const MAX_DIRECTIVES: usize = 32;

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(MAX_RECURSIVE_DEPTH)
    .limit_directives(MAX_DIRECTIVES)
}

/// The schema the server executes, built once at start-up.
pub fn build_schema(services: Services, environment: Environment) -> AppSchema {
    let builder = builder().data(services);
    match environment {
        Environment::Development => builder.finish(),
        Environment::Production => builder
            .disable_introspection()
            .disable_suggestions()
            .finish(),
    }
}

/// Development only: the schema that answers introspection requests (every root field
/// `__schema`, `__type` or `__typename`), run in introspection-only mode so that none of the
/// API's own fields can be reached through it. The standard introspection query of IDEs and code
/// generators nests type references nine deep, beyond [`MAX_DEPTH`]; this allows it, and the
/// production schema has no introspection at all.
pub struct IntrospectionSchema(pub AppSchema);

/// Room for the standard introspection query (depth 15) and a little more.
const INTROSPECTION_MAX_DEPTH: usize = 20;

impl IntrospectionSchema {
    pub fn build() -> Self {
        Self(builder().limit_depth(INTROSPECTION_MAX_DEPTH).finish())
    }
}

/// The SDL, as `laporlapak export-schema` prints it and `schema.graphql` holds it.
pub fn sdl() -> String {
    builder().finish().sdl()
}

static ANONYMOUS: Viewer = Viewer::Anonymous;

/// Typed access to what the HTTP handler put into the request context.
pub trait ContextExt {
    fn services(&self) -> async_graphql::Result<&Services>;
    fn viewer(&self) -> &Viewer;
    fn client_address(&self) -> ClientAddress;
}

impl ContextExt for Context<'_> {
    fn services(&self) -> async_graphql::Result<&Services> {
        self.data::<Services>()
    }

    fn viewer(&self) -> &Viewer {
        self.data_opt::<Viewer>().unwrap_or(&ANONYMOUS)
    }

    fn client_address(&self) -> ClientAddress {
        self.data_opt::<ClientAddress>()
            .copied()
            .unwrap_or_default()
    }
}

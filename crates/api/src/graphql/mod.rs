//! The GraphQL layer: types, resolvers and the HTTP endpoint. Resolvers read the `Viewer` and the
//! `Services` from the context, convert arguments, call one service operation and convert its
//! result. They hold no SQL, no role checks and no redaction: who may see what is decided by the
//! services, which return views already shaped for their audience (a platform's complaint is its
//! own type), and a resolver only translates a view into the schema's type.

pub mod account;
pub mod appeal;
pub mod audit_log;
pub mod case;
pub mod complaint;
pub mod datetime;
pub mod enums;
pub mod error;
pub mod evidence;
pub mod http;
pub mod id;
pub mod integration;
pub mod keyword_rule;
pub mod labels;
pub mod legal;
pub mod live;
pub mod mail;
pub mod ministry;
pub mod node;
pub mod organisation;
pub mod pagination;
pub mod privacy;
pub mod reference;
pub mod register;
pub mod seller;
pub mod takedown;
pub mod transparency;
pub mod trends;
pub mod watchlist;

use async_graphql::{Context, MergedObject, Schema, SchemaBuilder};

use laporlapak_service::Services;
use laporlapak_service::limits::ClientAddress;
use laporlapak_service::settings::Environment;
use laporlapak_service::viewer::Viewer;

/// Every read of the API. Public: `categories`, `platforms`, `complaintByTrackingCode`,
/// `transparencyReport`, `takedownRegister`, `ministryFigures`, `platformTrends`; without a token `me`, `case` and `node` answer null, and the rest
/// UNAUTHENTICATED (send `Authorization: Bearer <token>` from `login` or `register`). An object
/// outside the caller's scope reads as null, exactly like one that does not exist.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    account::AccountQuery,
    complaint::ComplaintQuery,
    case::CaseQuery,
    takedown::TakedownQuery,
    legal::LegalQuery,
    integration::IntegrationQuery,
    seller::SellerQuery,
    keyword_rule::KeywordRuleQuery,
    organisation::OrganisationQuery,
    watchlist::WatchlistQuery,
    appeal::AppealQuery,
    mail::MailQuery,
    privacy::PrivacyQuery,
    transparency::TransparencyQuery,
    audit_log::AuditLogQuery,
    register::RegisterQueryRoot,
    ministry::MinistryQuery,
    trends::TrendsQuery,
    reference::ReferenceQuery,
    node::NodeQuery,
);

/// Every change the API makes, and signing in. A change is one database transaction together with
/// its audit event: all of it happens, or none. An object outside the caller's scope answers
/// NOT_FOUND; an operation the caller's role may not use, UNAUTHENTICATED (no token) or FORBIDDEN
/// (another role).
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    account::AccountMutation,
    complaint::ComplaintMutation,
    case::CaseMutation,
    takedown::TakedownMutation,
    legal::LegalMutation,
    integration::IntegrationMutation,
    seller::SellerMutation,
    keyword_rule::KeywordRuleMutation,
    organisation::OrganisationMutation,
    appeal::AppealMutation,
    mail::MailMutation,
    privacy::PrivacyMutation,
    reference::ReferenceMutation,
);

pub type AppSchema = Schema<QueryRoot, MutationRoot, live::SubscriptionRoot>;

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

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, live::SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        live::SubscriptionRoot,
    )
    .limit_depth(MAX_DEPTH)
    .extension(ComplexityLimit)
    .limit_recursive_depth(MAX_RECURSIVE_DEPTH)
    .limit_directives(MAX_DIRECTIVES)
    .override_output_type_description::<datetime::DateTime>(DATE_TIME_DESCRIPTION)
    .override_output_type_description::<complaint::ComplaintConnection>(
        complaint::CONNECTION_DESCRIPTION,
    )
    .override_output_type_description::<complaint::ComplaintEdge>(complaint::EDGE_DESCRIPTION)
    .override_output_type_description::<case::CaseConnection>(case::CONNECTION_DESCRIPTION)
    .override_output_type_description::<case::CaseEdge>(case::EDGE_DESCRIPTION)
    .override_output_type_description::<takedown::TakedownRequestConnection>(
        takedown::CONNECTION_DESCRIPTION,
    )
    .override_output_type_description::<takedown::TakedownRequestEdge>(takedown::EDGE_DESCRIPTION)
    .override_output_type_description::<integration::WebhookDeliveryConnection>(
        integration::DELIVERY_CONNECTION_DESCRIPTION,
    )
    .override_output_type_description::<integration::WebhookDeliveryEdge>(
        integration::DELIVERY_EDGE_DESCRIPTION,
    )
    .override_output_type_description::<keyword_rule::KeywordRuleChangeConnection>(
        keyword_rule::CONNECTION_DESCRIPTION,
    )
    .override_output_type_description::<keyword_rule::KeywordRuleChangeEdge>(
        keyword_rule::EDGE_DESCRIPTION,
    )
    .override_output_type_description::<organisation::OrganisationReportConnection>(
        organisation::CONNECTION_DESCRIPTION,
    )
    .override_output_type_description::<organisation::OrganisationReportEdge>(
        organisation::EDGE_DESCRIPTION,
    )
    .override_output_type_description::<watchlist::WatchlistConnection>(
        watchlist::CONNECTION_DESCRIPTION,
    )
    .override_output_type_description::<watchlist::WatchlistEdge>(watchlist::EDGE_DESCRIPTION)
    .override_output_type_description::<register::TakedownRegisterConnection>(
        register::CONNECTION_DESCRIPTION,
    )
    .override_output_type_description::<register::TakedownRegisterEdge>(register::EDGE_DESCRIPTION)
}

/// [`MAX_COMPLEXITY`], checked after validation so that the refusal can say what the query cost
/// (async-graphql's own limit says only "Query is too complex.").
struct ComplexityLimit;

impl async_graphql::extensions::ExtensionFactory for ComplexityLimit {
    fn create(&self) -> std::sync::Arc<dyn async_graphql::extensions::Extension> {
        std::sync::Arc::new(ComplexityLimit)
    }
}

#[async_graphql::async_trait::async_trait]
impl async_graphql::extensions::Extension for ComplexityLimit {
    async fn validation(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        next: async_graphql::extensions::NextValidation<'_>,
    ) -> Result<async_graphql::ValidationResult, Vec<async_graphql::ServerError>> {
        let result = next.run(ctx).await?;
        if result.complexity <= MAX_COMPLEXITY {
            return Ok(result);
        }
        let message = laporlapak_domain::i18n::Msg::QueryTooComplex {
            cost: result.complexity,
            limit: MAX_COMPLEXITY,
        }
        .text(error::current_lang())
        .into_owned();
        let mut refusal = async_graphql::ServerError::new(message, None);
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", "BAD_USER_INPUT");
        extensions.set("cost", result.complexity);
        extensions.set("limit", MAX_COMPLEXITY);
        refusal.extensions = Some(extensions);
        Err(vec![refusal])
    }
}

/// The description of the `DateTime` scalar (`datetime`).
const DATE_TIME_DESCRIPTION: &str = "A point in time, RFC 3339 with an offset: an input such as \
`2026-11-30T08:15:00Z` or `2026-11-30T15:15:00+07:00` (WIB); a value without an offset, a date \
alone or a number is refused with BAD_USER_INPUT before anything runs. The server always answers \
in UTC with microseconds and `Z` (`2026-11-30T08:15:00.000000Z`), the same form as webhook \
bodies.";

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
    // With `@specifiedBy` on the scalars that have a specification (`DateTime`: RFC 3339), so a
    // code generator can map them to its own date type.
    builder()
        .finish()
        .sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by())
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

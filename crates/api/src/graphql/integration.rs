//! Platform integration in the API: API clients (ADMIN), webhook endpoints and deliveries (a
//! platform's representatives and ADMIN), and the bulk answers of takedown requests.

use crate::graphql::datetime::DateTime;
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Description, Enum, ID, InputObject, Object, SimpleObject};
use laporlapak_domain::webhook::DeliveryStatus;

use crate::graphql::ContextExt as _;
use crate::graphql::case::TakedownRequest;
use crate::graphql::error::current_lang;
use crate::graphql::id::{self, NodeType};
use crate::graphql::pagination;
use crate::graphql::reference::Platform;
use crate::graphql::takedown::RespondInput;
use laporlapak_service::api_client::{self, ApiClientView, IssuedSecret, SecretView};
use laporlapak_service::error::ServiceError;
use laporlapak_service::takedown::{self, Bulk};
use laporlapak_service::webhook::{self, AttemptView, DeliveryView, EndpointView};

/// The row a secret's `ID` (its number) names; anything else finds nothing (NOT_FOUND).
fn number(id: &ID) -> i64 {
    id.parse::<i64>().ok().filter(|n| *n > 0).unwrap_or(0)
}

/// The row an argument names: the object's global ID, or the number its `id` was before it became
/// a `Node` (accepted until 2027-03-31, the removal date of `legacyId`); anything else finds
/// nothing (NOT_FOUND).
fn node_number(id: &ID, expected: NodeType) -> i64 {
    id::argument_or_number(id, expected)
}

async fn platform(ctx: &Context<'_>, id: i64) -> async_graphql::Result<Platform> {
    laporlapak_service::reference::platform(ctx.services()?, id)
        .await?
        .map(Platform)
        .ok_or_else(|| ServiceError::NotFound.into())
}

/// A service account through which a platform's systems act: it obtains access tokens at
/// `POST /oauth/token` (OAuth 2.0 client credentials) that act as the PLATFORM role for its
/// platform. Seen by administrators only; never shows a secret.
#[derive(Description)]
pub struct ApiClient(pub ApiClientView);

#[Object(use_type_description)]
impl ApiClient {
    /// The client's global ID (a `Node`; until 2026-12-07 its number, which `legacyId` gives).
    pub async fn id(&self) -> ID {
        id::encode(NodeType::ApiClient, self.0.id)
    }
    /// The client's number, which `id` was until 2026-12-07.
    #[graphql(
        deprecation = "Use `id`, the global ID; arguments accept the number until 2027-03-31. Removal after 2027-03-31."
    )]
    async fn legacy_id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The identifier the client presents as `client_id`.
    async fn client_id(&self) -> &str {
        &self.0.client_id
    }
    /// Who the client is, as the administrator named it (e.g. "TikTok T&S sync").
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The platform it acts for.
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Platform> {
        platform(ctx, self.0.platform_id).await
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When it was revoked: its tokens have been refused since; null while it works.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(Into::into)
    }
    /// When it last obtained an access token; null if never.
    async fn last_used_at(&self) -> Option<DateTime> {
        self.0.last_used_at.map(Into::into)
    }
    /// Its secrets, oldest first: after a rotation two are live until the old one is revoked.
    async fn secrets(&self) -> Vec<ApiClientSecret> {
        self.0
            .secrets
            .iter()
            .cloned()
            .map(ApiClientSecret)
            .collect()
    }
}

/// One secret of an API client (only its last characters: the secret itself is shown once).
#[derive(Description)]
pub struct ApiClientSecret(SecretView);

#[Object(use_type_description)]
impl ApiClientSecret {
    /// The secret's number, for `revokeApiClientSecret`.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The secret's last four characters, to tell secrets apart.
    async fn hint(&self) -> &str {
        &self.0.hint
    }
    /// When it was made.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When it was revoked; null while it works.
    async fn revoked_at(&self) -> Option<DateTime> {
        self.0.revoked_at.map(Into::into)
    }
    /// When a token was last obtained with it: once the old secret of a rotation shows no use,
    /// it can be revoked.
    async fn last_used_at(&self) -> Option<DateTime> {
        self.0.last_used_at.map(Into::into)
    }
}

/// A new client secret, shown this once: store it in a secret manager now.
#[derive(Description)]
pub struct ApiClientSecretIssued(IssuedSecret);

#[Object(use_type_description)]
impl ApiClientSecretIssued {
    /// The client, with the new secret among its `secrets`.
    async fn client(&self) -> ApiClient {
        ApiClient(self.0.client.clone())
    }
    /// The secret (`llcs_…`): it cannot be shown again.
    async fn secret(&self) -> &str {
        &self.0.secret
    }
    /// The new secret's number.
    async fn secret_id(&self) -> ID {
        ID(self.0.secret_id.to_string())
    }
}

/// An HTTPS endpoint of a platform that receives signed webhooks (Standard Webhooks: headers
/// `webhook-id`, `webhook-timestamp`, `webhook-signature`).
#[derive(Description)]
pub struct WebhookEndpoint(pub EndpointView);

#[Object(use_type_description)]
impl WebhookEndpoint {
    /// The endpoint's global ID (a `Node`; until 2026-12-07 its number, which `legacyId` gives).
    pub async fn id(&self) -> ID {
        id::encode(NodeType::WebhookEndpoint, self.0.id)
    }
    /// The endpoint's number, which `id` was until 2026-12-07.
    #[graphql(
        deprecation = "Use `id`, the global ID; arguments accept the number until 2027-03-31. Removal after 2027-03-31."
    )]
    async fn legacy_id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The platform whose events it receives.
    async fn platform(&self, ctx: &Context<'_>) -> async_graphql::Result<Platform> {
        platform(ctx, self.0.platform_id).await
    }
    /// Where the events are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// What the platform noted about it.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// When it was registered.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When it was disabled (no deliveries since); null while it receives events.
    async fn disabled_at(&self) -> Option<DateTime> {
        self.0.disabled_at.map(Into::into)
    }
    /// Until when the secret replaced by the last `rotateWebhookSecret` signs too (each delivery
    /// then carries two signatures); null when that rotation had no overlap or there was none.
    async fn previous_secret_expires_at(&self) -> Option<DateTime> {
        self.0.previous_secret_until.map(Into::into)
    }
}

/// A new endpoint with its signing secret, shown this once.
#[derive(Description)]
pub struct WebhookEndpointCreated(webhook::CreatedEndpoint);

#[Object(use_type_description)]
impl WebhookEndpointCreated {
    /// The endpoint.
    async fn endpoint(&self) -> WebhookEndpoint {
        WebhookEndpoint(self.0.endpoint.clone())
    }
    /// The signing secret (`whsec_` and a base64 key): verify each webhook's
    /// `webhook-signature` with it. It cannot be shown again.
    async fn secret(&self) -> &str {
        &self.0.secret
    }
}

/// An endpoint's new signing secret, shown this once.
#[derive(Description)]
pub struct WebhookSecretRotated(webhook::CreatedEndpoint);

#[Object(use_type_description)]
impl WebhookSecretRotated {
    /// The endpoint (`previousSecretExpiresAt`: when the old secret stops signing).
    async fn endpoint(&self) -> WebhookEndpoint {
        WebhookEndpoint(self.0.endpoint.clone())
    }
    /// The new signing secret (`whsec_` and a base64 key). It cannot be shown again.
    async fn secret(&self) -> &str {
        &self.0.secret
    }
}

/// Where a webhook delivery stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum WebhookDeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// The endpoint answered 2xx.
    Succeeded,
    /// Retried for 24 hours without success (or its endpoint was disabled); `redeliverWebhook`
    /// tries again.
    Failed,
}

impl From<DeliveryStatus> for WebhookDeliveryStatus {
    fn from(status: DeliveryStatus) -> Self {
        match status {
            DeliveryStatus::Pending => Self::Pending,
            DeliveryStatus::Succeeded => Self::Succeeded,
            DeliveryStatus::Failed => Self::Failed,
        }
    }
}

impl From<WebhookDeliveryStatus> for DeliveryStatus {
    fn from(status: WebhookDeliveryStatus) -> Self {
        match status {
            WebhookDeliveryStatus::Pending => Self::Pending,
            WebhookDeliveryStatus::Succeeded => Self::Succeeded,
            WebhookDeliveryStatus::Failed => Self::Failed,
        }
    }
}

/// One event sent (or to be sent) to one endpoint, with its attempts.
#[derive(Description)]
pub struct WebhookDelivery(pub DeliveryView);

#[Object(use_type_description)]
impl WebhookDelivery {
    /// The delivery's global ID (a `Node`), for `redeliverWebhook`; until 2026-12-07 its number,
    /// which `legacyId` gives.
    pub async fn id(&self) -> ID {
        id::encode(NodeType::WebhookDelivery, self.0.id)
    }
    /// The delivery's number, which `id` was until 2026-12-07.
    #[graphql(
        deprecation = "Use `id`, the global ID; arguments accept the number until 2027-03-31. Removal after 2027-03-31."
    )]
    async fn legacy_id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The endpoint's global ID (`WebhookEndpoint.id`; until 2026-12-07 its number).
    async fn endpoint_id(&self) -> ID {
        id::encode(NodeType::WebhookEndpoint, self.0.endpoint_id)
    }
    /// The `webhook-id` header: the same for every attempt, so receivers can deduplicate.
    async fn message_id(&self) -> &str {
        &self.0.message_id
    }
    /// The event, e.g. `takedown_request.issued`.
    async fn event_type(&self) -> &str {
        self.0.event_type.as_str()
    }
    /// The JSON body sent.
    async fn payload(&self) -> &str {
        &self.0.payload
    }
    /// Where it stands.
    async fn status(&self) -> WebhookDeliveryStatus {
        self.0.status.into()
    }
    /// Attempts made so far.
    async fn attempt_count(&self) -> i32 {
        self.0.attempt_count
    }
    /// When the next attempt is due, while PENDING.
    async fn next_attempt_at(&self) -> Option<DateTime> {
        self.0.next_attempt_at.map(Into::into)
    }
    /// When the event was enqueued.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When it succeeded or was given up.
    async fn finished_at(&self) -> Option<DateTime> {
        self.0.finished_at.map(Into::into)
    }
    /// The HTTP status of the last answer, if there was one.
    async fn last_status_code(&self) -> Option<i32> {
        self.0.last_status_code
    }
    /// Why the last attempt got no answer (timeout, refused connection, refused address…).
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// Every attempt, oldest first.
    async fn attempts(&self) -> Vec<WebhookAttempt> {
        self.0
            .attempts
            .iter()
            .cloned()
            .map(WebhookAttempt)
            .collect()
    }
}

/// One attempt of a delivery.
#[derive(Description)]
pub struct WebhookAttempt(AttemptView);

#[Object(use_type_description)]
impl WebhookAttempt {
    /// When it was made.
    async fn at(&self) -> DateTime {
        self.0.at.into()
    }
    /// How long it took, in milliseconds.
    async fn duration_ms(&self) -> i32 {
        self.0.duration_ms
    }
    /// The HTTP status answered; null when there was no answer.
    async fn status_code(&self) -> Option<i32> {
        self.0.status_code
    }
    /// Why there was no answer.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    /// The first KiB of the answer's body.
    async fn response_excerpt(&self) -> Option<&str> {
        self.0.response_excerpt.as_deref()
    }
}

/// One refused item of a bulk call.
#[derive(SimpleObject)]
pub struct BulkItemError {
    /// The item's position in the list sent, from 0.
    pub index: i32,
    /// The `extensions.code` the item would have got alone (see docs/errors.md).
    pub code: String,
    /// The input field at fault, e.g. `inputs[3].answer.statementOfReasons` (the notation of every error's `extensions.field`); null when the item as a
    /// whole is refused (NOT_FOUND, CONFLICT).
    pub field: Option<String>,
    /// What is wrong, in the request's language.
    pub message: String,
}

/// The outcome of a bulk call: every item applied in one transaction, or — when any item is
/// refused — none, with the refused items listed.
#[derive(SimpleObject)]
pub struct TakedownBulkResult {
    /// Whether the items were applied (all of them); false means nothing changed.
    pub applied: bool,
    /// The requests as they are now, in the order sent; empty when nothing was applied.
    pub requests: Vec<TakedownRequest>,
    /// Each refused item; empty when applied.
    pub errors: Vec<BulkItemError>,
}

impl From<Bulk> for TakedownBulkResult {
    fn from(outcome: Bulk) -> Self {
        match outcome {
            Bulk::Applied(views) => Self {
                applied: true,
                requests: views.into_iter().map(TakedownRequest).collect(),
                errors: Vec::new(),
            },
            Bulk::Refused(items) => {
                let lang = current_lang();
                Self {
                    applied: false,
                    requests: Vec::new(),
                    errors: items
                        .into_iter()
                        .map(|(index, error)| BulkItemError {
                            index: i32::try_from(index).unwrap_or(i32::MAX),
                            code: error.code().to_owned(),
                            field: match &error {
                                ServiceError::BadInput { field, .. } => Some(field.to_string()),
                                _ => None,
                            },
                            message: error.message(lang).into_owned(),
                        })
                        .collect(),
                }
            }
        }
    }
}

/// One answer of `respondToTakedownRequests`.
#[derive(InputObject)]
pub struct BulkRespondInput {
    /// The request's global ID (`TakedownRequest.id`).
    pub id: ID,
    /// The platform's action and reasons, as for `respondToTakedownRequest`.
    pub answer: RespondInput,
}

pub type WebhookDeliveryConnection = Connection<String, WebhookDelivery, DeliveryConnectionFields>;

/// The counts of a page of deliveries: every connection has `pageCount` and `totalCount`.
pub struct DeliveryConnectionFields {
    page_count: i32,
    endpoint: Option<i64>,
    status: Option<DeliveryStatus>,
}

#[Object]
impl DeliveryConnectionFields {
    /// Deliveries on this page.
    async fn page_count(&self) -> i32 {
        self.page_count
    }
    /// How many deliveries the list holds, over every page. Counted only when asked (one more
    /// read of the database).
    #[graphql(complexity = "crate::graphql::DB_READ")]
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(
            webhook::deliveries_total(ctx.services()?, ctx.viewer(), self.endpoint, self.status)
                .await?,
        )
    }
}
pub type WebhookDeliveryEdge = Edge<String, WebhookDelivery, EmptyFields>;

pub const DELIVERY_CONNECTION_DESCRIPTION: &str = "A page of webhook deliveries, newest first \
(a Relay cursor connection): `pageInfo.endCursor` is the `after` of the next page while \
`pageInfo.hasNextPage` is true; `pageCount` counts this page, `totalCount` the whole list.";
pub const DELIVERY_EDGE_DESCRIPTION: &str = "A webhook delivery of a page, with its cursor.";

#[derive(Default)]
pub struct IntegrationQuery;

#[Object]
impl IntegrationQuery {
    /// API clients, newest first, optionally of one platform (by slug). ADMIN only.
    async fn api_clients(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this platform's clients, by `Platform.slug`.")] platform: Option<
            String,
        >,
    ) -> async_graphql::Result<Vec<ApiClient>> {
        Ok(api_client::list(ctx.services()?, ctx.viewer(), platform)
            .await?
            .into_iter()
            .map(ApiClient)
            .collect())
    }

    /// The webhook endpoints of the caller's platform (an ADMIN: of every platform), newest
    /// first, disabled ones included. PLATFORM and ADMIN only.
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<WebhookEndpoint>> {
        Ok(webhook::endpoints(ctx.services()?, ctx.viewer())
            .await?
            .into_iter()
            .map(WebhookEndpoint)
            .collect())
    }

    /// Webhook deliveries with their attempts, newest first: of one endpoint, or of every
    /// endpoint the caller manages. PLATFORM (its own platform's) and ADMIN only.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only this endpoint's deliveries (`WebhookEndpoint.id`; its former number is accepted until 2027-03-31)."
        )]
        endpoint: Option<ID>,
        #[graphql(desc = "Only deliveries in this status.")] status: Option<WebhookDeliveryStatus>,
        #[graphql(desc = "Page size, 1 to 100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<WebhookDeliveryConnection> {
        let limit = pagination::page_size(first)?;
        let endpoint = endpoint.map(|id| node_number(&id, NodeType::WebhookEndpoint));
        let before = pagination::decode_id("delivery", after.as_deref())?;
        let (page, has_more) = webhook::deliveries(
            ctx.services()?,
            ctx.viewer(),
            endpoint,
            status.map(DeliveryStatus::from),
            before,
            limit,
        )
        .await?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            has_more,
            DeliveryConnectionFields {
                page_count: i32::try_from(page.len()).unwrap_or(i32::MAX),
                endpoint,
                status: status.map(DeliveryStatus::from),
            },
        );
        connection.edges.extend(page.into_iter().map(|delivery| {
            Edge::new(
                pagination::encode("delivery", &delivery.id.to_string()),
                WebhookDelivery(delivery),
            )
        }));
        Ok(connection)
    }
}

fn request_ids(ids: Vec<ID>) -> Vec<i64> {
    ids.iter()
        .map(|id| id::argument(id, NodeType::TakedownRequest))
        .collect()
}

#[derive(Default)]
pub struct IntegrationMutation;

#[Object]
impl IntegrationMutation {
    /// A new API client for a platform, with its first secret (shown once). ADMIN only.
    async fn create_api_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The platform it acts for, by `Platform.slug`.")] platform: String,
        #[graphql(desc = "Who the client is, 1 to 100 characters.")] name: String,
    ) -> async_graphql::Result<ApiClientSecretIssued> {
        Ok(ApiClientSecretIssued(
            api_client::create(ctx.services()?, ctx.viewer(), &platform, &name).await?,
        ))
    }

    /// A second secret for a client (shown once); the old one keeps working until
    /// `revokeApiClientSecret`. ADMIN only; a revoked client is a CONFLICT.
    async fn rotate_api_client_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The client's global ID (`ApiClient.id`; its former number is accepted until 2027-03-31)."
        )]
        id: ID,
    ) -> async_graphql::Result<ApiClientSecretIssued> {
        let id = node_number(&id, NodeType::ApiClient);
        Ok(ApiClientSecretIssued(
            api_client::rotate(ctx.services()?, ctx.viewer(), id).await?,
        ))
    }

    /// One secret of a client stops working at once (tokens already issued with it keep working
    /// until they expire; revoke the client to stop them too). ADMIN only.
    async fn revoke_api_client_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The client's global ID (`ApiClient.id`; its former number is accepted until 2027-03-31)."
        )]
        client: ID,
        #[graphql(desc = "The secret's number (`ApiClientSecret.id`).")] secret: ID,
    ) -> async_graphql::Result<ApiClient> {
        let client = node_number(&client, NodeType::ApiClient);
        let secret = number(&secret);
        Ok(ApiClient(
            api_client::revoke_secret(ctx.services()?, ctx.viewer(), client, secret).await?,
        ))
    }

    /// The client and every token it holds stop working at once. ADMIN only.
    async fn revoke_api_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The client's global ID (`ApiClient.id`; its former number is accepted until 2027-03-31)."
        )]
        id: ID,
    ) -> async_graphql::Result<ApiClient> {
        let id = node_number(&id, NodeType::ApiClient);
        Ok(ApiClient(
            api_client::revoke(ctx.services()?, ctx.viewer(), id).await?,
        ))
    }

    /// Registers an endpoint for the platform's events, with a new signing secret (shown once).
    /// The URL must be `https` on a public address. PLATFORM (for its own platform) and ADMIN
    /// (naming the platform) only; at most 10 enabled endpoints a platform.
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Where to POST the events, at most 2,048 characters.")] url: String,
        #[graphql(desc = "A note about it, at most 200 characters.")] description: Option<String>,
        #[graphql(
            desc = "The platform, by `Platform.slug`: required for an ADMIN; a representative may omit it (naming another platform is FORBIDDEN)."
        )]
        platform: Option<String>,
    ) -> async_graphql::Result<WebhookEndpointCreated> {
        Ok(WebhookEndpointCreated(
            webhook::create_endpoint(
                ctx.services()?,
                ctx.viewer(),
                platform,
                &url,
                description.as_deref(),
            )
            .await?,
        ))
    }

    /// Stops deliveries to an endpoint (pending ones fail at their next attempt). PLATFORM (its
    /// own) and ADMIN only.
    async fn disable_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The endpoint's global ID (`WebhookEndpoint.id`; its former number is accepted until 2027-03-31)."
        )]
        id: ID,
    ) -> async_graphql::Result<WebhookEndpoint> {
        let id = node_number(&id, NodeType::WebhookEndpoint);
        Ok(WebhookEndpoint(
            webhook::disable_endpoint(ctx.services()?, ctx.viewer(), id).await?,
        ))
    }

    /// Replaces an endpoint's signing secret with a new one (shown once). During the overlap
    /// every delivery's `webhook-signature` carries two entries, `v1,<new> v1,<old>`, so the
    /// receiver can switch to the new secret without losing a delivery; after it only the new
    /// secret signs. A secret replaced by an earlier rotation stops signing at once. PLATFORM
    /// (its own) and ADMIN only.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The endpoint's global ID (`WebhookEndpoint.id`; its former number is accepted until 2027-03-31)."
        )]
        id: ID,
        #[graphql(
            desc = "How long the old secret keeps signing beside the new one, 0 (not at all) to 168 hours.",
            default = 24
        )]
        overlap_hours: i32,
    ) -> async_graphql::Result<WebhookSecretRotated> {
        let id = node_number(&id, NodeType::WebhookEndpoint);
        Ok(WebhookSecretRotated(
            webhook::rotate_secret(ctx.services()?, ctx.viewer(), id, i64::from(overlap_hours))
                .await?,
        ))
    }

    /// Attempts a finished delivery again, at once, with the same `webhook-id`. PLATFORM (its
    /// own) and ADMIN only; a delivery still pending is a CONFLICT.
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The delivery's global ID (`WebhookDelivery.id`; its former number is accepted until 2027-03-31)."
        )]
        id: ID,
    ) -> async_graphql::Result<WebhookDelivery> {
        let id = node_number(&id, NodeType::WebhookDelivery);
        Ok(WebhookDelivery(
            webhook::redeliver(ctx.services()?, ctx.viewer(), id).await?,
        ))
    }

    /// Answers 1 to 100 takedown requests at once: all are applied in one transaction, or — when
    /// any is invalid (unknown, another platform's, already answered, bad reasons) — none, and
    /// `errors` lists each refused item by its index. PLATFORM only.
    async fn respond_to_takedown_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The answers, 1 to 100, each request at most once.")] inputs: Vec<
            BulkRespondInput,
        >,
    ) -> async_graphql::Result<TakedownBulkResult> {
        let answers = inputs
            .into_iter()
            .map(|input| {
                (
                    id::argument(&input.id, NodeType::TakedownRequest),
                    input.answer.into_answer(),
                )
            })
            .collect();
        Ok(
            takedown::respond_many(ctx.services()?, ctx.viewer(), answers)
                .await?
                .into(),
        )
    }

    /// Acknowledges 1 to 100 takedown requests at once, all or none (already acknowledged ones
    /// are fine). PLATFORM only.
    async fn acknowledge_takedown_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The requests' global IDs, 1 to 100, each at most once.")] ids: Vec<ID>,
    ) -> async_graphql::Result<TakedownBulkResult> {
        Ok(
            takedown::acknowledge_many(ctx.services()?, ctx.viewer(), request_ids(ids))
                .await?
                .into(),
        )
    }
}

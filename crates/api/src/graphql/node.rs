//! Relay's `Node` interface and `node(id)`: any object by its global ID, or null when it does not
//! exist *or* lies outside the caller's scope — the two are indistinguishable by design.

use async_graphql::{Context, ID, Interface, Object};

use crate::graphql::ContextExt as _;
use crate::graphql::account::Account;
use crate::graphql::case::{Case, TakedownRequest};
use crate::graphql::complaint::Complaint;
use crate::graphql::evidence::EvidenceFile;
use crate::graphql::id::{self, NodeType};
use crate::graphql::integration::{ApiClient, WebhookDelivery, WebhookEndpoint};
use crate::graphql::keyword_rule::KeywordRule;
use crate::graphql::seller::Seller;
use laporlapak_service::account as account_service;
use laporlapak_service::api_client as api_client_service;
use laporlapak_service::complaint as complaint_service;
use laporlapak_service::evidence as evidence_service;
use laporlapak_service::keyword_rules as keyword_rule_service;
use laporlapak_service::review as review_service;
use laporlapak_service::seller as seller_service;
use laporlapak_service::takedown as takedown_service;
use laporlapak_service::webhook as webhook_service;

/// An object with a global ID (the Relay object identification spec): `node(id:)` fetches any of
/// them by that ID. IDs are opaque strings: store them, never build or parse them.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The object's opaque global ID, stable for the object's lifetime."
))]
pub enum Node {
    Account(Account),
    Complaint(Complaint),
    Case(Case),
    TakedownRequest(TakedownRequest),
    Seller(Seller),
    KeywordRule(KeywordRule),
    ApiClient(ApiClient),
    WebhookEndpoint(WebhookEndpoint),
    WebhookDelivery(WebhookDelivery),
    EvidenceFile(EvidenceFile),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global ID; null when it does not exist or the caller may not see it
    /// (the two cannot be told apart), and for a malformed ID.
    #[graphql(complexity = "crate::graphql::DB_READ + child_complexity")]
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID, e.g. a `Case.id` or `Complaint.id`.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let Some((node_type, number)) = id::decode(&id) else {
            return Ok(None);
        };
        let services = ctx.services()?;
        let viewer = ctx.viewer();
        Ok(match node_type {
            NodeType::Account => account_service::find_visible(services, viewer, number)
                .await?
                .map(|view| Node::Account(Account(view))),
            NodeType::Complaint => complaint_service::find_visible(services, viewer, number)
                .await?
                .map(|view| Node::Complaint(view.into())),
            NodeType::Case => review_service::find_case(services, viewer, number)
                .await?
                .map(|view| Node::Case(view.into())),
            NodeType::TakedownRequest => takedown_service::find_visible(services, viewer, number)
                .await?
                .map(|view| Node::TakedownRequest(TakedownRequest(view))),
            NodeType::Seller => seller_service::find(services, viewer, number)
                .await?
                .map(|view| Node::Seller(Seller(view))),
            NodeType::KeywordRule => keyword_rule_service::find_visible(services, viewer, number)
                .await?
                .map(|view| Node::KeywordRule(KeywordRule(view))),
            NodeType::Appeal => None,
            NodeType::ApiClient => api_client_service::find_visible(services, viewer, number)
                .await?
                .map(|view| Node::ApiClient(ApiClient(view))),
            NodeType::WebhookEndpoint => webhook_service::find_endpoint(services, viewer, number)
                .await?
                .map(|view| Node::WebhookEndpoint(WebhookEndpoint(view))),
            NodeType::WebhookDelivery => webhook_service::find_delivery(services, viewer, number)
                .await?
                .map(|view| Node::WebhookDelivery(WebhookDelivery(view))),
            NodeType::EvidenceFile => evidence_service::find_visible(services, viewer, number)
                .await?
                .map(|view| Node::EvidenceFile(EvidenceFile(view))),
            // Read through `recommendation`, `pendingObjections`, `sanctions` and
            // `TakedownRequest.objections`, not as nodes.
            NodeType::Recommendation
            | NodeType::Objection
            | NodeType::Sanction
            | NodeType::Organisation => None,
        })
    }
}

//! Global IDs as the GraphQL `ID` scalar: the encoding is [`laporlapak_domain::global_id`]'s, shared
//! with the webhook payloads.

use async_graphql::ID;

pub use laporlapak_domain::global_id::{NodeType, argument, argument_or_number, decode, decode_as};

/// The global ID of row `id` of `node_type`.
pub fn encode(node_type: NodeType, id: i64) -> ID {
    ID(laporlapak_domain::global_id::encode(node_type, id))
}

//! Opaque global IDs for `Node` objects: base64url of `Type:number`. Clients must treat them as
//! opaque strings; an ID of the wrong type or a malformed one is simply not found. Defined here,
//! below every layer, because webhook payloads (service) and the GraphQL API (api) carry the same
//! IDs.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

crate::text_enum::text_enum! {
    /// The kinds of object a global ID can name, spelled as their GraphQL type.
    pub enum NodeType {
        Account = "Account",
        Complaint = "Complaint",
        Case = "Case",
        TakedownRequest = "TakedownRequest",
        Seller = "Seller",
        KeywordRule = "KeywordRule",
        /// Not a `Node`: an appeal is read through `Complaint.appeal` and `pendingAppeals`.
        Appeal = "Appeal",
        ApiClient = "ApiClient",
        WebhookEndpoint = "WebhookEndpoint",
        WebhookDelivery = "WebhookDelivery",
        EvidenceFile = "EvidenceFile",
        Recommendation = "Recommendation",
        Objection = "Objection",
        Sanction = "Sanction",
        /// Not a `Node`: an organisation is read through `organisations` and `myOrganisation`.
        Organisation = "Organisation",
    }
}

/// The global ID of row `id` of `node_type`.
pub fn encode(node_type: NodeType, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{id}", node_type.as_str()))
}

/// A global ID of `node_type` that carries an opaque key instead of a row number (what a
/// platform gets for a complaint); [`decode`] finds no row in it.
pub fn encode_key(node_type: NodeType, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{key}", node_type.as_str()))
}

pub fn decode(id: &str) -> Option<(NodeType, i64)> {
    if id.len() > 64 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (name, number) = text.split_once(':')?;
    let number: i64 = number.parse().ok()?;
    (number > 0).then_some(())?;
    Some((NodeType::parse(name).ok()?, number))
}

/// Decodes an ID that must be of `expected` type.
pub fn decode_as(id: &str, expected: NodeType) -> Option<i64> {
    decode(id).and_then(|(node_type, number)| (node_type == expected).then_some(number))
}

/// The row an argument names that takes either the object's global ID or, for objects whose `id`
/// was their row number before they became `Node`s, that number as it was (`"42"`); anything else
/// names no row.
pub fn argument_or_number(id: &str, expected: NodeType) -> i64 {
    decode_as(id, expected)
        .or_else(|| {
            (!id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit()))
                .then(|| id.parse::<i64>().ok())
                .flatten()
                .filter(|n| *n > 0)
        })
        .unwrap_or(NO_ROW)
}

/// No row has this number: row ids start at 1.
const NO_ROW: i64 = 0;

/// The row an argument ID names for a mutation. A malformed ID, or one of another type, names no
/// row, so the service still authorises the caller first and then answers NOT_FOUND exactly as for
/// an ID whose row does not exist.
pub fn argument(id: &str, expected: NodeType) -> i64 {
    decode_as(id, expected).unwrap_or(NO_ROW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejections() {
        let id = encode(NodeType::Account, 42);
        assert_eq!(decode(&id), Some((NodeType::Account, 42)));
        assert_eq!(decode_as(&id, NodeType::Account), Some(42));
        assert_eq!(decode("bm9wZQ"), None);
        assert_eq!(decode("!!!"), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("Account:-1")), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("Secret:1")), None);
        let endpoint = encode(NodeType::WebhookEndpoint, 7);
        assert_eq!(argument_or_number(&endpoint, NodeType::WebhookEndpoint), 7);
        assert_eq!(argument_or_number("7", NodeType::WebhookEndpoint), 7);
        assert_eq!(argument_or_number(&endpoint, NodeType::ApiClient), NO_ROW);
        assert_eq!(argument_or_number("-7", NodeType::WebhookEndpoint), NO_ROW);
        assert_eq!(argument_or_number("+7", NodeType::WebhookEndpoint), NO_ROW);
        assert_eq!(argument_or_number("", NodeType::WebhookEndpoint), NO_ROW);
    }
}

//! The labels a GraphQL request is counted under in the metrics: bounded by the schema (operation
//! names) and by [`ErrorCode`] (error codes), never a client's free text.

use std::collections::HashSet;
use std::sync::LazyLock;

use laporlapak_service::error::ErrorCode;

/// The root fields of the schema's query and mutation types: the operation names a label may
/// carry.
static KNOWN_OPERATIONS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let mut names = HashSet::new();
    if let Ok(document) = async_graphql::parser::parse_schema(super::sdl()) {
        use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
        for definition in document.definitions {
            if let TypeSystemDefinition::Type(ty) = definition
                && matches!(ty.node.name.node.as_str(), "QueryRoot" | "MutationRoot")
                && let TypeKind::Object(object) = &ty.node.kind
            {
                names.extend(object.fields.iter().map(|f| f.node.name.node.to_string()));
            }
        }
    }
    names
});

/// The operation label of a GraphQL request: its `operationName` when that names one of the
/// schema's root fields (in any letter case of its first letter: `SubmitComplaint` is
/// `submitComplaint`), else the first root field it selects, else `other`. Never a client's free
/// text, so the label's values are bounded by the schema.
pub fn operation_label(operation_name: Option<&str>, first_root_field: Option<&str>) -> String {
    let known = |name: &str| -> Option<String> {
        let mut chars = name.chars();
        let first = chars.next()?;
        let lowered: String = first.to_lowercase().chain(chars).collect();
        KNOWN_OPERATIONS.contains(&lowered).then_some(lowered)
    };
    operation_name
        .and_then(known)
        .or_else(|| first_root_field.and_then(known))
        .unwrap_or_else(|| "other".to_owned())
}

/// The label of an error code: itself when it is one of the API's codes, else `other`.
pub fn code_label(code: &str) -> &str {
    if ErrorCode::ALL.iter().any(|known| known.as_str() == code) {
        code
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_labels_are_root_fields_or_other() {
        assert!(
            KNOWN_OPERATIONS.contains("submitComplaint"),
            "{KNOWN_OPERATIONS:?}"
        );
        assert!(KNOWN_OPERATIONS.contains("reviewQueue"));
        assert_eq!(
            operation_label(Some("SubmitComplaint"), None),
            "submitComplaint"
        );
        assert_eq!(
            operation_label(Some("MyScreen"), Some("reviewQueue")),
            "reviewQueue"
        );
        assert_eq!(
            operation_label(Some("MyScreen"), Some("noSuchField")),
            "other"
        );
        assert_eq!(operation_label(None, None), "other");
        assert_eq!(operation_label(Some(""), Some("__schema")), "other");
    }
}

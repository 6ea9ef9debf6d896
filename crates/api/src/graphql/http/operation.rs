//! What the handler reads from a request's document before executing it: the operation that will
//! run (chosen exactly as async-graphql chooses it), whether it is a query, whether it only reads
//! public data, and whether every required variable was given.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
};
use async_graphql::{Pos, Variables};

/// Root fields whose answer is the same for every anonymous caller.
const PUBLIC_ROOT_FIELDS: [&str; 7] = [
    "categories",
    "platforms",
    "transparencyReport",
    "takedownRegister",
    "ministryFigures",
    "platformTrends",
    "__typename",
];

/// The operation a request runs, chosen as async-graphql chooses it; `None` when the document
/// does not name one unambiguously (then execution refuses it before running anything).
pub fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), None) => operation,
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name)?,
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()?
        }
        _ => return None,
    };
    Some(&operation.node)
}

/// The name of the first root field the operation selects directly, if any: the operation's
/// label in `/metrics` when its name is not one the schema knows.
pub fn first_root_field(operation: &OperationDefinition) -> Option<&str> {
    operation
        .selection_set
        .node
        .items
        .iter()
        .find_map(|selection| match &selection.node {
            Selection::Field(field) => Some(field.node.name.node.as_str()),
            Selection::FragmentSpread(_) | Selection::InlineFragment(_) => None,
        })
}

/// Whether the operation may run over GET: queries only.
pub fn is_query(operation: &OperationDefinition) -> bool {
    operation.ty == OperationType::Query
}

/// Whether every root field of the operation is public reference data.
pub fn reads_only_public_data(operation: &OperationDefinition) -> bool {
    only_root_fields(operation, &PUBLIC_ROOT_FIELDS)
}

/// Whether the operation is introspection alone: every root field is `__schema`, `__type` or
/// `__typename`, named directly.
pub fn is_introspection(operation: &OperationDefinition) -> bool {
    only_root_fields(operation, &["__schema", "__type", "__typename"])
}

/// Whether the operation is a query whose root fields are all among `allowed`, each named directly
/// (a fragment hides what it selects, so it never qualifies).
fn only_root_fields(operation: &OperationDefinition, allowed: &[&str]) -> bool {
    is_query(operation)
        && operation
            .selection_set
            .node
            .items
            .iter()
            .all(|selection| match &selection.node {
                Selection::Field(field) => allowed.contains(&field.node.name.node.as_str()),
                Selection::FragmentSpread(_) | Selection::InlineFragment(_) => false,
            })
}

/// The first variable of non-null type without a default that the request leaves out (or sets to
/// null), with where it is declared. async-graphql's validation checks the variables it is given
/// against their uses, but one that is missing reaches execution and fails there as if the server
/// were at fault; coercing variables is the request's part, before execution.
pub fn missing_variable<'a>(
    operation: &'a OperationDefinition,
    variables: &Variables,
) -> Option<(&'a str, Pos)> {
    operation
        .variable_definitions
        .iter()
        .find(|definition| {
            let definition = &definition.node;
            !definition.var_type.node.nullable
                && definition.default_value.is_none()
                && variables
                    .get(&definition.name.node)
                    .is_none_or(|value| *value == async_graphql::Value::Null)
        })
        .map(|definition| (definition.node.name.node.as_str(), definition.pos))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn operation_of(query: &str, name: Option<&str>) -> Option<OperationDefinition> {
        let document = async_graphql::parser::parse_query(query).ok()?;
        selected_operation(&document, name).cloned()
    }

    #[test]
    fn selects_the_operation_as_execution_does() {
        let two = "query A { __typename } mutation B { __typename }";
        assert!(operation_of(two, Some("A")).as_ref().is_some_and(is_query));
        assert!(
            operation_of(two, Some("B"))
                .as_ref()
                .is_some_and(|op| !is_query(op))
        );
        assert!(operation_of(two, None).is_none());
        assert!(operation_of(two, Some("C")).is_none());
        assert!(operation_of("{ __typename }", Some("A")).is_none());
        assert!(operation_of("mutation M { __typename }", None).is_some_and(|op| !is_query(&op)));
    }

    #[test]
    fn only_queries_of_public_fields_are_public() {
        let public = |query: &str| {
            operation_of(query, None)
                .as_ref()
                .is_some_and(reads_only_public_data)
        };
        assert!(public("{ categories { code } platforms { slug } }"));
        assert!(public("query { transparencyReport { from } __typename }"));
        assert!(!public("{ categories { code } me { email } }"));
        assert!(!public(
            "{ ...F } fragment F on QueryRoot { categories { code } }"
        ));
        assert!(!public("mutation { __typename }"));
    }

    #[test]
    fn introspection_alone_is_told_apart() {
        let introspection = |query: &str| {
            operation_of(query, None)
                .as_ref()
                .is_some_and(is_introspection)
        };
        assert!(introspection(
            "query IntrospectionQuery { __schema { types { name } } }"
        ));
        assert!(introspection(
            "{ __type(name: \"Case\") { name } __typename }"
        ));
        assert!(!introspection(
            "{ __schema { types { name } } categories { code } }"
        ));
        assert!(!introspection(
            "{ ...F } fragment F on QueryRoot { __schema { types { name } } }"
        ));
        assert!(!introspection("mutation { __typename }"));
    }

    #[test]
    fn finds_required_variables_left_out() {
        let missing = |query: &str, variables: serde_json::Value| {
            let operation = operation_of(query, None)?;
            missing_variable(&operation, &Variables::from_json(variables))
                .map(|(name, _)| name.to_owned())
        };
        let query = "query($a: String, $b: Int!, $c: ID! = 1) { __typename }";
        assert_eq!(missing(query, json!({})), Some("b".to_owned()));
        assert_eq!(missing(query, json!({ "b": null })), Some("b".to_owned()));
        assert_eq!(missing(query, json!({ "b": 1 })), None);
        assert_eq!(
            missing(query, json!({ "b": "wrong type: validation's part" })),
            None
        );
        assert_eq!(missing("{ __typename }", json!({})), None);
    }
}

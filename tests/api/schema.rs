//! `schema.graphql` at the repository root is exactly what the running schema exports, and every
//! element of the running schema carries a description.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, repo_path};

#[test]
fn schema_file_matches_the_running_schema() {
    let on_disk = std::fs::read_to_string(repo_path("schema.graphql")).unwrap_or_default();
    let running = laporlapak::graphql::sdl();
    assert!(
        on_disk == running,
        "schema.graphql is out of date: run `cargo run -- export-schema > schema.graphql`"
    );
}

#[test]
fn export_schema_command_prints_the_same_sdl() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_laporlapak"))
        .arg("export-schema")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        laporlapak::graphql::sdl()
    );
}

const INTROSPECTION: &str = "{ __schema { types {
    name kind description
    fields(includeDeprecated: true) { name description
        args(includeDeprecated: true) { name description } }
    inputFields(includeDeprecated: true) { name description }
    enumValues(includeDeprecated: true) { name description }
} } }";

/// GraphQL's own scalars; introspection types (`__Type`, …) are recognised by their `__` prefix.
const BUILT_IN_SCALARS: [&str; 5] = ["Boolean", "Float", "ID", "Int", "String"];

/// Every element of the schema — type, field, argument, input field, enum value — by its
/// coordinate (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`), with whether it has a
/// non-empty description. Built-in scalars and introspection types are GraphQL's, not ours.
fn elements(schema: &Value) -> Vec<(String, bool)> {
    let described = |item: &Value| {
        item["description"]
            .as_str()
            .is_some_and(|text| !text.trim().is_empty())
    };
    let name = |item: &Value| item["name"].as_str().unwrap_or_default().to_owned();
    let list = |item: &Value, key: &str| item[key].as_array().cloned().unwrap_or_default();
    let mut found = Vec::new();
    for ty in list(schema, "types") {
        let type_name = name(&ty);
        if type_name.starts_with("__") || BUILT_IN_SCALARS.contains(&type_name.as_str()) {
            continue;
        }
        found.push((type_name.clone(), described(&ty)));
        for field in list(&ty, "fields") {
            let field_name = format!("{type_name}.{}", name(&field));
            found.push((field_name.clone(), described(&field)));
            for arg in list(&field, "args") {
                found.push((format!("{field_name}({}:)", name(&arg)), described(&arg)));
            }
        }
        for input in list(&ty, "inputFields") {
            found.push((format!("{type_name}.{}", name(&input)), described(&input)));
        }
        for value in list(&ty, "enumValues") {
            found.push((format!("{type_name}.{}", name(&value)), described(&value)));
        }
    }
    found
}

/// Read the way a client reads it: introspection over HTTP against a development server.
#[actix_web::test]
async fn every_schema_element_is_described() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reply = app.gql(None, INTROSPECTION, json!({})).await;
    let elements = elements(&reply.ok()["__schema"]);
    let missing: Vec<&str> = elements
        .iter()
        .filter(|(_, described)| !described)
        .map(|(name, _)| name.as_str())
        .collect();
    println!(
        "schema descriptions: {} of {} elements described",
        elements.len() - missing.len(),
        elements.len()
    );
    assert!(elements.len() > 300, "introspection found too little");
    assert!(
        missing.is_empty(),
        "{} of {} schema elements have no description (a `///` doc comment, or \
         `#[graphql(desc = \"…\")]` on an argument):\n  {}",
        missing.len(),
        elements.len(),
        missing.join("\n  ")
    );
}

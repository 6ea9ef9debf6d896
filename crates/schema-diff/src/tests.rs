//! The policy on small schemas: what breaks, what an expired deprecation allows, what is only
//! dangerous or a description.

use chrono::NaiveDate;

use crate::schema::Deprecation;
use crate::{Change, Severity, diff};

const TODAY: &str = "2026-11-30";

fn changes(old: &str, new: &str) -> Vec<Change> {
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap_or_default();
    diff(old, new, today).unwrap_or_default()
}

fn breaking(old: &str, new: &str) -> Vec<String> {
    changes(old, new)
        .into_iter()
        .filter(|c| c.severity == Severity::Breaking)
        .map(|c| c.coordinate)
        .collect()
}

const BASE: &str = r#"
    type Query { case(id: ID!): Case  cases(first: Int): [Case!]! }
    type Case { id: ID!  status: Status!  note: String }
    enum Status { OPEN CLOSED }
    input Filter { status: Status  platform: String }
    type Mutation { close(id: ID!, filter: Filter): Case! }
"#;

#[test]
fn the_same_schema_has_no_changes() {
    assert!(changes(BASE, BASE).is_empty());
}

#[test]
fn removals_and_renames_break() {
    let renamed = BASE.replace("status: Status!  note", "state: Status!  note");
    assert_eq!(breaking(BASE, &renamed), vec!["Case.status"]);
    let fewer_values = BASE.replace("OPEN CLOSED", "OPEN");
    assert_eq!(breaking(BASE, &fewer_values), vec!["Status.CLOSED"]);
    let no_arg = BASE.replace("cases(first: Int)", "cases");
    assert_eq!(breaking(BASE, &no_arg), vec!["Query.cases(first:)"]);
    let no_input_field = BASE.replace("  platform: String }", " }");
    assert_eq!(breaking(BASE, &no_input_field), vec!["Filter.platform"]);
}

#[test]
fn types_break_when_output_widens_or_input_narrows() {
    let nullable_output = BASE.replace("status: Status!", "status: Status");
    assert_eq!(breaking(BASE, &nullable_output), vec!["Case.status"]);
    let stricter_output = BASE.replace("note: String", "note: String!");
    assert!(breaking(BASE, &stricter_output).is_empty());
    let required_input = BASE.replace("platform: String", "platform: String!");
    assert_eq!(breaking(BASE, &required_input), vec!["Filter.platform"]);
    let optional_arg = BASE.replace("close(id: ID!", "close(id: ID");
    assert!(breaking(BASE, &optional_arg).is_empty());
    let list_shape = BASE.replace("[Case!]!", "Case!");
    assert_eq!(breaking(BASE, &list_shape), vec!["Query.cases"]);
}

#[test]
fn new_required_inputs_break_and_optional_ones_do_not() {
    let required = BASE.replace("close(id: ID!,", "close(id: ID!, reason: String!,");
    assert_eq!(breaking(BASE, &required), vec!["Mutation.close(reason:)"]);
    let defaulted = BASE.replace("close(id: ID!,", "close(id: ID!, reason: String! = \"x\",");
    assert!(breaking(BASE, &defaulted).is_empty());
    let optional_field = BASE.replace("platform: String }", "platform: String  flagged: Boolean }");
    assert!(breaking(BASE, &optional_field).is_empty());
}

#[test]
fn an_expired_deprecation_allows_the_removal() {
    let deprecated = |date: &str| {
        BASE.replace(
            "note: String",
            &format!("note: String @deprecated(reason: \"Use `status`; removal after {date}.\")"),
        )
    };
    let removed = BASE.replace("  note: String", "");
    assert!(breaking(&deprecated("2026-11-29"), &removed).is_empty());
    assert_eq!(
        breaking(&deprecated("2026-11-30"), &removed),
        vec!["Case.note"]
    );
    let undated = BASE.replace("note: String", "note: String @deprecated(reason: \"old\")");
    let report = changes(&undated, &removed);
    assert!(
        report[0].message.contains("names no `removal after"),
        "{}",
        report[0]
    );
    assert!(breaking(BASE, &removed)[0].contains("Case.note"));
}

#[test]
fn the_removal_date_is_read_in_any_letter_case() {
    let reason = |text: &str| Deprecation {
        reason: text.to_owned(),
    };
    let date = NaiveDate::from_ymd_opt(2026, 1, 31);
    assert_eq!(
        reason("Gunakan `x` — İ. Removal after 2026-01-31.").removal_after(),
        date
    );
    assert_eq!(reason("REMOVAL AFTER 2026-01-31").removal_after(), date);
    assert_eq!(reason("removal after 31/01/2026").removal_after(), None);
    assert_eq!(reason("removal after 2026-01").removal_after(), None);
}

#[test]
fn a_type_may_go_with_the_expired_fields_that_used_it() {
    let old = r#"
        type Query { legacy: Legacy @deprecated(reason: "removal after 2026-01-01")  ok: Int }
        type Legacy { inner: Inner }
        type Inner { x: Int }
    "#;
    let new = "type Query { ok: Int }";
    assert!(breaking(old, new).is_empty(), "{:?}", changes(old, new));
    let still_used = old.replace("ok: Int }", "ok: Int  other: Inner }");
    let new_keeps_other = "type Query { ok: Int }";
    assert_eq!(
        breaking(&still_used, new_keeps_other),
        vec!["Inner", "Query.other"]
    );
}

#[test]
fn root_types_are_matched_by_role() {
    let old = "schema { query: QueryRoot } type QueryRoot { a: Int }";
    let new = "type Query { a: Int  b: Int }";
    assert!(breaking(old, new).is_empty(), "{:?}", changes(old, new));
}

#[test]
fn additions_to_enums_are_dangerous_and_descriptions_are_noted() {
    let more = BASE.replace("OPEN CLOSED", "OPEN CLOSED MERGED");
    let report = changes(BASE, &more);
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].severity, Severity::Dangerous);
    let described = BASE.replace("type Case {", "\"One target.\" type Case {");
    let report = changes(BASE, &described);
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].severity, Severity::Description);
}

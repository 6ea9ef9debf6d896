//! Keyword rules through the API: an ADMIN adds, changes, retires and restores rules; the next
//! complaint is flagged by the current rules, open cases are re-ranked when a rule's weight changes
//! or it retires, and every version is in the change log staff read. Every other role is refused.

use serde_json::{Value, json};

use crate::fixtures::{self, report};
use crate::helpers::{Backend, TestApp};
use laporlapak::domain::Role;

crate::on_both_backends!(
    a_rule_an_admin_adds_flags_the_next_complaint_and_its_weight_ranks_the_case,
    retiring_a_rule_stops_its_flags_and_reranks_open_cases,
    a_rule_limited_to_a_category_flags_only_that_category,
    the_change_log_holds_every_version_newest_first,
    only_an_admin_changes_rules_and_only_staff_read_them,
    bad_rule_input_names_its_field_and_writes_nothing,
);

const ADD: &str = "mutation($input: KeywordRuleInput!) { addKeywordRule(input: $input) {
    id phrase language category { code } weight active version } }";
const UPDATE: &str = "mutation($id: ID!, $input: KeywordRuleUpdateInput!) {
    updateKeywordRule(id: $id, input: $input) { id phrase language category { code } weight active version } }";
const RETIRE: &str = "mutation($id: ID!, $v: Int) { retireKeywordRule(id: $id, expectedVersion: $v) { active version } }";
const RULES: &str = "{ keywordRules { version rules { id phrase weight active version } } }";
const CHANGES: &str =
    "query($first: Int, $after: String) { keywordRuleChanges(first: $first, after: $after) {
    pageCount totalCount pageInfo { hasNextPage endCursor }
    nodes { ruleId version change phrase weight active category { code } changedBy changedAt } } }";
const CASE: &str = "query($id: ID!) { case(id: $id) { priority flags } }";

/// A description that holds none of the seeded phrases.
const PLAIN: &str = "Penjual ini menawarkan obral gudang pakaian dari luar negeri tanpa izin edar.";

fn listing(url: &str, description: &str) -> Value {
    json!({ "category": "USED_CLOTHING_IMPORT", "listingUrl": url, "description": description })
}

async fn add(app: &TestApp, admin: &str, input: Value) -> Value {
    app.gql(Some(admin), ADD, json!({ "input": input }))
        .await
        .ok()["addKeywordRule"]
        .clone()
}

/// The case's priority and flags, as its reviewer sees them.
async fn case(app: &TestApp, reviewer: &str, case_id: &str) -> (i64, Vec<String>) {
    let reply = app
        .gql(Some(reviewer), CASE, json!({ "id": case_id }))
        .await;
    let case = &reply.ok()["case"];
    let flags = case["flags"]
        .as_array()
        .unwrap_or_else(|| panic!("no flags: {case}"))
        .iter()
        .map(|flag| flag.as_str().unwrap_or_default().to_owned())
        .collect();
    (case["priority"].as_i64().expect("a priority"), flags)
}

async fn a_rule_an_admin_adds_flags_the_next_complaint_and_its_weight_ranks_the_case(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;

    let before = report(
        &app,
        None,
        listing("https://www.instagram.com/p/kw-before/", PLAIN),
    )
    .await;
    let (base, flags) = case(&app, &reviewer, &before.case_id).await;
    assert!(flags.is_empty(), "no rule matches yet: {flags:?}");

    let rule = add(
        &app,
        &admin,
        json!({ "phrase": "  Obral-GUDANG ", "language": "INDONESIAN", "weight": 3 }),
    )
    .await;
    assert_eq!(rule["phrase"], "obral gudang", "stored in its normal form");
    assert_eq!(rule["language"], "INDONESIAN");
    assert_eq!(rule["weight"], 3);
    assert_eq!(rule["version"], 1);
    assert_eq!(rule["active"], true);

    let after = report(
        &app,
        None,
        listing("https://www.instagram.com/p/kw-after/", PLAIN),
    )
    .await;
    let (priority, flags) = case(&app, &reviewer, &after.case_id).await;
    assert_eq!(flags, vec!["obral gudang"]);
    assert_eq!(priority, base + 3 * 15, "weight 3 is 45 points");

    // The queue ranks the flagged case above the unflagged one of the same kind.
    let queue = app
        .gql(
            Some(&reviewer),
            "{ reviewQueue(first: 10) { nodes { id } } }",
            json!({}),
        )
        .await;
    let ids: Vec<&str> = queue.ok()["reviewQueue"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|node| node["id"].as_str())
        .collect();
    assert_eq!(ids, vec![after.case_id.as_str(), before.case_id.as_str()]);

    // The complaint filed before the rule is not re-read: its case keeps no flag.
    assert!(case(&app, &reviewer, &before.case_id).await.1.is_empty());
}

async fn retiring_a_rule_stops_its_flags_and_reranks_open_cases(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;
    let rule = add(
        &app,
        &admin,
        json!({ "phrase": "obral gudang", "weight": 2 }),
    )
    .await;
    let rule_id = rule["id"].as_str().unwrap();

    let flagged = report(
        &app,
        None,
        listing("https://www.instagram.com/p/kw-1/", PLAIN),
    )
    .await;
    let (flagged_priority, _) = case(&app, &reviewer, &flagged.case_id).await;

    // A heavier weight re-ranks the open case at once.
    let changed = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({ "id": rule_id, "input": { "weight": 4, "expectedVersion": 1 } }),
        )
        .await;
    assert_eq!(changed.ok()["updateKeywordRule"]["version"], 2);
    let (heavier, _) = case(&app, &reviewer, &flagged.case_id).await;
    assert_eq!(heavier, flagged_priority + 2 * 15);

    let retired = app
        .gql(Some(&admin), RETIRE, json!({ "id": rule_id, "v": 2 }))
        .await;
    assert_eq!(
        retired.ok()["retireKeywordRule"],
        json!({ "active": false, "version": 3 })
    );
    // The open case keeps the flag it was given, which weighs nothing now.
    let (retired_priority, flags) = case(&app, &reviewer, &flagged.case_id).await;
    assert_eq!(flags, vec!["obral gudang"]);
    assert_eq!(retired_priority, flagged_priority - 2 * 15);

    // The next complaint is not flagged by a retired rule.
    let next = report(
        &app,
        None,
        listing("https://www.instagram.com/p/kw-2/", PLAIN),
    )
    .await;
    assert!(case(&app, &reviewer, &next.case_id).await.1.is_empty());

    // Restored, it flags again.
    let restored = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({ "id": rule_id, "input": { "active": true } }),
        )
        .await;
    assert_eq!(restored.ok()["updateKeywordRule"]["active"], true);
    let again = report(
        &app,
        None,
        listing("https://www.instagram.com/p/kw-3/", PLAIN),
    )
    .await;
    assert_eq!(
        case(&app, &reviewer, &again.case_id).await.1,
        vec!["obral gudang"]
    );
}

async fn a_rule_limited_to_a_category_flags_only_that_category(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;
    let categories = app.gql(None, "{ categories { code } }", json!({})).await;
    let other = categories.ok()["categories"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|category| category["code"].as_str())
        .find(|code| *code != "USED_CLOTHING_IMPORT")
        .expect("a second category")
        .to_owned();
    let rule = add(
        &app,
        &admin,
        json!({ "phrase": "obral gudang", "category": other }),
    )
    .await;
    assert_eq!(rule["category"]["code"], other.as_str());

    let outside = report(
        &app,
        None,
        listing("https://www.instagram.com/p/kw-out/", PLAIN),
    )
    .await;
    assert!(case(&app, &reviewer, &outside.case_id).await.1.is_empty());
    let inside = report(
        &app,
        None,
        json!({ "category": other, "listingUrl": "https://www.instagram.com/p/kw-in/", "description": PLAIN }),
    )
    .await;
    assert_eq!(
        case(&app, &reviewer, &inside.case_id).await.1,
        vec!["obral gudang"]
    );

    // `null` lifts the limit.
    let lifted = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({ "id": rule["id"], "input": { "category": null } }),
        )
        .await;
    assert_eq!(lifted.ok()["updateKeywordRule"]["category"], Value::Null);
    let now_flagged = report(
        &app,
        None,
        listing("https://www.instagram.com/p/kw-out-2/", PLAIN),
    )
    .await;
    assert_eq!(
        case(&app, &reviewer, &now_flagged.case_id).await.1,
        vec!["obral gudang"]
    );
}

async fn the_change_log_holds_every_version_newest_first(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;
    let seeded = app.gql(Some(&reviewer), RULES, json!({})).await;
    let seeded = seeded.ok()["keywordRules"].clone();
    let seeded_version = seeded["version"].as_i64().unwrap();
    let seeded_rules = seeded["rules"].as_array().unwrap().len();
    assert!(seeded_rules > 0, "the installation starts with rules");
    assert_eq!(
        seeded_version, seeded_rules as i64,
        "one change per seeded rule"
    );

    let rule = add(&app, &admin, json!({ "phrase": "obral gudang" })).await;
    let id = rule["id"].as_str().unwrap();
    for input in [
        json!({ "weight": 2 }),
        json!({ "active": false }),
        json!({ "active": true }),
    ] {
        app.gql(Some(&admin), UPDATE, json!({ "id": id, "input": input }))
            .await
            .ok();
    }

    let set = app.gql(Some(&reviewer), RULES, json!({})).await;
    assert_eq!(set.ok()["keywordRules"]["version"], seeded_version + 4);

    let page = app
        .gql(Some(&reviewer), CHANGES, json!({ "first": 3 }))
        .await;
    let log = page.ok()["keywordRuleChanges"].clone();
    assert_eq!(log["pageCount"], 3);
    assert_eq!(log["totalCount"], seeded_version + 4);
    assert_eq!(log["pageInfo"]["hasNextPage"], true);
    let steps: Vec<(i64, &str, i64, bool)> = log["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| {
            assert_eq!(node["ruleId"], id);
            assert_eq!(node["phrase"], "obral gudang");
            assert!(node["changedBy"].is_string(), "the admin who changed it");
            (
                node["version"].as_i64().unwrap(),
                node["change"].as_str().unwrap(),
                node["weight"].as_i64().unwrap(),
                node["active"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            (4, "RESTORED", 2, true),
            (3, "RETIRED", 2, false),
            (2, "CHANGED", 2, true),
        ]
    );
    let next = app
        .gql(
            Some(&reviewer),
            CHANGES,
            json!({ "first": 2, "after": log["pageInfo"]["endCursor"] }),
        )
        .await;
    let next = next.ok()["keywordRuleChanges"]["nodes"].clone();
    assert_eq!(next[0]["change"], "ADDED");
    assert_eq!(next[0]["version"], 1);
    assert_eq!(next[1]["changedBy"], Value::Null, "a seeded rule");

    // Every change is in the audit trail too.
    let events = app
        .services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use laporlapak::db::schema::events;
            events::table
                .filter(events::action.eq("keyword_rule.changed"))
                .count()
                .get_result::<i64>(conn)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap();
    assert_eq!(events, 4);
}

async fn only_an_admin_changes_rules_and_only_staff_read_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;
    let platform = fixtures::representative(&app, "instagram").await;
    let citizen = app.register("warga@example.id").await;
    let regulator = app
        .staff("petugas@komdigi.go.id", Role::Regulator, None)
        .await;
    let rule = add(&app, &admin, json!({ "phrase": "obral gudang" })).await;
    let id = rule["id"].as_str().unwrap();

    let writes = [
        (ADD, json!({ "input": { "phrase": "karung murah" } })),
        (UPDATE, json!({ "id": id, "input": { "weight": 2 } })),
        (RETIRE, json!({ "id": id })),
    ];
    for (token, code) in [
        (None, "UNAUTHENTICATED"),
        (Some(citizen.as_str()), "FORBIDDEN"),
        (Some(reviewer.as_str()), "FORBIDDEN"),
        (Some(platform.as_str()), "FORBIDDEN"),
        (Some(regulator.as_str()), "FORBIDDEN"),
    ] {
        for (query, variables) in &writes {
            app.gql(token, query, variables.clone())
                .await
                .expect_code(code);
        }
        if token != Some(reviewer.as_str()) {
            app.gql(token, RULES, json!({})).await.expect_code(code);
            app.gql(token, CHANGES, json!({})).await.expect_code(code);
            let node = app
                .gql(
                    token,
                    "query($id: ID!) { node(id: $id) { id } }",
                    json!({ "id": id }),
                )
                .await;
            assert_eq!(node.ok()["node"], Value::Null, "{code}: node(id:)");
        }
    }
    // Nothing changed.
    let set = app.gql(Some(&admin), RULES, json!({})).await;
    let rules = set.ok()["keywordRules"]["rules"].clone();
    let ours: Vec<&Value> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|rule| rule["id"] == id || rule["phrase"] == "karung murah")
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0]["version"], 1);
    assert_eq!(ours[0]["weight"], 1);

    // Staff read a rule by its ID.
    let node = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { node(id: $id) { ... on KeywordRule { phrase } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(node.ok()["node"]["phrase"], "obral gudang");
}

/// How many versions the change log holds.
async fn log_size(app: &TestApp) -> i64 {
    app.services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use laporlapak::db::schema::keyword_rule_versions;
            keyword_rule_versions::table
                .count()
                .get_result::<i64>(conn)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap()
}

async fn bad_rule_input_names_its_field_and_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let rule = add(&app, &admin, json!({ "phrase": "obral gudang" })).await;
    let id = rule["id"].as_str().unwrap();
    let before = log_size(&app).await;

    for (input, field) in [
        (json!({ "phrase": " -- " }), "input.phrase"),
        (json!({ "phrase": "a b c d e f g" }), "input.phrase"),
        (json!({ "phrase": "THRIFTING" }), "input.phrase"),
        (json!({ "phrase": "karung", "weight": 5 }), "input.weight"),
        (json!({ "phrase": "karung", "weight": 0 }), "input.weight"),
        (
            json!({ "phrase": "karung", "category": "NOPE" }),
            "input.category",
        ),
    ] {
        let reply = app.gql(Some(&admin), ADD, json!({ "input": input })).await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), field, "{input}");
        assert!(!reply.message().is_empty());
    }
    for (input, code, field) in [
        (
            json!({ "phrase": "thrifting" }),
            "BAD_USER_INPUT",
            Some("input.phrase"),
        ),
        (json!({ "weight": 1 }), "BAD_USER_INPUT", Some("input")),
        (
            json!({ "weight": 2, "expectedVersion": 7 }),
            "CONFLICT",
            None,
        ),
    ] {
        let reply = app
            .gql(Some(&admin), UPDATE, json!({ "id": id, "input": input }))
            .await;
        reply.expect_code(code);
        if let Some(field) = field {
            assert_eq!(reply.field(), field, "{input}");
        }
    }
    let english = app
        .gql_with_headers(
            Some(&admin),
            &[("Accept-Language", "en")],
            ADD,
            json!({ "input": { "phrase": "thrifting" } }),
        )
        .await;
    assert!(
        english.message().contains("Another rule"),
        "{}",
        english.message()
    );
    let unknown = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({ "id": "bm9wZQ", "input": { "weight": 2 } }),
        )
        .await;
    unknown.expect_code("NOT_FOUND");
    assert_eq!(log_size(&app).await, before, "nothing was written");
}

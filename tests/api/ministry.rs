//! Cases the ministry opens itself: a reviewer files the ministry's own finding; the case enters
//! the queue with source MINISTRY and no reporter, and is counted apart in the transparency
//! report. No other role may; a citizen reports only for themself.

use serde_json::{Value, json};

use crate::fixtures;
use crate::helpers::{Backend, TestApp};
use crate::intake::DESCRIPTION;
use laporlapak::domain::Role;

crate::on_both_backends!(
    a_reviewer_opens_a_case_from_the_ministrys_finding,
    only_a_reviewer_opens_a_ministry_case,
);

const OPEN: &str = "mutation($input: MinistryFindingInput!) { openMinistryCase(input: $input) {
    joinedExistingCase complaint { id status } } }";
const QUEUE: &str =
    "{ reviewQueue(first: 50) { nodes { id source target flags reportCount flaggerBoost } } }";
const CASE: &str = "query($id: ID!) { case(id: $id) { source complaints(first: 10) { nodes { reporter { displayName } anonymous evidenceUrls } } } }";
const TOTALS: &str = "{ transparencyReport { totals { complaints casesOpened ministryFindings ministryCasesOpened } } }";

fn finding(url: &str) -> Value {
    json!({
        "category": "USED_CLOTHING_IMPORT",
        "listingUrl": url,
        "description": format!("{DESCRIPTION} Temuan patroli siber kementerian: thrifting bal."),
        "evidenceUrls": ["https://arsip.kemenkop.go.id/temuan/1.png"],
        "idempotencyKey": "temuan-1",
    })
}

async fn a_reviewer_opens_a_case_from_the_ministrys_finding(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let url = "https://www.instagram.com/bandung.thrift.bal/";

    let reply = app
        .gql(Some(&reviewer), OPEN, json!({ "input": finding(url) }))
        .await;
    let opened = &reply.ok()["openMinistryCase"];
    assert_eq!(opened["joinedExistingCase"], false);
    assert_eq!(opened["complaint"]["status"], "OPEN");
    let complaint_id = opened["complaint"]["id"].as_str().unwrap().to_owned();
    // The same key again: the first result, nothing new.
    let again = app
        .gql(Some(&reviewer), OPEN, json!({ "input": finding(url) }))
        .await;
    assert_eq!(
        again.ok()["openMinistryCase"]["complaint"]["id"],
        complaint_id
    );

    let queue = app.gql(Some(&reviewer), QUEUE, json!({})).await;
    let nodes = queue.ok()["reviewQueue"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let case = nodes
        .iter()
        .find(|node| node["source"] == "MINISTRY")
        .unwrap_or_else(|| panic!("the case is in the queue: {nodes:?}"));
    assert_eq!(case["source"], "MINISTRY");
    assert_eq!(case["reportCount"], 1);
    assert!(
        case["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("thrifting")),
        "keyword rules flag it like any report: {case}"
    );
    let case_id = case["id"].as_str().unwrap().to_owned();
    let read = app
        .gql(Some(&reviewer), CASE, json!({ "id": case_id }))
        .await;
    let complaint = &read.ok()["case"]["complaints"]["nodes"][0];
    assert_eq!(complaint["reporter"], Value::Null, "no reporter");
    assert_eq!(
        complaint["evidenceUrls"],
        json!(["https://arsip.kemenkop.go.id/temuan/1.png"])
    );

    // A citizen's report about the same target joins the ministry's case; the case stays the
    // ministry's, and the public's complaint is counted as the public's.
    let citizen = app.register("warga@example.id").await;
    let joined = crate::intake::submit(&app, Some(&citizen), crate::intake::complaint(url)).await;
    assert_eq!(joined["joinedExistingCase"], true);
    let other = fixtures::report(
        &app,
        None,
        crate::intake::complaint("https://www.instagram.com/p/public-1/"),
    )
    .await;
    let read = app
        .gql(Some(&reviewer), CASE, json!({ "id": other.case_id }))
        .await;
    assert_eq!(read.ok()["case"]["source"], "PUBLIC");

    let report = app.gql(None, TOTALS, json!({})).await;
    let totals = &report.ok()["transparencyReport"]["totals"];
    assert_eq!(totals["complaints"], 3);
    assert_eq!(totals["casesOpened"], 2);
    assert_eq!(totals["ministryFindings"], 1);
    assert_eq!(totals["ministryCasesOpened"], 1);

    // Nobody reads the ministry's complaint as its own.
    let mine = app
        .gql(Some(&citizen), "{ myComplaints { totalCount } }", json!({}))
        .await;
    assert_eq!(mine.ok()["myComplaints"]["totalCount"], 1);
}

async fn only_a_reviewer_opens_a_ministry_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;
    let platform = fixtures::representative(&app, "instagram").await;
    let citizen = app.register("warga@example.id").await;
    let regulator = app
        .staff("petugas@komdigi.go.id", Role::Regulator, None)
        .await;
    let url = "https://www.instagram.com/p/ministry-roles/";
    for (token, code) in [
        (None, "UNAUTHENTICATED"),
        (Some(citizen.as_str()), "FORBIDDEN"),
        (Some(admin.as_str()), "FORBIDDEN"),
        (Some(platform.as_str()), "FORBIDDEN"),
        (Some(regulator.as_str()), "FORBIDDEN"),
    ] {
        app.gql(token, OPEN, json!({ "input": finding(url) }))
            .await
            .expect_code(code);
    }
    let queue = app.gql(Some(&reviewer), QUEUE, json!({})).await;
    assert_eq!(queue.ok()["reviewQueue"]["nodes"], json!([]));

    // A bad finding names its field, as a citizen's report would.
    let mut bad = finding(url);
    bad["listingUrl"] = json!("bukan tautan");
    let refused = app
        .gql(Some(&reviewer), OPEN, json!({ "input": bad }))
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), "input.listingUrl");
}

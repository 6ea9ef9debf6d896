//! A rejection the reporter can read: a reason from a fixed list, explained in the reporter's
//! language, and the reviewer's message to them — by tracking code and in `myComplaints` — while
//! the reviewer's own reason stays in the audit trail.

use serde_json::{Value, json};

use crate::fixtures::{self, report};
use crate::helpers::{Backend, TestApp};
use crate::intake::complaint;
use crate::review::act;

crate::on_both_backends!(
    the_reporter_reads_the_reason_and_message_of_a_rejection,
    a_rejection_without_a_reason_code_reads_as_other,
    a_bad_message_to_the_reporter_names_its_field_and_rejects_nothing,
);

const REJECT: &str = "mutation($id: ID!, $r: String!, $code: RejectionReason, $m: String) {
    rejectCase(caseId: $id, reason: $r, reasonCode: $code, messageToReporter: $m) { id status } }";
const PUBLIC: &str = "query($code: String!) { complaintByTrackingCode(code: $code) {
    status rejection { reason explanation message } } }";
const MINE: &str =
    "{ myComplaints(first: 5) { nodes { status rejection { reason explanation message } } } }";

const INTERNAL: &str = "Internal: the seller is a known reseller of local goods, see memo 12.";
const MESSAGE: &str = "Barang yang dijual adalah produksi lokal, bukan pakaian bekas impor.";

async fn public(app: &TestApp, code: &str, lang: Option<&str>) -> Value {
    let headers: Vec<(&str, &str)> = lang.map(|l| ("Accept-Language", l)).into_iter().collect();
    let reply = app
        .gql_with_headers(None, &headers, PUBLIC, json!({ "code": code }))
        .await;
    reply.ok()["complaintByTrackingCode"].clone()
}

async fn the_reporter_reads_the_reason_and_message_of_a_rejection(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let citizen = app.register("pelapor@example.id").await;
    let reported = report(
        &app,
        Some(&citizen),
        complaint("https://www.instagram.com/p/rejected-1/"),
    )
    .await;
    assert_eq!(
        public(&app, &reported.tracking_code, None).await["rejection"],
        Value::Null,
        "nothing to explain before a rejection"
    );

    fixtures::claim(&app, &reviewer, &reported.case_id).await;
    let rejected = act(
        &app,
        &reviewer,
        REJECT,
        json!({ "id": reported.case_id, "r": INTERNAL, "code": "NOT_ILLEGAL", "m": MESSAGE }),
    )
    .await;
    assert_eq!(rejected.ok()["rejectCase"]["status"], "REJECTED");

    let indonesian = public(&app, &reported.tracking_code, None).await;
    assert_eq!(indonesian["status"], "REJECTED");
    let rejection = &indonesian["rejection"];
    assert_eq!(rejection["reason"], "NOT_ILLEGAL");
    assert_eq!(rejection["message"], MESSAGE);
    assert!(
        rejection["explanation"]
            .as_str()
            .unwrap()
            .contains("tidak melanggar"),
        "{rejection}"
    );
    let english = public(&app, &reported.tracking_code, Some("en")).await;
    assert!(
        english["rejection"]["explanation"]
            .as_str()
            .unwrap()
            .contains("does not break the law"),
        "{english}"
    );
    // The reviewer's own reason is never shown to the public.
    assert!(!indonesian.to_string().contains("memo 12"));

    let mine = app.gql(Some(&citizen), MINE, json!({})).await;
    let node = &mine.ok()["myComplaints"]["nodes"][0];
    assert_eq!(node["status"], "REJECTED");
    assert_eq!(node["rejection"]["reason"], "NOT_ILLEGAL");
    assert_eq!(node["rejection"]["message"], MESSAGE);
    assert!(!mine.data().to_string().contains("memo 12"));

    // Staff still read the reviewer's reason in the audit trail.
    let trail = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { events { action details } } }",
            json!({ "id": reported.case_id }),
        )
        .await;
    assert!(trail.data().to_string().contains("memo 12"));
}

async fn a_rejection_without_a_reason_code_reads_as_other(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let reported = report(
        &app,
        None,
        complaint("https://www.instagram.com/p/rejected-2/"),
    )
    .await;
    // An existing client sends only the reason.
    fixtures::claim_and_reject(&app, &reviewer, &reported.case_id, INTERNAL).await;
    let view = public(&app, &reported.tracking_code, Some("en")).await;
    assert_eq!(
        view["rejection"],
        json!({
            "reason": "OTHER",
            "explanation": "The report was rejected after review.",
            "message": null,
        })
    );
}

async fn a_bad_message_to_the_reporter_names_its_field_and_rejects_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let reported = report(
        &app,
        None,
        complaint("https://www.instagram.com/p/rejected-3/"),
    )
    .await;
    fixtures::claim(&app, &reviewer, &reported.case_id).await;
    let reply = act(
        &app,
        &reviewer,
        REJECT,
        json!({ "id": reported.case_id, "r": INTERNAL, "code": "DUPLICATE", "m": "short" }),
    )
    .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "messageToReporter");
    let view = public(&app, &reported.tracking_code, None).await;
    assert_eq!(view["status"], "IN_REVIEW", "nothing was rejected");
    assert_eq!(view["rejection"], Value::Null);
}

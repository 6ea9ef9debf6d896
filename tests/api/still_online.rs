//! "Is it still online?" (issue 31, item 5): after a platform's removal, reporters who opted in
//! are asked (mail), and any reporter may answer by tracking code; still online disputes the
//! removal and puts the case back in the queue; the scorecard counts confirmed and disputed
//! removals per platform (API, CSV, page).

use serde_json::json;

use crate::fixtures::{self, report};
use crate::helpers::{Backend, TestApp};
use crate::intake::complaint;
use crate::review::{FORWARD, act};
use laporlapak::db::models::mail::MailOutbox;
use laporlapak::domain::mail::MailKind;
use laporlapak::error::ServiceError;

crate::on_both_backends!(
    a_reporter_confirms_or_disputes_a_removal,
    reporters_are_asked_some_days_after_a_removal,
);

const ANSWER: &str = "mutation($c: String!, $s: Boolean!) {
    answerStillOnlineByTrackingCode(trackingCode: $c, stillOnline: $s) { status disputed } }";
const RESPOND: &str = "mutation($id: ID!, $input: RespondInput!) {
    respondToTakedownRequest(id: $id, input: $input) { status } }";
const REQUEST: &str = "query($id: ID!) { node(id: $id) { ... on TakedownRequest {
    disputedAt removalConfirmedAt case { status } } } }";
const SCORE: &str = "{ transparencyReport { platforms { platform { slug }
    removalsConfirmedByReporters removalsDisputed } } }";

/// Two complaints about one listing, forwarded to Instagram and answered REMOVED.
async fn removed(
    app: &TestApp,
    reviewer: &str,
    url: &str,
    email: Option<&str>,
) -> (Vec<String>, String) {
    let instagram = fixtures::representative(app, "instagram").await;
    let mut first = complaint(url);
    if let Some(email) = email {
        first["contactEmail"] = json!(email);
        first["emailNotifications"] = json!(true);
    }
    let a = report(app, None, first).await;
    let b = report(app, None, complaint(url)).await;
    fixtures::claim(app, reviewer, &a.case_id).await;
    let request = act(
        app,
        reviewer,
        FORWARD,
        json!({ "id": a.case_id, "input": { "urgency": "NORMAL" } }),
    )
    .await
    .ok()["forwardCase"]["id"]
        .as_str()
        .expect("a takedown request")
        .to_owned();
    app.gql(
        Some(&instagram),
        RESPOND,
        json!({ "id": request, "input": { "action": "REMOVED",
                "statementOfReasons": "Dihapus karena melanggar aturan impor." } }),
    )
    .await
    .ok();
    (vec![a.tracking_code, b.tracking_code, a.case_id], request)
}

async fn a_reporter_confirms_or_disputes_a_removal(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    // Before any removal: nothing to check.
    let early = report(
        &app,
        None,
        complaint("https://www.instagram.com/p/still-0/"),
    )
    .await;
    app.gql(None, ANSWER, json!({ "c": early.tracking_code, "s": true }))
        .await
        .expect_code("CONFLICT");
    app.gql(None, ANSWER, json!({ "c": "LL-AAAA-AAAA", "s": true }))
        .await
        .expect_code("NOT_FOUND");

    let (codes, request) = removed(
        &app,
        &reviewer,
        "https://www.instagram.com/p/still-1/",
        None,
    )
    .await;
    let gone = app
        .gql(None, ANSWER, json!({ "c": codes[0], "s": false }))
        .await;
    assert_eq!(
        gone.ok()["answerStillOnlineByTrackingCode"],
        json!({ "status": "RESOLVED", "disputed": false })
    );
    let read = app
        .gql(Some(&reviewer), REQUEST, json!({ "id": request }))
        .await;
    assert!(!read.ok()["node"]["removalConfirmedAt"].is_null());
    assert!(read.ok()["node"]["disputedAt"].is_null());

    // Another reporter finds it still online: disputed, and the case is back in the queue.
    let online = app
        .gql(None, ANSWER, json!({ "c": codes[1], "s": true }))
        .await;
    assert_eq!(
        online.ok()["answerStillOnlineByTrackingCode"],
        json!({ "status": "IN_REVIEW", "disputed": true })
    );
    let read = app
        .gql(Some(&reviewer), REQUEST, json!({ "id": request }))
        .await;
    assert!(!read.ok()["node"]["disputedAt"].is_null());
    assert_eq!(read.ok()["node"]["case"]["status"], "IN_REVIEW");
    let timeline = app
        .gql(
            None,
            "query($c: String!) { complaintByTrackingCode(code: $c) { timeline { status } } }",
            json!({ "c": codes[1] }),
        )
        .await;
    let steps = timeline.ok()["complaintByTrackingCode"]["timeline"].clone();
    assert_eq!(
        steps.as_array().unwrap().last().unwrap()["status"],
        "IN_REVIEW"
    );

    // The scorecard: the dispute wins over the confirmation of the same request.
    let score = app.gql(None, SCORE, json!({})).await;
    let instagram = score.ok()["transparencyReport"]["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["platform"]["slug"] == "instagram")
        .cloned()
        .unwrap();
    assert_eq!(instagram["removalsConfirmedByReporters"], 0);
    assert_eq!(instagram["removalsDisputed"], 1);
    let (status, csv) = app.get("/transparency.csv").await;
    assert_eq!(status, 200);
    assert!(
        csv.contains("platform,instagram,removals_disputed,1"),
        "{csv}"
    );
    let (status, page) = app.get("/transparency?lang=en").await;
    assert_eq!(status, 200);
    assert!(page.contains("Removals disputed by reporters"));
}

async fn reporters_are_asked_some_days_after_a_removal(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let (codes, _) = removed(
        &app,
        &reviewer,
        "https://www.instagram.com/p/still-2/",
        Some("ina@pelapor.example"),
    )
    .await;
    let case_id = laporlapak::domain::global_id::decode(&codes[2])
        .map(|(_, id)| id)
        .unwrap();
    let asked = |app: &TestApp| {
        let services = app.services.clone();
        async move {
            services
                .db
                .run(move |conn| Ok::<_, ServiceError>(MailOutbox::of_case(conn, case_id)?))
                .await
                .unwrap()
                .into_iter()
                .filter(|m| m.kind == MailKind::StillOnline)
                .count()
        }
    };
    app.advance_clock(chrono::TimeDelta::days(6));
    laporlapak::service::mail::still_online::ask(&app.services)
        .await
        .unwrap();
    assert_eq!(asked(&app).await, 0, "not before 7 days");
    app.advance_clock(chrono::TimeDelta::days(1) + chrono::TimeDelta::minutes(1));
    let _ = laporlapak::service::mail::still_online::ask(&app.services).await;
    let _ = laporlapak::service::mail::still_online::ask(&app.services).await;
    // Only the reporter who opted in, once.
    assert_eq!(asked(&app).await, 1);
}

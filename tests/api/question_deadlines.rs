//! A reviewer's question has a deadline (14 days by default): unanswered, the case closes as
//! "no reply" with a note on the timeline; a reply after it reopens the case for review.

use serde_json::json;

use crate::fixtures::{self, report};
use crate::helpers::{Backend, TestApp};
use crate::intake::complaint;
use crate::review::{REQUEST_INFO, act};
use laporlapak::service::review::expire_questions;

crate::on_both_backends!(
    an_unanswered_question_closes_the_case_and_a_late_reply_reopens_it,
    a_reply_in_time_clears_the_deadline,
);

const REPLY: &str = "mutation($code: String!, $m: String!) {
    replyToInformationRequestByTrackingCode(trackingCode: $code, message: $m) { status } }";
const PUBLIC: &str = "query($code: String!) { complaintByTrackingCode(code: $code) {
    status timeline { status note } } }";
const QUESTION: &str = "Mohon kirim foto label impor pada pakaian yang dijual.";
const ANSWER: &str = "Ini fotonya, labelnya berbahasa Korea dan ada tulisan bekas.";

async fn asked(app: &TestApp, reviewer: &str, url: &str) -> fixtures::Reported {
    let reported = report(app, None, complaint(url)).await;
    fixtures::claim(app, reviewer, &reported.case_id).await;
    act(
        app,
        reviewer,
        REQUEST_INFO,
        json!({ "id": reported.case_id, "m": QUESTION }),
    )
    .await
    .ok();
    reported
}

async fn status_of(app: &TestApp, code: &str) -> serde_json::Value {
    app.gql_with_headers(
        None,
        &[("Accept-Language", "en")],
        PUBLIC,
        json!({ "code": code }),
    )
    .await
    .ok()["complaintByTrackingCode"]
        .clone()
}

async fn an_unanswered_question_closes_the_case_and_a_late_reply_reopens_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let reported = asked(&app, &reviewer, "https://www.instagram.com/p/no-reply-1/").await;

    // A day short of the deadline nothing happens.
    app.advance_clock(chrono::TimeDelta::days(13));
    assert_eq!(expire_questions(&app.services).await.unwrap(), 0);
    assert_eq!(
        status_of(&app, &reported.tracking_code).await["status"],
        "AWAITING_INFO"
    );

    app.advance_clock(chrono::TimeDelta::days(1) + chrono::TimeDelta::minutes(1));
    // The deadline worker may have closed it already; either way it is closed exactly once.
    let _ = expire_questions(&app.services).await.unwrap();
    assert_eq!(expire_questions(&app.services).await.unwrap(), 0);
    let view = status_of(&app, &reported.tracking_code).await;
    assert_eq!(view["status"], "CLOSED");
    let last = view["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last,
        json!({ "status": "CLOSED",
                "note": "Closed: the reviewer's question was not answered by its deadline." })
    );

    // A late reply reopens the case for review, claimed by the reviewer who asked.
    let reply = app
        .gql(
            None,
            REPLY,
            json!({ "code": reported.tracking_code, "m": ANSWER }),
        )
        .await;
    assert_eq!(
        reply.ok()["replyToInformationRequestByTrackingCode"]["status"],
        "IN_REVIEW"
    );
    let view = status_of(&app, &reported.tracking_code).await;
    let notes: Vec<&str> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|step| step["note"].as_str())
        .collect();
    assert!(
        notes.contains(&"Reply received after the deadline; the case is back in review."),
        "{notes:?}"
    );
    let case = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { status assignee { email } } }",
            json!({ "id": reported.case_id }),
        )
        .await;
    assert_eq!(case.ok()["case"]["status"], "IN_REVIEW");
    assert_eq!(
        case.ok()["case"]["assignee"]["email"],
        fixtures::REVIEWER_EMAIL
    );

    // A case a reviewer closed is not reopened by a reply.
    let closed = asked(&app, &reviewer, "https://www.instagram.com/p/no-reply-2/").await;
    act(
        &app,
        &reviewer,
        "mutation($id: ID!, $n: String!) { closeCase(caseId: $id, note: $n) { status } }",
        json!({ "id": closed.case_id, "n": "Ditutup oleh peninjau." }),
    )
    .await
    .ok();
    app.gql(
        None,
        REPLY,
        json!({ "code": closed.tracking_code, "m": ANSWER }),
    )
    .await
    .expect_code("CONFLICT");
}

async fn a_reply_in_time_clears_the_deadline(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let reported = asked(&app, &reviewer, "https://www.instagram.com/p/no-reply-3/").await;
    app.advance_clock(chrono::TimeDelta::days(3));
    app.gql(
        None,
        REPLY,
        json!({ "code": reported.tracking_code, "m": ANSWER }),
    )
    .await
    .ok();
    app.advance_clock(chrono::TimeDelta::days(30));
    assert_eq!(expire_questions(&app.services).await.unwrap(), 0);
    assert_eq!(
        status_of(&app, &reported.tracking_code).await["status"],
        "IN_REVIEW"
    );
}

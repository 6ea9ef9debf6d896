//! Appeals against a rejection: the reporter appeals once, within 30 days; a reviewer other than
//! the one who rejected decides; the outcome and its reason reach the reporter by tracking code
//! and in `myComplaints`, and a granted appeal puts the case back in the queue.

use serde_json::{Value, json};

use crate::fixtures::{self, report};
use crate::helpers::{Backend, TestApp};
use crate::intake::complaint;
use laporlapak::domain::Role;

crate::on_both_backends!(
    a_granted_appeal_goes_to_another_reviewer_and_reopens_the_case,
    an_upheld_appeal_keeps_the_rejection_and_a_second_appeal_is_refused,
    an_appeal_comes_from_the_reporter_of_a_rejected_case_within_30_days,
    only_reviewers_decide_appeals,
);

const APPEAL_BY_CODE: &str = "mutation($code: String!, $t: String!) {
    appealRejectionByTrackingCode(trackingCode: $code, text: $t) { id status filedAt decidedAt reason } }";
const APPEAL: &str = "mutation($id: ID!, $t: String!) {
    appealRejection(complaintId: $id, text: $t) { id status } }";
const PENDING: &str =
    "{ pendingAppeals { appeal { id status } caseId complaintId text rejectedByMe } }";
const DECIDE: &str = "mutation($id: ID!, $g: Boolean!, $r: String!) {
    decideAppeal(appealId: $id, grant: $g, reason: $r) { id status reason decidedAt } }";
const PUBLIC: &str = "query($code: String!) { complaintByTrackingCode(code: $code) {
    status appeal { status reason } timeline { status note } } }";

const TEXT: &str = "Barang ini jelas pakaian bekas impor, lihat label dan karungnya di foto.";
const GRANT_REASON: &str = "Foto menunjukkan karung impor; laporan ditinjau kembali.";

/// A complaint (by `token`, or anonymous) whose case `rejecter` claimed and rejected.
async fn rejected(
    app: &TestApp,
    rejecter: &str,
    token: Option<&str>,
    url: &str,
) -> fixtures::Reported {
    let reported = report(app, token, complaint(url)).await;
    fixtures::claim_and_reject(
        app,
        rejecter,
        &reported.case_id,
        "Not a violation as far as this reviewer can tell.",
    )
    .await;
    reported
}

async fn public(app: &TestApp, code: &str) -> Value {
    app.gql(None, PUBLIC, json!({ "code": code })).await.ok()["complaintByTrackingCode"].clone()
}

async fn a_granted_appeal_goes_to_another_reviewer_and_reopens_the_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = fixtures::reviewer(&app).await;
    let second = app
        .staff("second.reviewer@kemenkop.go.id", Role::Reviewer, None)
        .await;
    let reported = rejected(&app, &first, None, "https://www.instagram.com/p/appeal-1/").await;

    let filed = app
        .gql(
            None,
            APPEAL_BY_CODE,
            json!({ "code": reported.tracking_code, "t": TEXT }),
        )
        .await;
    let appeal = filed.ok()["appealRejectionByTrackingCode"].clone();
    assert_eq!(appeal["status"], "PENDING");
    assert_eq!(appeal["decidedAt"], Value::Null);
    let view = public(&app, &reported.tracking_code).await;
    assert_eq!(
        view["appeal"],
        json!({ "status": "PENDING", "reason": null })
    );
    assert_eq!(view["status"], "REJECTED");

    // Both reviewers see it waiting; the one who rejected is told it is not theirs to decide.
    for (token, mine) in [(&first, true), (&second, false)] {
        let pending = app.gql(Some(token), PENDING, json!({})).await;
        let list = pending.ok()["pendingAppeals"].clone();
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["text"], TEXT);
        assert_eq!(list[0]["caseId"], reported.case_id.as_str());
        assert_eq!(list[0]["rejectedByMe"], mine);
    }
    let own = app
        .gql(
            Some(&first),
            DECIDE,
            json!({ "id": appeal["id"], "g": true, "r": GRANT_REASON }),
        )
        .await;
    own.expect_code("CONFLICT");
    assert_eq!(
        public(&app, &reported.tracking_code).await["appeal"]["status"],
        "PENDING"
    );

    let granted = app
        .gql(
            Some(&second),
            DECIDE,
            json!({ "id": appeal["id"], "g": true, "r": GRANT_REASON }),
        )
        .await;
    let granted = granted.ok()["decideAppeal"].clone();
    assert_eq!(granted["status"], "GRANTED");
    assert_eq!(granted["reason"], GRANT_REASON);

    // The reporter reads the outcome; the case is back in the queue, the appeal off the desk.
    let view = public(&app, &reported.tracking_code).await;
    assert_eq!(view["status"], "OPEN");
    assert_eq!(
        view["appeal"],
        json!({ "status": "GRANTED", "reason": GRANT_REASON })
    );
    let notes: Vec<&str> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|step| step["note"].as_str())
        .collect();
    assert!(notes.contains(&"Banding diterima."), "{notes:?}");
    assert!(
        notes.contains(&"Banding dikabulkan: laporan ditinjau kembali."),
        "{notes:?}"
    );
    let queue = app
        .gql(
            Some(&second),
            "{ reviewQueue(first: 5) { nodes { id status } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        queue.ok()["reviewQueue"]["nodes"][0]["id"],
        reported.case_id.as_str()
    );
    let pending = app.gql(Some(&second), PENDING, json!({})).await;
    assert_eq!(pending.ok()["pendingAppeals"], json!([]));
    // Decided once.
    app.gql(
        Some(&second),
        DECIDE,
        json!({ "id": appeal["id"], "g": false, "r": GRANT_REASON }),
    )
    .await
    .expect_code("CONFLICT");
}

async fn an_upheld_appeal_keeps_the_rejection_and_a_second_appeal_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = fixtures::reviewer(&app).await;
    let second = app
        .staff("second.reviewer@kemenkop.go.id", Role::Reviewer, None)
        .await;
    let citizen = app.register("pelapor@example.id").await;
    let reported = rejected(
        &app,
        &first,
        Some(&citizen),
        "https://www.instagram.com/p/appeal-2/",
    )
    .await;
    let filed = app
        .gql(
            Some(&citizen),
            APPEAL,
            json!({ "id": reported.complaint_id, "t": TEXT }),
        )
        .await;
    let id = filed.ok()["appealRejection"]["id"].clone();
    app.gql(
        Some(&citizen),
        APPEAL,
        json!({ "id": reported.complaint_id, "t": TEXT }),
    )
    .await
    .expect_code("CONFLICT");

    let reason = "Penjual menunjukkan dokumen impor resmi; penolakan tetap berlaku.";
    let upheld = app
        .gql(
            Some(&second),
            DECIDE,
            json!({ "id": id, "g": false, "r": reason }),
        )
        .await;
    assert_eq!(upheld.ok()["decideAppeal"]["status"], "UPHELD");

    let mine = app
        .gql(
            Some(&citizen),
            "{ myComplaints(first: 5) { nodes { status appeal { status reason } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        mine.ok()["myComplaints"]["nodes"][0],
        json!({ "status": "REJECTED", "appeal": { "status": "UPHELD", "reason": reason } })
    );
    // Still one appeal per complaint after the decision.
    app.gql(
        None,
        APPEAL_BY_CODE,
        json!({ "code": reported.tracking_code, "t": TEXT }),
    )
    .await
    .expect_code("CONFLICT");
}

async fn an_appeal_comes_from_the_reporter_of_a_rejected_case_within_30_days(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let owner = app.register("pelapor@example.id").await;
    let stranger = app.register("orang.lain@example.id").await;

    // Not rejected: nothing to appeal.
    let open = report(
        &app,
        Some(&owner),
        complaint("https://www.instagram.com/p/appeal-3/"),
    )
    .await;
    let reply = app
        .gql(
            Some(&owner),
            APPEAL,
            json!({ "id": open.complaint_id, "t": TEXT }),
        )
        .await;
    reply.expect_code("CONFLICT");
    assert_eq!(
        reply.body["errors"][0]["extensions"]["currentStatus"],
        "OPEN"
    );

    let reported = rejected(
        &app,
        &reviewer,
        Some(&owner),
        "https://www.instagram.com/p/appeal-4/",
    )
    .await;
    // Another citizen's complaint is not found; staff and the public may not use this door.
    app.gql(
        Some(&stranger),
        APPEAL,
        json!({ "id": reported.complaint_id, "t": TEXT }),
    )
    .await
    .expect_code("NOT_FOUND");
    app.gql(
        None,
        APPEAL,
        json!({ "id": reported.complaint_id, "t": TEXT }),
    )
    .await
    .expect_code("UNAUTHENTICATED");
    app.gql(
        Some(&reviewer),
        APPEAL,
        json!({ "id": reported.complaint_id, "t": TEXT }),
    )
    .await
    .expect_code("FORBIDDEN");
    // A text too short names its field.
    let short = app
        .gql(
            Some(&owner),
            APPEAL,
            json!({ "id": reported.complaint_id, "t": "no" }),
        )
        .await;
    short.expect_code("BAD_USER_INPUT");
    assert_eq!(short.field(), "text");
    // An unknown code.
    app.gql(
        None,
        APPEAL_BY_CODE,
        json!({ "code": "LL-2222-2222", "t": TEXT }),
    )
    .await
    .expect_code("NOT_FOUND");

    // Thirty days and a minute later, too late.
    app.advance_clock(chrono::TimeDelta::days(30) + chrono::TimeDelta::minutes(1));
    let late = app
        .gql_with_headers(
            Some(&owner),
            &[("Accept-Language", "en")],
            APPEAL,
            json!({ "id": reported.complaint_id, "t": TEXT }),
        )
        .await;
    late.expect_code("CONFLICT");
    assert!(
        late.message().contains("within 30 days"),
        "{}",
        late.message()
    );
    assert_eq!(
        public(&app, &reported.tracking_code).await["appeal"],
        Value::Null
    );
}

async fn only_reviewers_decide_appeals(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let admin = app.admin().await;
    let platform = fixtures::representative(&app, "instagram").await;
    let citizen = app.register("pelapor@example.id").await;
    let regulator = app
        .staff("petugas@komdigi.go.id", Role::Regulator, None)
        .await;
    let reported = rejected(
        &app,
        &reviewer,
        None,
        "https://www.instagram.com/p/appeal-5/",
    )
    .await;
    let filed = app
        .gql(
            None,
            APPEAL_BY_CODE,
            json!({ "code": reported.tracking_code, "t": TEXT }),
        )
        .await;
    let id = filed.ok()["appealRejectionByTrackingCode"]["id"].clone();
    for (token, code) in [
        (None, "UNAUTHENTICATED"),
        (Some(citizen.as_str()), "FORBIDDEN"),
        (Some(platform.as_str()), "FORBIDDEN"),
        (Some(admin.as_str()), "FORBIDDEN"),
        (Some(regulator.as_str()), "FORBIDDEN"),
    ] {
        app.gql(token, PENDING, json!({})).await.expect_code(code);
        app.gql(
            token,
            DECIDE,
            json!({ "id": id, "g": true, "r": GRANT_REASON }),
        )
        .await
        .expect_code(code);
    }
    assert_eq!(
        public(&app, &reported.tracking_code).await["appeal"]["status"],
        "PENDING"
    );
}

//! Set-ups many API tests share: the staff accounts of a desk, a reported listing and its case, a
//! case claimed and forwarded to (or rejected before) its platform. Each one speaks GraphQL to the
//! test server as a client would and asserts that every step succeeded, so a test built on them
//! starts from exactly the state it names.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::intake::{complaint, submit};
use crate::review::{CLAIM, FORWARD, REJECT, act};
use laporlapak::db::models::complaint::Complaint;
use laporlapak::domain::Role;
use laporlapak::error::ServiceError;
use laporlapak::graphql::id::{self, NodeType};

/// The e-mail address of the reviewer [`reviewer`] creates.
pub const REVIEWER_EMAIL: &str = "reviewer@kemenkop.go.id";

/// A ministry reviewer ([`REVIEWER_EMAIL`]), signed in: its token.
pub async fn reviewer(app: &TestApp) -> String {
    app.staff(REVIEWER_EMAIL, Role::Reviewer, None).await
}

/// The e-mail address of the representative [`representative`] creates for `platform` (a slug).
pub fn representative_email(platform: &str) -> String {
    match platform {
        "instagram" => "trust@instagram.com".to_owned(),
        "tiktok" => "trust@tiktok.com".to_owned(),
        "shopee" => "trust@shopee.co.id".to_owned(),
        other => format!("trust@{other}.example"),
    }
}

/// A representative of `platform` (a slug), signed in: its token.
pub async fn representative(app: &TestApp, platform: &str) -> String {
    app.staff(
        &representative_email(platform),
        Role::Platform,
        Some(platform),
    )
    .await
}

/// The tokens of a reviewer and of Instagram's and TikTok's representatives.
pub struct Desk {
    pub reviewer: String,
    pub instagram: String,
    pub tiktok: String,
}

/// A reviewer ([`reviewer`]) and the representatives of Instagram and TikTok ([`representative`]).
pub async fn desk(app: &TestApp) -> Desk {
    Desk {
        reviewer: reviewer(app).await,
        instagram: representative(app, "instagram").await,
        tiktok: representative(app, "tiktok").await,
    }
}

/// The global ID of the case a complaint (by its global ID) belongs to. Read from the database: the
/// API has no cheap way from a complaint to its case (a queue page of pages is refused as too
/// complex), and what reviewers may see of the case is tested through the API elsewhere.
pub async fn case_id_of(app: &TestApp, complaint_id: &str) -> String {
    let number = id::decode_as(complaint_id, NodeType::Complaint).expect("a complaint ID");
    let case_id = app
        .services
        .db
        .run(move |conn| {
            Complaint::find(conn, number)?
                .map(|complaint| complaint.case_id)
                .ok_or(ServiceError::NotFound)
        })
        .await
        .expect("the complaint's case");
    id::encode(NodeType::Case, case_id).0
}

/// A submitted complaint: its tracking code, its global ID and its case's global ID.
pub struct Reported {
    pub tracking_code: String,
    pub complaint_id: String,
    pub case_id: String,
}

/// Submits `input` (signed in with `token`, or anonymously); returns the complaint and its case.
pub async fn report(app: &TestApp, token: Option<&str>, input: Value) -> Reported {
    let outcome = submit(app, token, input).await;
    let complaint_id = outcome["complaint"]["id"]
        .as_str()
        .expect("the complaint's ID")
        .to_owned();
    Reported {
        tracking_code: outcome["trackingCode"]
            .as_str()
            .expect("a tracking code")
            .to_owned(),
        case_id: case_id_of(app, &complaint_id).await,
        complaint_id,
    }
}

/// A fresh case of one anonymous complaint about `url` (OPEN, unless the URL's case existed): its
/// global ID.
pub async fn open_case(app: &TestApp, url: &str) -> String {
    report(app, None, complaint(url)).await.case_id
}

/// The reviewer claims the case (it must succeed).
pub async fn claim(app: &TestApp, reviewer: &str, case_id: &str) {
    act(app, reviewer, CLAIM, json!({ "id": case_id }))
        .await
        .ok();
}

/// The reviewer claims the case and forwards it with `input` (a `ForwardInput`); returns the
/// takedown request's global ID.
pub async fn claim_and_forward_case(
    app: &TestApp,
    reviewer: &str,
    case_id: &str,
    input: Value,
) -> String {
    claim(app, reviewer, case_id).await;
    let reply = act(
        app,
        reviewer,
        FORWARD,
        json!({ "id": case_id, "input": input }),
    )
    .await;
    reply.ok()["forwardCase"]["id"]
        .as_str()
        .expect("the takedown request's ID")
        .to_owned()
}

/// The reviewer claims the case of a complaint (by its global ID) and forwards it with `urgency`;
/// returns (case id, takedown request id).
pub async fn claim_and_forward(
    app: &TestApp,
    reviewer: &str,
    complaint_id: &str,
    urgency: &str,
) -> (String, String) {
    let case_id = case_id_of(app, complaint_id).await;
    let request_id =
        claim_and_forward_case(app, reviewer, &case_id, json!({ "urgency": urgency })).await;
    (case_id, request_id)
}

/// The reviewer claims the case and rejects it for `reason`.
pub async fn claim_and_reject(app: &TestApp, reviewer: &str, case_id: &str, reason: &str) {
    claim(app, reviewer, case_id).await;
    act(app, reviewer, REJECT, json!({ "id": case_id, "r": reason }))
        .await
        .ok();
}

/// An anonymous complaint about `url`, whose case the reviewer claims and forwards to its platform
/// with `urgency`; returns (case id, takedown request id).
pub async fn forwarded(
    app: &TestApp,
    reviewer: &str,
    url: &str,
    urgency: &str,
) -> (String, String) {
    let case_id = open_case(app, url).await;
    let request_id =
        claim_and_forward_case(app, reviewer, &case_id, json!({ "urgency": urgency })).await;
    (case_id, request_id)
}

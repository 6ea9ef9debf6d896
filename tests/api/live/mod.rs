//! Live updates (issue 34): subscriptions over WebSocket (`graphql-transport-ws`) on `/graphql`.
//! Each update is re-read under the subscriber's rights; nothing is sent before the commit; on
//! PostgreSQL an event committed on one replica reaches a subscriber on another exactly once.

pub mod client;

use std::time::Duration;

use serde_json::json;

use crate::fixtures::{self, desk, open_case, reviewer};
use crate::helpers::{Backend, TestApp};
use crate::intake::{complaint, submit};
use client::{LiveClient, open};

const QUEUE: &str = "subscription { queueChanged { resync case { id status } } }";
const REQUESTS: &str =
    "subscription { takedownRequestsChanged { event takedownRequest { id } case { id } } }";
const SECOND: Duration = Duration::from_secs(1);

crate::on_both_backends!(
    a_reviewer_sees_a_new_case_within_a_second,
    a_platform_sees_its_own_requests_and_not_another_platforms,
    an_expired_token_closes_the_socket,
    a_token_that_expires_while_open_closes_the_socket,
    roles_that_may_not_subscribe_are_refused,
    a_foreign_origin_is_refused,
    a_reporter_follows_a_complaint_by_tracking_code,
);

async fn a_reviewer_sees_a_new_case_within_a_second(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = reviewer(&app).await;
    let mut live = LiveClient::connect(&app, Some(&reviewer)).await;
    live.subscribe("q", QUEUE, json!({})).await;
    // The subscription is registered once the server has read the message; a round trip of
    // the protocol's ping says it has.
    live.send(json!({ "type": "ping" })).await;
    live.next(SECOND).await;
    let case_id = open_case(&app, "https://www.instagram.com/p/LiveQueue1/").await;
    let update = live
        .next_for("q", SECOND)
        .await
        .expect("an update within a second");
    assert_eq!(update["type"], "next", "{update}");
    let case = &update["payload"]["data"]["queueChanged"]["case"];
    assert_eq!(case["id"], case_id.as_str(), "{update}");
    assert_eq!(case["status"], "OPEN");
    assert_eq!(update["payload"]["data"]["queueChanged"]["resync"], false);
}

async fn a_platform_sees_its_own_requests_and_not_another_platforms(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let mut instagram = LiveClient::connect(&app, Some(&desk.instagram)).await;
    let mut tiktok = LiveClient::connect(&app, Some(&desk.tiktok)).await;
    for live in [&mut instagram, &mut tiktok] {
        live.subscribe("r", REQUESTS, json!({})).await;
        live.send(json!({ "type": "ping" })).await;
        live.next(SECOND).await;
    }
    let (_, request) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/LiveDesk1/",
        "NORMAL",
    )
    .await;
    let update = instagram
        .next_for("r", SECOND)
        .await
        .expect("instagram hears");
    let changed = &update["payload"]["data"]["takedownRequestsChanged"];
    assert_eq!(changed["event"], "ISSUED", "{update}");
    assert_eq!(changed["takedownRequest"]["id"], request.as_str());
    // TikTok hears nothing of it: its first update is its own request.
    let (_, own) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.tiktok.com/@penjual.live/video/7300000000000000042",
        "NORMAL",
    )
    .await;
    let update = tiktok.next_for("r", SECOND).await.expect("tiktok hears");
    let changed = &update["payload"]["data"]["takedownRequestsChanged"];
    assert_eq!(changed["takedownRequest"]["id"], own.as_str(), "{update}");
    assert!(
        instagram.next(Duration::from_millis(300)).await.is_none(),
        "instagram hears nothing of TikTok's request"
    );
}

/// A token signed like the server's, expiring `in_seconds` from now (negative: already expired).
fn token_expiring(app: &TestApp, account_id: i64, in_seconds: i64) -> String {
    let now = chrono::Utc::now().timestamp();
    app.services
        .tokens
        .sign(&laporlapak::auth::token::Claims {
            sub: account_id.to_string(),
            role: "REVIEWER".to_owned(),
            platform: None,
            client_id: None,
            iat: now - 60,
            exp: now + in_seconds,
            iss: laporlapak::auth::token::ISSUER.to_owned(),
            aud: laporlapak::auth::token::AUDIENCE.to_owned(),
            typ: laporlapak::auth::token::ACCESS_TOKEN_TYPE.to_owned(),
        })
        .expect("signed")
}

async fn reviewer_account_id(app: &TestApp) -> i64 {
    let me = app
        .gql(Some(&reviewer(app).await), "{ me { id } }", json!({}))
        .await;
    let id = me.ok()["me"]["id"].as_str().unwrap().to_owned();
    laporlapak::graphql::id::decode_as(&id, laporlapak::graphql::id::NodeType::Account)
        .expect("an account id")
}

async fn an_expired_token_closes_the_socket(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = reviewer_account_id(&app).await;
    let expired = token_expiring(&app, account, -3_600);
    let mut live = open(&app, &[]).await.expect("the handshake");
    live.init(Some(&expired)).await;
    assert_eq!(live.closed(SECOND * 5).await, Some(4403));
    // A token that is not one at all, likewise.
    let mut live = open(&app, &[]).await.expect("the handshake");
    live.init(Some("not-a-token")).await;
    assert_eq!(live.closed(SECOND * 5).await, Some(4403));
}

async fn a_token_that_expires_while_open_closes_the_socket(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = reviewer_account_id(&app).await;
    let short = token_expiring(&app, account, 1);
    let mut live = LiveClient::connect(&app, Some(&short)).await;
    live.subscribe("q", QUEUE, json!({})).await;
    // Valid for one second, and the verification's leeway of five.
    assert_eq!(live.closed(SECOND * 10).await, Some(4403));
}

async fn roles_that_may_not_subscribe_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let citizen = app.register("warga.live@mail.id").await;
    let instagram = fixtures::representative(&app, "instagram").await;
    for (token, query, code) in [
        (None, QUEUE, "UNAUTHENTICATED"),
        (Some(citizen.as_str()), QUEUE, "FORBIDDEN"),
        (Some(instagram.as_str()), QUEUE, "FORBIDDEN"),
        (Some(citizen.as_str()), REQUESTS, "FORBIDDEN"),
        (
            Some(instagram.as_str()),
            "subscription { recommendationsChanged { resync } }",
            "FORBIDDEN",
        ),
        (
            Some(instagram.as_str()),
            "subscription { myComplaintsChanged { resync } }",
            "FORBIDDEN",
        ),
    ] {
        let mut live = LiveClient::connect(&app, token).await;
        live.subscribe("x", query, json!({})).await;
        let answer = live.next_for("x", SECOND * 5).await.expect("an answer");
        let errors = if answer["type"] == "error" {
            answer["payload"].clone()
        } else {
            answer["payload"]["errors"].clone()
        };
        assert_eq!(errors[0]["extensions"]["code"], code, "{query}: {answer}");
    }
}

async fn a_foreign_origin_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(
        open(&app, &[("Origin", "https://evil.example")])
            .await
            .err(),
        Some(403)
    );
    let own = app.address.clone();
    assert!(open(&app, &[("Origin", own.as_str())]).await.is_ok());
}

async fn a_reporter_follows_a_complaint_by_tracking_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = reviewer(&app).await;
    let reported = submit(
        &app,
        None,
        complaint("https://www.instagram.com/p/LiveTrack1/"),
    )
    .await;
    let code = reported["trackingCode"].as_str().unwrap().to_owned();
    let mut live = LiveClient::connect(&app, None).await;
    live.subscribe(
        "t",
        "subscription($c: String!) { complaintByTrackingCodeChanged(code: $c) { resync complaint { status } } }",
        json!({ "c": code }),
    )
    .await;
    let first = live.next_for("t", SECOND * 5).await.expect("the state now");
    assert_eq!(
        first["payload"]["data"]["complaintByTrackingCodeChanged"]["complaint"]["status"], "OPEN",
        "{first}"
    );
    let case_id =
        crate::fixtures::case_id_of(&app, reported["complaint"]["id"].as_str().unwrap()).await;
    fixtures::claim(&app, &reviewer, &case_id).await;
    let update = live.next_for("t", SECOND).await.expect("the change");
    assert_eq!(
        update["payload"]["data"]["complaintByTrackingCodeChanged"]["complaint"]["status"],
        "IN_REVIEW",
        "{update}"
    );
}

mod replicas {
    use super::*;

    /// Two replicas over one PostgreSQL: an event committed on one reaches a subscriber on the
    /// other, exactly once.
    #[actix_web::test]
    #[cfg_attr(
        not(laporlapak_postgres_tests),
        ignore = "set TEST_DATABASE_URL=postgres://… to run on PostgreSQL"
    )]
    async fn postgres() {
        let first = TestApp::spawn(Backend::Postgres).await;
        let second = first.spawn_replica().await;
        let reviewer = reviewer(&first).await;
        let mut live = LiveClient::connect(&second, Some(&reviewer)).await;
        live.subscribe("q", QUEUE, json!({})).await;
        live.send(json!({ "type": "ping" })).await;
        live.next(SECOND).await;
        let case_id = open_case(&first, "https://www.instagram.com/p/LiveReplica1/").await;
        let update = live
            .next_for("q", SECOND)
            .await
            .expect("delivered across replicas");
        assert_eq!(
            update["payload"]["data"]["queueChanged"]["case"]["id"],
            case_id.as_str()
        );
        assert!(
            live.next(Duration::from_millis(500)).await.is_none(),
            "delivered once"
        );
    }
}

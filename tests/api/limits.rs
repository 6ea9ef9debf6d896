//! Rate limits: password guessing and anonymous flooding get RATE_LIMITED with `retryAfter`.

use serde_json::json;

use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::intake::complaint;
use laporlapak::config::Environment;

crate::on_both_backends!(
    password_guessing_is_slowed,
    anonymous_flooding_is_slowed,
    tracking_codes_cannot_be_guessed_quickly,
    batched_limits_hold_across_replicas,
);

async fn tracking_codes_cannot_be_guessed_quickly(backend: Backend) {
    let app = TestApp::spawn_configured(backend, Environment::Development, true).await;
    let query = "query($c: String!) { complaintByTrackingCode(code: $c) { status } }";
    for i in 0..120 {
        let reply = app
            .gql(None, query, json!({ "c": format!("LL-0000-{i:04}") }))
            .await;
        assert!(reply.ok()["complaintByTrackingCode"].is_null());
    }
    let limited = app.gql(None, query, json!({ "c": "LL-0000-0121" })).await;
    limited.expect_code("RATE_LIMITED");
    let reply = app
        .gql(
            None,
            "mutation { replyToInformationRequestByTrackingCode(trackingCode: \"LL-0000-0122\", message: \"halo\") { status } }",
            json!({}),
        )
        .await;
    reply.expect_code("RATE_LIMITED");
}

async fn password_guessing_is_slowed(backend: Backend) {
    let app = TestApp::spawn_configured(backend, Environment::Development, true).await;
    app.register("target@mail.id").await;
    for attempt in 0..10 {
        let reply = app
            .login("target@mail.id", &format!("guess number {attempt}"))
            .await;
        reply.expect_code("UNAUTHENTICATED");
    }
    let limited = app.login("TARGET@mail.id", PASSWORD).await;
    limited.expect_code("RATE_LIMITED");
    let retry_after = limited.body["errors"][0]["extensions"]["retryAfter"]
        .as_u64()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert!(limited.message().contains(&retry_after.to_string()));
    // Other accounts are not affected.
    app.register("other@mail.id").await;
    app.login("other@mail.id", PASSWORD).await.ok();
}

async fn anonymous_flooding_is_slowed(backend: Backend) {
    let app = TestApp::spawn_configured(backend, Environment::Development, true).await;
    let query = "mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { trackingCode } }";
    for i in 0..30 {
        let input = complaint(&format!("https://www.instagram.com/p/Flood{i}/"));
        app.gql(None, query, json!({ "input": input })).await.ok();
    }
    let input = complaint("https://www.instagram.com/p/Flood30/");
    let limited = app.gql(None, query, json!({ "input": input })).await;
    limited.expect_code("RATE_LIMITED");
    // A signed-in citizen has a budget of its own.
    let token = app.register("warga@mail.id").await;
    let input = complaint("https://www.instagram.com/p/Flood31/");
    app.gql(Some(&token), query, json!({ "input": input }))
        .await
        .ok();
}

/// Tracking-code look-ups are counted in memory and added to the shared cells in batches: a
/// replica learns another's counts at its next flush, and from then on the client is over its
/// budget there too.
async fn batched_limits_hold_across_replicas(backend: Backend) {
    let first = TestApp::spawn_configured(backend, Environment::Development, true).await;
    let second = first.spawn_replica().await;
    let query = "query($c: String!) { complaintByTrackingCode(code: $c) { status } }";
    let variables = json!({ "c": "LL-0000-0000" });
    for _ in 0..120 {
        first.gql(None, query, variables.clone()).await.ok();
    }
    first
        .gql(None, query, variables.clone())
        .await
        .expect_code("RATE_LIMITED");
    laporlapak::service::limits::flush(&first.services)
        .await
        .unwrap();
    // The second replica counts this one in memory; its flush adds it to the shared cell and
    // brings back the first replica's 120.
    second.gql(None, query, variables.clone()).await.ok();
    laporlapak::service::limits::flush(&second.services)
        .await
        .unwrap();
    let limited = second.gql(None, query, variables.clone()).await;
    limited.expect_code("RATE_LIMITED");
    assert!(
        limited.body["errors"][0]["extensions"]["retryAfter"]
            .as_u64()
            .unwrap()
            >= 1
    );
}

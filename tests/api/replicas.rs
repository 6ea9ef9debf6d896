//! Two servers over one database (two replicas behind a load balancer): the concurrency cases
//! hold across them — one case for fifty simultaneous first reports, one winner among twenty
//! simultaneous claims, one complaint for simultaneous retries with one idempotency key, and the
//! immediate rate limits counted in the shared cells. Requests alternate between the replicas.
//! On PostgreSQL this is the production shape; on SQLite, two processes sharing one file.
//!
//! Webhook delivery across replicas (each event delivered once whichever replica's worker picks
//! it up) belongs here too, once the outbox exists.

use serde_json::json;

use crate::fixtures::open_case;
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::intake::{SUBMIT, case_of, complaint};
use crate::review::{CLAIM, act, case};
use laporlapak::config::Environment;
use laporlapak::domain::Role;

crate::on_both_backends!(
    fifty_first_reports_across_replicas_open_one_case,
    twenty_claims_across_replicas_have_one_winner,
    retries_across_replicas_create_one_complaint,
    password_guessing_is_counted_across_replicas,
);

async fn fifty_first_reports_across_replicas_open_one_case(backend: Backend) {
    let first = TestApp::spawn(backend).await;
    let second = first.spawn_replica().await;
    let replicas = [&first, &second];
    let requests = (0..50).map(|i| {
        let app = replicas[i % 2];
        let input = complaint("https://www.instagram.com/p/ReplicaRace/");
        async move { app.gql(None, SUBMIT, json!({ "input": input })).await }
    });
    let replies = futures_util::future::join_all(requests).await;
    let mut codes = Vec::new();
    let mut opened = 0;
    for reply in &replies {
        let outcome = &reply.ok()["submitComplaint"];
        if outcome["joinedExistingCase"] == false {
            opened += 1;
        }
        codes.push(outcome["trackingCode"].as_str().unwrap().to_owned());
    }
    assert_eq!(opened, 1, "exactly one submission opens the case");
    let case = case_of(&first, &codes[0]).await;
    for code in &codes {
        assert_eq!(case_of(&second, code).await.id, case.id);
    }
    assert_eq!(case.report_count, 50);
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 50, "tracking codes are unique");
}

async fn twenty_claims_across_replicas_have_one_winner(backend: Backend) {
    let first = TestApp::spawn(backend).await;
    let second = first.spawn_replica().await;
    let mut reviewers = Vec::new();
    for i in 0..20 {
        reviewers.push(
            first
                .staff(&format!("r{i}@kemenkop.go.id"), Role::Reviewer, None)
                .await,
        );
    }
    let id = open_case(&first, "https://www.instagram.com/p/ReplicaClaim/").await;
    let replies = futures_util::future::join_all(reviewers.iter().enumerate().map(|(i, token)| {
        let app = if i % 2 == 0 { &first } else { &second };
        act(app, token, CLAIM, json!({ "id": id }))
    }))
    .await;
    let winners = replies
        .iter()
        .filter(|r| r.body.get("errors").is_none())
        .count();
    assert_eq!(
        winners,
        1,
        "{replies:?}",
        replies = replies.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    for reply in replies.iter().filter(|r| r.body.get("errors").is_some()) {
        reply.expect_code("CONFLICT");
    }
    let case = case(&second, &reviewers[0], &id).await;
    let claims = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "case.claimed")
        .count();
    assert_eq!(claims, 1, "exactly one audit event");
}

async fn retries_across_replicas_create_one_complaint(backend: Backend) {
    let first = TestApp::spawn(backend).await;
    let second = first.spawn_replica().await;
    let token = first.register("retry@mail.id").await;
    let mut input = complaint("https://www.instagram.com/p/ReplicaRetry/");
    input["idempotencyKey"] = json!("6a0e2f4c-9b1d-4e3a-8c5f-7d2b1a0e9c4f");
    let replies = futures_util::future::join_all((0..10).map(|i| {
        let app = if i % 2 == 0 { &first } else { &second };
        app.gql(Some(&token), SUBMIT, json!({ "input": input.clone() }))
    }))
    .await;
    let codes: Vec<String> = replies
        .iter()
        .map(|r| {
            r.ok()["submitComplaint"]["trackingCode"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(codes.iter().all(|c| *c == codes[0]), "{codes:?}");
    // A later retry on either replica answers the same.
    let again = second
        .gql(Some(&token), SUBMIT, json!({ "input": input.clone() }))
        .await;
    assert_eq!(
        again.ok()["submitComplaint"]["trackingCode"].as_str(),
        Some(codes[0].as_str())
    );
    let case = case_of(&first, &codes[0]).await;
    assert_eq!(case.report_count, 1, "one complaint, whatever the replica");
}

/// The sign-in limit is immediate: its cell is shared at once, so ten wrong passwords spread over
/// two replicas spend one budget.
async fn password_guessing_is_counted_across_replicas(backend: Backend) {
    let first = TestApp::spawn_configured(backend, Environment::Development, true).await;
    let second = first.spawn_replica().await;
    first.register("target@mail.id").await;
    for attempt in 0..10 {
        let app = if attempt % 2 == 0 { &first } else { &second };
        app.login("target@mail.id", &format!("guess number {attempt}"))
            .await
            .expect_code("UNAUTHENTICATED");
    }
    first
        .login("target@mail.id", PASSWORD)
        .await
        .expect_code("RATE_LIMITED");
    second
        .login("target@mail.id", PASSWORD)
        .await
        .expect_code("RATE_LIMITED");
}

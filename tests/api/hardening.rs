//! Attacks found by an outside attack run, each a test that failed before its fix: an
//! idempotency key must never hand one person another's complaint, and what a platform sees
//! carries nothing that identifies a reporter.

use std::net::{IpAddr, Ipv4Addr};

use serde_json::json;

use crate::helpers::{Backend, TestApp};
use crate::intake::{SUBMIT, complaint};

crate::on_both_backends!(
    a_guessable_anonymous_idempotency_key_is_refused,
    one_anonymous_key_never_hands_over_another_persons_complaint,
);

const SECOND_CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

async fn a_guessable_anonymous_idempotency_key_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for key in ["1", "kampanye-2026", "00000000-0000-0000-0000-000000000000"] {
        let mut input = complaint("https://www.instagram.com/p/Campaign1/");
        input["idempotencyKey"] = json!(key);
        let reply = app.gql(None, SUBMIT, json!({ "input": input })).await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), "input.idempotencyKey");
        assert!(reply.message().contains("UUID"), "{}", reply.message());
    }
    // Signed in, the key is scoped to the account: a short one is fine.
    let token = app.register("kampanye@mail.id").await;
    let mut input = complaint("https://www.instagram.com/p/Campaign1/");
    input["idempotencyKey"] = json!("1");
    app.gql(Some(&token), SUBMIT, json!({ "input": input }))
        .await
        .ok();
}

async fn one_anonymous_key_never_hands_over_another_persons_complaint(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // A campaign template: the same body, the same (random-looking) key, the same contact e-mail.
    let mut template = complaint("https://www.instagram.com/p/Template1/");
    template["idempotencyKey"] = json!("5e2b9c7a-1d4f-4a8e-b3c6-7f0a2d9e4b1c");
    template["contactEmail"] = json!("korban@mail.id");
    let first = app.gql(None, SUBMIT, json!({ "input": template })).await;
    let first_code = first.ok()["submitComplaint"]["trackingCode"].clone();
    // The sender's own retry returns its complaint.
    let retry = app.gql(None, SUBMIT, json!({ "input": template })).await;
    assert_eq!(retry.ok()["submitComplaint"]["trackingCode"], first_code);
    // Another person, elsewhere, gets a complaint of their own — never the first tracking code.
    let other = app
        .gql_from(SECOND_CLIENT, None, SUBMIT, json!({ "input": template }))
        .await;
    let other = &other.ok()["submitComplaint"];
    assert_ne!(other["trackingCode"], first_code);
    assert_eq!(other["joinedExistingCase"], true, "same target, same case");
}

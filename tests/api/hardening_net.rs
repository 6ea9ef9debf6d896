//! Hardening of the network surface, found by an outside attack run, each a test that failed
//! before its fix: strangers cannot lock owners out, every password check is rate-limited, a
//! deactivated platform's people are refused, IPv6 clients are counted by network.

use std::net::{IpAddr, Ipv4Addr};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::helpers::{Backend, PASSWORD, TestApp};
use laporlapak::config::Environment;
use laporlapak::domain::Role;

crate::on_both_backends!(
    wrong_client_secrets_from_a_stranger_never_lock_the_integration_out,
    wrong_passwords_from_strangers_never_lock_the_owner_out,
    erasing_an_account_takes_the_sign_in_limits,
    changing_the_sign_in_email_needs_the_current_password,
    a_deactivated_platform_s_people_are_refused,
    ipv6_addresses_of_one_network_share_a_limit,
);

fn loopback(host: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, host))
}

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

/// POSTs the client-credentials grant from `from` (the default client when `None`).
async fn token_request(
    app: &TestApp,
    from: Option<IpAddr>,
    client_id: &str,
    secret: &str,
) -> (u16, Value) {
    let mut connector = awc::Connector::new();
    if let Some(local) = from {
        connector = connector.local_address(local);
    }
    let client = awc::Client::builder().connector(connector).finish();
    let encoded = STANDARD.encode(format!("{client_id}:{secret}"));
    let mut response = client
        .post(format!("{}/oauth/token", app.address))
        .insert_header(("authorization", format!("Basic {encoded}")))
        .send_form(&[("grant_type", "client_credentials")])
        .await
        .expect("token endpoint answers");
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn wrong_client_secrets_from_a_stranger_never_lock_the_integration_out(backend: Backend) {
    let app = TestApp::spawn_configured(backend, Environment::Development, true).await;
    let admin = app.admin().await;
    let created = app
        .gql(
            Some(&admin),
            "mutation($p: String!, $n: String!) { createApiClient(platform: $p, name: $n) { secret client { clientId } } }",
            json!({ "p": "tiktok", "n": "tiktok sync" }),
        )
        .await;
    let created = &created.ok()["createApiClient"];
    let client_id = created["client"]["clientId"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap().to_owned();
    // A stranger presents 61 wrong secrets: it is slowed down, itself.
    let mut statuses = Vec::new();
    for _ in 0..61 {
        let (status, _) = token_request(&app, Some(loopback(2)), &client_id, "llcs_wrong").await;
        statuses.push(status);
    }
    assert_eq!(statuses[0], 401);
    assert_eq!(statuses[60], 429, "the stranger meets the brake: {statuses:?}");
    // Even the right secret from the stranger's address waits, as its failures are its own…
    let (status, _) = token_request(&app, Some(loopback(2)), &client_id, &secret).await;
    assert_eq!(status, 429);
    // …but the integration, from its own address, is never refused because of them.
    let (status, body) = token_request(&app, None, &client_id, &secret).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = token_request(&app, Some(loopback(3)), &client_id, &secret).await;
    assert_eq!(status, 200, "{body}");
}

async fn wrong_passwords_from_strangers_never_lock_the_owner_out(backend: Backend) {
    let app = TestApp::spawn_configured(backend, Environment::Development, true).await;
    app.register("pemilik@mail.id").await;
    let guess = json!({ "e": "pemilik@mail.id", "p": "tebakan yang salah" });
    // Ten addresses × ten wrong passwords: the account's ceiling of 100 failures an hour is spent.
    for host in 10..20u8 {
        for _ in 0..10 {
            app.gql_from(loopback(host), None, LOGIN, guess.clone())
                .await
                .expect_code("UNAUTHENTICATED");
        }
        app.gql_from(loopback(host), None, LOGIN, guess.clone())
            .await
            .expect_code("RATE_LIMITED");
    }
    // The owner, from an address that never failed, signs in.
    let right = json!({ "e": "pemilik@mail.id", "p": PASSWORD });
    app.gql_from(loopback(50), None, LOGIN, right.clone())
        .await
        .ok();
    app.login("pemilik@mail.id", PASSWORD).await.ok();
    // The brake stays on the attackers: a new address gets one guess, then the account's spent
    // ceiling refuses it, as it refuses every address that failed.
    app.gql_from(loopback(60), None, LOGIN, guess.clone())
        .await
        .expect_code("UNAUTHENTICATED");
    let refused = app.gql_from(loopback(60), None, LOGIN, guess.clone()).await;
    refused.expect_code("RATE_LIMITED");
    // Even with the right password: that address proved itself a guesser.
    app.gql_from(loopback(60), None, LOGIN, right)
        .await
        .expect_code("RATE_LIMITED");
}

async fn erasing_an_account_takes_the_sign_in_limits(backend: Backend) {
    let app = TestApp::spawn_configured(backend, Environment::Development, true).await;
    let token = app.register("dicuri@mail.id").await;
    let delete = "mutation($p: String!) { deleteMyAccount(password: $p) { erased } }";
    // Someone holding a stolen token guesses the password through deleteMyAccount.
    for _ in 0..10 {
        let reply = app
            .gql_from(loopback(2), Some(&token), delete, json!({ "p": "tebakan" }))
            .await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), "password");
    }
    app.gql_from(loopback(2), Some(&token), delete, json!({ "p": "tebakan" }))
        .await
        .expect_code("RATE_LIMITED");
    // The same budget as sign-in: that address cannot sign in either now.
    app.gql_from(
        loopback(2),
        None,
        LOGIN,
        json!({ "e": "dicuri@mail.id", "p": PASSWORD }),
    )
    .await
    .expect_code("RATE_LIMITED");
    // The owner, from its own address, still can.
    app.login("dicuri@mail.id", PASSWORD).await.ok();
}

async fn changing_the_sign_in_email_needs_the_current_password(backend: Backend) {
    let app = TestApp::spawn_configured(backend, Environment::Development, true).await;
    let token = app.register("lama@mail.id").await;
    let update = "mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { email } }";
    let missing = app
        .gql_with_headers(
            Some(&token),
            &[("Accept-Language", "en")],
            update,
            json!({ "i": { "email": "baru@mail.id" } }),
        )
        .await;
    missing.expect_code("BAD_USER_INPUT");
    assert_eq!(missing.field(), "input.currentPassword");
    assert!(missing.message().contains("current password"), "{}", missing.message());
    let wrong = app
        .gql(
            Some(&token),
            update,
            json!({ "i": { "email": "baru@mail.id", "currentPassword": "bukan ini" } }),
        )
        .await;
    wrong.expect_code("BAD_USER_INPUT");
    assert_eq!(wrong.field(), "input.currentPassword");
    assert_eq!(wrong.message(), "Kata sandi salah.");
    // A name alone needs no password.
    app.gql(
        Some(&token),
        "mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { displayName } }",
        json!({ "i": { "displayName": "Warga Baru" } }),
    )
    .await
    .ok();
    let changed = app
        .gql(
            Some(&token),
            update,
            json!({ "i": { "email": "baru@mail.id", "currentPassword": PASSWORD } }),
        )
        .await;
    assert_eq!(changed.ok()["updateMyProfile"]["email"], "baru@mail.id");
    app.login("lama@mail.id", PASSWORD)
        .await
        .expect_code("UNAUTHENTICATED");
    app.login("baru@mail.id", PASSWORD).await.ok();
}

async fn a_deactivated_platform_s_people_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let rep = app
        .staff("trust@tiktok.com", Role::Platform, Some("tiktok"))
        .await;
    let list = "{ takedownRequests { pageCount } }";
    app.gql(Some(&rep), list, json!({})).await.ok();
    app.gql(
        Some(&admin),
        "mutation($i: PlatformInput!) { upsertPlatform(input: $i) { active } }",
        json!({ "i": { "slug": "tiktok", "name": "TikTok", "hosts": ["tiktok.com"], "active": false } }),
    )
    .await
    .ok();
    app.gql(Some(&rep), list, json!({}))
        .await
        .expect_code("UNAUTHENTICATED");
    // Active again: the same token works again (nothing about the person changed).
    app.gql(
        Some(&admin),
        "mutation($i: PlatformInput!) { upsertPlatform(input: $i) { active } }",
        json!({ "i": { "slug": "tiktok", "name": "TikTok", "hosts": ["tiktok.com"], "active": true } }),
    )
    .await
    .ok();
    app.gql(Some(&rep), list, json!({})).await.ok();
}

async fn ipv6_addresses_of_one_network_share_a_limit(backend: Backend) {
    let app = TestApp::spawn_tuned(backend, |settings| {
        settings.rate_limits = true;
        settings.trust_proxy = true;
    })
    .await;
    let register = "mutation($input: RegisterInput!) { register(input: $input) { token } }";
    let from = |address: &str, n: u32| {
        let email = format!("warga{n}@mail.id");
        let address = address.to_owned();
        let app = &app;
        async move {
            app.gql_with_headers(
                None,
                &[("X-Forwarded-For", address.as_str())],
                register,
                json!({ "input": { "email": email, "password": PASSWORD, "displayName": "Warga" } }),
            )
            .await
        }
    };
    // Twenty registrations an hour per client: one subscriber's /64 is one client, whichever of
    // its addresses it uses.
    for n in 1..=20u32 {
        from(&format!("2001:db8:1:2::{n:x}"), n).await.ok();
    }
    from("2001:db8:1:2:ffff:ffff:ffff:ffff", 21)
        .await
        .expect_code("RATE_LIMITED");
    // Another network is another client.
    from("2001:db8:1:3::1", 22).await.ok();
}

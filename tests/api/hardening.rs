//! Attacks found by an outside attack run, each a test that failed before its fix: an
//! idempotency key must never hand one person another's complaint, and what a platform sees
//! carries nothing that identifies a reporter.

use std::net::{IpAddr, Ipv4Addr};

use serde_json::json;

use crate::fixtures::{self, case_id_of, claim_and_forward};
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::intake::{DESCRIPTION, SUBMIT, complaint, submit};
use laporlapak::config::Environment;

crate::on_both_backends!(
    a_guessable_anonymous_idempotency_key_is_refused,
    one_anonymous_key_never_hands_over_another_persons_complaint,
    platforms_get_evidence_links_without_share_parameters,
    anonymous_means_anonymous_to_reviewers_too,
    invisible_characters_neither_pad_text_nor_split_targets,
    platform_slugs_cannot_start_with_a_hyphen,
    every_response_carries_security_headers,
    the_bearer_scheme_is_case_insensitive,
    only_json_is_executed,
    cors_answers_only_the_configured_origins,
    proxy_addresses_take_the_right_most_untrusted_hop,
    limits_refill_smoothly_without_a_double_budget_at_a_boundary,
    a_stranger_cannot_lock_an_account_out,
    complexity_counts_pages_and_database_reads,
);

/// A raw request to the test server: `method path`, these headers, this body.
async fn raw(
    app: &TestApp,
    method: awc::http::Method,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, awc::http::header::HeaderMap, String) {
    let client = awc::Client::default();
    let mut request = client.request(method, format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.insert_header((*name, *value));
    }
    let mut response = request.send_body(body.to_owned()).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.body().await.unwrap();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

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

async fn platforms_get_evidence_links_without_share_parameters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let tiktok = fixtures::representative(&app, "tiktok").await;
    let mut input = complaint("https://www.tiktok.com/@tokobekas/video/7301");
    input["evidenceUrls"] = json!([
        "https://www.tiktok.com/@tokobekas/video/7302?u_code=D8K2JF93&share_item_id=9&utm_source=copy",
        "https://www.instagram.com/p/Bukti1/?igsh=MWQ1ZGUxMzBkMA==",
        "https://bukti.example.id/tangkapan.png?utm_source=whatsapp&utm_medium=share",
    ]);
    let outcome = submit(&app, None, input).await;
    let complaint_id = outcome["complaint"]["id"].as_str().unwrap();
    let (case_id, _) = claim_and_forward(&app, &reviewer, complaint_id, "NORMAL").await;
    let reply = app
        .gql(
            Some(&tiktok),
            "query($id: ID!) { case(id: $id) { complaints { edges { node { evidenceUrls listingUrl } } } } }",
            json!({ "id": case_id }),
        )
        .await;
    let seen = reply.ok()["case"]["complaints"]["edges"][0]["node"].to_string();
    for share in ["u_code", "D8K2JF93", "share_item_id", "igsh", "utm_"] {
        assert!(
            !seen.contains(share),
            "{share} reached the platform: {seen}"
        );
    }
    assert!(seen.contains("bukti.example.id/tangkapan.png"), "{seen}");
    // The reporter still sees the links as given.
    let own = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { complaints { edges { node { evidenceUrls } } } } }",
            json!({ "id": case_id }),
        )
        .await;
    assert!(own.ok().to_string().contains("u_code=D8K2JF93"));
}

async fn anonymous_means_anonymous_to_reviewers_too(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let seller = app
        .gql(
            None,
            "mutation($i: RegisterInput!) { register(input: $i) { token } }",
            json!({ "i": { "email": "penjual@umkm.id", "password": crate::helpers::PASSWORD,
                           "displayName": "Toko Batik", "umkm": { "nib": "1234567890123", "businessName": "Batik Sari" } } }),
        )
        .await;
    let token = seller.ok()["register"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut input = complaint("https://www.instagram.com/p/Hidden1/");
    input["anonymous"] = json!(true);
    let outcome = submit(&app, Some(&token), input).await;
    let case_id = case_id_of(&app, outcome["complaint"]["id"].as_str().unwrap()).await;
    let reply = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { reportCount umkmReportCount
                 complaints { edges { node { reporter { id } anonymous } } }
                 events { action actorRole actor { id } } } }",
            json!({ "id": case_id }),
        )
        .await;
    let case = &reply.ok()["case"];
    assert_eq!(case["reportCount"], 1);
    assert_eq!(
        case["umkmReportCount"], 0,
        "an anonymous seller is not counted as a seller"
    );
    let node = &case["complaints"]["edges"][0]["node"];
    assert!(node["reporter"].is_null());
    for event in case["events"].as_array().unwrap() {
        assert!(event["actorRole"].is_null(), "{event}");
        assert!(event["actor"].is_null(), "{event}");
    }
    let text = reply.body.to_string();
    for secret in [
        "penjual@umkm.id",
        "Toko Batik",
        "Batik Sari",
        "1234567890123",
    ] {
        assert!(!text.contains(secret), "{secret} reached a reviewer");
    }
}

async fn invisible_characters_neither_pad_text_nor_split_targets(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut padded = complaint("https://www.instagram.com/p/Pad1/");
    padded["description"] = json!(format!("Bal impor{}", "\u{200B}".repeat(30)));
    let reply = app.gql(None, SUBMIT, json!({ "input": padded })).await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "input.description");

    let plain = submit(&app, None, complaint("https://www.instagram.com/p/Split1/")).await;
    assert_eq!(plain["joinedExistingCase"], false);
    for sneaky in [
        "https://www.instagram.com/p/Split1%E2%80%8B/",
        "https://www.instagram.com/p/Split1/%E2%80%8D",
        "https://www.instagram.com/p/Split1\u{2060}/",
    ] {
        let reply = app
            .gql(None, SUBMIT, json!({ "input": { "category": "USED_CLOTHING_IMPORT", "listingUrl": sneaky, "description": DESCRIPTION } }))
            .await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), "input.listingUrl", "{sneaky}");
    }
}

async fn platform_slugs_cannot_start_with_a_hyphen(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    for slug in ["-evil", "evil-", "=cmd"] {
        let reply = app
            .gql(
                Some(&admin),
                "mutation($i: PlatformInput!) { upsertPlatform(input: $i) { slug } }",
                json!({ "i": { "slug": slug, "name": "Evil", "hosts": ["evil.example"] } }),
            )
            .await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), "input.slug");
    }
}

async fn every_response_carries_security_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut replies = vec![(
        "/graphql",
        app.gql(None, "{ categories { code } }", json!({})).await,
    )];
    for path in [
        "/transparency",
        "/transparency.csv",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        replies.push((path, app.get_reply(path).await));
    }
    for (path, reply) in &replies {
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(reply.header("referrer-policy"), "no-referrer", "{path}");
        let policy = reply.header("content-security-policy");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(policy.contains("default-src 'none'"), "{path}: {policy}");
        assert!(
            !policy.contains("script-src"),
            "{path}: no script may run: {policy}"
        );
    }
    if let Some(file) = app.sqlite_file() {
        use std::os::unix::fs::PermissionsExt as _;
        for suffix in ["", "-wal", "-shm"] {
            let path = format!("{}{suffix}", file.display());
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{path} is readable by others: {mode:o}");
        }
    }
}

async fn the_bearer_scheme_is_case_insensitive(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("skema@mail.id").await;
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let reply = app
            .post_raw(
                &[("Authorization", &format!("{scheme} {token}"))],
                json!({ "query": "{ me { email } }" }).to_string(),
            )
            .await;
        assert_eq!(reply.ok()["me"]["email"], "skema@mail.id", "{scheme}");
    }
    let reply = app
        .post_raw(
            &[("Authorization", &format!("Basic {token}"))],
            json!({ "query": "{ me { email } }" }).to_string(),
        )
        .await;
    assert_eq!(reply.status, 401);
}

async fn only_json_is_executed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let register = json!({
        "query": "mutation { register(input: { email: \"csrf@mail.id\", password: \"kopi susu gula aren\", displayName: \"Korban\" }) { token } }"
    })
    .to_string();
    // What a cross-site form or `fetch` without a preflight can send.
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let headers: Vec<(&str, &str)> = content_type
            .map(|t| ("Content-Type", t))
            .into_iter()
            .collect();
        let (status, _, body) = raw(
            &app,
            awc::http::Method::POST,
            "/graphql",
            &headers,
            &register,
        )
        .await;
        assert_eq!(status, 415, "{content_type:?}: {body}");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        // Multipart is refused for its missing preflight header; anything else for its type.
        let at_fault = match content_type {
            Some(t) if t.starts_with("multipart/") => "GraphQL-Preflight",
            _ => "Content-Type",
        };
        assert_eq!(body["errors"][0]["extensions"]["field"], at_fault);
    }
    app.login("csrf@mail.id", "kopi susu gula aren")
        .await
        .expect_code("UNAUTHENTICATED");
    let (status, _, _) = raw(
        &app,
        awc::http::Method::POST,
        "/graphql",
        &[("Content-Type", "application/json; charset=utf-8")],
        &register,
    )
    .await;
    assert_eq!(status, 200);
}

async fn cors_answers_only_the_configured_origins(backend: Backend) {
    const APP: &str = "https://lapor.kemenkopukm.example.go.id";
    let preflight = |origin: &'static str| {
        [
            ("Origin", origin),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization,content-type",
            ),
        ]
    };
    let closed = TestApp::spawn(backend).await;
    let (_, headers, _) = raw(
        &closed,
        awc::http::Method::OPTIONS,
        "/graphql",
        &preflight(APP),
        "",
    )
    .await;
    assert!(
        headers.get("access-control-allow-origin").is_none(),
        "no origin by default"
    );

    let open = TestApp::spawn_tuned(backend, |settings| {
        settings.cors_origins = vec![APP.to_owned()];
    })
    .await;
    let (status, headers, _) = raw(
        &open,
        awc::http::Method::OPTIONS,
        "/graphql",
        &preflight(APP),
        "",
    )
    .await;
    assert!(status < 300, "{status}");
    assert_eq!(headers.get("access-control-allow-origin").unwrap(), APP);
    let allowed = headers
        .get("access-control-allow-headers")
        .unwrap()
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("content-type"),
        "{allowed}"
    );
    let (_, headers, _) = raw(
        &open,
        awc::http::Method::OPTIONS,
        "/graphql",
        &preflight("https://penipu.example"),
        "",
    )
    .await;
    assert!(headers.get("access-control-allow-origin").is_none());
    let (status, headers, _) = raw(
        &open,
        awc::http::Method::POST,
        "/graphql",
        &[("Origin", APP), ("Content-Type", "application/json")],
        &json!({ "query": "{ categories { code } }" }).to_string(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(headers.get("access-control-allow-origin").unwrap(), APP);
}

async fn proxy_addresses_take_the_right_most_untrusted_hop(backend: Backend) {
    let app = TestApp::spawn_tuned(backend, |settings| {
        settings.trust_proxy = true;
        settings.rate_limits = true;
    })
    .await;
    let lookup = json!({ "query": "{ complaintByTrackingCode(code: \"ABCD-EFGH\") { status } }" })
        .to_string();
    // The client writes any first hops it likes; the proxy (loopback, trusted) appends the real one.
    for attempt in 0..120 {
        let forged = format!("10.{}.{}.1, 203.0.113.9", attempt / 250, attempt % 250);
        let reply = app
            .post_raw(&[("X-Forwarded-For", &forged)], lookup.clone())
            .await;
        reply.ok();
    }
    let reply = app
        .post_raw(
            &[("X-Forwarded-For", "198.18.0.1, 203.0.113.9")],
            lookup.clone(),
        )
        .await;
    reply.expect_code("RATE_LIMITED");
    // Another client behind the same proxy has its own budget.
    app.post_raw(&[("X-Forwarded-For", "198.51.100.7")], lookup)
        .await
        .ok();
}

async fn limits_refill_smoothly_without_a_double_budget_at_a_boundary(backend: Backend) {
    let app = TestApp::spawn_configured(backend, Environment::Development, true).await;
    let lookup = "{ complaintByTrackingCode(code: \"ABCD-EFGH\") { status } }";
    let look = || app.gql(None, lookup, json!({}));
    for _ in 0..120 {
        look().await.ok();
    }
    let limited = look().await;
    limited.expect_code("RATE_LIMITED");
    assert_eq!(limited.body["errors"][0]["extensions"]["retryAfter"], 1);
    // 120 a minute refill one every half second: a second later, two more — not a fresh 120, as a
    // fixed window would give at its boundary.
    app.advance_clock(chrono::TimeDelta::seconds(1));
    look().await.ok();
    look().await.ok();
    look().await.expect_code("RATE_LIMITED");
    // A full window later the whole budget is back.
    app.advance_clock(chrono::TimeDelta::seconds(60));
    for _ in 0..120 {
        look().await.ok();
    }
    look().await.expect_code("RATE_LIMITED");
}

async fn a_stranger_cannot_lock_an_account_out(backend: Backend) {
    let app = TestApp::spawn_configured(backend, Environment::Development, true).await;
    app.register("peninjau@mail.id").await;
    let login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    let guess = json!({ "e": "peninjau@mail.id", "p": "tebakan yang salah" });
    for _ in 0..10 {
        app.gql_from(SECOND_CLIENT, None, login, guess.clone())
            .await
            .expect_code("UNAUTHENTICATED");
    }
    app.gql_from(SECOND_CLIENT, None, login, guess.clone())
        .await
        .expect_code("RATE_LIMITED");
    // The owner, from its own address, still signs in.
    app.login("peninjau@mail.id", PASSWORD).await.ok();
    // Guessing spread over many addresses meets a slower ceiling per account: 100 failures an
    // hour, of which the ten guesses above used ten (the owner's right password counts none).
    for host in 3..93u8 {
        let from = IpAddr::V4(Ipv4Addr::new(127, 0, 0, host));
        let reply = app.gql_from(from, None, login, guess.clone()).await;
        reply.expect_code("UNAUTHENTICATED");
    }
    // Spent, it refuses the addresses that failed (a new one still gets its first attempt, so
    // the owner is never locked out: see `hardening_net`).
    app.gql_from(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 92)), None, login, guess)
        .await
        .expect_code("RATE_LIMITED");
}

async fn complexity_counts_pages_and_database_reads(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    // Three hundred reports over different periods in one request.
    let aliases: Vec<String> = (0..300)
        .map(|day| {
            format!(
                "r{day}: transparencyReport(from: \"2026-01-01T00:00:00Z\", to: \"2026-{:02}-{:02}T00:00:00Z\") {{ platforms {{ requestsIssued }} }}",
                2 + day / 28,
                1 + day % 28
            )
        })
        .collect();
    let reply = app
        .gql(None, &format!("{{ {} }}", aliases.join(" ")), json!({}))
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert!(reply.message().contains("kompleks"), "{}", reply.message());
    assert!(reply.data().is_null(), "nothing was computed");
    // A page of pages: 100 cases × 100 complaints each.
    let nested = "{ reviewQueue(first: 100) { edges { node { id complaints(first: 100) { edges { node { id description listingUrl } } } } } } }";
    app.gql(Some(&reviewer), nested, json!({}))
        .await
        .expect_code("BAD_USER_INPUT");
    // A reviewer's full page of 100 cases, with every field the queue shows, is fine.
    let page = "{ reviewQueue(first: 100) { edges { cursor node { id status reportCount
        umkmReportCount priority flags target targetKind escalatedTo mergedInto createdAt updatedAt
        platform { slug name } category { code label } assignee { email displayName } } }
        pageInfo { hasNextPage endCursor } } }";
    app.gql(Some(&reviewer), page, json!({})).await.ok();
    // And one report.
    app.gql(
        None,
        "{ transparencyReport { platforms { requestsIssued } } }",
        json!({}),
    )
    .await
    .ok();
}

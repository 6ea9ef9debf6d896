//! Hardening of the network surface, found by an outside attack run, each a test that failed
//! before its fix: strangers cannot lock owners out, every password check is rate-limited, a
//! deactivated platform's people are refused, IPv6 clients are counted by network.

use std::net::{IpAddr, Ipv4Addr};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::fixtures;
use crate::helpers::{Backend, PASSWORD, ScratchDatabase, TestApp};
use laporlapak::config::Environment;

crate::on_both_backends!(
    wrong_client_secrets_from_a_stranger_never_lock_the_integration_out,
    wrong_passwords_from_strangers_never_lock_the_owner_out,
    erasing_an_account_takes_the_sign_in_limits,
    changing_the_sign_in_email_needs_the_current_password,
    a_deactivated_platform_s_people_are_refused,
    ipv6_addresses_of_one_network_share_a_limit,
    the_metrics_bearer_scheme_is_case_insensitive,
    every_bad_setting_refuses_to_start_and_names_itself,
    slow_bodies_are_cut_and_other_clients_are_still_served,
    webhooks_reach_only_the_https_ports_unless_allow_listed,
);

fn loopback(host: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, host))
}

const LOGIN: &str =
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

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
    assert_eq!(
        statuses[60], 429,
        "the stranger meets the brake: {statuses:?}"
    );
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
    assert!(
        missing.message().contains("current password"),
        "{}",
        missing.message()
    );
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
    let rep = fixtures::representative(&app, "tiktok").await;
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

async fn the_metrics_bearer_scheme_is_case_insensitive(backend: Backend) {
    let app = TestApp::spawn_tuned(backend, |settings| {
        settings.metrics_token = Some(laporlapak::config::Secret("rahasia-metrik".to_owned()));
    })
    .await;
    let client = awc::Client::default();
    for (authorization, expected) in [
        ("Bearer rahasia-metrik", 200),
        ("bearer rahasia-metrik", 200),
        ("BEARER rahasia-metrik", 200),
        ("bearer salah", 401),
        ("Basic rahasia-metrik", 401),
    ] {
        let response = client
            .get(format!("{}/metrics", app.address))
            .insert_header(("Authorization", authorization))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), expected, "{authorization}");
    }
}

/// Runs `laporlapak serve` on `backend`'s scratch database with `env`; it must exit, failing,
/// within 20 s with `expected` in its error output.
fn refuses_to_start(backend: Backend, env: &[(&str, &str)], expected: &str) {
    let database = ScratchDatabase::new(backend);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_laporlapak"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &database.url)
        .env("LAPORLAPAK_DATA_DIR", database.dir.path())
        .env("LAPORLAPAK_BIND", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.arg("serve").spawn().unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{env:?}: the server started (or hung) instead of refusing");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{env:?} succeeded");
    assert!(
        stderr.contains(expected),
        "{env:?}: expected {expected:?} in {stderr}"
    );
}

async fn every_bad_setting_refuses_to_start_and_names_itself(backend: Backend) {
    refuses_to_start(
        backend,
        &[("LAPORLAPAK_METRICS_TOKEN", "")],
        "LAPORLAPAK_METRICS_TOKEN",
    );
    refuses_to_start(
        backend,
        &[("LAPORLAPAK_METRICS_TOKEN", "   ")],
        "LAPORLAPAK_METRICS_TOKEN",
    );
    refuses_to_start(
        backend,
        &[("LAPORLAPAK_WEBHOOK_ALLOW_HOSTS", "http://bad host")],
        "LAPORLAPAK_WEBHOOK_ALLOW_HOSTS",
    );
    refuses_to_start(
        backend,
        &[(
            "LAPORLAPAK_WEBHOOK_ALLOW_HOSTS",
            "ok.internal,10.0.0.5:8080",
        )],
        "LAPORLAPAK_WEBHOOK_ALLOW_HOSTS",
    );
    refuses_to_start(backend, &[("RUST_LOG", "laporlapak=cerewet")], "RUST_LOG");
    refuses_to_start(
        backend,
        &[("LAPORLAPAK_BIND", "nowhere")],
        "LAPORLAPAK_BIND",
    );
    refuses_to_start(
        backend,
        &[("LAPORLAPAK_BIND", "127.0.0.1:99999")],
        "LAPORLAPAK_BIND",
    );
    // An address this machine does not have: the listener fails, naming the setting.
    refuses_to_start(
        backend,
        &[("LAPORLAPAK_BIND", "192.0.2.1:8080")],
        "LAPORLAPAK_BIND",
    );
    let file = tempfile::NamedTempFile::new().unwrap();
    let not_a_dir = file.path().to_str().unwrap();
    refuses_to_start(
        backend,
        &[("LAPORLAPAK_DATA_DIR", not_a_dir)],
        "LAPORLAPAK_DATA_DIR",
    );
}

/// What became of a connection that trickles its body: the status the server answered with
/// (408, 429, …), 0 when it closed without answering, or `None` when it was still open at the end.
async fn trickle(
    local: IpAddr,
    port: u16,
    head: String,
    give_up: std::time::Duration,
) -> Option<u16> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let socket = tokio::net::TcpSocket::new_v4().ok()?;
    socket.bind(std::net::SocketAddr::new(local, 0)).ok()?;
    let stream = socket
        .connect(std::net::SocketAddr::new(loopback(1), port))
        .await
        .ok()?;
    let (mut reader, mut writer) = stream.into_split();
    let _ = writer.write_all(head.as_bytes()).await;
    let deadline = tokio::time::Instant::now() + give_up;
    let mut answer = Vec::new();
    let mut buffer = [0u8; 256];
    loop {
        tokio::select! {
            read = reader.read(&mut buffer) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            },
            () = tokio::time::sleep(std::time::Duration::from_millis(500)) => {
                // One byte every half second, as long as the server takes it.
                let _ = writer.write_all(b" ").await;
            }
            () = tokio::time::sleep_until(deadline) => return None,
        }
    }
    let text = String::from_utf8_lossy(&answer);
    Some(
        text.strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .unwrap_or(0),
    )
}

async fn slow_bodies_are_cut_and_other_clients_are_still_served(backend: Backend) {
    let app = TestApp::spawn_tuned(backend, |settings| {
        settings.connections.body_timeout = std::time::Duration::from_secs(2);
        settings.connections.max_connections = Some(400);
        settings.connections.max_connections_per_address = 100;
    })
    .await;
    let port: u16 = app.address.rsplit(':').next().unwrap().parse().unwrap();
    let json_head =
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
                     Content-Length: 100000\r\n\r\n{\"query\": \""
            .to_owned();
    let boundary = "batas";
    let upload_head = format!(
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nGraphQL-Preflight: 1\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 1000000\r\n\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{{"
    );
    let give_up = std::time::Duration::from_secs(20);
    // A thousand trickling JSON bodies from one address, and forty trickling uploads from another.
    let mut trickles = Vec::new();
    for _ in 0..1000 {
        trickles.push(actix_web::rt::spawn(trickle(
            loopback(3),
            port,
            json_head.clone(),
            give_up,
        )));
    }
    for _ in 0..40 {
        trickles.push(actix_web::rt::spawn(trickle(
            loopback(4),
            port,
            upload_head.clone(),
            give_up,
        )));
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    // Another client is served meanwhile, and quickly.
    let started = std::time::Instant::now();
    let reply = app
        .gql_from(loopback(2), None, "{ __typename }", json!({}))
        .await;
    assert_eq!(reply.ok()["__typename"], "QueryRoot");
    let served = started.elapsed();
    assert!(
        served < std::time::Duration::from_secs(5),
        "served after {served:?}"
    );
    let mut outcomes: std::collections::BTreeMap<String, usize> = Default::default();
    for trickle in trickles {
        let outcome = match trickle.await.unwrap() {
            Some(status) => status.to_string(),
            None => "still open".to_owned(),
        };
        *outcomes.entry(outcome).or_default() += 1;
    }
    eprintln!("trickling connections: {outcomes:?}; the other client was served in {served:?}");
    // Every trickling connection was answered and closed: those within the per-address cap with
    // 408 once their body missed its deadline, those beyond it with 429 at once.
    assert_eq!(outcomes.get("still open"), None, "{outcomes:?}");
    assert!(
        outcomes.get("408").is_some_and(|n| *n >= 100),
        "{outcomes:?}"
    );
    assert!(
        outcomes.get("429").is_some_and(|n| *n >= 500),
        "{outcomes:?}"
    );
    // And the server still serves.
    app.gql(None, "{ __typename }", json!({})).await.ok();
}

async fn webhooks_reach_only_the_https_ports_unless_allow_listed(backend: Backend) {
    let app = TestApp::spawn_tuned(backend, |settings| {
        settings.webhook_allow_hosts = vec!["127.0.0.1".to_owned()];
    })
    .await;
    let rep = fixtures::representative(&app, "tiktok").await;
    let create = "mutation($u: String!) { createWebhookEndpoint(url: $u) { endpoint { url } } }";
    for refused in [
        "https://hooks.tiktok.example:8080/laporlapak",
        "https://hooks.tiktok.example:22/laporlapak",
        "https://hooks.tiktok.example:6379/laporlapak",
    ] {
        let reply = app
            .gql_with_headers(
                Some(&rep),
                &[("Accept-Language", "en")],
                create,
                json!({ "u": refused }),
            )
            .await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), "url", "{refused}");
        assert!(reply.message().contains("443"), "{}", reply.message());
    }
    for accepted in [
        "https://hooks.tiktok.example/laporlapak",
        "https://hooks.tiktok.example:443/a",
        "https://hooks.tiktok.example:8443/laporlapak",
        // An allow-listed host may use any port.
        "http://127.0.0.1:9000/hook",
    ] {
        app.gql(Some(&rep), create, json!({ "u": accepted }))
            .await
            .ok();
    }
}

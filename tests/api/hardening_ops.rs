//! Issue 28, operations: one platform's slow webhook receivers cannot delay another platform's
//! (item 7); a webhook signing secret rotates with an overlap in which both sign (item 13); a
//! write that finds no space answers 503 UNAVAILABLE and `/readyz` says so until there is room
//! again (item 15).

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac as _};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{Backend, TestApp};
use crate::integration::{
    Received, Receiver, client_token, desk, endpoint, eventually, forwarded, new_client, run_sql,
    spawn,
};
use laporlapak::domain::Role;

crate::on_both_backends!(
    a_platform_s_slow_receivers_do_not_delay_another_platform,
    a_rotated_secret_signs_beside_the_new_one_until_the_overlap_ends,
    only_the_platform_s_own_and_admins_rotate_its_webhook_secret,
    a_write_that_finds_no_space_answers_503_and_readyz_says_so,
);

const ROTATE: &str =
    "mutation($id: ID!, $h: Int) { rotateWebhookSecret(id: $id, overlapHours: $h) {
    secret endpoint { id previousSecretExpiresAt } } }";
const ROTATE_DEFAULT: &str = "mutation($id: ID!) { rotateWebhookSecret(id: $id) {
    secret endpoint { id previousSecretExpiresAt } } }";

/// A number from the database.
async fn number(app: &TestApp, sql: String) -> i64 {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Number {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    app.services
        .db
        .run(move |conn| {
            diesel::sql_query(sql)
                .get_result::<Number>(conn)
                .map(|row| row.n)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap()
}

// --- item 7: fair delivery -------------------------------------------------------------------------

async fn a_platform_s_slow_receivers_do_not_delay_another_platform(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let tiktok = app
        .staff("trust@tiktok.com", Role::Platform, Some("tiktok"))
        .await;
    let shopee = app
        .staff("trust@shopee.co.id", Role::Platform, Some("shopee"))
        .await;
    // Five receivers of one platform, answering 500 at once for now.
    let slow: Vec<Receiver> = (0..5).map(|_| Receiver::default()).collect();
    for receiver in &slow {
        receiver.set(1_000_000, false);
        endpoint(&app, &tiktok, &receiver.start(), None).await;
    }
    let healthy = Receiver::default();
    endpoint(&app, &shopee, &healthy.start(), None).await;
    // Eleven events: 55 deliveries, each attempted once and due again in about 5 s.
    for n in 0..11 {
        forwarded(
            &app,
            &desk,
            &format!("https://www.tiktok.com/@lambat/video/{n}"),
        )
        .await;
    }
    eventually("every first attempt", || async {
        slow.iter().map(|r| r.received().len()).sum::<usize>() == 55
    })
    .await;
    eventually("every first attempt is recorded", || async {
        number(
            &app,
            "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE attempts = 1 AND lease_until IS NULL"
                .to_owned(),
        )
        .await
            == 55
    })
    .await;
    // Now they hang (the worker gives up on each after 10 s), and all 55 are due at once.
    for receiver in &slow {
        receiver.set(0, true);
    }
    app.advance_clock(chrono::Duration::seconds(10));
    let started = Instant::now();
    forwarded(&app, &desk, "https://shopee.co.id/product/77/1").await;
    eventually("the other platform's event arrives", || async {
        !healthy.received().is_empty()
    })
    .await;
    let waited = started.elapsed();
    // Before: 50 attempts of one process all hung on the slow platform; its event waited ~10 s.
    assert!(
        waited < Duration::from_secs(5),
        "the healthy endpoint waited {waited:?}"
    );
    // No endpoint holds more than two deliveries at once; the slow platform holds ten.
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    let busiest = number(
        &app,
        "SELECT COALESCE(MAX(n), 0) AS n FROM (SELECT COUNT(*) AS n FROM webhook_deliveries \
         WHERE status = 'PENDING' AND lease_until IS NOT NULL GROUP BY endpoint_id) held"
            .to_owned(),
    )
    .await;
    assert_eq!(busiest, 2);
    let held = number(
        &app,
        "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'PENDING' \
         AND lease_until IS NOT NULL"
            .to_owned(),
    )
    .await;
    assert_eq!(held, 10);
}

// --- item 13: secret rotation ----------------------------------------------------------------------

/// The `v1,…` entry a secret gives a received message.
fn entry(secret: &str, message: &Received) -> String {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("a whsec_ secret"))
        .expect("base64 key");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", message.id, message.timestamp, message.body).as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The signatures a message carries, each as the entry of the secret that makes it, in order.
fn signed_by(message: &Received, secrets: &[(&str, &str)]) -> Vec<String> {
    message
        .signature
        .split(' ')
        .map(|given| {
            secrets
                .iter()
                .find(|(_, secret)| entry(secret, message) == given)
                .map_or_else(
                    || format!("unknown {given}"),
                    |(name, _)| (*name).to_owned(),
                )
        })
        .collect()
}

/// The `takedown_request.issued` message of a request.
fn issued(receiver: &Receiver, request_id: &str) -> Option<Received> {
    receiver.received().into_iter().find(|message| {
        let body: Value = serde_json::from_str(&message.body).unwrap_or_default();
        body["type"] == "takedown_request.issued" && body["data"]["takedownRequestId"] == request_id
    })
}

async fn a_rotated_secret_signs_beside_the_new_one_until_the_overlap_ends(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let receiver = Receiver::default();
    let rep = app
        .staff("trust@tiktok.com", Role::Platform, Some("tiktok"))
        .await;
    let (endpoint_id, first) = endpoint(&app, &rep, &receiver.start(), None).await;
    let deliver = |n: u32| {
        let (app, desk, receiver) = (&app, &desk, &receiver);
        async move {
            let (_, request) = forwarded(
                app,
                desk,
                &format!("https://www.tiktok.com/@putar/video/{n}"),
            )
            .await;
            eventually("the event arrives", || async {
                issued(receiver, &request).is_some()
            })
            .await;
            issued(receiver, &request).unwrap()
        }
    };
    let message = deliver(1).await;
    assert_eq!(signed_by(&message, &[("first", &first)]), ["first"]);

    // Rotated with the default overlap: a day in which both secrets sign, the new one first.
    let reply = app
        .gql(Some(&rep), ROTATE_DEFAULT, json!({ "id": endpoint_id }))
        .await;
    let rotated = &reply.ok()["rotateWebhookSecret"];
    let second = rotated["secret"].as_str().unwrap().to_owned();
    assert!(second.starts_with("whsec_") && second != first);
    let until = (app.now() + chrono::Duration::hours(24)).and_utc();
    let expires: chrono::DateTime<chrono::Utc> = rotated["endpoint"]["previousSecretExpiresAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(expires, until);
    let secrets = [("first", first.as_str()), ("second", second.as_str())];
    let message = deliver(2).await;
    assert_eq!(signed_by(&message, &secrets), ["second", "first"]);

    // Rotated again within the overlap: the first secret stops at once, the second signs on for
    // the new overlap (two hours).
    let reply = app
        .gql(Some(&rep), ROTATE, json!({ "id": endpoint_id, "h": 2 }))
        .await;
    let third = reply.ok()["rotateWebhookSecret"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let secrets = [
        ("first", first.as_str()),
        ("second", second.as_str()),
        ("third", third.as_str()),
    ];
    let message = deliver(3).await;
    assert_eq!(signed_by(&message, &secrets), ["third", "second"]);

    // After the overlap only the newest signs — on every delivery, the reminders included.
    app.advance_clock(chrono::Duration::hours(3));
    let before = receiver.received().len();
    let message = deliver(4).await;
    assert_eq!(signed_by(&message, &secrets), ["third"]);
    for later in &receiver.received()[before..] {
        assert_eq!(signed_by(later, &secrets), ["third"], "{}", later.body);
    }
    let listed = app
        .gql(
            Some(&rep),
            "{ webhookEndpoints { previousSecretExpiresAt } }",
            json!({}),
        )
        .await;
    assert!(listed.ok()["webhookEndpoints"][0]["previousSecretExpiresAt"].is_string());

    // No overlap: the old secret stops at once.
    let reply = app
        .gql(Some(&rep), ROTATE, json!({ "id": endpoint_id, "h": 0 }))
        .await;
    let rotated = &reply.ok()["rotateWebhookSecret"];
    assert_eq!(rotated["endpoint"]["previousSecretExpiresAt"], Value::Null);
    let fourth = rotated["secret"].as_str().unwrap().to_owned();
    let secrets = [("third", third.as_str()), ("fourth", fourth.as_str())];
    let message = deliver(5).await;
    assert_eq!(signed_by(&message, &secrets), ["fourth"]);

    // An overlap out of range is refused, and changes nothing.
    for hours in [-1, 169] {
        let reply = app
            .gql(Some(&rep), ROTATE, json!({ "id": endpoint_id, "h": hours }))
            .await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), "overlapHours");
    }
    let message = deliver(6).await;
    assert_eq!(signed_by(&message, &secrets), ["fourth"]);
    // The rotations are in the audit trail.
    let rotations = number(
        &app,
        "SELECT COUNT(*) AS n FROM events WHERE action = 'webhook_endpoint.secret_rotated'"
            .to_owned(),
    )
    .await;
    assert_eq!(rotations, 3);
}

async fn only_the_platform_s_own_and_admins_rotate_its_webhook_secret(backend: Backend) {
    let app = spawn(backend).await;
    let desk = desk(&app).await;
    let citizen = app.register("warga@mail.id").await;
    let tiktok = app
        .staff("trust@tiktok.com", Role::Platform, Some("tiktok"))
        .await;
    let shopee = app
        .staff("trust@shopee.co.id", Role::Platform, Some("shopee"))
        .await;
    let (_, tiktok_client, tiktok_secret) = new_client(&app, &desk.admin, "tiktok").await;
    let tiktok_client = client_token(&app, &tiktok_client, &tiktok_secret).await;
    let (_, shopee_client, shopee_secret) = new_client(&app, &desk.admin, "shopee").await;
    let shopee_client = client_token(&app, &shopee_client, &shopee_secret).await;
    let receiver = Receiver::default();
    let (endpoint_id, _) = endpoint(&app, &tiktok, &receiver.start(), None).await;
    let variables = json!({ "id": endpoint_id, "h": 1 });

    app.gql(None, ROTATE, variables.clone())
        .await
        .expect_code("UNAUTHENTICATED");
    for token in [&citizen, &desk.reviewer] {
        app.gql(Some(token), ROTATE, variables.clone())
            .await
            .expect_code("FORBIDDEN");
    }
    // Another platform learns nothing of the endpoint, as with the other webhook mutations.
    for token in [&shopee, &shopee_client] {
        app.gql(Some(token), ROTATE, variables.clone())
            .await
            .expect_code("NOT_FOUND");
    }
    let rotations = || {
        number(
            &app,
            "SELECT COUNT(*) AS n FROM events WHERE action = 'webhook_endpoint.secret_rotated'"
                .to_owned(),
        )
    };
    assert_eq!(rotations().await, 0, "a refused rotation changed something");
    // The platform's people and clients, and admins, may.
    for token in [&tiktok, &tiktok_client, &desk.admin] {
        let reply = app.gql(Some(token), ROTATE, variables.clone()).await;
        assert!(
            reply.ok()["rotateWebhookSecret"]["secret"]
                .as_str()
                .unwrap()
                .starts_with("whsec_")
        );
    }
    assert_eq!(rotations().await, 3);
    app.gql(Some(&tiktok), ROTATE, json!({ "id": "999", "h": 1 }))
        .await
        .expect_code("NOT_FOUND");
}

// --- item 15: out of space ---------------------------------------------------------------------------

const SUBMIT: &str = "mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) {
    trackingCode } }";

/// A report whose description needs several new pages: 4,000 characters, sealed.
fn big_report(n: u32) -> Value {
    json!({ "input": {
        "category": "USED_CLOTHING_IMPORT",
        "listingUrl": format!("https://www.tiktok.com/@penuh/video/{n}"),
        "description": format!("Pakaian bekas impor per bal nomor {n}. {}", "Bal berisi pakaian bekas. ".repeat(150)),
    } })
}

/// Leaves the database no room for a write that needs new pages. SQLite: the one pooled connection
/// may not grow the file past its present size (`max_page_count`), and a second connection, which
/// the server does not see, uses up every free page. PostgreSQL: triggers refuse new complaints
/// and the readiness probe's row as a full disk does (SQLSTATE 53100, its message and hint).
async fn fill_the_disk(app: &TestApp, backend: Backend) {
    match backend {
        Backend::Sqlite => {
            use diesel::connection::SimpleConnection as _;
            use diesel::{Connection as _, SqliteConnection};
            let file = app.sqlite_file().unwrap();
            let mut other = SqliteConnection::establish(&file.to_string_lossy()).unwrap();
            other
                .batch_execute("PRAGMA busy_timeout = 10000; CREATE TABLE ballast (b BLOB);")
                .unwrap();
            // Ballast of about 256 KiB (one page a row) that the operator will delete, then
            // as much again as there are free pages.
            for n in 0..1000 {
                let free = number(
                    app,
                    "SELECT freelist_count AS n FROM pragma_freelist_count".to_owned(),
                )
                .await;
                if n >= 64 && free == 0 {
                    break;
                }
                other
                    .batch_execute("INSERT INTO ballast VALUES (zeroblob(3000))")
                    .unwrap();
            }
            let pages = number(
                app,
                "SELECT page_count AS n FROM pragma_page_count".to_owned(),
            )
            .await;
            let limit = app
                .services
                .db
                .run(move |conn| {
                    use diesel::prelude::*;
                    #[derive(QueryableByName)]
                    struct Limit {
                        #[diesel(sql_type = diesel::sql_types::BigInt)]
                        max_page_count: i64,
                    }
                    diesel::sql_query(format!("PRAGMA max_page_count = {pages}"))
                        .get_result::<Limit>(conn)
                        .map(|row| row.max_page_count)
                        .map_err(laporlapak::error::ServiceError::from)
                })
                .await
                .unwrap();
            assert_eq!(
                limit, pages,
                "the server's connection may not grow the file"
            );
        }
        Backend::Postgres => {
            run_sql(
                app,
                "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 RAISE EXCEPTION 'could not extend file \"base/16384/2619\": No space left on device' \
                 USING ERRCODE = 'disk_full', HINT = 'Check free disk space.'; END $$; \
                 CREATE TRIGGER disk_full BEFORE INSERT ON complaints \
                 FOR EACH ROW EXECUTE FUNCTION disk_full(); \
                 CREATE TRIGGER disk_full BEFORE INSERT ON write_probes \
                 FOR EACH ROW EXECUTE FUNCTION disk_full()",
            )
            .await;
        }
    }
}

/// Makes room again, as an operator would.
async fn make_room(app: &TestApp, backend: Backend) {
    match backend {
        Backend::Sqlite => {
            use diesel::connection::SimpleConnection as _;
            use diesel::{Connection as _, SqliteConnection};
            let file = app.sqlite_file().unwrap();
            let mut other = SqliteConnection::establish(&file.to_string_lossy()).unwrap();
            other
                .batch_execute("PRAGMA busy_timeout = 10000; DELETE FROM ballast;")
                .unwrap();
        }
        Backend::Postgres => {
            run_sql(
                app,
                "DROP TRIGGER disk_full ON complaints; DROP TRIGGER disk_full ON write_probes; \
                 DROP FUNCTION disk_full()",
            )
            .await;
        }
    }
}

async fn a_write_that_finds_no_space_answers_503_and_readyz_says_so(backend: Backend) {
    // One pooled connection, so that the SQLite limit set on it holds for every write.
    let app = TestApp::spawn_tuned(backend, |settings| settings.db_pool_size = 1).await;
    let reply = app.gql(None, SUBMIT, big_report(1)).await;
    reply.ok();
    assert_eq!(app.get("/readyz").await, (200, "ready".to_owned()));

    fill_the_disk(&app, backend).await;
    let reply = app.gql(None, SUBMIT, big_report(2)).await;
    assert_eq!(reply.status, 503, "{}", reply.body);
    reply.expect_code("UNAVAILABLE");
    assert_eq!(reply.header("retry-after"), "5");
    assert_eq!(reply.body["errors"][0]["extensions"]["retryAfter"], 5);
    // Reads still work; the process says it is not ready, and why.
    app.gql(None, "{ categories { code } }", json!({}))
        .await
        .ok();
    assert_eq!(
        app.get("/readyz").await,
        (503, "database out of space: writes fail".to_owned())
    );
    let (_, metrics) = app.get("/metrics").await;
    assert!(
        metrics.contains("laporlapak_writes_out_of_space{store=\"database\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("laporlapak_writes_out_of_space{store=\"evidence\"} 0"),
        "{metrics}"
    );
    // Still full: still not ready (the readiness check's own write finds no room either).
    assert_eq!(app.get("/readyz").await.0, 503);

    // Room again: the next readiness check finds out by itself, before any request writes.
    make_room(&app, backend).await;
    assert_eq!(app.get("/readyz").await, (200, "ready".to_owned()));
    let (_, metrics) = app.get("/metrics").await;
    assert!(
        metrics.contains("laporlapak_writes_out_of_space{store=\"database\"} 0"),
        "{metrics}"
    );
    let reply = app.gql(None, SUBMIT, big_report(3)).await;
    assert!(
        reply.ok()["submitComplaint"]["trackingCode"].is_string(),
        "{}",
        reply.body
    );
}

//! The verifiable audit log (docs/audit-log.md): events are sealed into a hash chain, each day's
//! head is signed and published, a takedown request's events have inclusion proofs that an
//! independent verifier (`.ci/audit-proof/verify.py`) checks, and `verify-audit` names an event
//! altered or deleted behind the application's back, with the append-only triggers dropped.

use diesel::RunQueryDsl as _;
use serde_json::{Value, json};

use laporlapak::db::DatabaseUrl;
use laporlapak::error::ServiceError;
use laporlapak::service::audit_log;

use crate::fixtures;
use crate::helpers::{Backend, TestApp, repo_path};
use crate::on_both_backends;

on_both_backends!(
    the_log_is_sealed_signed_proved_and_tampering_is_named,
    only_the_platform_staff_and_regulator_get_proofs,
);

const ACK: &str = "mutation($id: ID!) { acknowledgeTakedownRequest(id: $id) { id } }";
const HEADS: &str = "{ auditHeads { day firstPosition treeSize treeRoot previousChainHash chainHash keyId publicKey signature signedMessage } auditSigningKeys { keyId publicKey current } }";
const PROOF: &str = "query($id: ID!) { auditProof(takedownRequestId: $id) { eventId position entry leafHash leafIndex auditPath head { day firstPosition treeSize treeRoot previousChainHash chainHash publicKey signature } } }";

/// Runs SQL on the server's database, as someone with direct access would.
async fn raw_sql(app: &TestApp, sql: &'static str) {
    app.services
        .db
        .run(move |conn| {
            for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
                diesel::sql_query(statement).execute(conn)?;
            }
            Ok::<_, ServiceError>(())
        })
        .await
        .unwrap();
}

fn verify_audit(app: &TestApp) -> (bool, String) {
    let output = app.command().arg("verify-audit").output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// An event about the request, sealed: (event id, position).
fn sealed(proofs: &Value) -> Vec<(i64, i64)> {
    proofs
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| Some((p["eventId"].as_i64()?, p["position"].as_i64()?)))
        .collect()
}

async fn the_log_is_sealed_signed_proved_and_tampering_is_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = fixtures::desk(&app).await;
    let (_, request) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/CHAIN1/",
        "NORMAL",
    )
    .await;
    app.gql(Some(&desk.instagram), ACK, json!({ "id": request }))
        .await
        .ok();

    // Sealed at once by an explicit round (the worker does the same every second).
    audit_log::tick(&app.services, true).await.unwrap();
    let unsigned = app
        .gql(Some(&desk.instagram), PROOF, json!({ "id": request }))
        .await;
    let proofs = unsigned.ok()["auditProof"].clone();
    assert!(!sealed(&proofs).is_empty(), "{proofs}");
    assert!(proofs[0]["head"].is_null(), "the day is not over: {proofs}");

    // The day ends: its head is signed and published to anyone.
    app.advance_clock(chrono::Duration::days(1));
    // (The worker may have signed it first: either way one head.)
    audit_log::tick(&app.services, false).await.unwrap();
    let published = app.gql(None, HEADS, json!({})).await;
    let heads = published.ok()["auditHeads"].as_array().unwrap().clone();
    assert_eq!(heads.len(), 1, "{heads:?}");
    let key = published.ok()["auditSigningKeys"][0]["publicKey"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(heads[0]["publicKey"], key.as_str());
    assert!(
        heads[0]["signedMessage"]
            .as_str()
            .unwrap()
            .starts_with("laporlapak audit head v1\nday=")
    );

    // The platform's proof verifies against the published head, in Python, independently.
    let proofs = app
        .gql(Some(&desk.instagram), PROOF, json!({ "id": request }))
        .await
        .ok()["auditProof"]
        .clone();
    assert!(proofs[0]["head"].is_object(), "{proofs}");
    assert!(
        proofs[0]["entry"]
            .as_str()
            .unwrap()
            .contains("\naction=takedown.acknowledged\n"),
        "{proofs}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("proof.json");
    std::fs::write(&file, proofs.to_string()).unwrap();
    let python = std::process::Command::new("python3")
        .arg(repo_path(".ci/audit-proof/verify.py"))
        .arg(&file)
        .arg(&key)
        .output()
        .unwrap();
    assert!(python.status.success(), "{python:?}");
    // A proof of an altered entry does not.
    let mut forged = proofs.clone();
    forged[0]["entry"] = json!(
        proofs[0]["entry"]
            .as_str()
            .unwrap()
            .replace("takedown.acknowledged", "takedown.answered")
    );
    std::fs::write(&file, forged.to_string()).unwrap();
    let python = std::process::Command::new("python3")
        .arg(repo_path(".ci/audit-proof/verify.py"))
        .arg(&file)
        .arg(&key)
        .output()
        .unwrap();
    assert!(!python.status.success(), "{python:?}");

    let (ok, text) = verify_audit(&app);
    assert!(ok, "{text}");
    assert!(
        text.contains(" 1 signed day head(s)") && text.contains(" 0 problem(s)"),
        "{text}"
    );

    // Someone with the database drops the triggers and rewrites one event's details.
    let (event, position) = sealed(&proofs)[0];
    match app.settings().database_url {
        DatabaseUrl::Sqlite(_) => {
            raw_sql(
                &app,
                "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete",
            )
            .await;
        }
        DatabaseUrl::Postgres(_) => {
            raw_sql(&app, "DROP TRIGGER events_append_only ON events").await;
        }
    }
    let update = format!("UPDATE events SET details = 'nothing happened' WHERE id = {event}");
    let update: &'static str = Box::leak(update.into_boxed_str());
    raw_sql(&app, update).await;
    let (ok, text) = verify_audit(&app);
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!("event {event} (position {position}) was altered")),
        "{text}"
    );

    // And deletes another (the first event of the log: the complaint's submission).
    raw_sql(
        &app,
        "DELETE FROM events WHERE id = (SELECT event_id FROM audit_chain WHERE position = 1)",
    )
    .await;
    let (ok, text) = verify_audit(&app);
    assert!(!ok, "{text}");
    assert!(
        text.contains(" (position 1) is missing: it was deleted"),
        "{text}"
    );
}

async fn only_the_platform_staff_and_regulator_get_proofs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = fixtures::desk(&app).await;
    let (_, request) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/CHAIN2/",
        "NORMAL",
    )
    .await;
    let citizen = app.register("warga@example.com").await;
    let regulator = app
        .staff(
            "regulator@komdigi.go.id",
            laporlapak::domain::Role::Regulator,
            None,
        )
        .await;
    let variables = json!({ "id": request });
    app.gql(None, PROOF, variables.clone())
        .await
        .expect_code("UNAUTHENTICATED");
    app.gql(Some(&citizen), PROOF, variables.clone())
        .await
        .expect_code("FORBIDDEN");
    app.gql(Some(&desk.tiktok), PROOF, variables.clone())
        .await
        .expect_code("NOT_FOUND");
    for token in [&desk.instagram, &desk.reviewer, &regulator] {
        app.gql(Some(token), PROOF, variables.clone()).await.ok();
    }
    // The heads and keys are public.
    app.gql(None, HEADS, json!({})).await.ok();
}

/// The sealer's cost per event at 50 000 events, and `verify-audit`'s (run by hand:
/// `cargo test --test api -- --ignored audit_log::sealer_cost`; prints the timings).
#[actix_web::test]
#[ignore = "a measurement, not a check"]
async fn sealer_cost_at_50k_events() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if backend == Backend::Postgres && std::env::var("TEST_DATABASE_URL").is_err() {
            continue;
        }
        let app = TestApp::spawn(backend).await;
        audit_log::tick(&app.services, true).await.unwrap();
        let position = || async {
            app.services
                .db
                .run(|conn| {
                    Ok::<_, ServiceError>(
                        laporlapak::db::models::audit_chain::ChainHead::read(conn)?.position,
                    )
                })
                .await
                .unwrap()
        };
        let before = position().await;
        let fill = match app.settings().database_url {
            DatabaseUrl::Sqlite(_) => {
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) \
                 INSERT INTO events (at, actor_role, action, subject_type, subject_id, details) \
                 SELECT '2026-12-01 10:00:00', 'SYSTEM', 'case.claimed', 'case', i, 'measure' FROM n"
            }
            DatabaseUrl::Postgres(_) => {
                "INSERT INTO events (at, actor_role, action, subject_type, subject_id, details) \
                 SELECT '2026-12-01 10:00:00', 'SYSTEM', 'case.claimed', 'case', i, 'measure' \
                 FROM generate_series(1, 50000) AS i"
            }
        };
        raw_sql(&app, fill).await;
        let started = std::time::Instant::now();
        // (The server's worker seals too, one sealer at a time: the wall time is what counts.)
        while position().await - before < 50_000 {
            audit_log::tick(&app.services, false).await.unwrap();
        }
        let sealed = position().await - before;
        let seal = started.elapsed();
        app.advance_clock(chrono::Duration::days(1));
        let started = std::time::Instant::now();
        audit_log::tick(&app.services, false).await.unwrap();
        let sign = started.elapsed();
        let started = std::time::Instant::now();
        let (ok, text) = verify_audit(&app);
        let verify = started.elapsed();
        assert!(ok, "{text}");
        println!(
            "{backend:?}: sealed {sealed} events in {seal:?} ({:.1} µs/event), signed the day in {sign:?}, verify-audit {verify:?}",
            seal.as_secs_f64() * 1e6 / sealed.max(1) as f64
        );
    }
}

//! Hardening III (issue 28), what is left of it: erasure that holds (tracking codes revoked, an
//! erasure ledger applied again after a restore of an older backup, 410 for a file that is gone),
//! what a platform sees of a case (no reporter-kind counts, coarse times, opaque ids), what
//! retention and `myData` cover, and an anonymous retry after a data-key rotation.

use base64::Engine as _;
use serde_json::{Value, json};

use crate::fixtures::{self, case_id_of};
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::intake::{SUBMIT, complaint};
use crate::privacy::dump;
use crate::review::{REQUEST_INFO, act};
use laporlapak::db::DatabaseUrl;
use laporlapak::service::privacy;

crate::on_both_backends!(
    erasure_holds_across_a_restore_of_an_older_backup,
    a_missing_evidence_file_answers_gone,
    an_anonymous_retry_after_a_key_rotation_replays,
    a_platform_sees_no_reporter_kinds_coarse_times_and_opaque_ids,
    retention_covers_evidence_originals_names_and_identifiers_and_my_data_lists_them,
);

const EMAIL: &str = "dewi.terhapus@pelapor.id";
const NAME: &str = "Dewi Terhapus Pelapor";
/// The reporter's own number, in a reply: hers, not the seller's.
const OWN_PHONE: &str = "0813 5566 7788";
const OWN_PHONE_FORMS: [&str; 4] = [
    "0813 5566 7788",
    "081355667788",
    "6281355667788",
    "+6281355667788",
];
const PUBLIC: &str =
    "query($c: String!) { complaintByTrackingCode(code: $c) { status messages { body } } }";
const REPLY_BY_CODE: &str = "mutation($c: String!, $m: String!) { replyToInformationRequestByTrackingCode(trackingCode: $c, message: $m) { status } }";
const DELETE: &str = "mutation($p: String!) { deleteMyAccount(password: $p) { erased } }";

/// A tracking-code read that finds nothing: NOT_FOUND, or a null answer.
fn finds_nothing(reply: &crate::helpers::Reply) -> bool {
    reply
        .body
        .get("errors")
        .is_some_and(|_| reply.code() == "NOT_FOUND")
        || reply.body["data"]["complaintByTrackingCode"].is_null()
}

/// Takes a copy of the database as the operator would: `laporlapak backup` (SQLite) or
/// `pg_dump` (PostgreSQL).
fn back_up(app: &TestApp, to: &std::path::Path) {
    let output = match &app.settings().database_url {
        DatabaseUrl::Sqlite(_) => app
            .command()
            .args(["backup", "--to"])
            .arg(to)
            .output()
            .unwrap(),
        DatabaseUrl::Postgres(url) => std::process::Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(to)
            .arg(url)
            .output()
            .unwrap(),
    };
    assert!(output.status.success(), "{output:?}");
}

/// Installs the copy over the (stopped) server's database: `laporlapak restore --force`
/// (SQLite), or `pg_restore --clean` (PostgreSQL). Returns what the restore printed.
fn restore(app: &TestApp, from: &std::path::Path) -> String {
    let output = match &app.settings().database_url {
        DatabaseUrl::Sqlite(_) => app
            .command()
            .args(["restore", "--force", "--from"])
            .arg(from)
            .output()
            .unwrap(),
        DatabaseUrl::Postgres(url) => std::process::Command::new("pg_restore")
            .args([
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
            ])
            .arg(url)
            .arg(from)
            .output()
            .unwrap(),
    };
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{printed}");
    printed
}

/// Submit, reply with one's own phone number, erase, restore a backup taken before the erasure:
/// the person cannot sign in, and nothing of theirs is readable by tracking code, among the
/// seller identifiers or in the raw database.
async fn erasure_holds_across_a_restore_of_an_older_backup(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let dewi = app
        .gql(
            None,
            "mutation($i: RegisterInput!) { register(input: $i) { token } }",
            json!({ "i": { "email": EMAIL, "password": PASSWORD, "displayName": NAME } }),
        )
        .await;
    let dewi = dewi.ok()["register"]["token"].as_str().unwrap().to_owned();
    let filed = crate::evidence::submit_with_files(
        &app,
        Some(&dewi),
        "https://www.instagram.com/p/Terhapus1/",
        &[("bukti.jpg", crate::evidence::gps_jpeg("terhapus"))],
    )
    .await;
    let filed = &filed.ok()["submitComplaint"];
    let code = filed["trackingCode"].as_str().unwrap().to_owned();
    let complaint_id = filed["complaint"]["id"].as_str().unwrap().to_owned();
    let reviewer = fixtures::reviewer(&app).await;
    let case_id = case_id_of(&app, &complaint_id).await;
    fixtures::claim(&app, &reviewer, &case_id).await;
    act(
        &app,
        &reviewer,
        REQUEST_INFO,
        json!({ "id": case_id, "m": "Mohon nomor yang bisa dihubungi." }),
    )
    .await
    .ok();
    let message = format!("Silakan hubungi saya di {OWN_PHONE} kapan saja.");
    app.gql(None, REPLY_BY_CODE, json!({ "c": code, "m": message }))
        .await
        .ok();
    let thread = app.gql(None, PUBLIC, json!({ "c": code })).await;
    assert!(
        thread.ok().to_string().contains(OWN_PHONE),
        "the reply is in the thread before the erasure"
    );

    // The operator's backup, taken before the erasure.
    let scratch = tempfile::tempdir().unwrap();
    let backup = scratch.path().join("before-erasure.backup");
    back_up(&app, &backup);

    let erased = app.gql(Some(&dewi), DELETE, json!({ "p": PASSWORD })).await;
    let erased = erased.ok()["deleteMyAccount"]["erased"].to_string();
    assert!(erased.contains("TRACKING_CODES"), "{erased}");
    // At once: the tracking code opens nothing, and cannot reply as her.
    assert!(finds_nothing(
        &app.gql(None, PUBLIC, json!({ "c": code })).await
    ));
    app.gql(None, REPLY_BY_CODE, json!({ "c": code, "m": "lagi" }))
        .await
        .expect_code("NOT_FOUND");
    // The ledger names the account by id and a keyed hash: nothing about the person.
    let ledger = std::fs::read_to_string(app.settings().data_dir.join("erasure-ledger")).unwrap();
    assert_eq!(ledger.lines().count(), 1, "{ledger}");
    assert!(ledger.starts_with("account "), "{ledger}");
    for secret in [EMAIL, NAME, "dewi", &code] {
        assert!(!ledger.contains(secret), "{ledger}");
    }

    // The backup comes back over the database.
    app.kill();
    actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
    let printed = restore(&app, &backup);
    if backend == Backend::Sqlite {
        assert!(
            printed.contains("erasure ledger") && printed.contains("1 account(s) erased again"),
            "the restore says it applied the ledger: {printed}"
        );
    }
    let restored = app.restart().await;

    // She cannot sign in; her code opens nothing; her file is not served.
    let login = restored.login(EMAIL, PASSWORD).await;
    assert!(login.body.get("errors").is_some(), "{}", login.body);
    assert!(finds_nothing(
        &restored.gql(None, PUBLIC, json!({ "c": code })).await
    ));
    let reviewer = restored.login(fixtures::REVIEWER_EMAIL, PASSWORD).await;
    let reviewer = reviewer.ok()["login"]["token"].as_str().unwrap().to_owned();
    let seen = restored
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { reportCount evidenceFiles { downloadLink }
                sellerIdentifiers { kind value } complaints { edges { node { reporter { email } } } } } }",
            json!({ "id": case_id }),
        )
        .await;
    let seen = seen.ok()["case"].clone();
    assert_eq!(seen["reportCount"], 1, "the complaint itself stays");
    assert_eq!(seen["evidenceFiles"], json!([]), "{seen}");
    assert!(seen["complaints"]["edges"][0]["node"]["reporter"].is_null());
    let text = seen.to_string();
    for form in OWN_PHONE_FORMS {
        assert!(
            !text.contains(form),
            "{form} among the seller identifiers: {text}"
        );
    }
    // Nor in the raw database.
    let raw = dump(&restored);
    assert!(raw.len() > 1000);
    for secret in OWN_PHONE_FORMS
        .iter()
        .copied()
        .chain([EMAIL, NAME, code.as_str()])
    {
        assert!(
            !raw.contains(secret),
            "the restored database holds {secret:?}"
        );
    }
    // Starting again changes nothing more: the ledger is applied once per account.
    drop(restored);
    drop(app);
}

/// A file whose row is there but whose bytes are gone from the store (a database restored from a
/// backup older than an erasure) answers 410 Gone, never a server error.
async fn a_missing_evidence_file_answers_gone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let filed = crate::evidence::submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Hilang1/",
        &[("bukti.jpg", crate::evidence::gps_jpeg("hilang"))],
    )
    .await;
    let complaint_id = filed.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reviewer = fixtures::reviewer(&app).await;
    let case_id = case_id_of(&app, &complaint_id).await;
    let links = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { evidenceFiles { original: downloadLink(variant: ORIGINAL) redacted: downloadLink } } }",
            json!({ "id": case_id }),
        )
        .await;
    let file = links.ok()["case"]["evidenceFiles"][0].clone();
    let original = file["original"].as_str().unwrap().to_owned();
    let redacted = file["redacted"].as_str().unwrap().to_owned();
    let (status, _, _) = app.get_bytes_as(&original, Some(&reviewer)).await;
    assert_eq!(status, 200);
    // The store loses every file it holds.
    remove_files_under(&app.settings().data_dir.join("evidence"));
    for link in [&original, &redacted] {
        let (status, _, body) = app.get_bytes_as(link, Some(&reviewer)).await;
        assert_eq!(status, 410, "{}", String::from_utf8_lossy(&body));
    }
}

fn remove_files_under(dir: &std::path::Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            remove_files_under(&path);
        } else {
            std::fs::remove_file(&path).unwrap();
        }
    }
}

/// An anonymous submission retried with its idempotency key after `pdp rotate-key` replays the
/// first answer instead of filing a second complaint (the key's scope does not change with the
/// data key).
async fn an_anonymous_retry_after_a_key_rotation_replays(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut input = complaint("https://www.instagram.com/p/Rotasi9/");
    input["idempotencyKey"] = json!("5b2e8c1d-9f4a-4d3b-8e7c-6a1f0b2c3d4e");
    let first = app.gql(None, SUBMIT, json!({ "input": input })).await;
    let first = first.ok()["submitComplaint"].clone();
    let output = app
        .command()
        .args(["pdp", "rotate-key", "--settle-seconds", "2"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let again = app.gql(None, SUBMIT, json!({ "input": input })).await;
    let again = again.ok()["submitComplaint"].clone();
    assert_eq!(again["complaint"]["id"], first["complaint"]["id"]);
    assert_eq!(again["trackingCode"], first["trackingCode"]);
    let case_id = case_id_of(&app, first["complaint"]["id"].as_str().unwrap()).await;
    let reviewer = fixtures::reviewer(&app).await;
    let seen = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { reportCount } }",
            json!({ "id": case_id }),
        )
        .await;
    assert_eq!(seen.ok()["case"]["reportCount"], 1, "no second complaint");
}

const PLATFORM_CASE: &str = "query($r: ID!, $after: String) { node(id: $r) { ... on TakedownRequest {
    case { umkmReportCount umkmReporterCount priority createdAt updatedAt
        complaints(first: 1, after: $after) { totalCount edges { cursor node { id createdAt } } } } } } }";

/// What a global ID says once decoded.
fn decoded(id: &Value) -> String {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id.as_str().unwrap())
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

fn on_the_hour(at: &Value) -> bool {
    at.as_str().unwrap().ends_with(":00:00.000000Z")
}

/// A platform's view of a case holds no count of reporters by kind (nor a priority that would
/// give it away), times to the hour, and complaint IDs that are not row numbers; its cursors still
/// page, and are its own.
async fn a_platform_sees_no_reporter_kinds_coarse_times_and_opaque_ids(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = fixtures::desk(&app).await;
    // Off the hour, so that a time cut to the hour shows.
    app.advance_clock(chrono::TimeDelta::milliseconds(17 * 60_000 + 23_456));
    let umkm = app
        .gql(
            None,
            "mutation($i: RegisterInput!) { register(input: $i) { token } }",
            json!({ "i": { "email": "pesaing@batik.id", "password": PASSWORD, "displayName": "Pesaing",
                           "umkm": { "nib": "9120001234999", "businessName": "Batik Pesaing" } } }),
        )
        .await;
    let umkm = umkm.ok()["register"]["token"].as_str().unwrap().to_owned();
    let url = "https://www.instagram.com/p/Pesaing1/";
    let first = app
        .gql(Some(&umkm), SUBMIT, json!({ "input": complaint(url) }))
        .await;
    let first_id = first.ok()["submitComplaint"]["complaint"]["id"].clone();
    app.advance_clock(chrono::TimeDelta::seconds(61));
    app.gql(None, SUBMIT, json!({ "input": complaint(url) }))
        .await
        .ok();
    let case_id = case_id_of(&app, first_id.as_str().unwrap()).await;
    let request = fixtures::claim_and_forward_case(&app, &desk.reviewer, &case_id, json!({})).await;

    let staff = app
        .gql(
            Some(&desk.reviewer),
            PLATFORM_CASE,
            json!({ "r": request, "after": null }),
        )
        .await;
    let staff = staff.ok()["node"]["case"].clone();
    assert_eq!(staff["umkmReporterCount"], 1);
    assert_eq!(staff["umkmReportCount"], 1);
    assert!(!on_the_hour(&staff["createdAt"]), "{staff}");

    let seen = app
        .gql(
            Some(&desk.instagram),
            PLATFORM_CASE,
            json!({ "r": request, "after": null }),
        )
        .await;
    let seen = seen.ok()["node"]["case"].clone();
    assert!(seen["umkmReporterCount"].is_null(), "{seen}");
    assert_eq!(seen["umkmReportCount"], 0, "{seen}");
    assert_eq!(
        seen["priority"].as_i64().unwrap(),
        staff["priority"].as_i64().unwrap() - 10,
        "the priority without its UMKM term"
    );
    for at in [&seen["createdAt"], &seen["updatedAt"]] {
        assert!(on_the_hour(at), "{seen}");
    }
    assert_eq!(seen["complaints"]["totalCount"], 2);
    let edge = &seen["complaints"]["edges"][0];
    assert!(on_the_hour(&edge["node"]["createdAt"]), "{seen}");
    let opaque = decoded(&edge["node"]["id"]);
    let (kind, key) = opaque.split_once(':').unwrap();
    assert_eq!(kind, "Complaint");
    assert!(
        key.parse::<i64>().is_err() && key.len() >= 32,
        "not a row number: {opaque}"
    );
    assert_ne!(edge["node"]["id"], first_id);
    // The same at every read; its cursor pages on to the other complaint.
    let again = app
        .gql(
            Some(&desk.instagram),
            PLATFORM_CASE,
            json!({ "r": request, "after": null }),
        )
        .await;
    assert_eq!(
        again.ok()["node"]["case"]["complaints"]["edges"][0]["node"]["id"],
        edge["node"]["id"]
    );
    let next = app
        .gql(
            Some(&desk.instagram),
            PLATFORM_CASE,
            json!({ "r": request, "after": edge["cursor"] }),
        )
        .await;
    let next = next.ok()["node"]["case"]["complaints"]["edges"][0].clone();
    assert!(decoded(&next["node"]["id"]).starts_with("Complaint:"));
    assert_ne!(next["node"]["id"], edge["node"]["id"]);
    // A staff cursor (a row number) is no platform cursor, and a platform's ID resolves nothing.
    let staff_cursor = staff["complaints"]["edges"][0]["cursor"].clone();
    app.gql(
        Some(&desk.instagram),
        PLATFORM_CASE,
        json!({ "r": request, "after": staff_cursor }),
    )
    .await
    .expect_code("BAD_USER_INPUT");
    let node = app
        .gql(
            Some(&desk.instagram),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": edge["node"]["id"] }),
        )
        .await;
    assert!(node.ok()["node"].is_null());
}

/// Every directory under `dir` (itself included), with its mode.
fn directories(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, u32)>) {
    use std::os::unix::fs::PermissionsExt as _;
    out.push((
        dir.to_owned(),
        std::fs::metadata(dir).unwrap().permissions().mode() & 0o777,
    ));
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            directories(&path, out);
        }
    }
}

fn files_under(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(std::fs::read(&path).unwrap());
        }
    }
    found
}

/// `myData` lists the seller identifiers read from the person's words and what they did; once
/// their case has been final for the retention period, the evidence original goes (the redacted
/// variant stays, the original answers 410), the file name is blanked and the identifiers read
/// from the reporter's words are deleted. Evidence directories are the server's alone (0700).
async fn retention_covers_evidence_originals_names_and_identifiers_and_my_data_lists_them(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let rina = app.register("rina@pelapor.id").await;
    let photo = crate::evidence::gps_jpeg("retensi");
    let mut input = complaint("https://www.instagram.com/p/Retensi1/");
    input["description"] =
        json!("Jual pakaian bekas impor per bal, penjual bisa dihubungi di 0857-1234-5678.");
    input["files"] = json!([null]);
    let filed = crate::evidence::upload(
        &app,
        Some(&rina),
        SUBMIT,
        json!({ "input": input }),
        &[(
            "variables.input.files.0",
            "KTP_Rina_Rahasia.jpg",
            photo.clone(),
        )],
    )
    .await;
    let complaint_id = filed.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Evidence directories: 0700, every one of them.
    let mut dirs = Vec::new();
    directories(&app.settings().data_dir.join("evidence"), &mut dirs);
    assert!(dirs.len() >= 3, "{dirs:?}");
    for (dir, mode) in &dirs {
        assert_eq!(*mode, 0o700, "{}", dir.display());
    }

    // myData: the identifier read from her description, and what she did.
    let mine = app
        .gql(
            Some(&rina),
            "{ myData { sellerIdentifiers { kind value source complaintId } actions { action caseId } } }",
            json!({}),
        )
        .await;
    let mine = mine.ok()["myData"].clone();
    assert_eq!(
        mine["sellerIdentifiers"],
        json!([{ "kind": "PHONE", "value": "+6285712345678", "source": "DESCRIPTION",
                 "complaintId": complaint_id }]),
        "{mine}"
    );
    let case_id = case_id_of(&app, &complaint_id).await;
    assert!(
        mine["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "complaint.submitted" && a["caseId"] == case_id.as_str()),
        "{mine}"
    );

    let reviewer = fixtures::reviewer(&app).await;
    fixtures::claim_and_reject(&app, &reviewer, &case_id, "Bukan pakaian bekas impor.").await;
    let blobs = app.settings().data_dir.join("evidence").join("blobs");
    let stored_before = files_under(&blobs);
    assert!(stored_before.contains(&photo), "the original is stored");

    // Within the period nothing of the evidence goes; after it, all of it.
    app.advance_clock(chrono::TimeDelta::days(364));
    let early = privacy::retention::apply(&app.services, false)
        .await
        .unwrap();
    assert_eq!(early.evidence_complaints, 0);
    app.advance_clock(chrono::TimeDelta::days(2));
    let dry = privacy::retention::apply(&app.services, true)
        .await
        .unwrap();
    assert_eq!(dry.evidence_complaints, 1);
    let applied = privacy::retention::apply(&app.services, false)
        .await
        .unwrap();
    assert_eq!(
        (
            applied.evidence_complaints,
            applied.file_names,
            applied.originals,
            applied.identifiers
        ),
        (1, 1, 1, 1),
        "{applied:?}"
    );
    let again = privacy::retention::apply(&app.services, false)
        .await
        .unwrap();
    assert_eq!(again.evidence_complaints, 0, "idempotent");

    let stored_after = files_under(&blobs);
    assert!(
        !stored_after.contains(&photo),
        "the original left the store"
    );
    assert_eq!(
        stored_after.len(),
        stored_before.len() - 1,
        "the redacted variant stays"
    );
    let seen = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { sellerIdentifiers { value source }
                evidenceFiles { name original: downloadLink(variant: ORIGINAL) redacted: downloadLink } } }",
            json!({ "id": case_id }),
        )
        .await;
    let seen = seen.ok()["case"].clone();
    assert!(!seen.to_string().contains("6285712345678"), "{seen}");
    let file = &seen["evidenceFiles"][0];
    assert_eq!(file["name"], "", "{seen}");
    let (status, _, _) = app
        .get_bytes_as(file["original"].as_str().unwrap(), Some(&reviewer))
        .await;
    assert_eq!(status, 410, "the original is gone");
    let (status, _, bytes) = app
        .get_bytes_as(file["redacted"].as_str().unwrap(), Some(&reviewer))
        .await;
    assert_eq!(status, 200);
    assert!(!bytes.is_empty());
    let mine = app
        .gql(
            Some(&rina),
            "{ myData { sellerIdentifiers { value } } }",
            json!({}),
        )
        .await;
    assert_eq!(mine.ok()["myData"]["sellerIdentifiers"], json!([]));
    assert!(!dump(&app).contains("KTP_Rina"));
    // verify-evidence does not count the dropped original as missing.
    let verified = laporlapak::service::evidence::verify_all(&app.services)
        .await
        .unwrap();
    assert!(verified.problems.is_empty(), "{:?}", verified.problems);
}

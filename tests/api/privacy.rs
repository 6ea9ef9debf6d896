//! Personal data protection (UU 27/2022 PDP): encryption at rest, `myData` and the access log,
//! correction, erasure (by account and by tracking code), retention, the privacy notice, the
//! subject-access export and key rotation under a running server.

use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde_json::{Value, json};

use crate::fixtures::{self, case_id_of};
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::intake::{SUBMIT, complaint};
use laporlapak::db::DatabaseUrl;
use laporlapak::domain::Role;
use laporlapak::service::privacy;

crate::on_both_backends!(
    erasure_leaves_no_identity_in_a_dump_while_the_complaints_still_count,
    my_data_is_only_ever_ones_own_and_staff_cannot_use_it,
    corrections_move_sign_in_and_are_checked,
    anonymous_reporters_erase_their_contact_with_the_tracking_code,
    registration_records_the_privacy_notice,
    retention_unlinks_reporters_of_long_final_cases,
    the_operator_exports_a_subject_access_document,
    key_rotation_under_a_running_server_loses_no_request,
);

const REGISTER: &str =
    "mutation($input: RegisterInput!) { register(input: $input) { token account { id } } }";
const MY_DATA: &str = "{ myData { account { email displayName umkm { nib businessName } }
    privacyNoticeVersion complaints { trackingCode status } accessLog { role purpose caseId } } }";
const DELETE: &str = "mutation($p: String!) { deleteMyAccount(password: $p) {
    erased kept { item count reason } } }";
const ERASE_CONTACT: &str = "mutation($code: String!) { eraseComplaintContact(trackingCode: $code) { erased kept { item count } } }";
const UPDATE: &str = "mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) {
    email displayName umkm { nib } } }";

const EMAIL: &str = "siti.rahasia@pelapor.id";
const NAME: &str = "Siti Rahasia Pelapor";
const NIB: &str = "9120004417356";
const BUSINESS: &str = "Butik Rahasia Siti";

/// Registers the fixture citizen as an UMKM seller and returns its token.
async fn register_siti(app: &TestApp) -> String {
    let reply = app
        .gql(
            None,
            REGISTER,
            json!({ "input": { "email": EMAIL, "password": PASSWORD, "displayName": "Siti Rahasia Pelapor",
                "umkm": { "nib": "9120004417356", "businessName": "Butik Rahasia Siti" } } }),
        )
        .await;
    reply.ok()["register"]["token"].as_str().unwrap().to_owned()
}

/// Every byte the database holds, as a reader of a stolen copy would see it: `pg_dump` of the
/// test database, or the SQLite file with its write-ahead log.
pub fn dump(app: &TestApp) -> String {
    match &app.settings().database_url {
        DatabaseUrl::Postgres(url) => {
            let output = std::process::Command::new("pg_dump")
                .arg("--no-owner")
                .arg(url)
                .output()
                .expect("pg_dump runs");
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            String::from_utf8_lossy(&output.stdout).into_owned()
        }
        DatabaseUrl::Sqlite(path) => {
            let mut bytes = std::fs::read(path).unwrap();
            let mut wal = path.clone().into_os_string();
            wal.push("-wal");
            if let Ok(more) = std::fs::read(&wal) {
                bytes.extend(more);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

fn assert_absent(haystack: &str, what: &str, needles: &[&str]) {
    assert!(haystack.len() > 1000, "{what} is not empty");
    for needle in needles {
        assert!(!haystack.contains(needle), "{what} holds {needle:?}");
    }
}

async fn erasure_leaves_no_identity_in_a_dump_while_the_complaints_still_count(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let siti = register_siti(&app).await;
    let url = "https://www.instagram.com/p/RahasiaBal1/";
    let filed = app
        .gql(Some(&siti), SUBMIT, json!({ "input": complaint(url) }))
        .await;
    let complaint_id = filed.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = app.register("tetangga@pelapor.id").await;
    app.gql(Some(&other), SUBMIT, json!({ "input": complaint(url) }))
        .await
        .ok();
    let identity = [EMAIL, NAME, NIB, BUSINESS];

    // Encrypted at rest: a copy of the database taken now shows none of it.
    assert_absent(&dump(&app), "the dump before erasure", &identity);

    // A reviewer opens the case and sees the reporter: the read is in Siti's access log.
    let reviewer = fixtures::reviewer(&app).await;
    let case_id = case_id_of(&app, &complaint_id).await;
    fixtures::claim(&app, &reviewer, &case_id).await;
    let seen = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { reportCount complaints { edges { node { reporter { email displayName } } } } } }",
            json!({ "id": case_id }),
        )
        .await;
    let reporters: Vec<&Value> = seen.ok()["case"]["complaints"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| &edge["node"]["reporter"])
        .collect();
    assert!(
        reporters
            .iter()
            .any(|r| r["email"] == EMAIL && r["displayName"] == NAME)
    );
    let mine = app.gql(Some(&siti), MY_DATA, json!({})).await;
    let data = &mine.ok()["myData"];
    assert_eq!(data["account"]["email"], EMAIL);
    assert_eq!(data["account"]["umkm"]["nib"], NIB);
    assert_eq!(data["complaints"].as_array().unwrap().len(), 1);
    assert_eq!(
        data["accessLog"][0],
        json!({ "role": "REVIEWER", "purpose": "reporter", "caseId": case_id })
    );

    // Erasure needs the password.
    let refused = app
        .gql(Some(&siti), DELETE, json!({ "p": "not my password" }))
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), "password");
    let receipt = app.gql(Some(&siti), DELETE, json!({ "p": PASSWORD })).await;
    let receipt = &receipt.ok()["deleteMyAccount"];
    for erased in [
        "EMAIL",
        "DISPLAY_NAME",
        "UMKM",
        "PASSWORD",
        "SESSIONS",
        "REPORTER_LINKS",
    ] {
        assert!(
            receipt["erased"]
                .as_array()
                .unwrap()
                .contains(&json!(erased)),
            "{receipt}"
        );
    }
    assert_eq!(receipt["kept"][0]["item"], "COMPLAINTS");
    assert_eq!(receipt["kept"][0]["count"], 1);
    assert!(receipt["kept"][0]["reason"].as_str().unwrap().len() > 20);

    // The token stops working at once, and the password no longer signs in.
    app.gql(Some(&siti), "{ me { id } }", json!({}))
        .await
        .expect_code("UNAUTHENTICATED");
    app.login(EMAIL, PASSWORD)
        .await
        .expect_code("UNAUTHENTICATED");

    // Nothing identifies her in the database any more, nor in the server's log.
    assert_absent(&dump(&app), "the dump after erasure", &identity);
    let log = std::fs::read_to_string(crate::helpers::test_log_path()).unwrap_or_default();
    for needle in identity {
        assert!(!log.contains(needle), "the server log holds {needle:?}");
    }

    // Her complaint still counts in its case and in the transparency report.
    let case = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { reportCount complaints { totalCount } } }",
            json!({ "id": case_id }),
        )
        .await;
    assert_eq!(case.ok()["case"]["reportCount"], 2);
    assert_eq!(case.ok()["case"]["complaints"]["totalCount"], 2);
    let report = app
        .gql(
            None,
            "{ transparencyReport { totals { complaints } } }",
            json!({}),
        )
        .await;
    assert_eq!(report.ok()["transparencyReport"]["totals"]["complaints"], 2);
    // The same e-mail may register again: it is a new, unrelated account.
    app.gql(
        None,
        REGISTER,
        json!({ "input": { "email": EMAIL, "password": PASSWORD, "displayName": "Siti Baru Lagi" } }),
    )
    .await
    .ok();
}

async fn my_data_is_only_ever_ones_own_and_staff_cannot_use_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let siti = register_siti(&app).await;
    app.gql(
        Some(&siti),
        SUBMIT,
        json!({ "input": complaint("https://www.instagram.com/p/MilikSiti/") }),
    )
    .await
    .ok();
    let budi = app.register("budi.lain@pelapor.id").await;
    let theirs = app.gql(Some(&budi), MY_DATA, json!({})).await;
    let data = &theirs.ok()["myData"];
    assert_eq!(data["account"]["email"], "budi.lain@pelapor.id");
    assert_eq!(data["complaints"], json!([]));
    assert!(!data.to_string().contains(EMAIL));

    app.gql(None, MY_DATA, json!({}))
        .await
        .expect_code("UNAUTHENTICATED");
    let reviewer = fixtures::reviewer(&app).await;
    let admin = app.admin().await;
    let rep = app
        .staff("ts@instagram.example", Role::Platform, Some("instagram"))
        .await;
    for token in [&reviewer, &admin, &rep] {
        app.gql(Some(token), MY_DATA, json!({}))
            .await
            .expect_code("FORBIDDEN");
        app.gql(Some(token), DELETE, json!({ "p": PASSWORD }))
            .await
            .expect_code("FORBIDDEN");
        app.gql(
            Some(token),
            UPDATE,
            json!({ "input": { "displayName": "Staf Baru" } }),
        )
        .await
        .expect_code("FORBIDDEN");
    }
    app.gql(None, DELETE, json!({ "p": PASSWORD }))
        .await
        .expect_code("UNAUTHENTICATED");
    app.gql(
        None,
        UPDATE,
        json!({ "input": { "displayName": "Siapa Saja" } }),
    )
    .await
    .expect_code("UNAUTHENTICATED");
    // An administrator looking an account up is recorded in its access log.
    let siti_id = app.gql(Some(&siti), "{ me { id } }", json!({})).await.ok()["me"]["id"].clone();
    let looked_up = app
        .gql(
            Some(&admin),
            "query($id: ID!) { node(id: $id) { ... on Account { email } } }",
            json!({ "id": siti_id }),
        )
        .await;
    assert_eq!(looked_up.ok()["node"]["email"], EMAIL);
    let mine = app.gql(Some(&siti), MY_DATA, json!({})).await;
    assert_eq!(
        mine.ok()["myData"]["accessLog"],
        json!([{ "role": "ADMIN", "purpose": "account", "caseId": null }])
    );
}

async fn corrections_move_sign_in_and_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let siti = register_siti(&app).await;
    app.register("sudah.dipakai@pelapor.id").await;
    let taken = app
        .gql(
            Some(&siti),
            UPDATE,
            json!({ "input": { "email": "sudah.dipakai@pelapor.id", "currentPassword": PASSWORD } }),
        )
        .await;
    taken.expect_code("BAD_USER_INPUT");
    assert_eq!(taken.field(), "input.email");
    let empty = app.gql(Some(&siti), UPDATE, json!({ "input": {} })).await;
    empty.expect_code("BAD_USER_INPUT");
    let bad_nib = app
        .gql(
            Some(&siti),
            UPDATE,
            json!({ "input": { "umkm": { "nib": "12", "businessName": "Toko" } } }),
        )
        .await;
    assert_eq!(bad_nib.field(), "input.umkm.nib");

    let changed = app
        .gql(
            Some(&siti),
            UPDATE,
            json!({ "input": { "email": "siti.baru@pelapor.id", "displayName": "Siti Nurhaliza Baru", "removeUmkm": true, "currentPassword": PASSWORD } }),
        )
        .await;
    assert_eq!(
        changed.ok()["updateMyProfile"],
        json!({ "email": "siti.baru@pelapor.id", "displayName": "Siti Nurhaliza Baru", "umkm": null })
    );
    app.login(EMAIL, PASSWORD)
        .await
        .expect_code("UNAUTHENTICATED");
    app.login("siti.baru@pelapor.id", PASSWORD).await.ok();
    let events = app
        .services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use laporlapak::db::schema::events;
            events::table
                .filter(events::action.eq("personal_data.corrected"))
                .select(events::details.assume_not_null())
                .load::<String>(conn)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap();
    assert_eq!(events, ["email,displayName,umkm"]);
}

async fn anonymous_reporters_erase_their_contact_with_the_tracking_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut input = complaint("https://www.instagram.com/p/AnonRahasia/");
    input["contactEmail"] = json!("anon.rahasia@pelapor.id");
    let filed = app.gql(None, SUBMIT, json!({ "input": input })).await;
    let code = filed.ok()["submitComplaint"]["trackingCode"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_absent(&dump(&app), "the dump", &["anon.rahasia@pelapor.id"]);

    let erased = app.gql(None, ERASE_CONTACT, json!({ "code": code })).await;
    assert_eq!(
        erased.ok()["eraseComplaintContact"],
        json!({ "erased": ["CONTACT_EMAILS"], "kept": [{ "item": "COMPLAINTS", "count": 1 }] })
    );
    app.gql(None, ERASE_CONTACT, json!({ "code": code }))
        .await
        .expect_code("CONFLICT");
    app.gql(None, ERASE_CONTACT, json!({ "code": "LL-AAAA-AAAA" }))
        .await
        .expect_code("NOT_FOUND");
    let contacts = app
        .services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use laporlapak::db::schema::complaints;
            complaints::table
                .filter(complaints::contact_email.is_not_null())
                .count()
                .get_result::<i64>(conn)
                .map_err(laporlapak::error::ServiceError::from)
        })
        .await
        .unwrap();
    assert_eq!(contacts, 0);
    // The complaint itself is still followed by its code.
    let status = app
        .gql(
            None,
            "query($code: String!) { complaintByTrackingCode(code: $code) { status } }",
            json!({ "code": code }),
        )
        .await;
    assert_eq!(status.ok()["complaintByTrackingCode"]["status"], "OPEN");
}

async fn registration_records_the_privacy_notice(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let notice = app
        .gql(None, "{ privacyNotice { version url } }", json!({}))
        .await;
    let version = notice.ok()["privacyNotice"]["version"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(version, privacy::NOTICE_VERSION);
    let (status, page) = app.get("/privacy").await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&version) && page.contains("Pemberitahuan privasi"),
        "{page}"
    );
    let (_, english) = app.get("/privacy?lang=en").await;
    assert!(english.contains("privacy notice") && english.contains("Your rights"));

    let outdated = app
        .gql(
            None,
            REGISTER,
            json!({ "input": { "email": "catat.versi@pelapor.id", "password": PASSWORD,
                "displayName": "Pencatat Versi", "privacyNoticeVersion": "2020-01-01" } }),
        )
        .await;
    outdated.expect_code("BAD_USER_INPUT");
    assert_eq!(outdated.field(), "input.privacyNoticeVersion");
    let accepted = app
        .gql(
            None,
            REGISTER,
            json!({ "input": { "email": "catat.versi@pelapor.id", "password": PASSWORD,
                "displayName": "Pencatat Versi", "privacyNoticeVersion": version } }),
        )
        .await;
    let token = accepted.ok()["register"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mine = app.gql(Some(&token), MY_DATA, json!({})).await;
    assert_eq!(mine.ok()["myData"]["privacyNoticeVersion"], json!(version));
}

async fn retention_unlinks_reporters_of_long_final_cases(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let siti = register_siti(&app).await;
    let filed = app
        .gql(
            Some(&siti),
            SUBMIT,
            json!({ "input": complaint("https://www.instagram.com/p/LamaSelesai/") }),
        )
        .await;
    let complaint_id = filed.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut open = complaint("https://www.instagram.com/p/MasihTerbuka/");
    open["contactEmail"] = json!("masih.terbuka@pelapor.id");
    app.gql(None, SUBMIT, json!({ "input": open })).await.ok();
    let reviewer = fixtures::reviewer(&app).await;
    let case_id = case_id_of(&app, &complaint_id).await;
    fixtures::claim_and_reject(&app, &reviewer, &case_id, "Bukan pakaian bekas impor.").await;

    // Within the year nothing is due.
    app.advance_clock(chrono::TimeDelta::days(364));
    let early = privacy::retention::apply(&app.services, true)
        .await
        .unwrap();
    assert_eq!(early.complaints, 0);
    app.advance_clock(chrono::TimeDelta::days(2));
    let dry = privacy::retention::apply(&app.services, true)
        .await
        .unwrap();
    assert_eq!(dry.complaints, 1, "only the rejected case's complaint");
    let mine = app.gql(Some(&siti), MY_DATA, json!({})).await;
    assert_eq!(
        mine.ok()["myData"]["complaints"].as_array().unwrap().len(),
        1
    );

    let applied = privacy::retention::apply(&app.services, false)
        .await
        .unwrap();
    assert_eq!(applied.complaints, 1);
    let mine = app.gql(Some(&siti), MY_DATA, json!({})).await;
    assert_eq!(mine.ok()["myData"]["complaints"], json!([]));
    let again = privacy::retention::apply(&app.services, false)
        .await
        .unwrap();
    assert_eq!(again.complaints, 0, "idempotent");
    // The case keeps its complaint and its count.
    let case = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { status reportCount complaints { edges { node { reporter { id } } } } } }",
            json!({ "id": case_id }),
        )
        .await;
    assert_eq!(
        case.ok()["case"],
        json!({ "status": "REJECTED", "reportCount": 1,
            "complaints": { "edges": [{ "node": { "reporter": null } }] } })
    );
}

async fn the_operator_exports_a_subject_access_document(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let siti = register_siti(&app).await;
    app.gql(
        Some(&siti),
        SUBMIT,
        json!({ "input": complaint("https://www.instagram.com/p/EksporSiti/") }),
    )
    .await
    .ok();
    let output = app
        .command()
        .args(["pdp", "export", "--email", "Siti.Rahasia@Pelapor.id"])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value = serde_json::from_str(&printed).expect("one JSON document");
    assert_eq!(document["account"]["email"], EMAIL);
    assert_eq!(document["account"]["umkm"]["businessName"], BUSINESS);
    assert_eq!(document["complaints"][0]["status"], "OPEN");
    assert_eq!(document["accessLog"][0]["purpose"], "export");

    let mine = app.gql(Some(&siti), MY_DATA, json!({})).await;
    assert_eq!(
        mine.ok()["myData"]["accessLog"],
        json!([{ "role": null, "purpose": "export", "caseId": null }])
    );
    let unknown = app
        .command()
        .args(["pdp", "export", "--email", "tidak.ada@pelapor.id"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
}

async fn key_rotation_under_a_running_server_loses_no_request(backend: Backend) {
    let app = Rc::new(TestApp::spawn(backend).await);
    let mut citizens = Vec::new();
    for i in 0..4 {
        let email = format!("rotasi{i}@pelapor.id");
        let token = app.register(&email).await;
        let mut input = complaint(&format!("https://www.instagram.com/p/Rotasi{i}/"));
        input["contactEmail"] = json!(format!("kontak{i}@pelapor.id"));
        app.gql(None, SUBMIT, json!({ "input": input })).await.ok();
        citizens.push((email, token));
    }
    let key_file = app.settings().data_dir.join(laporlapak::vault::KEY_FILE);
    let before = std::fs::read_to_string(&key_file).unwrap();

    // Requests that read and write sealed fields, without pause, while the key rotates.
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let traffic = {
        let (app, stop, served) = (app.clone(), stop.clone(), served.clone());
        let citizens = citizens.clone();
        actix_web::rt::spawn(async move {
            let mut failures = Vec::new();
            let mut round = 0;
            while !stop.load(Ordering::SeqCst) {
                let (email, token) = &citizens[round % citizens.len()];
                let mine = app.gql(Some(token), MY_DATA, json!({})).await;
                if mine.body.get("errors").is_some()
                    || mine.data()["myData"]["account"]["email"] != *email
                {
                    failures.push(mine.body.to_string());
                }
                let login = app.login(email, PASSWORD).await;
                if login.body.get("errors").is_some() {
                    failures.push(login.body.to_string());
                }
                let new_email = format!("baru{round}@pelapor.id");
                let registered = app
                    .gql(
                        None,
                        REGISTER,
                        json!({ "input": { "email": new_email, "password": PASSWORD, "displayName": "Warga Baru" } }),
                    )
                    .await;
                if registered.body.get("errors").is_some() {
                    failures.push(registered.body.to_string());
                }
                served.fetch_add(3, Ordering::SeqCst);
                round += 1;
            }
            (failures, round)
        })
    };

    let command = {
        let mut command = app.command();
        command.args(["pdp", "rotate-key", "--settle-seconds", "2"]);
        command
    };
    let output = actix_web::rt::task::spawn_blocking(move || {
        let mut command = command;
        command.output()
    })
    .await
    .unwrap()
    .unwrap();
    stop.store(true, Ordering::SeqCst);
    let (failures, rounds) = traffic.await.unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{printed}");
    assert!(printed.contains("retired key"), "{printed}");
    assert!(
        failures.is_empty(),
        "failed requests during rotation: {failures:?}"
    );
    assert!(
        rounds > 3,
        "the traffic ran through the rotation ({rounds} rounds)"
    );

    // One key is left, a new one, and every value is under it.
    let after = std::fs::read_to_string(&key_file).unwrap();
    let keys: Vec<&str> = after.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(keys.len(), 1, "{after}");
    assert!(!before.contains(keys[0]));
    assert_eq!(
        privacy::keys::not_current(&app.services).await.unwrap(),
        0,
        "every value is sealed under the new key"
    );
    for (round, _) in (0..rounds).zip(0..) {
        app.login(&format!("baru{round}@pelapor.id"), PASSWORD)
            .await
            .ok();
    }
    for (email, _) in &citizens {
        app.login(email, PASSWORD).await.ok();
    }
    assert!(served.load(Ordering::SeqCst) >= 12);
}

//! Reporter data at rest (issue 28, items 4 and 6): a reporter's own words are not mined for seller
//! identifiers (only what a reply marks as the seller's details is), and neither the tracking code
//! (the anonymous reporter's only credential) nor an evidence file's name is in clear in the
//! database, while every use of the code still works and the code is shown only by the answer
//! that issued it (and a replay of it).

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::evidence::{gps_jpeg, submit_with_files};
use crate::fixtures::case_id_of;
use crate::helpers::{Backend, TestApp};
use crate::intake::{SUBMIT, complaint, submit};
use crate::privacy::dump;
use crate::review::{CLAIM, REQUEST_INFO, act};
use laporlapak::db::schema::{complaint_files, complaints};
use laporlapak::domain::Role;
use laporlapak::error::ServiceError;
use laporlapak::service::privacy;

crate::on_both_backends!(
    a_reply_with_the_reporters_phone_number_creates_no_seller_identifier,
    seller_details_of_a_reply_become_identifiers,
    neither_tracking_codes_nor_file_names_are_in_clear_at_rest,
    the_code_is_shown_by_the_answer_that_issued_it_and_its_replay_only,
    codes_and_names_stored_in_clear_before_are_converted_at_start,
    tracking_codes_keep_working_across_a_key_rotation,
);

const REPLY_BY_CODE: &str = "mutation($c: String!, $m: String!, $s: String) {
    replyToInformationRequestByTrackingCode(trackingCode: $c, message: $m, sellerDetails: $s) {
    trackingCode status } }";
const REPLY_SIGNED_IN: &str = "mutation($id: ID!, $m: String!, $s: String) {
    replyToInformationRequest(complaintId: $id, message: $m, sellerDetails: $s) { id } }";
const IDENTIFIERS: &str =
    "query($id: ID!) { case(id: $id) { sellerIdentifiers { kind value source } } }";
const PUBLIC: &str =
    "query($code: String!) { complaintByTrackingCode(code: $code) { trackingCode status } }";
const SUBMIT_KEYED: &str =
    "mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) {
    trackingCode complaint { id trackingCode issuedTrackingCode } } }";
const MINE: &str = "{ myComplaints { nodes { id trackingCode issuedTrackingCode } } }";
const STAFF_COMPLAINTS: &str = "query($id: ID!) { case(id: $id) {
    complaints { nodes { trackingCode issuedTrackingCode } } } }";

/// The reporter's own number, as a reply writes it and as an identifier would hold it.
const OWN_PHONE: &str = "0813 5566 7788";
const OWN_PHONE_E164: &str = "+6281355667788";
/// A file name that names a person.
const FILE_NAME: &str = "KTP_Siti_Rahayu_3174052208900003.jpg";

async fn reviewer(app: &TestApp) -> String {
    app.staff("reviewer@kemenkop.go.id", Role::Reviewer, None)
        .await
}

/// A complaint (anonymous without a token) whose case awaits information from its reporters;
/// returns (case id, submission answer).
async fn awaiting_info(
    app: &TestApp,
    reviewer: &str,
    url: &str,
    token: Option<&str>,
) -> (String, Value) {
    let outcome = submit(app, token, complaint(url)).await;
    let case_id = case_id_of(app, outcome["complaint"]["id"].as_str().unwrap()).await;
    act(app, reviewer, CLAIM, json!({ "id": case_id }))
        .await
        .ok();
    act(
        app,
        reviewer,
        REQUEST_INFO,
        json!({ "id": case_id, "m": "Bisakah Anda dihubungi untuk keterangan lebih lanjut?" }),
    )
    .await
    .ok();
    (case_id, outcome)
}

async fn identifiers(app: &TestApp, reviewer: &str, case_id: &str) -> Vec<Value> {
    let reply = app
        .gql(Some(reviewer), IDENTIFIERS, json!({ "id": case_id }))
        .await;
    reply.ok()["case"]["sellerIdentifiers"]
        .as_array()
        .unwrap()
        .clone()
}

fn holds(identifiers: &[Value], value: &str) -> bool {
    identifiers.iter().any(|i| i["value"] == value)
}

async fn a_reply_with_the_reporters_phone_number_creates_no_seller_identifier(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Anonymous, by tracking code.
    let reviewer = reviewer(&app).await;
    let (case_id, outcome) = awaiting_info(
        &app,
        &reviewer,
        "https://www.instagram.com/p/NomorPelapor1/",
        None,
    )
    .await;
    app.gql(
        None,
        REPLY_BY_CODE,
        json!({ "c": outcome["trackingCode"],
                "m": format!("Silakan hubungi saya di {OWN_PHONE} atau wa.me/6281355667788") }),
    )
    .await
    .ok();
    let found = identifiers(&app, &reviewer, &case_id).await;
    assert!(!holds(&found, OWN_PHONE_E164), "{found:?}");
    assert!(found.iter().all(|i| i["source"] != "REPLY"), "{found:?}");

    // Signed in.
    let citizen = app.register("siti.pelapor@contoh.id").await;
    let (case_id, outcome) = awaiting_info(
        &app,
        &reviewer,
        "https://www.instagram.com/p/NomorPelapor2/",
        Some(&citizen),
    )
    .await;
    app.gql(
        Some(&citizen),
        REPLY_SIGNED_IN,
        json!({ "id": outcome["complaint"]["id"],
                "m": format!("Nomor saya {OWN_PHONE}, silakan telepon.") }),
    )
    .await
    .ok();
    let found = identifiers(&app, &reviewer, &case_id).await;
    assert!(!holds(&found, OWN_PHONE_E164), "{found:?}");
    // Nor in the table, under any case.
    let value = OWN_PHONE_E164.to_owned();
    let rows: i64 = app
        .services
        .db
        .run(move |conn| {
            Ok::<_, ServiceError>(
                laporlapak::db::schema::seller_identifiers::table
                    .filter(laporlapak::db::schema::seller_identifiers::value.eq(value))
                    .count()
                    .get_result(conn)?,
            )
        })
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

async fn seller_details_of_a_reply_become_identifiers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = reviewer(&app).await;
    let (case_id, outcome) = awaiting_info(
        &app,
        &reviewer,
        "https://www.instagram.com/p/DetailPenjual/",
        None,
    )
    .await;
    let code = outcome["trackingCode"].as_str().unwrap();
    // Too long a text is refused and names its argument.
    let refused = app
        .gql(
            None,
            REPLY_BY_CODE,
            json!({ "c": code, "m": "Ini nomornya.", "s": "8".repeat(1_001) }),
        )
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), "sellerDetails");
    let replied = app
        .gql(
            None,
            REPLY_BY_CODE,
            json!({ "c": code,
                    "m": format!("Saya bisa dihubungi di {OWN_PHONE}."),
                    "s": "Penjual minta transfer lewat WA 0857-1111-2222, tokonya instagram.com/toko.bal.murah" }),
        )
        .await;
    let answer = &replied.ok()["replyToInformationRequestByTrackingCode"];
    assert_eq!(answer["status"], "IN_REVIEW");
    // The answer names the code in its canonical spelling, as before.
    assert_eq!(answer["trackingCode"], code);
    let found = identifiers(&app, &reviewer, &case_id).await;
    assert!(
        found.iter().any(|i| i["value"] == "+6285711112222"
            && i["kind"] == "PHONE"
            && i["source"] == "REPLY"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|i| i["kind"] == "HANDLE" && i["source"] == "REPLY"),
        "{found:?}"
    );
    assert!(!holds(&found, OWN_PHONE_E164), "{found:?}");
}

/// The complaints' stored tracking-code column and file names, as a reader of the tables sees them.
async fn stored(app: &TestApp) -> (Vec<String>, Vec<String>) {
    app.services
        .db
        .run(|conn| {
            let codes = complaints::table
                .select(complaints::tracking_code_hash)
                .load::<String>(conn)?;
            let names = complaint_files::table
                .select(diesel::dsl::sql::<diesel::sql_types::Text>("file_name"))
                .load::<String>(conn)?;
            Ok::<_, ServiceError>((codes, names))
        })
        .await
        .unwrap()
}

/// How a code could be written in a copy of the database: as issued, and without dashes.
fn spellings(code: &str) -> Vec<String> {
    vec![code.to_owned(), code.replace('-', ""), code[3..].to_owned()]
}

async fn neither_tracking_codes_nor_file_names_are_in_clear_at_rest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let citizen = app.register("siti.rahayu@contoh.id").await;
    let mut codes = Vec::new();
    let anonymous = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/KtpTerlampir/",
        &[(FILE_NAME, gps_jpeg("ktp"))],
    )
    .await;
    let anonymous = anonymous.ok()["submitComplaint"].clone();
    codes.push(anonymous["trackingCode"].as_str().unwrap().to_owned());
    // The reporter sees the name it gave.
    assert_eq!(anonymous["complaint"]["files"][0]["name"], FILE_NAME);
    let signed_in = submit(
        &app,
        Some(&citizen),
        complaint("https://www.instagram.com/p/DenganAkun/"),
    )
    .await;
    codes.push(signed_in["trackingCode"].as_str().unwrap().to_owned());

    // The tables hold hashes and sealed names.
    let (hashes, names) = stored(&app).await;
    assert_eq!(hashes.len(), 2);
    for hash in &hashes {
        assert_eq!(hash.len(), 64, "{hash}");
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{hash}");
    }
    assert_eq!(names.len(), 1);
    assert!(names[0].starts_with("ll1."), "{}", names[0]);
    // Every byte of the database: the SQLite file with its WAL, or a pg_dump.
    let everything = dump(&app);
    assert!(everything.len() > 1000);
    for code in &codes {
        for spelling in spellings(code) {
            assert!(
                !everything.contains(&spelling),
                "the database holds {spelling}"
            );
        }
    }
    assert!(
        !everything.contains("KTP_Siti"),
        "the database holds the file name"
    );
    assert!(!everything.contains("3174052208900003"));

    // Every use of the code still works with the code from the submission, however typed.
    for code in &codes {
        let typed = code.to_lowercase().replace('-', " ");
        let status = app.gql(None, PUBLIC, json!({ "code": typed })).await;
        assert_eq!(
            status.ok()["complaintByTrackingCode"]["trackingCode"],
            code.as_str()
        );
    }
    // A wrong code is unknown, as before: null for the status, NOT_FOUND for a reply or an erasure.
    let wrong = if codes[0].ends_with('0') {
        format!("{}1", &codes[0][..11])
    } else {
        format!("{}0", &codes[0][..11])
    };
    let status = app.gql(None, PUBLIC, json!({ "code": wrong })).await;
    assert!(status.ok()["complaintByTrackingCode"].is_null());
    app.gql(
        None,
        REPLY_BY_CODE,
        json!({ "c": wrong, "m": "Halo, ini balasan saya." }),
    )
    .await
    .expect_code("NOT_FOUND");
    app.gql(
        None,
        "mutation($c: String!) { eraseComplaintContact(trackingCode: $c) { erased } }",
        json!({ "c": wrong }),
    )
    .await
    .expect_code("NOT_FOUND");
    // The hash of a code is not a code either.
    let status = app.gql(None, PUBLIC, json!({ "code": hashes[0] })).await;
    assert!(status.ok()["complaintByTrackingCode"].is_null());
}

async fn the_code_is_shown_by_the_answer_that_issued_it_and_its_replay_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let citizen = app.register("budi.pelapor@contoh.id").await;
    let reviewer = reviewer(&app).await;
    let mut input = complaint("https://www.instagram.com/p/SekaliSaja/");
    input["idempotencyKey"] = json!("kunci-ulang-1");
    let first = app
        .gql(Some(&citizen), SUBMIT_KEYED, json!({ "input": input }))
        .await;
    let first = first.ok()["submitComplaint"].clone();
    let code = first["trackingCode"].as_str().unwrap().to_owned();
    assert_eq!(first["complaint"]["issuedTrackingCode"], code.as_str());
    assert_eq!(first["complaint"]["trackingCode"], code.as_str());
    // A replay by the same caller shows it again.
    let replay = app
        .gql(Some(&citizen), SUBMIT_KEYED, json!({ "input": input }))
        .await;
    let replay = replay.ok()["submitComplaint"].clone();
    assert_eq!(replay["complaint"]["id"], first["complaint"]["id"]);
    assert_eq!(replay["trackingCode"], code.as_str());
    assert_eq!(replay["complaint"]["issuedTrackingCode"], code.as_str());
    // An anonymous replay from the same address, too.
    let mut anonymous = complaint("https://www.instagram.com/p/SekaliSajaAnonim/");
    anonymous["idempotencyKey"] = json!("Yc3u9kQ2-anonim-kunci-acak-Zp81");
    let once = app
        .gql(None, SUBMIT_KEYED, json!({ "input": anonymous }))
        .await;
    let again = app
        .gql(None, SUBMIT_KEYED, json!({ "input": anonymous }))
        .await;
    assert_eq!(
        once.ok()["submitComplaint"]["trackingCode"],
        again.ok()["submitComplaint"]["trackingCode"]
    );

    // Every later read: null in the new field, the mask in the deprecated one.
    let mine = app.gql(Some(&citizen), MINE, json!({})).await;
    let node = &mine.ok()["myComplaints"]["nodes"][0];
    assert_eq!(node["id"], first["complaint"]["id"]);
    assert!(node["issuedTrackingCode"].is_null(), "{node}");
    assert_eq!(node["trackingCode"], "LL-****-****");
    let case_id = case_id_of(&app, first["complaint"]["id"].as_str().unwrap()).await;
    let staff = app
        .gql(Some(&reviewer), STAFF_COMPLAINTS, json!({ "id": case_id }))
        .await;
    let node = &staff.ok()["case"]["complaints"]["nodes"][0];
    assert!(node["issuedTrackingCode"].is_null(), "{node}");
    assert_eq!(node["trackingCode"], "LL-****-****");
    // The mask is no code.
    let status = app
        .gql(None, PUBLIC, json!({ "code": "LL-****-****" }))
        .await;
    assert!(status.ok()["complaintByTrackingCode"].is_null());
    // The deprecated field says so to clients.
    let introspected = app
        .gql(
            None,
            "{ __type(name: \"Complaint\") { fields(includeDeprecated: true) { name isDeprecated } } }",
            json!({}),
        )
        .await;
    let fields = introspected.ok()["__type"]["fields"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        fields
            .iter()
            .any(|f| f["name"] == "trackingCode" && f["isDeprecated"] == true)
    );
}

async fn codes_and_names_stored_in_clear_before_are_converted_at_start(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let outcome = submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/VersiLama/",
        &[("foto_lama.jpg", gps_jpeg("lama"))],
    )
    .await;
    let outcome = outcome.ok()["submitComplaint"].clone();
    let code = outcome["trackingCode"].as_str().unwrap().to_owned();
    let citizen = app.register("lama@contoh.id").await;
    let mut keyed = complaint("https://www.instagram.com/p/VersiLamaDenganKunci/");
    keyed["idempotencyKey"] = json!("kunci-lama-1");
    let first = app
        .gql(Some(&citizen), SUBMIT, json!({ "input": keyed }))
        .await;
    let keyed_code = first.ok()["submitComplaint"]["trackingCode"]
        .as_str()
        .unwrap()
        .to_owned();
    // What an earlier version left: codes and the name in clear, no code with the idempotency key.
    let (clear, clear_keyed) = (code.clone(), keyed_code.clone());
    let anonymous_id = laporlapak::graphql::id::decode_as(
        outcome["complaint"]["id"].as_str().unwrap(),
        laporlapak::graphql::id::NodeType::Complaint,
    )
    .unwrap();
    app.services
        .db
        .run(move |conn| {
            diesel::update(complaints::table.filter(complaints::id.eq(anonymous_id)))
                .set(complaints::tracking_code_hash.eq(&clear))
                .execute(conn)?;
            diesel::update(complaints::table.filter(complaints::id.ne(anonymous_id)))
                .set(complaints::tracking_code_hash.eq(&clear_keyed))
                .execute(conn)?;
            diesel::sql_query("UPDATE idempotency_keys SET tracking_code = NULL").execute(conn)?;
            diesel::sql_query("UPDATE complaint_files SET file_name = 'foto_lama.jpg'")
                .execute(conn)?;
            Ok::<_, ServiceError>(())
        })
        .await
        .unwrap();
    // Until the conversion, a look-up still finds it.
    let status = app.gql(None, PUBLIC, json!({ "code": code })).await;
    assert_eq!(
        status.ok()["complaintByTrackingCode"]["trackingCode"],
        code.as_str()
    );

    // What every start runs (the server's own start-up pass may be running too, and convert some
    // of them first: each row is converted once, by whichever pass gets to it).
    privacy::keys::reseal_all(&app.services).await.unwrap();
    let (hashes, names) = stored(&app).await;
    for hash in &hashes {
        assert_eq!(hash.len(), 64, "{hash}");
    }
    assert!(names[0].starts_with("ll1."), "{}", names[0]);
    assert_eq!(privacy::keys::not_current(&app.services).await.unwrap(), 0);
    // A second start changes nothing.
    let again = privacy::keys::reseal_all(&app.services).await.unwrap();
    assert_eq!(again.total(), 0);

    let status = app.gql(None, PUBLIC, json!({ "code": code })).await;
    assert_eq!(
        status.ok()["complaintByTrackingCode"]["trackingCode"],
        code.as_str()
    );
    // The replay of the keyed submission still shows its code.
    let replay = app
        .gql(Some(&citizen), SUBMIT, json!({ "input": keyed }))
        .await;
    assert_eq!(
        replay.ok()["submitComplaint"]["trackingCode"],
        keyed_code.as_str()
    );
    let reviewer = reviewer(&app).await;
    let case_id = case_id_of(&app, outcome["complaint"]["id"].as_str().unwrap()).await;
    let files = app
        .gql(
            Some(&reviewer),
            "query($id: ID!) { case(id: $id) { evidenceFiles { name } } }",
            json!({ "id": case_id }),
        )
        .await;
    assert_eq!(
        files.ok()["case"]["evidenceFiles"][0]["name"],
        "foto_lama.jpg"
    );
}

async fn tracking_codes_keep_working_across_a_key_rotation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let citizen = app.register("rina.pelapor@contoh.id").await;
    let mut input = complaint("https://www.instagram.com/p/RotasiKunci/");
    input["idempotencyKey"] = json!("kunci-rotasi-1");
    let first = app
        .gql(Some(&citizen), SUBMIT, json!({ "input": input }))
        .await;
    let code = first.ok()["submitComplaint"]["trackingCode"]
        .as_str()
        .unwrap()
        .to_owned();
    let report = privacy::keys::rotate(&app.services, std::time::Duration::from_millis(50))
        .await
        .unwrap();
    let new_key = report.new_key.clone().unwrap();
    assert_eq!(report.left_behind, 0);
    assert_eq!(report.retired.len(), 1, "{report:?}");
    // The index key and the code kept for a replay are sealed under the new key (by the rotation,
    // or by the start's own pass if it ran after the new key was added)...
    let sealed: Vec<String> = app
        .services
        .db
        .run(|conn| {
            let mut values = laporlapak::db::schema::index_keys::table
                .select(laporlapak::db::schema::index_keys::sealed_key)
                .load::<String>(conn)?;
            values.extend(
                laporlapak::db::schema::idempotency_keys::table
                    .select(
                        laporlapak::db::schema::idempotency_keys::tracking_code.assume_not_null(),
                    )
                    .load::<String>(conn)?,
            );
            Ok::<_, ServiceError>(values)
        })
        .await
        .unwrap();
    assert_eq!(sealed.len(), 2);
    for value in &sealed {
        assert!(value.starts_with(&format!("ll1.{new_key}.")), "{value}");
    }
    // ...and the hashes stayed valid: the code is found, and a replay shows it.
    let status = app.gql(None, PUBLIC, json!({ "code": code })).await;
    assert_eq!(
        status.ok()["complaintByTrackingCode"]["trackingCode"],
        code.as_str()
    );
    let replay = app
        .gql(Some(&citizen), SUBMIT, json!({ "input": input }))
        .await;
    assert_eq!(
        replay.ok()["submitComplaint"]["trackingCode"],
        code.as_str()
    );
    // A server started now opens the re-sealed index key.
    let replica = app.spawn_replica().await;
    let status = replica.gql(None, PUBLIC, json!({ "code": code })).await;
    assert_eq!(
        status.ok()["complaintByTrackingCode"]["trackingCode"],
        code.as_str()
    );
}

//! Bulk intake for trusted flaggers: `submitComplaints` and its CSV upload. Each item is its own
//! complaint with its own idempotency key and result — partial success — and a batch sent again
//! creates nothing new. Measured against single calls (statements and time per item).

use std::time::Instant;

use serde_json::{Value, json};

use super::{member, organisation};
use crate::evidence::upload;
use crate::fixtures;
use crate::helpers::{Backend, Reply, TestApp};
use crate::intake::{DESCRIPTION, complaint};
use crate::round_trips::database_work;
use laporlapak::domain::Role;

crate::on_both_backends!(
    a_batch_files_each_item_on_its_own,
    a_csv_file_gives_the_same_results_and_a_result_file,
    batches_are_for_members_within_their_limits,
    one_batch_of_100_against_100_single_calls,
);

pub const SUBMIT_MANY: &str = "mutation($items: [BulkComplaintInput!]!) { submitComplaints(items: $items) {
    created joined errors resultCsv
    items { index idempotencyKey status replayed complaintId trackingCode error { code field message } } } }";
const SUBMIT_CSV: &str = "mutation($file: Upload!) { submitComplaintsCsv(file: $file) {
    created joined errors resultCsv
    items { index idempotencyKey status replayed complaintId trackingCode error { code field message } } } }";
const TOTAL: &str = "{ organisationReports(first: 1) { totalCount } }";
const SINGLE: &str = "mutation($i: SubmitComplaintInput!) { submitComplaint(input: $i) { trackingCode joinedExistingCase complaint { id } } }";

/// A valid item about `url`.
pub fn item(url: &str, key: &str) -> Value {
    json!({
        "category": "USED_CLOTHING_IMPORT",
        "listingUrl": url,
        "description": DESCRIPTION,
        "province": "Jawa Barat",
        "idempotencyKey": key,
    })
}

/// The done-when batch: 100 items, of which 3 are invalid (at 5, 50 and 99: an unknown category,
/// a URL that is no URL, a description too short) and 10 are about targets with an open case
/// (every index ending in 3); the 10 open cases are opened first. Returns the items and the
/// expected (index, field) of the errors.
async fn done_when_batch(app: &TestApp, tag: &str) -> (Vec<Value>, Vec<(i64, &'static str)>) {
    for k in 0..10 {
        fixtures::open_case(app, &format!("https://www.instagram.com/p/{tag}-open-{k}/")).await;
    }
    let items = (0..100)
        .map(|i| {
            let key = format!("{tag}-{i}");
            let mut item = if i % 10 == 3 {
                item(
                    &format!("https://www.instagram.com/p/{tag}-open-{}/", i / 10),
                    &key,
                )
            } else {
                item(
                    &format!("https://www.instagram.com/p/{tag}-item-{i}/"),
                    &key,
                )
            };
            match i {
                5 => item["category"] = json!("NO_SUCH_CATEGORY"),
                50 => item["listingUrl"] = json!("bukan sebuah tautan"),
                99 => item["description"] = json!("terlalu pendek"),
                _ => {}
            }
            item
        })
        .collect();
    (
        items,
        vec![(5, "category"), (50, "listingUrl"), (99, "description")],
    )
}

fn check_done_when(payload: &Value, errors: &[(i64, &str)], replayed: bool) {
    assert_eq!(payload["created"], 87, "{payload}");
    assert_eq!(payload["joined"], 10);
    assert_eq!(payload["errors"], 3);
    let items = payload["items"].as_array().unwrap();
    assert_eq!(items.len(), 100);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["index"], i64::try_from(i).unwrap(), "in order");
    }
    let failed: Vec<(i64, &str)> = items
        .iter()
        .filter(|item| item["status"] == "ERROR")
        .map(|item| {
            assert_eq!(item["error"]["code"], "BAD_USER_INPUT");
            assert!(!item["error"]["message"].as_str().unwrap().is_empty());
            assert_eq!(item["complaintId"], Value::Null);
            (
                item["index"].as_i64().unwrap(),
                item["error"]["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(failed, errors);
    for item in items.iter().filter(|item| item["status"] != "ERROR") {
        assert_eq!(item["replayed"], replayed, "{item}");
        assert!(item["trackingCode"].as_str().unwrap().starts_with("LL-"));
        let index = item["index"].as_i64().unwrap();
        let expected = if index % 10 == 3 { "JOINED" } else { "CREATED" };
        assert_eq!(item["status"], expected, "{item}");
    }
    // The result file: a header and one row per item, in order.
    let csv = payload["resultCsv"].as_str().unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 101);
    assert!(rows[0].starts_with("index,idempotencyKey,result,"));
    assert!(rows[6].starts_with("5,"), "{}", rows[6]);
    assert!(rows[6].contains(",ERROR,"), "{}", rows[6]);
    assert!(rows[6].contains(",BAD_USER_INPUT,category,"), "{}", rows[6]);
    assert!(rows[4].contains(",JOINED,"), "{}", rows[4]);
    assert!(rows[1].contains(",CREATED,"), "{}", rows[1]);
}

async fn total(app: &TestApp, token: &str) -> i64 {
    app.gql(Some(token), TOTAL, json!({})).await.ok()["organisationReports"]["totalCount"]
        .as_i64()
        .unwrap()
}

async fn a_batch_files_each_item_on_its_own(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let org = organisation(&app, &admin, "Asosiasi Pedagang Tekstil").await;
    let flagger = member(&app, &admin, &org, "pelapor@tekstil.id").await;
    let (items, errors) = done_when_batch(&app, "gql").await;

    let reply = app
        .gql(Some(&flagger), SUBMIT_MANY, json!({ "items": items }))
        .await;
    check_done_when(&reply.ok()["submitComplaints"], &errors, false);
    assert_eq!(total(&app, &flagger).await, 97);

    // The same batch again: every filed item replays its first result, nothing new is made.
    let again = app
        .gql(Some(&flagger), SUBMIT_MANY, json!({ "items": items }))
        .await;
    let again = &again.ok()["submitComplaints"];
    check_done_when(again, &errors, true);
    assert_eq!(total(&app, &flagger).await, 97);
    assert_eq!(
        reply.ok()["submitComplaints"]["items"][0]["complaintId"],
        again["items"][0]["complaintId"]
    );

    // A key reused for another complaint is that item's CONFLICT; a key twice in one batch, the
    // second item's error.
    let reused = app
        .gql(
            Some(&flagger),
            SUBMIT_MANY,
            json!({ "items": [
                item("https://www.instagram.com/p/other-1/", "gql-0"),
                item("https://www.instagram.com/p/other-2/", "twice"),
                item("https://www.instagram.com/p/other-3/", "twice"),
            ] }),
        )
        .await;
    let items = &reused.ok()["submitComplaints"]["items"];
    assert_eq!(items[0]["error"]["code"], "CONFLICT");
    assert_eq!(items[1]["status"], "CREATED");
    assert_eq!(items[2]["error"]["field"], "idempotencyKey");
}

async fn a_csv_file_gives_the_same_results_and_a_result_file(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let org = organisation(&app, &admin, "Pemilik Merek Sepatu").await;
    let flagger = member(&app, &admin, &org, "merek@sepatu.id").await;
    let (items, errors) = done_when_batch(&app, "csv").await;
    // The same columns, in another order, with one unknown column and quoting where needed.
    let mut file = String::from("idempotencyKey,listingUrl,category,description,province,note\n");
    for item in &items {
        let cell = |name: &str| {
            let value = item[name].as_str().unwrap_or_default();
            format!("\"{}\"", value.replace('"', "\"\""))
        };
        file.push_str(&format!(
            "{},{},{},{},{},abaikan\n",
            cell("idempotencyKey"),
            cell("listingUrl"),
            cell("category"),
            cell("description"),
            cell("province")
        ));
    }
    let send = |file: String| {
        let app = &app;
        let flagger = flagger.clone();
        async move {
            upload(
                app,
                Some(&flagger),
                SUBMIT_CSV,
                json!({ "file": null }),
                &[("variables.file", "laporan.csv", file.into_bytes())],
            )
            .await
        }
    };
    let reply: Reply = send(file.clone()).await;
    check_done_when(&reply.ok()["submitComplaintsCsv"], &errors, false);
    assert_eq!(total(&app, &flagger).await, 97);
    let again = send(file).await;
    check_done_when(&again.ok()["submitComplaintsCsv"], &errors, true);
    assert_eq!(total(&app, &flagger).await, 97);

    // A file without a required column names it; one that is not CSV is refused as a whole.
    let missing = send("listingUrl,description\nhttps://www.instagram.com/p/x/,abc\n".into()).await;
    missing.expect_code("BAD_USER_INPUT");
    assert!(
        missing.message().contains("category"),
        "{}",
        missing.message()
    );
    let ragged =
        send("category,listingUrl,description,idempotencyKey\nA,b,c,d\nA,b\n".into()).await;
    ragged.expect_code("BAD_USER_INPUT");
    assert_eq!(total(&app, &flagger).await, 97);
}

async fn batches_are_for_members_within_their_limits(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let reviewer = fixtures::reviewer(&app).await;
    let platform = fixtures::representative(&app, "instagram").await;
    let regulator = app
        .staff("petugas@komdigi.go.id", Role::Regulator, None)
        .await;
    let citizen = app.register("warga@example.id").await;
    let org = organisation(&app, &admin, "Asosiasi Batas").await;
    let flagger = member(&app, &admin, &org, "anggota@batas.id").await;
    let one = json!({ "items": [item("https://www.instagram.com/p/limit-1/", "k")] });

    for (token, code) in [
        (None, "UNAUTHENTICATED"),
        (Some(citizen.as_str()), "FORBIDDEN"),
        (Some(reviewer.as_str()), "FORBIDDEN"),
        (Some(admin.as_str()), "FORBIDDEN"),
        (Some(platform.as_str()), "FORBIDDEN"),
        (Some(regulator.as_str()), "FORBIDDEN"),
    ] {
        app.gql(token, SUBMIT_MANY, one.clone())
            .await
            .expect_code(code);
        upload(
            &app,
            token,
            SUBMIT_CSV,
            json!({ "file": null }),
            &[(
                "variables.file",
                "a.csv",
                b"category,listingUrl,description,idempotencyKey\n".to_vec(),
            )],
        )
        .await
        .expect_code(code);
    }

    let empty = app
        .gql(Some(&flagger), SUBMIT_MANY, json!({ "items": [] }))
        .await;
    empty.expect_code("BAD_USER_INPUT");
    assert_eq!(empty.field(), "items");
    let too_many: Vec<Value> = (0..101)
        .map(|i| {
            item(
                &format!("https://www.instagram.com/p/many-{i}/"),
                &i.to_string(),
            )
        })
        .collect();
    let refused = app
        .gql(Some(&flagger), SUBMIT_MANY, json!({ "items": too_many }))
        .await;
    refused.expect_code("BAD_USER_INPUT");
    assert_eq!(refused.field(), "items");
    assert_eq!(count(&app).await, 0);
    // A single report of a member still works as ever.
    crate::intake::submit(
        &app,
        Some(&flagger),
        complaint("https://www.instagram.com/p/one-1/"),
    )
    .await;
}

/// Complaints in the database.
pub async fn count(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use laporlapak::db::schema::complaints;
    app.services
        .db
        .run(|conn| -> Result<i64, laporlapak::error::ServiceError> {
            Ok(complaints::table.count().get_result(conn)?)
        })
        .await
        .expect("complaints counted")
}

/// Item 2's measure: 100 single `submitComplaint` calls against one `submitComplaints` of 100
/// items, by the same member, about new targets: statements (counted by the server) and time.
async fn one_batch_of_100_against_100_single_calls(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let org = organisation(&app, &admin, "Asosiasi Ukur").await;
    let flagger = member(&app, &admin, &org, "anggota@ukur.id").await;

    let started = Instant::now();
    let mut single_statements = 0;
    for i in 0..100 {
        let reply = app
            .gql(
                Some(&flagger),
                SINGLE,
                json!({ "i": item(&format!("https://www.instagram.com/p/single-{i}/"), &format!("s{i}")) }),
            )
            .await;
        reply.ok();
        single_statements += database_work(&reply).0;
    }
    let single_time = started.elapsed();

    let items: Vec<Value> = (0..100)
        .map(|i| {
            item(
                &format!("https://www.instagram.com/p/bulk-{i}/"),
                &format!("b{i}"),
            )
        })
        .collect();
    let started = Instant::now();
    let reply = app
        .gql(Some(&flagger), SUBMIT_MANY, json!({ "items": items }))
        .await;
    let bulk_time = started.elapsed();
    assert_eq!(reply.ok()["submitComplaints"]["created"], 100);
    let bulk_statements = database_work(&reply).0;

    eprintln!(
        "MEASURE {backend:?}: 100 single calls: {single_statements} statements ({:.1} per item), \
         {:.2} ms per item; one batch of 100: {bulk_statements} statements ({:.1} per item), \
         {:.2} ms per item",
        f64::from(single_statements) / 100.0,
        single_time.as_secs_f64() * 1000.0 / 100.0,
        f64::from(bulk_statements) / 100.0,
        bulk_time.as_secs_f64() * 1000.0 / 100.0,
    );
    assert!(
        bulk_statements < single_statements,
        "a batch costs fewer statements than single calls"
    );
}

//! Complaint intake: submission with and without an account, validation, aggregation into cases
//! (including under a 50-way race), tracking codes, idempotency, evidence and withdrawal.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp};
use laporlapak::db::models::case::Case;
use laporlapak::db::models::complaint::Complaint;
use laporlapak::domain::{CaseStatus, Role};
use laporlapak::error::ServiceError;

pub const SUBMIT: &str = "mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) {
    trackingCode joinedExistingCase
    complaint { id trackingCode status listingUrl canonicalUrl description province evidenceUrls flags
                anonymous category { code } platform { slug } reporter { email } } } }";
const PUBLIC: &str = "query($code: String!) { complaintByTrackingCode(code: $code) {
    trackingCode status submittedAt updatedAt category { code labelId } platform { slug name }
    timeline { status at note } } }";
const MINE: &str = "query($first: Int, $after: String) { myComplaints(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id trackingCode status } } } }";
const WITHDRAW: &str =
    "mutation($id: ID!) { withdrawComplaint(id: $id) { id status withdrawnAt } }";
const ADD_EVIDENCE: &str = "mutation($id: ID!, $urls: [String!]!) { addEvidence(complaintId: $id, urls: $urls) { evidenceUrls } }";

pub const DESCRIPTION: &str =
    "Akun ini menjual pakaian bekas impor per bal, thrifting hidden gem, dikirim dari luar negeri.";

pub fn complaint(url: &str) -> Value {
    json!({ "category": "USED_CLOTHING_IMPORT", "listingUrl": url, "description": DESCRIPTION })
}

pub async fn submit(app: &TestApp, token: Option<&str>, input: Value) -> Value {
    let reply = app.gql(token, SUBMIT, json!({ "input": input })).await;
    reply.ok()["submitComplaint"].clone()
}

/// The complaint a tracking code names, read from the database by the code's keyed hash (the API
/// shows the code only in the answer that issued it).
pub async fn complaint_of(app: &TestApp, tracking_code: &str) -> Complaint {
    let code = laporlapak::domain::TrackingCode::parse(tracking_code).expect("a tracking code");
    let lookup = laporlapak::db::models::complaint::TrackingLookup {
        hash: app
            .services
            .vault
            .tracking_code_index(code.as_str())
            .unwrap(),
        code: code.as_str().to_owned(),
    };
    app.services
        .db
        .run(move |conn| {
            Complaint::find_by_tracking_code(conn, &lookup)?.ok_or(ServiceError::NotFound)
        })
        .await
        .unwrap()
}

/// The case a tracking code's complaint belongs to, read from the database (the reviewer desk shows
/// it through the API).
pub async fn case_of(app: &TestApp, tracking_code: &str) -> Case {
    let complaint = complaint_of(app, tracking_code).await;
    app.services
        .db
        .run(move |conn| Case::find(conn, complaint.case_id)?.ok_or(ServiceError::NotFound))
        .await
        .unwrap()
}

crate::on_both_backends!(
    anonymous_and_signed_in_reports_of_one_post_share_a_case,
    url_spellings_of_one_target_join_one_case,
    fifty_simultaneous_first_reports_open_exactly_one_case,
    every_validation_rule_names_its_field,
    tracking_code_shows_status_and_no_personal_data,
    idempotent_retries_create_nothing_new,
    my_complaints_pages_by_keyset,
    another_citizen_cannot_touch_my_complaint,
    withdrawing_the_last_complaint_closes_the_case_and_a_new_report_opens_a_new_one,
    evidence_can_be_added_while_the_case_is_open,
    staff_cannot_submit_complaints,
    umkm_reporters_and_distinct_reporters_are_counted,
);

async fn anonymous_and_signed_in_reports_of_one_post_share_a_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = submit(
        &app,
        None,
        complaint("https://www.instagram.com/p/ABC123/?igsh=xyz"),
    )
    .await;
    assert_eq!(first["joinedExistingCase"], false);
    assert_eq!(first["complaint"]["platform"]["slug"], "instagram");
    assert_eq!(
        first["complaint"]["canonicalUrl"],
        "https://instagram.com/p/ABC123"
    );
    assert_eq!(
        first["complaint"]["listingUrl"],
        "https://www.instagram.com/p/ABC123/?igsh=xyz"
    );
    assert_eq!(first["complaint"]["status"], "OPEN");
    assert!(first["complaint"]["reporter"].is_null());
    let flags: Vec<&str> = first["complaint"]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for flag in ["thrifting", "hidden gem", "bal", "bekas impor"] {
        assert!(flags.contains(&flag), "{flag} not in {flags:?}");
    }

    let token = app.register("warga@mail.id").await;
    let second = submit(&app, Some(&token), complaint("instagram.com/p/ABC123")).await;
    assert_eq!(second["joinedExistingCase"], true);
    assert_eq!(second["complaint"]["reporter"]["email"], "warga@mail.id");
    let first_code = first["trackingCode"].as_str().unwrap();
    let second_code = second["trackingCode"].as_str().unwrap();
    assert_ne!(first_code, second_code);
    for code in [first_code, second_code] {
        assert!(code.starts_with("LL-") && code.len() == 12, "{code}");
    }
    let case = case_of(&app, first_code).await;
    assert_eq!(case.id, case_of(&app, second_code).await.id);
    assert_eq!(case.report_count, 2);
    assert_eq!(case.status, CaseStatus::Open);
    assert!(case.flags.contains("thrifting"));
    assert!(case.priority > 0);
}

async fn url_spellings_of_one_target_join_one_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let spellings = [
        "https://www.tiktok.com/@TokoThrift/video/7312345678901234567?is_from_webapp=1&sender_device=pc",
        "https://m.tiktok.com/@tokothrift/video/7312345678901234567",
        "tiktok.com/@tokothrift/video/7312345678901234567/",
        "HTTPS://WWW.TIKTOK.COM/@TokoThrift/video/7312345678901234567?_t=8abc&_r=1#comments",
    ];
    let mut cases = Vec::new();
    for url in spellings {
        let outcome = submit(&app, None, complaint(url)).await;
        cases.push(
            case_of(&app, outcome["trackingCode"].as_str().unwrap())
                .await
                .id,
        );
    }
    assert!(cases.iter().all(|id| *id == cases[0]), "{cases:?}");
    // A different video of the same account is a different target.
    let other = submit(
        &app,
        None,
        complaint("https://www.tiktok.com/@tokothrift/video/7312345678901234999"),
    )
    .await;
    assert_ne!(
        case_of(&app, other["trackingCode"].as_str().unwrap())
            .await
            .id,
        cases[0]
    );
    // Shopee's two product URL shapes are one product.
    let a = submit(
        &app,
        None,
        complaint("https://shopee.co.id/Kaos-Bekas-Impor-i.123456.7891011?sp_atk=x"),
    )
    .await;
    let b = submit(
        &app,
        None,
        complaint("https://shopee.co.id/product/123456/7891011"),
    )
    .await;
    assert_eq!(b["joinedExistingCase"], true);
    assert_eq!(
        case_of(&app, a["trackingCode"].as_str().unwrap()).await.id,
        case_of(&app, b["trackingCode"].as_str().unwrap()).await.id
    );
}

async fn fifty_simultaneous_first_reports_open_exactly_one_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let spellings = [
        "https://www.instagram.com/p/RaceX1/",
        "instagram.com/p/RaceX1",
        "https://instagram.com/reel/RaceX1/?igsh=abc",
        "http://m.instagram.com/p/RaceX1#x",
        "https://www.instagram.com/tokobal/p/RaceX1/?utm_source=ig_web_copy_link",
    ];
    let requests = (0..50).map(|i| {
        let app = &app;
        let input = complaint(spellings[i % spellings.len()]);
        async move { app.gql(None, SUBMIT, json!({ "input": input })).await }
    });
    let replies = futures_util::future::join_all(requests).await;
    let mut codes = Vec::new();
    let mut opened = 0;
    for reply in &replies {
        let outcome = &reply.ok()["submitComplaint"];
        if outcome["joinedExistingCase"] == false {
            opened += 1;
        }
        codes.push(outcome["trackingCode"].as_str().unwrap().to_owned());
    }
    assert_eq!(opened, 1, "exactly one submission opens the case");
    let case = case_of(&app, &codes[0]).await;
    for code in &codes {
        assert_eq!(case_of(&app, code).await.id, case.id);
    }
    let case = case_of(&app, &codes[0]).await;
    assert_eq!(case.report_count, 50);
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 50, "tracking codes are unique");
}

async fn every_validation_rule_names_its_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let base = complaint("https://www.instagram.com/p/Valid1/");
    let with = |key: &str, value: Value| {
        let mut input = base.clone();
        input[key] = value;
        input
    };
    let long_url = format!("https://instagram.com/p/{}", "a".repeat(2_100));
    let eleven: Vec<String> = (0..11)
        .map(|i| format!("https://imgur.com/{i}.png"))
        .collect();
    let cases = vec![
        (with("category", json!("NOT_A_CATEGORY")), "input.category"),
        (
            with("listingUrl", json!("ftp://instagram.com/p/X")),
            "input.listingUrl",
        ),
        (
            with("listingUrl", json!("javascript:alert(1)")),
            "input.listingUrl",
        ),
        (with("listingUrl", json!(long_url)), "input.listingUrl"),
        (
            with("listingUrl", json!("https://example.com/item/1")),
            "input.listingUrl",
        ),
        (with("listingUrl", json!("")), "input.listingUrl"),
        (
            with("listingUrl", json!("https://instagram.com/p/X\u{0}Y")),
            "input.listingUrl",
        ),
        (with("platform", json!("tiktok")), "input.listingUrl"),
        (with("platform", json!("myspace")), "input.platform"),
        (
            with("description", json!("terlalu pendek")),
            "input.description",
        ),
        (
            with("description", json!("x".repeat(5_001))),
            "input.description",
        ),
        (
            with("description", json!(format!("{DESCRIPTION}\u{0}"))),
            "input.description",
        ),
        (with("evidenceUrls", json!(eleven)), "input.evidenceUrls"),
        (
            with(
                "evidenceUrls",
                json!(["https://imgur.com/a.png", "mailto:x@y.id"]),
            ),
            "input.evidenceUrls[1]",
        ),
        (with("province", json!("Atlantis")), "input.province"),
        (
            with("contactEmail", json!("not-an-email")),
            "input.contactEmail",
        ),
        (
            with("accountHandle", json!("a\u{7}b")),
            "input.accountHandle",
        ),
        (with("city", json!("c".repeat(101))), "input.city"),
    ];
    for (input, field) in cases {
        let reply = app.gql(None, SUBMIT, json!({ "input": input })).await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), field, "{}", reply.body);
        assert!(reply.data().is_null());
    }
    // Nothing at all was written by the refused submissions.
    let written: i64 = app
        .services
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use laporlapak::db::schema::complaints;
            Ok::<_, ServiceError>(complaints::table.count().get_result(conn)?)
        })
        .await
        .unwrap();
    assert_eq!(written, 0);
    // Accepted: the platform named and matching, a province in a common spelling, evidence.
    let accepted = submit(
        &app,
        None,
        json!({ "category": "USED_CLOTHING_IMPORT", "listingUrl": "https://www.instagram.com/p/Valid1/",
                "platform": "instagram", "description": DESCRIPTION, "province": "jabar", "city": "Bandung",
                "evidenceUrls": ["https://imgur.com/a.png"], "contactEmail": "Pelapor@Mail.id" }),
    )
    .await;
    assert_eq!(accepted["complaint"]["province"], "Jawa Barat");
    assert_eq!(
        accepted["complaint"]["evidenceUrls"],
        json!(["https://imgur.com/a.png"])
    );
}

async fn tracking_code_shows_status_and_no_personal_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("rahasia.pelapor@mail.id").await;
    let mut input = complaint("https://www.instagram.com/p/Private1/");
    input["accountHandle"] = json!("@tokobekas");
    input["contactEmail"] = json!("kontak.rahasia@mail.id");
    input["province"] = json!("DKI Jakarta");
    let outcome = submit(&app, Some(&token), input).await;
    let code = outcome["trackingCode"].as_str().unwrap();

    for typed in [code.to_owned(), code.to_lowercase(), code.replace('-', " ")] {
        let reply = app.gql(None, PUBLIC, json!({ "code": typed })).await;
        let public = &reply.ok()["complaintByTrackingCode"];
        assert_eq!(public["trackingCode"], code);
        assert_eq!(public["status"], "OPEN");
        assert_eq!(public["category"]["code"], "USED_CLOTHING_IMPORT");
        assert_eq!(public["platform"]["slug"], "instagram");
        assert_eq!(public["timeline"][0]["status"], "OPEN");
        assert_eq!(public["timeline"][0]["note"], "Laporan diterima.");
        let text = reply.body.to_string();
        for secret in [
            "rahasia.pelapor",
            "kontak.rahasia",
            "Warga",
            "tokobekas",
            "Private1",
            "Jakarta",
            "pakaian bekas impor per bal",
        ] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
    for unknown in ["LL-0000-0000", "nonsense", ""] {
        let reply = app.gql(None, PUBLIC, json!({ "code": unknown })).await;
        assert!(reply.ok()["complaintByTrackingCode"].is_null());
    }
}

async fn idempotent_retries_create_nothing_new(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("retry@mail.id").await;
    let mut input = complaint("https://www.instagram.com/p/Retry1/");
    input["idempotencyKey"] = json!("3f1c9a52-7d2e-4c1b-9e0f-1a2b3c4d5e6f");
    let first = submit(&app, Some(&token), input.clone()).await;
    let again = submit(&app, Some(&token), input.clone()).await;
    assert_eq!(first, again, "a retry returns the first result");
    let case = case_of(&app, first["trackingCode"].as_str().unwrap()).await;
    assert_eq!(case.report_count, 1);

    // Simultaneous retries too.
    let mut concurrent = complaint("https://www.instagram.com/p/Retry2/");
    concurrent["idempotencyKey"] = json!("key-for-concurrent-retries");
    let replies = futures_util::future::join_all(
        (0..8).map(|_| app.gql(Some(&token), SUBMIT, json!({ "input": concurrent.clone() }))),
    )
    .await;
    let codes: Vec<String> = replies
        .iter()
        .map(|r| {
            r.ok()["submitComplaint"]["trackingCode"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(codes.iter().all(|c| *c == codes[0]), "{codes:?}");

    // The same key with a different body is a conflict, and creates nothing.
    let mut different = input.clone();
    different["description"] = json!(format!("{DESCRIPTION} Dengan tambahan."));
    let reply = app
        .gql(Some(&token), SUBMIT, json!({ "input": different }))
        .await;
    reply.expect_code("CONFLICT");

    // Keys are scoped: another citizen using the same key gets its own complaint.
    let other = app.register("other@mail.id").await;
    let theirs = submit(&app, Some(&other), input.clone()).await;
    assert_ne!(theirs["trackingCode"], first["trackingCode"]);

    // Without an account, an unguessable key deduplicates retries from the same address (the
    // hardening tests show what it refuses and whom it keeps apart).
    let mut anonymous = complaint("https://www.instagram.com/p/Retry3/");
    anonymous["idempotencyKey"] = json!("8d0f6a1e-5b7c-4e2a-9c3d-2f4e6a8b0c1d");
    anonymous["contactEmail"] = json!("anon@mail.id");
    let one = submit(&app, None, anonymous.clone()).await;
    let two = submit(&app, None, anonymous).await;
    assert_eq!(one["trackingCode"], two["trackingCode"]);
}

async fn my_complaints_pages_by_keyset(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("pages@mail.id").await;
    let mut codes = Vec::new();
    for i in 0..5 {
        let outcome = submit(
            &app,
            Some(&token),
            complaint(&format!("https://www.instagram.com/p/Page{i}/")),
        )
        .await;
        // A later read has no tracking code (only its hash is kept): the pages are checked by id.
        codes.push(outcome["complaint"]["id"].as_str().unwrap().to_owned());
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let reply = app
            .gql(Some(&token), MINE, json!({ "first": 2, "after": after }))
            .await;
        let page = &reply.ok()["myComplaints"];
        assert_eq!(page["totalCount"], 5);
        for edge in page["edges"].as_array().unwrap() {
            seen.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    codes.reverse();
    assert_eq!(seen, codes, "newest first, each exactly once");

    for first in [0, 101, -1] {
        let reply = app.gql(Some(&token), MINE, json!({ "first": first })).await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), "first");
    }
    let reply = app
        .gql(Some(&token), MINE, json!({ "after": "garbage!" }))
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert_eq!(reply.field(), "after");
    app.gql(None, MINE, json!({}))
        .await
        .expect_code("UNAUTHENTICATED");
    let reviewer = app.staff("rev@kemenkop.go.id", Role::Reviewer, None).await;
    app.gql(Some(&reviewer), MINE, json!({}))
        .await
        .expect_code("FORBIDDEN");
}

async fn another_citizen_cannot_touch_my_complaint(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.register("owner@mail.id").await;
    let intruder = app.register("intruder@mail.id").await;
    let outcome = submit(
        &app,
        Some(&owner),
        complaint("https://www.instagram.com/p/Mine1/"),
    )
    .await;
    let id = outcome["complaint"]["id"].as_str().unwrap();
    let node = app
        .gql(
            Some(&intruder),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(node.ok()["node"].is_null());
    app.gql(Some(&intruder), WITHDRAW, json!({ "id": id }))
        .await
        .expect_code("NOT_FOUND");
    app.gql(
        Some(&intruder),
        ADD_EVIDENCE,
        json!({ "id": id, "urls": ["https://imgur.com/x.png"] }),
    )
    .await
    .expect_code("NOT_FOUND");
    let mine = app.gql(Some(&intruder), MINE, json!({})).await;
    assert_eq!(mine.ok()["myComplaints"]["totalCount"], 0);
    // Anonymous callers are told to sign in; nothing changed for the owner.
    app.gql(None, WITHDRAW, json!({ "id": id }))
        .await
        .expect_code("UNAUTHENTICATED");
    let own = app
        .gql(
            Some(&owner),
            "query($id: ID!) { node(id: $id) { ... on Complaint { withdrawnAt evidenceUrls } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(own.ok()["node"]["withdrawnAt"].is_null());
    assert_eq!(own.ok()["node"]["evidenceUrls"], json!([]));
}

async fn withdrawing_the_last_complaint_closes_the_case_and_a_new_report_opens_a_new_one(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let first = app.register("satu@mail.id").await;
    let second = app.register("dua@mail.id").await;
    let url = "https://www.instagram.com/p/Withdraw1/";
    let a = submit(&app, Some(&first), complaint(url)).await;
    let b = submit(&app, Some(&second), complaint(url)).await;
    let code = a["trackingCode"].as_str().unwrap();
    assert_eq!(case_of(&app, code).await.report_count, 2);

    let reply = app
        .gql(
            Some(&first),
            WITHDRAW,
            json!({ "id": a["complaint"]["id"] }),
        )
        .await;
    assert!(reply.ok()["withdrawComplaint"]["withdrawnAt"].is_string());
    let case = case_of(&app, code).await;
    assert_eq!(case.report_count, 1, "a withdrawn complaint stops counting");
    assert_eq!(case.status, CaseStatus::Open);
    app.gql(
        Some(&first),
        WITHDRAW,
        json!({ "id": a["complaint"]["id"] }),
    )
    .await
    .expect_code("CONFLICT");

    let reply = app
        .gql(
            Some(&second),
            WITHDRAW,
            json!({ "id": b["complaint"]["id"] }),
        )
        .await;
    assert_eq!(reply.ok()["withdrawComplaint"]["status"], "CLOSED");
    let closed = case_of(&app, code).await;
    assert_eq!(closed.status, CaseStatus::Closed);
    assert_eq!(closed.report_count, 0);
    let public = app
        .gql(None, PUBLIC, json!({ "code": b["trackingCode"] }))
        .await;
    let timeline = public.ok()["complaintByTrackingCode"]["timeline"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(timeline.last().unwrap()["status"], "CLOSED");

    // The target is reported again: a re-listing opens a new case.
    let again = submit(&app, None, complaint(url)).await;
    assert_eq!(again["joinedExistingCase"], false);
    assert_ne!(
        case_of(&app, again["trackingCode"].as_str().unwrap())
            .await
            .id,
        closed.id
    );
}

async fn evidence_can_be_added_while_the_case_is_open(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("bukti@mail.id").await;
    let outcome = submit(
        &app,
        Some(&token),
        complaint("https://www.instagram.com/p/Evidence1/"),
    )
    .await;
    let id = outcome["complaint"]["id"].as_str().unwrap();
    let reply = app
        .gql(
            Some(&token),
            ADD_EVIDENCE,
            json!({ "id": id, "urls": ["https://imgur.com/1.png", "https://imgur.com/2.png"] }),
        )
        .await;
    assert_eq!(
        reply.ok()["addEvidence"]["evidenceUrls"],
        json!(["https://imgur.com/1.png", "https://imgur.com/2.png"])
    );
    let bad = app
        .gql(
            Some(&token),
            ADD_EVIDENCE,
            json!({ "id": id, "urls": ["ftp://x.id/a"] }),
        )
        .await;
    bad.expect_code("BAD_USER_INPUT");
    assert_eq!(bad.field(), "urls[0]");
    app.gql(Some(&token), ADD_EVIDENCE, json!({ "id": id, "urls": [] }))
        .await
        .expect_code("BAD_USER_INPUT");
    app.gql(Some(&token), WITHDRAW, json!({ "id": id }))
        .await
        .ok();
    let reply = app
        .gql(
            Some(&token),
            ADD_EVIDENCE,
            json!({ "id": id, "urls": ["https://imgur.com/3.png"] }),
        )
        .await;
    reply.expect_code("CONFLICT");
}

async fn staff_cannot_submit_complaints(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (email, role, platform) in [
        ("rev@kemenkop.go.id", Role::Reviewer, None),
        ("rep@tiktok.com", Role::Platform, Some("tiktok")),
        ("adm@kemenkop.go.id", Role::Admin, None),
    ] {
        let token = app.staff(email, role, platform).await;
        let reply = app
            .gql(
                Some(&token),
                SUBMIT,
                json!({ "input": complaint("https://www.instagram.com/p/Staff1/") }),
            )
            .await;
        reply.expect_code("FORBIDDEN");
    }
}

async fn umkm_reporters_and_distinct_reporters_are_counted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let seller = app
        .gql(
            None,
            "mutation($i: RegisterInput!) { register(input: $i) { token } }",
            json!({ "i": { "email": "umkm@batik.id", "password": crate::helpers::PASSWORD, "displayName": "Ani",
                           "umkm": { "nib": "9120001234567", "businessName": "Batik Ani" } } }),
        )
        .await;
    let seller = seller.ok()["register"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let citizen = app.register("warga@mail.id").await;
    let url = "https://shopee.co.id/product/55/66";
    let first = submit(&app, Some(&seller), complaint(url)).await;
    submit(&app, Some(&seller), complaint(url)).await;
    submit(&app, Some(&citizen), complaint(url)).await;
    submit(&app, None, complaint(url)).await;
    submit(&app, None, complaint(url)).await;
    let case = case_of(&app, first["trackingCode"].as_str().unwrap()).await;
    assert_eq!(
        case.report_count, 4,
        "the seller counts once; each anonymous report once"
    );
    assert_eq!(case.umkm_report_count, 1);
}

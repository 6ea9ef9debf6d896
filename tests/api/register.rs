//! The public register of takedown requests (issue 32, item 1): an entry appears when a request is
//! issued and fills as it moves; filters and cursors work; no field, page or dump of it holds the
//! listing's address or handle, an identifier, a reporter or a reviewer datum.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use crate::fixtures::{self, desk};
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::intake::{complaint, submit};
use crate::platform::selection;

crate::on_both_backends!(
    an_entry_appears_when_issued_and_fills_as_it_moves,
    filters_and_cursors_walk_the_register,
    no_listing_or_person_datum_reaches_the_register,
);

const ENTRY: &str = "publicId platform { slug } category { code } kind urgency legalBasis
    issuedAt dueAt acknowledgedAt answeredAt action outcome overdue reinstated relisting relistedLater
    answers { kind decision ground groundReference statementOfReasons effectiveAt }
    objections { status reasons }";

fn register_query(args: &str) -> String {
    format!(
        "{{ takedownRegister({args}) {{ totalCount pageCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {ENTRY} }} }} }} }}"
    )
}

async fn register(app: &TestApp, args: &str) -> Value {
    app.gql(None, &register_query(args), json!({})).await.ok()["takedownRegister"].clone()
}

fn nodes(page: &Value) -> Vec<Value> {
    page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

async fn an_entry_appears_when_issued_and_fills_as_it_moves(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    assert_eq!(register(&app, "first: 20").await["totalCount"], 0);

    let (_, request_id) = fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.instagram.com/p/Register1/",
        "NORMAL",
    )
    .await;
    let page = register(&app, "first: 20").await;
    assert_eq!(page["totalCount"], 1);
    let entry = &nodes(&page)[0];
    assert_eq!(entry["platform"]["slug"], "instagram");
    assert_eq!(entry["category"]["code"], "USED_CLOTHING_IMPORT");
    assert_eq!(entry["kind"], "NOTICE");
    assert_eq!(entry["outcome"], "PENDING");
    assert!(entry["acknowledgedAt"].is_null() && entry["answeredAt"].is_null());
    assert!(entry["publicId"].as_str().unwrap().starts_with("TR-"));
    assert_eq!(entry["answers"], json!([]));

    app.gql(
        Some(&desk.instagram),
        "mutation($id: ID!) { acknowledgeTakedownRequest(id: $id) { id } }",
        json!({ "id": request_id }),
    )
    .await
    .ok();
    let entry = nodes(&register(&app, "first: 20").await)[0].clone();
    assert!(entry["acknowledgedAt"].is_string());
    assert_eq!(entry["outcome"], "PENDING");

    // The platform's reasons name the listing and a phone number: the register scrubs both.
    app.gql(
        Some(&desk.instagram),
        "mutation($id: ID!) { respondToTakedownRequest(id: $id, input: { decision: REMOVED,
            ground: ILLEGAL_CONTENT, groundReference: \"Permendag 18/2021 Pasal 2\",
            platformReference: \"IG-REF-778899\",
            statementOfReasons: \"Listing https://www.instagram.com/p/Register1/ removed; seller 0812-3456-7890.\" }) { id } }",
        json!({ "id": request_id }),
    )
    .await
    .ok();
    let entry = nodes(&register(&app, "first: 20").await)[0].clone();
    assert_eq!(entry["outcome"], "ACTED");
    assert_eq!(entry["action"], "REMOVED");
    assert!(entry["answeredAt"].is_string());
    let answer = &entry["answers"][0];
    assert_eq!(answer["decision"], "REMOVED");
    assert_eq!(answer["ground"], "ILLEGAL_CONTENT");
    assert_eq!(answer["groundReference"], "Permendag 18/2021 Pasal 2");
    let reasons = answer["statementOfReasons"].as_str().unwrap();
    assert!(
        reasons.starts_with("Listing […] removed; seller […]"),
        "{reasons}"
    );

    app.gql(
        Some(&desk.instagram),
        "mutation($id: ID!) { reportReinstatement(id: $id, input: {
            statementOfReasons: \"Banding dikabulkan setelah peninjauan ulang.\" }) { id } }",
        json!({ "id": request_id }),
    )
    .await
    .ok();
    let entry = nodes(&register(&app, "first: 20").await)[0].clone();
    assert_eq!(entry["outcome"], "REINSTATED");
    assert_eq!(entry["reinstated"], true);
    assert_eq!(entry["answers"][1]["kind"], "REINSTATEMENT");
    let page = register(&app, "outcome: REINSTATED").await;
    assert_eq!(page["totalCount"], 1);
    assert_eq!(register(&app, "outcome: PENDING").await["totalCount"], 0);
}

async fn filters_and_cursors_walk_the_register(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    for n in 0..3 {
        fixtures::forwarded(
            &app,
            &desk.reviewer,
            &format!("https://www.instagram.com/p/Walk{n}/"),
            "NORMAL",
        )
        .await;
        app.advance_clock(chrono::TimeDelta::minutes(5));
    }
    fixtures::forwarded(
        &app,
        &desk.reviewer,
        "https://www.tiktok.com/@toko.walk/video/7300000000000000009",
        "URGENT",
    )
    .await;

    // Newest first, two a page, every entry once.
    let first = register(&app, "first: 2").await;
    assert_eq!(first["totalCount"], 4);
    assert_eq!(first["pageCount"], 2);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let mut seen: Vec<String> = nodes(&first)
        .iter()
        .map(|n| n["publicId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(nodes(&first)[0]["platform"]["slug"], "tiktok");
    let cursor = first["pageInfo"]["endCursor"].as_str().unwrap();
    let second = register(&app, &format!("first: 2, after: \"{cursor}\"")).await;
    assert_eq!(second["pageCount"], 2);
    assert_eq!(second["pageInfo"]["hasNextPage"], false);
    seen.extend(
        nodes(&second)
            .iter()
            .map(|n| n["publicId"].as_str().unwrap().to_owned()),
    );
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 4, "{seen:?}");

    assert_eq!(
        register(&app, "platform: \"instagram\"").await["totalCount"],
        3
    );
    assert_eq!(
        register(&app, "platform: \"tiktok\"").await["totalCount"],
        1
    );
    assert_eq!(
        register(&app, "category: \"USED_CLOTHING_IMPORT\"").await["totalCount"],
        4
    );
    assert_eq!(register(&app, "kind: NOTICE").await["totalCount"], 4);
    assert_eq!(register(&app, "kind: ORDER").await["totalCount"], 0);
    assert_eq!(register(&app, "outcome: PENDING").await["totalCount"], 4);
    assert_eq!(register(&app, "outcome: ACTED").await["totalCount"], 0);
    let later = (app.now() + chrono::TimeDelta::days(1))
        .and_utc()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    assert_eq!(
        register(&app, &format!("from: \"{later}\"")).await["totalCount"],
        0
    );
    assert_eq!(
        register(&app, &format!("to: \"{later}\"")).await["totalCount"],
        4
    );

    // Refusals name their field.
    for (args, field) in [
        ("platform: \"nope\"", "platform"),
        ("category: \"NOPE\"", "category"),
        ("first: 0", "first"),
        ("after: \"bm9wZQ\"", "after"),
        (
            "from: \"2026-02-01T00:00:00Z\", to: \"2026-01-01T00:00:00Z\"",
            "to",
        ),
    ] {
        let reply = app.gql(None, &register_query(args), json!({})).await;
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), field, "{args}");
    }

    // The page: filters in a plain GET form, the same entries, a link to the next page.
    let (status, page) = app.get("/register?platform=tiktok&lang=en").await;
    assert_eq!(status, 200);
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("1 requests listed"), "{page}");
    assert!(!page.contains("<script"));
    let (status, page) = app.get("/register").await;
    assert_eq!(status, 200);
    assert!(page.contains("4 permintaan tercatat"));
    let (status, _) = app.get("/register?kind=BOGUS").await;
    assert_eq!(status, 400);
    let (_, scorecard) = app.get("/transparency").await;
    assert!(scorecard.contains("href=\"/register?lang=id\""));
}

async fn no_listing_or_person_datum_reaches_the_register(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let desk = desk(&app).await;
    let reporter = app
        .gql(
            None,
            "mutation($i: RegisterInput!) { register(input: $i) { token } }",
            json!({ "i": { "email": "pelapor.rahasia@batik.id", "password": PASSWORD, "displayName": "Nama Pelapor Rahasia",
                           "umkm": { "nib": "9120001234567", "businessName": "Usaha Rahasia Sejahtera" } } }),
        )
        .await
        .ok()["register"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = "https://www.instagram.com/p/RegisterSecret/?igsh=SHARERSECRETID";
    let mut signed = complaint(url);
    signed["province"] = json!("Kalimantan Timur");
    signed["city"] = json!("Samarinda Rahasia");
    let signed = submit(&app, Some(&reporter), signed).await;
    let mut anonymous = complaint(url);
    anonymous["contactEmail"] = json!("kontak.rahasia@mail.id");
    let anonymous = submit(&app, None, anonymous).await;
    let complaint_id = signed["complaint"]["id"].as_str().unwrap().to_owned();
    let case_id = fixtures::case_id_of(&app, &complaint_id).await;
    fixtures::claim(&app, &desk.reviewer, &case_id).await;
    crate::review::act(
        &app,
        &desk.reviewer,
        "mutation($c: ID!) { addSellerIdentifier(caseId: $c, kind: BANK_ACCOUNT, value: \"BNI 555-000-1112\") { id } }",
        json!({ "c": case_id }),
    )
    .await
    .ok();
    let forward = crate::review::act(
        &app,
        &desk.reviewer,
        crate::review::FORWARD,
        json!({ "id": case_id, "input": { "note": "Catatan rahasia peninjau untuk platform." } }),
    )
    .await;
    let request_id = forward.ok()["forwardCase"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The platform's own words repeat the listing, the account and the bank account.
    app.gql(
        Some(&desk.instagram),
        "mutation($id: ID!) { respondToTakedownRequest(id: $id, input: { decision: DECLINED,
            platformReference: \"IG-PLATFORM-REF-1\",
            statementOfReasons: \"We reviewed instagram.com/p/RegisterSecret and BNI 555-000-1112: no violation found.\" }) { id } }",
        json!({ "id": request_id }),
    )
    .await
    .ok();

    let introspection = app
        .gql(
            None,
            "{ __schema { types { name kind fields { name args { name defaultValue type { kind name ofType { kind name } } }
               type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }",
            json!({}),
        )
        .await;
    let types: HashMap<String, Value> = introspection.ok()["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    let entry = selection(
        &types,
        "TakedownRegisterEntry",
        &mut vec!["TakedownRegisterEntry".to_owned()],
    );
    for field in ["answers {", "objections {", "legalBasis", "publicId"] {
        assert!(entry.contains(field), "{field}: {entry}");
    }
    let reply = app
        .gql(
            None,
            &format!(
                "{{ takedownRegister {{ totalCount edges {{ cursor node {{ {entry} }} }} }} }}"
            ),
            json!({}),
        )
        .await;
    let answer = reply.ok().to_string();
    assert!(answer.contains("no violation found"), "{answer}");
    let (_, page) = app.get("/register?lang=en").await;
    assert!(page.contains("no violation found"), "{page}");

    let secrets = [
        "RegisterSecret",
        "registersecret",
        "SHARERSECRETID",
        "instagram.com/p",
        "pelapor.rahasia",
        "Nama Pelapor Rahasia",
        "9120001234567",
        "Usaha Rahasia",
        "kontak.rahasia",
        "Kalimantan Timur",
        "Samarinda Rahasia",
        "Catatan rahasia",
        "IG-PLATFORM-REF",
        "555-000-1112",
        "5550001112",
        "reviewer@kemenkop",
        "Reviewer",
        signed["trackingCode"].as_str().unwrap(),
        anonymous["trackingCode"].as_str().unwrap(),
        &request_id,
        &case_id,
        &complaint_id,
    ];
    for (what, text) in [("GraphQL", &answer), ("page", &page)] {
        for secret in secrets {
            assert!(!text.contains(secret), "{what} holds {secret}: {text}");
        }
    }
}

//! What real client libraries (Apollo Client, Python gql, authlib, standardwebhooks, code
//! generators) run into: malformed `DateTime` values, error shapes, browsers' CORS preflights,
//! fields a caller may not have, API clients' evidence links and identity, the changes feed's
//! order, and the consistency a code generator notices.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::evidence::{gps_jpeg, multipart_body};
use crate::fixtures;
use crate::helpers::{Backend, TestApp};
use laporlapak::domain::Role;

crate::on_both_backends!(
    malformed_date_times_are_bad_user_input_naming_the_argument,
    http_level_errors_carry_no_locations_and_name_what_is_missing,
    a_too_complex_query_states_its_cost_and_the_limit,
    rate_limited_is_429_with_retry_after_for_the_graphql_media_type,
    browsers_may_send_the_headers_real_clients_send_and_read_ours,
    an_anonymous_upload_answers_its_tracking_code_with_null_links,
    evidence_links_are_for_the_caller_that_asked_api_clients_included,
    viewer_is_the_account_or_the_api_client,
    every_connection_counts_its_page_and_its_whole_list,
    api_clients_endpoints_deliveries_and_files_are_nodes_and_old_numbers_still_work,
    an_anonymous_submission_selecting_every_field_never_fails_after_the_write,
);

const FILE_LINKS: &str = "query($id: ID!) { case(id: $id) { evidenceFiles { downloadLink } } }";

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn malformed_date_times_are_bad_user_input_naming_the_argument(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let platform = app
        .staff("trust@platform.example", Role::Platform, Some("instagram"))
        .await;
    let cases: [(Option<&str>, &str, Value, &str); 5] = [
        (
            None,
            "{ transparencyReport(from: \"garbage\") { from } }",
            json!({}),
            "from",
        ),
        (
            None,
            "{ transparencyReport(to: 1700000000) { to } }",
            json!({}),
            "to",
        ),
        (
            None,
            "query($at: DateTime) { transparencyReport(from: $at) { from } }",
            json!({ "at": "2026-12-07T10:00:00" }),
            "from",
        ),
        (
            Some(platform.as_str()),
            "{ takedownRequests(updatedSince: \"2026-12-07\") { edges { cursor } } }",
            json!({}),
            "updatedSince",
        ),
        (
            Some(platform.as_str()),
            "query($s: DateTime!) { takedownRequests(updatedSince: $s) { edges { cursor } } }",
            json!({ "s": 20261207 }),
            "updatedSince",
        ),
    ];
    for (token, query, variables, argument) in cases {
        let reply = app.gql(token, query, variables.clone()).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), argument, "{}", reply.body);
        assert!(reply.body["data"].is_null(), "{}", reply.body);

        let bearer = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Accept", GRAPHQL_RESPONSE), ("Accept-Language", "en")];
        if let Some(bearer) = &bearer {
            headers.push(("Authorization", bearer.as_str()));
        }
        let reply = app.gql_with_headers(None, &headers, query, variables).await;
        assert_eq!(
            reply.status, 400,
            "refused before execution: {}",
            reply.body
        );
        assert!(reply.body.get("data").is_none(), "{}", reply.body);
        reply.expect_code("BAD_USER_INPUT");
        assert_eq!(reply.field(), argument);
        assert!(reply.message().contains("RFC 3339"), "{}", reply.body);
    }

    // Any offset is read; the answer is UTC in one fixed form.
    let reply = app
        .gql(
            None,
            "{ transparencyReport(from: \"2026-11-30T07:00:00+07:00\") { from } }",
            json!({}),
        )
        .await;
    assert_eq!(
        reply.ok()["transparencyReport"]["from"],
        "2026-11-30T00:00:00.000000Z"
    );
}

async fn http_level_errors_carry_no_locations_and_name_what_is_missing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let refusals = [
        app.post_raw(&[("Content-Type", "text/plain")], "{}".to_owned())
            .await,
        app.post_raw(&[("Content-Type", "application/json")], "[1".to_owned())
            .await,
        app.gql_with_headers(
            None,
            &[("Accept", "text/html")],
            "{ __typename }",
            json!({}),
        )
        .await,
        app.gql(Some("not-a-token"), "{ __typename }", json!({}))
            .await,
    ];
    for reply in &refusals {
        assert!(reply.status >= 400, "{}", reply.body);
        assert!(
            reply.body["errors"][0].get("locations").is_none(),
            "no document position to point at: {}",
            reply.body
        );
    }

    // An upload without the preflight header names the header it lacks; Apollo's name for it is
    // accepted as well.
    let mut input = crate::intake::complaint("https://www.instagram.com/p/Preflight1/");
    input["files"] = json!([null]);
    let (content_type, body) = multipart_body(
        crate::evidence::SUBMIT,
        json!({ "input": input }),
        &[("variables.input.files.0", "a.jpg", gps_jpeg("preflight"))],
    );
    let reply = app
        .post_bytes(&[("Content-Type", content_type.as_str())], body.clone())
        .await;
    assert_eq!(reply.status, 415, "{}", reply.body);
    assert_eq!(reply.field(), "GraphQL-Preflight");
    assert!(reply.body["errors"][0].get("locations").is_none());
    let reply = app
        .post_bytes(
            &[
                ("Content-Type", content_type.as_str()),
                ("Apollo-Require-Preflight", "true"),
            ],
            body,
        )
        .await;
    assert!(
        reply.ok()["submitComplaint"]["trackingCode"].is_string(),
        "{}",
        reply.body
    );
}

async fn a_too_complex_query_states_its_cost_and_the_limit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let aliases: String = (0..11)
        .map(|i| format!("r{i}: transparencyReport {{ from }} "))
        .collect();
    let reply = app
        .gql_with_headers(
            None,
            &[("Accept-Language", "en")],
            &format!("{{ {aliases} }}"),
            json!({}),
        )
        .await;
    reply.expect_code("BAD_USER_INPUT");
    let error = &reply.body["errors"][0];
    let cost = error["extensions"]["cost"].as_u64().expect("cost");
    let limit = error["extensions"]["limit"].as_u64().expect("limit");
    assert!(cost > limit, "{}", reply.body);
    assert!(
        reply.message().contains(&cost.to_string()) && reply.message().contains(&limit.to_string()),
        "{}",
        reply.body
    );
}

async fn rate_limited_is_429_with_retry_after_for_the_graphql_media_type(backend: Backend) {
    let app =
        TestApp::spawn_configured(backend, laporlapak::config::Environment::Development, true)
            .await;
    let query = "query($c: String!) { complaintByTrackingCode(code: $c) { status } }";
    let mut limited = None;
    for i in 0..200 {
        let reply = app
            .gql_with_headers(
                None,
                &[("Accept", GRAPHQL_RESPONSE)],
                query,
                json!({ "c": format!("LL-0000-{i:04}") }),
            )
            .await;
        if reply.code() == "RATE_LIMITED" {
            limited = Some(reply);
            break;
        }
    }
    let limited = limited.expect("the lookups are limited");
    assert_eq!(limited.status, 429, "{}", limited.body);
    let retry_after: u64 = limited.header("retry-after").parse().expect("Retry-After");
    assert_eq!(
        Some(retry_after),
        limited.body["errors"][0]["extensions"]["retryAfter"].as_u64()
    );
    // application/json keeps every GraphQL result a 200, with the header as a hint.
    let reply = app.gql(None, query, json!({ "c": "LL-0000-9999" })).await;
    reply.expect_code("RATE_LIMITED");
    assert_eq!(reply.status, 200);
    assert!(!reply.header("retry-after").is_empty());
}

async fn browsers_may_send_the_headers_real_clients_send_and_read_ours(backend: Backend) {
    const APP: &str = "https://lapor.kemenkopukm.example.go.id";
    let app = TestApp::spawn_tuned(backend, |settings| {
        settings.cors_origins = vec![APP.to_owned()];
    })
    .await;
    let client = awc::Client::default();
    let response = client
        .request(awc::http::Method::OPTIONS, format!("{}/graphql", app.address))
        .insert_header(("Origin", APP))
        .insert_header(("Access-Control-Request-Method", "POST"))
        .insert_header((
            "Access-Control-Request-Headers",
            "apollographql-client-name,apollographql-client-version,authorization,content-type,x-request-id,apollo-require-preflight",
        ))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{:?}", response);
    assert_eq!(
        response
            .headers()
            .get("access-control-allow-origin")
            .unwrap(),
        APP
    );
    let response = client
        .post(format!("{}/graphql", app.address))
        .insert_header(("Origin", APP))
        .insert_header(("Content-Type", "application/json"))
        .insert_header(("X-Request-Id", "apollo-web-42"))
        .send_body(json!({ "query": "{ categories { code } }" }).to_string())
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let exposed = response
        .headers()
        .get("access-control-expose-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    assert!(
        exposed.contains("x-request-id") && exposed.contains("retry-after"),
        "{exposed}"
    );
}

async fn an_anonymous_upload_answers_its_tracking_code_with_null_links(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut input = crate::intake::complaint("https://www.instagram.com/p/Anon1/");
    input["files"] = json!([null]);
    let reply = crate::evidence::upload(
        &app,
        None,
        "mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) {
            trackingCode complaint { anonymous files { name downloadLink } } } }",
        json!({ "input": input }),
        &[("variables.input.files.0", "a.jpg", gps_jpeg("anon"))],
    )
    .await;
    // No error at all: a client with Apollo's default error policy keeps the tracking code.
    let submitted = &reply.ok()["submitComplaint"];
    assert!(submitted["trackingCode"].is_string(), "{}", reply.body);
    let file = &submitted["complaint"]["files"][0];
    assert_eq!(file["name"], "a.jpg");
    assert!(
        file.get("downloadLink").is_some_and(Value::is_null),
        "present, and null: {}",
        reply.body
    );
    assert_eq!(
        submitted["complaint"]["anonymous"], true,
        "filed with no account"
    );
}

async fn evidence_links_are_for_the_caller_that_asked_api_clients_included(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reviewer = fixtures::reviewer(&app).await;
    let person = fixtures::representative(&app, "instagram").await;
    let tiktok = fixtures::representative(&app, "tiktok").await;
    let admin = app.admin().await;
    let (_, client_id, secret) = crate::integration::new_client(&app, &admin, "instagram").await;
    let client = crate::integration::client_token(&app, &client_id, &secret).await;

    let submitted = crate::evidence::submit_with_files(
        &app,
        None,
        "https://www.instagram.com/p/Links2/",
        &[("a.jpg", gps_jpeg("links"))],
    )
    .await;
    let complaint_id = submitted.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (case_id, _) = fixtures::claim_and_forward(&app, &reviewer, &complaint_id, "NORMAL").await;

    let link_for = |token: String| {
        let app = &app;
        let case_id = case_id.clone();
        async move {
            let reply = app
                .gql(Some(&token), FILE_LINKS, json!({ "id": case_id }))
                .await;
            reply.ok()["case"]["evidenceFiles"][0]["downloadLink"]
                .as_str()
                .unwrap_or_else(|| panic!("a link: {}", reply.body))
                .to_owned()
        }
    };
    // The platform's API client gets a working link, as its person does.
    let client_link = link_for(client.clone()).await;
    assert_eq!(app.get_bytes_as(&client_link, Some(&client)).await.0, 200);
    let person_link = link_for(person.clone()).await;
    assert_eq!(app.get_bytes_as(&person_link, Some(&person)).await.0, 200);
    let reviewer_link = link_for(reviewer.clone()).await;

    // A link is its caller's only: without a token, with another caller's token (the same
    // platform's person, another platform, a reviewer), it is refused.
    for (link, token) in [
        (&client_link, None),
        (&client_link, Some(&person)),
        (&client_link, Some(&tiktok)),
        (&person_link, Some(&client)),
        (&person_link, None),
        (&reviewer_link, None),
        (&reviewer_link, Some(&person)),
    ] {
        let (status, _, _) = app.get_bytes_as(link, token.map(String::as_str)).await;
        assert_eq!(status, 403, "{link} with {token:?}");
    }
    assert_eq!(
        app.get_bytes_as(&reviewer_link, Some(&reviewer)).await.0,
        200
    );
}

async fn viewer_is_the_account_or_the_api_client(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin().await;
    let citizen = app.register("warga@mail.id").await;
    let (id, client_id, secret) = crate::integration::new_client(&app, &admin, "instagram").await;
    let client = crate::integration::client_token(&app, &client_id, &secret).await;
    let query = "{ me { id } viewer { __typename ... on Account { id email role }
        ... on ApiClient { id clientId platform { slug } } } }";

    let reply = app.gql(Some(&client), query, json!({})).await;
    let data = reply.ok();
    assert!(data["me"].is_null());
    assert_eq!(data["viewer"]["__typename"], "ApiClient");
    assert_eq!(data["viewer"]["clientId"], client_id.as_str());
    assert_eq!(data["viewer"]["id"], id.as_str());
    assert_eq!(data["viewer"]["platform"]["slug"], "instagram");

    let reply = app.gql(Some(&citizen), query, json!({})).await;
    let data = reply.ok();
    assert_eq!(data["viewer"]["__typename"], "Account");
    assert_eq!(data["viewer"]["email"], "warga@mail.id");
    assert_eq!(data["me"]["id"], data["viewer"]["id"]);

    let reply = app.gql(None, query, json!({})).await;
    assert!(reply.ok()["viewer"].is_null());
}

const COUNTS: &str = "query($status: [CaseStatus!]) {
    reviewQueue(filter: { status: $status }, first: 2) { pageCount totalCount } }";

async fn every_connection_counts_its_page_and_its_whole_list(backend: Backend) {
    let app = crate::integration::spawn(backend).await;
    let desk = crate::integration::desk(&app).await;

    // Every connection type has both counts, as non-null Ints.
    let reply = app
        .gql(
            None,
            "{ __schema { types { name fields { name type { kind ofType { name } } } } } }",
            json!({}),
        )
        .await;
    let types = reply.ok()["__schema"]["types"].as_array().unwrap().clone();
    let connections: Vec<&Value> = types
        .iter()
        .filter(|t| t["name"].as_str().unwrap().ends_with("Connection"))
        .collect();
    assert_eq!(connections.len(), 8, "{connections:?}");
    for connection in connections {
        for count in ["pageCount", "totalCount"] {
            let field = connection["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["name"] == count)
                .unwrap_or_else(|| panic!("{} has no {count}", connection["name"]));
            assert_eq!(
                field["type"],
                json!({ "kind": "NON_NULL", "ofType": { "name": "Int" } }),
                "{}.{count}",
                connection["name"]
            );
        }
    }

    // The counts, live: three cases forwarded to TikTok, seen two to a page.
    let receiver = crate::integration::Receiver::default();
    let url = receiver.start();
    let (_, client_id, secret) = crate::integration::new_client(&app, &desk.admin, "tiktok").await;
    let client = crate::integration::client_token(&app, &client_id, &secret).await;
    crate::integration::endpoint(&app, &client, &url, None).await;
    for shop in ["toko_a", "toko_b", "toko_c"] {
        crate::integration::forwarded(
            &app,
            &desk,
            &format!("https://www.tiktok.com/@{shop}/video/1"),
        )
        .await;
    }
    let reply = app
        .gql(
            Some(&desk.reviewer),
            COUNTS,
            json!({ "status": ["FORWARDED"] }),
        )
        .await;
    assert_eq!(
        reply.ok()["reviewQueue"],
        json!({ "pageCount": 2, "totalCount": 3 })
    );
    let reply = app.gql(Some(&desk.reviewer), COUNTS, json!({})).await;
    assert_eq!(
        reply.ok()["reviewQueue"],
        json!({ "pageCount": 0, "totalCount": 0 }),
        "none is open"
    );
    let reply = app
        .gql(
            Some(&client),
            "{ all: takedownRequests(first: 2) { pageCount totalCount }
               answered: takedownRequests(status: ANSWERED) { pageCount totalCount }
               feed: takedownRequests(updatedSince: \"2020-01-01T00:00:00Z\", first: 1) { pageCount totalCount }
               webhookDeliveries(first: 2) { pageCount totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        reply.ok(),
        &json!({
            "all": { "pageCount": 2, "totalCount": 3 },
            "answered": { "pageCount": 0, "totalCount": 0 },
            "feed": { "pageCount": 1, "totalCount": 3 },
            "webhookDeliveries": { "pageCount": 2, "totalCount": 3 },
        })
    );
    // Another platform counts none of them.
    let instagram = fixtures::representative(&app, "instagram").await;
    let reply = app
        .gql(
            Some(&instagram),
            "{ takedownRequests { pageCount totalCount } webhookDeliveries { pageCount totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        reply.ok(),
        &json!({
            "takedownRequests": { "pageCount": 0, "totalCount": 0 },
            "webhookDeliveries": { "pageCount": 0, "totalCount": 0 },
        })
    );
    // Complaint lists count their page too.
    let citizen = app.register("warga@mail.id").await;
    for n in 1..=2 {
        crate::intake::submit(
            &app,
            Some(&citizen),
            crate::intake::complaint(&format!("https://www.instagram.com/p/Count{n}/")),
        )
        .await;
    }
    let reply = app
        .gql(
            Some(&citizen),
            "{ myComplaints(first: 1) { pageCount totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        reply.ok()["myComplaints"],
        json!({ "pageCount": 1, "totalCount": 2 })
    );
}

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id } }";

async fn node_as(app: &TestApp, token: Option<&str>, id: &str) -> Value {
    let reply = app.gql(token, NODE, json!({ "id": id })).await;
    reply.ok()["node"].clone()
}

async fn api_clients_endpoints_deliveries_and_files_are_nodes_and_old_numbers_still_work(
    backend: Backend,
) {
    let app = crate::integration::spawn(backend).await;
    let desk = crate::integration::desk(&app).await;
    let instagram = fixtures::representative(&app, "instagram").await;
    let tiktok = fixtures::representative(&app, "tiktok").await;
    let receiver = crate::integration::Receiver::default();
    let url = receiver.start();
    let (client_id, client_name, secret) =
        crate::integration::new_client(&app, &desk.admin, "tiktok").await;
    let client = crate::integration::client_token(&app, &client_name, &secret).await;
    let (endpoint_id, _) = crate::integration::endpoint(&app, &client, &url, None).await;
    let submitted = crate::evidence::submit_with_files(
        &app,
        None,
        "https://www.tiktok.com/@toko_node/video/1",
        &[("a.jpg", gps_jpeg("node"))],
    )
    .await;
    let complaint_id = submitted.ok()["submitComplaint"]["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (case_id, _) =
        fixtures::claim_and_forward(&app, &desk.reviewer, &complaint_id, "NORMAL").await;
    crate::integration::eventually("the delivery succeeds", || async {
        crate::integration::deliveries(&app, &client)
            .await
            .first()
            .is_some_and(|d| d["status"] == "SUCCEEDED")
    })
    .await;
    let reply = app
        .gql(
            Some(&client),
            "{ webhookDeliveries { edges { node { id legacyId endpointId } } }
               webhookEndpoints { id legacyId } viewer { ... on ApiClient { id legacyId } } }",
            json!({}),
        )
        .await;
    let data = reply.ok().clone();
    let delivery = data["webhookDeliveries"]["edges"][0]["node"].clone();
    let delivery_id = delivery["id"].as_str().unwrap().to_owned();
    assert_eq!(delivery["endpointId"], endpoint_id.as_str());
    assert_eq!(data["webhookEndpoints"][0]["id"], endpoint_id.as_str());
    assert_eq!(data["viewer"]["id"], client_id.as_str());
    let reply = app
        .gql(
            Some(&desk.reviewer),
            "query($id: ID!) { case(id: $id) { evidenceFiles { id legacyId } } }",
            json!({ "id": case_id }),
        )
        .await;
    let file = reply.ok()["case"]["evidenceFiles"][0].clone();
    let file_id = file["id"].as_str().unwrap().to_owned();

    // Global IDs, not numbers; the number stays readable (deprecated) as `legacyId`.
    for (id, legacy) in [
        (&client_id, &data["viewer"]["legacyId"]),
        (&endpoint_id, &data["webhookEndpoints"][0]["legacyId"]),
        (&delivery_id, &delivery["legacyId"]),
        (&file_id, &file["legacyId"]),
    ] {
        assert!(id.parse::<i64>().is_err(), "{id} is a global ID");
        assert!(
            legacy.as_str().unwrap().parse::<i64>().is_ok(),
            "{legacy} is the number"
        );
    }

    // `node(id:)` finds each for those who may see it, and for no one else.
    let expect = |typename: &str, id: &str| json!({ "__typename": typename, "id": id });
    for (token, visible) in [
        (Some(desk.admin.as_str()), true),
        (Some(client.as_str()), true),
        (Some(tiktok.as_str()), false),
        (Some(instagram.as_str()), false),
        (Some(desk.reviewer.as_str()), false),
        (None, false),
    ] {
        let node = node_as(&app, token, &client_id).await;
        if visible {
            assert_eq!(node, expect("ApiClient", &client_id), "{token:?}");
        } else {
            assert!(node.is_null(), "{token:?}: {node}");
        }
    }
    for (id, typename) in [
        (&endpoint_id, "WebhookEndpoint"),
        (&delivery_id, "WebhookDelivery"),
    ] {
        for token in [&desk.admin, &client, &tiktok] {
            assert_eq!(node_as(&app, Some(token), id).await, expect(typename, id));
        }
        for token in [Some(instagram.as_str()), Some(desk.reviewer.as_str()), None] {
            assert!(
                node_as(&app, token, id).await.is_null(),
                "{typename} {token:?}"
            );
        }
    }
    for token in [&desk.reviewer, &desk.admin, &client, &tiktok] {
        assert_eq!(
            node_as(&app, Some(token), &file_id).await,
            expect("EvidenceFile", &file_id)
        );
    }
    let citizen = app.register("warga@mail.id").await;
    for token in [Some(instagram.as_str()), Some(citizen.as_str()), None] {
        assert!(node_as(&app, token, &file_id).await.is_null(), "{token:?}");
    }

    // Arguments take the global ID, and the old number until its removal date.
    let client_number = data["viewer"]["legacyId"].as_str().unwrap();
    for id in [client_id.as_str(), client_number] {
        let reply = app
            .gql(
                Some(&desk.admin),
                "mutation($id: ID!) { rotateApiClientSecret(id: $id) { client { id } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(
            reply.ok()["rotateApiClientSecret"]["client"]["id"],
            client_id.as_str()
        );
    }
    let endpoint_number = data["webhookEndpoints"][0]["legacyId"].as_str().unwrap();
    for id in [endpoint_id.as_str(), endpoint_number] {
        let reply = app
            .gql(
                Some(&client),
                "query($e: ID) { webhookDeliveries(endpoint: $e) { totalCount } }",
                json!({ "e": id }),
            )
            .await;
        assert_eq!(reply.ok()["webhookDeliveries"]["totalCount"], 1, "{id}");
    }
    let delivery_number = delivery["legacyId"].as_str().unwrap();
    for id in [delivery_id.as_str(), delivery_number] {
        let reply = app
            .gql(
                Some(&client),
                "mutation($id: ID!) { redeliverWebhook(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(reply.ok()["redeliverWebhook"]["id"], delivery_id.as_str());
        crate::integration::eventually("the redelivery finishes", || async {
            crate::integration::deliveries(&app, &client)
                .await
                .first()
                .is_some_and(|d| d["status"] == "SUCCEEDED")
        })
        .await;
    }
    // Another type's global ID, or another platform's, names nothing.
    for (token, id) in [(&client, client_id.as_str()), (&instagram, endpoint_number)] {
        let reply = app
            .gql(
                Some(token),
                "mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(reply.code(), "NOT_FOUND", "{}", reply.body);
    }
    let reply = app
        .gql(
            Some(&client),
            "mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id } }",
            json!({ "id": endpoint_number }),
        )
        .await;
    assert_eq!(
        reply.ok()["disableWebhookEndpoint"]["id"],
        endpoint_id.as_str()
    );
}

/// A selection of every field of `type_name` (deprecated ones included), objects `depth` levels
/// down; a field with an enum argument once per value, each under its own alias.
fn every_field(types: &BTreeMap<String, Value>, type_name: &str, depth: usize) -> String {
    let mut parts = vec!["__typename".to_owned()];
    for field in types[type_name]["fields"].as_array().unwrap() {
        let name = field["name"].as_str().unwrap();
        let mut of = &field["type"];
        while of["ofType"].is_object() {
            of = &of["ofType"];
        }
        let target = of["name"].as_str().unwrap();
        let sub = match of["kind"].as_str().unwrap() {
            "SCALAR" | "ENUM" => String::new(),
            "OBJECT" if depth > 0 => format!(" {{ {} }}", every_field(types, target, depth - 1)),
            "OBJECT" => continue,
            _ => " { __typename }".to_owned(),
        };
        let args = field["args"].as_array().unwrap();
        assert!(
            args.iter().all(|a| a["type"]["kind"] != "NON_NULL"),
            "{type_name}.{name} needs an argument"
        );
        parts.push(format!("{name}{sub}"));
        for arg in args {
            let arg_type = arg["type"]["name"].as_str().unwrap_or_default();
            let Some(values) = types.get(arg_type).and_then(|t| t["enumValues"].as_array()) else {
                continue;
            };
            for value in values {
                let value = value["name"].as_str().unwrap();
                parts.push(format!(
                    "{name}_{value}: {name}({}: {value}){sub}",
                    arg["name"].as_str().unwrap()
                ));
            }
        }
    }
    parts.join(" ")
}

async fn an_anonymous_submission_selecting_every_field_never_fails_after_the_write(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let reply = app
        .gql(
            None,
            "{ __schema { types { name kind enumValues { name }
                fields(includeDeprecated: true) { name args { name type { kind name } }
                  type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }",
            json!({}),
        )
        .await;
    let types: BTreeMap<String, Value> = reply.ok()["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    let selection = every_field(&types, "SubmitComplaintPayload", 3);
    for field in [
        "downloadUrl_ORIGINAL",
        "downloadLink_REDACTED",
        "reporter",
        "timeline",
    ] {
        assert!(
            selection.contains(field),
            "{field} is selected: {selection}"
        );
    }
    let mut input = crate::intake::complaint("https://www.instagram.com/p/Every1/");
    input["files"] = json!([null, null]);
    let reply = crate::evidence::upload(
        &app,
        None,
        &format!(
            "mutation($input: SubmitComplaintInput!) {{ submitComplaint(input: $input) {{ {selection} }} }}"
        ),
        json!({ "input": input }),
        &[
            ("variables.input.files.0", "a.jpg", gps_jpeg("every")),
            ("variables.input.files.1", "b.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n".to_vec()),
        ],
    )
    .await;
    // No error at all, and the tracking code is there: no field can fail after the write.
    assert!(reply.body.get("errors").is_none(), "{}", reply.body);
    let submitted = &reply.ok()["submitComplaint"];
    assert!(submitted["trackingCode"].is_string(), "{}", reply.body);
    let files = submitted["complaint"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{}", reply.body);
    for file in files {
        // No link for a caller without a token: null from `downloadLink`, empty from the
        // deprecated `downloadUrl` (an error there would null the whole answer).
        assert!(file["downloadLink"].is_null());
        assert_eq!(file["downloadUrl"], "");
        assert_eq!(file["downloadUrl_ORIGINAL"], "");
    }
}

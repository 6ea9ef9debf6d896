//! What real client libraries (Apollo Client, Python gql, authlib, standardwebhooks, code
//! generators) run into: malformed `DateTime` values, error shapes, browsers' CORS preflights,
//! fields a caller may not have, API clients' evidence links and identity, the changes feed's
//! order, and the consistency a code generator notices.

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

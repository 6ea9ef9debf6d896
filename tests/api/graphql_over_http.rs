//! GraphQL over HTTP: content negotiation between `application/graphql-response+json` and
//! `application/json`, the status code of each kind of answer on both, queries over GET with
//! their caching, and what a request without a usable body or media type gets. (The 503 of a
//! database out of reach, on both media types, is in `outage.rs`, which can freeze a database.)

use awc::http::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp};
use laporlapak::config::Environment;

crate::on_both_backends!(
    the_response_type_follows_the_accept_header,
    graphql_response_json_answers_unexecuted_requests_400_without_data,
    json_answers_every_graphql_result_200,
    requests_without_a_usable_body_are_4xx_on_both_types,
    queries_over_get_with_public_caching_only_for_public_reads,
    mutations_over_get_are_405,
);

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The kinds of request the status rules tell apart, each with the query and variables that make it.
const PARSE_FAILURE: &str = "{ categories { code ";
const VALIDATION_FAILURE: &str = "{ categories { nosuchfield } }";
const COERCION_FAILURE: &str =
    "query($code: String!) { complaintByTrackingCode(code: $code) { status } }";
const SUCCESS: &str = "{ categories { code } }";
/// Executed, but `myComplaints` needs an account: `data` with the categories, and an error with a
/// path.
const EXECUTION_ERROR: &str = "{ categories { code } myComplaints { totalCount } }";

struct Answer {
    status: u16,
    headers: awc::http::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("")
    }

    fn has_data_entry(&self) -> bool {
        self.body.get("data").is_some()
    }

    #[track_caller]
    fn expect(&self, status: u16, media_type: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(
            self.header("content-type").starts_with(media_type),
            "content-type {:?} for {media_type}: {}",
            self.header("content-type"),
            self.body
        );
    }
}

/// Sends `method path` with these headers and, when given, this body; the answer's body is JSON
/// or, when it is not, a JSON string.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Answer {
    let client = awc::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .finish();
    let mut request = client.request(method, format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.insert_header((*name, *value));
    }
    let mut response = match body {
        Some(body) => request.send_body(body.to_owned()).await,
        None => request.send().await,
    }
    .expect("request sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.body().limit(4 * 1024 * 1024).await.expect("body");
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Answer {
        status,
        headers,
        body,
    }
}

/// `POST /graphql` with a JSON body and this `Accept` (none when `None`).
async fn post(app: &TestApp, accept: Option<&str>, query: &str, variables: Value) -> Answer {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let mut headers = vec![("Content-Type", JSON)];
    headers.extend(accept.map(|accept| ("Accept", accept)));
    send(app, Method::POST, "/graphql", &headers, Some(&body)).await
}

/// `GET /graphql?query=…` with these headers.
async fn get(app: &TestApp, headers: &[(&str, &str)], query: &str, variables: Value) -> Answer {
    let mut url = url::Url::parse("http://localhost/graphql").unwrap();
    url.query_pairs_mut().append_pair("query", query);
    if variables != json!({}) {
        url.query_pairs_mut()
            .append_pair("variables", &variables.to_string());
    }
    let path = format!("/graphql?{}", url.query().unwrap_or_default());
    send(app, Method::GET, &path, headers, None).await
}

async fn the_response_type_follows_the_accept_header(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (accept, media_type) in [
        (None, JSON),
        (Some(JSON), JSON),
        (Some("*/*"), JSON),
        (Some("application/*"), JSON),
        (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            GRAPHQL_RESPONSE,
        ),
        (
            Some("application/graphql-response+json;q=0.5, application/json"),
            JSON,
        ),
        (Some("text/html;q=0.9, */*;q=0.1"), JSON),
    ] {
        let answer = post(&app, accept, SUCCESS, json!({})).await;
        answer.expect(200, media_type);
        assert!(answer.body["data"]["categories"].is_array(), "{accept:?}");
    }
    // The newer type's content-type names its charset; the body is the same JSON.
    let answer = post(&app, Some(GRAPHQL_RESPONSE), SUCCESS, json!({})).await;
    assert_eq!(
        answer.header("content-type"),
        "application/graphql-response+json; charset=utf-8"
    );

    // Neither type acceptable: 406, with the error as JSON (what else), in the client's language.
    for accept in [
        "text/html",
        "application/xml",
        "application/json;q=0",
        "*/*;q=0",
    ] {
        let answer = send(
            &app,
            Method::POST,
            "/graphql",
            &[
                ("Content-Type", JSON),
                ("Accept", accept),
                ("Accept-Language", "en"),
            ],
            Some(&json!({ "query": SUCCESS }).to_string()),
        )
        .await;
        answer.expect(406, JSON);
        assert_eq!(answer.code(), "BAD_USER_INPUT", "{}", answer.body);
        assert_eq!(answer.body["errors"][0]["extensions"]["field"], "Accept");
        assert!(
            answer.body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("Accept header"),
            "{}",
            answer.body
        );
        assert!(!answer.has_data_entry());
    }
}

async fn graphql_response_json_answers_unexecuted_requests_400_without_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accept = Some(GRAPHQL_RESPONSE);
    for (query, variables) in [
        (PARSE_FAILURE, json!({})),
        (VALIDATION_FAILURE, json!({})),
        (COERCION_FAILURE, json!({ "code": null })),
        (COERCION_FAILURE, json!({ "code": 7 })),
        (COERCION_FAILURE, json!({})),
    ] {
        let answer = post(&app, accept, query, variables.clone()).await;
        answer.expect(400, GRAPHQL_RESPONSE);
        assert!(
            !answer.has_data_entry(),
            "{query} {variables}: {}",
            answer.body
        );
        assert_eq!(answer.code(), "BAD_USER_INPUT", "{}", answer.body);
    }
    // A required variable left out is the request's fault, named as such (async-graphql itself
    // would run the query and fail inside it).
    let answer = post(&app, accept, COERCION_FAILURE, json!({})).await;
    assert_eq!(
        answer.body["errors"][0]["extensions"]["field"],
        "variables.code"
    );
    assert_eq!(
        answer.body["errors"][0]["message"],
        "Variabel $code wajib diisi."
    );
    // Executed: 200 with a `data` entry, errors and all.
    let answer = post(&app, accept, EXECUTION_ERROR, json!({})).await;
    answer.expect(200, GRAPHQL_RESPONSE);
    assert!(
        answer.body["data"]["categories"].is_array(),
        "{}",
        answer.body
    );
    assert_eq!(answer.code(), "UNAUTHENTICATED", "{}", answer.body);
    assert_eq!(answer.body["errors"][0]["path"], json!(["myComplaints"]));
    let answer = post(&app, accept, SUCCESS, json!({})).await;
    answer.expect(200, GRAPHQL_RESPONSE);
    assert!(answer.body.get("errors").is_none());
}

async fn json_answers_every_graphql_result_200(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for accept in [None, Some(JSON)] {
        for (query, variables) in [
            (PARSE_FAILURE, json!({})),
            (VALIDATION_FAILURE, json!({})),
            (COERCION_FAILURE, json!({ "code": null })),
        ] {
            let answer = post(&app, accept, query, variables).await;
            answer.expect(200, JSON);
            assert_eq!(answer.code(), "BAD_USER_INPUT", "{}", answer.body);
            // Not executed: no `data` entry here either (the GraphQL spec's rule for errors
            // raised before execution).
            assert!(!answer.has_data_entry(), "{query}: {}", answer.body);
        }
        let answer = post(&app, accept, EXECUTION_ERROR, json!({})).await;
        answer.expect(200, JSON);
        assert!(answer.has_data_entry());
        assert_eq!(answer.code(), "UNAUTHENTICATED");
        post(&app, accept, SUCCESS, json!({}))
            .await
            .expect(200, JSON);
    }
}

async fn requests_without_a_usable_body_are_4xx_on_both_types(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let query = json!({ "query": SUCCESS }).to_string();
    for (accept, media_type) in [(JSON, JSON), (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE)] {
        // No Content-Type at all: 415 with its own message, in the client's language.
        let answer = send(
            &app,
            Method::POST,
            "/graphql",
            &[("Accept", accept), ("Accept-Language", "en")],
            Some(&query),
        )
        .await;
        answer.expect(415, media_type);
        assert_eq!(answer.code(), "BAD_USER_INPUT");
        assert_eq!(
            answer.body["errors"][0]["extensions"]["field"],
            "Content-Type"
        );
        assert_eq!(
            answer.body["errors"][0]["message"],
            "The request has no Content-Type. Send JSON with Content-Type: application/json."
        );
        assert!(!answer.has_data_entry());
        let answer = send(
            &app,
            Method::POST,
            "/graphql",
            &[("Accept", accept)],
            Some(&query),
        )
        .await;
        answer.expect(415, media_type);
        assert!(
            answer.body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("tanpa Content-Type"),
            "Indonesian by default: {}",
            answer.body
        );
        // Another type: 415 too.
        let answer = send(
            &app,
            Method::POST,
            "/graphql",
            &[("Accept", accept), ("Content-Type", "text/plain")],
            Some(&query),
        )
        .await;
        answer.expect(415, media_type);

        // Bodies that are not one GraphQL request: 400 on both types.
        for body in [
            None,
            Some("{ \"not a JSON"),
            Some("[]"),
            Some(r#"{"qeury": "{ __typename }"}"#),
            Some(r#"{"query": 0}"#),
            Some(r#"{"query": "{ __typename }", "operationName": 0}"#),
            Some(r#"{"query": "{ __typename }", "variables": "string"}"#),
            Some(r#"{"query": "{ __typename }", "variables": ["array"]}"#),
            Some(r#"{"query": "{ __typename }", "extensions": false}"#),
        ] {
            let answer = send(
                &app,
                Method::POST,
                "/graphql",
                &[("Accept", accept), ("Content-Type", JSON)],
                body,
            )
            .await;
            answer.expect(400, media_type);
            assert_eq!(answer.code(), "BAD_USER_INPUT", "{body:?}");
            assert!(!answer.has_data_entry());
        }
        // Null parameters are as good as absent.
        let answer = send(
            &app,
            Method::POST,
            "/graphql",
            &[("Accept", accept), ("Content-Type", JSON)],
            Some(r#"{"query": "{ __typename }", "operationName": null, "variables": null, "extensions": null}"#),
        )
        .await;
        answer.expect(200, media_type);
        assert_eq!(answer.body["data"]["__typename"], "QueryRoot");

        // A bad token: 401 on both types.
        let answer = send(
            &app,
            Method::POST,
            "/graphql",
            &[
                ("Accept", accept),
                ("Content-Type", JSON),
                ("Authorization", "Bearer not-a-token"),
            ],
            Some(&query),
        )
        .await;
        answer.expect(401, media_type);
        assert_eq!(answer.code(), "UNAUTHENTICATED");
    }
}

async fn queries_over_get_with_public_caching_only_for_public_reads(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Public reference data, anonymously: cacheable by anyone for a minute.
    let public = "{ categories { code } platforms { slug } transparencyReport { platforms { requestsIssued } } }";
    for (accept, media_type) in [(JSON, JSON), (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE)] {
        let answer = get(&app, &[("Accept", accept)], public, json!({})).await;
        answer.expect(200, media_type);
        assert!(
            answer.body["data"]["platforms"].is_array(),
            "{}",
            answer.body
        );
        assert_eq!(answer.header("cache-control"), "public, max-age=60");
        assert!(answer.header("vary").contains("Accept-Language"));
    }
    // Variables in the URL, as JSON.
    let answer = get(
        &app,
        &[],
        "query($code: String!) { complaintByTrackingCode(code: $code) { status } }",
        json!({ "code": "NOPE-NOPE-NOPE" }),
    )
    .await;
    answer.expect(200, JSON);
    assert!(answer.body["data"]["complaintByTrackingCode"].is_null());
    assert_eq!(
        answer.header("cache-control"),
        "private, no-store",
        "not public reference data"
    );

    // Signed in: never cached publicly, even for public fields.
    let token = app.register("get@mail.id").await;
    let bearer = format!("Bearer {token}");
    let answer = get(&app, &[("Authorization", &bearer)], public, json!({})).await;
    answer.expect(200, JSON);
    assert_eq!(answer.header("cache-control"), "private, no-store");
    let answer = get(
        &app,
        &[("Authorization", &bearer)],
        "{ me { email } }",
        json!({}),
    )
    .await;
    assert_eq!(answer.body["data"]["me"]["email"], "get@mail.id");
    assert_eq!(answer.header("cache-control"), "private, no-store");
    // A public field beside a private one, through a fragment, or with errors: not public.
    for query in [
        "{ categories { code } me { email } }",
        "{ ...F } fragment F on QueryRoot { categories { code } }",
        EXECUTION_ERROR,
    ] {
        let answer = get(&app, &[], query, json!({})).await;
        answer.expect(200, JSON);
        assert_eq!(
            answer.header("cache-control"),
            "private, no-store",
            "{query}"
        );
    }
    // The status rules are those of POST.
    let answer = get(
        &app,
        &[("Accept", GRAPHQL_RESPONSE)],
        PARSE_FAILURE,
        json!({}),
    )
    .await;
    answer.expect(400, GRAPHQL_RESPONSE);
    assert!(!answer.has_data_entry());
    assert_eq!(answer.header("cache-control"), "private, no-store");
    let answer = get(&app, &[("Accept", JSON)], VALIDATION_FAILURE, json!({})).await;
    answer.expect(200, JSON);
    assert_eq!(answer.code(), "BAD_USER_INPUT");
    let answer = get(&app, &[("Accept", "text/csv")], SUCCESS, json!({})).await;
    answer.expect(406, JSON);

    // No query: a 400 for an API client; the IDE only for a browser, only in development.
    for path in [
        "/graphql",
        "/graphql?variables=%7B%7D",
        "/graphql?query=a&query=b",
    ] {
        let answer = send(&app, Method::GET, path, &[("Accept", JSON)], None).await;
        answer.expect(400, JSON);
        assert_eq!(answer.code(), "BAD_USER_INPUT", "{path}");
    }
    let answer = send(
        &app,
        Method::GET,
        "/graphql",
        &[("Accept", "text/html")],
        None,
    )
    .await;
    answer.expect(200, "text/html");
    drop(app);
    let production = TestApp::spawn_with(backend, Environment::Production).await;
    let answer = send(
        &production,
        Method::GET,
        "/graphql",
        &[("Accept", "text/html,*/*;q=0.8")],
        None,
    )
    .await;
    answer.expect(400, JSON);
    let answer = get(&production, &[], public, json!({})).await;
    answer.expect(200, JSON);
    assert_eq!(answer.header("cache-control"), "public, max-age=60");
}

async fn mutations_over_get_are_405(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let register = r#"mutation { register(input: { email: "lewat@get.id", password: "kopi susu gula aren", displayName: "Get" }) { token } }"#;
    for (accept, media_type) in [(JSON, JSON), (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE)] {
        for query in [
            register.to_owned(),
            format!(
                "query A {{ __typename }} {}",
                register.replacen("mutation", "mutation B", 1)
            ),
        ] {
            let mut url = url::Url::parse("http://localhost/graphql").unwrap();
            url.query_pairs_mut().append_pair("query", &query);
            if query.starts_with("query A") {
                url.query_pairs_mut().append_pair("operationName", "B");
            }
            let path = format!("/graphql?{}", url.query().unwrap());
            let answer = send(&app, Method::GET, &path, &[("Accept", accept)], None).await;
            answer.expect(405, media_type);
            assert_eq!(answer.header("allow"), "POST");
            assert_eq!(answer.code(), "BAD_USER_INPUT");
            assert!(!answer.has_data_entry());
        }
    }
    // Nothing was registered.
    app.login("lewat@get.id", "kopi susu gula aren")
        .await
        .expect_code("UNAUTHENTICATED");
}

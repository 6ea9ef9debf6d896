//! The HTTP surface: health and readiness, GraphiQL only in development, request limits and codes
//! on errors that async-graphql raises itself.

use serde_json::json;

use crate::helpers::{Backend, TestApp};
use laporlapak::config::Environment;

crate::on_both_backends!(
    health_and_readiness,
    graphiql_and_introspection_only_in_development,
    malformed_requests_get_codes_not_500s,
    public_reference_data,
);

async fn health_and_readiness(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(app.get("/healthz").await, (200, "ok".to_owned()));
    assert_eq!(app.get("/readyz").await, (200, "ready".to_owned()));
    let (status, metrics) = app.get("/metrics").await;
    assert_eq!(status, 200);
    assert!(metrics.contains("laporlapak_db_ready 1"), "{metrics}");
    let served: u64 = metrics
        .lines()
        .find_map(|line| line.strip_prefix("laporlapak_http_responses_total{class=\"2xx\"} "))
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(served >= 2, "healthz and readyz were counted: {metrics}");
}

async fn graphiql_and_introspection_only_in_development(backend: Backend) {
    let development = TestApp::spawn(backend).await;
    let (status, page) = development.get("/graphql").await;
    assert_eq!(status, 200);
    assert!(page.contains("graphiql"), "GraphiQL page expected");
    let introspection = "{ __schema { queryType { name } } }";
    let reply = development.gql(None, introspection, json!({})).await;
    assert_eq!(reply.ok()["__schema"]["queryType"]["name"], "QueryRoot");
    drop(development);

    let production = TestApp::spawn_with(backend, Environment::Production).await;
    let (status, _) = production.get("/graphql").await;
    assert!(
        status == 404 || status == 405,
        "GET /graphql answered {status}"
    );
    let reply = production.gql(None, introspection, json!({})).await;
    assert!(reply.body.get("errors").is_some() || reply.data()["__schema"].is_null());
    // Field suggestions are off: a typo does not reveal the real field name.
    let reply = production
        .gql(None, "{ categoriez { code } }", json!({}))
        .await;
    reply.expect_code("BAD_USER_INPUT");
    assert!(
        !reply.message().contains("categories"),
        "{}",
        reply.message()
    );
}

async fn malformed_requests_get_codes_not_500s(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for body in [
        "not json",
        "[]",
        r#"[{"query":"{ me { email } }"}]"#,
        r#"{"variables":{}}"#,
    ] {
        let reply = app.post_raw(&[], body.to_owned()).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.body);
        reply.expect_code("BAD_USER_INPUT");
    }
    // Syntax and validation errors from the GraphQL engine carry a code too.
    for query in [
        "{ me { email ",
        "{ nosuchfield }",
        "{ categories { code(x: 1) } }",
    ] {
        let reply = app.gql(None, query, json!({})).await;
        assert_eq!(reply.status, 200);
        reply.expect_code("BAD_USER_INPUT");
    }
    // A deeply nested query is refused before it runs.
    let deep = format!(
        "{{ {}__typename{} }}",
        "me { platform { ".repeat(8),
        " } }".repeat(8)
    );
    let reply = app.gql(None, &deep, json!({})).await;
    assert!(reply.body.get("errors").is_some(), "{}", reply.body);
}

async fn public_reference_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reply = app
        .gql(
            None,
            "{ platforms { slug name hosts responseHours urgentResponseHours } categories { code labelId labelEn legalBasis severity } }",
            json!({}),
        )
        .await;
    let data = reply.ok();
    let platforms = data["platforms"].as_array().unwrap();
    let slugs: Vec<&str> = platforms
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    for slug in [
        "instagram",
        "tiktok",
        "facebook",
        "shopee",
        "tokopedia",
        "lazada",
        "bukalapak",
        "google",
        "x",
    ] {
        assert!(slugs.contains(&slug), "{slug} missing");
    }
    for platform in platforms {
        assert_eq!(platform["responseHours"], 24);
        assert_eq!(platform["urgentResponseHours"], 4);
        assert!(!platform["hosts"].as_array().unwrap().is_empty());
    }
    let categories = data["categories"].as_array().unwrap();
    assert!(categories.len() >= 10);
    for category in categories {
        for field in ["labelId", "labelEn", "legalBasis"] {
            assert!(!category[field].as_str().unwrap().is_empty());
        }
    }
}

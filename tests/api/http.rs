//! The HTTP surface: health and readiness, GraphiQL only in development and served from the binary
//! itself, request limits and codes on errors that async-graphql raises itself.

use serde_json::json;

use crate::helpers::{Backend, TestApp};
use laporlapak::config::Environment;

/// What GraphiQL sends to learn the schema.
const STANDARD_INTROSPECTION: &str = include_str!("standard_introspection.graphql");

crate::on_both_backends!(
    health_and_readiness,
    graphiql_and_introspection_only_in_development,
    the_ide_is_served_from_the_binary,
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
    // The standard introspection query of IDEs (deeper than the API's depth limit) is answered,
    // descriptions and all; the API's own fields stay out of reach beside it.
    let reply = development
        .gql(None, STANDARD_INTROSPECTION, json!({}))
        .await;
    let types = reply.ok()["__schema"]["types"].as_array().unwrap().clone();
    let query_root = types.iter().find(|t| t["name"] == "QueryRoot").unwrap();
    let categories = query_root["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "categories")
        .unwrap();
    let description = categories["description"].as_str().unwrap_or_default();
    assert!(
        description.contains("categories"),
        "described: {description:?}"
    );
    let deep_data = format!(
        "{{ __schema {{ queryType {{ name }} }} {}__typename{} }}",
        "me { platform { ".repeat(8),
        " } }".repeat(8)
    );
    let reply = development.gql(None, &deep_data, json!({})).await;
    reply.expect_code("BAD_USER_INPUT");
    drop(development);

    let production = TestApp::spawn_with(backend, Environment::Production).await;
    // No IDE: a GET without a query is a GraphQL request without one.
    let (status, body) = production.get("/graphql").await;
    assert_eq!(status, 400, "GET /graphql answered {status}");
    assert!(!body.contains("graphiql"), "{body}");
    let reply = production.gql(None, introspection, json!({})).await;
    assert!(reply.body.get("errors").is_some() || reply.data()["__schema"].is_null());
    let reply = production
        .gql(None, STANDARD_INTROSPECTION, json!({}))
        .await;
    assert!(reply.data()["__schema"].is_null(), "{}", reply.body);
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

async fn the_ide_is_served_from_the_binary(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let page = app.get_reply("/graphql").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert_eq!(page.header("cache-control"), "no-store");
    let policy = page.header("content-security-policy").to_owned();
    assert!(
        policy.starts_with("default-src 'self'; script-src 'self';"),
        "{policy}"
    );
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    for word in policy.split([' ', ';']) {
        assert!(
            !word.contains("://")
                && !word.contains('*')
                && word != "'unsafe-inline'"
                && word != "'unsafe-eval'",
            "only this server (and data: fonts and images): {policy}"
        );
    }
    let html = page.body.as_str().unwrap().to_owned();
    assert!(html.contains("login(email"), "the page says how to sign in");
    // Every script and stylesheet comes from this server, with a content hash in its path.
    let assets: Vec<&str> = html
        .split(['"', '\''])
        .filter(|part| part.starts_with("/graphiql/assets/"))
        .collect();
    assert!(assets.len() >= 6, "{html}");
    for (kind, expected) in [
        ("graphiql.min.js", "text/javascript"),
        ("react.production.min.js", "text/javascript"),
        ("react-dom.production.min.js", "text/javascript"),
        ("laporlapak-graphiql.js", "text/javascript"),
        ("graphiql.min.css", "text/css"),
        ("laporlapak-graphiql.css", "text/css"),
    ] {
        let path = assets
            .iter()
            .find(|path| path.ends_with(kind))
            .unwrap_or_else(|| panic!("{kind}: {html}"));
        let asset = app.get_reply(path).await;
        assert!(asset.header("content-type").starts_with(expected), "{path}");
    }
    for path in &assets {
        let asset = app.get_reply(path).await;
        assert_eq!(asset.status, 200, "{path}");
        assert_eq!(
            asset.header("cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert_eq!(asset.header("x-content-type-options"), "nosniff");
        let body = asset.body.as_str().unwrap();
        assert!(!body.is_empty(), "{path}");
        if path.ends_with(".js") || path.ends_with(".css") {
            assert!(
                !body.contains("unpkg.com") && !body.contains("fonts.googleapis"),
                "{path}"
            );
        }
    }
    // Another version of an asset (an old page after a new build) is not served stale.
    let stale = assets[0].replacen("/graphiql/assets/", "/graphiql/assets/0000", 1);
    assert_eq!(app.get_reply(&stale).await.status, 404);
    drop(app);

    let production = TestApp::spawn_with(backend, Environment::Production).await;
    for path in &assets {
        assert_eq!(production.get_reply(path).await.status, 404, "{path}");
    }
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

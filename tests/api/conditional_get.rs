//! Conditional GETs: public answers carry an `ETag`, and `If-None-Match` with it answers `304 Not
//! Modified` with no body; private answers carry none.

use crate::helpers::{Backend, TestApp};

/// A public GraphQL read over GET (cacheable: `Cache-Control: public`).
const PUBLIC_QUERY: &str = "/graphql?query=%7B%20categories%20%7B%20code%20%7D%20%7D";
/// The public register over GET: public too.
const REGISTER_QUERY: &str = "/graphql?query=%7B%20takedownRegister%20%7B%20totalCount%20%7D%20%7D";
const OTHER_PUBLIC_QUERY: &str = "/graphql?query=%7B%20platforms%20%7B%20slug%20%7D%20%7D";

struct Answer {
    status: u16,
    etag: Option<String>,
    cache_control: Option<String>,
    body: Vec<u8>,
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Answer {
    let client = awc::Client::default();
    let mut request = client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.insert_header((*name, *value));
    }
    let mut response = request.send().await.expect("request sent");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (etag, cache_control) = (header("etag"), header("cache-control"));
    let status = response.status().as_u16();
    let body = response.body().limit(16 * 1024 * 1024).await.expect("body");
    Answer {
        status,
        etag,
        cache_control,
        body: body.to_vec(),
    }
}

crate::on_both_backends!(
    public_answers_revalidate_with_their_etag,
    private_answers_carry_no_etag,
);

async fn public_answers_revalidate_with_their_etag(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in [
        "/transparency",
        "/transparency.csv",
        "/register",
        PUBLIC_QUERY,
        REGISTER_QUERY,
    ] {
        let first = get(&app, path, &[]).await;
        assert_eq!(first.status, 200, "{path}");
        assert!(!first.body.is_empty(), "{path}");
        let tag = first
            .etag
            .clone()
            .unwrap_or_else(|| panic!("{path}: no ETag"));
        assert!(tag.starts_with('"') && tag.ends_with('"'), "{path}: {tag}");

        // The same answer again: the same tag.
        assert_eq!(
            get(&app, path, &[]).await.etag.as_deref(),
            Some(tag.as_str())
        );

        // Revalidation: 304, no body, the tag and the caching rule repeated.
        let again = get(&app, path, &[("If-None-Match", &tag)]).await;
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty(), "{path}: a 304 has no body");
        assert_eq!(again.etag.as_deref(), Some(tag.as_str()), "{path}");
        assert_eq!(again.cache_control, first.cache_control, "{path}");

        // A weak form of the tag, or the tag in a list, matches too (RFC 9110's weak comparison).
        let listed = format!("\"something-else\", W/{tag}");
        assert_eq!(
            get(&app, path, &[("If-None-Match", &listed)]).await.status,
            304
        );

        // A stale tag gets the whole answer.
        let stale = get(&app, path, &[("If-None-Match", "\"stale\"")]).await;
        assert_eq!(stale.status, 200, "{path}");
        assert_eq!(stale.body, first.body, "{path}");
    }
    // Different answers, different tags.
    let categories = get(&app, PUBLIC_QUERY, &[]).await.etag;
    let platforms = get(&app, OTHER_PUBLIC_QUERY, &[]).await.etag;
    assert!(categories.is_some() && platforms.is_some());
    assert_ne!(categories, platforms);
}

async fn private_answers_carry_no_etag(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.register("etag@mail.id").await;
    let bearer = format!("Bearer {token}");
    // Signed in, the same public query is private: no tag, and If-None-Match changes nothing.
    let signed_in = get(&app, PUBLIC_QUERY, &[("Authorization", &bearer)]).await;
    assert_eq!(signed_in.status, 200);
    assert_eq!(
        signed_in.cache_control.as_deref(),
        Some("private, no-store")
    );
    assert_eq!(signed_in.etag, None);
    let public_tag = get(&app, PUBLIC_QUERY, &[])
        .await
        .etag
        .expect("a public tag");
    let revalidated = get(
        &app,
        PUBLIC_QUERY,
        &[("Authorization", &bearer), ("If-None-Match", &public_tag)],
    )
    .await;
    assert_eq!(revalidated.status, 200, "a private answer is never a 304");
    assert!(!revalidated.body.is_empty());
    // Health and readiness are not cacheable answers either.
    assert_eq!(get(&app, "/healthz", &[]).await.etag, None);
}

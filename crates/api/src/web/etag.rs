//! Conditional GETs for public answers. A `200` to a `GET` marked `Cache-Control: public` (a
//! public GraphQL query over GET, the transparency page and its CSV) carries a strong `ETag`, the
//! SHA-256 of its body; a request whose `If-None-Match` names it is answered `304 Not Modified`
//! with no body (RFC 9110 §13.1.2, §15.4.5), keeping the headers a cache needs. Private and
//! `no-store` answers are left alone, and so are bodies that are streamed (compressed IDE files,
//! which are immutable anyway) or larger than [`MAX_TAGGED_BYTES`].

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, HttpResponseBuilder};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest as _, Sha256};

/// Bodies larger than this are answered without an `ETag` (they are never that large today).
pub const MAX_TAGGED_BYTES: u64 = 4 * 1024 * 1024;

/// Headers a `304` repeats from the `200` it stands for.
const KEPT_ON_304: [header::HeaderName; 5] = [
    header::CACHE_CONTROL,
    header::CONTENT_LOCATION,
    header::EXPIRES,
    header::VARY,
    header::CONTENT_LANGUAGE,
];

pub async fn conditional(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let is_get = request.method() == Method::GET;
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.call(request).await?.map_into_boxed_body();
    let taggable = is_get
        && response.status() == StatusCode::OK
        && is_public(response.headers())
        && !response.headers().contains_key(header::ETAG)
        && matches!(response.response().body().size(), BodySize::Sized(n) if n <= MAX_TAGGED_BYTES);
    if !taggable {
        return Ok(response);
    }
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let Ok(bytes) = actix_web::body::to_bytes(body).await else {
        // An in-memory body does not fail; if it did, the request ends as a broken response.
        return Ok(ServiceResponse::new(
            request,
            HttpResponse::InternalServerError().finish(),
        ));
    };
    let tag = entity_tag(&bytes);
    let not_modified = if_none_match
        .as_ref()
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| matches_any(value, &tag));
    let response = if not_modified {
        let mut builder = HttpResponseBuilder::new(StatusCode::NOT_MODIFIED);
        for name in KEPT_ON_304 {
            for value in head.headers().get_all(&name) {
                builder.append_header((name.clone(), value.clone()));
            }
        }
        builder.insert_header((header::ETAG, tag));
        builder.finish()
    } else {
        let mut response = head.set_body(BoxBody::new(bytes));
        if let Ok(value) = HeaderValue::from_str(&tag) {
            response.headers_mut().insert(header::ETAG, value);
        }
        response
    };
    Ok(ServiceResponse::new(request, response))
}

fn is_public(headers: &HeaderMap) -> bool {
    headers
        .get(header::CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            let directives = || value.split(',').map(|d| d.trim().to_ascii_lowercase());
            directives().any(|d| d == "public")
                && !directives().any(|d| d == "no-store" || d == "private")
        })
}

/// A strong validator: the body's SHA-256, quoted.
fn entity_tag(body: &[u8]) -> String {
    format!("\"{}\"", URL_SAFE_NO_PAD.encode(Sha256::digest(body)))
}

/// `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"`; `*` matches any current answer.
fn matches_any(if_none_match: &str, tag: &str) -> bool {
    if_none_match.trim() == "*"
        || if_none_match
            .split(',')
            .map(|candidate| candidate.trim())
            .map(|candidate| candidate.strip_prefix("W/").unwrap_or(candidate))
            .any(|candidate| candidate == tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_is_compared_weakly_and_as_a_list() {
        let tag = entity_tag(b"hello");
        assert!(matches_any(&tag, &tag));
        assert!(matches_any(&format!("W/{tag}"), &tag));
        assert!(matches_any(&format!("\"other\", {tag}"), &tag));
        assert!(matches_any("*", &tag));
        assert!(!matches_any("\"other\"", &tag));
        assert!(!matches_any("", &tag));
        assert_ne!(entity_tag(b"hello"), entity_tag(b"hello!"));
    }

    #[test]
    fn only_public_answers_are_tagged() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
            is_public(&headers)
        };
        assert!(with("public, max-age=60"));
        assert!(!with("private, no-store"));
        assert!(!with("public, no-store"));
        assert!(!with("no-store"));
        assert!(!is_public(&HeaderMap::new()));
    }
}

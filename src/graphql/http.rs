//! `POST /graphql` and `GET /graphql` (GraphiQL, development only).
//!
//! The body is read here with a hard size cap before any parsing (async-graphql-actix-web's
//! extractors read whole bodies regardless of `JsonConfig`), batches are not accepted, and the
//! caller is identified once: a request with a bad or expired token, or a token of a disabled
//! account, is answered 401 UNAUTHENTICATED as a whole rather than quietly run anonymously.

use std::net::IpAddr;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::GraphiQLSource;
use async_graphql::{ErrorExtensions as _, ServerError};

use crate::error::{ServiceError, UNAVAILABLE_RETRY_AFTER_SECONDS};
use crate::graphql::AppSchema;
use crate::graphql::error::{REQUEST_LANG, to_graphql_error};
use crate::i18n::{Lang, Msg};
use crate::service::limits::ClientAddress;
use crate::service::viewer::Viewer;
use crate::service::{Services, account};

/// Largest request body accepted. The biggest legitimate mutation (a complaint with a 5,000
/// character description and ten 2,048-character evidence URLs) is well under half of this.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How the client's address is found behind reverse proxies (set by the operator).
#[derive(Debug, Clone, Default)]
pub struct ProxyTrust {
    /// Whether `X-Forwarded-For` is read at all.
    pub enabled: bool,
    /// The proxies whose hops are skipped.
    pub proxies: Vec<ipnet::IpNet>,
}

impl ProxyTrust {
    fn is_proxy(&self, ip: IpAddr) -> bool {
        self.proxies.iter().any(|net| net.contains(&ip))
    }

    /// The client: walking back from the connected peer through `X-Forwarded-For`, the first
    /// address that is not a trusted proxy. The client writes the left of that header itself, so
    /// only hops appended by trusted proxies are believed; a peer that is not a trusted proxy is
    /// the client whatever the header says.
    pub fn client(&self, peer: Option<IpAddr>, forwarded: &[&str]) -> Option<IpAddr> {
        let peer = peer?;
        if !self.enabled || !self.is_proxy(peer) {
            return Some(peer);
        }
        let mut client = peer;
        for hop in forwarded.iter().flat_map(|v| v.split(',')).rev() {
            let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                break;
            };
            client = ip;
            if !self.is_proxy(ip) {
                break;
            }
        }
        Some(client)
    }
}

fn client_address(request: &HttpRequest) -> ClientAddress {
    let peer = request.peer_addr().map(|addr| addr.ip());
    let forwarded: Vec<&str> = request
        .headers()
        .get_all(header::HeaderName::from_static("x-forwarded-for"))
        .filter_map(|v| v.to_str().ok())
        .collect();
    match request.app_data::<web::Data<ProxyTrust>>() {
        Some(trust) => ClientAddress(trust.client(peer, &forwarded)),
        None => ClientAddress(peer),
    }
}

/// Only JSON is executed. A browser sends `text/plain`, form and multipart bodies cross-site
/// without asking, so accepting them would let any web page register accounts and submit
/// complaints from its visitors' addresses; JSON from another origin needs a CORS preflight,
/// which only the configured origins pass.
fn is_json(headers: &HeaderMap) -> bool {
    header_str(headers, header::CONTENT_TYPE)
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

pub async fn graphql_post(
    schema: web::Data<AppSchema>,
    services: web::Data<Services>,
    request: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let lang = Lang::from_accept_language(header_str(request.headers(), header::ACCEPT_LANGUAGE));
    if !is_json(request.headers()) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &ServiceError::bad_input("Content-Type", Msg::JsonOnly),
            lang,
        );
    }

    let body = match payload.to_bytes_limited(MAX_BODY_BYTES).await {
        Ok(Ok(body)) => body,
        Err(_limit_exceeded) => {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &ServiceError::bad_input(
                    "body",
                    Msg::BodyTooLarge {
                        max_bytes: MAX_BODY_BYTES,
                    },
                ),
                lang,
            );
        }
        Ok(Err(_stream_error)) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                &ServiceError::bad_input("body", Msg::MalformedRequest),
                lang,
            );
        }
    };

    let viewer = match viewer_for(&services, request.headers()).await {
        Ok(viewer) => viewer,
        // The database could not check the account: not the token's fault.
        Err(error @ ServiceError::Unavailable { .. }) => {
            return error_response(StatusCode::SERVICE_UNAVAILABLE, &error, lang);
        }
        Err(error) => {
            let mut response = error_response(StatusCode::UNAUTHORIZED, &error, lang);
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
            return response;
        }
    };

    let graphql_request = match parse_request(&body) {
        Some(request) => request,
        None => {
            return error_response(
                StatusCode::BAD_REQUEST,
                &ServiceError::bad_input("body", Msg::MalformedRequest),
                lang,
            );
        }
    };

    let graphql_request = graphql_request.data(viewer).data(client_address(&request));
    let mut response = REQUEST_LANG
        .scope(lang, schema.execute(graphql_request))
        .await;
    for error in &mut response.errors {
        give_code(error, lang);
    }
    // The database out of reach: 503, so that load balancers and clients back off and retry.
    let unavailable = async_graphql::Value::from("UNAVAILABLE");
    let status = if response
        .errors
        .iter()
        .any(|e| code_of(e) == Some(&unavailable))
    {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    with_retry_after(
        HttpResponse::build(status)
            .content_type("application/json")
            .json(&response),
    )
}

/// An error's `extensions.code`, if it has one.
fn code_of(error: &ServerError) -> Option<&async_graphql::Value> {
    error.extensions.as_ref().and_then(|ext| ext.get("code"))
}

/// A 503 tells when to retry in `Retry-After` too.
fn with_retry_after(mut response: HttpResponse) -> HttpResponse {
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            header::HeaderValue::from(UNAVAILABLE_RETRY_AFTER_SECONDS),
        );
    }
    response
}

/// Every error leaves with a code. One without a code came from async-graphql itself: before
/// execution (no path: the document does not parse or validate, a variable does not coerce) it is
/// the client's — BAD_USER_INPUT; during execution (with a path) nothing of ours produced it, so it
/// is logged and answered as INTERNAL, its text withheld.
fn give_code(error: &mut ServerError, lang: Lang) {
    if code_of(error).is_some() {
        return;
    }
    let code = if error.path.is_empty() {
        "BAD_USER_INPUT"
    } else {
        tracing::error!(message = %error.message, path = ?error.path, "error without a code");
        error.message = Msg::Internal.text(lang).into_owned();
        "INTERNAL"
    };
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
}

/// One GraphQL request as a JSON object with a string `query` (batches are not accepted).
fn parse_request(body: &[u8]) -> Option<async_graphql::Request> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    if !value.get("query").is_some_and(serde_json::Value::is_string) {
        return None;
    }
    serde_json::from_value(value).ok()
}

async fn viewer_for(services: &Services, headers: &HeaderMap) -> Result<Viewer, ServiceError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Viewer::Anonymous);
    };
    // The scheme is case-insensitive (RFC 9110 §11.1): `bearer`, `BEARER` and `Bearer` are one.
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|t| !t.is_empty())
        .ok_or(ServiceError::InvalidToken)?;
    account::viewer_from_token(services, token).await
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn error_response(status: StatusCode, error: &ServiceError, lang: Lang) -> HttpResponse {
    let error = to_graphql_error(error, lang);
    let server_error: ServerError = error.extend().into_server_error(Default::default());
    let response = async_graphql::Response::from_errors(vec![server_error]);
    with_retry_after(
        HttpResponse::build(status)
            .content_type("application/json")
            .json(&response),
    )
}

/// GraphiQL (development only). It loads its scripts from a CDN, so it cannot live under the API's
/// "load nothing" policy; it may still never be framed.
pub async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "frame-ancestors 'none'; base-uri 'none'",
        ))
        .body(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .title("laporlapak GraphQL")
                .finish(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn the_client_is_the_right_most_hop_that_is_not_a_trusted_proxy() {
        let trust = ProxyTrust {
            enabled: true,
            proxies: crate::config::default_trusted_proxies(),
        };
        let proxy = Some(ip("10.0.0.2"));
        let client = |hops: &[&str]| trust.client(proxy, hops);
        assert_eq!(client(&["203.0.113.9"]), Some(ip("203.0.113.9")));
        assert_eq!(client(&["1.1.1.1, 203.0.113.9"]), Some(ip("203.0.113.9")));
        assert_eq!(
            client(&["1.1.1.1", "203.0.113.9, 10.0.0.7"]),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(client(&["garbage, 203.0.113.9"]), Some(ip("203.0.113.9")));
        assert_eq!(client(&[]), proxy, "no header: the proxy itself");
        // A peer that is not a proxy is the client, whatever it claims.
        assert_eq!(
            trust.client(Some(ip("198.51.100.1")), &["203.0.113.9"]),
            Some(ip("198.51.100.1"))
        );
        let off = ProxyTrust::default();
        assert_eq!(off.client(proxy, &["203.0.113.9"]), proxy);
    }
}

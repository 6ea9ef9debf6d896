//! `POST /oauth/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). The client
//! authenticates with HTTP Basic (preferred) or with `client_id` and `client_secret` in the form
//! body (§2.3.1), never both; the answer is `{access_token, token_type, expires_in}` or one of the
//! RFC's JSON errors (§5.2), never cached.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::web::client::client_address;
use laporlapak_service::Services;
use laporlapak_service::api_client::{self, GrantError};

/// The form of a token request (at most a few hundred bytes; the form extractor's limit applies).
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

#[derive(Serialize)]
struct TokenAnswer<'a> {
    access_token: &'a str,
    token_type: &'static str,
    expires_in: i64,
}

#[derive(Serialize)]
struct ErrorAnswer {
    error: &'static str,
    error_description: &'static str,
}

fn error(
    status: actix_web::http::StatusCode,
    code: &'static str,
    description: &'static str,
    basic: bool,
) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"));
    if basic {
        response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"laporlapak\""));
    }
    response.json(ErrorAnswer {
        error: code,
        error_description: description,
    })
}

/// The client id and secret of an `Authorization: Basic` header (each form-urlencoded first, as
/// RFC 6749 §2.3.1 says).
fn basic_credentials(request: &HttpRequest) -> Option<Option<(String, String)>> {
    let value = request.headers().get(header::AUTHORIZATION)?;
    let parsed = (|| {
        let text = value.to_str().ok()?;
        let (scheme, encoded) = text.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
        let (id, secret) = decoded.split_once(':')?;
        let unescape = |part: &str| {
            percent_encoding::percent_decode_str(&part.replace('+', " "))
                .decode_utf8()
                .ok()
                .map(|s| s.into_owned())
        };
        Some((unescape(id)?, unescape(secret)?))
    })();
    Some(parsed)
}

pub async fn token(
    request: HttpRequest,
    form: Result<web::Form<TokenForm>, actix_web::Error>,
    services: web::Data<Services>,
) -> HttpResponse {
    use actix_web::http::StatusCode;
    let Ok(web::Form(form)) = form else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The body must be an application/x-www-form-urlencoded form.",
            false,
        );
    };
    let basic = basic_credentials(&request);
    let used_basic = basic.is_some();
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only grant_type=client_credentials is supported.",
                false,
            );
        }
        None => {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is required.",
                false,
            );
        }
    }
    let credentials = match (basic, form.client_id, form.client_secret) {
        (Some(Some(pair)), None, None) => pair,
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Authenticate with HTTP Basic or with the form, not both.",
                false,
            );
        }
        (None, Some(id), Some(secret)) => (id, secret),
        (Some(None), None, None) | (None, _, _) => {
            return error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Client authentication failed.",
                used_basic,
            );
        }
    };
    let address = client_address(&request);
    match api_client::grant(&services, address, &credentials.0, &credentials.1).await {
        Ok(grant) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"))
            .json(TokenAnswer {
                access_token: &grant.access_token,
                token_type: "Bearer",
                expires_in: grant.expires_in,
            }),
        Err(GrantError::InvalidClient) => error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
            used_basic,
        ),
        Err(GrantError::RateLimited { retry_after }) => {
            let mut response = error(
                StatusCode::TOO_MANY_REQUESTS,
                "slow_down",
                "Too many token requests; retry after the time in Retry-After.",
                false,
            );
            if let Ok(value) = header::HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Err(GrantError::Service(service_error)) => {
            tracing::warn!(error = ?service_error, "the token endpoint failed");
            let unavailable = matches!(
                service_error,
                laporlapak_service::error::ServiceError::Unavailable { .. }
            );
            error(
                if unavailable {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::INTERNAL_SERVER_ERROR
                },
                if unavailable {
                    "temporarily_unavailable"
                } else {
                    "server_error"
                },
                "The token could not be issued just now; try again.",
                false,
            )
        }
    }
}

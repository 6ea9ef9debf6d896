//! Plain HTTP endpoints beside the GraphQL API: the public transparency page and its CSV, the
//! operators' `/metrics`, the GraphQL IDE of development servers; and the security headers every
//! response carries. Like the
//! GraphQL layer, handlers here only parse the request, call a service and render the result.

pub mod audit_log;
pub mod client;
pub mod connections;
pub mod etag;
pub mod evidence;
pub mod graphiql;
pub mod headers;
pub mod live;
pub mod mail;
pub mod metrics;
pub mod ministry;
pub mod oauth;
pub mod privacy;
pub mod register;
pub mod request;
pub mod transparency;
pub mod trends;

/// The language of a page: `?lang=en` or `?lang=id` when given, else the `Accept-Language` header
/// (Indonesian by default).
pub fn page_lang(
    request: &actix_web::HttpRequest,
    asked: Option<&str>,
) -> laporlapak_domain::i18n::Lang {
    use laporlapak_domain::i18n::Lang;
    match asked {
        Some("en") => Lang::En,
        Some("id") => Lang::Id,
        _ => Lang::from_accept_language(
            request
                .headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        ),
    }
}

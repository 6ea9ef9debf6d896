//! `POST /graphql`, and `GET /graphql` for queries (and, in development, the GraphQL IDE).
//!
//! The body is read here with a hard size cap before any parsing (async-graphql-actix-web's
//! extractors read whole bodies regardless of `JsonConfig`), batches are not accepted, and the
//! caller is identified once: a request with a bad or expired token, or a token of a disabled
//! account, is answered 401 UNAUTHENTICATED as a whole rather than quietly run anonymously.
//!
//! Responses follow GraphQL over HTTP: `application/graphql-response+json` when the client accepts
//! it (a request that could not be executed at all is a 400 without `data`), `application/json`
//! otherwise (any GraphQL result is a 200), 406 when it accepts neither (`negotiate`). Whatever
//! the type, the database out of reach is a 503 with `Retry-After`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::{ErrorExtensions as _, ServerError};

mod get;
mod multipart;
mod negotiate;
mod operation;

pub use negotiate::ResponseFormat;

use crate::graphql::error::{REQUEST_LANG, to_graphql_error};
use crate::graphql::{AppSchema, IntrospectionSchema};
use laporlapak_domain::i18n::{Lang, Msg};
use laporlapak_service::error::{ServiceError, UNAVAILABLE_RETRY_AFTER_SECONDS};
use laporlapak_service::settings::Environment;
use laporlapak_service::viewer::Viewer;
use laporlapak_service::{Services, account};

use crate::web::client::{bearer, client_address};

/// Largest request body accepted. The biggest legitimate mutation (a complaint with a 5,000
/// character description and ten 2,048-character evidence URLs) is well under half of this.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What the request's body says it is: JSON, or multipart with the `GraphQL-Preflight` header
/// (`multipart`). A browser sends `text/plain`, form and multipart bodies cross-site without
/// asking, so accepting them as such would let any web page register accounts and submit
/// complaints from its visitors' addresses; JSON, or a request with a custom header, from another
/// origin needs a CORS preflight, which only the configured origins pass.
fn content_type_error(headers: &HeaderMap) -> Option<Msg> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Some(Msg::ContentTypeMissing);
    };
    let media = value
        .to_str()
        .ok()
        .and_then(|value| value.split(';').next())
        .map(str::trim);
    match media {
        Some(media) if media.eq_ignore_ascii_case("application/json") => None,
        _ => Some(Msg::JsonOnly),
    }
}

/// The language and response format of a request, or the 406 it gets when it accepts neither
/// GraphQL media type.
fn negotiate(request: &HttpRequest) -> (Lang, Result<ResponseFormat, HttpResponse>) {
    let lang = Lang::from_accept_language(header_str(request.headers(), header::ACCEPT_LANGUAGE));
    let accept = accept_header(request.headers());
    let format = ResponseFormat::negotiate(accept.as_deref()).ok_or_else(|| {
        error_response(
            StatusCode::NOT_ACCEPTABLE,
            ResponseFormat::Json,
            &ServiceError::bad_input("Accept", Msg::NotAcceptable),
            lang,
        )
    });
    (lang, format)
}

/// Every `Accept` header of the request, as one list.
fn accept_header(headers: &HeaderMap) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

pub async fn graphql_post(
    schema: web::Data<AppSchema>,
    introspection: Option<web::Data<IntrospectionSchema>>,
    services: web::Data<Services>,
    request: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let (lang, format) = negotiate(&request);
    let format = match format {
        Ok(format) => format,
        Err(not_acceptable) => return not_acceptable,
    };
    if multipart::is_multipart(request.headers()) {
        let (graphql_request, uploads) =
            match multipart::receive(&services, request.headers(), payload, format, lang).await {
                Ok(received) => received,
                Err(refused) => return refused,
            };
        return execute(
            &schema,
            introspection.as_ref().map(|schema| schema.get_ref()),
            &services,
            &request,
            graphql_request.data(uploads),
            format,
            lang,
        )
        .await
        .response;
    }
    if let Some(reason) = content_type_error(request.headers()) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format,
            &ServiceError::bad_input("Content-Type", reason),
            lang,
        );
    }

    let body = match payload.to_bytes_limited(MAX_BODY_BYTES).await {
        Ok(Ok(body)) => body,
        Err(_limit_exceeded) => {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                format,
                &ServiceError::bad_input(
                    "body",
                    Msg::BodyTooLarge {
                        max_bytes: MAX_BODY_BYTES,
                    },
                ),
                lang,
            );
        }
        Ok(Err(_stream_error)) => return malformed("body", format, lang),
    };
    let Some(graphql_request) = serde_json::from_slice(&body).ok().and_then(parse_request) else {
        return malformed("body", format, lang);
    };
    execute(
        &schema,
        introspection.as_ref().map(|schema| schema.get_ref()),
        &services,
        &request,
        graphql_request,
        format,
        lang,
    )
    .await
    .response
}

/// `GET /graphql`: a query from the URL; without one, the IDE in development (for a client that
/// accepts HTML) and a 400 otherwise. A mutation is refused with 405 and `Allow: POST`: GET must
/// stay safe, and a link or an image must never change anything.
pub async fn graphql_get(
    schema: web::Data<AppSchema>,
    introspection: Option<web::Data<IntrospectionSchema>>,
    services: web::Data<Services>,
    environment: web::Data<Environment>,
    request: HttpRequest,
) -> HttpResponse {
    let parsed = get::request_json(request.query_string());
    if matches!(parsed, Ok(None))
        && **environment == Environment::Development
        && negotiate::accepts(accept_header(request.headers()).as_deref(), "text", "html")
    {
        let lang =
            Lang::from_accept_language(header_str(request.headers(), header::ACCEPT_LANGUAGE));
        return crate::web::graphiql::page(lang);
    }
    let (lang, format) = negotiate(&request);
    let format = match format {
        Ok(format) => format,
        Err(not_acceptable) => return not_acceptable,
    };
    let Some(mut graphql_request) = parsed.ok().flatten().and_then(parse_request) else {
        return with_cache_control(malformed("query", format, lang), get::PRIVATE_CACHE_CONTROL);
    };
    // The document is parsed once: execution reuses it. One that does not parse, or does not name
    // its operation unambiguously, is left to execution, which refuses it before running anything.
    let operation_name = graphql_request.operation_name.clone();
    let (mutation, public_read) = match graphql_request
        .parsed_query()
        .ok()
        .and_then(|document| operation::selected_operation(document, operation_name.as_deref()))
    {
        Some(operation) => (
            !operation::is_query(operation),
            operation::reads_only_public_data(operation),
        ),
        None => (false, false),
    };
    if mutation {
        let mut response = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            format,
            &ServiceError::bad_input("query", Msg::QueriesOnlyOverGet),
            lang,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return with_cache_control(response, get::PRIVATE_CACHE_CONTROL);
    }
    let anonymous = !request.headers().contains_key(header::AUTHORIZATION);
    let executed = execute(
        &schema,
        introspection.as_ref().map(|schema| schema.get_ref()),
        &services,
        &request,
        graphql_request,
        format,
        lang,
    )
    .await;
    let cache_control = if anonymous
        && public_read
        && executed.clean
        && executed.response.status() == StatusCode::OK
    {
        get::PUBLIC_CACHE_CONTROL
    } else {
        get::PRIVATE_CACHE_CONTROL
    };
    with_cache_control(executed.response, cache_control)
}

fn with_cache_control(mut response: HttpResponse, value: &'static str) -> HttpResponse {
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static(value),
    );
    headers.insert(header::VARY, header::HeaderValue::from_static(get::VARY));
    response
}

/// The answer to a request, and whether it was executed without any error.
struct Executed {
    response: HttpResponse,
    clean: bool,
    /// The `extensions.code` of each error, for `/metrics`.
    codes: Vec<String>,
}

impl Executed {
    /// A request refused with `error` before it was executed.
    fn failed(response: HttpResponse, error: &ServiceError) -> Self {
        Self {
            response,
            clean: false,
            codes: vec![error.code().to_owned()],
        }
    }
}

/// Runs the request (see [`execute_unmeasured`]) and counts it in `/metrics` under its operation
/// label, which the request's log line carries too.
async fn execute(
    schema: &AppSchema,
    introspection: Option<&IntrospectionSchema>,
    services: &Services,
    request: &HttpRequest,
    mut graphql_request: async_graphql::Request,
    format: ResponseFormat,
    lang: Lang,
) -> Executed {
    let started = std::time::Instant::now();
    let operation_name = graphql_request.operation_name.clone();
    let first_root_field = graphql_request
        .parsed_query()
        .ok()
        .and_then(|document| operation::selected_operation(document, operation_name.as_deref()))
        .and_then(operation::first_root_field)
        .map(str::to_owned);
    let label = crate::graphql::labels::operation_label(
        operation_name.as_deref(),
        first_root_field.as_deref(),
    );
    tracing::Span::current().record("operation", label.as_str());
    let executed = execute_unmeasured(
        schema,
        introspection,
        services,
        request,
        graphql_request,
        format,
        lang,
    )
    .await;
    laporlapak_metrics::get().graphql_request(
        &label,
        started.elapsed(),
        executed
            .codes
            .iter()
            .map(|code| crate::graphql::labels::code_label(code)),
    );
    executed
}

/// Identifies the caller, runs the request and answers it in `format`.
async fn execute_unmeasured(
    schema: &AppSchema,
    introspection: Option<&IntrospectionSchema>,
    services: &Services,
    request: &HttpRequest,
    graphql_request: async_graphql::Request,
    format: ResponseFormat,
    lang: Lang,
) -> Executed {
    let mut graphql_request = graphql_request;
    if let Some(error) = missing_variable(&mut graphql_request, lang) {
        return answer(
            async_graphql::Response::from_errors(vec![error]),
            format,
            lang,
        );
    }
    let viewer = match viewer_for(services, request.headers()).await {
        Ok(viewer) => viewer,
        // The database could not check the account: not the token's fault.
        Err(error @ ServiceError::Unavailable { .. }) => {
            let response = error_response(StatusCode::SERVICE_UNAVAILABLE, format, &error, lang);
            return Executed::failed(response, &error);
        }
        Err(error) => {
            let mut response = error_response(StatusCode::UNAUTHORIZED, format, &error, lang);
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
            return Executed::failed(response, &error);
        }
    };

    let mut graphql_request = graphql_request.data(viewer).data(client_address(request));
    let operation_name = graphql_request.operation_name.clone();
    let introspection_only = graphql_request
        .parsed_query()
        .ok()
        .and_then(|document| operation::selected_operation(document, operation_name.as_deref()))
        .is_some_and(operation::is_introspection);
    let (schema, graphql_request) = match introspection {
        Some(IntrospectionSchema(introspection)) if introspection_only => {
            (introspection, graphql_request.only_introspection())
        }
        _ => (schema, graphql_request),
    };
    let response = REQUEST_LANG
        .scope(lang, schema.execute(graphql_request))
        .await;
    answer(response, format, lang)
}

/// A request whose operation leaves out a required variable, refused as a request error.
fn missing_variable(request: &mut async_graphql::Request, lang: Lang) -> Option<ServerError> {
    let operation_name = request.operation_name.clone();
    let variables = request.variables.clone();
    let document = request.parsed_query().ok()?;
    let operation = operation::selected_operation(document, operation_name.as_deref())?;
    let (name, position) = operation::missing_variable(operation, &variables)?;
    let error = ServiceError::bad_input(
        format!("variables.{name}"),
        Msg::VariableMissing {
            name: name.to_owned(),
        },
    );
    Some(
        to_graphql_error(&error, lang)
            .extend()
            .into_server_error(position),
    )
}

/// The HTTP answer to a GraphQL result, in `format`.
fn answer(mut response: async_graphql::Response, format: ResponseFormat, lang: Lang) -> Executed {
    for error in &mut response.errors {
        give_code(error, lang);
    }
    let executed = !is_request_error(&response);
    // The database out of reach: 503, so that load balancers and clients back off and retry.
    let unavailable = async_graphql::Value::from("UNAVAILABLE");
    let rate_limited = async_graphql::Value::from("RATE_LIMITED");
    let retry_after = response
        .errors
        .iter()
        .filter(|e| code_of(e) == Some(&rate_limited))
        .filter_map(|e| match e.extensions.as_ref()?.get("retryAfter") {
            Some(async_graphql::Value::Number(seconds)) => seconds.as_u64(),
            _ => None,
        })
        .max();
    let status = if response
        .errors
        .iter()
        .any(|e| code_of(e) == Some(&unavailable))
    {
        StatusCode::SERVICE_UNAVAILABLE
    } else if retry_after.is_some() && format == ResponseFormat::GraphQlResponse {
        // The media type whose status says what happened: slow down (RFC 6585 §4).
        StatusCode::TOO_MANY_REQUESTS
    } else if !executed && format == ResponseFormat::GraphQlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let codes = response
        .errors
        .iter()
        .filter_map(|e| match code_of(e) {
            Some(async_graphql::Value::String(code)) => Some(code.clone()),
            _ => None,
        })
        .collect();
    let mut http_response = respond(
        status,
        format,
        &Body {
            data: executed.then_some(&response.data),
            errors: &response.errors,
            extensions: &response.extensions,
        },
    );
    if let Some(seconds) = retry_after {
        http_response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    }
    Executed {
        codes,
        response: http_response,
        clean: response.errors.is_empty(),
    }
}

/// A request that was never executed: its document did not parse or validate, its operation could
/// not be chosen or its variables did not coerce. async-graphql answers those with `data: null`
/// and errors that have no path; an error during execution always has one.
fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// A GraphQL response body: no `data` entry at all when the request was not executed.
#[derive(serde::Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "<[ServerError]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

fn respond(status: StatusCode, format: ResponseFormat, body: &Body<'_>) -> HttpResponse {
    with_retry_after(
        HttpResponse::build(status)
            .content_type(format.content_type())
            .json(body),
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
        if let Some((field, date_time)) = invalid_argument(&error.message) {
            error.message = Msg::InvalidArgument {
                field: field.clone(),
                date_time,
            }
            .text(lang)
            .into_owned();
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("field", field);
        }
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

/// The argument a validation error names, in the notation of every `extensions.field`
/// (`input.files[1]`), and whether a `DateTime` was expected: async-graphql says
/// `Invalid value for argument "input.files.1", expected type "Upload"`.
fn invalid_argument(message: &str) -> Option<(String, bool)> {
    let rest = message.strip_prefix("Invalid value for argument \"")?;
    let (path, reason) = rest.split_once('"')?;
    let field = path.split('.').fold(String::new(), |mut field, segment| {
        if segment.bytes().all(|b| b.is_ascii_digit()) && !field.is_empty() {
            field.push_str(&format!("[{segment}]"));
        } else {
            if !field.is_empty() {
                field.push('.');
            }
            field.push_str(segment);
        }
        field
    });
    Some((field, reason.contains("\"DateTime\"")))
}

/// One GraphQL request: a JSON object (batches are not accepted) with a string `query`, and
/// `operationName` a string, `variables` and `extensions` objects, each of them absent or null.
fn parse_request(value: serde_json::Value) -> Option<async_graphql::Request> {
    use serde_json::Value;
    let Value::Object(mut object) = value else {
        return None;
    };
    object.retain(|_, value| !value.is_null());
    let well_typed = object.get("query").is_some_and(Value::is_string)
        && object.get("operationName").is_none_or(Value::is_string)
        && object.get("variables").is_none_or(Value::is_object)
        && object.get("extensions").is_none_or(Value::is_object);
    if !well_typed {
        return None;
    }
    serde_json::from_value(Value::Object(object)).ok()
}

async fn viewer_for(services: &Services, headers: &HeaderMap) -> Result<Viewer, ServiceError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Viewer::Anonymous);
    };
    let token = bearer(value).ok_or(ServiceError::InvalidToken)?;
    account::viewer_from_token(services, token).await
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn malformed(field: &'static str, format: ResponseFormat, lang: Lang) -> HttpResponse {
    error_response(
        StatusCode::BAD_REQUEST,
        format,
        &ServiceError::bad_input(field, Msg::MalformedRequest),
        lang,
    )
}

/// A request refused before execution: one error, no `data`.
fn error_response(
    status: StatusCode,
    format: ResponseFormat,
    error: &ServiceError,
    lang: Lang,
) -> HttpResponse {
    let error = to_graphql_error(error, lang);
    let mut server_error: ServerError = error.extend().into_server_error(Default::default());
    // Nothing in a document is at fault: no `locations` at all (lines start at 1).
    server_error.locations.clear();
    respond(
        status,
        format,
        &Body {
            data: None,
            errors: &[server_error],
            extensions: &Default::default(),
        },
    )
}

//! The links of notification mails, which need no sign-in.
//!
//! `/mail/unsubscribe?t=TOKEN`: the one-click unsubscribe of notification mails (RFC 8058). A `POST` (a mail client's one-click request, body `List-Unsubscribe=One-Click`, or
//! the page's button) unsubscribes; a `GET` only shows the button, so that a link scanner that
//! opens every link of a mail unsubscribes nobody. An unknown or forged token answers 404.

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{DOCTYPE, html};

use laporlapak_domain::i18n::{Lang, PageText};
use laporlapak_service::Services;
use laporlapak_service::error::ServiceError;
use laporlapak_service::mail::{still_online, unsubscribe};

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    t: Option<String>,
    lang: Option<String>,
}

fn page(lang: Lang, status: actix_web::http::StatusCode, body: maud::Markup) -> HttpResponse {
    titled(PageText::MailUnsubscribeTitle, lang, status, body)
}

fn titled(
    title: PageText,
    lang: Lang,
    status: actix_web::http::StatusCode,
    body: maud::Markup,
) -> HttpResponse {
    let title = title.text(lang);
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
            }
            body { h1 { (title) } (body) }
        }
    };
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", crate::web::headers::PAGE_POLICY))
        .insert_header(("Content-Language", lang.code()))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(markup.into_string())
}

fn invalid(lang: Lang) -> HttpResponse {
    page(
        lang,
        actix_web::http::StatusCode::NOT_FOUND,
        html! { p { (PageText::MailUnsubscribeInvalid.text(lang)) } },
    )
}

/// `GET`: the button (a form that POSTs the same URL).
pub async fn show(
    request: HttpRequest,
    services: web::Data<Services>,
    query: web::Query<TokenQuery>,
) -> HttpResponse {
    let lang = crate::web::page_lang(&request, query.lang.as_deref());
    let Some(token) = query.t.as_deref() else {
        return invalid(lang);
    };
    if unsubscribe::verify(&services.vault, token).is_none() {
        return invalid(lang);
    }
    page(
        lang,
        actix_web::http::StatusCode::OK,
        html! {
            p { (PageText::MailUnsubscribeAsk.text(lang)) }
            form method="post" action={ "/mail/unsubscribe?t=" (token) } {
                input type="hidden" name="List-Unsubscribe" value="One-Click";
                button type="submit" { (PageText::MailUnsubscribeButton.text(lang)) }
            }
        },
    )
}

/// `POST`: unsubscribes at once.
pub async fn one_click(
    request: HttpRequest,
    services: web::Data<Services>,
    query: web::Query<TokenQuery>,
) -> HttpResponse {
    let lang = crate::web::page_lang(&request, query.lang.as_deref());
    let Some(token) = query.t.as_deref() else {
        return invalid(lang);
    };
    match unsubscribe::unsubscribe(&services, token).await {
        Ok(()) => page(
            lang,
            actix_web::http::StatusCode::OK,
            html! { p { (PageText::MailUnsubscribed.text(lang)) } },
        ),
        Err(ServiceError::NotFound) => invalid(lang),
        Err(error) => {
            tracing::warn!(?error, "an unsubscribe failed");
            HttpResponse::ServiceUnavailable().finish()
        }
    }
}

#[derive(serde::Deserialize)]
pub struct StillOnlineForm {
    answer: String,
}

/// `GET /mail/still-online?t=TOKEN`: the question, with two buttons (forms that POST the answer).
/// Opening it records nothing.
pub async fn still_online_question(
    request: HttpRequest,
    services: web::Data<Services>,
    query: web::Query<TokenQuery>,
) -> HttpResponse {
    let lang = crate::web::page_lang(&request, query.lang.as_deref());
    let Some(token) = query.t.as_deref() else {
        return invalid(lang);
    };
    if still_online::verify(&services.vault, token).is_none() {
        return invalid(lang);
    }
    let action = format!("/mail/still-online?t={token}");
    titled(
        PageText::StillOnlineTitle,
        lang,
        actix_web::http::StatusCode::OK,
        html! {
            p { (PageText::StillOnlineAsk.text(lang)) }
            form method="post" action=(action) {
                input type="hidden" name="answer" value="online";
                button type="submit" { (PageText::StillOnlineYes.text(lang)) }
            }
            form method="post" action=(action) {
                input type="hidden" name="answer" value="gone";
                button type="submit" { (PageText::StillOnlineNo.text(lang)) }
            }
        },
    )
}

/// `POST /mail/still-online?t=TOKEN` with `answer=online` or `answer=gone`.
pub async fn still_online_answer(
    request: HttpRequest,
    services: web::Data<Services>,
    query: web::Query<TokenQuery>,
    form: web::Form<StillOnlineForm>,
) -> HttpResponse {
    let lang = crate::web::page_lang(&request, query.lang.as_deref());
    let still = match form.answer.as_str() {
        "online" => true,
        "gone" => false,
        _ => return HttpResponse::BadRequest().finish(),
    };
    let Some(token) = query.t.as_deref() else {
        return invalid(lang);
    };
    let viewer = laporlapak_service::viewer::Viewer::Anonymous;
    match still_online::answer_by_token(&services, &viewer, token, still).await {
        Ok(_) => titled(
            PageText::StillOnlineTitle,
            lang,
            actix_web::http::StatusCode::OK,
            html! { p { (PageText::StillOnlineThanks.text(lang)) } },
        ),
        Err(ServiceError::NotFound) => invalid(lang),
        Err(error) => {
            tracing::warn!(?error, "a still-online answer failed");
            HttpResponse::ServiceUnavailable().finish()
        }
    }
}

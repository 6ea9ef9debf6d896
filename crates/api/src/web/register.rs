//! `GET /register`: the public register of takedown requests as a page (Indonesian or `?lang=en`),
//! filterable by a plain GET form, 50 entries a page with a link to the next. No JavaScript,
//! nothing loaded from another host; the same entries as `takedownRegister` in the API.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;

use laporlapak_domain::TakedownKind;
use laporlapak_domain::i18n::{Lang, Msg, PageText};
use laporlapak_domain::register::RegisterOutcome;
use laporlapak_service::Services;
use laporlapak_service::error::ServiceError;
use laporlapak_service::register::{self, RegisterEntry, RegisterQuery};
use laporlapak_service::transparency::{Category, PlatformWithHosts};

const PAGE_SIZE: i64 = 50;
const CURSOR: &str = "register";

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    platform: Option<String>,
    category: Option<String>,
    kind: Option<String>,
    outcome: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
    lang: Option<String>,
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn bad(text: &str) -> HttpResponse {
    HttpResponse::BadRequest()
        .content_type("text/plain; charset=utf-8")
        .body(text.to_owned())
}

/// The service's query from the form's fields; the refusal for a value it cannot read.
fn query_of(query: &PageQuery) -> Result<RegisterQuery, Msg> {
    let time = |value: &Option<String>| {
        crate::web::transparency::parse_time(non_empty(value)).map_err(|()| Msg::InvalidPeriodBound)
    };
    let kind = match non_empty(&query.kind) {
        None => None,
        Some(k) => Some(TakedownKind::parse(k).map_err(|_| Msg::InvalidRegisterFilter)?),
    };
    let outcome = match non_empty(&query.outcome) {
        None => None,
        Some(o) => Some(RegisterOutcome::parse(o).ok_or(Msg::InvalidRegisterFilter)?),
    };
    Ok(RegisterQuery {
        platform: non_empty(&query.platform).map(str::to_owned),
        category: non_empty(&query.category).map(str::to_owned),
        kind,
        from: time(&query.from)?,
        to: time(&query.to)?,
        outcome,
    })
}

pub async fn page(
    services: web::Data<Services>,
    request: HttpRequest,
    query: web::Query<PageQuery>,
) -> HttpResponse {
    let lang = crate::web::page_lang(&request, query.lang.as_deref());
    let asked = match query_of(&query) {
        Ok(asked) => asked,
        Err(message) => return bad(&message.text(lang)),
    };
    let after = match non_empty(&query.after)
        .map(|c| crate::graphql::register::decode_key(CURSOR, c))
        .transpose()
    {
        Ok(after) => after,
        Err(error) => return bad(&error.message(lang)),
    };
    let loaded = async {
        let (entries, more) = register::page(&services, asked.clone(), after, PAGE_SIZE).await?;
        let total = register::count(&services, asked).await?;
        Ok::<_, ServiceError>((entries, more, total))
    }
    .await;
    match loaded {
        Ok((entries, more, total)) => {
            let next = more
                .then(|| entries.last().map(next_cursor))
                .flatten()
                .map(|cursor| link_with(request.query_string(), "after", &cursor));
            let other_lang = link_with(
                request.query_string(),
                "lang",
                if lang == Lang::En { "id" } else { "en" },
            );
            let body = render(&Page {
                entries: &entries,
                total,
                lang,
                query: &query,
                platforms: laporlapak_service::reference::platforms(&services),
                categories: laporlapak_service::reference::categories(&services),
                next,
                other_lang,
            });
            let mut response = HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .insert_header(("Content-Security-Policy", crate::web::headers::PAGE_POLICY))
                .body(body);
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            );
            response
        }
        Err(error @ ServiceError::BadInput { .. }) => bad(&error.message(lang)),
        Err(error) => crate::web::transparency::failure(error, lang),
    }
}

fn next_cursor(entry: &RegisterEntry) -> String {
    let (at, id) = entry.issued_key();
    crate::graphql::pagination::encode(CURSOR, &format!("{}|{id}", at.and_utc().timestamp_micros()))
}

/// `/register?…` with `name` set to `value` and the request's other parameters kept (still
/// percent-encoded as received; the template escapes them like any other text).
fn link_with(query_string: &str, name: &str, value: &str) -> String {
    let prefix = format!("{name}=");
    let mut parts: Vec<String> = query_string
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with(&prefix))
        .filter(|p| name != "lang" || !p.starts_with("after="))
        .map(str::to_owned)
        .collect();
    parts.push(format!("{name}={value}"));
    format!("/register?{}", parts.join("&"))
}

struct Page<'a> {
    entries: &'a [RegisterEntry],
    total: i64,
    lang: Lang,
    query: &'a PageQuery,
    platforms: Vec<std::sync::Arc<PlatformWithHosts>>,
    categories: Vec<std::sync::Arc<Category>>,
    next: Option<String>,
    other_lang: String,
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1f2328;line-height:1.5}
h1{font-size:1.5rem;margin:.5rem 0}
form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:1rem 0}
label{display:flex;flex-direction:column;font-size:.85rem}
select,input,button{font:inherit;padding:.25rem}
.entry{border-top:1px solid #d0d7de;padding:.6rem 0}
.entry h2{font-size:1rem;margin:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.4rem 0;font-size:.9rem}
dt{color:#59636e} dd{margin:0;overflow-wrap:anywhere}
.muted{color:#59636e;font-size:.9rem} a{color:#0969da}
.outcome{font-weight:600}
";

fn time(at: Option<NaiveDateTime>) -> String {
    at.map_or_else(
        || "–".to_owned(),
        |at| at.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

fn outcome_text(outcome: RegisterOutcome) -> PageText {
    match outcome {
        RegisterOutcome::Pending => PageText::OutcomePending,
        RegisterOutcome::Acted => PageText::OutcomeActed,
        RegisterOutcome::Declined => PageText::OutcomeDeclined,
        RegisterOutcome::NeedsMoreInfo => PageText::OutcomeNeedsMoreInfo,
        RegisterOutcome::Withdrawn => PageText::OutcomeWithdrawn,
        RegisterOutcome::Reinstated => PageText::OutcomeReinstated,
    }
}

fn kind_text(kind: TakedownKind) -> PageText {
    match kind {
        TakedownKind::Notice => PageText::KindNotice,
        TakedownKind::Order => PageText::KindOrder,
    }
}

fn entry(e: &RegisterEntry, lang: Lang) -> Markup {
    let words = |t: PageText| t.text(lang);
    let category = if lang == Lang::En {
        &e.category.label_en
    } else {
        &e.category.label_id
    };
    html! {
        article.entry id=(e.public_id) {
            h2 {
                span { (e.public_id) }
                span { (e.platform.platform.name) }
                span { (words(kind_text(e.kind))) " · " (e.urgency.as_str()) }
                span.outcome { (words(outcome_text(e.outcome()))) }
            }
            dl {
                dt { (words(PageText::Category)) } dd { (category) }
                dt { (words(PageText::RegisterLegalBasis)) } dd {
                    (e.legal_basis)
                    @if let Some(article) = &e.order_article { " · " (article) }
                    @if let Some(number) = &e.order_number { " · " (number) }
                }
                dt { (words(PageText::RegisterIssued)) } dd { (time(Some(e.issued_at))) }
                dt { (words(PageText::RegisterDue)) } dd { (time(Some(e.due_at))) }
                dt { (words(PageText::RegisterAcknowledged)) } dd { (time(e.acknowledged_at)) }
                dt { (words(PageText::RegisterAnswered)) } dd { (time(e.answered_at)) }
                @for answer in &e.answers {
                    dt { (words(PageText::RegisterReasons)) }
                    dd {
                        (answer.kind.as_str())
                        @if let Some(decision) = answer.decision { " · " (decision.as_str()) }
                        @if let Some(ground) = answer.ground { " · " (ground.as_str()) }
                        @if let Some(reference) = &answer.ground_reference { " (" (reference) ")" }
                        " — " (answer.statement_of_reasons)
                    }
                }
                @for objection in &e.objections {
                    dt { (words(PageText::RegisterObjections)) }
                    dd { (time(Some(objection.filed_at))) " · " (objection.status.as_str()) " — " (objection.reasons) }
                }
                @if e.relisting_of.is_some() || e.relisted_later {
                    dt { (words(PageText::RegisterRelisting)) }
                    dd {
                        @if let Some(earlier) = &e.relisting_of { a href={ "#" (earlier) } { (earlier) } }
                        @if e.relisted_later { " " (words(PageText::Yes)) }
                    }
                }
            }
        }
    }
}

fn select(
    name: &str,
    label: &str,
    chosen: Option<&str>,
    options: &[(String, String)],
    all: &str,
) -> Markup {
    html! {
        label {
            (label)
            select name=(name) {
                option value="" { (all) }
                @for (value, text) in options {
                    option value=(value) selected[chosen == Some(value.as_str())] { (text) }
                }
            }
        }
    }
}

fn render(page: &Page<'_>) -> String {
    let lang = page.lang;
    let words = |t: PageText| t.text(lang);
    let q = page.query;
    let platforms: Vec<(String, String)> = page
        .platforms
        .iter()
        .map(|p| (p.platform.slug.clone(), p.platform.name.clone()))
        .collect();
    let categories: Vec<(String, String)> = page
        .categories
        .iter()
        .map(|c| {
            let label = if lang == Lang::En {
                &c.label_en
            } else {
                &c.label_id
            };
            (c.code.clone(), label.clone())
        })
        .collect();
    let kinds: Vec<(String, String)> = [TakedownKind::Notice, TakedownKind::Order]
        .into_iter()
        .map(|k| (k.as_str().to_owned(), words(kind_text(k)).to_owned()))
        .collect();
    let outcomes: Vec<(String, String)> = RegisterOutcome::ALL
        .into_iter()
        .map(|o| (o.as_str().to_owned(), words(outcome_text(o)).to_owned()))
        .collect();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (words(PageText::RegisterTitle)) " – laporlapak" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    p.muted {
                        a href=(page.other_lang) { (words(PageText::OtherLanguage)) }
                        " · "
                        a href={ "/transparency?lang=" (lang.code()) } { (words(PageText::BackToScorecard)) }
                        " · "
                        a href="/open-data/" { "Open data" }
                    }
                    h1 { (words(PageText::RegisterTitle)) }
                    p { (words(PageText::RegisterIntro)) }
                }
                main {
                    form method="get" action="/register" {
                        input type="hidden" name="lang" value=(lang.code());
                        (select("platform", words(PageText::Platform), non_empty(&q.platform), &platforms, words(PageText::RegisterAll)))
                        (select("category", words(PageText::Category), non_empty(&q.category), &categories, words(PageText::RegisterAll)))
                        (select("kind", words(PageText::RegisterKind), non_empty(&q.kind), &kinds, words(PageText::RegisterAll)))
                        (select("outcome", words(PageText::RegisterOutcomeHeading), non_empty(&q.outcome), &outcomes, words(PageText::RegisterAll)))
                        label { (words(PageText::RegisterFrom)) input type="date" name="from" value=(non_empty(&q.from).unwrap_or_default()); }
                        label { (words(PageText::RegisterTo)) input type="date" name="to" value=(non_empty(&q.to).unwrap_or_default()); }
                        button type="submit" { (words(PageText::RegisterFilter)) }
                    }
                    p.muted { (page.total) " " (words(PageText::RegisterCount)) }
                    @for e in page.entries { (entry(e, lang)) }
                    @if page.entries.is_empty() { p.muted { (words(PageText::RegisterEmpty)) } }
                    @if let Some(next) = &page.next {
                        p { a href=(next) rel="next" { (words(PageText::RegisterNext)) " →" } }
                    }
                }
            }
        }
    }
    .into_string()
}

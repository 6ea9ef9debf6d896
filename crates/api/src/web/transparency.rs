//! `GET /transparency` (an HTML page with one inline-SVG bar chart per platform, Indonesian or
//! `?lang=en`) and `GET /transparency.csv` (the same figures, one row per platform × metric).
//! No JavaScript, nothing loaded from another host, readable on a phone. Its words are
//! [`PageText`]s and its refusals [`Msg`]s (`laporlapak_domain::i18n`).

use std::fmt::Write as _;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;

use laporlapak_domain::i18n::{Lang, Msg, PageText};
use laporlapak_service::Services;
use laporlapak_service::error::ServiceError;
use laporlapak_service::transparency::{self, Report};

#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
}

/// A date (`2026-01-31`, midnight UTC) or an RFC 3339 instant.
pub(crate) fn parse_time(value: Option<&str>) -> Result<Option<NaiveDateTime>, ()> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => {
            if let Ok(date) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                return Ok(date.and_hms_opt(0, 0, 0));
            }
            chrono::DateTime::parse_from_rfc3339(v)
                .map(|at| Some(at.naive_utc()))
                .map_err(|_| ())
        }
    }
}

fn lang_of(request: &HttpRequest, query: &ReportQuery) -> Lang {
    crate::web::page_lang(request, query.lang.as_deref())
}

async fn load(
    services: &Services,
    query: &ReportQuery,
    lang: Lang,
) -> Result<std::sync::Arc<Report>, HttpResponse> {
    let bad = |text: &str| {
        HttpResponse::BadRequest()
            .content_type("text/plain; charset=utf-8")
            .body(text.to_owned())
    };
    let (Ok(from), Ok(to)) = (
        parse_time(query.from.as_deref()),
        parse_time(query.to.as_deref()),
    ) else {
        return Err(bad(&Msg::InvalidPeriodBound.text(lang)));
    };
    transparency::report(services, from, to)
        .await
        .map_err(|error| match error {
            ServiceError::BadInput { .. } => bad(&error.message(lang)),
            other => failure(other, lang),
        })
}

/// The answer to a public page's failure other than a bad request: 503 with `Retry-After` when
/// the service is overloaded, else 500 (logged).
pub(crate) fn failure(error: ServiceError, lang: Lang) -> HttpResponse {
    match error {
        ServiceError::Unavailable { retry_after } => {
            HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
                .insert_header((header::RETRY_AFTER, retry_after))
                .content_type("text/plain; charset=utf-8")
                .body(error.message(lang).into_owned())
        }
        other => {
            if let ServiceError::Internal(detail) = &other {
                tracing::error!(%detail, "public page failed");
            }
            HttpResponse::build(StatusCode::INTERNAL_SERVER_ERROR)
                .content_type("text/plain; charset=utf-8")
                .body(other.message(lang).into_owned())
        }
    }
}

/// Public figures change slowly; a minute of caching takes load off the database.
fn cacheable(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| format!("{v:.2}"))
}

/// Loads the report the query asks for and renders it with `render`, or answers the error.
async fn respond(
    services: &Services,
    request: &HttpRequest,
    query: &ReportQuery,
    render: impl FnOnce(&Report, Lang) -> HttpResponse,
) -> HttpResponse {
    let lang = lang_of(request, query);
    match load(services, query, lang).await {
        Ok(report) => cacheable(render(&report, lang)),
        Err(response) => response,
    }
}

pub async fn csv(
    services: web::Data<Services>,
    request: HttpRequest,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    respond(&services, &request, &query, |report, _| {
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"laporlapak-transparency.csv\"",
            ))
            .body(render_csv(report))
    })
    .await
}

/// A CSV field that a spreadsheet will show as text, never run: a value starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's CSV-injection advice), and one
/// holding a comma, a quote or a line break is quoted.
fn cell(value: &str) -> String {
    let neutral = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// `section,key,metric,value`: one row per platform × metric, then per category × metric, then
/// the totals. Keys (slugs and codes) go through [`cell`].
pub fn render_csv(report: &Report) -> String {
    let mut out = String::from("section,key,metric,value\n");
    for p in &report.platforms {
        let c = &p.counts;
        let rows: [(&str, String); 21] = [
            ("requests_issued", c.issued.to_string()),
            ("acknowledged", c.acknowledged.to_string()),
            ("answered", c.answered.to_string()),
            ("answered_on_time", c.answered_on_time.to_string()),
            ("acted_on_time", c.acted_on_time.to_string()),
            ("acted_late", c.acted_late.to_string()),
            ("pending", c.pending.to_string()),
            ("overdue", c.overdue.to_string()),
            ("removed", c.removed.to_string()),
            ("restricted", c.restricted.to_string()),
            ("geo_blocked", c.geo_blocked.to_string()),
            ("declined", c.declined.to_string()),
            ("needs_more_info", c.needs_more_info.to_string()),
            ("relistings", c.relistings.to_string()),
            ("reinstatements", c.reinstatements.to_string()),
            ("removals_confirmed", c.removals_confirmed.to_string()),
            ("removals_disputed", c.removals_disputed.to_string()),
            ("median_hours_to_answer", number(p.median_hours)),
            ("p90_hours_to_answer", number(p.p90_hours)),
            ("compliance_rate", number(p.compliance_rate())),
            (
                "response_hours",
                p.platform.platform.response_hours.to_string(),
            ),
        ];
        for (metric, value) in rows {
            let _ = writeln!(
                out,
                "platform,{},{metric},{value}",
                cell(&p.platform.platform.slug)
            );
        }
        for (metric, value) in legal_rows(&p.legal) {
            let _ = writeln!(
                out,
                "platform,{},{metric},{value}",
                cell(&p.platform.platform.slug)
            );
        }
    }
    for category in &report.categories {
        let c = &category.counts;
        for (metric, value) in [
            ("complaints", c.complaints),
            ("cases_opened", c.cases_opened),
            ("rejected", c.rejected),
            ("forwarded", c.forwarded),
            ("resolved", c.resolved),
        ] {
            let _ = writeln!(
                out,
                "category,{},{metric},{value}",
                cell(&category.category.code)
            );
        }
    }
    let t = &report.totals;
    for (metric, value) in [
        ("complaints", report.total_complaints.to_string()),
        ("cases_opened", report.total_cases_opened.to_string()),
        ("requests_issued", t.issued.to_string()),
        ("answered", t.answered.to_string()),
        ("acted_on_time", t.acted_on_time.to_string()),
        ("overdue", t.overdue.to_string()),
        ("declined", t.declined.to_string()),
        ("relistings", t.relistings.to_string()),
        ("reinstatements", t.reinstatements.to_string()),
        ("median_hours_to_answer", number(report.total_median_hours)),
        ("p90_hours_to_answer", number(report.total_p90_hours)),
        ("compliance_rate", number(report.total_compliance_rate())),
    ] {
        let _ = writeln!(out, "total,all,{metric},{value}");
    }
    for (metric, value) in legal_rows(&report.legal_totals) {
        let _ = writeln!(out, "total,all,{metric},{value}");
    }
    out
}

/// The legal chain's metrics of the CSV: orders (statutory) apart from notices (the platform's
/// committed time; late is not a breach).
fn legal_rows(l: &transparency::LegalCounts) -> [(&'static str, i64); 17] {
    [
        ("orders_issued", l.orders_issued),
        ("orders_answered", l.orders_answered),
        ("orders_answered_on_time", l.orders_answered_on_time),
        ("orders_acted_on_time", l.orders_acted_on_time),
        ("orders_pending", l.orders_pending),
        ("statutory_breaches", l.statutory_breaches),
        ("orders_withdrawn", l.orders_withdrawn),
        ("notices_issued", l.notices_issued),
        ("notices_answered_on_time", l.notices_answered_on_time),
        (
            "notices_answered_late_against_commitment",
            l.notices_answered_late,
        ),
        ("notices_overdue_against_commitment", l.notices_overdue),
        ("notices_withdrawn", l.notices_withdrawn),
        ("sanctions", l.sanctions),
        ("objections", l.objections),
        ("objections_pending", l.objections_pending),
        ("objections_upheld", l.objections_upheld),
        ("objections_rejected", l.objections_rejected),
    ]
}

pub async fn page(
    services: web::Data<Services>,
    request: HttpRequest,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    let query_string = request.query_string().to_owned();
    let ministry = match laporlapak_service::ministry::figures(&services, None).await {
        Ok(figures) => Some(figures),
        Err(error) => return failure(error, lang_of(&request, &query)),
    };
    let trends = match laporlapak_service::trends::trends(&services, None).await {
        Ok(trends) => trends,
        Err(error) => return failure(error, lang_of(&request, &query)),
    };
    respond(&services, &request, &query, |report, lang| {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header(("Content-Security-Policy", crate::web::headers::PAGE_POLICY))
            .body(render_page(
                report,
                lang,
                &query_string,
                ministry.as_deref(),
                &trends,
            ))
    })
    .await
}

/// The five parts of a platform's bar, in order: their colour and their label.
const BAR_PARTS: [(&str, PageText); 5] = [
    ("#1a7f37", PageText::ActedOnTime),
    ("#9a6700", PageText::ActedLate),
    ("#cf222e", PageText::DeclinedByPlatform),
    ("#6e2f8f", PageText::Overdue),
    ("#8c959f", PageText::OtherOutcomes),
];

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

fn hours(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"))
}

/// The page's only styling, inline so that nothing is loaded from elsewhere. A constant of this
/// file, never data, so it is safe to emit unescaped (escaping would break its quotes).
const STYLE: &str = "
body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1f2328;line-height:1.5}
h1{font-size:1.5rem;margin:.5rem 0} h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.platform{margin:1rem 0} .platform h3{font-size:1rem;margin:0 0 .25rem;display:flex;justify-content:space-between;gap:.5rem;flex-wrap:wrap}
.bar{width:100%;height:1.6rem;display:block;border-radius:4px;overflow:hidden;background:#eaeef2}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;list-style:none;font-size:.9rem}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle;border-radius:2px}
.table{overflow-x:auto} table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:.35rem .5rem;border-bottom:1px solid #d0d7de;text-align:right;white-space:nowrap} th:first-child,td:first-child{text-align:left}
.muted{color:#59636e;font-size:.9rem} a{color:#0969da}
.trend{width:100%;height:auto;display:block}
";

/// One horizontal stacked bar: on time / late / declined / overdue / the rest ([`BAR_PARTS`]).
fn chart(p: &transparency::PlatformCompliance, lang: Lang) -> Markup {
    let c = &p.counts;
    let other = (c.issued - c.acted_on_time - c.acted_late - c.declined - c.overdue).max(0);
    let parts = [c.acted_on_time, c.acted_late, c.declined, c.overdue, other];
    let mut segments = Vec::new();
    if c.issued > 0 {
        let mut x = 0.0;
        for (value, (colour, label)) in parts.into_iter().zip(BAR_PARTS) {
            if value == 0 {
                continue;
            }
            let width = 1000.0 * value as f64 / c.issued as f64;
            segments.push((x, width, colour, label.text(lang), value));
            x += width;
        }
    }
    html! {
        svg class="bar" viewBox="0 0 1000 40" preserveAspectRatio="none" role="img"
            aria-label={ (p.platform.platform.name) ": " (c.issued) " " (PageText::RequestsCounted.text(lang)) } {
            @if c.issued == 0 {
                rect x="0" y="0" width="1000" height="40" fill="#eaeef2" {}
            }
            @for (x, width, colour, label, value) in segments {
                rect x=(format!("{x:.1}")) y="0" width=(format!("{width:.1}")) height="40" fill=(colour) {
                    title { (label) ": " (value) }
                }
            }
        }
    }
}

/// `?…` links to the CSV and to the other language, keeping the request's other parameters
/// (still percent-encoded as received; the template escapes them like any other text).
fn links(query_string: &str, lang: Lang) -> (String, String) {
    let mut query: Vec<&str> = query_string
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let csv_link = if query.is_empty() {
        "/transparency.csv".to_owned()
    } else {
        format!("/transparency.csv?{}", query.join("&"))
    };
    query.push(if lang == Lang::En {
        "lang=id"
    } else {
        "lang=en"
    });
    (csv_link, format!("/transparency?{}", query.join("&")))
}

pub fn render_page(
    report: &Report,
    lang: Lang,
    query_string: &str,
    ministry: Option<&laporlapak_service::ministry::MinistryFigures>,
    trends: &[laporlapak_service::trends::PlatformTrend],
) -> String {
    let words = |text: PageText| text.text(lang);
    let period = match (report.period.from, report.period.to) {
        (None, None) => words(PageText::PeriodAll).to_owned(),
        (from, to) => format!(
            "{}: {} – {}",
            words(PageText::Period),
            from.map_or_else(|| "…".to_owned(), |d| d.format("%Y-%m-%d").to_string()),
            to.map_or_else(|| "…".to_owned(), |d| d.format("%Y-%m-%d").to_string())
        ),
    };
    let (csv_link, other_lang_link) = links(query_string, lang);
    // Worst first: the platforms leaving the most requests overdue, then the busiest.
    let mut platforms: Vec<&transparency::PlatformCompliance> = report.platforms.iter().collect();
    platforms.sort_by(|a, b| {
        (b.counts.overdue, b.counts.issued).cmp(&(a.counts.overdue, a.counts.issued))
    });
    let t = &report.totals;
    let page = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (words(PageText::TransparencyTitle)) " – laporlapak" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    p.muted {
                        a href=(other_lang_link) { (words(PageText::OtherLanguage)) }
                        " · "
                        a href=(csv_link) { (words(PageText::DownloadCsv)) }
                        " · "
                        a href={ "/register?lang=" (lang.code()) } { (words(PageText::RegisterLink)) }
                    }
                    h1 { (words(PageText::TransparencyTitle)) }
                    p { (words(PageText::TransparencyIntro)) }
                    p.muted { (period) }
                }
                main {
                    ul.legend {
                        @for (colour, label) in BAR_PARTS {
                            li { span style={ "background:" (colour) } {} (words(label)) }
                        }
                    }
                    section {
                        @for p in &platforms {
                            div.platform {
                                h3 {
                                    span { (p.platform.platform.name) }
                                    span.muted {
                                        (p.counts.issued) " " (words(PageText::RequestsCounted))
                                        " · " (words(PageText::Overdue)) ": " (p.counts.overdue)
                                        " · " (words(PageText::ComplianceRate)) ": " (percent(p.compliance_rate()))
                                    }
                                }
                                (chart(p, lang))
                            }
                        }
                        @if t.issued == 0 {
                            p.muted { (words(PageText::NoRequests)) }
                        }
                    }
                    div.table {
                        table {
                            thead {
                                tr {
                                    th { (words(PageText::Platform)) }
                                    th { (words(PageText::Requests)) }
                                    th { (words(PageText::Answered)) }
                                    th { (words(PageText::ActedOnTime)) }
                                    th { (words(PageText::ActedLate)) }
                                    th { (words(PageText::DeclinedByPlatform)) }
                                    th { (words(PageText::Overdue)) }
                                    th { (words(PageText::MedianHours)) }
                                    th { (words(PageText::P90Hours)) }
                                    th { (words(PageText::ComplianceRate)) }
                                    th { (words(PageText::Relistings)) }
                                    th { (words(PageText::Reinstatements)) }
                                    th { (words(PageText::RemovalsConfirmed)) }
                                    th { (words(PageText::RemovalsDisputed)) }
                                }
                            }
                            tbody {
                                @for p in &platforms {
                                    @let c = &p.counts;
                                    tr {
                                        td { (p.platform.platform.name) }
                                        td { (c.issued) }
                                        td { (c.answered) }
                                        td { (c.acted_on_time) }
                                        td { (c.acted_late) }
                                        td { (c.declined) }
                                        td { (c.overdue) }
                                        td { (hours(p.median_hours)) }
                                        td { (hours(p.p90_hours)) }
                                        td { (percent(p.compliance_rate())) }
                                        td { (c.relistings) }
                                        td { (c.reinstatements) }
                                        td { (c.removals_confirmed) }
                                        td { (c.removals_disputed) }
                                    }
                                }
                            }
                            tfoot {
                                tr {
                                    th { (words(PageText::Total)) }
                                    th { (t.issued) }
                                    th { (t.answered) }
                                    th { (t.acted_on_time) }
                                    th { (t.acted_late) }
                                    th { (t.declined) }
                                    th { (t.overdue) }
                                    th { (hours(report.total_median_hours)) }
                                    th { (hours(report.total_p90_hours)) }
                                    th { (percent(report.total_compliance_rate())) }
                                    th { (t.relistings) }
                                    th { (t.reinstatements) }
                                    th { (t.removals_confirmed) }
                                    th { (t.removals_disputed) }
                                }
                            }
                        }
                    }
                    h2 { (words(PageText::LegalChainHeading)) }
                    div.table {
                        table {
                            thead {
                                tr {
                                    th { (words(PageText::Platform)) }
                                    th { (words(PageText::OrdersIssued)) }
                                    th { (words(PageText::OrdersOnTime)) }
                                    th { (words(PageText::StatutoryBreaches)) }
                                    th { (words(PageText::Sanctions)) }
                                    th { (words(PageText::NoticesIssued)) }
                                    th { (words(PageText::NoticesLate)) }
                                    th { (words(PageText::Objections)) }
                                }
                            }
                            tbody {
                                @for p in &platforms {
                                    @let l = &p.legal;
                                    tr {
                                        td { (p.platform.platform.name) }
                                        td { (l.orders_issued) }
                                        td { (l.orders_answered_on_time) }
                                        td { (l.statutory_breaches) }
                                        td { (l.sanctions) }
                                        td { (l.notices_issued) }
                                        td { (l.notices_answered_late) }
                                        td { (l.objections) " / " (l.objections_upheld) " / " (l.objections_rejected) }
                                    }
                                }
                            }
                        }
                    }
                    h2 { (words(PageText::ComplaintsByCategory)) }
                    div.table {
                        table {
                            thead {
                                tr {
                                    th { (words(PageText::Category)) }
                                    th { (words(PageText::Complaints)) }
                                    th { (words(PageText::Cases)) }
                                    th { (words(PageText::Rejected)) }
                                    th { (words(PageText::Forwarded)) }
                                    th { (words(PageText::Resolved)) }
                                }
                            }
                            tbody {
                                @for category in &report.categories {
                                    @let c = &category.counts;
                                    tr {
                                        td {
                                            @if lang == Lang::En {
                                                (category.category.label_en)
                                            } @else {
                                                (category.category.label_id)
                                            }
                                        }
                                        td { (c.complaints) }
                                        td { (c.cases_opened) }
                                        td { (c.rejected) }
                                        td { (c.forwarded) }
                                        td { (c.resolved) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !trends.is_empty() {
                    section { (crate::web::trends::section(trends, lang)) }
                }
                @if let Some(figures) = ministry {
                    section { (crate::web::ministry::section(figures, lang)) }
                }
                footer {
                    p.muted { (words(PageText::TransparencyDefinitions)) }
                    p.muted { "laporlapak · " (report.generated_at.format("%Y-%m-%d %H:%M UTC")) }
                    // The audit log's signed heads and signing key (docs/audit-log.md).
                    p.muted { a href="/transparency/audit-log" { "Audit log (Ed25519)" } }
                }
            }
        }
    };
    page.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use laporlapak_service::transparency::{
        Category, CategoryCounts, CategoryReport, Period, Platform, PlatformCompliance,
        PlatformCounts, PlatformWithHosts,
    };

    #[test]
    fn csv_cells_never_become_formulas() {
        assert_eq!(cell("instagram"), "instagram");
        assert_eq!(cell("-evil"), "'-evil");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@sum"), "'@sum");
        assert_eq!(cell("a,b"), "\"a,b\"");
    }

    fn at(day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, day)
            .and_then(|d| d.and_hms_opt(12, 30, 0))
            .unwrap_or_default()
    }

    fn platform(id: i64, name: &str, counts: PlatformCounts) -> PlatformCompliance {
        PlatformCompliance {
            watchlist_rereported: 0,
            platform: std::sync::Arc::new(PlatformWithHosts {
                platform: Platform {
                    id,
                    slug: format!("p{id}"),
                    name: name.to_owned(),
                    response_hours: 24,
                    urgent_response_hours: 4,
                    active: true,
                    created_at: at(1),
                    updated_at: at(1),
                },
                hosts: vec![format!("p{id}.example")],
            }),
            counts: PlatformCounts {
                platform_id: id,
                ..counts
            },
            median_hours: Some(10.0),
            p90_hours: Some(26.0),
            legal: transparency::LegalCounts::default(),
        }
    }

    fn sample() -> Report {
        let busy = PlatformCounts {
            issued: 4,
            answered: 3,
            acted_on_time: 1,
            acted_late: 1,
            declined: 1,
            overdue: 1,
            pending: 1,
            ..PlatformCounts::default()
        };
        let quiet = PlatformCounts {
            issued: 1,
            pending: 1,
            ..PlatformCounts::default()
        };
        let platforms = vec![
            platform(1, "Quiet", quiet),
            platform(2, "Tom & Jerry <b>\"Shop\"</b>", busy),
            platform(3, "Idle", PlatformCounts::default()),
        ];
        let mut totals = PlatformCounts::default();
        for p in &platforms {
            totals += &p.counts;
        }
        Report {
            period: Period {
                from: Some(at(1)),
                to: None,
            },
            generated_at: at(20),
            platforms,
            categories: vec![CategoryReport {
                category: std::sync::Arc::new(Category {
                    id: 1,
                    code: "OTHER".to_owned(),
                    label_id: "Lainnya <i>".to_owned(),
                    label_en: "Other <i>".to_owned(),
                    legal_basis: "-".to_owned(),
                    severity: 1,
                    position: 1,
                    active: true,
                    urgent_track: false,
                }),
                counts: CategoryCounts {
                    category_id: 1,
                    complaints: 7,
                    cases_opened: 6,
                    rejected: 1,
                    forwarded: 4,
                    resolved: 2,
                },
            }],
            totals,
            legal_totals: transparency::LegalCounts::default(),
            total_median_hours: Some(10.0),
            total_p90_hours: Some(26.0),
            total_complaints: 7,
            total_cases_opened: 6,
            ministry_findings: 0,
            ministry_cases_opened: 0,
        }
    }

    #[test]
    fn the_page_escapes_names_labels_and_the_query() {
        let page = render_page(
            &sample(),
            Lang::En,
            "from=2026-01-01&x=%22%3E&y=\"><script>&lang=id",
            None,
            &[],
        );
        assert!(page.starts_with("<!DOCTYPE html><html lang=\"en\">"));
        assert!(!page.contains("<b>") && !page.contains("<i>") && !page.contains("<script"));
        assert!(page.contains("Tom &amp; Jerry &lt;b&gt;&quot;Shop&quot;&lt;/b&gt;"));
        assert!(page.contains("<td>Other &lt;i&gt;</td>"));
        assert!(page.contains(
            "href=\"/transparency.csv?from=2026-01-01&amp;x=%22%3E&amp;y=&quot;&gt;&lt;script&gt;\""
        ));
        assert!(page.contains(
            "href=\"/transparency?from=2026-01-01&amp;x=%22%3E&amp;y=&quot;&gt;&lt;script&gt;&amp;lang=id\""
        ));
        assert!(page.contains("<p class=\"muted\">Period: 2026-01-01 – …</p>"));
    }

    #[test]
    fn the_page_has_one_bar_per_platform_worst_first() {
        let page = render_page(&sample(), Lang::Id, "", None, &[]);
        assert!(page.contains("<html lang=\"id\">"));
        assert!(page.contains("href=\"/transparency.csv\""));
        assert!(page.contains("href=\"/transparency?lang=en\""));
        assert_eq!(page.matches("<svg class=\"bar\"").count(), 3);
        let busy = page.find("aria-label=\"Tom &amp; Jerry");
        let quiet = page.find("aria-label=\"Quiet: 1 permintaan\"");
        let idle = page.find("aria-label=\"Idle: 0 permintaan\"");
        assert!(busy < quiet && quiet < idle && busy.is_some());
        // Four non-empty parts of 250 each for the busy platform, one grey bar for the idle one.
        assert!(page.contains(
            "<rect x=\"750.0\" y=\"0\" width=\"250.0\" height=\"40\" fill=\"#6e2f8f\"><title>Lewat batas waktu, belum dijawab: 1</title></rect>"
        ));
        assert!(page.contains(
            "<rect x=\"0\" y=\"0\" width=\"1000\" height=\"40\" fill=\"#eaeef2\"></rect>"
        ));
        assert!(page.contains("<tfoot><tr><th>Total</th><th>5</th><th>3</th>"));
        assert!(page.contains("<td>Lainnya &lt;i&gt;</td><td>7</td><td>6</td>"));
        assert!(!page.contains("Belum ada permintaan."));
    }
}

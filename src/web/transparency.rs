//! `GET /transparency` (an HTML page with one inline-SVG bar chart per platform, Indonesian or
//! `?lang=en`) and `GET /transparency.csv` (the same figures, one row per platform × metric).
//! No JavaScript, nothing loaded from another host, readable on a phone.

use std::fmt::Write as _;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use crate::error::ServiceError;
use crate::i18n::Lang;
use crate::service::Services;
use crate::service::transparency::{self, Report};

#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
}

/// A date (`2026-01-31`, midnight UTC) or an RFC 3339 instant.
fn parse_time(value: Option<&str>) -> Result<Option<NaiveDateTime>, ()> {
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
    match query.lang.as_deref() {
        Some("en") => Lang::En,
        Some("id") => Lang::Id,
        _ => Lang::from_accept_language(
            request
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        ),
    }
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
        return Err(bad(if lang == Lang::En {
            "from/to must be dates (2026-01-31) or RFC 3339 times."
        } else {
            "from/to harus berupa tanggal (2026-01-31) atau waktu RFC 3339."
        }));
    };
    transparency::report(services, from, to)
        .await
        .map_err(|error| match error {
            ServiceError::BadInput { .. } => bad(&error.message(lang)),
            other => {
                if let ServiceError::Internal(detail) = &other {
                    tracing::error!(%detail, "transparency report failed");
                }
                HttpResponse::build(StatusCode::INTERNAL_SERVER_ERROR)
                    .content_type("text/plain; charset=utf-8")
                    .body(other.message(lang).into_owned())
            }
        })
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

/// `section,key,metric,value`: one row per platform × metric, then per category × metric, then
/// the totals. Keys are slugs and codes, so no field ever needs quoting.
pub fn render_csv(report: &Report) -> String {
    let mut out = String::from("section,key,metric,value\n");
    for p in &report.platforms {
        let c = &p.counts;
        let rows: [(&str, String); 17] = [
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
                p.platform.platform.slug
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
            let _ = writeln!(out, "category,{},{metric},{value}", category.category.code);
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
        ("median_hours_to_answer", number(report.total_median_hours)),
        ("p90_hours_to_answer", number(report.total_p90_hours)),
        ("compliance_rate", number(report.total_compliance_rate())),
    ] {
        let _ = writeln!(out, "total,all,{metric},{value}");
    }
    out
}

pub async fn page(
    services: web::Data<Services>,
    request: HttpRequest,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    let query_string = request.query_string().to_owned();
    respond(&services, &request, &query, |report, lang| {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(render_page(report, lang, &query_string))
    })
    .await
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

struct Words {
    title: &'static str,
    intro: &'static str,
    period_all: &'static str,
    period: &'static str,
    issued: &'static str,
    requests: &'static str,
    on_time: &'static str,
    late: &'static str,
    declined: &'static str,
    overdue: &'static str,
    other: &'static str,
    platform: &'static str,
    answered: &'static str,
    median: &'static str,
    p90: &'static str,
    compliance: &'static str,
    categories: &'static str,
    category: &'static str,
    complaints: &'static str,
    cases: &'static str,
    rejected: &'static str,
    forwarded: &'static str,
    resolved: &'static str,
    none: &'static str,
    download: &'static str,
    other_lang: &'static str,
    definitions: &'static str,
}

const ID: Words = Words {
    title: "Transparansi penurunan konten per platform",
    intro: "Berapa permintaan penurunan konten yang dikirim kementerian ke setiap platform, dan bagaimana platform menjawabnya. Batas waktu: 24 jam, 4 jam untuk permintaan mendesak (Permenkominfo 5/2020).",
    period_all: "Seluruh periode",
    period: "Periode",
    issued: "permintaan",
    requests: "Permintaan",
    on_time: "Ditindak tepat waktu",
    late: "Ditindak terlambat",
    declined: "Ditolak platform",
    overdue: "Lewat batas waktu, belum dijawab",
    other: "Lainnya (menunggu, butuh info)",
    platform: "Platform",
    answered: "Dijawab",
    median: "Median jam menjawab",
    p90: "Persentil ke-90 (jam)",
    compliance: "Tingkat kepatuhan",
    categories: "Aduan per kategori",
    category: "Kategori",
    complaints: "Aduan",
    cases: "Kasus",
    rejected: "Ditolak",
    forwarded: "Diteruskan",
    resolved: "Selesai",
    none: "Belum ada permintaan.",
    download: "Unduh data (CSV)",
    other_lang: "English",
    definitions: "Tepat waktu: dijawab sebelum batas waktu. Ditindak: konten dihapus, dibatasi, atau diblokir untuk Indonesia. Tingkat kepatuhan: ditindak tepat waktu dibagi permintaan. Data agregat; tidak ada data pribadi.",
};

const EN: Words = Words {
    title: "Takedown transparency by platform",
    intro: "How many takedown requests the ministry sent to each platform, and how each platform answered. Deadlines: 24 hours, 4 hours for urgent requests (Permenkominfo 5/2020).",
    period_all: "All time",
    period: "Period",
    issued: "requests",
    requests: "Requests",
    on_time: "Acted on time",
    late: "Acted late",
    declined: "Declined by the platform",
    overdue: "Past the deadline, unanswered",
    other: "Other (waiting, needs info)",
    platform: "Platform",
    answered: "Answered",
    median: "Median hours to answer",
    p90: "90th percentile (hours)",
    compliance: "Compliance rate",
    categories: "Complaints by category",
    category: "Category",
    complaints: "Complaints",
    cases: "Cases",
    rejected: "Rejected",
    forwarded: "Forwarded",
    resolved: "Resolved",
    none: "No requests yet.",
    download: "Download the data (CSV)",
    other_lang: "Bahasa Indonesia",
    definitions: "On time: answered before the deadline. Acted: content removed, restricted, or geo-blocked for Indonesia. Compliance rate: acted on time divided by requests. Aggregates only; no personal data.",
};

const COLOURS: [(&str, &str); 5] = [
    ("#1a7f37", "on_time"),
    ("#9a6700", "late"),
    ("#cf222e", "declined"),
    ("#6e2f8f", "overdue"),
    ("#8c959f", "other"),
];

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

fn hours(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"))
}

/// One horizontal stacked bar: on time / late / declined / overdue / the rest.
fn chart(p: &transparency::PlatformCompliance, words: &Words) -> String {
    let c = &p.counts;
    let other = (c.issued - c.acted_on_time - c.acted_late - c.declined - c.overdue).max(0);
    let parts = [c.acted_on_time, c.acted_late, c.declined, c.overdue, other];
    let labels = [
        words.on_time,
        words.late,
        words.declined,
        words.overdue,
        words.other,
    ];
    let name = escape(&p.platform.platform.name);
    let mut svg = format!(
        "<svg class=\"bar\" viewBox=\"0 0 1000 40\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{name}: {} {}\">",
        c.issued, words.issued
    );
    if c.issued == 0 {
        svg.push_str("<rect x=\"0\" y=\"0\" width=\"1000\" height=\"40\" fill=\"#eaeef2\"/>");
    } else {
        let mut x = 0.0;
        for (index, value) in parts.iter().enumerate() {
            if *value == 0 {
                continue;
            }
            let width = 1000.0 * *value as f64 / c.issued as f64;
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"0\" width=\"{width:.1}\" height=\"40\" fill=\"{}\"><title>{}: {value}</title></rect>",
                COLOURS[index].0, labels[index]
            );
            x += width;
        }
    }
    svg.push_str("</svg>");
    svg
}

pub fn render_page(report: &Report, lang: Lang, query_string: &str) -> String {
    let words = if lang == Lang::En { &EN } else { &ID };
    let period = match (report.period.from, report.period.to) {
        (None, None) => words.period_all.to_owned(),
        (from, to) => format!(
            "{}: {} – {}",
            words.period,
            from.map_or_else(|| "…".to_owned(), |d| d.format("%Y-%m-%d").to_string()),
            to.map_or_else(|| "…".to_owned(), |d| d.format("%Y-%m-%d").to_string())
        ),
    };
    let mut query: Vec<String> = query_string
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .map(escape)
        .collect();
    let csv_link = if query.is_empty() {
        "/transparency.csv".to_owned()
    } else {
        format!("/transparency.csv?{}", query.join("&amp;"))
    };
    query.push(format!(
        "lang={}",
        if lang == Lang::En { "id" } else { "en" }
    ));
    let other_lang_link = format!("/transparency?{}", query.join("&amp;"));

    let mut html = String::with_capacity(16 * 1024);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} – laporlapak</title>\n<style>\n\
         body{{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1f2328;line-height:1.5}}\n\
         h1{{font-size:1.5rem;margin:.5rem 0}} h2{{font-size:1.15rem;margin:1.5rem 0 .5rem}}\n\
         .platform{{margin:1rem 0}} .platform h3{{font-size:1rem;margin:0 0 .25rem;display:flex;justify-content:space-between;gap:.5rem;flex-wrap:wrap}}\n\
         .bar{{width:100%;height:1.6rem;display:block;border-radius:4px;overflow:hidden;background:#eaeef2}}\n\
         .legend{{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;list-style:none;font-size:.9rem}}\n\
         .legend span{{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle;border-radius:2px}}\n\
         .table{{overflow-x:auto}} table{{border-collapse:collapse;width:100%;font-size:.9rem}}\n\
         th,td{{padding:.35rem .5rem;border-bottom:1px solid #d0d7de;text-align:right;white-space:nowrap}} th:first-child,td:first-child{{text-align:left}}\n\
         .muted{{color:#59636e;font-size:.9rem}} a{{color:#0969da}}\n\
         </style>\n</head>\n<body>\n<header>\n<p class=\"muted\"><a href=\"{other_lang_link}\">{other_lang}</a> · <a href=\"{csv_link}\">{download}</a></p>\n\
         <h1>{title}</h1>\n<p>{intro}</p>\n<p class=\"muted\">{period}</p>\n</header>\n<main>\n",
        lang = lang.code(),
        title = words.title,
        intro = words.intro,
        other_lang = words.other_lang,
        download = words.download,
    );
    html.push_str("<ul class=\"legend\">");
    for (index, label) in [
        words.on_time,
        words.late,
        words.declined,
        words.overdue,
        words.other,
    ]
    .iter()
    .enumerate()
    {
        let _ = write!(
            html,
            "<li><span style=\"background:{}\"></span>{label}</li>",
            COLOURS[index].0
        );
    }
    html.push_str("</ul>\n<section>\n");
    // Worst first: the platforms leaving the most requests overdue, then the busiest.
    let mut platforms: Vec<&transparency::PlatformCompliance> = report.platforms.iter().collect();
    platforms.sort_by(|a, b| {
        (b.counts.overdue, b.counts.issued).cmp(&(a.counts.overdue, a.counts.issued))
    });
    for p in &platforms {
        let c = &p.counts;
        let _ = writeln!(
            html,
            "<div class=\"platform\"><h3><span>{name}</span><span class=\"muted\">{issued} {issued_word} · {overdue_word}: {overdue} · {compliance_word}: {rate}</span></h3>{chart}</div>",
            name = escape(&p.platform.platform.name),
            issued = c.issued,
            issued_word = words.issued,
            overdue_word = words.overdue,
            overdue = c.overdue,
            compliance_word = words.compliance,
            rate = percent(p.compliance_rate()),
            chart = chart(p, words),
        );
    }
    if report.totals.issued == 0 {
        let _ = writeln!(html, "<p class=\"muted\">{}</p>", words.none);
    }
    let _ = write!(
        html,
        "</section>\n<div class=\"table\"><table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        words.platform,
        words.requests,
        words.answered,
        words.on_time,
        words.late,
        words.declined,
        words.overdue,
        words.median,
        words.p90,
        words.compliance
    );
    for p in &platforms {
        let c = &p.counts;
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&p.platform.platform.name),
            c.issued,
            c.answered,
            c.acted_on_time,
            c.acted_late,
            c.declined,
            c.overdue,
            hours(p.median_hours),
            hours(p.p90_hours),
            percent(p.compliance_rate())
        );
    }
    let t = &report.totals;
    let _ = write!(
        html,
        "</tbody>\n<tfoot><tr><th>Total</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></tfoot>\n</table></div>\n",
        t.issued,
        t.answered,
        t.acted_on_time,
        t.acted_late,
        t.declined,
        t.overdue,
        hours(report.total_median_hours),
        hours(report.total_p90_hours),
        percent(report.total_compliance_rate())
    );
    let _ = write!(
        html,
        "<h2>{}</h2>\n<div class=\"table\"><table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        words.categories,
        words.category,
        words.complaints,
        words.cases,
        words.rejected,
        words.forwarded,
        words.resolved
    );
    for category in &report.categories {
        let c = &category.counts;
        let label = if lang == Lang::En {
            &category.category.label_en
        } else {
            &category.category.label_id
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(label),
            c.complaints,
            c.cases_opened,
            c.rejected,
            c.forwarded,
            c.resolved
        );
    }
    let _ = write!(
        html,
        "</tbody>\n</table></div>\n</main>\n<footer><p class=\"muted\">{}</p><p class=\"muted\">laporlapak · {}</p></footer>\n</body>\n</html>\n",
        words.definitions,
        report.generated_at.format("%Y-%m-%d %H:%M UTC")
    );
    html
}

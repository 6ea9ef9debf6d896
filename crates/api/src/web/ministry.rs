//! The ministry's own figures on the transparency page (a section beside the platforms') and as
//! CSV at `GET /ministry.csv` (`month,metric,value`, one row per month × metric).

use std::fmt::Write as _;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use laporlapak_domain::i18n::{Lang, PageText};
use laporlapak_service::Services;
use laporlapak_service::error::ServiceError;
use laporlapak_service::ministry::{self, MinistryFigures, MonthFigures};

#[derive(Debug, Deserialize)]
pub struct FiguresQuery {
    months: Option<i32>,
    lang: Option<String>,
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| format!("{v:.2}"))
}

/// Every metric of a month, in the CSV's (and the open data's) order.
pub fn month_rows(m: &MonthFigures) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = [
        ("complaints", m.complaints.to_string()),
        ("cases_opened", m.cases_opened.to_string()),
        ("triaged", m.triaged.to_string()),
        ("median_hours_to_triage", number(m.median_hours_to_triage)),
        ("p90_hours_to_triage", number(m.p90_hours_to_triage)),
        ("undecided", m.undecided.to_string()),
        ("questions_asked", m.questions_asked.to_string()),
        ("questions_unanswered", m.questions_unanswered.to_string()),
        ("rejected", m.rejected.to_string()),
        ("rejection_rate", number(m.rejection_rate())),
        ("appeals_filed", m.appeals_filed.to_string()),
        ("appeals_pending", m.appeals_pending.to_string()),
        ("appeals_upheld", m.appeals_upheld.to_string()),
        ("appeals_granted", m.appeals_granted.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for (reason, cases) in &m.rejected_by_reason {
        rows.push((
            format!("rejected_{}", reason.as_str().to_lowercase()),
            cases.to_string(),
        ));
    }
    rows
}

pub fn render_csv(figures: &MinistryFigures) -> String {
    let mut out = String::from("month,metric,value\n");
    for m in &figures.months {
        let month = m.month.format("%Y-%m");
        for (metric, value) in month_rows(m) {
            let _ = writeln!(out, "{month},{metric},{value}");
        }
    }
    let b = &figures.backlog;
    for (metric, value) in [
        ("backlog_under_3_days", b.under_3_days),
        ("backlog_3_to_7_days", b.from_3_to_7_days),
        ("backlog_7_to_30_days", b.from_7_to_30_days),
        ("backlog_over_30_days", b.over_30_days),
    ] {
        let _ = writeln!(out, "now,{metric},{value}");
    }
    out
}

pub async fn csv(
    services: web::Data<Services>,
    request: HttpRequest,
    query: web::Query<FiguresQuery>,
) -> HttpResponse {
    let lang = crate::web::page_lang(&request, query.lang.as_deref());
    match ministry::figures(&services, query.months).await {
        Ok(figures) => {
            let mut response = HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"laporlapak-ministry.csv\"",
                ))
                .body(render_csv(&figures));
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            );
            response
        }
        Err(error @ ServiceError::BadInput { .. }) => HttpResponse::BadRequest()
            .content_type("text/plain; charset=utf-8")
            .body(error.message(lang).into_owned()),
        Err(error) => crate::web::transparency::failure(error, lang),
    }
}

fn hours(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"))
}

/// The section of the transparency page: one row per month, the backlog by age, rejections by
/// reason over the months shown.
pub fn section(figures: &MinistryFigures, lang: Lang) -> Markup {
    let words = |t: PageText| t.text(lang);
    let mut by_reason: Vec<(laporlapak_domain::RejectionReason, i64)> = Vec::new();
    for m in &figures.months {
        for (reason, cases) in &m.rejected_by_reason {
            match by_reason.iter_mut().find(|(r, _)| r == reason) {
                Some(slot) => slot.1 += cases,
                None => by_reason.push((*reason, *cases)),
            }
        }
    }
    let b = &figures.backlog;
    html! {
        h2 id="ministry" { (words(PageText::MinistryHeading)) }
        p.muted { (words(PageText::MinistryIntro)) " " a href="/ministry.csv" { (words(PageText::DownloadMinistryCsv)) } }
        div.table {
            table {
                thead {
                    tr {
                        th { (words(PageText::Month)) }
                        th { (words(PageText::Complaints)) }
                        th { (words(PageText::Cases)) }
                        th { (words(PageText::Triaged)) }
                        th { (words(PageText::MedianHoursToTriage)) }
                        th { (words(PageText::P90HoursToTriage)) }
                        th { (words(PageText::Undecided)) }
                        th { (words(PageText::QuestionsAsked)) }
                        th { (words(PageText::QuestionsUnanswered)) }
                        th { (words(PageText::Rejected)) }
                        th { (words(PageText::Appeals)) }
                    }
                }
                tbody {
                    @for m in figures.months.iter().rev() {
                        tr {
                            td { (m.month.format("%Y-%m")) }
                            td { (m.complaints) }
                            td { (m.cases_opened) }
                            td { (m.triaged) }
                            td { (hours(m.median_hours_to_triage)) }
                            td { (hours(m.p90_hours_to_triage)) }
                            td { (m.undecided) }
                            td { (m.questions_asked) }
                            td { (m.questions_unanswered) }
                            td { (m.rejected) }
                            td { (m.appeals_pending) " / " (m.appeals_upheld) " / " (m.appeals_granted) }
                        }
                    }
                }
            }
        }
        h2 { (words(PageText::BacklogByAge)) }
        div.table {
            table {
                thead { tr { th { "< 3 d" } th { "3–7 d" } th { "7–30 d" } th { "> 30 d" } th { (words(PageText::Total)) } } }
                tbody { tr { td { (b.under_3_days) } td { (b.from_3_to_7_days) } td { (b.from_7_to_30_days) } td { (b.over_30_days) } td { (b.total()) } } }
            }
        }
        h2 { (words(PageText::RejectedByReason)) }
        div.table {
            table {
                tbody {
                    @for (reason, cases) in &by_reason {
                        tr { td { (reason.as_str()) } td { (cases) } }
                    }
                }
            }
        }
    }
}

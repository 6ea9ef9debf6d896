//! The trends section of the transparency page: per platform, an inline SVG line of its monthly
//! compliance rate, with the month's requests, median hours to answer, re-listings and
//! reinstatements under each point. Server-rendered by the template (every text escaped), no
//! script.

use maud::{Markup, html};

use laporlapak_domain::i18n::{Lang, PageText};
use laporlapak_service::trends::PlatformTrend;

const WIDTH: f64 = 720.0;
const PLOT_TOP: f64 = 10.0;
const PLOT_HEIGHT: f64 = 100.0;

fn hours(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"))
}

fn chart(trend: &PlatformTrend) -> Markup {
    let count = trend.points.len().max(1) as f64;
    let step = WIDTH / count;
    let x = |i: usize| step * (i as f64 + 0.5);
    let y = |rate: f64| PLOT_TOP + PLOT_HEIGHT * (1.0 - rate.clamp(0.0, 1.0));
    let line: Vec<String> = trend
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.compliance_rate
                .map(|r| format!("{:.1},{:.1}", x(i), y(r)))
        })
        .collect();
    html! {
        svg class="trend" viewBox={ "0 0 " (WIDTH) " 170" } role="img"
            aria-label={ (trend.platform.platform.name) } {
            line x1="0" y1=(PLOT_TOP) x2=(WIDTH) y2=(PLOT_TOP) stroke="#d0d7de" {}
            line x1="0" y1=(PLOT_TOP + PLOT_HEIGHT) x2=(WIDTH) y2=(PLOT_TOP + PLOT_HEIGHT) stroke="#d0d7de" {}
            text x="2" y=(PLOT_TOP + 10.0) font-size="10" fill="#59636e" { "100%" }
            @if line.len() > 1 {
                polyline points=(line.join(" ")) fill="none" stroke="#1a7f37" stroke-width="2" {}
            }
            @for (i, p) in trend.points.iter().enumerate() {
                @if let Some(rate) = p.compliance_rate {
                    circle cx=(format!("{:.1}", x(i))) cy=(format!("{:.1}", y(rate))) r="3.5" fill="#1a7f37" {
                        title { (p.month.format("%Y-%m")) ": " (format!("{:.0}%", rate * 100.0)) }
                    }
                }
                text x=(format!("{:.1}", x(i))) y="128" font-size="10" text-anchor="middle" fill="#1f2328" {
                    (p.month.format("%Y-%m"))
                }
                text x=(format!("{:.1}", x(i))) y="142" font-size="9" text-anchor="middle" fill="#59636e" {
                    (p.requests_issued) " / " (hours(p.median_hours_to_answer))
                }
                text x=(format!("{:.1}", x(i))) y="155" font-size="9" text-anchor="middle" fill="#59636e" {
                    (p.relistings) " / " (p.reinstatements)
                }
            }
        }
    }
}

pub fn section(trends: &[PlatformTrend], lang: Lang) -> Markup {
    let words = |t: PageText| t.text(lang);
    html! {
        h2 id="trends" { (words(PageText::TrendsHeading)) }
        p.muted { (words(PageText::TrendsIntro)) }
        @for trend in trends {
            @if trend.points.iter().any(|p| p.requests_issued > 0 || p.relistings > 0) {
                div.platform {
                    h3 { span { (trend.platform.platform.name) } }
                    (chart(trend))
                }
            }
        }
    }
}

//! `GET /privacy`: the privacy notice (Indonesian by default; `?lang=en` or `Accept-Language`
//! for English). Its version is `privacyNotice.version` in the schema, and registration records
//! the version a person accepted. Its texts are the `Privacy…` [`PageText`]s; change
//! [`NOTICE_VERSION`] with them.
//!
//! [`NOTICE_VERSION`]: laporlapak_service::privacy::NOTICE_VERSION

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{DOCTYPE, Markup, html};

use laporlapak_domain::i18n::{Lang, PageText};
use laporlapak_service::privacy::NOTICE_VERSION;

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    lang: Option<String>,
}

/// One section of the notice: a heading and its paragraphs.
struct Section {
    heading: PageText,
    paragraphs: &'static [PageText],
}

const SECTIONS: &[Section] = &[
    Section {
        heading: PageText::PrivacyControllerHeading,
        paragraphs: &[PageText::PrivacyController],
    },
    Section {
        heading: PageText::PrivacyStoredHeading,
        paragraphs: &[PageText::PrivacyStored, PageText::PrivacyEncryption],
    },
    Section {
        heading: PageText::PrivacyRecipientsHeading,
        paragraphs: &[PageText::PrivacyRecipients],
    },
    Section {
        heading: PageText::PrivacyRetentionHeading,
        paragraphs: &[PageText::PrivacyRetention],
    },
    Section {
        heading: PageText::PrivacyRightsHeading,
        paragraphs: &[PageText::PrivacyRights],
    },
];

pub async fn notice(request: HttpRequest, query: web::Query<NoticeQuery>) -> HttpResponse {
    let lang = crate::web::page_lang(&request, query.lang.as_deref());
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", crate::web::headers::PAGE_POLICY))
        .insert_header(("Content-Language", lang.code()))
        .body(render(lang).into_string())
}

fn render(lang: Lang) -> Markup {
    let words = |text: PageText| text.text(lang);
    let title = words(PageText::PrivacyTitle);
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
            }
            body {
                h1 { (title) }
                p {
                    (words(PageText::Version)) " " code { (NOTICE_VERSION) } " · "
                    a href={ "/privacy?lang=" (if lang == Lang::En { "id" } else { "en" }) } {
                        (words(PageText::OtherLanguage))
                    }
                }
                @for section in SECTIONS {
                    h2 { (words(section.heading)) }
                    @for paragraph in section.paragraphs {
                        p { (words(*paragraph)) }
                    }
                }
            }
        }
    }
}

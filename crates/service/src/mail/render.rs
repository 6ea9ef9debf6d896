//! Mails from templates (`crates/service/templates/mail`, one folder per language): a plain text
//! part whose first line is the subject, and an HTML part that extends the language's layout.
//! minijinja escapes every value in the HTML templates; nothing is built by hand.

use std::sync::OnceLock;

use chrono::NaiveDateTime;
use minijinja::Environment;
use serde::Serialize;

use crate::mail::outbox::MailData;
use laporlapak_domain::RejectionReason;
use laporlapak_domain::i18n::Lang;
use laporlapak_domain::mail::MailKind;

/// Every template, compiled into the binary.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "id/appeal_outcome.html",
        include_str!("../../templates/mail/id/appeal_outcome.html"),
    ),
    (
        "id/appeal_outcome.txt",
        include_str!("../../templates/mail/id/appeal_outcome.txt"),
    ),
    (
        "id/decision.txt",
        include_str!("../../templates/mail/id/decision.txt"),
    ),
    (
        "id/footer.txt",
        include_str!("../../templates/mail/id/footer.txt"),
    ),
    (
        "id/forwarded.html",
        include_str!("../../templates/mail/id/forwarded.html"),
    ),
    (
        "id/forwarded.txt",
        include_str!("../../templates/mail/id/forwarded.txt"),
    ),
    (
        "id/joined.html",
        include_str!("../../templates/mail/id/joined.html"),
    ),
    (
        "id/joined.txt",
        include_str!("../../templates/mail/id/joined.txt"),
    ),
    (
        "id/layout.html",
        include_str!("../../templates/mail/id/layout.html"),
    ),
    (
        "id/opened.html",
        include_str!("../../templates/mail/id/opened.html"),
    ),
    (
        "id/opened.txt",
        include_str!("../../templates/mail/id/opened.txt"),
    ),
    (
        "id/platform_answer.html",
        include_str!("../../templates/mail/id/platform_answer.html"),
    ),
    (
        "id/platform_answer.txt",
        include_str!("../../templates/mail/id/platform_answer.txt"),
    ),
    (
        "id/question.html",
        include_str!("../../templates/mail/id/question.html"),
    ),
    (
        "id/question.txt",
        include_str!("../../templates/mail/id/question.txt"),
    ),
    (
        "id/rejected.html",
        include_str!("../../templates/mail/id/rejected.html"),
    ),
    (
        "id/rejected.txt",
        include_str!("../../templates/mail/id/rejected.txt"),
    ),
    (
        "id/reminder.html",
        include_str!("../../templates/mail/id/reminder.html"),
    ),
    (
        "id/reminder.txt",
        include_str!("../../templates/mail/id/reminder.txt"),
    ),
    (
        "id/still_online.html",
        include_str!("../../templates/mail/id/still_online.html"),
    ),
    (
        "id/still_online.txt",
        include_str!("../../templates/mail/id/still_online.txt"),
    ),
    (
        "en/appeal_outcome.html",
        include_str!("../../templates/mail/en/appeal_outcome.html"),
    ),
    (
        "en/appeal_outcome.txt",
        include_str!("../../templates/mail/en/appeal_outcome.txt"),
    ),
    (
        "en/decision.txt",
        include_str!("../../templates/mail/en/decision.txt"),
    ),
    (
        "en/footer.txt",
        include_str!("../../templates/mail/en/footer.txt"),
    ),
    (
        "en/forwarded.html",
        include_str!("../../templates/mail/en/forwarded.html"),
    ),
    (
        "en/forwarded.txt",
        include_str!("../../templates/mail/en/forwarded.txt"),
    ),
    (
        "en/joined.html",
        include_str!("../../templates/mail/en/joined.html"),
    ),
    (
        "en/joined.txt",
        include_str!("../../templates/mail/en/joined.txt"),
    ),
    (
        "en/layout.html",
        include_str!("../../templates/mail/en/layout.html"),
    ),
    (
        "en/opened.html",
        include_str!("../../templates/mail/en/opened.html"),
    ),
    (
        "en/opened.txt",
        include_str!("../../templates/mail/en/opened.txt"),
    ),
    (
        "en/platform_answer.html",
        include_str!("../../templates/mail/en/platform_answer.html"),
    ),
    (
        "en/platform_answer.txt",
        include_str!("../../templates/mail/en/platform_answer.txt"),
    ),
    (
        "en/question.html",
        include_str!("../../templates/mail/en/question.html"),
    ),
    (
        "en/question.txt",
        include_str!("../../templates/mail/en/question.txt"),
    ),
    (
        "en/rejected.html",
        include_str!("../../templates/mail/en/rejected.html"),
    ),
    (
        "en/rejected.txt",
        include_str!("../../templates/mail/en/rejected.txt"),
    ),
    (
        "en/reminder.html",
        include_str!("../../templates/mail/en/reminder.html"),
    ),
    (
        "en/reminder.txt",
        include_str!("../../templates/mail/en/reminder.txt"),
    ),
    (
        "en/still_online.html",
        include_str!("../../templates/mail/en/still_online.html"),
    ),
    (
        "en/still_online.txt",
        include_str!("../../templates/mail/en/still_online.txt"),
    ),
];

/// A mail ready to send.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The links a mail carries, made for its recipient.
#[derive(Debug, Clone, Default)]
pub struct Links {
    pub status_url: String,
    pub unsubscribe_url: String,
    pub still_online_url: Option<String>,
}

#[derive(Serialize)]
struct Context<'a> {
    tracking_code: Option<&'a str>,
    question: Option<&'a str>,
    reply_due: Option<String>,
    reason: Option<&'static str>,
    message: Option<&'a str>,
    platform: Option<&'a str>,
    decision: Option<&'a str>,
    statement: Option<&'a str>,
    status_url: &'a str,
    unsubscribe_url: &'a str,
    still_online_url: Option<&'a str>,
}

fn environment() -> &'static Result<Environment<'static>, minijinja::Error> {
    static ENVIRONMENT: OnceLock<Result<Environment<'static>, minijinja::Error>> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let mut env = Environment::new();
        // A missing value is an error, not an empty string: a template never silently drops one.
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(env)
    })
}

/// A date as mails show it (UTC).
pub fn date(at: NaiveDateTime, lang: Lang) -> String {
    match lang {
        Lang::Id => at.format("%d-%m-%Y %H:%M UTC").to_string(),
        Lang::En => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// Renders a mail of `kind` in `lang`.
pub fn render(
    kind: MailKind,
    lang: Lang,
    data: &MailData,
    links: &Links,
) -> Result<Rendered, minijinja::Error> {
    let env = environment().as_ref().map_err(|error| {
        minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, error.to_string())
    })?;
    let context = Context {
        tracking_code: data.tracking_code.as_deref(),
        question: data.question.as_deref(),
        reply_due: data.reply_due_at.map(|at| date(at, lang)),
        reason: data
            .reason_code
            .as_deref()
            .and_then(|code| RejectionReason::parse(code).ok())
            .map(|reason| reason.explanation(lang)),
        message: data.message.as_deref(),
        platform: data.platform.as_deref(),
        decision: data.decision.as_deref(),
        statement: data.statement.as_deref(),
        status_url: &links.status_url,
        unsubscribe_url: &links.unsubscribe_url,
        still_online_url: links.still_online_url.as_deref(),
    };
    let folder = lang.code();
    let name = kind.template();
    let text = env
        .get_template(&format!("{folder}/{name}.txt"))?
        .render(&context)?;
    let html = env
        .get_template(&format!("{folder}/{name}.html"))?
        .render(&context)?;
    let (subject, body) = text.split_once("\n\n").unwrap_or((text.as_str(), ""));
    Ok(Rendered {
        subject: subject.trim().to_owned(),
        text: body.trim_start().to_owned(),
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> MailData {
        MailData {
            tracking_code: Some("LL-AAAA-BBBB".to_owned()),
            question: Some("<b>Which</b> shop?".to_owned()),
            reply_due_at: NaiveDateTime::parse_from_str("2026-12-21 10:00:00", "%Y-%m-%d %H:%M:%S")
                .ok(),
            reason_code: Some("DUPLICATE".to_owned()),
            message: Some("See <script>alert(1)</script>".to_owned()),
            platform: Some("Toko & Co".to_owned()),
            decision: Some("REMOVED".to_owned()),
            statement: Some("Removed under our rules.".to_owned()),
            takedown_request_id: Some(1),
        }
    }

    #[test]
    fn every_template_exists_in_both_languages() {
        let links = Links {
            status_url: "https://lapor.example/status".to_owned(),
            unsubscribe_url: "https://lapor.example/mail/unsubscribe?t=x".to_owned(),
            still_online_url: Some("https://lapor.example/mail/still-online?t=y".to_owned()),
        };
        for &kind in MailKind::ALL {
            let mut subjects = Vec::new();
            for lang in [Lang::Id, Lang::En] {
                let mail = render(kind, lang, &sample(), &links)
                    .unwrap_or_else(|e| panic!("{kind} in {lang:?}: {e:#}"));
                assert!(
                    !mail.subject.is_empty() && !mail.subject.contains('\n'),
                    "{kind}"
                );
                assert!(
                    mail.text.contains(&links.unsubscribe_url),
                    "{kind} {lang:?}"
                );
                assert!(mail.html.contains("lang=\"") && mail.html.contains("unsubscribe?t=x"));
                assert!(!mail.html.contains("<script>") && !mail.html.contains("<b>Which"));
                assert!(!mail.text.contains("{{") && !mail.html.contains("{%"));
                subjects.push(mail.subject);
            }
            assert_ne!(subjects[0], subjects[1], "{kind} is not translated");
        }
    }

    #[test]
    fn every_template_file_is_used() {
        for (name, _) in TEMPLATES {
            let file = name.rsplit('/').next().unwrap_or_default();
            let stem = file.split('.').next().unwrap_or_default();
            assert!(
                matches!(stem, "layout" | "footer" | "decision")
                    || MailKind::ALL.iter().any(|kind| kind.template() == stem),
                "{name}"
            );
        }
    }
}

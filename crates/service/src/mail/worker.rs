//! The mail worker, run by every server process. Each round it
//! 1. writes the reminders of reviewers' questions at half their time (a conditional update marks
//!    the case, so with several replicas exactly one writes them);
//! 2. claims due mails with a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so two replicas never
//!    hold the same mail) and sends each through the SMTP relay, with its stable `Message-ID`.
//!
//! A mail whose recipient unsubscribed or was erased meanwhile is dropped unsent. An address that
//! received [`MailSettings::per_recipient_per_day`](super::MailSettings) mails in 24 hours gets the
//! next an hour later. A relay that refuses for good fails the mail; any other error is retried
//! with backoff (5 s, ×3 each time, at most 2 h) until three days after the event. A process that
//! dies mid-delivery leaves its lease to lapse and the mail is sent again with the same
//! `Message-ID` (at least once; a mail client shows one message).
//!
//! Without a relay nothing is claimed: mails wait in the outbox, and the process logs that once.

use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::NaiveDateTime;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::lifecycle::Draining;
use crate::mail::outbox::{self, MailData};
use crate::mail::render::{self, Links};
use crate::mail::unsubscribe::{self, Subscriber};
use crate::mail::{MailSettings, lang_of};
use laporlapak_db::models::case::Case;
use laporlapak_db::models::mail::{MailConsent, MailNext, MailOutbox};
use laporlapak_db::vault::Field;
use laporlapak_domain::mail::MailKind;

const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// How long a claimed mail is held: the SMTP timeout and then some.
const LEASE_SECONDS: i64 = 90;
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Mails claimed per round by one process (sent one after the other).
const BATCH: i64 = 20;
const REMINDER_BATCH: i64 = 100;
const GIVE_UP_AFTER_HOURS: i64 = 72;
const FIRST_RETRY_SECONDS: f64 = 5.0;
const LONGEST_WAIT_SECONDS: f64 = 2.0 * 3600.0;

/// Runs until the server drains.
pub async fn run(services: Services, mut draining: Draining) {
    let transport = match transport(&services.mail.settings) {
        Ok(transport) => transport,
        Err(error) => {
            tracing::error!(%error, "the SMTP relay URL is refused; mails wait in the outbox");
            None
        }
    };
    loop {
        let reminded = remind(&services).await;
        laporlapak_metrics::get().job_run("question_reminders", reminded.is_ok());
        if let Err(error) = reminded {
            tracing::warn!(?error, "writing question reminders failed");
        }
        let asked = crate::mail::still_online::ask(&services).await;
        laporlapak_metrics::get().job_run("still_online_questions", asked.is_ok());
        if let Err(error) = asked {
            tracing::warn!(
                ?error,
                "asking whether removed listings are still online failed"
            );
        }
        match &transport {
            Some(transport) => {
                if let Err(error) = deliver_due(&services, transport).await {
                    tracing::warn!(?error, "delivering mails failed");
                }
            }
            None => warn_once(&services).await,
        }
        tokio::select! {
            () = draining.started() => break,
            () = services.mail.wake.notified() => {}
            () = tokio::time::sleep(POLL_INTERVAL) => {}
        }
    }
}

/// The relay's transport, or `None` when none is configured.
fn transport(
    settings: &MailSettings,
) -> Result<Option<AsyncSmtpTransport<Tokio1Executor>>, lettre::transport::smtp::Error> {
    let Some(url) = settings.relay.as_deref() else {
        return Ok(None);
    };
    Ok(Some(
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(SMTP_TIMEOUT))
            .build(),
    ))
}

async fn warn_once(services: &Services) {
    if services.mail.warned.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(waiting) = crate::mail::pending(services).await
        && waiting > 0
        && !services.mail.warned.swap(true, Ordering::Relaxed)
    {
        tracing::warn!(
            waiting,
            "no SMTP relay is configured (LAPORLAPAK_SMTP_URL): notification mails wait in the outbox"
        );
    }
}

/// Writes the reminder of every reviewer's question past half its time, once each.
pub async fn remind(services: &Services) -> ServiceResult<usize> {
    let half = services.reply_window / 2;
    let vault = services.vault.clone();
    let due_before = services.clock.now() + half;
    let any = services
        .db
        .run(move |conn| {
            Ok::<_, ServiceError>(!Case::reminder_due(conn, due_before, 1)?.is_empty())
        })
        .await?;
    if !any {
        return Ok(0);
    }
    let written = services
        .write(move |conn, now| {
            let mut written = 0;
            for case in Case::reminder_due(conn, now + half, REMINDER_BATCH)? {
                if !Case::mark_reminded(conn, case.id)? {
                    continue;
                }
                let data = MailData {
                    reply_due_at: case.reply_due_at,
                    ..MailData::default()
                };
                written += outbox::to_case(conn, &vault, case.id, MailKind::Reminder, &data, now)?;
            }
            Ok(written)
        })
        .await?;
    Ok(written)
}

/// A claimed mail, with what sending it needs.
struct Claimed {
    mail: MailOutbox,
    held_until: NaiveDateTime,
    address: Option<String>,
}

async fn deliver_due(
    services: &Services,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
) -> ServiceResult<()> {
    let now = services.clock.now();
    let due = services
        .db
        .run(move |conn| Ok::<_, ServiceError>(MailOutbox::any_due(conn, now)?))
        .await?;
    if !due {
        return Ok(());
    }
    let vault = services.vault.clone();
    let claimed = services
        .write(move |conn, now| {
            let held_until = now + chrono::Duration::seconds(LEASE_SECONDS);
            let mails = MailOutbox::claim_due(conn, now, held_until, BATCH)?;
            let mut claimed = Vec::with_capacity(mails.len());
            for mail in mails {
                let address = if MailConsent::holds(conn, mail.complaint_id, mail.account_id)? {
                    MailConsent::address(conn, mail.complaint_id, mail.account_id)?
                        .and_then(|sealed| {
                            let field = if mail.complaint_id.is_some() {
                                Field::ContactEmail
                            } else {
                                Field::Email
                            };
                            vault.open(field, &sealed).ok()
                        })
                        .filter(|address| !address.is_empty())
                } else {
                    None
                };
                claimed.push(Claimed {
                    mail,
                    held_until,
                    address,
                });
            }
            Ok(claimed)
        })
        .await?;
    for claimed in claimed {
        deliver(services, transport, claimed).await?;
    }
    Ok(())
}

async fn deliver(
    services: &Services,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    claimed: Claimed,
) -> ServiceResult<()> {
    let Claimed {
        mail,
        held_until,
        address,
    } = claimed;
    let at = services.clock.now();
    let settings = &services.mail.settings;
    let (next, tag, error) = match address {
        None => (MailNext::Dropped, None, None),
        Some(address) => {
            let tag = services
                .vault
                .stable_tag("mail-recipient", &address.to_lowercase())?;
            let since = at - chrono::Duration::hours(24);
            let tag_for_count = tag.clone();
            let sent_today = services
                .db
                .run(move |conn| {
                    Ok::<_, ServiceError>(MailOutbox::sent_to_since(conn, &tag_for_count, since)?)
                })
                .await?;
            if sent_today >= settings.per_recipient_per_day {
                (
                    MailNext::RetryAt(at + chrono::Duration::hours(1)),
                    None,
                    Some("the recipient's daily bound is reached".to_owned()),
                )
            } else {
                match send(services, transport, &mail, &address).await {
                    Ok(()) => (MailNext::Sent, Some(tag), None),
                    Err(Failure::Permanent(error)) => (MailNext::Failed, None, Some(error)),
                    Err(Failure::Transient(error)) => (
                        next_attempt(mail.created_at, at, mail.attempts + 1),
                        None,
                        Some(error),
                    ),
                }
            }
        }
    };
    laporlapak_metrics::get().job_run(
        "mail_delivery",
        !matches!(next, MailNext::Failed | MailNext::RetryAt(_)),
    );
    match (&next, &error) {
        (MailNext::Sent, _) => tracing::info!(mail = mail.id, kind = %mail.kind, "mail sent"),
        (MailNext::Dropped, _) => {
            tracing::info!(
                mail = mail.id,
                "mail dropped: the recipient unsubscribed or was erased"
            );
        }
        (_, error) => tracing::info!(mail = mail.id, error = error.as_deref(), "mail not sent"),
    }
    let id = mail.id;
    let recorded = services
        .db
        .run(move |conn| {
            laporlapak_db::write_transaction(conn, |conn| {
                MailOutbox::record(
                    conn,
                    id,
                    held_until,
                    at,
                    next,
                    tag.as_deref(),
                    error.as_deref(),
                )
            })
            .map_err(ServiceError::from)
        })
        .await?;
    if !recorded {
        tracing::warn!(mail = id, "a mail's delivery outlived its lease");
    }
    Ok(())
}

enum Failure {
    Permanent(String),
    Transient(String),
}

/// The links of a mail, made for its recipient.
pub fn links(services: &Services, mail: &MailOutbox, data: &MailData) -> ServiceResult<Links> {
    let base = services.mail.settings.public_url.trim_end_matches('/');
    let subscriber = Subscriber::of(mail.complaint_id, mail.account_id).ok_or(
        crate::error::InternalError::Invariant("a mail has a recipient"),
    )?;
    let token = unsubscribe::token(&services.vault, subscriber)?;
    let still_online_url = match data.takedown_request_id {
        Some(id) if mail.kind == MailKind::StillOnline => {
            let token = crate::mail::still_online::token(&services.vault, id)?;
            Some(format!("{base}/mail/still-online?t={token}"))
        }
        _ => None,
    };
    Ok(Links {
        status_url: format!("{base}/"),
        unsubscribe_url: format!("{base}/mail/unsubscribe?t={token}"),
        still_online_url,
    })
}

async fn send(
    services: &Services,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    mail: &MailOutbox,
    address: &str,
) -> Result<(), Failure> {
    let permanent = |what: &str| Failure::Permanent(what.to_owned());
    let payload = mail
        .payload
        .as_ref()
        .ok_or_else(|| permanent("the mail has no payload"))?;
    let data: MailData = services
        .vault
        .open(Field::MailPayload, payload)
        .ok()
        .and_then(|json| serde_json::from_str(&json).ok())
        .ok_or_else(|| permanent("the mail's payload does not open"))?;
    let links = links(services, mail, &data).map_err(|_| permanent("the mail's links"))?;
    let rendered = render::render(mail.kind, lang_of(&mail.language), &data, &links)
        .map_err(|error| Failure::Permanent(format!("template: {error}")))?;
    let settings = &services.mail.settings;
    let from: Mailbox = settings
        .from
        .parse()
        .map_err(|_| permanent("LAPORLAPAK_MAIL_FROM is not an address"))?;
    let to: Mailbox = address
        .parse()
        .map_err(|_| permanent("the recipient's address is refused"))?;
    let domain = from.email.domain().to_owned();
    let mut message = Message::builder()
        .from(from)
        .to(to)
        .subject(rendered.subject)
        .message_id(Some(format!("<{}@{domain}>", mail.message_id)))
        .multipart(MultiPart::alternative_plain_html(
            rendered.text,
            rendered.html,
        ))
        .map_err(|error| Failure::Permanent(format!("message: {error}")))?;
    let header = |name: &str, value: String| {
        HeaderName::new_from_ascii(name.to_owned()).map(|name| HeaderValue::new(name, value))
    };
    for (name, value) in [
        ("List-Unsubscribe", format!("<{}>", links.unsubscribe_url)),
        (
            "List-Unsubscribe-Post",
            "List-Unsubscribe=One-Click".to_owned(),
        ),
        ("Auto-Submitted", "auto-generated".to_owned()),
    ] {
        let value = header(name, value).map_err(|_| permanent("a header name"))?;
        message.headers_mut().insert_raw(value);
    }
    match transport.send(message).await {
        Ok(_) => Ok(()),
        Err(error) if error.is_permanent() => Err(Failure::Permanent(error.to_string())),
        Err(error) => Err(Failure::Transient(error.to_string())),
    }
}

/// After the `attempts`-th failed attempt: 5 s, 15 s, 45 s, … (at most 2 h, ±20 % jitter), until
/// three days after the event.
fn next_attempt(created_at: NaiveDateTime, now: NaiveDateTime, attempts: i32) -> MailNext {
    let exponent = attempts.saturating_sub(1).clamp(0, 20);
    let base = (FIRST_RETRY_SECONDS * 3f64.powi(exponent)).min(LONGEST_WAIT_SECONDS);
    let mut random = [0u8; 2];
    let jitter = match getrandom::fill(&mut random) {
        Ok(()) => 0.8 + 0.4 * f64::from(u16::from_le_bytes(random)) / f64::from(u16::MAX),
        Err(_) => 1.0,
    };
    // At most 2 h × 1.2, so the cast cannot overflow.
    #[allow(clippy::cast_possible_truncation)]
    let wait = chrono::Duration::milliseconds((base * jitter * 1000.0) as i64);
    let next = now + wait;
    if next > created_at + chrono::Duration::hours(GIVE_UP_AFTER_HOURS) {
        MailNext::Failed
    } else {
        MailNext::RetryAt(next)
    }
}

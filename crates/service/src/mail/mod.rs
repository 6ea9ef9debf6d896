//! Notification mails to reporters (issue 31): the case opened or joined, a reviewer's question
//! and its reminder, the decision and its reasons, the platform's answer, an appeal's outcome.
//!
//! * Consent: an anonymous reporter opts in at submission with the contact e-mail it gives; a
//!   citizen turns mails on in its settings. Each records [`CONSENT_VERSION`] and the language.
//! * [`outbox`]: mails are written in the transaction of the event; [`worker`] delivers them over
//!   SMTP (a relay from the configuration; without one they wait), once each, retried with backoff,
//!   at most [`MailSettings::per_recipient_per_day`] a day to one address.
//! * [`unsubscribe`]: every mail carries a one-click unsubscribe link (RFC 8058) that needs no
//!   sign-in: a keyed token naming the complaint or account, never its tracking code.
//! * Nothing here ever mails the seller's data or another reporter's.

pub mod outbox;
pub mod render;
pub mod still_online;
pub mod unsubscribe;
pub mod worker;

use std::sync::atomic::AtomicBool;

use tokio::sync::Notify;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::viewer::Viewer;
use laporlapak_db::models::mail::{MailConsent, MailOutbox};
use laporlapak_domain::i18n::{Lang, Msg};

/// The version of the consent text shown beside the opt-in ("send me news of this report by
/// e-mail"). Change it whenever the text's substance changes: each opt-in records the version.
pub const CONSENT_VERSION: &str = "2026-12-07";

/// How notification mails go out.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The SMTP relay as a URL (`smtp://`, `smtp://…?tls=required` for STARTTLS, `smtps://` for
    /// implicit TLS, with `user:password@` for authentication); `None`: mails wait in the outbox.
    pub relay: Option<String>,
    /// The `From` address (`LaporLapak <noreply@lapor.example>`).
    pub from: String,
    /// Where the server is reached from outside, for the links in mails (no trailing slash).
    pub public_url: String,
    /// Most mails one address receives in 24 hours; the rest wait.
    pub per_recipient_per_day: i64,
    /// How long after a removal reporters are asked whether the listing is still online.
    pub still_online_after: chrono::Duration,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            relay: None,
            from: "LaporLapak <noreply@localhost>".to_owned(),
            public_url: "http://localhost:8080".to_owned(),
            per_recipient_per_day: 20,
            still_online_after: chrono::Duration::days(7),
        }
    }
}

/// What the mail worker needs besides the database.
#[derive(Debug, Default)]
pub struct MailRuntime {
    pub settings: MailSettings,
    /// Rung after a commit that wrote mails, so they go out at once.
    pub wake: Notify,
    /// Whether "no relay is configured" was logged (once per process).
    pub(crate) warned: AtomicBool,
}

impl MailRuntime {
    pub fn new(settings: MailSettings) -> Self {
        Self {
            settings,
            wake: Notify::new(),
            warned: AtomicBool::new(false),
        }
    }
}

/// The language a reporter's mails are written in.
pub fn lang_of(code: &str) -> Lang {
    if code == "en" { Lang::En } else { Lang::Id }
}

/// `setMailNotifications`: a citizen turns notification mails on (recording the consent text's
/// version and the language) or off. Returns whether they are on. CITIZEN only.
pub async fn set_for_citizen(
    services: &Services,
    viewer: &Viewer,
    enabled: bool,
    consent_version: Option<&str>,
    lang: Lang,
) -> ServiceResult<bool> {
    let citizen = viewer.citizen()?;
    let account_id = citizen.account_id();
    let version = if enabled {
        Some(accepted_consent(consent_version, "consentVersion")?)
    } else {
        None
    };
    let now = services.clock.now();
    services
        .write(move |conn, _| {
            MailConsent::set_for_account(conn, account_id, version, version.map(|_| lang.code()))?;
            if version.is_none() {
                MailOutbox::drop_pending(conn, None, Some(account_id), now)?;
            }
            Ok(version.is_some())
        })
        .await
}

/// Whether the signed-in citizen receives notification mails. CITIZEN only.
pub async fn citizen_setting(services: &Services, viewer: &Viewer) -> ServiceResult<bool> {
    let account_id = viewer.citizen()?.account_id();
    services
        .db
        .run(move |conn| {
            Ok::<_, ServiceError>(MailConsent::of_account(conn, account_id)?.is_some())
        })
        .await
}

/// The consent version an opt-in records: the current one, and only it.
pub fn accepted_consent(given: Option<&str>, field: &'static str) -> ServiceResult<&'static str> {
    match given.map(str::trim) {
        None => Ok(CONSENT_VERSION),
        Some(version) if version == CONSENT_VERSION => Ok(CONSENT_VERSION),
        Some(_) => Err(ServiceError::bad_input(field, Msg::MailConsentOutdated)),
    }
}

/// How many mails wait in the outbox (for the operator).
pub async fn pending(services: &Services) -> ServiceResult<i64> {
    services
        .db
        .run(|conn| Ok::<_, ServiceError>(MailOutbox::pending_count(conn)?))
        .await
}

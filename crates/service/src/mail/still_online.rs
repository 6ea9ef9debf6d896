//! "Is it still online?" Some days after a platform answered a takedown request with a removal
//! or an account action ([`MailSettings::still_online_after`](super::MailSettings), 7 by default),
//! the case's reporters who opted in to mails are asked, with a link that needs no sign-in; a
//! reporter may also answer with the complaint's tracking code (rate-limited like every use of a
//! code). "Gone" confirms the removal; "still online" disputes it — `disputed_at` on the request —
//! and a RESOLVED case goes back to the review queue, still claimed by its reviewer. The
//! transparency scorecard counts both per platform.

use chrono::NaiveDateTime;
use subtle::ConstantTimeEq as _;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::limits::{self, ClientAddress};
use crate::mail::outbox::{self, MailData};
use crate::viewer::Viewer;
use laporlapak_db::DbConnection;
use laporlapak_db::models::case::Case;
use laporlapak_db::models::complaint::Complaint;
use laporlapak_db::models::takedown_request::TakedownRequest;
use laporlapak_db::vault::Vault;
use laporlapak_domain::case::Transition;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::mail::MailKind;
use laporlapak_domain::{AuditAction, CaseStatus, TrackingCode};

const DOMAIN: &str = "mail-still-online";
const TAG_CHARS: usize = 32;
const BATCH: i64 = 100;

/// The token of a still-online link: names the takedown request (`r<id>`), keyed like the
/// unsubscribe token, holding no tracking code.
pub fn token(vault: &Vault, request_id: i64) -> ServiceResult<String> {
    let name = format!("r{request_id}");
    let tag = vault.stable_tag(DOMAIN, &name)?;
    Ok(format!("{name}.{}", &tag[..TAG_CHARS.min(tag.len())]))
}

/// The takedown request a still-online token names, if genuine.
pub fn verify(vault: &Vault, token: &str) -> Option<i64> {
    let (name, tag) = token.trim().split_once('.')?;
    let id: i64 = name.strip_prefix('r')?.parse().ok()?;
    let expected = vault.stable_tag(DOMAIN, name).ok()?;
    let expected = &expected[..TAG_CHARS.min(expected.len())];
    bool::from(expected.as_bytes().ct_eq(tag.as_bytes())).then_some(id)
}

/// Writes the question for every request due, once each (the mail worker calls it each round).
pub async fn ask(services: &Services) -> ServiceResult<usize> {
    let after = services.mail.settings.still_online_after;
    let vault = services.vault.clone();
    let cache = services.reference.clone();
    let before = services.clock.now() - after;
    let any = services
        .db
        .run(move |conn| {
            Ok::<_, ServiceError>(!TakedownRequest::still_online_due(conn, before, 1)?.is_empty())
        })
        .await?;
    if !any {
        return Ok(0);
    }
    services
        .write(move |conn, now| {
            let mut written = 0;
            for request in TakedownRequest::still_online_due(conn, now - after, BATCH)? {
                if !TakedownRequest::mark_still_online_asked(conn, request.id, now)? {
                    continue;
                }
                let platform =
                    crate::webhook::worker::platform_name(conn, &cache, request.platform_id)?;
                let data = MailData {
                    platform: Some(platform),
                    takedown_request_id: Some(request.id),
                    ..MailData::default()
                };
                let kind = MailKind::StillOnline;
                written += outbox::to_case(conn, &vault, request.case_id, kind, &data, now)?;
            }
            Ok(written)
        })
        .await
}

/// What a reporter's answer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOutcome {
    /// The case's status after the answer.
    pub status: CaseStatus,
    /// Whether the removal now stands disputed.
    pub disputed: bool,
}

/// Records a reporter's answer about `request` in the caller's transaction.
fn record(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    viewer: &Viewer,
    request: &TakedownRequest,
    still_online: bool,
) -> ServiceResult<CheckOutcome> {
    let case = Case::find(conn, request.case_id)?.ok_or(ServiceError::NotFound)?;
    let changed = TakedownRequest::record_reporter_check(conn, request.id, still_online, now)?;
    let mut status = case.status;
    if changed && still_online {
        let rule = Transition::ReporterDisputesRemoval.rule();
        if rule.from.contains(&case.status)
            && Case::transition(conn, case.id, case.version, case.status, rule.to, now)?
        {
            status = rule.to;
        }
        audit::record(
            conn,
            now,
            Actor::Viewer(viewer),
            NewEvent::new(rule.action, Subject::Case(case.id))
                .in_case(case.id)
                .status(status)
                .details(&format!("takedown request {}", request.id)),
        )?;
    } else if changed {
        audit::record(
            conn,
            now,
            Actor::Viewer(viewer),
            NewEvent::new(
                AuditAction::TakedownRemovalConfirmed,
                Subject::TakedownRequest(request.id),
            )
            .in_case(case.id),
        )?;
    }
    let disputed = TakedownRequest::find(conn, request.id)?
        .and_then(|row| row.disputed_at)
        .is_some();
    Ok(CheckOutcome { status, disputed })
}

/// A request whose removal reporters may confirm or dispute: answered with a removal (or an
/// account action, once the question was asked).
fn answerable(request: &TakedownRequest) -> bool {
    request.withdrawn_at.is_none()
        && (request.action == Some(laporlapak_domain::TakedownAction::Removed)
            || request.still_online_asked_at.is_some())
}

/// The answer given through the link of the mail; NOT_FOUND for a token that is not genuine.
pub async fn answer_by_token(
    services: &Services,
    viewer: &Viewer,
    token: &str,
    still_online: bool,
) -> ServiceResult<CheckOutcome> {
    let request_id = verify(&services.vault, token).ok_or(ServiceError::NotFound)?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let request = TakedownRequest::find(conn, request_id)?
                .filter(answerable)
                .ok_or(ServiceError::NotFound)?;
            record(conn, now, &viewer, &request, still_online)
        })
        .await
}

/// `answerStillOnlineByTrackingCode`: the same answer by a complaint's tracking code. NOT_FOUND
/// for an unknown code; CONFLICT when no platform removed what the case reports.
pub async fn answer_by_tracking_code(
    services: &Services,
    viewer: &Viewer,
    address: ClientAddress,
    tracking_code: &str,
    still_online: bool,
) -> ServiceResult<CheckOutcome> {
    limits::check_address(services, limits::TRACKING_CODE_USES_PER_ADDRESS, address).await?;
    let code = TrackingCode::parse(tracking_code).ok_or(ServiceError::NotFound)?;
    let lookup = crate::complaint::tracking_lookup(services, &code)?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let complaint =
                Complaint::find_by_tracking_code(conn, &lookup)?.ok_or(ServiceError::NotFound)?;
            let request = TakedownRequest::for_case(conn, complaint.case_id)?
                .into_iter()
                .rev()
                .find(answerable)
                .ok_or_else(|| ServiceError::conflict(Msg::NoRemovalToCheck))?;
            record(conn, now, &viewer, &request, still_online)
        })
        .await
}

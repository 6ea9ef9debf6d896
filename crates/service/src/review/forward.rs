//! `forwardCase`: IN_REVIEW → FORWARDED, issuing the ministry's takedown NOTICE to the case's
//! platform, due after the platform's own committed response hours (24 normal, 4 urgent by
//! default) — a commitment of the platform, not a statutory deadline: only Komdigi's orders carry
//! one (`legal`, docs/legal-chain.md). The urgency of a notice is the platform's policy matter,
//! so it is not limited to the categories of the statutory urgent track.

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::review::{Step, note, transition};
use crate::seller;
use crate::takedown::TakedownView;
use crate::viewer::Viewer;
use crate::webhook::outbox::{self, EventType};
use laporlapak_db::models::case::Case;
use laporlapak_db::models::category::Category;
use laporlapak_db::models::platform::Platform;
use laporlapak_db::models::seller::TakedownIdentifier;
use laporlapak_db::models::takedown_request::{TakedownRequest, TakedownRequestInsertForm};
use laporlapak_domain::case::Transition;
use laporlapak_domain::{AuditAction, TakedownKind, TakedownStatus, Urgency};

pub struct ForwardRequest {
    pub urgency: Urgency,
    /// Defaults to the category's legal basis.
    pub legal_basis: Option<String>,
    pub note: Option<String>,
    /// Identifiers of the case or its seller found on other platforms, by id, that the reviewer
    /// deliberately tells the platform (audited); those found on the platform itself always go.
    pub attach_identifiers: Vec<i64>,
}

pub async fn forward(
    services: &Services,
    viewer: &Viewer,
    case_id: i64,
    request: ForwardRequest,
) -> ServiceResult<TakedownView> {
    let reviewer = viewer.reviewer()?;
    let me = reviewer.account_id();
    let legal_basis = request
        .legal_basis
        .as_deref()
        .map(|basis| note(basis, "input.legalBasis"))
        .transpose()?;
    let note_text = request
        .note
        .as_deref()
        .map(|n| note(n, "input.note"))
        .transpose()?;
    let urgency = request.urgency;
    let attach = request.attach_identifiers;
    let actor = viewer.clone();
    let vault = services.vault.clone();
    let step = Step {
        transition: Transition::Forward,
        details: Some(urgency.to_string()),
    };
    let (_, request) = transition(
        services,
        viewer,
        reviewer,
        case_id,
        step,
        move |conn, case, now| {
            let platform = Platform::find(conn, case.platform_id)?.ok_or(ServiceError::NotFound)?;
            let category = Category::find(conn, case.category_id)?.ok_or(ServiceError::NotFound)?;
            let hours = match urgency {
                Urgency::Normal => platform.response_hours,
                Urgency::Urgent => platform.urgent_response_hours,
            };
            let due_at = now + chrono::Duration::hours(i64::from(hours));
            // A re-listing's request names the removal that did not stick.
            let relisting_of_id = match case.relisted_from_id {
                Some(earlier) => Case::last_removal(conn, earlier)?,
                None => None,
            };
            let id = TakedownRequest::insert(
                conn,
                &TakedownRequestInsertForm {
                    case_id: case.id,
                    platform_id: platform.id,
                    legal_basis: legal_basis.as_deref().unwrap_or(&category.legal_basis),
                    urgency,
                    note: note_text.as_deref(),
                    status: TakedownStatus::Pending,
                    issued_by: me,
                    issued_at: now,
                    due_at,
                    updated_at: now,
                    remind_at: Some(now + (due_at - now) / 2),
                    relisting_of_id,
                    kind: TakedownKind::Notice,
                    order_number: None,
                    order_date: None,
                    order_article: None,
                },
            )?;
            let (identifiers, attached) = seller::forward_identifiers(conn, case, id, &attach)?;
            TakedownIdentifier::insert_many(conn, &identifiers)?;
            if !attached.is_empty() {
                let details = attached.join("; ");
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&actor),
                    NewEvent::new(
                        AuditAction::SellerIdentifiersAttached,
                        Subject::TakedownRequest(id),
                    )
                    .in_case(case.id)
                    .details(&details),
                )?;
            }
            Case::set_takedown_due_at(conn, case.id, Some(due_at))?;
            let row = TakedownRequest::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            let view = TakedownView::new(row, now);
            outbox::takedown_event(
                conn,
                EventType::TakedownRequestIssued,
                &view,
                &platform.slug,
                &case.target,
                now,
            )?;
            let data = crate::mail::outbox::MailData {
                platform: Some(platform.name.clone()),
                ..Default::default()
            };
            let kind = laporlapak_domain::mail::MailKind::Forwarded;
            crate::mail::outbox::to_case(conn, &vault, case.id, kind, &data, now)?;
            Ok(view)
        },
    )
    .await?;
    services.webhooks.wake.notify_one();
    Ok(request)
}

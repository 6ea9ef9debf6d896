//! Webhooks for platforms: endpoints a platform registers, the events written to the outbox in the
//! transaction of the change that causes them ([`outbox`]), and their delivery by a background
//! worker in every server process ([`worker`]), signed as the Standard Webhooks specification
//! says ([`signature`]) and kept off private networks ([`egress`]).
//!
//! A platform's representatives (people or API clients) manage their own platform's endpoints and
//! see its deliveries; an ADMIN manages every platform's. Nobody else sees that webhooks exist.

pub mod egress;
pub mod outbox;
pub mod signature;
pub mod worker;

use chrono::NaiveDateTime;
use laporlapak_domain::webhook::{DeliveryStatus, EventType};
use tokio::sync::Notify;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::viewer::Viewer;
use laporlapak_db::DbConnection;
use laporlapak_db::models::webhook::{
    WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookMessage,
};
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{AuditAction, text};

/// Enabled endpoints one platform may have.
pub const ENDPOINTS_PER_PLATFORM: usize = 10;
/// Longest a replaced signing secret may keep signing beside the new one (a week).
pub const MAX_OVERLAP_HOURS: i64 = 168;
pub const DESCRIPTION_MAX: usize = 200;

/// What the worker needs besides the database: the egress rules and a bell rung after a commit
/// that enqueued events, so they go out at once rather than at the next poll.
#[derive(Debug, Default)]
pub struct WebhookRuntime {
    pub egress: egress::EgressPolicy,
    pub wake: Notify,
}

/// An endpoint as its platform and administrators see it (the secret only once, at creation).
#[derive(Debug, Clone)]
pub struct EndpointView {
    pub id: i64,
    pub platform_id: i64,
    pub url: String,
    pub description: Option<String>,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
    /// Until when the secret replaced by the last rotation signs beside the current one.
    pub previous_secret_until: Option<NaiveDateTime>,
}

impl From<WebhookEndpoint> for EndpointView {
    fn from(row: WebhookEndpoint) -> Self {
        Self {
            id: row.id,
            platform_id: row.platform_id,
            url: row.url,
            description: row.description,
            created_at: row.created_at,
            disabled_at: row.disabled_at,
            previous_secret_until: row.previous_secret.and(row.previous_secret_until),
        }
    }
}

pub struct CreatedEndpoint {
    pub endpoint: EndpointView,
    /// The signing secret (`whsec_…`), shown this once.
    pub secret: String,
}

#[derive(Debug, Clone)]
pub struct DeliveryView {
    pub id: i64,
    pub endpoint_id: i64,
    pub message_id: String,
    pub event_type: EventType,
    pub payload: String,
    pub status: DeliveryStatus,
    pub attempt_count: i32,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub attempts: Vec<AttemptView>,
}

#[derive(Debug, Clone)]
pub struct AttemptView {
    pub at: NaiveDateTime,
    pub duration_ms: i32,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
}

/// Whose webhooks the viewer manages: its own platform's, or (an ADMIN) any.
#[derive(Debug, Clone, Copy)]
enum Manager {
    Platform(i64),
    Admin,
}

fn manager(viewer: &Viewer) -> ServiceResult<Manager> {
    match (viewer.platform_rep(), viewer.admin()) {
        (Ok(rep), _) => Ok(Manager::Platform(rep.platform_id())),
        (_, Ok(_)) => Ok(Manager::Admin),
        (Err(refused), Err(_)) => Err(refused),
    }
}

impl Manager {
    fn may_manage(self, platform_id: i64) -> bool {
        match self {
            Self::Platform(own) => own == platform_id,
            Self::Admin => true,
        }
    }

    /// The platform the viewer names: a representative its own (naming another is FORBIDDEN),
    /// an ADMIN the one named (required).
    fn platform(
        self,
        conn: &mut DbConnection,
        services_cache: &crate::reference_data::ReferenceCache,
        slug: Option<&str>,
    ) -> ServiceResult<i64> {
        let named = match slug {
            Some(slug) => Some(services_cache.platform_id_named(conn, slug.trim(), "platform")?),
            None => None,
        };
        match (self, named) {
            (Self::Platform(own), None) => Ok(own),
            (Self::Platform(own), Some(id)) if id == own => Ok(own),
            (Self::Platform(_), Some(_)) => Err(ServiceError::Forbidden),
            (Self::Admin, Some(id)) => Ok(id),
            (Self::Admin, None) => Err(ServiceError::bad_input("platform", Msg::Required)),
        }
    }
}

/// `createWebhookEndpoint`: a platform's HTTPS endpoint, with a new signing secret.
pub async fn create_endpoint(
    services: &Services,
    viewer: &Viewer,
    platform_slug: Option<String>,
    url: &str,
    description: Option<&str>,
) -> ServiceResult<CreatedEndpoint> {
    let manager = manager(viewer)?;
    let url = services
        .webhooks
        .egress
        .check_url(url)
        .map_err(|reason| ServiceError::bad_input("url", reason))?
        .to_string();
    let description = description
        .map(|d| text::single_line(d, 1, DESCRIPTION_MAX))
        .transpose()
        .map_err(|reason| ServiceError::bad_input("description", reason))?;
    let secret = signature::new_secret()?;
    let cache = services.reference.clone();
    let viewer = viewer.clone();
    let stored_secret = secret.clone();
    let endpoint = services
        .write(move |conn, now| {
            let platform_id = manager.platform(conn, &cache, platform_slug.as_deref())?;
            if WebhookEndpoint::list(conn, Some(platform_id), false)?.len()
                >= ENDPOINTS_PER_PLATFORM
            {
                return Err(ServiceError::bad_input(
                    "url",
                    Msg::TooMany {
                        max: ENDPOINTS_PER_PLATFORM,
                    },
                ));
            }
            let id = WebhookEndpoint::insert(
                conn,
                platform_id,
                &url,
                &stored_secret,
                description.as_deref(),
                now,
            )?;
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::WebhookEndpointCreated,
                    Subject::WebhookEndpoint(id),
                )
                .details(&url),
            )?;
            let row = WebhookEndpoint::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            Ok(EndpointView::from(row))
        })
        .await?;
    Ok(CreatedEndpoint { endpoint, secret })
}

/// `webhookEndpoints`: the viewer's platform's endpoints (an ADMIN: every platform's).
pub async fn endpoints(services: &Services, viewer: &Viewer) -> ServiceResult<Vec<EndpointView>> {
    let manager = manager(viewer)?;
    let platform = match manager {
        Manager::Platform(id) => Some(id),
        Manager::Admin => None,
    };
    services
        .db
        .run(move |conn| {
            Ok(WebhookEndpoint::list(conn, platform, true)?
                .into_iter()
                .map(EndpointView::from)
                .collect())
        })
        .await
}

/// One endpoint by its number, for `node(id:)`: `None` when it does not exist or the viewer may
/// not manage it (the two are not told apart), and for viewers who manage no endpoint.
pub async fn find_endpoint(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<Option<EndpointView>> {
    let Ok(manager) = manager(viewer) else {
        return Ok(None);
    };
    services
        .db
        .run(move |conn| {
            Ok(WebhookEndpoint::find(conn, id)?
                .filter(|e| manager.may_manage(e.platform_id))
                .map(EndpointView::from))
        })
        .await
}

/// One delivery by its number, for `node(id:)`: `None` when it does not exist or its endpoint is
/// not the viewer's to manage.
pub async fn find_delivery(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<Option<DeliveryView>> {
    let Ok(manager) = manager(viewer) else {
        return Ok(None);
    };
    services
        .db
        .run(move |conn| {
            let Some(delivery) = WebhookDelivery::find(conn, id)? else {
                return Ok(None);
            };
            let managed = WebhookEndpoint::find(conn, delivery.endpoint_id)?
                .is_some_and(|e| manager.may_manage(e.platform_id));
            if !managed {
                return Ok(None);
            }
            Ok(delivery_views(conn, vec![delivery])?.pop())
        })
        .await
}

/// `disableWebhookEndpoint`: no new deliveries are made for it; pending ones fail at their next
/// attempt. Disabling twice changes nothing.
pub async fn disable_endpoint(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<EndpointView> {
    let manager = manager(viewer)?;
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let endpoint = WebhookEndpoint::find(conn, id)?
                .filter(|e| manager.may_manage(e.platform_id))
                .ok_or(ServiceError::NotFound)?;
            if WebhookEndpoint::disable(conn, endpoint.id, now)? {
                audit::record(
                    conn,
                    now,
                    Actor::Viewer(&viewer),
                    NewEvent::new(
                        AuditAction::WebhookEndpointDisabled,
                        Subject::WebhookEndpoint(endpoint.id),
                    ),
                )?;
            }
            let row = WebhookEndpoint::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            Ok(EndpointView::from(row))
        })
        .await
}

/// `rotateWebhookSecret`: a new signing secret for an endpoint, shown this once. For
/// `overlap_hours` (0 to 168) the secret it replaces keeps signing too — every delivery carries
/// both signatures, so a receiver may switch at leisure —; after that only the new one signs. A
/// secret replaced by an earlier rotation stops signing at once.
pub async fn rotate_secret(
    services: &Services,
    viewer: &Viewer,
    id: i64,
    overlap_hours: i64,
) -> ServiceResult<CreatedEndpoint> {
    let manager = manager(viewer)?;
    if !(0..=MAX_OVERLAP_HOURS).contains(&overlap_hours) {
        return Err(ServiceError::bad_input(
            "overlapHours",
            Msg::OutOfRange {
                min: 0,
                max: MAX_OVERLAP_HOURS,
            },
        ));
    }
    let secret = signature::new_secret()?;
    let viewer = viewer.clone();
    let stored_secret = secret.clone();
    let endpoint = services
        .write(move |conn, now| {
            let endpoint = WebhookEndpoint::find(conn, id)?
                .filter(|e| manager.may_manage(e.platform_id))
                .ok_or(ServiceError::NotFound)?;
            let overlap_until =
                (overlap_hours > 0).then(|| now + chrono::Duration::hours(overlap_hours));
            WebhookEndpoint::rotate_secret(conn, endpoint.id, &stored_secret, overlap_until)?;
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::WebhookSecretRotated,
                    Subject::WebhookEndpoint(endpoint.id),
                )
                .details(&format!("overlap {overlap_hours} h")),
            )?;
            let row = WebhookEndpoint::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            Ok(EndpointView::from(row))
        })
        .await?;
    Ok(CreatedEndpoint { endpoint, secret })
}

fn delivery_views(
    conn: &mut DbConnection,
    deliveries: Vec<WebhookDelivery>,
) -> ServiceResult<Vec<DeliveryView>> {
    let message_ids: Vec<i64> = deliveries.iter().map(|d| d.webhook_message_id).collect();
    let messages = WebhookMessage::find_many(conn, &message_ids)?;
    let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
    let attempts = WebhookAttempt::for_deliveries(conn, &ids)?;
    deliveries
        .into_iter()
        .map(|delivery| {
            let message = messages
                .iter()
                .find(|m| m.id == delivery.webhook_message_id)
                .ok_or(crate::error::InternalError::Invariant(
                    "a delivery's message exists",
                ))?;
            Ok(DeliveryView {
                id: delivery.id,
                endpoint_id: delivery.endpoint_id,
                message_id: message.message_id.clone(),
                event_type: message.event_type,
                payload: message.payload.clone(),
                next_attempt_at: (delivery.status == DeliveryStatus::Pending)
                    .then_some(delivery.next_attempt_at),
                status: delivery.status,
                attempt_count: delivery.attempts,
                created_at: delivery.created_at,
                finished_at: delivery.finished_at,
                last_status_code: delivery.last_status_code,
                last_error: delivery.last_error,
                attempts: attempts
                    .iter()
                    .filter(|a| a.delivery_id == delivery.id)
                    .map(|a| AttemptView {
                        at: a.at,
                        duration_ms: a.duration_ms,
                        status_code: a.status_code,
                        error: a.error.clone(),
                        response_excerpt: a.response_excerpt.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// `webhookDeliveries`: newest first, of one endpoint or of every endpoint the viewer manages.
pub async fn deliveries(
    services: &Services,
    viewer: &Viewer,
    endpoint: Option<i64>,
    status: Option<DeliveryStatus>,
    before: Option<i64>,
    first: i64,
) -> ServiceResult<(Vec<DeliveryView>, bool)> {
    let manager = manager(viewer)?;
    services
        .db
        .run(move |conn| {
            let platform = match manager {
                Manager::Platform(id) => Some(id),
                Manager::Admin => None,
            };
            let endpoint_ids: Vec<i64> = WebhookEndpoint::list(conn, platform, true)?
                .into_iter()
                .map(|e| e.id)
                .filter(|id| endpoint.is_none_or(|wanted| wanted == *id))
                .collect();
            let mut page = WebhookDelivery::page(conn, &endpoint_ids, status, before, first + 1)?;
            let has_more = crate::cut_page(&mut page, first);
            Ok((delivery_views(conn, page)?, has_more))
        })
        .await
}

/// How many deliveries `deliveries` lists over every page (`webhookDeliveries { totalCount }`).
pub async fn deliveries_total(
    services: &Services,
    viewer: &Viewer,
    endpoint: Option<i64>,
    status: Option<DeliveryStatus>,
) -> ServiceResult<i64> {
    let manager = manager(viewer)?;
    services
        .db
        .run(move |conn| {
            let platform = match manager {
                Manager::Platform(id) => Some(id),
                Manager::Admin => None,
            };
            let endpoint_ids: Vec<i64> = WebhookEndpoint::list(conn, platform, true)?
                .into_iter()
                .map(|e| e.id)
                .filter(|id| endpoint.is_none_or(|wanted| wanted == *id))
                .collect();
            Ok(WebhookDelivery::count(conn, &endpoint_ids, status)?)
        })
        .await
}

/// `redeliverWebhook`: a finished delivery (failed, or succeeded and wanted again) is attempted
/// again at once, with the same `webhook-id`. A pending one is a CONFLICT.
pub async fn redeliver(
    services: &Services,
    viewer: &Viewer,
    id: i64,
) -> ServiceResult<DeliveryView> {
    let manager = manager(viewer)?;
    let viewer = viewer.clone();
    let view = services
        .write(move |conn, now| {
            let delivery = WebhookDelivery::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            let endpoint = WebhookEndpoint::find(conn, delivery.endpoint_id)?
                .filter(|e| manager.may_manage(e.platform_id))
                .ok_or(ServiceError::NotFound)?;
            if !WebhookDelivery::redeliver(conn, delivery.id, now)? {
                return Err(ServiceError::conflict(Msg::DeliveryPending));
            }
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::WebhookRedelivered,
                    Subject::WebhookEndpoint(endpoint.id),
                )
                .details(&delivery.id.to_string()),
            )?;
            let row = WebhookDelivery::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            delivery_views(conn, vec![row])?
                .pop()
                .ok_or(ServiceError::NotFound)
        })
        .await?;
    services.webhooks.wake.notify_one();
    Ok(view)
}

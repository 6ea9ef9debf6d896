//! Komdigi's sanctions against a platform (`recordSanction`): a step of the ladder, its letter,
//! and the orders it concerns.

use chrono::NaiveDateTime;

use super::{batch_size, letter_date, line, reasons};
use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::viewer::Viewer;
use laporlapak_db::models::sanction::{Sanction, SanctionInsertForm};
use laporlapak_db::models::takedown_request::TakedownRequest;
use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{AuditAction, SanctionStep, TakedownKind};

pub struct SanctionRequest {
    pub platform: String,
    pub step: SanctionStep,
    pub letter_number: String,
    /// `yyyy-mm-dd`.
    pub letter_date: String,
    pub reasons: String,
    /// The ORDER requests to that platform the sanction is about (1 to 100).
    pub order_ids: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct SanctionView {
    pub id: i64,
    pub platform_id: i64,
    pub step: SanctionStep,
    pub letter_number: String,
    pub letter_date: String,
    pub reasons: String,
    pub recorded_at: NaiveDateTime,
    pub order_ids: Vec<i64>,
}

fn view(row: Sanction, order_ids: Vec<i64>) -> SanctionView {
    SanctionView {
        id: row.id,
        platform_id: row.platform_id,
        step: row.step,
        letter_number: row.letter_number,
        letter_date: row.letter_date,
        reasons: row.reasons,
        recorded_at: row.recorded_at,
        order_ids,
    }
}

/// `recordSanction`: the regulator only. Every order named must be an ORDER sent to the platform.
pub async fn record_sanction(
    services: &Services,
    viewer: &Viewer,
    request: SanctionRequest,
) -> ServiceResult<SanctionView> {
    let regulator = viewer.regulator()?;
    let me = regulator.account_id();
    batch_size(request.order_ids.len(), "input.orderIds")?;
    let number = line(&request.letter_number, "input.letterNumber", 100)?;
    let date = letter_date(
        &request.letter_date,
        "input.letterDate",
        services.clock.now(),
    )?;
    let why = reasons(&request.reasons, "input.reasons")?;
    let step = request.step;
    let mut order_ids = request.order_ids;
    let slug = request.platform;
    let cache = services.reference.clone();
    let viewer = viewer.clone();
    services
        .write(move |conn, now| {
            let platform_id = cache.platform_id_named(conn, &slug, "input.platform")?;
            for (index, id) in order_ids.iter().enumerate() {
                let is_order = TakedownRequest::find(conn, *id)?
                    .is_some_and(|r| r.kind == TakedownKind::Order && r.platform_id == platform_id);
                if !is_order {
                    return Err(ServiceError::bad_input(
                        format!("input.orderIds[{index}]"),
                        Msg::OrderNotOfPlatform,
                    ));
                }
            }
            order_ids.sort_unstable();
            order_ids.dedup();
            let id = Sanction::insert(
                conn,
                &SanctionInsertForm {
                    platform_id,
                    step,
                    letter_number: &number,
                    letter_date: &date,
                    reasons: &why,
                    recorded_by: me,
                    recorded_at: now,
                },
                &order_ids,
            )?;
            let details = format!("{step} {number} {date}: {why}");
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(AuditAction::SanctionRecorded, Subject::Sanction(id))
                    .details(&details),
            )?;
            let row = Sanction::find(conn, id)?.ok_or(ServiceError::NotFound)?;
            Ok(view(row, order_ids))
        })
        .await
}

/// Sanctions, oldest first, optionally of one platform: the regulator and the ministry's staff.
pub async fn sanctions(
    services: &Services,
    viewer: &Viewer,
    platform: Option<String>,
) -> ServiceResult<Vec<SanctionView>> {
    match (viewer.regulator(), viewer.staff()) {
        (Ok(_), _) | (_, Some(_)) => {}
        (Err(refused), None) => return Err(refused),
    }
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            let platform_id = match platform {
                Some(slug) => Some(cache.platform_id_named(conn, &slug, "platform")?),
                None => None,
            };
            let mut views = Vec::new();
            for row in Sanction::recorded(conn, platform_id, None, None)? {
                let orders = Sanction::order_ids(conn, row.id)?;
                views.push(view(row, orders));
            }
            Ok(views)
        })
        .await
}

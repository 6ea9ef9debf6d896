//! Reference data: platforms and complaint categories, which everyone may read (from memory, see
//! `reference_data`), and the admin's upsert of a platform.

use std::sync::Arc;

use crate::Services;
use crate::audit::{self, Actor, NewEvent, Subject};
use crate::error::{ServiceError, ServiceResult};
use crate::reference_data::ReferenceData;
use crate::viewer::Viewer;
pub use laporlapak_db::models::category::Category;
pub use laporlapak_db::models::platform::{Platform, PlatformForm, PlatformWithHosts};

use laporlapak_domain::i18n::Msg;
use laporlapak_domain::{AuditAction, text};

/// The active platforms, by slug.
pub fn platforms(services: &Services) -> Vec<Arc<PlatformWithHosts>> {
    services
        .reference
        .get()
        .active_platforms()
        .cloned()
        .collect()
}

/// The active categories, in display order.
pub fn categories(services: &Services) -> Vec<Arc<Category>> {
    services
        .reference
        .get()
        .active_categories()
        .cloned()
        .collect()
}

/// A platform by id, active or not.
pub async fn platform(
    services: &Services,
    id: i64,
) -> ServiceResult<Option<Arc<PlatformWithHosts>>> {
    if let Some(found) = services.reference.get().platform(id) {
        return Ok(Some(found.clone()));
    }
    let cache = services.reference.clone();
    services
        .db
        .run(move |conn| {
            Ok(cache
                .after_miss(conn)?
                .and_then(|fresh| fresh.platform(id).cloned()))
        })
        .await
}

pub struct PlatformRequest {
    pub slug: String,
    pub name: String,
    pub hosts: Vec<String>,
    pub response_hours: Option<i32>,
    pub urgent_response_hours: Option<i32>,
    pub active: Option<bool>,
}

const MAX_HOSTS: usize = 20;
const MAX_RESPONSE_HOURS: i32 = 720;

fn parse_host(raw: &str) -> Option<String> {
    let host = raw.trim().trim_end_matches('.').to_lowercase();
    let parsed = url::Url::parse(&format!("https://{host}/")).ok()?;
    let valid = parsed.host_str() == Some(host.as_str())
        && matches!(parsed.host(), Some(url::Host::Domain(_)))
        && host.contains('.')
        && host.len() <= 253;
    valid.then_some(host)
}

fn hours(value: Option<i32>, default: i32, field: &'static str) -> ServiceResult<i32> {
    let value = value.unwrap_or(default);
    if (1..=MAX_RESPONSE_HOURS).contains(&value) {
        Ok(value)
    } else {
        Err(ServiceError::bad_input(
            field,
            Msg::OutOfRange {
                min: 1,
                max: i64::from(MAX_RESPONSE_HOURS),
            },
        ))
    }
}

/// Creates or updates a platform (by slug) with its host names and response hours. ADMIN only.
/// Omitted hours keep their current value on an update and default to 24 / 4 on a create.
pub async fn upsert_platform(
    services: &Services,
    viewer: &Viewer,
    request: PlatformRequest,
) -> ServiceResult<Arc<PlatformWithHosts>> {
    viewer.admin()?;
    let slug = request.slug.trim().to_lowercase();
    // Letters, digits and inner hyphens: a slug starting or ending with `-` would read as a
    // flag on a command line and as a formula in a spreadsheet.
    if slug.is_empty()
        || slug.len() > 32
        || slug.starts_with('-')
        || slug.ends_with('-')
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(ServiceError::bad_input("input.slug", Msg::InvalidSlug));
    }
    let name = text::single_line(&request.name, 1, 100)
        .map_err(|reason| ServiceError::bad_input("input.name", reason))?;
    if request.hosts.is_empty() {
        return Err(ServiceError::bad_input("input.hosts", Msg::Required));
    }
    if request.hosts.len() > MAX_HOSTS {
        return Err(ServiceError::bad_input(
            "input.hosts",
            Msg::TooMany { max: MAX_HOSTS },
        ));
    }
    let mut hosts = Vec::new();
    for (index, raw) in request.hosts.iter().enumerate() {
        let host = parse_host(raw).ok_or_else(|| {
            ServiceError::bad_input(format!("input.hosts[{index}]"), Msg::InvalidHost)
        })?;
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    let viewer = viewer.clone();
    let (id, fresh) = services
        .write(move |conn, now| {
            let existing = Platform::find_by_slug(conn, &slug)?;
            let response_hours = hours(
                request.response_hours,
                existing.as_ref().map_or(24, |p| p.response_hours),
                "input.responseHours",
            )?;
            let urgent_response_hours = hours(
                request.urgent_response_hours,
                existing.as_ref().map_or(4, |p| p.urgent_response_hours),
                "input.urgentResponseHours",
            )?;
            let active = request
                .active
                .unwrap_or_else(|| existing.as_ref().is_none_or(|p| p.active));
            let form = PlatformForm {
                slug: &slug,
                name: &name,
                response_hours,
                urgent_response_hours,
                active,
            };
            let id = Platform::upsert(conn, &form, now)?;
            Platform::replace_hosts(conn, id, &hosts).map_err(|error| {
                if laporlapak_db::is_unique_violation(&error) {
                    ServiceError::bad_input("input.hosts", Msg::HostTaken)
                } else {
                    error.into()
                }
            })?;
            let details = format!(
                "{} hosts={} hours={response_hours}/{urgent_response_hours} active={active}",
                if existing.is_some() {
                    "updated"
                } else {
                    "created"
                },
                hosts.join(",")
            );
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(AuditAction::PlatformUpserted, Subject::Platform(id))
                    .details(&details),
            )?;
            // Read inside the transaction, so the copy installed below is exactly what committed.
            Ok((id, ReferenceData::read(conn)?))
        })
        .await?;
    services.reference.replace(fresh);
    services
        .reference
        .get()
        .platform(id)
        .cloned()
        .ok_or(ServiceError::invariant(
            "an upserted platform is in the copy read after it",
        ))
}

/// `setCategoryUrgentTrack`: an admin records whether a category's content is of the kinds
/// Permenkominfo 5/2020 puts on the 4-hour track (terrorism, child sexual abuse material, content
/// that disturbs public order). Only then may an order (or a recommendation) for it be URGENT.
pub async fn set_category_urgent_track(
    services: &Services,
    viewer: &Viewer,
    code: String,
    allowed: bool,
) -> ServiceResult<Arc<Category>> {
    viewer.admin()?;
    let viewer = viewer.clone();
    let (id, fresh) = services
        .write(move |conn, now| {
            let category = Category::find_by_code(conn, code.trim())?
                .ok_or_else(|| ServiceError::bad_input("code", Msg::UnknownCategory))?;
            Category::set_urgent_track(conn, &category.code, allowed)?;
            audit::record(
                conn,
                now,
                Actor::Viewer(&viewer),
                NewEvent::new(
                    AuditAction::CategoryUrgentTrackSet,
                    Subject::Category(category.id),
                )
                .details(&format!("{} urgent_track={allowed}", category.code)),
            )?;
            Ok((category.id, ReferenceData::read(conn)?))
        })
        .await?;
    services.reference.replace(fresh);
    services
        .reference
        .get()
        .category(id)
        .cloned()
        .ok_or(ServiceError::invariant(
            "an updated category is in the copy read after it",
        ))
}

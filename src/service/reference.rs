//! Reference data everyone may read: platforms and complaint categories.

use crate::db::models::category::Category;
use crate::db::models::platform::{Platform, PlatformWithHosts};
use crate::error::ServiceResult;
use crate::service::Services;

pub async fn platforms(services: &Services) -> ServiceResult<Vec<PlatformWithHosts>> {
    services
        .db
        .run(|conn| Ok(Platform::list_with_hosts(conn, false)?))
        .await
}

pub async fn categories(services: &Services) -> ServiceResult<Vec<Category>> {
    services
        .db
        .run(|conn| Ok(Category::list_active(conn)?))
        .await
}

pub async fn platform(services: &Services, id: i64) -> ServiceResult<Option<PlatformWithHosts>> {
    services
        .db
        .run(move |conn| match Platform::find(conn, id)? {
            Some(platform) => Ok(Some(platform.with_hosts(conn)?)),
            None => Ok(None),
        })
        .await
}

//! The business gauges `/metrics` shows: open cases by status, and takedown requests awaiting an
//! answer (and those past due) by platform. Read at scrape time, each from an index.

use laporlapak_db::DbError;
use laporlapak_db::models::gauges;
use laporlapak_domain::CaseStatus;

use crate::Services;

/// Takedown requests of one platform not yet answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformBacklog {
    pub slug: String,
    pub unanswered: i64,
    /// Of those, past their due time.
    pub overdue: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gauges {
    /// Every open (non-final) status with its number of cases, zero included.
    pub open_cases: Vec<(CaseStatus, i64)>,
    /// Every platform, in the reference data's order.
    pub platforms: Vec<PlatformBacklog>,
}

pub async fn read(services: &Services) -> Result<Gauges, DbError> {
    let now = services.clock.now();
    let (open, unanswered) = services
        .db
        .run(move |conn| {
            let open = gauges::open_cases(conn).map_err(DbError::Setup)?;
            let unanswered = gauges::unanswered_requests(conn, now).map_err(DbError::Setup)?;
            Ok::<_, DbError>((open, unanswered))
        })
        .await?;
    let open_cases = CaseStatus::non_final()
        .map(|status| {
            let count = open.iter().find(|(s, _)| *s == status).map_or(0, |r| r.1);
            (status, count)
        })
        .collect();
    let reference = services.reference.get();
    let platforms = reference
        .all_platforms()
        .iter()
        .map(|platform| {
            let row = unanswered.iter().find(|r| r.0 == platform.platform.id);
            PlatformBacklog {
                slug: platform.platform.slug.clone(),
                unanswered: row.map_or(0, |r| r.1),
                overdue: row.map_or(0, |r| r.2),
            }
        })
        .collect();
    Ok(Gauges {
        open_cases,
        platforms,
    })
}

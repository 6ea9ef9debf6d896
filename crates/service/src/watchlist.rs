//! The watchlist feed for platforms: per platform, the current keyword rules (every platform's)
//! and the handles of confirmed sellers found on that platform — never a reporter, never another
//! platform's identifier — as a log of changes with a version, read with `since`, so that a
//! platform can moderate before a complaint arrives. A change enqueues `watchlist.changed` for
//! the platforms it concerns (in the transaction of the change). The transparency report counts,
//! per platform, the watchlisted sellers reported again after they were listed.

use chrono::NaiveDateTime;

use crate::Services;
use crate::error::ServiceResult;
use crate::viewer::Viewer;
use crate::webhook::outbox;
use laporlapak_db::DbConnection;
use laporlapak_db::models::platform::Platform;
pub use laporlapak_db::models::watchlist::WatchlistEntry;
use laporlapak_domain::keywords::RuleChange;
use laporlapak_domain::seller::WatchlistChange;

/// Records a keyword rule's change on every platform's watchlist and tells every platform.
pub(crate) fn rule_changed(
    conn: &mut DbConnection,
    rule_id: i64,
    phrase: &str,
    weight: i32,
    change: RuleChange,
    at: NaiveDateTime,
) -> ServiceResult<()> {
    let change = match change {
        RuleChange::Added | RuleChange::Restored => WatchlistChange::Listed,
        RuleChange::Changed => WatchlistChange::Changed,
        RuleChange::Retired => WatchlistChange::Delisted,
    };
    WatchlistEntry::rule_changed(conn, rule_id, phrase, weight, change, at)?;
    for platform in Platform::list_with_hosts(conn, false)? {
        let platform = platform.platform;
        let version = WatchlistEntry::version(conn, platform.id)?;
        outbox::watchlist_changed(conn, platform.id, &platform.slug, version, at)?;
    }
    Ok(())
}

/// Lists a confirmed seller's handles on the platforms they were found on, and tells those.
pub(crate) fn seller_confirmed(
    conn: &mut DbConnection,
    seller_id: i64,
    at: NaiveDateTime,
) -> ServiceResult<()> {
    for platform_id in WatchlistEntry::list_seller(conn, seller_id, at)? {
        if let Some(platform) = Platform::find(conn, platform_id)? {
            let version = WatchlistEntry::version(conn, platform_id)?;
            outbox::watchlist_changed(conn, platform_id, &platform.slug, version, at)?;
        }
    }
    Ok(())
}

/// Up to `first` changes of the caller's platform's watchlist after version `since` (0: from the
/// start), oldest first; whether more follow; how many follow `since` in all; and the version
/// now. PLATFORM only.
pub async fn feed(
    services: &Services,
    viewer: &Viewer,
    since: i64,
    first: i64,
) -> ServiceResult<(Vec<WatchlistEntry>, bool, i64, i64)> {
    let platform_id = viewer.platform_rep()?.platform_id();
    services
        .db
        .run(move |conn| {
            let mut page = WatchlistEntry::page(conn, platform_id, since.max(0), first + 1)?;
            let has_more = crate::cut_page(&mut page, first);
            let total = WatchlistEntry::count_since(conn, platform_id, since.max(0))?;
            let version = WatchlistEntry::version(conn, platform_id)?;
            Ok((page, has_more, total, version))
        })
        .await
}

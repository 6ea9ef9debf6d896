//! The platforms' watchlist feed (migration 000041): a log of changes, each row one version.

use chrono::NaiveDateTime;
use diesel::dsl::{count, exists};
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{cases, complaints, seller_identifiers, watchlist_entries};
use laporlapak_domain::seller::{IdentifierKind, IdentifierSource, WatchlistChange, WatchlistKind};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = watchlist_entries)]
pub struct WatchlistEntry {
    /// The version this change made.
    pub id: i64,
    /// None: every platform (a keyword rule).
    pub platform_id: Option<i64>,
    pub kind: WatchlistKind,
    pub change: WatchlistChange,
    /// The rule's phrase, or the seller's handle.
    pub value: String,
    pub keyword_rule_id: Option<i64>,
    pub weight: Option<i32>,
    pub seller_id: Option<i64>,
    pub at: NaiveDateTime,
}

/// The sources of a handle a platform may be told about: what the listing itself says.
const LISTED_SOURCES: [IdentifierSource; 2] = [
    IdentifierSource::ListingUrl,
    IdentifierSource::AccountHandle,
];

impl WatchlistEntry {
    /// Records a change of a keyword rule (for every platform).
    pub fn rule_changed(
        conn: &mut DbConnection,
        rule_id: i64,
        phrase: &str,
        weight: i32,
        change: WatchlistChange,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::insert_into(watchlist_entries::table)
            .values((
                watchlist_entries::kind.eq(WatchlistKind::KeywordRule),
                watchlist_entries::change.eq(change),
                watchlist_entries::value.eq(phrase),
                watchlist_entries::keyword_rule_id.eq(rule_id),
                watchlist_entries::weight.eq(weight),
                watchlist_entries::at.eq(at),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Lists the handles of the confirmed seller's cases that are not listed yet, each on the
    /// platform it was found on; returns the platforms whose list changed.
    pub fn list_seller(
        conn: &mut DbConnection,
        seller_id: i64,
        at: NaiveDateTime,
    ) -> QueryResult<Vec<i64>> {
        let handles: Vec<(i64, String)> = seller_identifiers::table
            .inner_join(cases::table.on(cases::id.eq(seller_identifiers::case_id)))
            .filter(cases::seller_id.eq(seller_id))
            .filter(seller_identifiers::kind.eq(IdentifierKind::Handle))
            .filter(seller_identifiers::source.eq_any(LISTED_SOURCES))
            .select((seller_identifiers::platform_id, seller_identifiers::value))
            .distinct()
            .load(conn)?;
        let mut changed = Vec::new();
        for (platform_id, value) in handles {
            let listed: bool = diesel::select(exists(
                watchlist_entries::table
                    .filter(watchlist_entries::platform_id.eq(platform_id))
                    .filter(watchlist_entries::kind.eq(WatchlistKind::SellerHandle))
                    .filter(watchlist_entries::value.eq(&value)),
            ))
            .get_result(conn)?;
            if listed {
                continue;
            }
            diesel::insert_into(watchlist_entries::table)
                .values((
                    watchlist_entries::platform_id.eq(platform_id),
                    watchlist_entries::kind.eq(WatchlistKind::SellerHandle),
                    watchlist_entries::change.eq(WatchlistChange::Listed),
                    watchlist_entries::value.eq(&value),
                    watchlist_entries::seller_id.eq(seller_id),
                    watchlist_entries::at.eq(at),
                ))
                .execute(conn)?;
            if !changed.contains(&platform_id) {
                changed.push(platform_id);
            }
        }
        Ok(changed)
    }

    /// The changes the platform sees after version `since`, oldest first: the keyword rules'
    /// and its own sellers' handles.
    pub fn page(
        conn: &mut DbConnection,
        platform_id: i64,
        since: i64,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        watchlist_entries::table
            .filter(
                watchlist_entries::platform_id
                    .eq(platform_id)
                    .or(watchlist_entries::platform_id.is_null()),
            )
            .filter(watchlist_entries::id.gt(since))
            .order(watchlist_entries::id.asc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    /// How many changes the platform sees after version `since`.
    pub fn count_since(conn: &mut DbConnection, platform_id: i64, since: i64) -> QueryResult<i64> {
        watchlist_entries::table
            .filter(
                watchlist_entries::platform_id
                    .eq(platform_id)
                    .or(watchlist_entries::platform_id.is_null()),
            )
            .filter(watchlist_entries::id.gt(since))
            .count()
            .get_result(conn)
    }

    /// The platform's current version: the last change it sees (0 before any).
    pub fn version(conn: &mut DbConnection, platform_id: i64) -> QueryResult<i64> {
        let version: Option<i64> = watchlist_entries::table
            .filter(
                watchlist_entries::platform_id
                    .eq(platform_id)
                    .or(watchlist_entries::platform_id.is_null()),
            )
            .select(diesel::dsl::max(watchlist_entries::id))
            .get_result(conn)?;
        Ok(version.unwrap_or(0))
    }

    /// Per platform, the watchlisted sellers reported again on it after their handle was listed
    /// (a complaint naming the handle, filed in `[from, to)`).
    pub fn rereported(
        conn: &mut DbConnection,
        from: Option<NaiveDateTime>,
        to: Option<NaiveDateTime>,
    ) -> QueryResult<Vec<(Option<i64>, i64)>> {
        let from = from.unwrap_or_else(|| chrono::DateTime::UNIX_EPOCH.naive_utc());
        let to = to.unwrap_or_else(|| {
            chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
                .and_then(|day| day.and_hms_opt(0, 0, 0))
                .unwrap_or_default()
        });
        let again = seller_identifiers::table
            .inner_join(
                complaints::table.on(complaints::id
                    .nullable()
                    .eq(seller_identifiers::complaint_id)),
            )
            .filter(
                seller_identifiers::platform_id
                    .nullable()
                    .eq(watchlist_entries::platform_id),
            )
            .filter(seller_identifiers::value.eq(watchlist_entries::value))
            .filter(seller_identifiers::kind.eq(IdentifierKind::Handle))
            .filter(complaints::created_at.gt(watchlist_entries::at))
            .filter(complaints::created_at.ge(from))
            .filter(complaints::created_at.lt(to))
            .select(seller_identifiers::id);
        watchlist_entries::table
            .filter(watchlist_entries::kind.eq(WatchlistKind::SellerHandle))
            .filter(exists(again))
            .group_by(watchlist_entries::platform_id)
            .select((
                watchlist_entries::platform_id,
                count(watchlist_entries::seller_id).aggregate_distinct(),
            ))
            .load(conn)
    }
}

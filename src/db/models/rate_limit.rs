//! Rate limits as GCRA cells (the generic cell rate algorithm): each bucket keeps its theoretical
//! arrival time `tat`, in microseconds. A request at `now` with emission interval `interval` is
//! allowed when `max(tat, now) + interval - now <= window`, and then moves `tat` there. The check
//! and the move are one atomic upsert (`INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`),
//! spelled per backend (`GREATEST` on PostgreSQL, the scalar `MAX` on SQLite), so replicas share
//! every budget.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::DbConnection;
use crate::db::schema::rate_limit_cells;

/// What one request may cost a bucket.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    /// Microseconds one request adds to the bucket: the window divided by the budget.
    pub interval: i64,
    /// Microseconds of requests the bucket may run ahead of now: the window.
    pub window: i64,
}

/// The row the upsert returns when it allowed the request (its value is not needed).
#[derive(QueryableByName)]
struct Allowed {
    #[diesel(sql_type = BigInt, column_name = tat)]
    _tat: i64,
}

const POSTGRES_HIT: &str = "INSERT INTO rate_limit_cells (bucket, tat) VALUES ($1, $2 + $3) \
     ON CONFLICT (bucket) DO UPDATE SET tat = GREATEST(rate_limit_cells.tat, $2) + $3 \
     WHERE GREATEST(rate_limit_cells.tat, $2) + $3 - $2 <= $4 RETURNING tat";
const SQLITE_HIT: &str = "INSERT INTO rate_limit_cells (bucket, tat) VALUES (?1, ?2 + ?3) \
     ON CONFLICT (bucket) DO UPDATE SET tat = MAX(rate_limit_cells.tat, ?2) + ?3 \
     WHERE MAX(rate_limit_cells.tat, ?2) + ?3 - ?2 <= ?4 RETURNING tat";

pub struct RateLimit;

impl RateLimit {
    /// Counts one request against `bucket` at `now` (microseconds). `Ok(None)` when it is allowed;
    /// `Ok(Some(wait))` with the microseconds until it would be, when it is not (nothing changes).
    pub fn hit(
        conn: &mut DbConnection,
        bucket: &str,
        now: i64,
        cell: Cell,
    ) -> QueryResult<Option<i64>> {
        let allowed: Vec<Allowed> = match conn {
            DbConnection::Postgres(conn) => diesel::sql_query(POSTGRES_HIT)
                .bind::<Text, _>(bucket)
                .bind::<BigInt, _>(now)
                .bind::<BigInt, _>(cell.interval)
                .bind::<BigInt, _>(cell.window)
                .load(conn)?,
            DbConnection::Sqlite(conn) => diesel::sql_query(SQLITE_HIT)
                .bind::<Text, _>(bucket)
                .bind::<BigInt, _>(now)
                .bind::<BigInt, _>(cell.interval)
                .bind::<BigInt, _>(cell.window)
                .load(conn)?,
        };
        if !allowed.is_empty() {
            return Ok(None);
        }
        let tat: i64 = rate_limit_cells::table
            .find(bucket)
            .select(rate_limit_cells::tat)
            .first(conn)?;
        Ok(Some(tat.max(now) + cell.interval - now - cell.window))
    }

    /// Housekeeping: forgets buckets that have fully refilled by `now` (they are the same as none).
    pub fn purge(conn: &mut DbConnection, now: i64) -> QueryResult<usize> {
        diesel::delete(rate_limit_cells::table.filter(rate_limit_cells::tat.lt(now))).execute(conn)
    }
}

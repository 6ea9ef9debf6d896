//! Rate limits as GCRA cells (the generic cell rate algorithm): each bucket keeps its theoretical
//! arrival time `tat`, in microseconds. A request at `now` with emission interval `interval` is
//! allowed when `max(tat, now) + interval - now <= window`, and then moves `tat` there. The check
//! and the move are one atomic upsert (`INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`),
//! spelled per backend (`GREATEST` on PostgreSQL, the scalar `MAX` on SQLite), so replicas share
//! every budget.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::schema::rate_limit_cells;
use crate::{DbConnection, write_transaction};

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

/// Requests one process allowed for one bucket since its last flush.
#[derive(Debug, Clone)]
pub struct Batch {
    pub bucket: String,
    /// Their number times the bucket's interval, in microseconds.
    pub added: i64,
    /// Where they alone would have moved an empty cell.
    pub alone_tat: i64,
}

/// Rows per statement of [`RateLimit::add_batch`]: 901 parameters, far below both backends'
/// limits.
const BATCH_ROWS: usize = 300;

/// A shared cell's arrival time after a batch was applied to it.
#[derive(QueryableByName)]
struct Shared {
    #[diesel(sql_type = Text)]
    bucket: String,
    #[diesel(sql_type = BigInt)]
    tat: i64,
}

#[derive(Clone, Copy)]
enum Dialect {
    Postgres,
    Sqlite,
}

/// `WITH v AS (VALUES …) INSERT … SELECT … ON CONFLICT DO UPDATE`: a new cell takes the batch's
/// `alone_tat`; an existing one `max(tat + added, alone_tat)`, its `added` found in `v` by bucket.
fn batch_upsert<'a, DB>(
    rows: &'a [Batch],
    dialect: Dialect,
) -> diesel::query_builder::BoxedSqlQuery<'a, DB, diesel::query_builder::SqlQuery>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<Text>
        + diesel::sql_types::HasSqlType<BigInt>,
    &'a str: diesel::serialize::ToSql<Text, DB>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
{
    let (values, greatest): (Vec<String>, &str) = match dialect {
        Dialect::Postgres => (
            (0..rows.len())
                .map(|i| {
                    format!(
                        "(${}::text, ${}::bigint, ${}::bigint)",
                        3 * i + 1,
                        3 * i + 2,
                        3 * i + 3
                    )
                })
                .collect(),
            "GREATEST",
        ),
        Dialect::Sqlite => (
            (0..rows.len())
                .map(|i| format!("(?{}, ?{}, ?{})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                .collect(),
            "MAX",
        ),
    };
    // `WHERE true` tells SQLite's parser that `ON CONFLICT` belongs to the upsert, not a join.
    let sql = format!(
        "WITH v (bucket, tat, added) AS (VALUES {}) \
         INSERT INTO rate_limit_cells (bucket, tat) SELECT bucket, tat FROM v WHERE true \
         ON CONFLICT (bucket) DO UPDATE SET tat = {greatest}(rate_limit_cells.tat \
         + (SELECT v.added FROM v WHERE v.bucket = excluded.bucket), excluded.tat) \
         RETURNING bucket, tat",
        values.join(", ")
    );
    let mut query = diesel::sql_query(sql).into_boxed::<DB>();
    for row in rows {
        query = query
            .bind::<Text, _>(row.bucket.as_str())
            .bind::<BigInt, _>(row.alone_tat)
            .bind::<BigInt, _>(row.added);
    }
    query
}

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

    /// Applies batches of requests already allowed (they were served: nothing is refused here) to
    /// the shared cells, and returns each cell's new arrival time. A batch of n requests moves a
    /// cell at `tat` to `max(tat + n·interval, alone_tat)`: exactly where the n requests, applied one
    /// by one in their order, would have moved it. One multi-row upsert per 300 buckets, in one
    /// transaction.
    pub fn add_batch(conn: &mut DbConnection, batch: &[Batch]) -> QueryResult<Vec<(String, i64)>> {
        write_transaction(conn, |conn| {
            let mut shared = Vec::with_capacity(batch.len());
            for chunk in batch.chunks(BATCH_ROWS) {
                let learnt: Vec<Shared> = match conn {
                    DbConnection::Postgres(conn) => {
                        batch_upsert::<diesel::pg::Pg>(chunk, Dialect::Postgres).load(conn)?
                    }
                    DbConnection::Sqlite(conn) => {
                        batch_upsert::<diesel::sqlite::Sqlite>(chunk, Dialect::Sqlite).load(conn)?
                    }
                };
                shared.extend(learnt.into_iter().map(|row| (row.bucket, row.tat)));
            }
            Ok(shared)
        })
    }

    pub fn count_refilled(conn: &mut DbConnection, now: i64) -> QueryResult<i64> {
        rate_limit_cells::table
            .filter(rate_limit_cells::tat.lt(now))
            .count()
            .get_result(conn)
    }

    /// Erasure: forgets the named buckets.
    pub fn forget(conn: &mut DbConnection, buckets: &[String]) -> QueryResult<usize> {
        diesel::delete(rate_limit_cells::table.filter(rate_limit_cells::bucket.eq_any(buckets)))
            .execute(conn)
    }

    /// Housekeeping: forgets buckets that have fully refilled by `now` (they are the same as none).
    /// The bucket's theoretical arrival time, when it has a cell.
    pub fn tat(conn: &mut DbConnection, bucket: &str) -> QueryResult<Option<i64>> {
        rate_limit_cells::table
            .find(bucket)
            .select(rate_limit_cells::tat)
            .first(conn)
            .optional()
    }

    /// Gives back one request's worth (`interval` microseconds) to a bucket: an attempt that
    /// turned out not to count (a right password).
    pub fn refund(conn: &mut DbConnection, bucket: &str, interval: i64) -> QueryResult<()> {
        diesel::update(rate_limit_cells::table.find(bucket))
            .set(rate_limit_cells::tat.eq(rate_limit_cells::tat - interval))
            .execute(conn)
            .map(|_| ())
    }

    pub fn purge(conn: &mut DbConnection, now: i64) -> QueryResult<usize> {
        diesel::delete(rate_limit_cells::table.filter(rate_limit_cells::tat.lt(now))).execute(conn)
    }
}

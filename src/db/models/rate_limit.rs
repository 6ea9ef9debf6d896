//! Fixed-window rate-limit counters. One atomic upsert per hit: PostgreSQL and SQLite both support
//! `INSERT … ON CONFLICT DO UPDATE … RETURNING`, but diesel's MultiConnection cannot render it, so
//! the statement runs on the inner connection — an explicit match with both arms.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::rate_limits;

pub struct RateLimit;

impl RateLimit {
    /// Counts one hit in `bucket`'s window starting at `window_start`; returns the hits so far.
    pub fn hit(
        conn: &mut DbConnection,
        bucket: &str,
        window_start: NaiveDateTime,
    ) -> QueryResult<i32> {
        let values = (
            rate_limits::bucket.eq(bucket),
            rate_limits::window_start.eq(window_start),
            rate_limits::hits.eq(1),
        );
        match conn {
            DbConnection::Postgres(conn) => diesel::insert_into(rate_limits::table)
                .values(values)
                .on_conflict((rate_limits::bucket, rate_limits::window_start))
                .do_update()
                .set(rate_limits::hits.eq(rate_limits::hits + 1))
                .returning(rate_limits::hits)
                .get_result(conn),
            DbConnection::Sqlite(conn) => diesel::insert_into(rate_limits::table)
                .values(values)
                .on_conflict((rate_limits::bucket, rate_limits::window_start))
                .do_update()
                .set(rate_limits::hits.eq(rate_limits::hits + 1))
                .returning(rate_limits::hits)
                .get_result(conn),
        }
    }

    /// Housekeeping: forgets windows that started before `before`.
    pub fn purge(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
        diesel::delete(rate_limits::table.filter(rate_limits::window_start.lt(before)))
            .execute(conn)
    }
}

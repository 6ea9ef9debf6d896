//! Index keys: random keys for keyed hashes that must outlive a rotation of the data key (the
//! tracking-code index key), stored sealed under the data key (`vault::Field::IndexKey`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::index_keys;
use crate::vault::Sealed;

/// The name of the tracking-code index key's row.
pub const TRACKING_CODE: &str = "tracking_code";

pub struct IndexKey;

impl IndexKey {
    /// The sealed key called `name`; when there is none, `fresh` is stored first. Of two processes
    /// starting at once, one stores its key and both read that one.
    pub fn get_or_insert(
        conn: &mut DbConnection,
        name: &str,
        fresh: &Sealed,
        now: NaiveDateTime,
    ) -> QueryResult<Sealed> {
        let insert = diesel::insert_into(index_keys::table)
            .values((
                index_keys::name.eq(name),
                index_keys::sealed_key.eq(fresh),
                index_keys::created_at.eq(now),
            ))
            .on_conflict_do_nothing();
        match conn {
            DbConnection::Postgres(conn) => insert.execute(conn),
            DbConnection::Sqlite(conn) => insert.execute(conn),
        }?;
        Self::get(conn, name)
    }

    pub fn get(conn: &mut DbConnection, name: &str) -> QueryResult<Sealed> {
        index_keys::table
            .find(name)
            .select(index_keys::sealed_key)
            .first(conn)
    }

    /// Every key not sealed like `current` (a `LIKE` pattern), as (name, sealed key).
    pub fn not_like(conn: &mut DbConnection, current: &str) -> QueryResult<Vec<(String, Sealed)>> {
        index_keys::table
            .filter(index_keys::sealed_key.not_like(current))
            .select((index_keys::name, index_keys::sealed_key))
            .load(conn)
    }

    /// Re-sealing: replaces a key's sealed value if it is still `old`.
    pub fn reseal(
        conn: &mut DbConnection,
        name: &str,
        old: &Sealed,
        fresh: &Sealed,
    ) -> QueryResult<usize> {
        diesel::update(
            index_keys::table
                .filter(index_keys::name.eq(name))
                .filter(index_keys::sealed_key.eq(old)),
        )
        .set(index_keys::sealed_key.eq(fresh))
        .execute(conn)
    }
}

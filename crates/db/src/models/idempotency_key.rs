//! Idempotency keys for `submitComplaint`: kept in the database so a retry is recognised by any
//! replica. A key lives 24 hours.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::idempotency_keys;
use crate::vault::Sealed;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyKey {
    pub scope: String,
    pub idempotency_key: String,
    pub request_hash: String,
    pub complaint_id: i64,
    pub joined_existing_case: bool,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    /// The tracking code the submission issued, sealed (`vault::Field::IssuedTrackingCode`): a
    /// replay shows it again. Null for keys recorded before codes were hashed.
    pub tracking_code: Option<Sealed>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyKeyInsertForm<'a> {
    pub scope: &'a str,
    pub idempotency_key: &'a str,
    pub request_hash: &'a str,
    pub complaint_id: i64,
    pub joined_existing_case: bool,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub tracking_code: Option<&'a Sealed>,
}

impl IdempotencyKey {
    /// The live (unexpired) record for a key, removing an expired one so the key can be reused.
    pub fn find_live(
        conn: &mut DbConnection,
        scope: &str,
        key: &str,
        now: NaiveDateTime,
    ) -> QueryResult<Option<Self>> {
        diesel::delete(
            idempotency_keys::table
                .filter(idempotency_keys::scope.eq(scope))
                .filter(idempotency_keys::idempotency_key.eq(key))
                .filter(idempotency_keys::expires_at.le(now)),
        )
        .execute(conn)?;
        idempotency_keys::table
            .filter(idempotency_keys::scope.eq(scope))
            .filter(idempotency_keys::idempotency_key.eq(key))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Records a key; a concurrent first use of the same key surfaces as a unique violation.
    pub fn insert(conn: &mut DbConnection, form: &IdempotencyKeyInsertForm<'_>) -> QueryResult<()> {
        diesel::insert_into(idempotency_keys::table)
            .values(form)
            .execute(conn)
            .map(|_| ())
    }

    /// Erasure: drops every key of a scope (`account:<id>`).
    pub fn forget_scope(conn: &mut DbConnection, scope: &str) -> QueryResult<usize> {
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::scope.eq(scope)))
            .execute(conn)
    }

    pub fn count_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<i64> {
        idempotency_keys::table
            .filter(idempotency_keys::expires_at.le(now))
            .count()
            .get_result(conn)
    }

    /// Housekeeping: drops expired keys (a bounded batch, so it never holds a lock for long).
    pub fn purge_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::expires_at.le(now)))
            .execute(conn)
    }

    /// Re-sealing: up to `limit` keys whose code is sealed otherwise than `current` (a `LIKE`
    /// pattern), as (scope, key, sealed code).
    pub fn sealed_codes_not_like(
        conn: &mut DbConnection,
        current: &str,
        limit: i64,
    ) -> QueryResult<Vec<(String, String, Sealed)>> {
        idempotency_keys::table
            .filter(idempotency_keys::tracking_code.not_like(current))
            .order((idempotency_keys::scope, idempotency_keys::idempotency_key))
            .limit(limit)
            .select((
                idempotency_keys::scope,
                idempotency_keys::idempotency_key,
                idempotency_keys::tracking_code.assume_not_null(),
            ))
            .load(conn)
    }

    /// Re-sealing: replaces the sealed code of a key if it is still `old`.
    pub fn reseal_code(
        conn: &mut DbConnection,
        scope: &str,
        key: &str,
        old: &Sealed,
        fresh: &Sealed,
    ) -> QueryResult<usize> {
        diesel::update(
            idempotency_keys::table
                .filter(idempotency_keys::scope.eq(scope))
                .filter(idempotency_keys::idempotency_key.eq(key))
                .filter(idempotency_keys::tracking_code.eq(old)),
        )
        .set(idempotency_keys::tracking_code.eq(fresh))
        .execute(conn)
    }
}

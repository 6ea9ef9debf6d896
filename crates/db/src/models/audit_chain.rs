//! The audit trail's hash chain: one row per sealed event in chain order (`audit_chain`), the
//! chain's head (`audit_chain_head`, one row, the sealer's lock) and each day's signed head
//! (`audit_heads`). The hashing is the service's (`laporlapak_service::audit_log`); these are the
//! rows and the queries. Like `events`, both tables are append-only (triggers refuse UPDATE and
//! DELETE); only the head row moves.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::models::event::Event;
use crate::schema::{audit_chain, audit_chain_head, audit_heads, events};

/// One sealed event.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_chain)]
pub struct ChainLink {
    pub position: i64,
    pub event_id: i64,
    pub sealed_at: NaiveDateTime,
    /// 16 random bytes, hex: the salt of the private commitment.
    pub salt: String,
    /// Hex SHA-256 of the salt and the event's private fields.
    pub private_sha256: String,
    /// Hex SHA-256 of 0x00 and the event's entry (RFC 9162 leaf hash).
    pub leaf_hash: String,
    /// Hex SHA-256 of the previous link's chain hash and this leaf hash.
    pub chain_hash: String,
}

/// The chain's head as the sealer holds it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_chain_head)]
pub struct ChainHead {
    pub position: i64,
    pub chain_hash: String,
    /// The greatest event id sealed so far: the sealer looks for unsealed events above it, less a
    /// margin for transactions that committed out of id order.
    pub max_event_id: i64,
}

/// A day's signed head.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_heads)]
pub struct SignedHead {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub first_position: i64,
    pub tree_size: i64,
    pub tree_root: String,
    pub previous_chain_hash: String,
    pub chain_hash: String,
    pub key_id: String,
    /// Base64 of the 32-byte Ed25519 public key.
    pub public_key: String,
    /// Base64 of the 64-byte Ed25519 signature.
    pub signature: String,
    pub signed_at: NaiveDateTime,
}

impl ChainHead {
    /// Locks and reads the head inside a write transaction. `None` on PostgreSQL when another
    /// transaction (another replica's sealer) holds it: that one seals, this one skips the round.
    pub fn lock(conn: &mut DbConnection) -> QueryResult<Option<Self>> {
        match conn {
            DbConnection::Postgres(pg) => audit_chain_head::table
                .filter(audit_chain_head::id.eq(1))
                .select(Self::as_select())
                .for_update()
                .skip_locked()
                .first(pg)
                .optional(),
            DbConnection::Sqlite(_) => Self::read(conn).map(Some),
        }
    }

    pub fn read(conn: &mut DbConnection) -> QueryResult<Self> {
        audit_chain_head::table
            .filter(audit_chain_head::id.eq(1))
            .select(Self::as_select())
            .first(conn)
    }

    pub fn save(&self, conn: &mut DbConnection) -> QueryResult<()> {
        diesel::update(audit_chain_head::table.filter(audit_chain_head::id.eq(1)))
            .set((
                audit_chain_head::position.eq(self.position),
                audit_chain_head::chain_hash.eq(&self.chain_hash),
                audit_chain_head::max_event_id.eq(self.max_event_id),
            ))
            .execute(conn)
            .map(|_| ())
    }
}

impl ChainLink {
    /// Committed events above `floor` that have no place in the chain yet, oldest id first.
    pub fn unsealed(conn: &mut DbConnection, floor: i64, limit: i64) -> QueryResult<Vec<Event>> {
        events::table
            .filter(events::id.gt(floor))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                audit_chain::table.filter(audit_chain::event_id.eq(events::id)),
            )))
            .order(events::id.asc())
            .limit(limit)
            .select(Event::as_select())
            .load(conn)
    }

    pub fn insert_many(conn: &mut DbConnection, links: &[Self]) -> QueryResult<()> {
        for chunk in links.chunks(500) {
            let insert = diesel::insert_into(audit_chain::table).values(chunk);
            match conn {
                DbConnection::Postgres(conn) => insert.execute(conn),
                DbConnection::Sqlite(conn) => insert.execute(conn),
            }?;
        }
        Ok(())
    }

    /// The links at positions `after + 1 ..= after + limit`, in order.
    pub fn range(conn: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<Self>> {
        audit_chain::table
            .filter(audit_chain::position.gt(after))
            .order(audit_chain::position.asc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    /// The leaf hashes of positions `first ..= last`, in order.
    pub fn leaf_hashes(conn: &mut DbConnection, first: i64, last: i64) -> QueryResult<Vec<String>> {
        audit_chain::table
            .filter(audit_chain::position.between(first, last))
            .order(audit_chain::position.asc())
            .select(audit_chain::leaf_hash)
            .load(conn)
    }

    /// The link at `position`.
    pub fn at(conn: &mut DbConnection, position: i64) -> QueryResult<Option<Self>> {
        audit_chain::table
            .filter(audit_chain::position.eq(position))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// The links of the events `event_ids`.
    pub fn of_events(conn: &mut DbConnection, event_ids: &[i64]) -> QueryResult<Vec<Self>> {
        audit_chain::table
            .filter(audit_chain::event_id.eq_any(event_ids))
            .order(audit_chain::position.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// The last position from `first` on sealed before `before`, if any.
    pub fn last_sealed_before(
        conn: &mut DbConnection,
        first: i64,
        before: NaiveDateTime,
    ) -> QueryResult<Option<i64>> {
        audit_chain::table
            .filter(audit_chain::position.ge(first))
            .filter(audit_chain::sealed_at.lt(before))
            .select(diesel::dsl::max(audit_chain::position))
            .first(conn)
    }

    /// How many events have no place in the chain.
    pub fn count_unsealed(conn: &mut DbConnection) -> QueryResult<i64> {
        events::table
            .filter(diesel::dsl::not(diesel::dsl::exists(
                audit_chain::table.filter(audit_chain::event_id.eq(events::id)),
            )))
            .count()
            .get_result(conn)
    }
}

impl SignedHead {
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<()> {
        diesel::insert_into(audit_heads::table)
            .values(self)
            .execute(conn)
            .map(|_| ())
    }

    /// The newest signed head.
    pub fn latest(conn: &mut DbConnection) -> QueryResult<Option<Self>> {
        audit_heads::table
            .order(audit_heads::first_position.desc())
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// The newest `limit` heads, newest first.
    pub fn newest(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Self>> {
        audit_heads::table
            .order(audit_heads::first_position.desc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    /// Every head, oldest first.
    pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<Self>> {
        audit_heads::table
            .order(audit_heads::first_position.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// The head whose tree holds `position`, if that day is signed.
    pub fn covering(conn: &mut DbConnection, position: i64) -> QueryResult<Option<Self>> {
        Ok(audit_heads::table
            .filter(audit_heads::first_position.le(position))
            .order(audit_heads::first_position.desc())
            .select(Self::as_select())
            .first::<Self>(conn)
            .optional()?
            .filter(|head| position < head.first_position + head.tree_size))
    }
}

impl Event {
    /// The events `ids` (those that still exist).
    pub fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        events::table
            .filter(events::id.eq_any(ids))
            .select(Self::as_select())
            .load(conn)
    }

    /// The ids of the events about `subject_type` `subject_id`, oldest first.
    pub fn ids_about(
        conn: &mut DbConnection,
        subject_type: laporlapak_domain::SubjectKind,
        subject_id: i64,
    ) -> QueryResult<Vec<i64>> {
        events::table
            .filter(events::subject_type.eq(subject_type))
            .filter(events::subject_id.eq(subject_id))
            .order(events::id.asc())
            .select(events::id)
            .load(conn)
    }
}

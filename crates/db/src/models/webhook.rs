//! Webhooks: the endpoints platforms register, the outbox of events (`webhook_messages`, written
//! in the transaction of the change that causes them), one delivery per message and endpoint, and
//! the attempts of each delivery.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{webhook_attempts, webhook_deliveries, webhook_endpoints, webhook_messages};
use laporlapak_domain::webhook::{DeliveryStatus, EventType};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = webhook_endpoints)]
pub struct WebhookEndpoint {
    pub id: i64,
    pub platform_id: i64,
    pub url: String,
    pub secret: String,
    pub description: Option<String>,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
    /// The secret a rotation replaced, still signing beside `secret` until `previous_secret_until`.
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = webhook_messages)]
pub struct WebhookMessage {
    pub id: i64,
    pub message_id: String,
    pub platform_id: i64,
    pub event_type: EventType,
    pub payload: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = webhook_deliveries)]
pub struct WebhookDelivery {
    pub id: i64,
    pub webhook_message_id: i64,
    pub endpoint_id: i64,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = webhook_attempts)]
pub struct WebhookAttempt {
    pub id: i64,
    pub delivery_id: i64,
    pub at: NaiveDateTime,
    pub duration_ms: i32,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
}

/// What one attempt found.
#[derive(Debug, Clone)]
pub struct AttemptRecord<'a> {
    pub at: NaiveDateTime,
    pub duration_ms: i32,
    pub status_code: Option<i32>,
    pub error: Option<&'a str>,
    pub response_excerpt: Option<&'a str>,
}

/// Arbitrary constant naming the PostgreSQL advisory lock that serialises claims of deliveries.
const CLAIM_LOCK_KEY: i64 = 0x6c61_706f_7277_6863;

/// The ids of the deliveries to claim next (parameters: `$1` the pending status, `$2` now, `$3` the
/// most deliveries an endpoint may have held at once, `$4` how many to take): due and free; per
/// endpoint only as many of its oldest as it has room for beside those already held; then
/// round-robin over platforms — each platform's oldest first, then each one's second, ….
const FAIR_CANDIDATES: &str = "\
    WITH held AS ( \
        SELECT endpoint_id, COUNT(*) AS n FROM webhook_deliveries \
        WHERE status = $1 AND lease_until >= $2 GROUP BY endpoint_id \
    ), due AS ( \
        SELECT d.id, d.endpoint_id, d.next_attempt_at, e.platform_id, \
               ROW_NUMBER() OVER (PARTITION BY d.endpoint_id \
                                  ORDER BY d.next_attempt_at, d.id) AS endpoint_turn \
        FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
        WHERE d.status = $1 AND d.next_attempt_at <= $2 \
          AND (d.lease_until IS NULL OR d.lease_until < $2) \
    ), allowed AS ( \
        SELECT due.id, due.next_attempt_at, \
               ROW_NUMBER() OVER (PARTITION BY due.platform_id \
                                  ORDER BY due.next_attempt_at, due.id) AS platform_turn \
        FROM due LEFT JOIN held ON held.endpoint_id = due.endpoint_id \
        WHERE due.endpoint_turn + COALESCE(held.n, 0) <= $3 \
    ) \
    SELECT id FROM allowed ORDER BY platform_turn, next_attempt_at, id LIMIT $4";

impl WebhookEndpoint {
    pub fn insert(
        conn: &mut DbConnection,
        platform_id: i64,
        url: &str,
        secret: &str,
        description: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<i64> {
        diesel::insert_into(webhook_endpoints::table)
            .values((
                webhook_endpoints::platform_id.eq(platform_id),
                webhook_endpoints::url.eq(url),
                webhook_endpoints::secret.eq(secret),
                webhook_endpoints::description.eq(description),
                webhook_endpoints::created_at.eq(at),
            ))
            .returning(webhook_endpoints::id)
            .get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        webhook_endpoints::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        webhook_endpoints::table
            .filter(webhook_endpoints::id.eq_any(ids))
            .select(Self::as_select())
            .load(conn)
    }

    /// The endpoints of a platform (every platform's when `None`), newest first.
    pub fn list(
        conn: &mut DbConnection,
        platform_id: Option<i64>,
        include_disabled: bool,
    ) -> QueryResult<Vec<Self>> {
        let mut query = webhook_endpoints::table
            .order(webhook_endpoints::id.desc())
            .select(Self::as_select())
            .into_boxed();
        if let Some(platform_id) = platform_id {
            query = query.filter(webhook_endpoints::platform_id.eq(platform_id));
        }
        if !include_disabled {
            query = query.filter(webhook_endpoints::disabled_at.is_null());
        }
        query.load(conn)
    }

    /// Replaces the signing secret; the one replaced keeps signing until `overlap_until` (none
    /// when `None`). A secret replaced earlier and still in its overlap stops at once.
    pub fn rotate_secret(
        conn: &mut DbConnection,
        id: i64,
        secret: &str,
        overlap_until: Option<NaiveDateTime>,
    ) -> QueryResult<bool> {
        let target = webhook_endpoints::table.find(id);
        // Every right-hand side reads the row as it was: `previous_secret` takes the old secret.
        let changed = match overlap_until {
            Some(until) => diesel::update(target)
                .set((
                    webhook_endpoints::previous_secret.eq(webhook_endpoints::secret.nullable()),
                    webhook_endpoints::previous_secret_until.eq(until),
                    webhook_endpoints::secret.eq(secret),
                ))
                .execute(conn)?,
            None => diesel::update(target)
                .set((
                    webhook_endpoints::previous_secret.eq(None::<String>),
                    webhook_endpoints::previous_secret_until.eq(None::<NaiveDateTime>),
                    webhook_endpoints::secret.eq(secret),
                ))
                .execute(conn)?,
        };
        Ok(changed == 1)
    }

    pub fn disable(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(webhook_endpoints::table.find(id))
            .filter(webhook_endpoints::disabled_at.is_null())
            .set(webhook_endpoints::disabled_at.eq(at))
            .execute(conn)?;
        Ok(changed == 1)
    }
}

impl WebhookMessage {
    /// Appends an event to the outbox with one pending delivery per enabled endpoint of its
    /// platform, inside the caller's transaction: one statement when the platform has no endpoint
    /// (nothing is stored: nobody would receive it), three when it has.
    pub fn enqueue(
        conn: &mut DbConnection,
        message_id: &str,
        platform_id: i64,
        event_type: EventType,
        payload: &str,
        at: NaiveDateTime,
    ) -> QueryResult<Option<i64>> {
        let endpoints: Vec<i64> = webhook_endpoints::table
            .filter(webhook_endpoints::platform_id.eq(platform_id))
            .filter(webhook_endpoints::disabled_at.is_null())
            .select(webhook_endpoints::id)
            .load(conn)?;
        if endpoints.is_empty() {
            return Ok(None);
        }
        let id: i64 = diesel::insert_into(webhook_messages::table)
            .values((
                webhook_messages::message_id.eq(message_id),
                webhook_messages::platform_id.eq(platform_id),
                webhook_messages::event_type.eq(event_type),
                webhook_messages::payload.eq(payload),
                webhook_messages::created_at.eq(at),
            ))
            .returning(webhook_messages::id)
            .get_result(conn)?;
        let deliveries: Vec<_> = endpoints
            .into_iter()
            .map(|endpoint_id| {
                (
                    webhook_deliveries::webhook_message_id.eq(id),
                    webhook_deliveries::endpoint_id.eq(endpoint_id),
                    webhook_deliveries::status.eq(DeliveryStatus::Pending),
                    webhook_deliveries::next_attempt_at.eq(at),
                    webhook_deliveries::created_at.eq(at),
                )
            })
            .collect();
        // A multi-row insert needs the backend's own connection (diesel's MultiConnection has no
        // batch insert).
        let insert = diesel::insert_into(webhook_deliveries::table).values(&deliveries);
        match conn {
            DbConnection::Postgres(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
        Ok(Some(id))
    }

    pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        webhook_messages::table
            .filter(webhook_messages::id.eq_any(ids))
            .select(Self::as_select())
            .load(conn)
    }
}

impl WebhookDelivery {
    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        webhook_deliveries::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    /// Whether any delivery is due and free: a read, so an idle worker writes nothing.
    pub fn any_due(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            webhook_deliveries::table
                .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending))
                .filter(webhook_deliveries::next_attempt_at.le(now))
                .filter(
                    webhook_deliveries::lease_until
                        .is_null()
                        .or(webhook_deliveries::lease_until.lt(now)),
                ),
        ))
        .get_result(conn)
    }

    /// Takes up to `limit` deliveries that are due and not held by another worker, holding them
    /// until `lease_until`, fairly:
    /// * an endpoint never has more than `per_endpoint` deliveries held at once (counting those
    ///   held by every process: a held lease is an attempt under way), so a slow or dead receiver
    ///   ties up at most that many of a process's attempts;
    /// * platforms take turns: every platform with due work gets its oldest delivery before any
    ///   platform gets its second, and so on.
    ///
    /// Claims are serialised — SQLite has one writer anyway; on PostgreSQL a transaction-scoped
    /// advisory lock makes replicas claim one after the other, so each sees the leases of the one
    /// before and the per-endpoint cap holds across replicas — and the rows are locked with SKIP
    /// LOCKED, passing over any a concurrent attempt is recording.
    pub fn claim_due(
        conn: &mut DbConnection,
        now: NaiveDateTime,
        lease_until: NaiveDateTime,
        limit: i64,
        per_endpoint: i64,
    ) -> QueryResult<Vec<Self>> {
        use diesel::sql_types::{BigInt, Text, Timestamp};

        #[derive(QueryableByName)]
        struct Candidate {
            #[diesel(sql_type = BigInt)]
            id: i64,
        }

        let pending = DeliveryStatus::Pending.as_str();
        let ids: Vec<i64> = match conn {
            DbConnection::Postgres(pg) => {
                diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                    .bind::<BigInt, _>(CLAIM_LOCK_KEY)
                    .execute(pg)?;
                let sql = format!(
                    "SELECT d.id FROM webhook_deliveries d WHERE d.id IN ({FAIR_CANDIDATES}) \
                     AND d.status = $1 AND d.next_attempt_at <= $2 \
                     AND (d.lease_until IS NULL OR d.lease_until < $2) \
                     FOR UPDATE SKIP LOCKED"
                );
                diesel::sql_query(sql)
                    .bind::<Text, _>(pending)
                    .bind::<Timestamp, _>(now)
                    .bind::<BigInt, _>(per_endpoint)
                    .bind::<BigInt, _>(limit)
                    .load::<Candidate>(pg)?
            }
            // `?NNN` is SQLite's spelling of a numbered parameter.
            DbConnection::Sqlite(sqlite) => diesel::sql_query(FAIR_CANDIDATES.replace('$', "?"))
                .bind::<Text, _>(pending)
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(per_endpoint)
                .bind::<BigInt, _>(limit)
                .load::<Candidate>(sqlite)?,
        }
        .into_iter()
        .map(|candidate| candidate.id)
        .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
            .set(webhook_deliveries::lease_until.eq(lease_until))
            .execute(conn)?;
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq_any(&ids))
            .order(webhook_deliveries::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// Records an attempt and the delivery's next state, if the caller still holds its lease
    /// (`lease_until` as claimed); returns whether it did.
    pub fn record_attempt(
        conn: &mut DbConnection,
        id: i64,
        held_until: NaiveDateTime,
        attempt: &AttemptRecord<'_>,
        next: Next,
    ) -> QueryResult<bool> {
        let (status, next_attempt_at, finished_at) = match next {
            Next::Succeeded => (DeliveryStatus::Succeeded, attempt.at, Some(attempt.at)),
            Next::Failed => (DeliveryStatus::Failed, attempt.at, Some(attempt.at)),
            Next::RetryAt(at) => (DeliveryStatus::Pending, at, None),
        };
        let changed = diesel::update(
            webhook_deliveries::table
                .find(id)
                .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending))
                .filter(webhook_deliveries::lease_until.eq(held_until)),
        )
        .set((
            webhook_deliveries::status.eq(status),
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::next_attempt_at.eq(next_attempt_at),
            webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::finished_at.eq(finished_at),
            webhook_deliveries::last_status_code.eq(attempt.status_code),
            webhook_deliveries::last_error.eq(attempt.error),
        ))
        .execute(conn)?;
        if changed == 1 {
            diesel::insert_into(webhook_attempts::table)
                .values((
                    webhook_attempts::delivery_id.eq(id),
                    webhook_attempts::at.eq(attempt.at),
                    webhook_attempts::duration_ms.eq(attempt.duration_ms),
                    webhook_attempts::status_code.eq(attempt.status_code),
                    webhook_attempts::error.eq(attempt.error),
                    webhook_attempts::response_excerpt.eq(attempt.response_excerpt),
                ))
                .execute(conn)?;
        }
        Ok(changed == 1)
    }

    /// Puts a finished delivery back in the queue, due now; returns whether it did.
    pub fn redeliver(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(
            webhook_deliveries::table
                .find(id)
                .filter(webhook_deliveries::status.ne(DeliveryStatus::Pending)),
        )
        .set((
            webhook_deliveries::status.eq(DeliveryStatus::Pending),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::finished_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// How many deliveries `page` lists over every page (`webhookDeliveries { totalCount }`).
    pub fn count(
        conn: &mut DbConnection,
        endpoint_ids: &[i64],
        status: Option<DeliveryStatus>,
    ) -> QueryResult<i64> {
        let mut query = webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq_any(endpoint_ids))
            .into_boxed();
        if let Some(status) = status {
            query = query.filter(webhook_deliveries::status.eq(status));
        }
        query.count().get_result(conn)
    }

    /// A page of deliveries to the given endpoints, newest first, before the id `before`.
    pub fn page(
        conn: &mut DbConnection,
        endpoint_ids: &[i64],
        status: Option<DeliveryStatus>,
        before: Option<i64>,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let mut query = webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq_any(endpoint_ids))
            .order(webhook_deliveries::id.desc())
            .limit(limit)
            .select(Self::as_select())
            .into_boxed();
        if let Some(status) = status {
            query = query.filter(webhook_deliveries::status.eq(status));
        }
        if let Some(before) = before {
            query = query.filter(webhook_deliveries::id.lt(before));
        }
        query.load(conn)
    }
}

/// Where a delivery goes after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Succeeded,
    RetryAt(NaiveDateTime),
    Failed,
}

impl WebhookAttempt {
    pub fn for_deliveries(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        webhook_attempts::table
            .filter(webhook_attempts::delivery_id.eq_any(ids))
            .order(webhook_attempts::id.asc())
            .select(Self::as_select())
            .load(conn)
    }
}

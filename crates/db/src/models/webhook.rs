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
    /// until `lease_until`. On PostgreSQL the candidates are locked with SKIP LOCKED, so replicas
    /// claiming at the same moment take different rows; SQLite serialises writers anyway.
    pub fn claim_due(
        conn: &mut DbConnection,
        now: NaiveDateTime,
        lease_until: NaiveDateTime,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        let candidates = webhook_deliveries::table
            .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending))
            .filter(webhook_deliveries::next_attempt_at.le(now))
            .filter(
                webhook_deliveries::lease_until
                    .is_null()
                    .or(webhook_deliveries::lease_until.lt(now)),
            )
            .order((
                webhook_deliveries::next_attempt_at.asc(),
                webhook_deliveries::id.asc(),
            ))
            .limit(limit)
            .select(webhook_deliveries::id);
        let ids: Vec<i64> = match conn {
            DbConnection::Postgres(pg) => candidates.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(sqlite) => candidates.load(sqlite)?,
        };
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

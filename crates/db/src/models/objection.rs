//! Objections (sanggah): a platform contests a takedown request before its deadline; the
//! regulator (orders) or a reviewer (notices) upholds or rejects it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{objections, takedown_requests};
use laporlapak_domain::{ObjectionStatus, TakedownKind};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = objections)]
pub struct Objection {
    pub id: i64,
    pub takedown_request_id: i64,
    pub reasons: String,
    pub filed_at: NaiveDateTime,
    pub status: ObjectionStatus,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_reasons: Option<String>,
}

impl Objection {
    pub fn insert(
        conn: &mut DbConnection,
        takedown_request_id: i64,
        reasons: &str,
        at: NaiveDateTime,
    ) -> QueryResult<i64> {
        diesel::insert_into(objections::table)
            .values((
                objections::takedown_request_id.eq(takedown_request_id),
                objections::reasons.eq(reasons),
                objections::filed_at.eq(at),
                objections::status.eq(ObjectionStatus::Pending),
            ))
            .returning(objections::id)
            .get_result(conn)
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Self>> {
        objections::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn for_request(conn: &mut DbConnection, request_id: i64) -> QueryResult<Vec<Self>> {
        objections::table
            .filter(objections::takedown_request_id.eq(request_id))
            .order(objections::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// The objections to several requests, oldest first (the public register's page).
    pub fn for_requests(conn: &mut DbConnection, request_ids: &[i64]) -> QueryResult<Vec<Self>> {
        objections::table
            .filter(objections::takedown_request_id.eq_any(request_ids))
            .order(objections::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// Records the decision if none is recorded yet; returns whether this call did it.
    pub fn decide(
        conn: &mut DbConnection,
        id: i64,
        status: ObjectionStatus,
        by: i64,
        reasons: &str,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let changed = diesel::update(objections::table.find(id))
            .filter(objections::status.eq(ObjectionStatus::Pending))
            .set((
                objections::status.eq(status),
                objections::decided_by.eq(by),
                objections::decided_at.eq(at),
                objections::decision_reasons.eq(reasons),
            ))
            .execute(conn)?;
        Ok(changed == 1)
    }

    /// Pending objections to requests of `kind`, oldest first: a reviewer's or the regulator's
    /// queue.
    pub fn pending(
        conn: &mut DbConnection,
        kind: TakedownKind,
        limit: i64,
    ) -> QueryResult<Vec<Self>> {
        objections::table
            .inner_join(
                takedown_requests::table
                    .on(takedown_requests::id.eq(objections::takedown_request_id)),
            )
            .filter(objections::status.eq(ObjectionStatus::Pending))
            .filter(takedown_requests::kind.eq(kind))
            .order(objections::id.asc())
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
    }

    /// Objections to requests issued in `[from, to)`, with the request's platform and kind (few).
    pub fn of_requests_issued(
        conn: &mut DbConnection,
        from: Option<NaiveDateTime>,
        to: Option<NaiveDateTime>,
    ) -> QueryResult<Vec<(i64, TakedownKind, ObjectionStatus)>> {
        let mut query = objections::table
            .inner_join(
                takedown_requests::table
                    .on(takedown_requests::id.eq(objections::takedown_request_id)),
            )
            .select((
                takedown_requests::platform_id,
                takedown_requests::kind,
                objections::status,
            ))
            .into_boxed();
        if let Some(from) = from {
            query = query.filter(takedown_requests::issued_at.ge(from));
        }
        if let Some(to) = to {
            query = query.filter(takedown_requests::issued_at.lt(to));
        }
        query.load(conn)
    }
}

//! A takedown request's answer history: the platform's answer in the shape of the DSA Transparency
//! Database's statement of reasons, then at most one later change (a reinstatement or the end of a
//! restriction). Append-only.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConnection;
use crate::schema::{takedown_answers, takedown_requests};
use laporlapak_domain::{ActedOn, AnswerKind, DecisionGround, TakedownDecision};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = takedown_answers)]
pub struct TakedownAnswer {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub takedown_request_id: i64,
    pub kind: AnswerKind,
    /// The decision of an ANSWER; null for a later change.
    pub decision: Option<TakedownDecision>,
    pub acted_on: Option<ActedOn>,
    pub ground: Option<DecisionGround>,
    /// The law cited (ILLEGAL_CONTENT) or the clause of the platform's terms.
    pub ground_reference: Option<String>,
    /// ISO 3166-1 alpha-2 codes, comma-separated.
    pub territory: Option<String>,
    pub suspended_until: Option<NaiveDateTime>,
    pub automated_detection: Option<bool>,
    pub automated_decision: Option<bool>,
    /// The platform's own reference for the decision.
    pub platform_reference: Option<String>,
    pub statement_of_reasons: String,
    /// When it took effect: acted, reinstated or ended.
    pub effective_at: NaiveDateTime,
    pub recorded_at: NaiveDateTime,
}

impl TakedownAnswer {
    /// Appends an entry. A second answer or a second change of the same request violates a unique
    /// index (the caller maps it to a conflict).
    pub fn insert(conn: &mut DbConnection, entry: &TakedownAnswer) -> QueryResult<()> {
        diesel::insert_into(takedown_answers::table)
            .values(entry)
            .execute(conn)
            .map(|_| ())
    }

    /// The history of one request, oldest first.
    pub fn for_request(conn: &mut DbConnection, request_id: i64) -> QueryResult<Vec<Self>> {
        takedown_answers::table
            .filter(takedown_answers::takedown_request_id.eq(request_id))
            .order(takedown_answers::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// The histories of several requests, oldest first.
    pub fn for_requests(conn: &mut DbConnection, request_ids: &[i64]) -> QueryResult<Vec<Self>> {
        takedown_answers::table
            .filter(takedown_answers::takedown_request_id.eq_any(request_ids))
            .order(takedown_answers::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// The histories of every request of a case, oldest first (one statement).
    pub fn for_case(conn: &mut DbConnection, case_id: i64) -> QueryResult<Vec<Self>> {
        takedown_answers::table
            .inner_join(takedown_requests::table)
            .filter(takedown_requests::case_id.eq(case_id))
            .order(takedown_answers::id.asc())
            .select(Self::as_select())
            .load(conn)
    }

    /// `(platform_id, reinstatements)` of the requests issued in `[from, to)` (either end open):
    /// read from the rows, which the partial unique index `takedown_answers_one_change` keeps
    /// few (one per reversed answer).
    pub fn reinstatements(
        conn: &mut DbConnection,
        from: Option<NaiveDateTime>,
        to: Option<NaiveDateTime>,
    ) -> QueryResult<Vec<(i64, i64)>> {
        let mut query = takedown_answers::table
            .inner_join(takedown_requests::table)
            .filter(takedown_answers::kind.eq(AnswerKind::Reinstatement))
            .group_by(takedown_requests::platform_id)
            .select((takedown_requests::platform_id, diesel::dsl::count_star()))
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
